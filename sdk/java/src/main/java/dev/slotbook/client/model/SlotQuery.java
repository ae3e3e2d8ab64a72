package dev.slotbook.client.model;

import java.time.LocalDate;

/**
 * Which free slots to list: a department, optionally an appointment type (its duration) and a
 * worker, between two local dates (by default 7 days from today, at most 62).
 */
public class SlotQuery {
    private final long departmentId;
    private Long appointmentTypeId;
    private Long workerId;
    private LocalDate startDate;
    private LocalDate endDate;

    public SlotQuery(long departmentId) {
        this.departmentId = departmentId;
    }

    public SlotQuery appointmentTypeId(long appointmentTypeId) {
        this.appointmentTypeId = appointmentTypeId;
        return this;
    }

    public SlotQuery workerId(long workerId) {
        this.workerId = workerId;
        return this;
    }

    public SlotQuery startDate(LocalDate startDate) {
        this.startDate = startDate;
        return this;
    }

    public SlotQuery endDate(LocalDate endDate) {
        this.endDate = endDate;
        return this;
    }

    public long getDepartmentId() {
        return departmentId;
    }

    public Long getAppointmentTypeId() {
        return appointmentTypeId;
    }

    public Long getWorkerId() {
        return workerId;
    }

    public LocalDate getStartDate() {
        return startDate;
    }

    public LocalDate getEndDate() {
        return endDate;
    }
}
