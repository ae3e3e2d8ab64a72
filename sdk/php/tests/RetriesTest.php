<?php

declare(strict_types=1);

namespace Slotbook\Tests;

use Slotbook\Client;
use Slotbook\Exception\ApiConnectionException;
use Slotbook\Exception\InsufficientCreditsException;
use Slotbook\Exception\RateLimitException;
use Slotbook\Exception\ServerException;

/** These tests steer the test server's failure queue and read its request log. */
final class RetriesTest extends LiveTestCase
{
    protected function setUp(): void
    {
        parent::setUp();
        self::control('reset');
    }

    protected function tearDown(): void
    {
        self::control('reset');
    }

    public function testABookingRetriedAfter503sCarriesOneIdempotencyKeyAndBooksOnce(): void
    {
        $api = self::client();
        $slot = self::freeSlots($api, 8)[0];
        $externalUserId = self::uniqueUser();
        self::control('reset');
        self::control('fail-next', ['status' => 503, 'times' => 2]);
        $booked = $api->appointments->create([
            'departmentId' => 8, 'dateTime' => $slot->start, 'name' => 'Retried', 'externalUserId' => $externalUserId,
        ]);
        $posts = array_values(array_filter(
            self::control('seen'),
            static fn (array $r): bool => $r['method'] === 'POST' && $r['path'] === '/api/v1/appointments',
        ));
        self::assertCount(3, $posts);
        self::assertNotEmpty($posts[0]['idempotencyKey']);
        self::assertCount(1, array_unique(array_column($posts, 'idempotencyKey')));
        self::assertSame(1, $api->appointments->list(['externalUserId' => $externalUserId])->totalElements);
        $api->appointments->cancel($booked->id);
    }

    public function testTheSameIdempotencyKeyGivenTwiceBooksOnce(): void
    {
        $api = self::client();
        $slot = self::freeSlots($api, 8)[0];
        $externalUserId = self::uniqueUser();
        $data = ['departmentId' => 8, 'dateTime' => $slot->start, 'name' => 'Twice', 'externalUserId' => $externalUserId];
        $first = $api->appointments->create($data, idempotencyKey: $externalUserId);
        $again = $api->appointments->create($data, idempotencyKey: $externalUserId);
        self::assertSame($first->id, $again->id);
        self::assertSame(1, $api->appointments->list(['externalUserId' => $externalUserId])->totalElements);
        $api->appointments->cancel($first->id);
    }

    public function testEachCallHasItsOwnIdempotencyKeyAndReadsSendNone(): void
    {
        $api = self::client();
        $api->departments->list();
        foreach ([1, 2] as $_) {
            try {
                $api->appointments->cancel(987654321);
            } catch (\Slotbook\Exception\NotFoundException) {
            }
        }
        $seen = self::control('seen');
        self::assertNull($seen[0]['idempotencyKey']);
        self::assertNotSame($seen[1]['idempotencyKey'], $seen[2]['idempotencyKey']);
    }

    public function testA429WithRetryAfterIsWaitedForAndRetried(): void
    {
        self::control('fail-next', ['status' => 429, 'code' => 'RATE_LIMITED', 'retryAfter' => 1]);
        $started = microtime(true);
        self::assertNotEmpty(self::client()->departments->list());
        self::assertGreaterThanOrEqual(0.9, microtime(true) - $started);
        self::assertCount(2, self::control('seen'));
    }

    public function testARetryAfterLongerThanMaxRetryAfterIsThrownAtOnce(): void
    {
        self::control('fail-next', ['status' => 429, 'code' => 'RATE_LIMITED', 'retryAfter' => 3600]);
        try {
            self::client()->departments->list();
            self::fail('no error');
        } catch (RateLimitException $e) {
            self::assertSame(3600.0, $e->getRetryAfter());
            self::assertSame(429, $e->getStatus());
        }
        self::assertCount(1, self::control('seen'));
    }

    public function testAfterMaxRetriesTheLast5xxIsAServerException(): void
    {
        self::control('fail-next', ['status' => 502, 'code' => 'BAD_GATEWAY', 'times' => 2]);
        try {
            self::client(['maxRetries' => 1])->departments->list();
            self::fail('no error');
        } catch (ServerException $e) {
            self::assertSame(502, $e->getStatus());
            self::assertSame('BAD_GATEWAY', $e->getCode());
        }
        self::assertCount(2, self::control('seen'));
    }

    public function testA402IsAnInsufficientCreditsExceptionNeverRetried(): void
    {
        self::control('fail-next', ['status' => 402, 'code' => 'INSUFFICIENT_CREDITS']);
        try {
            self::client()->appointments->create(['departmentId' => 8, 'dateTime' => '2030-01-07T10:00:00', 'name' => 'No Credit']);
            self::fail('no error');
        } catch (InsufficientCreditsException $e) {
            self::assertSame('INSUFFICIENT_CREDITS', $e->getCode());
            self::assertSame(402, $e->getStatus());
        }
        self::assertCount(1, self::control('seen'));
    }

    public function testAServerThatHangsUpIsRetriedThenAnApiConnectionException(): void
    {
        $port = self::freePort();
        // A child process accepts each connection, reads the request and closes it unanswered.
        $script = sprintf(
            '$s = stream_socket_server("tcp://127.0.0.1:%d"); echo "ready\n"; '
            . 'for ($i = 0; $i < 3; $i++) { $c = stream_socket_accept($s, 30); fread($c, 65536); fclose($c); echo "x"; }',
            $port,
        );
        $child = proc_open([PHP_BINARY, '-r', $script], [1 => ['pipe', 'w']], $pipes);
        self::assertIsResource($child);
        self::assertSame("ready\n", fgets($pipes[1]));
        $api = new Client(null, ['baseUrl' => "http://127.0.0.1:$port", 'backoff' => 0.01, 'maxRetries' => 2]);
        try {
            $api->departments->list();
            self::fail('no error');
        } catch (ApiConnectionException $e) {
            self::assertSame('CONNECTION_ERROR', $e->getCode());
        }
        self::assertSame('xxx', stream_get_contents($pipes[1]));
        proc_close($child);
    }

    private static function freePort(): int
    {
        $probe = stream_socket_server('tcp://127.0.0.1:0');
        self::assertNotFalse($probe);
        $port = (int) substr((string) strrchr((string) stream_socket_get_name($probe, false), ':'), 1);
        fclose($probe);
        return $port;
    }
}
