"""Examples for the OpenAPI document, taken from the seed documents (dates moved to 2027)."""

from __future__ import annotations

from typing import Any

TIMESTAMP = "2027-01-21T10:00:00Z"

# An error envelope per status, with the seeds' codes and messages.
ERRORS: dict[int, tuple[str, str]] = {
    400: ("INVALID_REQUEST", "DateTime must be in the future"),
    401: ("UNAUTHORIZED", "Invalid or missing API key"),
    402: (
        "INSUFFICIENT_CREDITS",
        "Insufficient credits to create appointment. Current: 0, Required: 1",
    ),
    403: ("FORBIDDEN", "Appointment 123 does not belong to your organization"),
    404: ("APPOINTMENT_NOT_FOUND", "Appointment not found with id: 123"),
    409: ("INVALID_TRANSITION", "An appointment with status COMPLETED cannot be cancelled"),
    412: (
        "VERSION_MISMATCH",
        "The appointment was changed by someone else: its current version is 4",
    ),
    422: ("TOO_SOON", "This appointment is too soon: book at least 60 minutes ahead"),
    429: ("RATE_LIMITED", "Rate limit of 1000 requests per hour exceeded; retry in 1200 s"),
    503: ("SERVICE_UNAVAILABLE", "Please retry shortly"),
}


def error_example(status: int) -> dict[str, Any]:
    code, message = ERRORS[status]
    return {"code": code, "message": message, "timestamp": TIMESTAMP}


_APPOINTMENT = {
    "id": 123,
    "uuid": "3c90c3cc-0d44-4b50-8888-8dd25736052a",
    "dateTime": "2027-02-15T10:00:00",
    "status": "SCHEDULED",
    "displayStatus": "Scheduled",
    "name": "Amadou Diallo",
    "qrCode": "QR-2Lq0v3W1cJ8cK1m3yqJbNw",
    "departmentId": 5,
    "departmentName": "General Consultation",
    "externalUserId": "customer_12345",
    "workerId": 42,
    "timeZone": "Africa/Conakry",
    "createdAt": "2027-01-21T09:30:00Z",
    "updatedAt": "2027-01-21T09:30:00Z",
    "endTime": "2027-02-15T10:30:00",
    "appointmentTypeId": 3,
    "version": 1,
}
_SECOND = {
    **_APPOINTMENT,
    "id": 124,
    "uuid": "9b2f4c1e-5d7a-4e8b-a6c3-1f0e2d4b6a8c",
    "dateTime": "2027-02-15T14:00:00",
    "name": "Fatoumata Camara",
    "qrCode": "QR-9vY3oXJ2b0Qq7pT4mWc1sA",
    "externalUserId": None,
    "workerId": None,
    "createdAt": "2027-01-21T10:15:00Z",
    "updatedAt": "2027-01-21T10:15:00Z",
    "endTime": "2027-02-15T14:30:00",
}
_ORGANIZATION = {"id": 1, "name": "Ministry of Interior"}
_WAITING = {
    "id": 17,
    "departmentId": 5,
    "appointmentTypeId": 3,
    "workerId": None,
    "clientId": None,
    "externalUserId": "customer_12345",
    "name": "Amadou Diallo",
    "earliest": "2027-02-01",
    "latest": "2027-02-28",
    "weekdays": [0, 2],
    "timesOfDay": [{"start": "08:00", "end": "12:00"}],
    "priority": 0,
    "status": "WAITING",
    "position": 3,
    "offer": None,
    "appointmentId": None,
    "timeZone": "Africa/Conakry",
    "joinedAt": "2027-01-21T09:30:00Z",
    "updatedAt": "2027-01-21T09:30:00Z",
}
_OFFERED = {
    **_WAITING,
    "status": "OFFERED",
    "position": None,
    "offer": {
        "dateTime": "2027-02-15T10:00:00",
        "endTime": "2027-02-15T10:30:00",
        "workerId": 42,
        "appointmentTypeId": 3,
        "expiresAt": "2027-02-10T08:30:00Z",
        "acceptUrl": "https://book.example.org/book/waitlist/Jm3rX0cQ9lYk2sVb7nT1wZ4pA8eH6uFd",
    },
    "updatedAt": "2027-02-10T08:00:00Z",
}

