<?php

declare(strict_types=1);

namespace Slotbook\Tests;

use PHPUnit\Framework\TestCase;
use Slotbook\Client;
use Slotbook\Record;

/** A test against the live server given by SLOTBOOK_BASE_URL and SLOTBOOK_API_KEY. */
abstract class LiveTestCase extends TestCase
{
    protected const FAST = ['backoff' => 0.01, 'maxRetries' => 2];

    protected function setUp(): void
    {
        if (!getenv('SLOTBOOK_BASE_URL') || !getenv('SLOTBOOK_API_KEY')) {
            self::fail('set SLOTBOOK_BASE_URL and SLOTBOOK_API_KEY to a live server (see README.md)');
        }
    }

    /** @param array<string, mixed> $options */
    protected static function client(array $options = []): Client
    {
        return new Client(null, $options + self::FAST);
    }

    protected static function baseUrl(): string
    {
        return rtrim((string) getenv('SLOTBOOK_BASE_URL'), '/');
    }

    /**
     * The test server's own controls (tests/sdk/live_world.py): queue failures, see requests.
     *
     * @param array<string, mixed>|null $body
     */
    protected static function control(string $action, ?array $body = null): mixed
    {
        $context = stream_context_create(['http' => [
            'method' => $action === 'seen' ? 'GET' : 'POST',
            'header' => "Content-Type: application/json\r\n",
            'content' => $body === null ? '' : json_encode($body, JSON_THROW_ON_ERROR),
        ]]);
        $answer = file_get_contents(self::baseUrl() . "/_test/$action", false, $context);
        self::assertNotFalse($answer);
        return json_decode($answer, true, 512, JSON_THROW_ON_ERROR);
    }

    protected static function uniqueUser(): string
    {
        return 'php-' . bin2hex(random_bytes(8));
    }

    /** @return list<Record> free slots of a demo department over the next two weeks */
    protected static function freeSlots(Client $api, int $departmentId = 5): array
    {
        $today = new \DateTimeImmutable('today', new \DateTimeZone('UTC'));
        $found = $api->availability->slots([
            'departmentId' => $departmentId,
            'startDate' => $today->format('Y-m-d'),
            'endDate' => $today->modify('+14 days')->format('Y-m-d'),
        ]);
        self::assertGreaterThanOrEqual(2, count($found->slots), "department $departmentId has free slots");
        return $found->slots;
    }
}
