<?php

declare(strict_types=1);

namespace Slotbook\Tests;

use Slotbook\Record;

final class AppointmentsTest extends LiveTestCase
{
    public function testDepartmentsOfTheDemoOrganization(): void
    {
        $api = self::client();
        $names = [];
        foreach ($api->departments->list() as $department) {
            self::assertInstanceOf(Record::class, $department);
            $names[$department->id] = $department['name'];
        }
        self::assertSame('Passport Service', $names[5]);
        self::assertSame('ID Card Service', $names[8]);
        self::assertSame('Ministry of Interior', $api->departments->list()[0]->organization->name);
        self::assertSame('Passport Service', $api->departments->get(5)->name);
    }

    public function testBookReadFindRescheduleCancelAndTheCreditComesBack(): void
    {
        $api = self::client();
        $before = $api->credits->get()->balance;
        [$first, $second] = self::freeSlots($api);
        $externalUserId = self::uniqueUser();

        $booked = $api->appointments->create([
            'departmentId' => 5,
            'dateTime' => $first->start,
            'name' => 'Amadou Diallo',
            'workerId' => $first->workerIds[0],
            'externalUserId' => $externalUserId,
        ]);
        self::assertSame('Amadou Diallo', $booked->name);
        self::assertSame($booked->id, $booked['id']);
        self::assertSame($booked->qrCode, $booked->qr_code);
        self::assertSame(5, $booked->departmentId);
        self::assertNotEmpty($booked->qrCode);
        self::assertSame($before - 1, $api->credits->get()->balance);

        $read = $api->appointments->get($booked->id);
        self::assertSame($booked->dateTime, $read->dateTime);

        $page = $api->appointments->list(['externalUserId' => $externalUserId, 'departmentId' => 5, 'page' => 0, 'size' => 20]);
        self::assertSame(1, $page->totalElements);
        self::assertSame([$booked->id], array_map(static fn (Record $a): int => $a->id, $page->appointments));
        self::assertTrue($page->isLast);

        $moved = $api->appointments->reschedule($booked->id, dateTime: $second->start, workerId: $second->workerIds[0]);
        self::assertSame($booked->id, $moved->id);
        self::assertNotSame($booked->dateTime, $moved->dateTime);
        self::assertSame($moved->dateTime, $api->appointments->get($booked->id)->dateTime);

        $cancelled = $api->appointments->cancel($booked->id);
        self::assertSame('CANCELLED', $cancelled->status);
        self::assertSame($before, $api->credits->get()->balance);
        self::assertSame(1, $api->appointments->list(['externalUserId' => $externalUserId, 'status' => 'CANCELLED'])->totalElements);
    }

    public function testCancelWithAReasonAndANote(): void
    {
        $api = self::client();
        $slot = self::freeSlots($api, 8)[0];
        $booked = $api->appointments->create(['departmentId' => 8, 'dateTime' => $slot->start, 'name' => 'Fatoumata Camara']);
        $cancelled = $api->appointments->cancel($booked->id, reason: 40, note: 'travelling');
        self::assertSame('CANCELLED', $cancelled->status);
        self::assertSame('travelling', $cancelled->cancellationNote);
    }

    public function testListAllPagesThroughEveryMatch(): void
    {
        $api = self::client();
        $externalUserId = self::uniqueUser();
        $made = [];
        foreach (array_slice(self::freeSlots($api, 8), 0, 3) as $slot) {
            $made[] = $api->appointments->create([
                'departmentId' => 8, 'dateTime' => $slot->start, 'name' => 'Page Test', 'externalUserId' => $externalUserId,
            ])->id;
        }
        $seen = [];
        foreach ($api->appointments->listAll(['externalUserId' => $externalUserId, 'size' => 2]) as $appointment) {
            $seen[] = $appointment->id;
        }
        sort($seen);
        self::assertSame($made, $seen);
        $firstPage = $api->appointments->list(['externalUserId' => $externalUserId, 'size' => 2]);
        self::assertSame(2, $firstPage->totalPages);
        self::assertFalse($firstPage->isLast);
        $sorted = $api->appointments->list(['q' => ["externalUserId:=$externalUserId"], 'sort' => 'dateTime:desc']);
        self::assertSame(array_reverse($made), array_map(static fn (Record $a): int => $a->id, $sorted->appointments));
        foreach ($made as $id) {
            $api->appointments->cancel($id);
        }
    }

    public function testTheExplanationOfAFreeTimeAgrees(): void
    {
        $api = self::client();
        $slot = self::freeSlots($api)[0];
        self::assertNotEmpty($slot->workerIds);
        self::assertTrue($api->availability->explain(['departmentId' => 5, 'dateTime' => $slot->start])->bookable);
    }

    public function testARecordIsReadOnlyAndNamesItsFieldsWhenOneIsMissing(): void
    {
        $department = self::client()->departments->get(5);
        self::assertTrue(isset($department['name']));
        self::assertFalse(isset($department['nope']));
        self::assertSame('Passport Service', $department->toArray()['name']);
        self::assertSame($department->id, json_decode(json_encode($department, JSON_THROW_ON_ERROR), true)['id']);
        try {
            $department->nmae;
            self::fail('a missing field was read');
        } catch (\OutOfRangeException $e) {
            self::assertStringContainsString('name', $e->getMessage());
        }
        $this->expectException(\LogicException::class);
        $department['name'] = 'changed';
    }
}
