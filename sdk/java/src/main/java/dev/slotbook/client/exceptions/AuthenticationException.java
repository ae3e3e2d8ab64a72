package dev.slotbook.client.exceptions;

import java.util.List;
import java.util.Map;

/** 401: the API key is missing, unknown, revoked or expired. */
public class AuthenticationException extends SlotbookException {
    private static final long serialVersionUID = 1L;

    public AuthenticationException(
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
