package dev.slotbook.client.model;

import dev.slotbook.client.Json;
import java.time.OffsetDateTime;
import java.util.Map;

/**
 * A verified webhook delivery: {@code id} (also the {@code webhook-id} header: ignore
 * duplicates by it), {@code type} (e.g. {@code appointment.created}), {@code timestamp} and
 * {@code data}.
 */
public class WebhookEvent extends Model {
    private String id;
    private String type;
    private OffsetDateTime timestamp;
    private Map<String, Object> data;

    public String getId() {
        return id;
    }

    public String getType() {
        return type;
    }

    public OffsetDateTime getTimestamp() {
        return timestamp;
    }

    public Map<String, Object> getData() {
        return data == null ? Map.of() : data;
    }

    /** {@code data.appointment} as an Appointment, or null for other events. */
    public Appointment getAppointment() {
        Object appointment = getData().get("appointment");
        return appointment == null ? null : Json.MAPPER.convertValue(appointment, Appointment.class);
    }
}
