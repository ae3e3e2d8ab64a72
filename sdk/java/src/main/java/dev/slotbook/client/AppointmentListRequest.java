package dev.slotbook.client;

import dev.slotbook.client.model.Appointment;
import dev.slotbook.client.model.AppointmentPage;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * A listing of appointments: chain filters, then {@link #execute()}. It is also the page it
 * selects: reading it ({@code getTotalElements()}, {@code getAppointments()}, ...) sends the
 * request once, so {@code AppointmentPage page = client.appointments().list();} is the first
 * page of all appointments. Changing a filter afterwards makes the next read ask again.
 */
public final class AppointmentListRequest extends AppointmentPage {
    private final transient Http http;
    private final transient Map<String, Object> filters = new LinkedHashMap<>();
    private final transient List<String> q = new ArrayList<>();
    private transient AppointmentPage fetched;

    AppointmentListRequest(Http http) {
        this.http = http;
    }

    private AppointmentListRequest filter(String name, Object value) {
        if (value == null) {
            filters.remove(name);
        } else {
            filters.put(name, value);
        }
        fetched = null;
        return this;
    }

    /** SCHEDULED, CONFIRMED, CHECKED_IN, COMPLETED, CANCELLED or MISSED. */
    public AppointmentListRequest status(String status) {
        return filter("status", status);
    }

    public AppointmentListRequest departmentId(long departmentId) {
        return filter("departmentId", departmentId);
    }

    public AppointmentListRequest externalUserId(String externalUserId) {
        return filter("externalUserId", externalUserId);
    }

    /** Appointments from this wall-clock time on. */
    public AppointmentListRequest startDate(LocalDateTime startDate) {
        return filter("startDate", startDate);
    }

    public AppointmentListRequest startDate(OffsetDateTime startDate) {
        return filter("startDate", startDate);
    }

    /** ISO 8601 text, e.g. {@code 2027-02-01T00:00:00}. */
    public AppointmentListRequest startDate(String startDate) {
        return filter("startDate", startDate);
    }

    /** Appointments up to this wall-clock time. */
    public AppointmentListRequest endDate(LocalDateTime endDate) {
        return filter("endDate", endDate);
    }

    public AppointmentListRequest endDate(OffsetDateTime endDate) {
        return filter("endDate", endDate);
    }

    public AppointmentListRequest endDate(String endDate) {
        return filter("endDate", endDate);
    }

    public AppointmentListRequest workerId(long workerId) {
        return filter("workerId", workerId);
    }

    public AppointmentListRequest clientId(long clientId) {
        return filter("clientId", clientId);
    }

    public AppointmentListRequest patientId(long patientId) {
        return filter("patientId", patientId);
    }

    public AppointmentListRequest appointmentTypeId(long appointmentTypeId) {
        return filter("appointmentTypeId", appointmentTypeId);
    }

    public AppointmentListRequest isUrgent(boolean isUrgent) {
        return filter("isUrgent", isUrgent);
    }

    /** True: only the archived ones (they are left out otherwise). */
    public AppointmentListRequest archived(boolean archived) {
        return filter("archived", archived);
    }

    /** False: only those from now on. */
    public AppointmentListRequest includePast(boolean includePast) {
        return filter("includePast", includePast);
    }

    /** A filter {@code field:op value} (op one of = > >= < <= ~), e.g. {@code name:~dupont}. */
    public AppointmentListRequest q(String condition) {
        q.add(condition);
        fetched = null;
        return this;
    }

    /** {@code field:asc} or {@code field:desc}, comma separated, e.g. {@code dateTime:desc}. */
    public AppointmentListRequest sort(String sort) {
        return filter("sort", sort);
    }

    /** The page, from 0. */
    public AppointmentListRequest page(int page) {
        return filter("page", page);
    }

    /** Appointments per page (default 20, at most 100). */
    public AppointmentListRequest size(int size) {
        return filter("size", size);
    }

    /** Sends the request and returns the page. */
    public AppointmentPage execute() {
        return fetch(filters);
    }

    /**
     * Every appointment the filters select, fetching page after page as you iterate (from the
     * page set, else the first). Pages are counted by offset: an appointment created or
     * cancelled meanwhile can shift the pages after it.
     */
    public Iterable<Appointment> all() {
        Map<String, Object> start = new LinkedHashMap<>(filters);
        start.putIfAbsent("page", 0);
        start.putIfAbsent("size", 100);
        return () -> new Iterator<>() {
            private AppointmentPage current = fetch(start);
            private Iterator<Appointment> items = current.getAppointments().iterator();

            @Override
            public boolean hasNext() {
                while (!items.hasNext()) {
                    if (current.isLast() || current.getAppointments().isEmpty()) {
                        return false;
                    }
                    Map<String, Object> next = new LinkedHashMap<>(start);
                    next.put("page", current.getPage() + 1);
                    current = fetch(next);
                    items = current.getAppointments().iterator();
                }
                return true;
            }

            @Override
            public Appointment next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return items.next();
            }
        };
    }

    private AppointmentPage fetch(Map<String, Object> params) {
        Call call = new Call("GET", Appointments.PATH);
        params.forEach(call::param);
        for (String condition : q) {
            call.param("q[]", condition);
        }
        return Json.convert(http.send(call), AppointmentPage.class);
    }

    private AppointmentPage page() {
        if (fetched == null) {
            fetched = execute();
        }
        return fetched;
    }

    @Override
    public List<Appointment> getAppointments() {
        return page().getAppointments();
    }

    @Override
    public int getPage() {
        return page().getPage();
    }

    @Override
    public int getSize() {
        return page().getSize();
    }

    @Override
    public long getTotalElements() {
        return page().getTotalElements();
    }

    @Override
    public int getTotalPages() {
        return page().getTotalPages();
    }

    @Override
    public boolean isLast() {
        return page().isLast();
    }

    @Override
    public Map<String, Object> toMap() {
        return page().toMap();
    }

    @Override
    public Object get(String name) {
        return page().get(name);
    }

    @Override
    public boolean equals(Object other) {
        return this == other;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }

    @Override
    public String toString() {
        return page().toString();
    }
}
