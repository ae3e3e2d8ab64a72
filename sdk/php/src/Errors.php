<?php

declare(strict_types=1);

namespace Slotbook;

/** The typed exception for an API error envelope {code, message, timestamp}. */
final class Errors
{
    /** Booking rule refusals and their numeric codes (SLOT_UNAVAILABLE has none). */
    public const BOOKING_RULE_CODES = [
        'SLOT_UNAVAILABLE' => null,
        'SAME_TIME_APPOINTMENT' => 12,
        'TOO_CLOSE_TO_OTHER_APPOINTMENT' => 7,
        'MAX_UPCOMING_REACHED' => 6,
        'TOO_FAR_IN_ADVANCE' => 8,
        'TOO_SOON' => 9,
        'CANCELLATION_TOO_LATE' => 10,
    ];
    /** Refusals that carry a legacy code without being booking rules. */
    private const NOT_RULE_CODES = ['EMAIL_ALREADY_EXISTS', 'EMAIL_NOT_FOUND'];
    private const CLASS_BY_STATUS = [
        400 => Exception\ValidationException::class,
        401 => Exception\AuthenticationException::class,
        402 => Exception\InsufficientCreditsException::class,
        403 => Exception\PermissionDeniedException::class,
        404 => Exception\NotFoundException::class,
        409 => Exception\ConflictException::class,
        412 => Exception\PreconditionFailedException::class,
        422 => Exception\ValidationException::class,
        429 => Exception\RateLimitException::class,
    ];

    /** @return array<string, mixed> the envelope: the native one, or the quick start's {"error": {...}} */
    public static function envelope(string $body): array
    {
        try {
            $decoded = json_decode($body, true, 512, JSON_THROW_ON_ERROR);
        } catch (\JsonException) {
            return [];
        }
        if (is_array($decoded) && isset($decoded['error']) && is_array($decoded['error'])) {
            $decoded = $decoded['error'];
        }
        return is_array($decoded) && !array_is_list($decoded) ? $decoded : [];
    }

    /** @param array<string, string> $headers lower-case names */
    public static function fromResponse(int $status, array $headers, string $body): Exception\SlotbookException
    {
        $envelope = self::envelope($body);
        $code = (string) ($envelope['code'] ?? '') ?: "HTTP_$status";
        $message = (string) ($envelope['message'] ?? '') ?: "HTTP $status";
        $details = isset($envelope['details']) && is_array($envelope['details']) ? array_values($envelope['details']) : [];
        $numeric = isset($envelope['numericCode']) && is_int($envelope['numericCode']) ? $envelope['numericCode'] : null;
        $legacy = isset($envelope['legacyCode']) && is_string($envelope['legacyCode']) ? $envelope['legacyCode'] : null;
        $marked = $numeric !== null || $legacy !== null;
        $isRule = array_key_exists($code, self::BOOKING_RULE_CODES)
            || ($marked && !in_array($code, self::NOT_RULE_CODES, true));
        if ($status >= 400 && $status < 500 && $isRule) {
            $numeric ??= self::BOOKING_RULE_CODES[$code] ?? null;
            return new Exception\BookingRuleException($message, $code, $status, $details, $headers, $numeric, $legacy);
        }
        if ($status >= 500) {
            return new Exception\ServerException($message, $code, $status, $details, $headers, $numeric, $legacy);
        }
        $class = self::CLASS_BY_STATUS[$status] ?? Exception\SlotbookException::class;
        $error = new $class($message, $code, $status, $details, $headers, $numeric, $legacy);
        if ($error instanceof Exception\RateLimitException) {
            Exception\RateLimitException::withRetryAfter($error, self::retryAfter($headers));
        }
        return $error;
    }

    /**
     * Retry-After in seconds: delta-seconds or an HTTP date (RFC 9110 §10.2.3), else null.
     *
     * @param array<string, string> $headers lower-case names
     */
    public static function retryAfter(array $headers): ?float
    {
        $value = trim($headers['retry-after'] ?? '');
        if ($value === '') {
            return null;
        }
        if (ctype_digit($value)) {
            return (float) $value;
        }
        $when = \DateTimeImmutable::createFromFormat(\DATE_RFC7231, $value);
        $now = \DateTimeImmutable::createFromFormat(\DATE_RFC7231, $headers['date'] ?? '');
        if ($when === false || $now === false) {
            return null;
        }
        return (float) max(0, $when->getTimestamp() - $now->getTimestamp());
    }
}
