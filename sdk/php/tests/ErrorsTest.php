<?php

declare(strict_types=1);

namespace Slotbook\Tests;

use Slotbook\Client;
use Slotbook\Exception\AuthenticationException;
use Slotbook\Exception\BookingRuleException;
use Slotbook\Exception\NotFoundException;
use Slotbook\Exception\PermissionDeniedException;
use Slotbook\Exception\SlotbookException;
use Slotbook\Exception\ValidationException;

final class ErrorsTest extends LiveTestCase
{
    public function testAnUnknownAppointmentIsANotFoundException(): void
    {
        try {
            self::client()->appointments->get(987654321);
            self::fail('found');
        } catch (NotFoundException $e) {
            self::assertInstanceOf(SlotbookException::class, $e);
            self::assertSame('APPOINTMENT_NOT_FOUND', $e->getCode());
            self::assertSame('APPOINTMENT_NOT_FOUND', $e->getErrorCode());
            self::assertSame(404, $e->getStatus());
            self::assertStringContainsString('987654321', $e->getMessage());
        }
    }

    public function testAWrongKeyIsAnAuthenticationException(): void
    {
        try {
            (new Client('sb_live_wrong', ['maxRetries' => 0]))->departments->list();
            self::fail('accepted');
        } catch (AuthenticationException $e) {
            self::assertSame('UNAUTHORIZED', $e->getCode());
            self::assertSame(401, $e->getStatus());
        }
    }

    public function testAKeyWithoutAppointmentsCreateIsAPermissionDeniedException(): void
    {
        $readOnly = new Client((string) getenv('SLOTBOOK_READ_ONLY_KEY'));
        self::assertNotEmpty($readOnly->departments->list());
        $this->expectException(PermissionDeniedException::class);
        $readOnly->appointments->create(['departmentId' => 8, 'dateTime' => '2030-01-07T10:00:00', 'name' => 'No Scope']);
    }

    public function testAnInvalidRequestIsAValidationExceptionWithTheFieldsAtFault(): void
    {
        try {
            self::client()->appointments->create(['departmentId' => 5, 'name' => 'No Time']);
            self::fail('accepted');
        } catch (ValidationException $e) {
            self::assertSame(400, $e->getStatus());
            self::assertSame('INVALID_REQUEST', $e->getCode());
            self::assertNotEmpty($e->getDetails());
        }
    }

    public function testATakenSlotIsABookingRuleException(): void
    {
        $api = self::client();
        $slot = self::freeSlots($api)[0];
        $booking = ['departmentId' => 5, 'dateTime' => $slot->start, 'name' => 'First', 'workerId' => $slot->workerIds[0]];
        $first = $api->appointments->create($booking);
        try {
            $api->appointments->create(['name' => 'Second'] + $booking);
            self::fail('booked twice');
        } catch (BookingRuleException $e) {
            self::assertSame($e->getCode(), $e->getRule());
            self::assertSame(409, $e->getStatus());
        } finally {
            $api->appointments->cancel($first->id);
        }
    }

    public function testTheBaseUrlComesFromTheOptionElseFromTheEnvironment(): void
    {
        self::assertSame(self::baseUrl() . '/', (new Client())->baseUrl);
        $wrong = new Client(null, ['baseUrl' => 'http://127.0.0.1:9', 'maxRetries' => 0]);
        self::assertSame('http://127.0.0.1:9/', $wrong->baseUrl);
        try {
            $wrong->departments->list();
            self::fail('reached');
        } catch (SlotbookException $e) {
            self::assertSame('CONNECTION_ERROR', $e->getCode());
            self::assertNull($e->getStatus());
        }
    }

    public function testNoKeyAtAllIsRefusedBeforeAnyRequest(): void
    {
        $saved = getenv('SLOTBOOK_API_KEY');
        putenv('SLOTBOOK_API_KEY');
        try {
            $this->expectException(\InvalidArgumentException::class);
            new Client();
        } finally {
            putenv("SLOTBOOK_API_KEY=$saved");
        }
    }
}
