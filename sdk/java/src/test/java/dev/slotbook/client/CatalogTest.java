package dev.slotbook.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slotbook.client.exceptions.NotFoundException;
import dev.slotbook.client.model.CreditStatement;
import dev.slotbook.client.model.Department;
import dev.slotbook.client.model.LedgerEntry;
import dev.slotbook.client.model.Slot;
import dev.slotbook.client.model.SlotList;
import dev.slotbook.client.model.SlotQuery;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/** Departments, free slots and credits on the live server (the demo organization). */
@Order(3)
class CatalogTest {
    private final SlotbookClient client = Live.client();

    @Test
    void departmentsListTheDemoOrganizations() {
        Map<Long, Department> byId = client.departments().list().stream()
                .collect(Collectors.toMap(Department::getId, d -> d));
        assertEquals(List.of(5L, 8L, 9L), byId.keySet().stream().sorted().toList());
        assertEquals("Passport Service", byId.get(5L).getName());
        assertEquals("Passport issuance", byId.get(5L).getDescription());
        assertEquals("Ministry of Interior", byId.get(8L).getOrganization().getName());
        assertEquals(1L, byId.get(8L).getOrganization().getId());
        assertTrue(byId.get(9L).isShowAdminsInBooking());
        assertFalse(byId.get(5L).isShowAdminsInBooking());
    }

    @Test
    void aDepartmentWithItsSettings() {
        Department permits = client.departments().get(9);
        assertEquals("Residence Permits", permits.getName());
        assertEquals("Africa/Conakry", permits.getTimeZone());
        assertEquals(15, permits.getSlotIntervalMinutes());
        assertEquals(60, permits.getBookingPolicy().get("maxAdvanceDays"));
        assertEquals(1440, permits.getBookingPolicy().get("minNoticeMinutes"));
        assertEquals(4, client.departments().get(8).getSlotCapacity());
        assertThrows(NotFoundException.class, () -> client.departments().get(987654));
    }

    @Test
    void freeSlotsOfOneDayOneTypeOneWorker() {
        SlotList week = client.availability().slots(8);
        assertTrue(week.isScheduled());
        assertEquals(8L, week.getDepartmentId());
        assertEquals("Africa/Conakry", week.getTimeZone());
        LocalDate day = week.getSlots().get(0).getStart().toLocalDate();

        SlotList oneDay = client.availability().slots(new SlotQuery(8).startDate(day).endDate(day));
        assertEquals(day, oneDay.getStartDate());
        assertEquals(day, oneDay.getEndDate());
        assertFalse(oneDay.getSlots().isEmpty());
        ZoneId zone = ZoneId.of(oneDay.getTimeZone());
        for (Slot slot : oneDay.getSlots()) {
            assertEquals(day, slot.getStart().atZoneSameInstant(zone).toLocalDate());
            assertTrue(slot.getEnd().isAfter(slot.getStart()));
            assertTrue(slot.getRemaining() >= 1 && slot.getRemaining() <= 4, slot.toString());
            assertTrue(slot.getWorkerIds().isEmpty(), "department 8 books its counters, not workers");
        }

        SlotList officer = client.availability().slots(new SlotQuery(9).workerId(44));
        assertFalse(officer.getSlots().isEmpty());
        assertTrue(officer.getSlots().stream().allMatch(s -> s.getWorkerIds().equals(List.of(44L))));

        SlotList typed = client.availability().slots(new SlotQuery(5).appointmentTypeId(1));
        assertEquals(1L, typed.getAppointmentTypeId());
        assertEquals(20, typed.getDurationMinutes());
        assertNull(week.getAppointmentTypeId());
    }

    @Test
    void creditsWithTheirLedger() {
        CreditStatement statement = client.credits().get();
        assertTrue(statement.getBalance() > 0);
        assertFalse(statement.getLedger().isEmpty());
        LedgerEntry newest = statement.getLedger().get(0);
        assertEquals(statement.getBalance(), newest.getBalanceAfter());
        assertTrue(List.of("GRANT", "ADJUSTMENT", "BOOKING", "REFUND").contains(newest.getReason()));

        CreditStatement one = client.credits().get(1, 1);
        assertEquals(1, one.getLedger().size());
        assertEquals(1, one.getPage());
        assertTrue(one.getTotalElements() > 1);
        assertEquals(statement.getLedger().get(1).getId(), one.getLedger().get(0).getId());
    }
}
