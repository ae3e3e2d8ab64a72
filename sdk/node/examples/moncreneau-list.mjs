// The moncreneau documents' snippet, run as written (package name and key changed): Node
// runs top-level await in ES modules only, where require() is made this way.
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);

const { MoncreneauClient } = require('@slotbook/client');

const client = new MoncreneauClient(process.env.SLOTBOOK_API_KEY);

// Simple list
const page = await client.appointments.list();

// With filters
const filtered = await client.appointments.list({
  page: 0,
  size: 20,
  status: 'SCHEDULED',
  departmentId: '5',
  externalUserId: 'customer_12345',
  startDate: '2026-02-01T00:00:00',
  endDate: '2026-02-28T23:59:59'
});

console.log(`Total: ${filtered.totalElements}`);
filtered.appointments.forEach(apt => {
  console.log(`${apt.name} - ${apt.dateTime}`);
});
