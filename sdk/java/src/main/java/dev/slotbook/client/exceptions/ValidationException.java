package dev.slotbook.client.exceptions;

import java.util.List;
import java.util.Map;

/** 400 or 422: the request is invalid; {@link #getDetails()} lists the fields at fault. */
public class ValidationException extends SlotbookException {
    private static final long serialVersionUID = 1L;

    public ValidationException(
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
