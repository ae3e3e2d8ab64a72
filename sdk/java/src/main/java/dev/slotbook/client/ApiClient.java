package dev.slotbook.client;

/**
 * {@link SlotbookClient} under the name of the moncreneau documents' Java SDK: {@code new
 * ApiClient("key")}, {@code client.appointments().create(new CreateAppointmentRequest()...)}.
 */
public class ApiClient extends SlotbookClient {
    /** A client with {@code $SLOTBOOK_API_KEY} and {@code $SLOTBOOK_BASE_URL}. */
    public ApiClient() {
        super(builder());
    }

    public ApiClient(String apiKey) {
        super(builder().apiKey(apiKey));
    }

    public ApiClient(String apiKey, String baseUrl) {
        super(builder().apiKey(apiKey).baseUrl(baseUrl));
    }

    public ApiClient(SlotbookClient.Builder options) {
        super(options);
    }
}
