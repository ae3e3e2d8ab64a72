// ES modules: named exports, and the client class as the default export.
import { Slotbook } from './client.js';

export * from './client.js';
export default Slotbook;
