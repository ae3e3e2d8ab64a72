package dev.slotbook.client.exceptions;

import java.util.List;
import java.util.Map;

/** 5xx: the API failed or is unavailable, after the client's retries. */
public class ServerException extends SlotbookException {
    private static final long serialVersionUID = 1L;

    public ServerException(
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
