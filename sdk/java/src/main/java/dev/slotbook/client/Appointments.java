package dev.slotbook.client;

import dev.slotbook.client.model.Appointment;
import dev.slotbook.client.model.CancelAppointmentRequest;
import dev.slotbook.client.model.CreateAppointmentRequest;
import dev.slotbook.client.model.UpdateAppointmentRequest;
import java.time.LocalDateTime;
import java.util.Map;

/**
 * {@code client.appointments()}: book, read, list, reschedule and cancel appointments.
 *
 * <p>Each call that changes something sends an Idempotency-Key (a new UUID per call, the same
 * on its retries), so a retried booking is never booked or charged twice.
 */
public final class Appointments {
    static final String PATH = "api/v1/appointments";

    private final Http http;

    Appointments(Http http) {
        this.http = http;
    }

    /** Books an appointment (1 credit). Throws InsufficientCreditsException without credit. */
    public Appointment create(CreateAppointmentRequest request) {
        Call call = new Call("POST", PATH).body(request.toMap()).idempotencyKey(request.getIdempotencyKey());
        return Json.convert(http.send(call), Appointment.class);
    }

    /**
     * Books an appointment from a map of the API's camelCase fields ({@code departmentId},
     * {@code dateTime}, {@code name}, ...); returns the appointment as a map.
     */
    public Map<String, Object> create(Map<String, ?> data) {
        return Json.toMap(http.send(new Call("POST", PATH).body(data)));
    }

    /** One appointment by id; throws NotFoundException (APPOINTMENT_NOT_FOUND) otherwise. */
    public Appointment get(long id) {
        return Json.convert(http.send(new Call("GET", path(id))), Appointment.class);
    }

    /**
     * The first page of every appointment, or, with filters chained, the page they select:
     * {@code list().status("SCHEDULED").departmentId(5L).page(0).size(20).execute()}. The
     * request is sent when its page is first read.
     */
    public AppointmentListRequest list() {
        return new AppointmentListRequest(http);
    }

    /**
     * One page with filters given by their API names ({@code page}, {@code size}, {@code
     * status}, {@code departmentId}, {@code externalUserId}, {@code startDate}, {@code
     * endDate}, ...), as a map: {@code appointments}, {@code totalElements}, {@code isLast}...
     */
    public Map<String, Object> list(Map<String, ?> filters) {
        Call call = new Call("GET", PATH);
        filters.forEach(call::param);
        return Json.toMap(http.send(call));
    }

    /** Changes an appointment; only the fields set in {@code request} are sent. */
    public Appointment update(long id, UpdateAppointmentRequest request) {
        Call call = new Call("PATCH", path(id))
                .body(request.toMap())
                .header("If-Match", request.getIfMatch())
                .idempotencyKey(request.getIdempotencyKey());
        return Json.convert(http.send(call), Appointment.class);
    }

    /**
     * Moves an appointment to another time (wall-clock time of its department), under the
     * booking rules; refused (e.g. BookingRuleException SLOT_UNAVAILABLE), it keeps its time.
     */
    public Appointment reschedule(long id, LocalDateTime dateTime) {
        return update(id, new UpdateAppointmentRequest().dateTime(dateTime));
    }

    /** Cancels an appointment and refunds its credit; cancelling again refunds nothing. */
    public Appointment cancel(long id) {
        return Json.convert(http.send(new Call("DELETE", path(id))), Appointment.class);
    }

    /** Cancels with a reason, a note, the series, or under the version you read. */
    public Appointment cancel(long id, CancelAppointmentRequest request) {
        Map<String, Object> body = request.toMap();
        Call call = body.isEmpty()
                ? new Call("DELETE", path(id))
                : new Call("POST", path(id) + "/cancel").body(body);
        call.header("If-Match", request.getIfMatch()).idempotencyKey(request.getIdempotencyKey());
        return Json.convert(http.send(call), Appointment.class);
    }

    static String path(long id) {
        return PATH + "/" + id;
    }
}
