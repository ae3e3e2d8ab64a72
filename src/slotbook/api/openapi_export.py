"""`python -m slotbook.api.openapi_export [PATH]`: write the OpenAPI document to a file."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from slotbook.api.app import create_app
from slotbook.config import Settings

DEFAULT_PATH = Path("docs/openapi.json")


def document() -> dict[str, Any]:
    # The document does not depend on the database; an in-memory one is never opened.
    return create_app(Settings(database_url="sqlite://")).openapi()


def render(spec: dict[str, Any]) -> str:
    return json.dumps(spec, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> None:
    path = Path(argv[0]) if argv else DEFAULT_PATH
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(document()), encoding="utf-8")
    print(f"wrote {path}")


if __name__ == "__main__":
    main(sys.argv[1:])
