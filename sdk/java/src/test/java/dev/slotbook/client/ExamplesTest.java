package dev.slotbook.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The examples of sdk/examples, run as a reader runs them. The documents' snippets come first
 * and in their order: the booking of appointment 123, reading it, listing, cancelling it.
 */
@Order(1)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExamplesTest {
    @Test
    @Order(1)
    void createAppointmentBooksTheDocumentsAppointment123() throws Throwable {
        Live.Output output = Live.runExample("CreateAppointment");
        assertEquals("", output.err);
        assertTrue(output.out.contains("Appointment created with ID: 123\n"), output.out);
        Matcher qr = Pattern.compile("QR Code: (\\S+)\n").matcher(output.out);
        assertTrue(qr.find(), output.out);
    }

    @Test
    @Order(2)
    void getAppointmentReadsIt() throws Throwable {
        Live.Output output = Live.runExample("GetAppointment");
        assertEquals(
                "Status: SCHEDULED\nDate: 2026-02-15T10:00\nBeneficiary: Amadou Diallo\n", output.out);
    }

    @Test
    @Order(3)
    void listAppointmentsFiltersOnTheDocumentsCustomer() throws Throwable {
        Live.Output output = Live.runExample("ListAppointments");
        assertEquals("Total: 1\nAmadou Diallo - 2026-02-15T10:00\n", output.out);
    }

    @Test
    @Order(4)
    void cancelAppointmentCancelsIt() throws Throwable {
        int before = Live.client().credits().get().getBalance();
        Live.Output output = Live.runExample("CancelAppointment");
        assertEquals("Appointment cancelled\nNew status: CANCELLED\n1 credit refunded\n", output.out);
        assertEquals(before + 1, Live.client().credits().get().getBalance());
    }

    @Test
    @Order(5)
    void theQuickStartsMapFormBooks() throws Throwable {
        Live.Output output = Live.runExample("Example");
        Matcher created = Pattern.compile("^Appointment created: (\\d+)\n$").matcher(output.out);
        assertTrue(created.matches(), output.out);
        long id = Long.parseLong(created.group(1));
        var appointment = Live.client().appointments().get(id);
        assertEquals("Jean Dupont", appointment.getName());
        assertEquals("2026-01-25T14:30", appointment.getDateTime().toString());
        assertEquals(5L, appointment.getDepartmentId());
    }

    @Test
    @Order(6)
    void quickStartTour() throws Throwable {
        Live.Output output = Live.runExample("QuickStart");
        assertTrue(output.out.startsWith("5 Passport Service - Ministry of Interior\n"), output.out);
        assertTrue(output.out.contains("8 ID Card Service - Ministry of Interior\n"), output.out);
        assertTrue(output.out.contains("Her appointments: 1\n"), output.out);
        Matcher credits = Pattern.compile("Credits: (\\d+)\nCancelled: CANCELLED, credits: (\\d+)\n$")
                .matcher(output.out);
        assertTrue(credits.find(), output.out);
        assertEquals(Integer.parseInt(credits.group(1)) + 1, Integer.parseInt(credits.group(2)));
    }

    @Test
    @Order(7)
    void handleErrors() throws Throwable {
        Live.Output output = Live.runExample("HandleErrors");
        String[] lines = output.out.split("\n");
        assertEquals(3, lines.length, output.out);
        assertTrue(lines[0].startsWith("404 APPOINTMENT_NOT_FOUND: "), lines[0]);
        assertTrue(lines[1].startsWith("INVALID_REQUEST ["), lines[1]);
        assertTrue(lines[1].contains("dateTime"), lines[1]);
        assertTrue(lines[2].startsWith("refused by rule SLOT_UNAVAILABLE: "), lines[2]);
    }

    @Test
    @Order(8)
    void verifyWebhook() throws Throwable {
        Live.Output output = Live.runExample("VerifyWebhook");
        assertEquals(
                "appointment.created of appointment 123\n204\nrefused: WEBHOOK_SIGNATURE_MISMATCH\n400\n",
                output.out);
    }
}
