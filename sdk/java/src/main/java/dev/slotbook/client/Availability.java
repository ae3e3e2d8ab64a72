package dev.slotbook.client;

import dev.slotbook.client.model.SlotList;
import dev.slotbook.client.model.SlotQuery;

/** {@code client.availability()}: the free slots of a department. */
public final class Availability {
    private final Http http;

    Availability(Http http) {
        this.http = http;
    }

    /**
     * Free start times between two local dates (default: 7 days from today), with their UTC
     * offset, the workers free then and the places left.
     */
    public SlotList slots(SlotQuery query) {
        Call call = new Call("GET", Appointments.PATH + "/available-slots")
                .param("departmentId", query.getDepartmentId())
                .param("appointmentTypeId", query.getAppointmentTypeId())
                .param("workerId", query.getWorkerId())
                .param("startDate", query.getStartDate())
                .param("endDate", query.getEndDate());
        return Json.convert(http.send(call), SlotList.class);
    }

    /** The free slots of a department in the next 7 days. */
    public SlotList slots(long departmentId) {
        return slots(new SlotQuery(departmentId));
    }
}
