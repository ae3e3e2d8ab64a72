import assert from 'node:assert/strict';
import net from 'node:net';
import { test } from 'node:test';
import { APIConnectionError, InsufficientCreditsError, RateLimitError, ServerError, Slotbook } from '@slotbook/client';
import { API_KEY, client, control, freeSlots, uniqueUser } from './support/helpers.mjs';

// The tests share the server's failure queue and request log, so they run one at a time (and
// the test files too: see --test-concurrency=1 in package.json).
const serial = { concurrency: false };

test('a booking retried after 503s carries one Idempotency-Key and books once', serial, async () => {
  const api = client();
  const [slot] = await freeSlots(api, 8);
  const externalUserId = uniqueUser();
  await control('reset');
  await control('fail-next', { status: 503, times: 2 });
  const booked = await api.appointments.create({ departmentId: 8, dateTime: slot.start, name: 'Retried', externalUserId });
  const posts = (await control('seen')).filter((r) => r.method === 'POST' && r.path === '/api/v1/appointments');
  assert.equal(posts.length, 3);
  assert.ok(posts[0].idempotencyKey, 'an Idempotency-Key was sent');
  assert.deepEqual(new Set(posts.map((p) => p.idempotencyKey)).size, 1);
  const page = await api.appointments.list({ externalUserId });
  assert.equal(page.totalElements, 1);
  await api.appointments.cancel(booked.id);
});

test('the same idempotencyKey given twice books once', serial, async () => {
  const api = client();
  const [slot] = await freeSlots(api, 8);
  const externalUserId = uniqueUser();
  const data = { departmentId: 8, dateTime: slot.start, name: 'Twice', externalUserId };
  const first = await api.appointments.create(data, { idempotencyKey: externalUserId });
  const again = await api.appointments.create(data, { idempotencyKey: externalUserId });
  assert.equal(again.id, first.id);
  assert.equal((await api.appointments.list({ externalUserId })).totalElements, 1);
  await api.appointments.cancel(first.id);
});

test('each call has its own Idempotency-Key; reads send none', serial, async () => {
  const api = client();
  await control('reset');
  await api.departments.list();
  await api.appointments.cancel(987654321).catch(() => {});
  await api.appointments.cancel(987654321).catch(() => {});
  const seen = await control('seen');
  assert.equal(seen[0].idempotencyKey, null);
  assert.notEqual(seen[1].idempotencyKey, seen[2].idempotencyKey);
});

test('429 with Retry-After is waited for and retried', serial, async () => {
  await control('reset');
  await control('fail-next', { status: 429, code: 'RATE_LIMITED', retryAfter: 1 });
  const started = Date.now();
  const departments = await client().departments.list();
  assert.ok(departments.length > 0);
  assert.ok(Date.now() - started >= 900, 'waited the second Retry-After asked for');
  assert.equal((await control('seen')).length, 2);
});

test('a Retry-After longer than maxRetryAfter is thrown at once as a RateLimitError', serial, async () => {
  await control('reset');
  await control('fail-next', { status: 429, code: 'RATE_LIMITED', retryAfter: 3600 });
  await assert.rejects(client().departments.list(), (error) => {
    assert.ok(error instanceof RateLimitError);
    assert.equal(error.retryAfter, 3600);
    assert.equal(error.status, 429);
    return true;
  });
  assert.equal((await control('seen')).length, 1);
  await control('reset');
});

test('after maxRetries the last 5xx is a ServerError', serial, async () => {
  await control('reset');
  await control('fail-next', { status: 502, code: 'BAD_GATEWAY', times: 2 });
  await assert.rejects(client({ maxRetries: 1 }).departments.list(), (error) => {
    assert.ok(error instanceof ServerError);
    assert.equal(error.status, 502);
    assert.equal(error.code, 'BAD_GATEWAY');
    return true;
  });
  assert.equal((await control('seen')).length, 2);
});

test('a server that hangs up is retried, then an APIConnectionError', serial, async () => {
  let connections = 0;
  const server = net.createServer((socket) => {
    connections += 1;
    socket.once('data', () => socket.destroy());
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const api = new Slotbook(API_KEY, { baseUrl: `http://127.0.0.1:${server.address().port}`, backoff: 0.01, maxRetries: 2 });
    await assert.rejects(api.departments.list(), (error) => {
      assert.ok(error instanceof APIConnectionError);
      assert.equal(error.code, 'CONNECTION_ERROR');
      return true;
    });
    assert.equal(connections, 3);
  } finally {
    server.close();
  }
});

test('402 INSUFFICIENT_CREDITS is an InsufficientCreditsError, never retried', serial, async () => {
  await control('reset');
  await control('fail-next', { status: 402, code: 'INSUFFICIENT_CREDITS' });
  const booking = { departmentId: 8, dateTime: '2030-01-07T10:00:00', name: 'No Credit' };
  await assert.rejects(client().appointments.create(booking), (error) => {
    assert.ok(error instanceof InsufficientCreditsError);
    assert.equal(error.code, 'INSUFFICIENT_CREDITS');
    assert.equal(error.status, 402);
    return true;
  });
  assert.equal((await control('seen')).length, 1);
});
