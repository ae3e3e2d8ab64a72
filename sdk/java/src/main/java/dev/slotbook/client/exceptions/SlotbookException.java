package dev.slotbook.client.exceptions;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Any refusal or failure of the Slotbook API.
 *
 * <p>{@link #getMessage()} is the API's message and {@link #getCode()} its error code (e.g.
 * {@code INSUFFICIENT_CREDITS}). Unchecked, so a call needs no {@code throws}; catch the
 * subclass you can handle.
 */
public class SlotbookException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String code;
    private final Integer status;
    private final transient List<Map<String, Object>> details;
    private final transient Map<String, List<String>> headers;
    private final Integer numericCode;
    private final String legacyCode;

    public SlotbookException(String message, String code, Integer status) {
        this(message, code, status, List.of(), Map.of(), null, null, null);
    }

    public SlotbookException(
            String message,
            String code,
            Integer status,
            List<Map<String, Object>> details,
            Map<String, List<String>> headers,
            Integer numericCode,
            String legacyCode,
            Throwable cause) {
        super(message, cause);
        this.code = code;
        this.status = status;
        this.details = details == null ? List.of() : List.copyOf(details);
        Map<String, List<String>> named = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (headers != null) {
            named.putAll(headers);
        }
        this.headers = Collections.unmodifiableMap(named);
        this.numericCode = numericCode;
        this.legacyCode = legacyCode;
    }

    /** The API's error code, e.g. {@code APPOINTMENT_NOT_FOUND}. */
    public String getCode() {
        return code;
    }

    /** The HTTP status, or null when no answer was received (a connection failure). */
    public Integer getStatus() {
        return status;
    }

    /** Field errors of a 400/422 ({@code field}, {@code message}); empty otherwise. */
    public List<Map<String, Object>> getDetails() {
        return details;
    }

    /** The response headers, by name in any case, e.g. {@code retry-after}. */
    public Map<String, List<String>> getHeaders() {
        return headers;
    }

    /** The numeric code of the group-booking API for this refusal, when it has one. */
    public Integer getNumericCode() {
        return numericCode;
    }

    /** The name the group-booking API gives this refusal (e.g. {@code NotAvailable}). */
    public String getLegacyCode() {
        return legacyCode;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(status=" + status + ", code=" + code + "): "
                + getMessage();
    }
}
