package dev.slotbook.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slotbook.client.exceptions.AuthenticationException;
import dev.slotbook.client.exceptions.BookingRuleException;
import dev.slotbook.client.exceptions.ConflictException;
import dev.slotbook.client.exceptions.InsufficientCreditsException;
import dev.slotbook.client.exceptions.NotFoundException;
import dev.slotbook.client.exceptions.PreconditionFailedException;
import dev.slotbook.client.exceptions.ValidationException;
import dev.slotbook.client.model.Appointment;
import dev.slotbook.client.model.AppointmentPage;
import dev.slotbook.client.model.CancelAppointmentRequest;
import dev.slotbook.client.model.CreateAppointmentRequest;
import dev.slotbook.client.model.Slot;
import dev.slotbook.client.model.SlotQuery;
import dev.slotbook.client.model.UpdateAppointmentRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/** Booking, reading, listing, rescheduling and cancelling on the live server. */
@Order(2)
class AppointmentsTest {
    private final SlotbookClient client = Live.client();

    private static String person() {
        return "java_" + UUID.randomUUID();
    }

    /** Books {@code count} appointments with worker 42 at distinct free slots. */
    private List<Appointment> book(String externalUserId, int count) {
        List<Slot> slots = Live.freeSlots(client, new SlotQuery(5).workerId(42));
        List<Appointment> booked = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            booked.add(client.appointments().create(new CreateAppointmentRequest()
                    .departmentId(5)
                    .workerId(42)
                    .dateTime(slots.get(i * 2).getStart())
                    .name("Person " + i)
                    .externalUserId(externalUserId)));
        }
        return booked;
    }

    @Test
    void createReturnsTheTypedAppointmentThatGetReadsAgain() {
        Slot slot = Live.freeSlots(client, new SlotQuery(5)).get(0);
        String who = person();
        Appointment made = client.appointments().create(new CreateAppointmentRequest()
                .departmentId(5)
                .dateTime(slot.getStart().toLocalDateTime())
                .name("Mariam Touré")
                .externalUserId(who)
                .notes("Bring the old passport"));
        assertNotNull(made.getId());
        assertEquals("Mariam Touré", made.getName());
        assertEquals(5L, made.getDepartmentId());
        assertEquals("Passport Service", made.getDepartmentName());
        assertEquals("SCHEDULED", made.getStatus());
        assertEquals("Africa/Conakry", made.getTimeZone());
        assertEquals(slot.getStart().toInstant(), made.getStart().toInstant());
        assertEquals(who, made.getExternalUserId());
        assertEquals("Bring the old passport", made.getNotes());
        assertFalse(made.getQrCode().isEmpty());
        assertNotNull(made.getCreatedAt());
        assertNotNull(made.getVersion());
        assertEquals(made.getName(), made.get("name"));
        assertEquals(made, client.appointments().get(made.getId()));
    }

    @Test
    void listFiltersPagesAndIteratesEveryPage() {
        String who = person();
        List<Appointment> booked = book(who, 3);
        List<Long> ids = booked.stream().map(Appointment::getId).toList();

        AppointmentPage first = client.appointments().list().externalUserId(who).size(2).execute();
        assertEquals(3, first.getTotalElements());
        assertEquals(2, first.getTotalPages());
        assertEquals(2, first.getAppointments().size());
        assertFalse(first.isLast());
        AppointmentPage second = client.appointments().list().externalUserId(who).size(2).page(1).execute();
        assertEquals(1, second.getAppointments().size());
        assertTrue(second.isLast());

        List<Long> walked = new ArrayList<>();
        for (Appointment apt : client.appointments().list().externalUserId(who).size(1).all()) {
            walked.add(apt.getId());
        }
        assertEquals(ids, walked);

        // Read lazily: the request is sent when the page is first read.
        AppointmentPage lazy = client.appointments().list().externalUserId(who).departmentId(5L);
        assertEquals(3, lazy.getTotalElements());

        AppointmentPage later = client.appointments().list()
                .externalUserId(who)
                .startDate(booked.get(1).getDateTime())
                .execute();
        assertEquals(ids.subList(1, 3), later.getAppointments().stream().map(Appointment::getId).toList());
        AppointmentPage newestFirst = client.appointments().list()
                .externalUserId(who).sort("dateTime:desc").q("name:~person 2").execute();
        assertEquals(List.of(ids.get(2)), newestFirst.getAppointments().stream().map(Appointment::getId).toList());
        AppointmentPage cancelled = client.appointments().list().externalUserId(who).status("CANCELLED").execute();
        assertEquals(0, cancelled.getTotalElements());
    }

    @Test
    void theMapFormsTakeAndGiveTheApisFields() {
        Slot slot = Live.freeSlots(client, new SlotQuery(8)).get(0);
        String who = person();
        Map<String, Object> data = new HashMap<>();
        data.put("departmentId", 8);
        data.put("dateTime", slot.getStart().toLocalDateTime().toString());
        data.put("name", "Jean Dupont");
        data.put("externalUserId", who);
        Map<String, Object> made = client.appointments.create(data);
        assertInstanceOf(Number.class, made.get("id"));
        assertEquals("Jean Dupont", made.get("name"));
        assertEquals(8, ((Number) made.get("departmentId")).intValue());

        Map<String, Object> page = client.appointments.list(Map.of("externalUserId", who, "size", 5));
        assertEquals(1, ((Number) page.get("totalElements")).intValue());
        List<?> items = (List<?>) page.get("appointments");
        assertEquals(made.get("id"), ((Map<?, ?>) items.get(0)).get("id"));
    }

    @Test
    void rescheduleMovesOrKeepsTheOldTime() {
        List<Slot> slots = Live.freeSlots(client, new SlotQuery(5).workerId(42));
        String who = person();
        Appointment a = client.appointments().create(new CreateAppointmentRequest()
                .departmentId(5).workerId(42).dateTime(slots.get(0).getStart()).name("A").externalUserId(person()));
        Appointment b = client.appointments().create(new CreateAppointmentRequest()
                .departmentId(5).workerId(42).dateTime(slots.get(1).getStart()).name("B").externalUserId(who));

        BookingRuleException taken = assertThrows(
                BookingRuleException.class,
                () -> client.appointments().reschedule(b.getId(), a.getDateTime()));
        assertEquals("SLOT_UNAVAILABLE", taken.getRule());
        assertEquals(409, taken.getStatus());
        assertEquals(b.getDateTime(), client.appointments().get(b.getId()).getDateTime());

        Slot free = slots.get(slots.size() - 1);
        Appointment moved = client.appointments().reschedule(b.getId(), free.getStart().toLocalDateTime());
        assertEquals(free.getStart().toLocalDateTime(), moved.getDateTime());
        assertEquals(42L, moved.getWorkerId());
    }

    @Test
    void updateUnderTheVersionReadAndOnlyThen() {
        Appointment made = book(person(), 1).get(0);
        Appointment noted = client.appointments().update(
                made.getId(), new UpdateAppointmentRequest().notes("First floor").ifMatch(made.getVersion()));
        assertEquals("First floor", noted.getNotes());
        assertEquals(made.getDateTime(), noted.getDateTime());

        PreconditionFailedException stale = assertThrows(
                PreconditionFailedException.class,
                () -> client.appointments().update(
                        made.getId(), new UpdateAppointmentRequest().notes("Lost").ifMatch(made.getVersion())));
        assertInstanceOf(ConflictException.class, stale);
        assertEquals(412, stale.getStatus());
        assertEquals("VERSION_MISMATCH", stale.getCode());

        Appointment cleared = client.appointments().update(made.getId(), new UpdateAppointmentRequest().notes(null));
        assertNull(cleared.getNotes());
    }

    @Test
    void cancelRefundsTheCreditOnce() {
        Appointment made = book(person(), 1).get(0);
        int before = client.credits().get().getBalance();
        Appointment cancelled = client.appointments().cancel(made.getId());
        assertEquals("CANCELLED", cancelled.getStatus());
        assertEquals(before + 1, client.credits().get().getBalance());
        assertEquals("CANCELLED", client.appointments().cancel(made.getId()).getStatus());
        assertEquals(before + 1, client.credits().get().getBalance());
    }

    @Test
    void cancelWithAReasonAndANote() {
        Appointment made = book(person(), 1).get(0);
        Appointment cancelled = client.appointments().cancel(
                made.getId(), new CancelAppointmentRequest().reason(30).note("Has the flu"));
        assertEquals("CANCELLED", cancelled.getStatus());
        assertEquals(30, cancelled.getCancellationReason());
        assertEquals("Has the flu", cancelled.getCancellationNote());
        assertNotNull(cancelled.getCancelledAt());
    }

    @Test
    void aGivenIdempotencyKeyBooksOnce() {
        Slot slot = Live.freeSlots(client, new SlotQuery(8)).get(1);
        String who = person();
        String key = UUID.randomUUID().toString();
        int before = client.credits().get().getBalance();
        CreateAppointmentRequest request = new CreateAppointmentRequest()
                .departmentId(8).dateTime(slot.getStart()).name("Once").externalUserId(who).idempotencyKey(key);
        Appointment first = client.appointments().create(request);
        Appointment again = client.appointments().create(request);
        assertEquals(first.getId(), again.getId());
        assertEquals(before - 1, client.credits().get().getBalance());
        assertEquals(1, client.appointments().list().externalUserId(who).getTotalElements());
    }

    @Test
    void refusalsAreTypedWithTheApisCode() {
        NotFoundException missing = assertThrows(NotFoundException.class, () -> client.appointments().get(987654321L));
        assertEquals("APPOINTMENT_NOT_FOUND", missing.getCode());
        assertEquals(404, missing.getStatus());

        ValidationException invalid = assertThrows(
                ValidationException.class,
                () -> client.appointments().create(new CreateAppointmentRequest().departmentId(5).name("No time")));
        assertEquals("INVALID_REQUEST", invalid.getCode());
        assertEquals(400, invalid.getStatus());
        assertEquals("dateTime", invalid.getDetails().get(0).get("field"));

        SlotbookClient stranger = SlotbookClient.builder().apiKey("sb_live_not_a_key").build();
        AuthenticationException unknown = assertThrows(AuthenticationException.class, () -> stranger.departments().list());
        assertEquals(401, unknown.getStatus());
    }

    @Test
    void anOrganizationWithoutCreditsCannotBook() {
        long department = Long.parseLong(Live.required("SLOTBOOK_TEST_EMPTY_DEPARTMENT"));
        SlotbookClient empty = SlotbookClient.builder().apiKey(Live.required("SLOTBOOK_TEST_EMPTY_API_KEY")).build();
        Slot slot = Live.freeSlots(empty, new SlotQuery(department)).get(0);
        InsufficientCreditsException refused = assertThrows(
                InsufficientCreditsException.class,
                () -> empty.appointments().create(new CreateAppointmentRequest()
                        .departmentId(department).dateTime(slot.getStart()).name("Nobody")));
        assertEquals("INSUFFICIENT_CREDITS", refused.getCode());
        assertEquals(402, refused.getStatus());
        assertEquals(0, empty.credits().get().getBalance());
        assertEquals(0, empty.appointments().list().getTotalElements());
    }
}
