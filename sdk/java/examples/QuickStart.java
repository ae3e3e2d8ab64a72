// A tour of the SDK: departments, free slots, booking, listing, rescheduling, credits and
// cancelling. The key is $SLOTBOOK_API_KEY and the server $SLOTBOOK_BASE_URL.
import dev.slotbook.client.SlotbookClient;
import dev.slotbook.client.model.Appointment;
import dev.slotbook.client.model.AppointmentPage;
import dev.slotbook.client.model.CreateAppointmentRequest;
import dev.slotbook.client.model.Department;
import dev.slotbook.client.model.Slot;
import dev.slotbook.client.model.SlotList;
import dev.slotbook.client.model.SlotQuery;
import java.util.List;

public class QuickStart {
    public static void main(String[] args) {
        SlotbookClient client = new SlotbookClient();

        // The departments your key can book in
        for (Department department : client.departments().list()) {
            System.out.println(department.getId() + " " + department.getName()
                + " - " + department.getOrganization().getName());
        }

        // The free slots of department 5 in the next 7 days
        SlotList free = client.availability().slots(new SlotQuery(5));
        List<Slot> slots = free.getSlots();
        Slot first = slots.get(0);
        System.out.println("First free slot: " + first.getStart() + " (" + free.getTimeZone() + ")");

        // Book it: a slot's start carries its offset; a LocalDateTime is the department's time
        Appointment appointment = client.appointments().create(new CreateAppointmentRequest()
            .departmentId(5)
            .dateTime(first.getStart())
            .name("Awa Camara")
            .externalUserId("customer_777"));
        System.out.println("Booked " + appointment.getId() + " at " + appointment.getDateTime());

        // Move it to the last free slot of the week of the same worker
        Slot last = slots.stream()
            .filter(slot -> slot.getWorkerIds().contains(appointment.getWorkerId()))
            .reduce((earlier, later) -> later)
            .orElseThrow();
        Appointment moved = client.appointments()
            .reschedule(appointment.getId(), last.getStart().toLocalDateTime());
        System.out.println("Moved to " + moved.getDateTime());

        // Her appointments, every page
        AppointmentPage hers = client.appointments().list().externalUserId("customer_777").execute();
        System.out.println("Her appointments: " + hers.getTotalElements());
        for (Appointment apt : client.appointments().list().externalUserId("customer_777").all()) {
            System.out.println(apt.getId() + " " + apt.getStatus() + " " + apt.getDateTime());
        }

        System.out.println("Credits: " + client.credits().get().getBalance());
        Appointment cancelled = client.appointments().cancel(appointment.getId());
        System.out.println("Cancelled: " + cancelled.getStatus()
            + ", credits: " + client.credits().get().getBalance());
    }
}
