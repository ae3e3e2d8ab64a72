import assert from 'node:assert/strict';
import { test } from 'node:test';
import { client, freeSlots, uniqueUser } from './support/helpers.mjs';

test('departments: the list of the demo organization, and one by id', async () => {
  const api = client();
  const departments = await api.departments.list();
  const names = Object.fromEntries(departments.map((d) => [d.id, d.name]));
  assert.equal(names[5], 'Passport Service');
  assert.equal(names[8], 'ID Card Service');
  assert.equal(departments[0].organization.name, 'Ministry of Interior');
  const one = await api.departments.get(5);
  assert.equal(one.name, 'Passport Service');
});

test('book a free slot, read it, find it, reschedule it, cancel it: the credit comes back', async () => {
  const api = client();
  const before = (await api.credits.get()).balance;
  const [first, second] = await freeSlots(api);
  const externalUserId = uniqueUser();

  const booked = await api.appointments.create({
    departmentId: 5,
    dateTime: first.start,
    name: 'Amadou Diallo',
    workerId: first.workerIds[0],
    externalUserId,
  });
  assert.equal(booked.name, 'Amadou Diallo');
  assert.equal(booked.departmentId, 5);
  assert.equal(booked.externalUserId, externalUserId);
  assert.ok(booked.qrCode, 'a booking has a QR code');
  assert.equal((await api.credits.get()).balance, before - 1);

  const read = await api.appointments.get(booked.id);
  assert.equal(read.id, booked.id);
  assert.equal(read.dateTime, booked.dateTime);

  const page = await api.appointments.list({ externalUserId, departmentId: '5', page: 0, size: 20 });
  assert.equal(page.totalElements, 1);
  assert.deepEqual(page.appointments.map((a) => a.id), [booked.id]);
  assert.equal(page.isLast, true);

  const moved = await api.appointments.reschedule(booked.id, { dateTime: second.start, workerId: second.workerIds[0] });
  assert.equal(moved.id, booked.id);
  assert.notEqual(moved.dateTime, booked.dateTime);
  assert.equal(moved.dateTime, (await api.appointments.get(booked.id)).dateTime);

  const cancelled = await api.appointments.cancel(booked.id);
  assert.equal(cancelled.status, 'CANCELLED');
  assert.equal((await api.credits.get()).balance, before);
  const statuses = await api.appointments.list({ externalUserId, status: 'CANCELLED' });
  assert.equal(statuses.totalElements, 1);
});

test('cancel with a reason and a note', async () => {
  const api = client();
  const [slot] = await freeSlots(api, 8);
  const booked = await api.appointments.create({ departmentId: 8, dateTime: slot.start, name: 'Fatoumata Camara' });
  const cancelled = await api.appointments.cancel(booked.id, { reason: 40, note: 'travelling' });
  assert.equal(cancelled.status, 'CANCELLED');
  assert.equal(cancelled.cancellationNote, 'travelling');
});

test('listAll pages through every match, as many as totalElements says', async () => {
  const api = client();
  const externalUserId = uniqueUser();
  const slots = (await freeSlots(api, 8)).slice(0, 3);
  const made = [];
  for (const slot of slots) {
    made.push((await api.appointments.create({ departmentId: 8, dateTime: slot.start, name: 'Page Test', externalUserId })).id);
  }
  const seen = [];
  for await (const appointment of api.appointments.listAll({ externalUserId, size: 2 })) seen.push(appointment.id);
  assert.deepEqual(seen.sort((a, b) => a - b), made.sort((a, b) => a - b));
  const firstPage = await api.appointments.list({ externalUserId, size: 2 });
  assert.equal(firstPage.totalPages, 2);
  assert.equal(firstPage.isLast, false);
  const sorted = await api.appointments.list({ q: [`externalUserId:=${externalUserId}`], sort: 'dateTime:desc' });
  assert.deepEqual(sorted.appointments.map((a) => a.id), [...made].reverse());
  for (const id of made) await api.appointments.cancel(id);
});

test('available slots: department 5 names its workers, the explanation of a free time agrees', async () => {
  const api = client();
  const [slot] = await freeSlots(api);
  assert.ok(slot.workerIds.length > 0);
  const why = await api.availability.explain({ departmentId: 5, dateTime: slot.start });
  assert.equal(why.bookable, true);
});
