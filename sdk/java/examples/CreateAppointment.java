// The moncreneau documents' "POST /appointments" snippet as written; only the imports and the
// key differ. The server is $SLOTBOOK_BASE_URL.
import dev.slotbook.client.ApiClient;
import dev.slotbook.client.exceptions.InsufficientCreditsException;
import dev.slotbook.client.model.Appointment;
import dev.slotbook.client.model.CreateAppointmentRequest;
import java.time.LocalDateTime;

public class CreateAppointment {
    public static void main(String[] args) {
        ApiClient client = new ApiClient(System.getenv("SLOTBOOK_API_KEY"));

        CreateAppointmentRequest request = new CreateAppointmentRequest()
            .departmentId(5L)
            .dateTime(LocalDateTime.parse("2026-02-15T10:00:00"))
            .name("Amadou Diallo")
            .workerId(42L)
            .externalUserId("customer_12345");

        try {
            Appointment appointment = client.appointments().create(request);
            System.out.println("Appointment created with ID: " + appointment.getId());
            System.out.println("QR Code: " + appointment.getQrCode());
        } catch (InsufficientCreditsException e) {
            System.err.println("Insufficient credits: " + e.getMessage());
        }
    }
}