# (method, path) -> (request body example or None, success response example)
OPERATIONS: dict[tuple[str, str], tuple[Any, Any]] = {
    ("post", "/api/v1/appointments"): (
        {
            "departmentId": 5,
            "dateTime": "2027-02-15T10:00:00",
            "name": "Amadou Diallo",
            "workerId": 42,
            "externalUserId": "customer_12345",
        },
        _APPOINTMENT,
    ),
    ("get", "/api/v1/appointments"): (
        None,
        {
            "appointments": [_APPOINTMENT, _SECOND],
            "page": 0,
            "size": 20,
            "totalElements": 45,
            "totalPages": 3,
            "isLast": False,
        },
    ),
    ("get", "/api/v1/appointments/{appointment_id}"): (None, _APPOINTMENT),
    # A PATCH sends only what changes: here a corrected name and a new time.
    ("patch", "/api/v1/appointments/{appointment_id}"): (
        {"name": "Amadou Diallo", "dateTime": "2027-02-16T11:00:00"},
        {
            **_APPOINTMENT,
            "dateTime": "2027-02-16T11:00:00",
            "endTime": "2027-02-16T11:30:00",
            "updatedAt": "2027-01-22T08:00:00Z",
            "version": 2,
        },
    ),
    ("patch", "/api/v1/patients/{patient_id}"): (
        {"species": "dog", "birthDate": "2019-04-02"},
        None,
    ),
    ("delete", "/api/v1/appointments/{appointment_id}"): (
        None,
        {
            **_APPOINTMENT,
            "status": "CANCELLED",
            "displayStatus": "Cancelled",
            "cancelledAt": "2027-01-22T08:00:00Z",
        },
    ),
    ("get", "/api/v1/departments"): (
        None,
        [
            {
                "id": 5,
                "uuid": "0b5e7a0e-4c1f-4b7e-9d3a-2f6c1e8a9b10",
                "name": "Passport Service",
                "description": "Passport issuance",
                "organization": _ORGANIZATION,
                "showAdminsInBooking": False,
                "timeZone": "Africa/Conakry",
            },
            {
                "id": 8,
                "uuid": "5e1d9c2a-7b3f-4a6e-8c0d-9f2b4e6a1c3d",
                "name": "ID Card Service",
                "description": "National ID card issuance",
                "organization": _ORGANIZATION,
                "showAdminsInBooking": False,
                "timeZone": "Africa/Conakry",
            },
        ],
    ),
    ("get", "/api/v1/credits"): (
        None,
        {
            "balance": 41,
            "creditsLowThreshold": 10,
            "ledger": [
                {
                    "id": 7,
                    "delta": -1,
                    "balanceAfter": 41,
                    "reason": "BOOKING",
                    "appointmentId": 123,
                    "createdAt": "2027-01-21T09:30:00Z",
                }
            ],
            "page": 0,
            "size": 20,
            "totalElements": 1,
            "totalPages": 1,
            "isLast": True,
        },
    ),
    ("post", "/api/v1/waitlist"): (
        {
            "departmentId": 5,
            "appointmentTypeId": 3,
            "earliest": "2027-02-01",
            "latest": "2027-02-28",
            "weekdays": ["MONDAY", "WEDNESDAY"],
            "timesOfDay": [{"start": "08:00", "end": "12:00"}],
            "externalUserId": "customer_12345",
            "name": "Amadou Diallo",
        },
        _WAITING,
    ),
    ("get", "/api/v1/waitlist"): (
        None,
        {
            "entries": [_OFFERED],
            "page": 0,
            "size": 20,
            "totalElements": 1,
            "totalPages": 1,
            "isLast": True,
        },
    ),
    ("get", "/api/v1/waitlist/{entry_id}"): (None, _OFFERED),
    ("post", "/api/v1/waitlist/{entry_id}/accept"): (None, _APPOINTMENT),
    ("get", "/health"): (None, {"status": "ok"}),
    ("get", "/ready"): (None, {"status": "ready", "database": "postgresql"}),
}
