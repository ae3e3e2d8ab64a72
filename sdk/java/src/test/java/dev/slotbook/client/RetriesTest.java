package dev.slotbook.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slotbook.client.exceptions.ApiConnectionException;
import dev.slotbook.client.exceptions.ConflictException;
import dev.slotbook.client.exceptions.RateLimitException;
import dev.slotbook.client.exceptions.ServerException;
import dev.slotbook.client.model.Appointment;
import dev.slotbook.client.model.CreateAppointmentRequest;
import dev.slotbook.client.model.Slot;
import dev.slotbook.client.model.SlotQuery;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/** Retries and the automatic Idempotency-Key, through a proxy that fails on purpose. */
@Order(4)
class RetriesTest {
    private FlakyProxy proxy;
    private SlotbookClient client;

    @BeforeEach
    void start() throws Exception {
        proxy = new FlakyProxy(Live.BASE_URL);
        client = SlotbookClient.builder().baseUrl(proxy.url()).backoff(Duration.ofMillis(10)).build();
    }

    @AfterEach
    void stop() {
        proxy.close();
    }

    private CreateAppointmentRequest booking(String who) {
        Slot slot = Live.freeSlots(Live.client(), new SlotQuery(8)).get(0);
        return new CreateAppointmentRequest().departmentId(8).dateTime(slot.getStart()).name("Retried").externalUserId(who);
    }

    private List<String> keysOfPosts() {
        return proxy.seen().stream()
                .filter(s -> s.method().equals("POST"))
                .map(FlakyProxy.Seen::idempotencyKey)
                .collect(Collectors.toList());
    }

    @Test
    void unavailableTwiceThenBookedOnceWithOneKey() {
        String who = "retry_" + UUID.randomUUID();
        CreateAppointmentRequest request = booking(who);
        proxy.failNext(FlakyProxy.Failure.of(503, "SERVICE_UNAVAILABLE"), FlakyProxy.Failure.of(503, "SERVICE_UNAVAILABLE"));
        Appointment made = client.appointments().create(request);
        assertEquals("Retried", made.getName());
        List<String> keys = keysOfPosts();
        assertEquals(3, keys.size());
        assertNotNull(keys.get(0));
        assertEquals(1, keys.stream().distinct().count(), keys.toString());
        assertEquals(1, Live.client().appointments().list().externalUserId(who).getTotalElements());
    }

    @Test
    void aLostAnswerIsRetriedWithoutBookingTwice() {
        String who = "retry_" + UUID.randomUUID();
        int before = Live.client().credits().get().getBalance();
        proxy.failNext(FlakyProxy.Failure.lostAnswer(502));
        Appointment made = client.appointments().create(booking(who));
        assertEquals(2, keysOfPosts().size());
        assertEquals(1, keysOfPosts().stream().distinct().count());
        List<Appointment> booked = Live.client().appointments().list().externalUserId(who).getAppointments();
        assertEquals(List.of(made.getId()), booked.stream().map(Appointment::getId).toList());
        assertEquals(before - 1, Live.client().credits().get().getBalance());
    }

    @Test
    void aTimedOutAttemptIsRetried() {
        SlotbookClient impatient = SlotbookClient.builder()
                .baseUrl(proxy.url()).timeout(Duration.ofSeconds(1)).maxRetries(4).backoff(Duration.ofMillis(10)).build();
        proxy.failNext(FlakyProxy.Failure.slow(Duration.ofMillis(2500)));
        assertEquals(3, impatient.departments().list().size());
        assertTrue(proxy.seen().size() >= 2, proxy.seen().toString());
    }

