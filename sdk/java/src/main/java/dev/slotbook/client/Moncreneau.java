package dev.slotbook.client;

/**
 * {@link SlotbookClient} under the name of the moncreneau quick start: {@code new
 * Moncreneau("key")}, {@code client.appointments.create(map)} returning a map.
 */
public class Moncreneau extends SlotbookClient {
    /** A client with {@code $SLOTBOOK_API_KEY} and {@code $SLOTBOOK_BASE_URL}. */
    public Moncreneau() {
        super(builder());
    }

    public Moncreneau(String apiKey) {
        super(builder().apiKey(apiKey));
    }

    public Moncreneau(String apiKey, String baseUrl) {
        super(builder().apiKey(apiKey).baseUrl(baseUrl));
    }

    public Moncreneau(SlotbookClient.Builder options) {
        super(options);
    }
}
