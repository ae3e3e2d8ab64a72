// The moncreneau documents' snippet, run as written (package name and key changed): Node
// runs top-level await in ES modules only, where require() is made this way.
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);

// Installation: npm install ./sdk/node
const Moncreneau = require('@slotbook/client');
const client = new Moncreneau(process.env.SLOTBOOK_API_KEY);
// Create an appointment
const appointment = await client.appointments.create({
  departmentId: 5,
  dateTime: '2026-01-25T14:30:00',
  name: 'Jean Dupont',
  workerId: 42, // Optional (required if showAdminsInBooking=true)
});
console.log('Appointment created:', appointment.id);
