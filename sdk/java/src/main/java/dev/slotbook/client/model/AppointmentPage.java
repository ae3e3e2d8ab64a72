package dev.slotbook.client.model;

import java.util.List;

/** One page of {@code GET /api/v1/appointments}; pages count from 0. */
public class AppointmentPage extends Model {
    private List<Appointment> appointments;
    private Integer page;
    private Integer size;
    private Long totalElements;
    private Integer totalPages;
    private Boolean isLast;

    public List<Appointment> getAppointments() {
        return appointments == null ? List.of() : List.copyOf(appointments);
    }

    public int getPage() {
        return page == null ? 0 : page;
    }

    public int getSize() {
        return size == null ? 0 : size;
    }

    public long getTotalElements() {
        return totalElements == null ? 0 : totalElements;
    }

    public int getTotalPages() {
        return totalPages == null ? 0 : totalPages;
    }

    /** True on the last page (also when there is no appointment at all). */
    public boolean isLast() {
        return isLast == null || isLast;
    }
}
