package dev.slotbook.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The exception each error envelope becomes (no server needed). */
@Order(6)
class ErrorsTest {
    private static SlotbookException error(int status, String json, Map<String, List<String>> headers) {
        return Errors.fromResponse(status, headers, json.getBytes(StandardCharsets.UTF_8));
    }

    private static SlotbookException error(int status, String code) {
        return error(status, "{\"code\": \"" + code + "\", \"message\": \"m\", \"timestamp\": \"t\"}", Map.of());
    }

    @ParameterizedTest
    @CsvSource({
        "400, INVALID_REQUEST, ValidationException",
        "422, INVALID_REQUEST, ValidationException",
        "401, UNAUTHORIZED, AuthenticationException",
        "402, INSUFFICIENT_CREDITS, InsufficientCreditsException",
        "403, FORBIDDEN, PermissionDeniedException",
        "404, APPOINTMENT_NOT_FOUND, NotFoundException",
        "409, INVALID_TRANSITION, ConflictException",
        "412, VERSION_MISMATCH, PreconditionFailedException",
        "429, RATE_LIMITED, RateLimitException",
        "500, INTERNAL_ERROR, ServerException",
        "503, SERVICE_UNAVAILABLE, ServerException",
        "418, TEAPOT, SlotbookException",
        "409, SLOT_UNAVAILABLE, BookingRuleException",
        "422, TOO_SOON, BookingRuleException",
    })
    void eachStatusHasItsException(int status, String code, String type) {
        SlotbookException error = error(status, code);
        assertEquals(type, error.getClass().getSimpleName());
        assertEquals(code, error.getCode());
        assertEquals(status, error.getStatus());
        assertEquals("m", error.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"SAME_TIME_APPOINTMENT, 12", "TOO_CLOSE_TO_OTHER_APPOINTMENT, 7", "MAX_UPCOMING_REACHED, 6",
        "TOO_FAR_IN_ADVANCE, 8", "TOO_SOON, 9", "CANCELLATION_TOO_LATE, 10"})
    void bookingRulesCarryTheirNumbers(String code, int number) {
        BookingRuleException rule = assertInstanceOf(BookingRuleException.class, error(422, code));
        assertEquals(code, rule.getRule());
        assertEquals(number, rule.getNumericCode());
    }

    @org.junit.jupiter.api.Test
    void aMarkedRefusalIsARuleEvenWithANewCodeButEmailCodesAreNot() {
        SlotbookException future = error(422, "{\"code\": \"NEW_RULE\", \"message\": \"m\", \"legacyCode\": \"NewRule\"}", Map.of());
        assertInstanceOf(BookingRuleException.class, future);
        assertEquals("NewRule", future.getLegacyCode());
        SlotbookException taken = error(409, "{\"code\": \"EMAIL_ALREADY_EXISTS\", \"message\": \"m\", "
                + "\"numericCode\": 11, \"legacyCode\": \"EmailAlreadyExists\"}", Map.of());
        assertEquals(ConflictException.class, taken.getClass());
        assertEquals(11, taken.getNumericCode());
    }

    @org.junit.jupiter.api.Test
    void detailsTheOtherEnvelopeAndBodiesThatAreNotJson() {
        SlotbookException invalid = error(400, "{\"code\": \"INVALID_REQUEST\", \"message\": \"m\", "
                + "\"details\": [{\"field\": \"dateTime\", \"message\": \"Field required\"}]}", Map.of());
        assertEquals(List.of(Map.of("field", "dateTime", "message", "Field required")), invalid.getDetails());
        SlotbookException nested = error(402, "{\"error\": {\"code\": \"INSUFFICIENT_CREDITS\", \"message\": \"none left\"}}", Map.of());
        assertInstanceOf(InsufficientCreditsException.class, nested);
        assertEquals("none left", nested.getMessage());
        SlotbookException html = error(502, "<html>Bad Gateway</html>", Map.of());
        assertInstanceOf(ServerException.class, html);
        assertEquals("HTTP_502", html.getCode());
    }

    @org.junit.jupiter.api.Test
    void retryAfterInSecondsOrAsAnHttpDate() {
        RateLimitException seconds = assertInstanceOf(RateLimitException.class,
                error(429, "{}", Map.of("Retry-After", List.of("7"))));
        assertEquals(Duration.ofSeconds(7), seconds.getRetryAfter());
        RateLimitException date = assertInstanceOf(RateLimitException.class, error(429, "{}", Map.of(
                "retry-after", List.of("Wed, 21 Oct 2026 07:28:30 GMT"),
                "date", List.of("Wed, 21 Oct 2026 07:28:00 GMT"))));
        assertEquals(Duration.ofSeconds(30), date.getRetryAfter());
        RateLimitException none = assertInstanceOf(RateLimitException.class, error(429, "{}", Map.of()));
        assertNull(none.getRetryAfter());
        assertEquals(List.of("7"), seconds.getHeaders().get("RETRY-AFTER"));
    }

    @org.junit.jupiter.api.Test
    void theClassesKeepTheirFamilies() {
        assertInstanceOf(ConflictException.class, error(412, "VERSION_MISMATCH"));
        assertInstanceOf(PreconditionFailedException.class, error(412, "VERSION_MISMATCH"));
        assertInstanceOf(PermissionDeniedException.class, error(403, "FORBIDDEN"));
        assertInstanceOf(AuthenticationException.class, error(401, "UNAUTHORIZED"));
        assertInstanceOf(NotFoundException.class, error(404, "DEPARTMENT_NOT_FOUND"));
        assertInstanceOf(ValidationException.class, error(400, "INVALID_REQUEST"));
    }
}
