"""Messages to clients: reminder emails over SMTP, text messages through an HTTP gateway."""
