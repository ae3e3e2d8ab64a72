package dev.slotbook.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slotbook.client.exceptions.WebhookVerificationException;
import dev.slotbook.client.model.WebhookEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies the signature of the webhooks Slotbook sends, as Standard Webhooks specifies: the
 * headers {@code webhook-id}, {@code webhook-timestamp} (Unix seconds) and {@code
 * webhook-signature}, a space-separated list of {@code v1,<base64 HMAC-SHA256>} of {@code
 * {id}.{timestamp}.{body}} under the endpoint's secret ({@code whsec_} + base64). Several
 * signatures appear while a secret is rotated.
 */
public final class Webhooks {
    public static final String SECRET_PREFIX = "whsec_";
    /** Seconds between the signing time and now, either way, within which a delivery is fresh. */
    public static final Duration DEFAULT_TOLERANCE = Duration.ofSeconds(300);

    private Webhooks() {}

    /**
     * Checks a delivery and returns its event. {@code payload} is the raw request body, byte for
     * byte as received; {@code headers} are looked up without regard to case.
     *
     * @throws WebhookVerificationException when a header is missing, the timestamp is more than
     *     5 minutes from now, or no signature matches
     */
    public static WebhookEvent verify(byte[] payload, Map<String, String> headers, String secret) {
        return verify(payload, headers, secret, DEFAULT_TOLERANCE, Instant.now());
    }

    /** {@link #verify(byte[], Map, String)} with your own tolerance and "now". */
    public static WebhookEvent verify(
            byte[] payload, Map<String, String> headers, String secret, Duration tolerance, Instant now) {
        return verify(
                payload,
                header(headers, "webhook-id"),
                header(headers, "webhook-timestamp"),
                header(headers, "webhook-signature"),
                secret,
                tolerance,
                now);
    }

    /** The same with the three header values given one by one. */
    public static WebhookEvent verify(
            byte[] payload,
            String webhookId,
            String timestamp,
            String signatures,
            String secret,
            Duration tolerance,
            Instant now) {
        if (isBlank(webhookId) || isBlank(timestamp) || isBlank(signatures)) {
            throw new WebhookVerificationException(
                    "webhook-id, webhook-timestamp and webhook-signature are required",
                    "WEBHOOK_HEADERS_MISSING");
        }
        if (!timestamp.chars().allMatch(c -> c >= '0' && c <= '9') || timestamp.length() > 18) {
            throw new WebhookVerificationException(
                    "webhook-timestamp is not Unix seconds", "WEBHOOK_TIMESTAMP_INVALID");
        }
        long signedAt = Long.parseLong(timestamp);
        if (Math.abs(now.getEpochSecond() - signedAt) > tolerance.getSeconds()) {
            throw new WebhookVerificationException(
                    "webhook-timestamp is more than " + tolerance.getSeconds() + " s away from now (replay?)",
                    "WEBHOOK_TIMESTAMP_OUT_OF_TOLERANCE");
        }
        // The signed content uses the header as sent, so a reformatted timestamp cannot match.
        byte[] expected = digest(key(secret), webhookId, timestamp, payload);
        boolean matched = false;
        for (String candidate : signatures.split(" ")) {
            int comma = candidate.indexOf(',');
            if (comma < 0 || !"v1".equals(candidate.substring(0, comma))) {
                continue;
            }
            byte[] given = decode(candidate.substring(comma + 1));
            // Every candidate is compared, in constant time, so timing tells nothing.
            if (given != null && MessageDigest.isEqual(given, expected)) {
                matched = true;
            }
        }
        if (!matched) {
            throw new WebhookVerificationException(
                    "No webhook signature matches the payload", "WEBHOOK_SIGNATURE_MISMATCH");
        }
        try {
            JsonNode event = Json.MAPPER.readTree(payload);
            if (event == null || !event.isObject()) {
                throw new WebhookVerificationException("The webhook body is not a JSON object", "WEBHOOK_PAYLOAD_INVALID");
            }
            return Json.convert(event, WebhookEvent.class);
        } catch (IOException | IllegalStateException notJson) {
            throw new WebhookVerificationException("The webhook body is not JSON", "WEBHOOK_PAYLOAD_INVALID");
        }
    }

    /** The {@code webhook-signature} value for a payload, to test your receiving code. */
    public static String sign(byte[] payload, String secret, String webhookId, long timestamp) {
        byte[] digest = digest(key(secret), webhookId, Long.toString(timestamp), payload);
        return "v1," + Base64.getEncoder().encodeToString(digest);
    }

    private static byte[] key(String secret) {
        String encoded = secret != null && secret.startsWith(SECRET_PREFIX)
                ? secret.substring(SECRET_PREFIX.length())
                : secret;
        byte[] key = encoded == null ? null : decode(encoded);
        if (key == null) {
            throw new WebhookVerificationException(
                    "The webhook secret is not base64 (expected whsec_...)", "WEBHOOK_SECRET_INVALID");
        }
        if (key.length == 0) {
            throw new WebhookVerificationException("The webhook secret is empty", "WEBHOOK_SECRET_INVALID");
        }
        return key;
    }

    private static byte[] digest(byte[] key, String webhookId, String timestamp, byte[] payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((webhookId + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(payload);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            // HmacSHA256 is required of every Java platform.
            throw new IllegalStateException(e);
        }
    }

    private static byte[] decode(String base64) {
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException notBase64) {
            return null;
        }
    }

    private static String header(Map<String, String> headers, String name) {
        for (Map.Entry<String, String> entry : headers.entrySet()) {
            if (entry.getKey() != null && entry.getKey().equalsIgnoreCase(name)) {
                return entry.getValue();
            }
        }
        return null;
    }

    private static boolean isBlank(String value) {
        return value == null || value.isEmpty();
    }
}
