package dev.slotbook.client.exceptions;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** 429 after the client's retries; {@link #getRetryAfter()} is the wait the API asked for. */
public class RateLimitException extends SlotbookException {
    private static final long serialVersionUID = 1L;

    private final Duration retryAfter;

    public RateLimitException(
            String message,
            String code,
            Integer status,
            List<Map<String, Object>> details,
            Map<String, List<String>> headers,
            Integer numericCode,
            String legacyCode,
            Throwable cause,
            Duration retryAfter) {
        super(message, code, status, details, headers, numericCode, legacyCode, cause);
        this.retryAfter = retryAfter;
    }

    /** The wait the API asked for ({@code Retry-After}), or null when it gave none. */
    public Duration getRetryAfter() {
        return retryAfter;
    }
}