    @Test
    void retryAfterIsHonouredOrTooLongToWaitFor() {
        proxy.failNext(FlakyProxy.Failure.withHeaders(429, "RATE_LIMITED", Map.of("Retry-After", "0")));
        assertEquals(3, client.departments().list().size());
        assertEquals(2, proxy.seen().size());

        proxy.failNext(FlakyProxy.Failure.withHeaders(429, "RATE_LIMITED", Map.of("Retry-After", "3600")));
        RateLimitException limited = assertThrows(RateLimitException.class, () -> client.departments().list());
        assertEquals(Duration.ofHours(1), limited.getRetryAfter());
        assertEquals(429, limited.getStatus());
        assertEquals("RATE_LIMITED", limited.getCode());
        assertEquals(3, proxy.seen().size());
    }

    @Test
    void anIdempotencyKeyInUseIsWaitedFor() {
        proxy.failNext(FlakyProxy.Failure.of(409, "IDEMPOTENCY_IN_PROGRESS"));
        Appointment made = client.appointments().create(booking("retry_" + UUID.randomUUID()));
        assertNotNull(made.getId());
        assertEquals(2, keysOfPosts().size());
    }

    @Test
    void otherConflictsAndExhaustedRetriesAreThrown() {
        proxy.failNext(FlakyProxy.Failure.of(409, "INVALID_TRANSITION"));
        ConflictException conflict = assertThrows(ConflictException.class, () -> client.departments().list());
        assertEquals("INVALID_TRANSITION", conflict.getCode());
        assertEquals(1, proxy.seen().size());

        proxy.failNext(
                FlakyProxy.Failure.of(503, "SERVICE_UNAVAILABLE"),
                FlakyProxy.Failure.of(503, "SERVICE_UNAVAILABLE"),
                FlakyProxy.Failure.of(503, "SERVICE_UNAVAILABLE"));
        ServerException down = assertThrows(ServerException.class, () -> client.departments().list());
        assertEquals(503, down.getStatus());
        assertEquals(4, proxy.seen().size());

        SlotbookClient once = SlotbookClient.builder().baseUrl(proxy.url()).maxRetries(0).build();
        proxy.failNext(FlakyProxy.Failure.of(502, "BAD_GATEWAY"));
        assertThrows(ServerException.class, () -> once.departments().list());
        assertEquals(5, proxy.seen().size());
    }

    @Test
    void readsCarryNoIdempotencyKeyAndEveryCallCarriesTheKey() {
        client.departments().list();
        FlakyProxy.Seen read = proxy.seen().get(0);
        assertEquals("GET", read.method());
        assertNull(read.idempotencyKey());
        assertEquals(Live.API_KEY, read.apiKey());
        assertTrue(read.userAgent().startsWith("slotbook-java/"), read.userAgent());
    }

    @Test
    void anUnreachableServerIsAConnectionError() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        SlotbookClient nowhere = SlotbookClient.builder()
                .baseUrl("http://127.0.0.1:" + port).backoff(Duration.ofMillis(10)).build();
        ApiConnectionException failed = assertThrows(ApiConnectionException.class, () -> nowhere.departments().list());
        assertNull(failed.getStatus());
        assertEquals("CONNECTION_ERROR", failed.getCode());
    }

    @Test
    void theKeyAndTheServerComeFromTheOptionsOrTheEnvironment() {
        assertEquals(Live.BASE_URL.replaceAll("/?$", "/"), new SlotbookClient().getBaseUrl());
        assertEquals(proxy.url() + "/", client.getBaseUrl());
        SlotbookClient.Builder bare = new SlotbookClient.Builder(Map.of("SLOTBOOK_API_KEY", "k"));
        assertEquals("http://127.0.0.1:8000/", bare.build().getBaseUrl());
        assertEquals("https://slotbook.example.org/",
                new SlotbookClient.Builder(Map.of("SLOTBOOK_API_KEY", "k", "SLOTBOOK_BASE_URL", "https://slotbook.example.org"))
                        .build().getBaseUrl());
        IllegalArgumentException noKey =
                assertThrows(IllegalArgumentException.class, () -> new SlotbookClient.Builder(Map.of()).build());
        assertTrue(noKey.getMessage().contains("SLOTBOOK_API_KEY"));
    }
}
