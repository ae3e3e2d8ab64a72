// The moncreneau documents' "DELETE /appointments/{id}" snippet as written; only the imports
// and the key differ.
import dev.slotbook.client.ApiClient;
import dev.slotbook.client.model.Appointment;

public class CancelAppointment {
    public static void main(String[] args) {
        ApiClient client = new ApiClient(System.getenv("SLOTBOOK_API_KEY"));
        Appointment cancelled = client.appointments().cancel(123L);

        System.out.println("Appointment cancelled");
        System.out.println("New status: " + cancelled.getStatus());
        System.out.println("1 credit refunded");
    }
}
