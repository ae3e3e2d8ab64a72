// Quick start: list the departments, find a free slot, book it, read it back, cancel it.
import { InsufficientCreditsError, Slotbook } from '@slotbook/client';

// The key and the server come from SLOTBOOK_API_KEY and SLOTBOOK_BASE_URL.
const client = new Slotbook();

for (const department of await client.departments.list()) {
  console.log(`${department.id} ${department.name} - ${department.organization.name}`);
}

// Free slots of department 5 over the next week (their times carry the UTC offset).
const { slots } = await client.availability.slots({ departmentId: 5 });
const slot = slots[0];

try {
  const appointment = await client.appointments.create({
    departmentId: 5,
    dateTime: slot.start,
    name: 'Amadou Diallo',
    workerId: slot.workerIds[0],
    externalUserId: 'customer_12345',
  });
  console.log(`Booked ${appointment.id} at ${appointment.dateTime}, QR code ${appointment.qrCode}`);

  const again = await client.appointments.get(appointment.id);
  console.log(`Status: ${again.status}`);

  const cancelled = await client.appointments.cancel(appointment.id);
  console.log(`New status: ${cancelled.status}`);
} catch (error) {
  if (error instanceof InsufficientCreditsError) {
    console.error(`No credit left: ${error.message}`);
  } else {
    throw error;
  }
}
