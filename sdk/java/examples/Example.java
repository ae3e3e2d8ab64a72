// The moncreneau quick start's Java SDK example as written; only the import and the key differ.
// Installation: see sdk/java/README.md (build the jar, put it and Jackson on the classpath)
import dev.slotbook.client.Moncreneau;
import java.util.HashMap;
import java.util.Map;

public class Example {
    public static void main(String[] args) {
        Moncreneau client = new Moncreneau(System.getenv("SLOTBOOK_API_KEY"));
        // Create an appointment
        Map<String, Object> data = new HashMap<>();
        data.put("departmentId", 5);
        data.put("dateTime", "2026-01-25T14:30:00");
        data.put("name", "Jean Dupont");
        Map<String, Object> appointment = client.appointments.create(data);
        System.out.println("Appointment created: " + appointment.get("id"));
    }
}
