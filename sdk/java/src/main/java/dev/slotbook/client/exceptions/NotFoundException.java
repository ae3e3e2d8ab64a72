package dev.slotbook.client.exceptions;

import java.util.List;
import java.util.Map;

/** 404: no such resource (e.g. APPOINTMENT_NOT_FOUND). */
public class NotFoundException extends SlotbookException {
    private static final long serialVersionUID = 1L;

    public NotFoundException(
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
