<?php

declare(strict_types=1);

namespace Slotbook\Tests;

use PHPUnit\Framework\TestCase;
use Slotbook\Exception\WebhookVerificationException;
use Slotbook\Webhook;

/** Webhook verification; the example of the Standard Webhooks specification. */
final class WebhookTest extends TestCase
{
    private const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    private const ID = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
    private const TIMESTAMP = 1614265330;
    private const PAYLOAD = '{"test": 2432232314}';
    private const SIGNATURE = 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=';

    /** @return array<string, string> */
    private static function headers(string $signature = self::SIGNATURE, string $timestamp = '1614265330'): array
    {
        return ['webhook-id' => self::ID, 'webhook-timestamp' => $timestamp, 'webhook-signature' => $signature];
    }

    private static function refused(string $code, callable $call): void
    {
        try {
            $call();
            self::fail("accepted, expected $code");
        } catch (WebhookVerificationException $e) {
            self::assertSame($code, $e->getCode());
        }
    }

    public function testTheSpecificationExampleVerifies(): void
    {
        self::assertSame(self::SIGNATURE, Webhook::sign(self::PAYLOAD, self::SECRET, self::ID, self::TIMESTAMP));
        $event = Webhook::verify(self::PAYLOAD, self::headers(), self::SECRET, now: self::TIMESTAMP);
        self::assertSame(2432232314, $event->test);
        // As getallheaders() and $_SERVER name them.
        $server = ['HTTP_WEBHOOK_ID' => self::ID, 'HTTP_WEBHOOK_TIMESTAMP' => '1614265330', 'HTTP_WEBHOOK_SIGNATURE' => self::SIGNATURE];
        self::assertSame(2432232314, Webhook::verify(self::PAYLOAD, $server, self::SECRET, now: self::TIMESTAMP + 299)['test']);
        $capitalised = ['Webhook-Id' => self::ID, 'Webhook-Timestamp' => '1614265330', 'Webhook-Signature' => self::SIGNATURE];
        self::assertSame(2432232314, Webhook::verify(self::PAYLOAD, $capitalised, self::SECRET, now: self::TIMESTAMP)->test);
    }

    public function testOneMatchingSignatureAmongSeveralIsEnough(): void
    {
        $other = Webhook::sign(self::PAYLOAD, 'whsec_' . base64_encode('another key'), self::ID, self::TIMESTAMP);
        $event = Webhook::verify(self::PAYLOAD, self::headers("$other v2,abc " . self::SIGNATURE), self::SECRET, now: self::TIMESTAMP);
        self::assertSame(2432232314, $event->test);
    }

    public function testAChangedBodyAWrongSecretOrAForgedSignatureIsRefused(): void
    {
        $now = self::TIMESTAMP;
        self::refused('WEBHOOK_SIGNATURE_MISMATCH', fn () => Webhook::verify('{"test": 1}', self::headers(), self::SECRET, now: $now));
        self::refused('WEBHOOK_SIGNATURE_MISMATCH', fn () => Webhook::verify(self::PAYLOAD, self::headers(), 'whsec_' . base64_encode('wrong'), now: $now));
        self::refused('WEBHOOK_SIGNATURE_MISMATCH', fn () => Webhook::verify(self::PAYLOAD, self::headers('v1,not base64!'), self::SECRET, now: $now));
        self::refused('WEBHOOK_SIGNATURE_MISMATCH', fn () => Webhook::verify(self::PAYLOAD, self::headers(str_replace('v1', 'v2', self::SIGNATURE)), self::SECRET, now: $now));
    }

    public function testStaleMalformedOrMissingHeadersAreRefused(): void
    {
        $t = self::TIMESTAMP;
        self::refused('WEBHOOK_TIMESTAMP_OUT_OF_TOLERANCE', fn () => Webhook::verify(self::PAYLOAD, self::headers(), self::SECRET, now: $t + 301));
        self::refused('WEBHOOK_TIMESTAMP_OUT_OF_TOLERANCE', fn () => Webhook::verify(self::PAYLOAD, self::headers(), self::SECRET, now: $t - 301));
        self::refused('WEBHOOK_TIMESTAMP_OUT_OF_TOLERANCE', fn () => Webhook::verify(self::PAYLOAD, self::headers(), self::SECRET));
        self::refused('WEBHOOK_TIMESTAMP_INVALID', fn () => Webhook::verify(self::PAYLOAD, self::headers(self::SIGNATURE, '1614265330.0'), self::SECRET, now: $t));
        self::refused('WEBHOOK_HEADERS_MISSING', fn () => Webhook::verify(self::PAYLOAD, ['webhook-id' => self::ID], self::SECRET, now: $t));
        self::refused('WEBHOOK_SECRET_INVALID', fn () => Webhook::verify(self::PAYLOAD, self::headers(), 'whsec_***', now: $t));
    }

    public function testASignedBodyThatIsNotJsonIsRefused(): void
    {
        $signature = Webhook::sign('not json', self::SECRET, self::ID, self::TIMESTAMP);
        self::refused('WEBHOOK_PAYLOAD_INVALID', fn () => Webhook::verify('not json', self::headers($signature), self::SECRET, now: self::TIMESTAMP));
    }
}
