"""The examples a document shows: each fenced block after `<!-- example: NAME -->` is a file,
verbatim (an SDK's README names its examples/ files, docs/sdk.md paths from the repository
root), so running the files runs the documents."""

from __future__ import annotations

import re
from pathlib import Path

_EXAMPLE = re.compile(r"<!-- example: (?P<name>[\w./-]+) -->\n```\w*\n(?P<code>.*?)```", re.DOTALL)


def embedded_examples(readme: Path) -> dict[str, str]:
    found: dict[str, str] = {}
    for match in _EXAMPLE.finditer(readme.read_text()):
        assert match["name"] not in found, f"{match['name']} is shown twice in {readme}"
        found[match["name"]] = match["code"]
    return found
