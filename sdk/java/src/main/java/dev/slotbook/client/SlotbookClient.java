package dev.slotbook.client;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;

/**
 * The Slotbook API.
 *
 * <pre>{@code
 * SlotbookClient client = new SlotbookClient();             // $SLOTBOOK_API_KEY, $SLOTBOOK_BASE_URL
 * SlotbookClient other = SlotbookClient.builder()
 *     .apiKey("sb_live_...").baseUrl("https://slotbook.example.org").maxRetries(3).build();
 * }</pre>
 *
 * The key defaults to {@code $SLOTBOOK_API_KEY}; the base URL to {@code $SLOTBOOK_BASE_URL},
 * else {@code http://127.0.0.1:8000}. The resources are both methods ({@code
 * client.appointments()}) and fields ({@code client.appointments}). A client is thread-safe:
 * make one and share it, it keeps its connections open.
 */
public class SlotbookClient {
    public static final String VERSION = "0.1.0";
    public static final String DEFAULT_BASE_URL = "http://127.0.0.1:8000";

    public final Appointments appointments;
    public final Departments departments;
    public final Availability availability;
    public final Credits credits;

    private final Http http;

    /** A client with {@code $SLOTBOOK_API_KEY} and {@code $SLOTBOOK_BASE_URL}. */
    public SlotbookClient() {
        this(builder());
    }

    /** A client with this key (null: {@code $SLOTBOOK_API_KEY}) and {@code $SLOTBOOK_BASE_URL}. */
    public SlotbookClient(String apiKey) {
        this(builder().apiKey(apiKey));
    }

    public SlotbookClient(String apiKey, String baseUrl) {
        this(builder().apiKey(apiKey).baseUrl(baseUrl));
    }

    protected SlotbookClient(Builder options) {
        this.http = options.http();
        this.appointments = new Appointments(http);
        this.departments = new Departments(http);
        this.availability = new Availability(http);
        this.credits = new Credits(http);
    }

    public static Builder builder() {
        return new Builder(System.getenv());
    }

    public Appointments appointments() {
        return appointments;
    }

    public Departments departments() {
        return departments;
    }

    public Availability availability() {
        return availability;
    }

    public Credits credits() {
        return credits;
    }

    /** The API root this client calls, e.g. {@code http://127.0.0.1:8000/}. */
    public String getBaseUrl() {
        return http.root().toString();
    }

    /** The options of a client; every one has a default. */
    public static final class Builder {
        private final Map<String, String> environment;
        private String apiKey;
        private String baseUrl;
        private Duration timeout = Duration.ofSeconds(30);
        private int maxRetries = 2;
        private Duration backoff = Duration.ofMillis(500);
        private Duration maxRetryAfter = Duration.ofSeconds(60);
        private HttpClient httpClient;

        Builder(Map<String, String> environment) {
            this.environment = environment;
        }

        /** Your key; default {@code $SLOTBOOK_API_KEY}. */
        public Builder apiKey(String apiKey) {
            this.apiKey = apiKey;
            return this;
        }

        /** The server; default {@code $SLOTBOOK_BASE_URL}, else {@code http://127.0.0.1:8000}. */
        public Builder baseUrl(String baseUrl) {
            this.baseUrl = baseUrl;
            return this;
        }

        /** The longest wait for each HTTP attempt (default 30 s). */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /** Retries after the first attempt (default 2; 0 disables retrying). */
        public Builder maxRetries(int maxRetries) {
            this.maxRetries = maxRetries;
            return this;
        }

        /** The first retry's delay (default 0.5 s); it doubles each time, with jitter, up to 8 s. */
        public Builder backoff(Duration backoff) {
            this.backoff = backoff;
            return this;
        }

        /** The longest Retry-After the client waits for (default 60 s); longer is thrown at once. */
        public Builder maxRetryAfter(Duration maxRetryAfter) {
            this.maxRetryAfter = maxRetryAfter;
            return this;
        }

        /** Your own java.net.http.HttpClient (a proxy, an executor...); redirects are not followed. */
        public Builder httpClient(HttpClient httpClient) {
            this.httpClient = httpClient;
            return this;
        }

        public SlotbookClient build() {
            return new SlotbookClient(this);
        }

        Http http() {
            String key = present(apiKey) ? apiKey : environment.get("SLOTBOOK_API_KEY");
            if (!present(key)) {
                throw new IllegalArgumentException("an API key is required (or set SLOTBOOK_API_KEY)");
            }
            String base = present(baseUrl) ? baseUrl : environment.get("SLOTBOOK_BASE_URL");
            if (!present(base)) {
                base = DEFAULT_BASE_URL;
            }
            HttpClient client = httpClient != null
                    ? httpClient
                    : HttpClient.newBuilder()
                            // HTTP/2 over cleartext would start with an h2c upgrade, which
                            // servers such as uvicorn refuse on requests with a body.
                            .version(HttpClient.Version.HTTP_1_1)
                            .connectTimeout(timeout)
                            .followRedirects(HttpClient.Redirect.NEVER)
                            .build();
            return new Http(client, base, key, timeout, new RetryPolicy(maxRetries, backoff, maxRetryAfter));
        }

        private static boolean present(String value) {
            return value != null && !value.isBlank();
        }
    }
}
