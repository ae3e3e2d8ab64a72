import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  AuthenticationError,
  BookingRuleError,
  NotFoundError,
  PermissionDeniedError,
  Slotbook,
  SlotbookError,
  ValidationError,
} from '@slotbook/client';
import { API_KEY, BASE_URL, client, freeSlots } from './support/helpers.mjs';

async function rejection(promise) {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  assert.fail('the call succeeded');
}

test('an unknown appointment is a NotFoundError with the API code, status and message', async () => {
  const error = await rejection(client().appointments.get(987654321));
  assert.ok(error instanceof NotFoundError);
  assert.ok(error instanceof SlotbookError);
  assert.ok(error instanceof Error);
  assert.equal(error.code, 'APPOINTMENT_NOT_FOUND');
  assert.equal(error.status, 404);
  assert.match(error.message, /987654321/);
});

test('a wrong key is an AuthenticationError', async () => {
  const error = await rejection(new Slotbook('sb_live_wrong', { maxRetries: 0 }).departments.list());
  assert.ok(error instanceof AuthenticationError);
  assert.equal(error.code, 'UNAUTHORIZED');
  assert.equal(error.status, 401);
});

test('a key without appointments:create is a PermissionDeniedError', async () => {
  const readOnly = new Slotbook(process.env.SLOTBOOK_READ_ONLY_KEY);
  assert.ok(Array.isArray(await readOnly.departments.list()));
  const error = await rejection(
    readOnly.appointments.create({ departmentId: 8, dateTime: '2030-01-07T10:00:00', name: 'No Scope' }),
  );
  assert.ok(error instanceof PermissionDeniedError);
  assert.equal(error.status, 403);
});

test('an invalid request is a ValidationError with the fields at fault', async () => {
  const error = await rejection(client().appointments.create({ departmentId: 5, name: 'No Time' }));
  assert.ok(error instanceof ValidationError);
  assert.equal(error.status, 400);
  assert.equal(error.code, 'INVALID_REQUEST');
  assert.ok(error.details.length > 0, JSON.stringify(error));
});

test('a taken slot is a BookingRuleError naming the rule', async () => {
  const api = client();
  const [slot] = await freeSlots(api);
  const workerId = slot.workerIds[0];
  const first = await api.appointments.create({ departmentId: 5, dateTime: slot.start, name: 'First', workerId });
  const error = await rejection(api.appointments.create({ departmentId: 5, dateTime: slot.start, name: 'Second', workerId }));
  assert.ok(error instanceof BookingRuleError, `${error.name}: ${error.message}`);
  assert.equal(error.rule, error.code);
  assert.equal(error.status, 409);
  await api.appointments.cancel(first.id);
});

test('the base URL comes from the option, else from SLOTBOOK_BASE_URL', async () => {
  const fromEnv = new Slotbook(API_KEY);
  assert.equal(fromEnv.baseUrl.replace(/\/$/, ''), BASE_URL.replace(/\/$/, ''));
  const wrong = new Slotbook(API_KEY, { baseUrl: 'http://127.0.0.1:9', maxRetries: 0 });
  assert.equal(wrong.baseUrl, 'http://127.0.0.1:9/');
  const error = await rejection(wrong.departments.list());
  assert.equal(error.code, 'CONNECTION_ERROR');
  const byOptions = new Slotbook({ apiKey: API_KEY, baseUrl: BASE_URL });
  assert.ok((await byOptions.departments.list()).length > 0);
});

test('no key at all is refused before any request', () => {
  const saved = process.env.SLOTBOOK_API_KEY;
  delete process.env.SLOTBOOK_API_KEY;
  try {
    assert.throws(() => new Slotbook(), /API key is required/);
  } finally {
    process.env.SLOTBOOK_API_KEY = saved;
  }
});
