"""The yardstick of benchmarks/booking.py: a bare FastAPI app answering a booking-sized JSON.

It takes the POST of the booking benchmark without reading it and answers 201 with the JSON of
a real booking response (a file written by the benchmark), served by uvicorn with the settings
of `slotbook serve`: the same number of worker processes (`--workers`, default one), uvloop and
httptools when installed, no access log.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

import uvicorn
from fastapi import FastAPI

from slotbook.cli.main import WORKER_START_SECONDS


def create_app(body: dict[str, Any]) -> FastAPI:
    app = FastAPI(title="Bare FastAPI")

    @app.post("/api/v1/appointments", status_code=201)
    async def create_appointment() -> dict[str, Any]:
        return body

    return app


BODY_VARIABLE = "SLOTBOOK_BARE_APP_BODY"


def from_environment() -> FastAPI:
    """The app of each worker process (uvicorn starts several only from an import string)."""
    return create_app(json.loads(Path(os.environ[BODY_VARIABLE]).read_text()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--body", type=Path, required=True, help="JSON file to answer with")
    parser.add_argument("--workers", type=int, default=1, help="server processes")
    args = parser.parse_args()
    os.environ[BODY_VARIABLE] = str(args.body.resolve())
    # The worker processes import this file by its name: its folder is on their path.
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    uvicorn.run(
        f"{Path(__file__).stem}:from_environment",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        timeout_worker_healthcheck=WORKER_START_SECONDS,  # as `slotbook serve`
        access_log=False,
        log_level="info",
    )


if __name__ == "__main__":
    main()
