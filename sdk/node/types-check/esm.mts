// Compiled by `tsc -p types-check` (npm run typecheck): the types fit the documented uses.
import Slotbook, {
  BookingRuleError,
  InsufficientCreditsError,
  MoncreneauClient,
  verifyWebhook,
  type Appointment,
  type AppointmentPage,
} from '@slotbook/client';

const client = new Slotbook('key', { baseUrl: 'http://127.0.0.1:8000', maxRetries: 3 });
const byOptions = new MoncreneauClient({ apiKey: 'key' });

export async function tour(): Promise<number> {
  const departments = await client.departments.list();
  const { slots } = await client.availability.slots({ departmentId: departments[0].id });
  try {
    const booked: Appointment = await client.appointments.create(
      { departmentId: 5, dateTime: slots[0].start, name: 'Amadou Diallo', workerId: slots[0].workerIds[0] },
      { idempotencyKey: 'order-1' },
    );
    const page: AppointmentPage = await byOptions.appointments.list({ status: 'SCHEDULED', q: ['name:~diallo'] });
    for await (const each of client.appointments.listAll({ departmentId: 5 })) console.log(each.qrCode);
    await client.appointments.reschedule(booked.id, { dateTime: new Date() }, { ifMatch: booked.version });
    const cancelled = await client.appointments.cancel(booked.id, { reason: 50, note: 'moved away' });
    return page.totalElements + cancelled.id + (await client.credits.get()).balance;
  } catch (error) {
    if (error instanceof InsufficientCreditsError) return -1;
    if (error instanceof BookingRuleError) return error.rule.length;
    throw error;
  }
}

export const event = verifyWebhook<{ type: string }>('{}', new Headers(), 'whsec_x', { tolerance: 60 });
