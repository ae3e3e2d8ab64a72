package dev.slotbook.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slotbook.client.exceptions.AuthenticationException;
import dev.slotbook.client.exceptions.BookingRuleException;
import dev.slotbook.client.exceptions.ConflictException;
import dev.slotbook.client.exceptions.InsufficientCreditsException;
import dev.slotbook.client.exceptions.NotFoundException;
import dev.slotbook.client.exceptions.PermissionDeniedException;
import dev.slotbook.client.exceptions.PreconditionFailedException;
import dev.slotbook.client.exceptions.RateLimitException;
import dev.slotbook.client.exceptions.ServerException;
import dev.slotbook.client.exceptions.SlotbookException;
import dev.slotbook.client.exceptions.ValidationException;
import java.io.IOException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** Typed exceptions from the API's error envelope {@code {code, message, timestamp}}. */
final class Errors {
    /**
     * The booking rules as docs/scheduling.md lists them. The API also marks a rule refusal by
     * a {@code legacyCode} or {@code numericCode} in the envelope, so a rule added to the server
     * later is recognised without a new SDK.
     */
    static final Set<String> BOOKING_RULE_CODES =
            Set.of(
                    "SLOT_UNAVAILABLE",
                    "SAME_TIME_APPOINTMENT",
                    "TOO_CLOSE_TO_OTHER_APPOINTMENT",
                    "MAX_UPCOMING_REACHED",
                    "TOO_FAR_IN_ADVANCE",
                    "TOO_SOON",
                    "CANCELLATION_TOO_LATE");

    private static final Map<String, Integer> RULE_NUMBERS =
            Map.of(
                    "SAME_TIME_APPOINTMENT", 12,
                    "TOO_CLOSE_TO_OTHER_APPOINTMENT", 7,
                    "MAX_UPCOMING_REACHED", 6,
                    "TOO_FAR_IN_ADVANCE", 8,
                    "TOO_SOON", 9,
                    "CANCELLATION_TOO_LATE", 10);

    /** Refusals that carry a numeric code without being booking rules. */
    static final Set<String> NOT_RULE_CODES = Set.of("EMAIL_ALREADY_EXISTS", "EMAIL_NOT_FOUND");

    private Errors() {}

    /** The error envelope of an answer: the native one, or {@code {"error": {...}}}. */
    static JsonNode envelope(byte[] body) {
        if (body == null || body.length == 0) {
            return Json.MAPPER.createObjectNode();
        }
        try {
            JsonNode node = Json.MAPPER.readTree(body);
            if (node != null && node.path("error").isObject()) {
                node = node.get("error");
            }
            return node != null && node.isObject() ? node : Json.MAPPER.createObjectNode();
        } catch (IOException notJson) {
            return Json.MAPPER.createObjectNode();
        }
    }

    static SlotbookException fromResponse(int status, Map<String, List<String>> headers, byte[] body) {
        JsonNode envelope = envelope(body);
        String code = text(envelope, "code").orElse("HTTP_" + status);
        String message = text(envelope, "message").orElse("HTTP " + status);
        List<Map<String, Object>> details = new ArrayList<>();
        for (JsonNode detail : envelope.path("details")) {
            if (detail.isObject()) {
                details.add(Json.toMap(detail));
            }
        }
        JsonNode numericNode = envelope.path("numericCode");
        Integer numeric = numericNode.isIntegralNumber() ? numericNode.asInt() : null;
        String legacy = text(envelope, "legacyCode").orElse(null);
        Map<String, List<String>> lowered = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        lowered.putAll(headers);
        boolean marked = numeric != null || legacy != null;
        if (status >= 400 && status < 500
                && (BOOKING_RULE_CODES.contains(code) || marked && !NOT_RULE_CODES.contains(code))) {
            Integer number = numeric != null ? numeric : RULE_NUMBERS.get(code);
            return new BookingRuleException(message, code, status, details, lowered, number, legacy, null);
        }
        if (status == 429) {
            return new RateLimitException(
                    message, code, status, details, lowered, numeric, legacy, null, retryAfter(lowered));
        }
        if (status >= 500) {
            return new ServerException(message, code, status, details, lowered, numeric, legacy, null);
        }
        switch (status) {
            case 400:
            case 422:
                return new ValidationException(message, code, status, details, lowered, numeric, legacy, null);
            case 401:
                return new AuthenticationException(message, code, status, details, lowered, numeric, legacy, null);
            case 402:
                return new InsufficientCreditsException(message, code, status, details, lowered, numeric, legacy, null);
            case 403:
                return new PermissionDeniedException(message, code, status, details, lowered, numeric, legacy, null);
            case 404:
                return new NotFoundException(message, code, status, details, lowered, numeric, legacy, null);
            case 409:
                return new ConflictException(message, code, status, details, lowered, numeric, legacy, null);
            case 412:
                return new PreconditionFailedException(message, code, status, details, lowered, numeric, legacy, null);
            default:
                return new SlotbookException(message, code, status, details, lowered, numeric, legacy, null);
        }
    }

    /** {@code Retry-After} as a wait: delta-seconds or an HTTP date (RFC 9110 10.2.3). */
    static Duration retryAfter(Map<String, List<String>> headers) {
        Optional<String> value = first(headers, "retry-after").map(String::trim);
        if (value.isEmpty()) {
            return null;
        }
        String given = value.get();
        if (!given.isEmpty() && given.chars().allMatch(Character::isDigit)) {
            try {
                return Duration.ofSeconds(Long.parseLong(given));
            } catch (NumberFormatException tooLong) {
                return null;
            }
        }
        Optional<String> date = first(headers, "date");
        if (date.isEmpty()) {
            return null;
        }
        try {
            ZonedDateTime when = ZonedDateTime.parse(given, DateTimeFormatter.RFC_1123_DATE_TIME);
            ZonedDateTime now = ZonedDateTime.parse(date.get().trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
            Duration wait = Duration.between(now, when);
            return wait.isNegative() ? Duration.ZERO : wait;
        } catch (DateTimeParseException unreadable) {
            return null;
        }
    }

    static Optional<String> first(Map<String, List<String>> headers, String name) {
        for (Map.Entry<String, List<String>> entry : headers.entrySet()) {
            if (entry.getKey() != null && entry.getKey().equalsIgnoreCase(name) && !entry.getValue().isEmpty()) {
                return Optional.of(entry.getValue().get(0));
            }
        }
        return Optional.empty();
    }

    private static Optional<String> text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        if (value.isNull() || value.isMissingNode()) {
            return Optional.empty();
        }
        String text = value.isTextual() ? value.textValue() : value.toString();
        return text.isEmpty() ? Optional.empty() : Optional.of(text);
    }
}
