package dev.slotbook.client.exceptions;

import java.util.List;
import java.util.Map;

/** 409: the request conflicts with the current state (e.g. INVALID_TRANSITION). */
public class ConflictException extends SlotbookException {
    private static final long serialVersionUID = 1L;

    public ConflictException(
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
