package dev.slotbook.client.exceptions;

/**
 * The API could not be reached, or the connection failed or timed out, after the client's
 * retries. {@link #getStatus()} is null and {@link #getCode()} is {@code CONNECTION_ERROR}.
 */
public class ApiConnectionException extends SlotbookException {
    private static final long serialVersionUID = 1L;

    public ApiConnectionException(String message, Throwable cause) {
        super(message, "CONNECTION_ERROR", null, null, null, null, null, cause);
    }
}
