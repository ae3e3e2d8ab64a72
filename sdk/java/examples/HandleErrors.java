// Every refusal is a typed exception with the API's code: catch the ones you can handle.
import dev.slotbook.client.SlotbookClient;
import dev.slotbook.client.exceptions.BookingRuleException;
import dev.slotbook.client.exceptions.NotFoundException;
import dev.slotbook.client.exceptions.SlotbookException;
import dev.slotbook.client.exceptions.ValidationException;
import dev.slotbook.client.model.Appointment;
import dev.slotbook.client.model.CreateAppointmentRequest;
import dev.slotbook.client.model.Slot;
import dev.slotbook.client.model.SlotQuery;

public class HandleErrors {
    public static void main(String[] args) {
        SlotbookClient client = new SlotbookClient();

        try {
            client.appointments().get(999999L);
        } catch (NotFoundException e) {
            System.out.println(e.getStatus() + " " + e.getCode() + ": " + e.getMessage());
        }

        try {
            client.appointments().create(new CreateAppointmentRequest().departmentId(5).name("No time"));
        } catch (ValidationException e) {
            System.out.println(e.getCode() + " " + e.getDetails());
        }

        // Worker 42's first free slot, booked twice: the second time it is taken
        Slot slot = client.availability().slots(new SlotQuery(5).workerId(42)).getSlots().get(0);
        CreateAppointmentRequest request = new CreateAppointmentRequest()
            .departmentId(5).workerId(42).dateTime(slot.getStart()).name("Ousmane Keita");
        Appointment booked = client.appointments().create(request);
        try {
            client.appointments().create(request);
        } catch (BookingRuleException e) {
            System.out.println("refused by rule " + e.getRule() + ": " + e.getMessage());
        } catch (SlotbookException e) {
            System.out.println(e.getStatus() + " " + e.getCode() + ": " + e.getMessage());
        } finally {
            client.appointments().cancel(booked.getId());
        }
    }
}
