"""The SDK as its own distribution: it builds as a wheel that installs and imports alone, its
typed models are those docs/openapi.json describes, and `slotbook.sdk` still names it."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path
from types import ModuleType

import httpx

import slotbook_client
from slotbook_client import Appointment, AppointmentPage, Department, Record
from slotbook_client._core import Call, decode, model_for
from slotbook_client.models import ClientRecord, OrganizationRef, SlotList, WeeklyHours

ROOT = Path(__file__).resolve().parents[2]
SDK_DIR = ROOT / "sdk" / "python"


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "generate_models", SDK_DIR / "tools" / "generate_models.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_models_are_those_docs_openapi_json_describes() -> None:
    generator = _generator()
    written = (SDK_DIR / "src" / "slotbook_client" / "models.py").read_text(encoding="utf-8")
    assert written == generator.generate(), (
        "slotbook_client/models.py is out of date: run `make openapi` "
        "(or python sdk/python/tools/generate_models.py)"
    )


def test_each_answer_is_decoded_into_its_typed_model() -> None:
    assert model_for("GET", "api/v1/appointments/5") is Appointment
    assert model_for("GET", "api/v1/appointments") is AppointmentPage
    # A literal segment wins over a path parameter in the same place.
    assert model_for("GET", "api/v1/appointments/available-slots") is SlotList
    assert model_for("PUT", "api/v1/departments/5/hours") is WeeklyHours
    assert model_for("GET", "api/v1/clients/by-email") is ClientRecord
    assert model_for("GET", "api/v1/no-such-thing") is Record

    body = {
        "page": 0,
        "isLast": True,
        "appointments": [{"id": 7, "qrCode": "QR-1", "status": "SCHEDULED"}],
    }
    page = decode(httpx.Response(200, json=body), Call("GET", "api/v1/appointments"))
    assert type(page) is AppointmentPage
    appointment = page.appointments[0]
    assert type(appointment) is Appointment
    assert (appointment.id, appointment.qr_code, appointment["qrCode"]) == (7, "QR-1", "QR-1")

    departments = decode(
        httpx.Response(200, json=[{"id": 5, "organization": {"id": 1, "name": "M"}}]),
        Call("GET", "api/v1/departments"),
    )
    assert type(departments[0]) is Department
    assert type(departments[0].organization) is OrganizationRef
    assert Appointment.__annotations__["qr_code"] == "str"


def test_the_moncreneau_names_are_the_client() -> None:
    assert slotbook_client.MoncreneauClient is slotbook_client.Client
    assert slotbook_client.Moncreneau is slotbook_client.Client
    assert slotbook_client.Slotbook is slotbook_client.SlotbookClient is slotbook_client.Client
    from slotbook_client.exceptions import InsufficientCreditsError

    assert InsufficientCreditsError is slotbook_client.InsufficientCreditsError


def test_slotbook_sdk_is_the_same_sdk() -> None:
    import slotbook.sdk
    import slotbook.sdk.errors
    import slotbook.sdk.webhooks
    import slotbook_client.errors
    import slotbook_client.webhooks

    assert slotbook.sdk.Client is slotbook_client.Client
    assert set(slotbook.sdk.__all__) == set(slotbook_client.__all__)
    assert slotbook.sdk.webhooks.verify is slotbook_client.webhooks.verify
    assert slotbook.sdk.errors.BOOKING_RULE_CODES is slotbook_client.errors.BOOKING_RULE_CODES


def test_the_wheel_installs_and_imports_on_its_own(tmp_path: Path) -> None:
    """`pip wheel ./sdk/python` builds a wheel holding only slotbook_client; installed into a
    fresh virtualenv that has nothing but httpx's packages beside it, it imports without the
    server and declares httpx as its only dependency."""
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", str(SDK_DIR), "-w", str(wheels)],
        check=True,
        timeout=300,
    )
    (wheel,) = wheels.glob("slotbook_client-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert all(name.split("/")[0].startswith("slotbook_client") for name in names), names
    assert "slotbook_client/py.typed" in names

    fresh = tmp_path / "venv"
    venv.create(fresh, with_pip=False)
    fresh_python = fresh / "bin" / "python"
    site = Path(
        subprocess.run(
            [fresh_python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site), wheel],
        check=True,
        timeout=120,
    )
    # httpx and its dependencies, from this environment, after the fresh one's own packages.
    (site / "httpx_deps.pth").write_text(sysconfig.get_path("purelib") + "\n")
    code = (
        "import sys, importlib.metadata as m, slotbook_client\n"
        "from slotbook_client import Client, Appointment\n"
        "print(slotbook_client.__file__)\n"
        "print(m.requires('slotbook-client'))\n"
        "print(sorted(n for n in sys.modules if n == 'slotbook' or n.startswith('slotbook.')))\n"
        "print(Client('sb_live_x').appointments.__class__.__name__)\n"
    )
    out = subprocess.run(
        [fresh_python, "-c", code], capture_output=True, text=True, check=True, timeout=60
    ).stdout.splitlines()
    assert out[0].startswith(str(site)), out
    assert out[1] == "['httpx<1,>=0.27']"
    assert out[2] == "[]"
    assert out[3] == "Appointments"
