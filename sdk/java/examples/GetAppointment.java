// The moncreneau documents' "GET /appointments/{id}" snippet as written; only the imports and
// the key differ.
import dev.slotbook.client.ApiClient;
import dev.slotbook.client.model.Appointment;

public class GetAppointment {
    public static void main(String[] args) {
        ApiClient client = new ApiClient(System.getenv("SLOTBOOK_API_KEY"));
        Appointment appointment = client.appointments().get(123L);

        System.out.println("Status: " + appointment.getStatus());
        System.out.println("Date: " + appointment.getDateTime());
        System.out.println("Beneficiary: " + appointment.getName());
    }
}
