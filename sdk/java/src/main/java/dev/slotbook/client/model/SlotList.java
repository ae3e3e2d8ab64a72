package dev.slotbook.client.model;

import java.time.LocalDate;
import java.util.List;

/** The free slots of a department between two local dates. */
public class SlotList extends Model {
    private Long departmentId;
    private String timeZone;
    private Long appointmentTypeId;
    private Integer durationMinutes;
    private LocalDate startDate;
    private LocalDate endDate;
    private Boolean scheduled;
    private List<Slot> slots;

    public Long getDepartmentId() {
        return departmentId;
    }

    public String getTimeZone() {
        return timeZone;
    }

    public Long getAppointmentTypeId() {
        return appointmentTypeId;
    }

    public Integer getDurationMinutes() {
        return durationMinutes;
    }

    public LocalDate getStartDate() {
        return startDate;
    }

    public LocalDate getEndDate() {
        return endDate;
    }

    /** False when the department has no hours set up (then there is no slot). */
    public boolean isScheduled() {
        return scheduled != null && scheduled;
    }

    public List<Slot> getSlots() {
        return slots == null ? List.of() : List.copyOf(slots);
    }
}
