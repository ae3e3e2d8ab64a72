"""client.clients and client.patients: the people who book, and their dependents."""

from __future__ import annotations

from datetime import date

from slotbook_client._core import Call
from slotbook_client.resources._base import (
    API,
    NOT_GIVEN,
    Each,
    Many,
    NotGiven,
    One,
    Resource,
    given,
)

CLIENTS = f"{API}/clients"
PATIENTS = f"{API}/patients"


class Clients(Resource[One, Many, Each]):
    """Clients (scopes `clients:read` and `clients:write`)."""

    def create(
        self,
        *,
        name: str,
        email: str | None = None,
        phone: str | None = None,
        second_phone: str | None = None,
        external_user_id: str | None = None,
        notes: str | None = None,
    ) -> One:
        """A new client. Its email is unique in your organization, whatever its case: a
        second one raises ConflictError EMAIL_ALREADY_EXISTS (`numeric_code` 11)."""
        body = {
            "name": name,
            "email": email,
            "phone": phone,
            "secondPhone": second_phone,
            "externalUserId": external_user_id,
            "notes": notes,
        }
        return self._runner.one(Call("POST", CLIENTS, body=body))

    def get(self, client_id: int) -> One:
        """One client, with its `noShowCount`."""
        return self._runner.one(Call("GET", f"{CLIENTS}/{int(client_id)}"))

    def by_email(self, email: str) -> One:
        """The client with this email (any case); NotFoundError EMAIL_NOT_FOUND (`numeric_code`
        13) if there is none."""
        return self._runner.one(Call("GET", f"{CLIENTS}/by-email", params={"email": email}))

    def list(
        self, *, search: str | None = None, page: int | None = None, size: int | None = None
    ) -> One:
        """One page of clients by id: `page.clients`, `page.total_elements`... `search` matches
        part of the name, email, phones or externalUserId, in any case."""
        return self._runner.one(_list_call(search, page, size))

    def iter_all(self, *, search: str | None = None, size: int = 100) -> Each:
        """Every client matching `search`, fetching page after page as you iterate."""
        return self._runner.each(_list_call(search, 0, size), "clients")

    def update(
        self,
        client_id: int,
        *,
        name: str | NotGiven = NOT_GIVEN,
        email: str | NotGiven | None = NOT_GIVEN,
        phone: str | NotGiven | None = NOT_GIVEN,
        second_phone: str | NotGiven | None = NOT_GIVEN,
        external_user_id: str | NotGiven | None = NOT_GIVEN,
        notes: str | NotGiven | None = NOT_GIVEN,
    ) -> One:
        """Change only the fields given; None clears one (not the name)."""
        body = given(
            {
                "name": name,
                "email": email,
                "phone": phone,
                "secondPhone": second_phone,
                "externalUserId": external_user_id,
                "notes": notes,
            }
        )
        path = f"{CLIENTS}/{int(client_id)}"
        return self._runner.one(Call("PATCH", path, body=body, keep_nulls=True))

    def delete(self, client_id: int, *, erase: bool = False) -> One:
        """Delete a client without appointments (else ConflictError STILL_REFERENCED), or with
        `erase=True` erase the personal data (GDPR) of the client, its patients and its
        appointments, keeping anonymous records. Returns an empty Record."""
        params = {"erase": True} if erase else {}
        return self._runner.one(Call("DELETE", f"{CLIENTS}/{int(client_id)}", params=params))


class Patients(Resource[One, Many, Each]):
    """Patients: the dependents of a client, such as a child or an animal."""

    def create(
        self,
        client_id: int,
        *,
        name: str,
        species: str | None = None,
        birth_date: date | str | None = None,
        notes: str | None = None,
    ) -> One:
        """A new patient of the client."""
        body = {"name": name, "species": species, "birthDate": birth_date, "notes": notes}
        path = f"{CLIENTS}/{int(client_id)}/patients"
        return self._runner.one(Call("POST", path, body=body))

    def list(self, client_id: int) -> Many:
        """The patients of a client."""
        return self._runner.many(Call("GET", f"{CLIENTS}/{int(client_id)}/patients"))

    def get(self, patient_id: int) -> One:
        return self._runner.one(Call("GET", f"{PATIENTS}/{int(patient_id)}"))

    def update(
        self,
        patient_id: int,
        *,
        name: str | NotGiven = NOT_GIVEN,
        species: str | NotGiven | None = NOT_GIVEN,
        birth_date: date | str | NotGiven | None = NOT_GIVEN,
        notes: str | NotGiven | None = NOT_GIVEN,
    ) -> One:
        """Change only the fields given; None clears one (not the name)."""
        body = given({"name": name, "species": species, "birthDate": birth_date, "notes": notes})
        path = f"{PATIENTS}/{int(patient_id)}"
        return self._runner.one(Call("PATCH", path, body=body, keep_nulls=True))

    def delete(self, patient_id: int) -> One:
        """Delete a patient without appointments (else ConflictError STILL_REFERENCED);
        returns an empty Record."""
        return self._runner.one(Call("DELETE", f"{PATIENTS}/{int(patient_id)}"))


def _list_call(search: str | None, page: int | None, size: int | None) -> Call:
    return Call("GET", CLIENTS, params={"search": search, "page": page, "size": size})
