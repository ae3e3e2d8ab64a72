"""Typed domain errors; each carries the stable error code clients see in the envelope."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A refusal the client can act on. `code` is the seeds' UPPER_SNAKE code."""

    code: str = "INVALID_REQUEST"
    # Seed 002's numeric error code, for the compatibility layer (None: the seed has none).
    numeric_code: int | None = None

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

    def __init__(self, email: str) -> None:
        super().__init__(f"This email address is already used by another client: {email}")


class EmailNotFound(NotFound):
    code = "EMAIL_NOT_FOUND"
    numeric_code = 13

    def __init__(self, email: str) -> None:
        super().__init__(f"This email address does not exist: {email}")


class TooManyNoShows(DomainError):
    code = "TOO_MANY_NO_SHOWS"


class SeriesRefused(Conflict):
    """A recurring series was not booked: `details` lists each refused occurrence and why."""

    code = "SERIES_REFUSED"


class StillReferenced(Conflict):
    """A record cannot be deleted while appointments refer to it (erase it instead)."""

    code = "STILL_REFERENCED"
