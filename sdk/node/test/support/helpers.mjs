// Shared by the tests: the live server given by SLOTBOOK_BASE_URL / SLOTBOOK_API_KEY (the
// Python test tests/sdk/test_node.py starts one with the demo data and runs these tests).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Slotbook } from '@slotbook/client';

export const BASE_URL = process.env.SLOTBOOK_BASE_URL;
export const API_KEY = process.env.SLOTBOOK_API_KEY;
assert.ok(BASE_URL && API_KEY, 'set SLOTBOOK_BASE_URL and SLOTBOOK_API_KEY to a live server (see README.md)');

export const fast = { backoff: 0.01, maxRetries: 2 };

export function client(options = {}) {
  return new Slotbook(API_KEY, { ...fast, ...options });
}

/** The test server's own controls (tests/sdk/live_world.py): queue failures, see requests. */
export async function control(action, body) {
  const response = await fetch(new URL(`_test/${action}`, BASE_URL.endsWith('/') ? BASE_URL : `${BASE_URL}/`), {
    method: body === undefined && action === 'seen' ? 'GET' : 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  assert.equal(response.status, 200);
  return response.json();
}

export const uniqueUser = () => `node-${randomUUID()}`;

/** Free slots of demo department 5 over the next two weeks (any weekday this test runs on). */
export async function freeSlots(api, departmentId = 5) {
  const today = new Date();
  const later = new Date(today.getTime() + 14 * 86400 * 1000);
  const day = (d) => d.toISOString().slice(0, 10);
  const found = await api.availability.slots({ departmentId, startDate: day(today), endDate: day(later) });
  assert.ok(found.slots.length >= 2, `department ${departmentId} has free slots: ${JSON.stringify(found)}`);
  return found.slots;
}
