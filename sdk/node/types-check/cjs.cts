// The CommonJS shapes of the moncreneau documents: the module is the client class.
import Moncreneau = require('@slotbook/client');
import { MoncreneauClient, NotFoundError, type Appointment } from '@slotbook/client';

const client = new Moncreneau('YOUR_API_KEY');
const named = new MoncreneauClient('your_api_key');

export async function seed(): Promise<string> {
  const appointment: Appointment = await client.appointments.create({
    departmentId: 5,
    dateTime: '2026-01-25T14:30:00',
    name: 'Jean Dupont',
    workerId: 42,
  });
  try {
    return (await named.appointments.get(appointment.id)).status;
  } catch (error) {
    if (error instanceof Moncreneau.SlotbookError && error.code === 'INSUFFICIENT_CREDITS') return error.message;
    if (error instanceof NotFoundError) return String(error.status);
    throw error;
  }
}
