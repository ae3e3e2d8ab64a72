package dev.slotbook.client.exceptions;

/**
 * A webhook delivery cannot be trusted; {@link #getCode()} says why: {@code
 * WEBHOOK_HEADERS_MISSING}, {@code WEBHOOK_TIMESTAMP_INVALID}, {@code
 * WEBHOOK_TIMESTAMP_OUT_OF_TOLERANCE}, {@code WEBHOOK_SIGNATURE_MISMATCH}, {@code
 * WEBHOOK_SECRET_INVALID} or {@code WEBHOOK_PAYLOAD_INVALID}.
 */
public class WebhookVerificationException extends SlotbookException {
    private static final long serialVersionUID = 1L;

    public WebhookVerificationException(String message, String code) {
        super(message, code, null);
    }
}
