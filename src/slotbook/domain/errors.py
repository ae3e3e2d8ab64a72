"""Typed domain errors; each carries the stable error code clients see in the envelope."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A refusal the client can act on. `code` is the seeds' UPPER_SNAKE code."""

    code: str = "INVALID_REQUEST"
    # Seed 002's numeric code and its name for the same refusal, when there is one; the
    # envelope shows them as numericCode and legacyCode.
    numeric_code: int | None = None
    legacy_code: str | None = None

    def __init__(self, message: str, *, details: list[dict[str, Any]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class InvalidRequest(DomainError):
    code = "INVALID_REQUEST"


class Unauthorized(DomainError):
    code = "UNAUTHORIZED"


class Forbidden(DomainError):
    code = "FORBIDDEN"


class NotFound(DomainError):
    code = "NOT_FOUND"


class AppointmentNotFound(NotFound):
    code = "APPOINTMENT_NOT_FOUND"

    def __init__(self, appointment_id: int) -> None:
        super().__init__(f"Appointment not found with id: {appointment_id}")


class DepartmentNotFound(NotFound):
    code = "DEPARTMENT_NOT_FOUND"

    def __init__(self, department_id: int) -> None:
        super().__init__(f"Department not found with id: {department_id}")


class WorkerNotFound(NotFound):
    code = "WORKER_NOT_FOUND"

    def __init__(self, worker_id: int) -> None:
        super().__init__(f"Worker not found with id: {worker_id}")


class AppointmentTypeNotFound(NotFound):
    code = "APPOINTMENT_TYPE_NOT_FOUND"

    def __init__(self, type_id: int) -> None:
        super().__init__(f"Appointment type not found with id: {type_id}")


class ScheduleExceptionNotFound(NotFound):
    code = "SCHEDULE_EXCEPTION_NOT_FOUND"

    def __init__(self, exception_id: int) -> None:
        super().__init__(f"Schedule exception not found with id: {exception_id}")


class ClosureNotFound(NotFound):
    code = "CLOSURE_NOT_FOUND"

    def __init__(self, closure_id: int) -> None:
        super().__init__(f"Closure not found with id: {closure_id}")


class OrganizationNotFound(NotFound):
    code = "ORGANIZATION_NOT_FOUND"

    def __init__(self, organization_id: int) -> None:
        super().__init__(f"Organization not found with id: {organization_id}")


class InsufficientCredits(DomainError):
    code = "INSUFFICIENT_CREDITS"

    def __init__(self, current: int, required: int = 1) -> None:
        super().__init__(
            f"Insufficient credits to create appointment. Current: {current}, Required: {required}"
        )
        self.current = current
        self.required = required


class InvalidTransition(DomainError):
    code = "INVALID_TRANSITION"


class Conflict(DomainError):
    code = "CONFLICT"


class ServiceUnavailable(DomainError):
    code = "SERVICE_UNAVAILABLE"


class BookingRefused(DomainError):
    """A booking rule said no. Carries seed 002's numeric and named codes for the envelope."""

    def __init__(
        self,
        code: str,
        message: str,
        *,
        numeric_code: int | None = None,
        legacy_code: str | None = None,
        details: list[dict[str, Any]] | None = None,
    ) -> None:
        super().__init__(message, details=details)
        self.code = code
        self.numeric_code = numeric_code
        self.legacy_code = legacy_code


class SlotConflict(BookingRefused):
    """The time collides with another appointment (the slot, or the client's own)."""


class PolicyRefused(BookingRefused):
    """The time breaks a limit of the department's booking policy."""


class RetryableConflict(Conflict):
    """The database aborted a transaction that may succeed when run again (40001, 40P01)."""

    backoff = True  # wait a little before running it again (the other transaction may not)


class ApiKeyNotFound(NotFound):
    code = "API_KEY_NOT_FOUND"

    def __init__(self, key_id: int) -> None:
        super().__init__(f"API key not found with id: {key_id}")


class InvalidCredentials(Unauthorized):
    code = "INVALID_CREDENTIALS"

    def __init__(self) -> None:
        # The same words whether the e-mail is unknown or the password wrong: no enumeration.
        super().__init__("Invalid e-mail or password")


class LoginThrottled(DomainError):
    """Too many wrong passwords lately for this e-mail or from this address: wait a little."""

    code = "LOGIN_THROTTLED"

    def __init__(self, retry_after_seconds: int) -> None:
        super().__init__(f"Too many failed logins; wait {retry_after_seconds} s and try again")
        self.retry_after_seconds = retry_after_seconds


class CsrfRejected(Forbidden):
    code = "CSRF_REJECTED"

    def __init__(self) -> None:
        super().__init__("The form has expired or did not come from this site; reload the page")


class VersionMismatch(DomainError):
    """If-Match named a version that is no longer the current one."""

    code = "VERSION_MISMATCH"

    def __init__(self, resource: str, current: int) -> None:
        super().__init__(
            f"The {resource} was changed by someone else: its current version is {current}"
        )
        self.current = current


class CheckInNotToday(Conflict):
    code = "CHECK_IN_NOT_TODAY"


class ClientNotFound(NotFound):
    code = "CLIENT_NOT_FOUND"

    def __init__(self, client_id: int) -> None:
        super().__init__(f"Client not found with id: {client_id}")


class PatientNotFound(NotFound):
    code = "PATIENT_NOT_FOUND"

    def __init__(self, patient_id: int) -> None:
        super().__init__(f"Patient not found with id: {patient_id}")


class EmailAlreadyExists(Conflict):
    code = "EMAIL_ALREADY_EXISTS"
    numeric_code = 11
    legacy_code = "EmailAlreadyExists"

    def __init__(self, email: str) -> None:
        super().__init__(f"This email address is already used by another client: {email}")


class EmailNotFound(NotFound):
    code = "EMAIL_NOT_FOUND"
    numeric_code = 13
    legacy_code = "EmailNotFound"

    def __init__(self, email: str) -> None:
        super().__init__(f"This email address does not exist: {email}")


class TooManyNoShows(PolicyRefused):
    """The department's no-show rule, a booking rule like the others (seed 002 has no number)."""

    code = "TOO_MANY_NO_SHOWS"

    def __init__(self, message: str) -> None:
        super().__init__(self.code, message)


class SeriesRefused(Conflict):
    """A recurring series was not booked: `details` lists each refused occurrence and why."""

    code = "SERIES_REFUSED"


class StillReferenced(Conflict):
    """A record cannot be deleted while appointments refer to it (erase it instead)."""

    code = "STILL_REFERENCED"


class WebhookNotFound(NotFound):
    code = "WEBHOOK_NOT_FOUND"

    def __init__(self, webhook_id: int) -> None:
        super().__init__(f"Webhook not found with id: {webhook_id}")


class DeliveryNotFound(NotFound):
    code = "DELIVERY_NOT_FOUND"

    def __init__(self, delivery_id: int) -> None:
        super().__init__(f"Delivery not found with id: {delivery_id}")


class InvalidWebhookUrl(InvalidRequest):
    """A webhook target that is not http(s) or does not resolve only to public addresses."""

    code = "INVALID_WEBHOOK_URL"


class IdempotencyKeyReused(DomainError):
    code = "IDEMPOTENCY_KEY_REUSED"


class IdempotencyInProgress(DomainError):
    code = "IDEMPOTENCY_IN_PROGRESS"


class BookingPageClosed(NotFound):
    """The department turned its public booking page off (or never had one to show)."""

    code = "BOOKING_PAGE_CLOSED"

    def __init__(self, department_id: int) -> None:
        super().__init__(f"Department {department_id} does not take bookings online")


class CancelLinkNotFound(NotFound):
    """No appointment has this private cancel link (mistyped, or never issued)."""

    code = "CANCEL_LINK_NOT_FOUND"

    def __init__(self) -> None:
        super().__init__("This cancel link is not valid")
