import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import client, * as named from '@slotbook/client';

const require = createRequire(import.meta.url);

test('require() and import give the same objects, so instanceof works across both', () => {
  const cjs = require('@slotbook/client');
  assert.equal(cjs, client);
  assert.equal(cjs.Slotbook, named.Slotbook);
  assert.equal(cjs.NotFoundError, named.NotFoundError);
  assert.equal(cjs, cjs.Slotbook);
});

test('the moncreneau names are the same client', () => {
  for (const Kind of [named.MoncreneauClient, named.Moncreneau, named.SlotbookClient]) {
    const made = new Kind('key', { baseUrl: 'http://127.0.0.1:1' });
    assert.ok(made instanceof named.Slotbook);
    assert.equal(typeof made.appointments.create, 'function');
  }
});
