// The moncreneau documents' snippet, run as written (package name and key changed): Node
// runs top-level await in ES modules only, where require() is made this way.
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);

const { MoncreneauClient } = require('@slotbook/client');

const client = new MoncreneauClient(process.env.SLOTBOOK_API_KEY);
const cancelled = await client.appointments.cancel(123);

console.log('Appointment cancelled');
console.log(`New status: ${cancelled.status}`);
console.log('1 credit refunded');
