<?php

declare(strict_types=1);

namespace Slotbook;

use Slotbook\Exception\WebhookVerificationException;

/**
 * Verify the Standard Webhooks signature of a delivery Slotbook sent to your endpoint: the
 * headers webhook-id, webhook-timestamp (Unix seconds) and webhook-signature, a space-separated
 * list of "v1,<base64 HMAC-SHA256>" of "{id}.{timestamp}.{body}" under the endpoint's secret
 * ("whsec_" + base64). Several signatures appear while a secret is rotated.
 */
final class Webhook
{
    public const DEFAULT_TOLERANCE = 300;
    private const SECRET_PREFIX = 'whsec_';

    /**
     * Check a delivery and return its JSON body (the event: type, timestamp, data).
     * $payload is the raw request body (file_get_contents('php://input')); $headers the
     * request headers, as getallheaders() or $_SERVER give them.
     *
     * @param array<string, string|list<string>> $headers
     * @throws WebhookVerificationException
     */
    public static function verify(
        string $payload,
        array $headers,
        string $secret,
        int $tolerance = self::DEFAULT_TOLERANCE,
        ?int $now = null,
    ): Record {
        $named = self::normalise($headers);
        $id = $named['webhook-id'] ?? '';
        $timestamp = $named['webhook-timestamp'] ?? '';
        $signatures = $named['webhook-signature'] ?? '';
        if ($id === '' || $timestamp === '' || $signatures === '') {
            throw new WebhookVerificationException(
                'webhook-id, webhook-timestamp and webhook-signature are required',
                'WEBHOOK_HEADERS_MISSING',
            );
        }
        if (!ctype_digit($timestamp)) {
            throw new WebhookVerificationException('webhook-timestamp is not Unix seconds', 'WEBHOOK_TIMESTAMP_INVALID');
        }
        if (abs(($now ?? time()) - (int) $timestamp) > $tolerance) {
            throw new WebhookVerificationException(
                "webhook-timestamp is more than $tolerance s away from now (replay?)",
                'WEBHOOK_TIMESTAMP_OUT_OF_TOLERANCE',
            );
        }
        // The signed content uses the header as sent, so a reformatted timestamp cannot match.
        $expected = self::digest(self::key($secret), $id, $timestamp, $payload);
        $matched = false;
        foreach (explode(' ', $signatures) as $candidate) {
            [$version, $value] = array_pad(explode(',', $candidate, 2), 2, '');
            $given = $version === 'v1' ? base64_decode($value, true) : false;
            // Every candidate is compared, in constant time, so timing tells nothing.
            if ($given !== false && hash_equals($expected, $given)) {
                $matched = true;
            }
        }
        if (!$matched) {
            throw new WebhookVerificationException('No webhook signature matches the payload', 'WEBHOOK_SIGNATURE_MISMATCH');
        }
        try {
            $event = Record::wrap(json_decode($payload, false, 512, JSON_THROW_ON_ERROR));
        } catch (\JsonException) {
            $event = null;
        }
        if (!$event instanceof Record) {
            throw new WebhookVerificationException('The webhook body is not a JSON object', 'WEBHOOK_PAYLOAD_INVALID');
        }
        return $event;
    }

    /** The webhook-signature value for $payload (to test your receiving code). */
    public static function sign(string $payload, string $secret, string $webhookId, int $timestamp): string
    {
        return 'v1,' . base64_encode(self::digest(self::key($secret), $webhookId, (string) $timestamp, $payload));
    }

    private static function key(string $secret): string
    {
        $encoded = str_starts_with($secret, self::SECRET_PREFIX) ? substr($secret, strlen(self::SECRET_PREFIX)) : $secret;
        $key = base64_decode($encoded, true);
        if ($key === false) {
            throw new WebhookVerificationException('The webhook secret is not base64 (expected whsec_...)', 'WEBHOOK_SECRET_INVALID');
        }
        if ($key === '') {
            throw new WebhookVerificationException('The webhook secret is empty', 'WEBHOOK_SECRET_INVALID');
        }
        return $key;
    }

    private static function digest(string $key, string $id, string $timestamp, string $payload): string
    {
        return hash_hmac('sha256', "$id.$timestamp.$payload", $key, true);
    }

    /**
     * @param array<string, string|list<string>> $headers
     * @return array<string, string> lower-case names with dashes ($_SERVER's HTTP_WEBHOOK_ID too)
     */
    private static function normalise(array $headers): array
    {
        $named = [];
        foreach ($headers as $name => $value) {
            $name = strtolower((string) $name);
            if (str_starts_with($name, 'http_')) {
                $name = str_replace('_', '-', substr($name, 5));
            }
            $named[$name] = is_array($value) ? implode(' ', $value) : (string) $value;
        }
        return $named;
    }
}
