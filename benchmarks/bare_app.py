"""The yardstick of benchmarks/booking.py: a bare FastAPI app answering a booking-sized JSON.

It takes the POST of the booking benchmark without reading it and answers 201 with the JSON of
a real booking response (a file written by the benchmark), served by uvicorn with the settings
of `slotbook serve`: one worker, uvloop and httptools when installed, no access log.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import uvicorn
from fastapi import FastAPI


def create_app(body: dict[str, Any]) -> FastAPI:
    app = FastAPI(title="Bare FastAPI")

    @app.post("/api/v1/appointments", status_code=201)
    async def create_appointment() -> dict[str, Any]:
        return body

    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--body", type=Path, required=True, help="JSON file to answer with")
    args = parser.parse_args()
    body = json.loads(args.body.read_text())
    uvicorn.run(
        create_app(body),
        host=args.host,
        port=args.port,
        workers=1,
        access_log=False,
        log_level="info",
    )


if __name__ == "__main__":
    main()
