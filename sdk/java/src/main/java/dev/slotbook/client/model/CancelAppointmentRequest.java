package dev.slotbook.client.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How to cancel: a reason (10 feeling better, 20 condition worse, 30 sick, 40 away, 50 other,
 * 60 work), a note, the later occurrences of the series too, and the version you read.
 */
public class CancelAppointmentRequest {
    private final Map<String, Object> fields = new LinkedHashMap<>();
    private String ifMatch;
    private String idempotencyKey;

    public CancelAppointmentRequest reason(int cancellationReason) {
        fields.put("cancellationReason", cancellationReason);
        return this;
    }

    public CancelAppointmentRequest note(String cancellationNote) {
        fields.put("cancellationNote", cancellationNote);
        return this;
    }

    /** Also cancel the later occurrences of its series (one credit back each). */
    public CancelAppointmentRequest applyToRepeats(boolean applyToRepeats) {
        fields.put("applyToRepeats", applyToRepeats);
        return this;
    }

    public CancelAppointmentRequest ifMatch(int version) {
        this.ifMatch = "\"" + version + "\"";
        return this;
    }

    /** An ETag the API sent (e.g. {@code "3"} with its quotes), or {@code *}. */
    public CancelAppointmentRequest ifMatch(String entityTag) {
        this.ifMatch = entityTag;
        return this;
    }

    public CancelAppointmentRequest idempotencyKey(String idempotencyKey) {
        this.idempotencyKey = idempotencyKey;
        return this;
    }

    public String getIfMatch() {
        return ifMatch;
    }

    public String getIdempotencyKey() {
        return idempotencyKey;
    }

    /** The JSON body; empty when only the version or the key is given. */
    public Map<String, Object> toMap() {
        return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }
}
