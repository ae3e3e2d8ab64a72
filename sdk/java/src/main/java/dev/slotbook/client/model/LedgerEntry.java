package dev.slotbook.client.model;

import java.time.OffsetDateTime;

/** One movement of the credit balance. */
public class LedgerEntry extends Model {
    private Long id;
    private Integer delta;
    private Integer balanceAfter;
    private String reason;
    private Long appointmentId;
    private OffsetDateTime createdAt;

    public Long getId() {
        return id;
    }

    /** -1 for a booking, +1 for its refund, any amount for a grant or an adjustment. */
    public int getDelta() {
        return delta == null ? 0 : delta;
    }

    public int getBalanceAfter() {
        return balanceAfter == null ? 0 : balanceAfter;
    }

    /** GRANT, ADJUSTMENT, BOOKING or REFUND. */
    public String getReason() {
        return reason;
    }

    public Long getAppointmentId() {
        return appointmentId;
    }

    public OffsetDateTime getCreatedAt() {
        return createdAt;
    }
}
