package dev.slotbook.client;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter, bounded by {@code maxRetries}.
 *
 * <p>429, 502, 503, 504, a 409 {@code IDEMPOTENCY_IN_PROGRESS} and connection errors (timeouts
 * included) are retried. A {@code Retry-After} answer is waited for exactly, unless it asks for
 * longer than {@code maxRetryAfter}: then the error is thrown at once (the API's hourly window
 * can take up to an hour to reset).
 */
final class RetryPolicy {
    static final Set<Integer> RETRY_STATUSES = Set.of(429, 502, 503, 504);
    static final String IN_PROGRESS = "IDEMPOTENCY_IN_PROGRESS";
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(8);

    final int maxRetries;
    final Duration backoff;
    final Duration maxRetryAfter;

    RetryPolicy(int maxRetries, Duration backoff, Duration maxRetryAfter) {
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must be 0 or more");
        }
        this.maxRetries = maxRetries;
        this.backoff = backoff;
        this.maxRetryAfter = maxRetryAfter;
    }

    /** The delay before retry number {@code attempt + 1}: half the ceiling, plus up to half again. */
    Duration backoffDelay(int attempt) {
        double ceiling = Math.min(
                MAX_BACKOFF.toNanos(), backoff.toNanos() * Math.pow(2.0, attempt));
        long nanos = (long) (ceiling / 2 + ThreadLocalRandom.current().nextDouble() * ceiling / 2);
        return Duration.ofNanos(nanos);
    }

    /** The wait before retrying after a connection failure of attempt {@code attempt}, or null. */
    Duration afterFailure(int attempt) {
        return attempt >= maxRetries ? null : backoffDelay(attempt);
    }

    /** The wait before retrying after an answer of attempt {@code attempt}, or null when final. */
    Duration afterAnswer(int attempt, int status, Map<String, List<String>> headers, byte[] body) {
        if (attempt >= maxRetries) {
            return null;
        }
        boolean inProgress =
                status == 409 && IN_PROGRESS.equals(Errors.envelope(body).path("code").asText(null));
        if (!inProgress && !RETRY_STATUSES.contains(status)) {
            return null;
        }
        Duration asked = Errors.retryAfter(headers);
        if (asked == null) {
            return backoffDelay(attempt);
        }
        return asked.compareTo(maxRetryAfter) <= 0 ? asked : null;
    }
}
