// The moncreneau documents' snippet, run as written (package name and key changed): Node
// runs top-level await in ES modules only, where require() is made this way.
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);

const { MoncreneauClient } = require('@slotbook/client');

const client = new MoncreneauClient(process.env.SLOTBOOK_API_KEY);

try {
  const appointment = await client.appointments.create({
    departmentId: 5,
    dateTime: '2026-02-15T10:00:00',
    name: 'Amadou Diallo',
    workerId: 42,
    externalUserId: 'customer_12345'
  });

  console.log(`Appointment created with ID: ${appointment.id}`);
  console.log(`QR Code: ${appointment.qrCode}`);
} catch (error) {
  if (error.code === 'INSUFFICIENT_CREDITS') {
    console.error('Insufficient credits:', error.message);
  }
}
