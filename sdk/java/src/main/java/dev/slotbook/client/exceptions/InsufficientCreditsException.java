package dev.slotbook.client.exceptions;

import java.util.List;
import java.util.Map;

/** 402 INSUFFICIENT_CREDITS: the organization has no credit left to book. */
public class InsufficientCreditsException extends SlotbookException {
    private static final long serialVersionUID = 1L;

    public InsufficientCreditsException(
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
}
