package dev.slotbook.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slotbook.client.exceptions.SlotbookException;
import dev.slotbook.client.exceptions.WebhookVerificationException;
import dev.slotbook.client.model.WebhookEvent;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/** Standard Webhooks signatures: the specification's vector, the server's signer, refusals. */
@Order(5)
class WebhooksTest {
    private static final String SECRET = "whsec_" + Base64.getEncoder().encodeToString(random(32));
    private static final Instant NOW = Instant.ofEpochSecond(1_800_000_000L);
    private static final byte[] BODY = ("{\"id\": \"evt_1\", \"type\": \"appointment.cancelled\", "
            + "\"timestamp\": \"2027-02-01T09:30:00.123456Z\", \"data\": {\"appointment\": "
            + "{\"id\": 123, \"dateTime\": \"2027-02-15T10:00:00\", \"status\": \"CANCELLED\"}}}")
            .getBytes(StandardCharsets.UTF_8);

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }

    private static Map<String, String> headers(String id, long timestamp, String signature) {
        Map<String, String> headers = new HashMap<>();
        headers.put("webhook-id", id);
        headers.put("webhook-timestamp", Long.toString(timestamp));
        headers.put("webhook-signature", signature);
        return headers;
    }

    private static Map<String, String> signed(byte[] body) {
        return headers("evt_1", NOW.getEpochSecond(), Webhooks.sign(body, SECRET, "evt_1", NOW.getEpochSecond()));
    }

    private static String refusal(byte[] body, Map<String, String> headers, String secret) {
        return assertThrows(
                        WebhookVerificationException.class,
                        () -> Webhooks.verify(body, headers, secret, Duration.ofSeconds(300), NOW))
                .getCode();
    }

    @Test
    void theSpecificationsPublishedVector() {
        Map<String, String> headers = headers(
                "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330L, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
        WebhookEvent event = Webhooks.verify(
                "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8),
                headers,
                "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                Duration.ofSeconds(300),
                Instant.ofEpochSecond(1614265330L));
        assertEquals(2432232314L, ((Number) event.get("test")).longValue());
    }

    @Test
    void aDeliverySignedByTheServersSignerDuringARotation() throws Exception {
        JsonNode given = Json.MAPPER.readTree(Live.required("SLOTBOOK_TEST_WEBHOOK"));
        byte[] body = given.get("body").asText().getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = new HashMap<>();
        given.get("headers").fields().forEachRemaining(e -> headers.put(e.getKey().toUpperCase(), e.getValue().asText()));
        Instant signedAt = Instant.ofEpochSecond(given.get("timestamp").asLong());
        for (JsonNode secret : given.get("secrets")) {
            WebhookEvent event = Webhooks.verify(body, headers, secret.asText(), Duration.ofSeconds(300), signedAt);
            assertEquals("appointment.created", event.getType());
            assertEquals(123L, event.getAppointment().getId());
        }
        String stranger = "whsec_" + Base64.getEncoder().encodeToString(random(24));
        WebhookVerificationException refused = assertThrows(
                WebhookVerificationException.class,
                () -> Webhooks.verify(body, headers, stranger, Duration.ofSeconds(300), signedAt));
        assertEquals("WEBHOOK_SIGNATURE_MISMATCH", refused.getCode());
    }

    @Test
    void aSignedEventIsReadTyped() {
        WebhookEvent event = Webhooks.verify(BODY, signed(BODY), SECRET, Duration.ofSeconds(300), NOW);
        assertEquals("evt_1", event.getId());
        assertEquals("appointment.cancelled", event.getType());
        assertEquals(Instant.parse("2027-02-01T09:30:00.123456Z"), event.getTimestamp().toInstant());
        assertEquals("CANCELLED", event.getAppointment().getStatus());
        assertEquals("2027-02-15T10:00", event.getAppointment().getDateTime().toString());
    }

    @Test
    void anySignatureOfARotationListMayMatchAndOthersAreIgnored() {
        String old = Webhooks.sign(BODY, "whsec_" + Base64.getEncoder().encodeToString(random(32)), "evt_1", NOW.getEpochSecond());
        String current = Webhooks.sign(BODY, SECRET, "evt_1", NOW.getEpochSecond());
        String list = "v1a,abc v2," + current.substring(3) + " " + old + " " + current;
        Webhooks.verify(BODY, headers("evt_1", NOW.getEpochSecond(), list), SECRET, Duration.ofSeconds(300), NOW);
        String onlyOther = "v2," + current.substring(3) + " " + old;
        assertEquals("WEBHOOK_SIGNATURE_MISMATCH", refusal(BODY, headers("evt_1", NOW.getEpochSecond(), onlyOther), SECRET));
    }

    @Test
    void whatIsChangedOnTheWayIsRefused() {
        Map<String, String> headers = signed(BODY);
        byte[] changed = new String(BODY, StandardCharsets.UTF_8).replace("123", "124").getBytes(StandardCharsets.UTF_8);
        assertEquals("WEBHOOK_SIGNATURE_MISMATCH", refusal(changed, headers, SECRET));
        Map<String, String> otherId = new HashMap<>(headers);
        otherId.put("webhook-id", "evt_2");
        assertEquals("WEBHOOK_SIGNATURE_MISMATCH", refusal(BODY, otherId, SECRET));
        Map<String, String> garbled = new HashMap<>(headers);
        garbled.put("webhook-signature", "v1,not base64!");
        assertEquals("WEBHOOK_SIGNATURE_MISMATCH", refusal(BODY, garbled, SECRET));
    }

    @Test
    void theTimestampMustBeRecentAndUnixSeconds() {
        long t = NOW.getEpochSecond();
        for (long signedAt : new long[] {t - 300, t + 300}) {
            Map<String, String> headers = headers("evt_1", signedAt, Webhooks.sign(BODY, SECRET, "evt_1", signedAt));
            Webhooks.verify(BODY, headers, SECRET, Duration.ofSeconds(300), NOW);
        }
        for (long signedAt : new long[] {t - 301, t + 301}) {
            Map<String, String> headers = headers("evt_1", signedAt, Webhooks.sign(BODY, SECRET, "evt_1", signedAt));
            assertEquals("WEBHOOK_TIMESTAMP_OUT_OF_TOLERANCE", refusal(BODY, headers, SECRET));
        }
        Map<String, String> iso = signed(BODY);
        iso.put("webhook-timestamp", "2027-02-01T09:30:00Z");
        assertEquals("WEBHOOK_TIMESTAMP_INVALID", refusal(BODY, iso, SECRET));
        // The default tolerance is against the real clock: a delivery signed years ago is stale.
        assertThrows(WebhookVerificationException.class, () -> Webhooks.verify(BODY, signed(BODY), SECRET));
    }

    @Test
    void missingHeadersBadSecretsAndBodiesThatAreNotJson() {
        Map<String, String> headers = signed(BODY);
        for (String name : new String[] {"webhook-id", "webhook-timestamp", "webhook-signature"}) {
            Map<String, String> without = new HashMap<>(headers);
            without.remove(name);
            assertEquals("WEBHOOK_HEADERS_MISSING", refusal(BODY, without, SECRET));
        }
        Map<String, String> capitalised = new HashMap<>();
        headers.forEach((name, value) -> capitalised.put(name.toUpperCase(), value));
        Webhooks.verify(BODY, capitalised, SECRET, Duration.ofSeconds(300), NOW);

        assertEquals("WEBHOOK_SECRET_INVALID", refusal(BODY, headers, "whsec_%%%"));
        assertEquals("WEBHOOK_SECRET_INVALID", refusal(BODY, headers, "whsec_"));
        byte[] text = "not json".getBytes(StandardCharsets.UTF_8);
        assertEquals("WEBHOOK_PAYLOAD_INVALID", refusal(text, signed(text), SECRET));

        WebhookVerificationException error = assertThrows(
                WebhookVerificationException.class,
                () -> Webhooks.verify(BODY, Map.of(), SECRET));
        assertTrue(error instanceof SlotbookException);
        assertEquals(null, error.getStatus());
    }
}
