// Check that a webhook delivery comes from Slotbook before acting on it.
import dev.slotbook.client.Webhooks;
import dev.slotbook.client.exceptions.WebhookVerificationException;
import dev.slotbook.client.model.WebhookEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

public class VerifyWebhook {
    // The endpoint's secret, shown once when you registered it: keep it out of your code
    static final String SECRET = System.getenv().getOrDefault(
        "SLOTBOOK_WEBHOOK_SECRET", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");

    // Your endpoint: the raw body exactly as received, and the request's headers
    static int receive(byte[] body, Map<String, String> headers) {
        try {
            WebhookEvent event = Webhooks.verify(body, headers, SECRET);
            // Deliveries may come twice: event.getId() is the same each time
            System.out.println(event.getType() + " of appointment " + event.getAppointment().getId());
            return 204;
        } catch (WebhookVerificationException e) {
            System.out.println("refused: " + e.getCode());
            return 400;
        }
    }

    public static void main(String[] args) {
        // A delivery as Slotbook sends it; Webhooks.sign makes signatures for your tests
        String id = "evt_5f0c7d2e9a8b4c3d8e1f2a3b4c5d6e7f";
        long now = Instant.now().getEpochSecond();
        byte[] body = ("{\"id\": \"" + id + "\", \"type\": \"appointment.created\", "
            + "\"timestamp\": \"2027-02-01T09:30:00Z\", \"data\": {\"appointment\": {\"id\": 123}}}")
            .getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = Map.of(
            "webhook-id", id,
            "webhook-timestamp", Long.toString(now),
            "webhook-signature", Webhooks.sign(body, SECRET, id, now));
        System.out.println(receive(body, headers));

        // The same body changed on the way is refused
        byte[] forged = new String(body, StandardCharsets.UTF_8).replace("123", "124")
            .getBytes(StandardCharsets.UTF_8);
        System.out.println(receive(forged, headers));
    }
}
