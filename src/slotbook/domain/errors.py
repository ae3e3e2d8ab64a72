"""Typed domain errors; each carries the stable error code clients see in the envelope."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A refusal the client can act on. `code` is the seeds' UPPER_SNAKE code."""

    code: str = "INVALID_REQUEST"

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
