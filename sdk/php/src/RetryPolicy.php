<?php

declare(strict_types=1);

namespace Slotbook;

/**
 * Exponential backoff with jitter, bounded by $maxRetries. 429, 502, 503, 504,
 * 409 IDEMPOTENCY_IN_PROGRESS and connection failures are retried; a Retry-After answer is
 * honoured unless it asks for more than $maxRetryAfter seconds (then the error is thrown).
 */
final class RetryPolicy
{
    private const RETRY_STATUSES = [429, 502, 503, 504];
    // The API answers 409 with this code while the first request under the same key still runs.
    private const RETRY_CODES = ['IDEMPOTENCY_IN_PROGRESS'];
    // curl failures that say the request was malformed, not that the network failed.
    private const FINAL_CURL_ERRORS = [CURLE_UNSUPPORTED_PROTOCOL, CURLE_URL_MALFORMAT];

    public function __construct(
        public readonly int $maxRetries = 2,
        public readonly float $backoff = 0.5,
        public readonly float $maxBackoff = 8.0,
        public readonly float $maxRetryAfter = 60.0,
    ) {
    }

    public function backoffDelay(int $attempt): float
    {
        $ceiling = min($this->maxBackoff, $this->backoff * 2 ** $attempt);
        return $ceiling / 2 + (mt_rand() / mt_getrandmax()) * ($ceiling / 2);
    }

    /** Seconds to wait before the next attempt, or null when $outcome is final. */
    public function delay(int $attempt, Response $outcome): ?float
    {
        if ($attempt >= $this->maxRetries) {
            return null;
        }
        if ($outcome->curlError !== 0) {
            return in_array($outcome->curlError, self::FINAL_CURL_ERRORS, true) ? null : $this->backoffDelay($attempt);
        }
        $retryable = in_array($outcome->status, self::RETRY_STATUSES, true)
            || ($outcome->status === 409
                && in_array(Errors::envelope($outcome->body)['code'] ?? null, self::RETRY_CODES, true));
        if (!$retryable) {
            return null;
        }
        $asked = Errors::retryAfter($outcome->headers);
        if ($asked === null) {
            return $this->backoffDelay($attempt);
        }
        return $asked <= $this->maxRetryAfter ? $asked : null;
    }
}
