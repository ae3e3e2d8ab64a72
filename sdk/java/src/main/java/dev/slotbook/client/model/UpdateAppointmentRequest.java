package dev.slotbook.client.model;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A change of an appointment ({@code PATCH}): only the fields you set are sent. A new {@code
 * dateTime}, {@code workerId} or {@code appointmentTypeId} reschedules it under the booking
 * rules, atomically (refused, the old time is kept). {@code notes(null)} clears the notes.
 */
public class UpdateAppointmentRequest {
    private final Map<String, Object> fields = new LinkedHashMap<>();
    private String ifMatch;
    private String idempotencyKey;

    private UpdateAppointmentRequest set(String name, Object value) {
        fields.put(name, value);
        return this;
    }

    public UpdateAppointmentRequest dateTime(LocalDateTime dateTime) {
        return set("dateTime", DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(dateTime));
    }

    public UpdateAppointmentRequest dateTime(OffsetDateTime dateTime) {
        return set("dateTime", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(dateTime));
    }

    public UpdateAppointmentRequest dateTime(String dateTime) {
        return set("dateTime", dateTime);
    }

    public UpdateAppointmentRequest workerId(long workerId) {
        return set("workerId", workerId);
    }

    public UpdateAppointmentRequest appointmentTypeId(long appointmentTypeId) {
        return set("appointmentTypeId", appointmentTypeId);
    }

    public UpdateAppointmentRequest notes(String notes) {
        return set("notes", notes);
    }

    public UpdateAppointmentRequest reason(String reason) {
        return set("reason", reason);
    }

    public UpdateAppointmentRequest isUrgent(boolean isUrgent) {
        return set("isUrgent", isUrgent);
    }

    public UpdateAppointmentRequest telehealthUrl(String telehealthUrl) {
        return set("telehealthUrl", telehealthUrl);
    }

    /** Also change the later occurrences of its series. */
    public UpdateAppointmentRequest applyToRepeats(boolean applyToRepeats) {
        return set("applyToRepeats", applyToRepeats);
    }

    /**
     * The {@code version} you read: if someone changed the appointment since, the call throws
     * PreconditionFailedException and changes nothing.
     */
    public UpdateAppointmentRequest ifMatch(int version) {
        this.ifMatch = "\"" + version + "\"";
        return this;
    }

    /** An ETag the API sent (e.g. {@code "3"} with its quotes), or {@code *}. */
    public UpdateAppointmentRequest ifMatch(String entityTag) {
        this.ifMatch = entityTag;
        return this;
    }

    public UpdateAppointmentRequest idempotencyKey(String idempotencyKey) {
        this.idempotencyKey = idempotencyKey;
        return this;
    }

    public String getIfMatch() {
        return ifMatch;
    }

    public String getIdempotencyKey() {
        return idempotencyKey;
    }

    /** The JSON body; a null value means "set to null". */
    public Map<String, Object> toMap() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }
}
