"""Public ids: every record also has a stable UUID, the id the compatibility layers show."""

from __future__ import annotations

from enum import StrEnum

from slotbook.domain.errors import NotFound


class Entity(StrEnum):
    """The kinds of record that carry a public UUID (the values are their table names)."""

    DEPARTMENT = "department"
    WORKER = "worker"
    CLIENT = "client"
    PATIENT = "patient"
    APPOINTMENT_TYPE = "appointment_type"
    APPOINTMENT = "appointment"


# The native API's not-found code and noun for each kind, so an unknown UUID reads like an
# unknown integer id.
_NOT_FOUND: dict[Entity, tuple[str, str]] = {
    Entity.DEPARTMENT: ("DEPARTMENT_NOT_FOUND", "Department"),
    Entity.WORKER: ("WORKER_NOT_FOUND", "Worker"),
    Entity.CLIENT: ("CLIENT_NOT_FOUND", "Client"),
    Entity.PATIENT: ("PATIENT_NOT_FOUND", "Patient"),
    Entity.APPOINTMENT_TYPE: ("APPOINTMENT_TYPE_NOT_FOUND", "Appointment type"),
    Entity.APPOINTMENT: ("APPOINTMENT_NOT_FOUND", "Appointment"),
}


class PublicIdNotFound(NotFound):
    """No record of this kind has this UUID in the caller's organization. Another tenant's
    UUID is reported the same way: a UUID names no one, so unlike an integer id there is no
    reason to tell "not yours" from "does not exist"."""

    def __init__(self, entity: Entity, public_id: object, label: str | None = None) -> None:
        code, noun = _NOT_FOUND[entity]
        super().__init__(f"{label or noun} not found with id: {public_id}")
        self.code = code
