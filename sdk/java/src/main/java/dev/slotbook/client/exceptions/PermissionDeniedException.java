package dev.slotbook.client.exceptions;

import java.util.List;
import java.util.Map;

/** 403: the key lacks a scope, or the resource belongs to another organization. */
public class PermissionDeniedException extends SlotbookException {
    private static final long serialVersionUID = 1L;

    public PermissionDeniedException(
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
