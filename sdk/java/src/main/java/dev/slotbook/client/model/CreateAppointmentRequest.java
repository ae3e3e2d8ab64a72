package dev.slotbook.client.model;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The body of a booking, built fluently:
 *
 * <pre>{@code
 * new CreateAppointmentRequest()
 *     .departmentId(5L)
 *     .dateTime(LocalDateTime.parse("2027-02-15T10:00:00"))
 *     .name("Amadou Diallo");
 * }</pre>
 *
 * A {@link LocalDateTime} is the department's wall-clock time; an {@link OffsetDateTime} is an
 * instant. {@code departmentId} and {@code dateTime} are required.
 */
public class CreateAppointmentRequest {
    private final Map<String, Object> fields = new LinkedHashMap<>();
    private String idempotencyKey;

    private CreateAppointmentRequest set(String name, Object value) {
        if (value == null) {
            fields.remove(name);
        } else {
            fields.put(name, value);
        }
        return this;
    }

    public CreateAppointmentRequest departmentId(long departmentId) {
        return set("departmentId", departmentId);
    }

    /** Wall-clock time of the department's time zone. */
    public CreateAppointmentRequest dateTime(LocalDateTime dateTime) {
        return set("dateTime", dateTime == null ? null : DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(dateTime));
    }

    /** An instant, with its offset. */
    public CreateAppointmentRequest dateTime(OffsetDateTime dateTime) {
        return set("dateTime", dateTime == null ? null : DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(dateTime));
    }

    /** ISO 8601 text: {@code 2027-02-15T10:00:00} (local) or with an offset. */
    public CreateAppointmentRequest dateTime(String dateTime) {
        return set("dateTime", dateTime);
    }

    /** The beneficiary's name. */
    public CreateAppointmentRequest name(String name) {
        return set("name", name);
    }

    /** The worker; required when the department has {@code showAdminsInBooking}. */
    public CreateAppointmentRequest workerId(long workerId) {
        return set("workerId", workerId);
    }

    /** Your system's identifier of the person (lists can filter on it). */
    public CreateAppointmentRequest externalUserId(String externalUserId) {
        return set("externalUserId", externalUserId);
    }

    public CreateAppointmentRequest appointmentTypeId(long appointmentTypeId) {
        return set("appointmentTypeId", appointmentTypeId);
    }

    public CreateAppointmentRequest clientId(long clientId) {
        return set("clientId", clientId);
    }

    public CreateAppointmentRequest patientId(long patientId) {
        return set("patientId", patientId);
    }

    public CreateAppointmentRequest notes(String notes) {
        return set("notes", notes);
    }

    public CreateAppointmentRequest reason(String reason) {
        return set("reason", reason);
    }

    public CreateAppointmentRequest isUrgent(boolean isUrgent) {
        return set("isUrgent", isUrgent);
    }

    public CreateAppointmentRequest source(String source) {
        return set("source", source);
    }

    public CreateAppointmentRequest telehealthUrl(String telehealthUrl) {
        return set("telehealthUrl", telehealthUrl);
    }

    /** An RFC 5545 rule (e.g. {@code FREQ=WEEKLY;COUNT=4}): books the whole series or none. */
    public CreateAppointmentRequest rrule(String rrule) {
        return set("rrule", rrule);
    }

    /** Any other field of the API, by its camelCase name. */
    public CreateAppointmentRequest field(String name, Object value) {
        return set(name, value);
    }

    /** Your own Idempotency-Key (one is generated otherwise), e.g. to retry after a restart. */
    public CreateAppointmentRequest idempotencyKey(String idempotencyKey) {
        this.idempotencyKey = idempotencyKey;
        return this;
    }

    public String getIdempotencyKey() {
        return idempotencyKey;
    }

    /** The JSON body, by camelCase name. */
    public Map<String, Object> toMap() {
        return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }
}
