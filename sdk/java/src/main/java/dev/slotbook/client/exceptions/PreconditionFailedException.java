package dev.slotbook.client.exceptions;

import java.util.List;
import java.util.Map;

/** 412 VERSION_MISMATCH: the If-Match version is outdated; read the resource again and decide. */
public class PreconditionFailedException extends ConflictException {
    private static final long serialVersionUID = 1L;

    public PreconditionFailedException(
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
