// The moncreneau documents' "GET /appointments" snippet as written; only the imports (it uses
// Appointment without importing it) and the key differ.
import dev.slotbook.client.ApiClient;
import dev.slotbook.client.model.Appointment;
import dev.slotbook.client.model.AppointmentPage;

public class ListAppointments {
    public static void main(String[] args) {
        ApiClient client = new ApiClient(System.getenv("SLOTBOOK_API_KEY"));

        // Simple list
        AppointmentPage page = client.appointments().list();

        // With filters
        AppointmentPage filtered = client.appointments()
            .list()
            .status("SCHEDULED")
            .departmentId(5L)
            .externalUserId("customer_12345")
            .page(0)
            .size(20)
            .execute();

        System.out.println("Total: " + filtered.getTotalElements());
        for (Appointment apt : filtered.getAppointments()) {
            System.out.println(apt.getName() + " - " + apt.getDateTime());
        }
    }
}
