package dev.slotbook.client;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One API operation before it becomes an HTTP request. */
final class Call {
    final String method;
    final String path; // relative to the base URL, e.g. "api/v1/appointments"
    final List<Map.Entry<String, String>> query = new ArrayList<>();
    final Map<String, String> headers = new LinkedHashMap<>();
    Object body; // serialised to JSON when not null
    String idempotencyKey;

    Call(String method, String path) {
        this.method = method;
        this.path = path;
    }

    /** Adds a query parameter unless the value is null; dates go as ISO 8601. */
    Call param(String name, Object value) {
        if (value != null) {
            query.add(Map.entry(name, Wire.text(value)));
        }
        return this;
    }

    Call body(Object body) {
        this.body = body;
        return this;
    }

    Call header(String name, String value) {
        if (value != null) {
            headers.put(name, value);
        }
        return this;
    }

    Call idempotencyKey(String key) {
        this.idempotencyKey = key;
        return this;
    }
}
