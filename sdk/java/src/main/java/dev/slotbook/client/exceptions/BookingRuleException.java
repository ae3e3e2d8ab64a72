package dev.slotbook.client.exceptions;

import java.util.List;
import java.util.Map;

/** A booking rule refused the request (409 or 422); {@link #getRule()} is its code, e.g. SLOT_UNAVAILABLE. */
public class BookingRuleException extends SlotbookException {
    private static final long serialVersionUID = 1L;

    public BookingRuleException(
            String message,
            String code,
            Integer status,
            List<Map<String, Object>> details,
            Map<String, List<String>> headers,
            Integer numericCode,
            String legacyCode,
            Throwable cause) {
        super(message, code, status, details, headers, numericCode, legacyCode, cause);
    }

    /** The rule's code (the same as {@link #getCode()}), e.g. {@code TOO_SOON}. */
    public String getRule() {
        return getCode();
    }
}
