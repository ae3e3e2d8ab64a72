"""Write slotbook_client/models.py, the typed models of the API's answers, from docs/openapi.json.

Run `python sdk/python/tools/generate_models.py` after the API changes (`make openapi` does);
tests/sdk/test_models.py fails while the committed module differs from what this writes.
"""

from __future__ import annotations

import json
import keyword
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[3]
OPENAPI = ROOT / "docs" / "openapi.json"
TARGET = ROOT / "sdk" / "python" / "src" / "slotbook_client" / "models.py"
API_PREFIX = "/api/v1/"
REF = "#/components/schemas/"
# A field named like a dict method stays reachable by item access only.
DICT_NAMES = frozenset(dir(dict))

Schema = Mapping[str, Any]


# Names that would shadow the SDK's own (`slotbook_client.Client` is the API client).
RENAMED = {"ClientRead": "ClientRecord"}


def class_name(schema_name: str) -> str:
    """`AppointmentRead` -> `Appointment`: the answers are what a client reads."""
    return RENAMED.get(schema_name) or schema_name.removesuffix("Read") or schema_name


def snake_case(name: str) -> str:
    return re.sub(r"(?<!^)([A-Z])", r"_\1", name).lower()


def camel_case(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def ref_name(schema: Schema) -> str | None:
    ref = schema.get("$ref")
    return ref.removeprefix(REF) if isinstance(ref, str) else None


def refs_in(schema: Any) -> Iterator[str]:
    """Every schema name referenced anywhere inside `schema`."""
    if isinstance(schema, dict):
        name = ref_name(schema)
        if name is not None:
            yield name
        for value in schema.values():
            yield from refs_in(value)
    elif isinstance(schema, list):
        for value in schema:
            yield from refs_in(value)


class Generator:
    def __init__(self, openapi: Mapping[str, Any]) -> None:
        self.schemas: Mapping[str, Schema] = openapi["components"]["schemas"]
        self.names = self._class_names()
        self.routes = self._routes(openapi["paths"])
        self.order = self._reachable([name for _, _, name in self.routes])

    def _class_names(self) -> dict[str, str]:
        """Class names, without a `Read` suffix unless another schema has that name."""
        names = {}
        for name in self.schemas:
            short = class_name(name)
            names[name] = name if short != name and short in self.schemas else short
        return names

    def _routes(self, paths: Mapping[str, Any]) -> list[tuple[str, str, str]]:
        """(method, path template, schema name) of each /api/v1 answer that is an object or a
        list of objects of a named schema."""
        routes = []
        for path, operations in paths.items():
            if not path.startswith(API_PREFIX):
                continue
            for method, operation in operations.items():
                for status, response in operation.get("responses", {}).items():
                    if not status.startswith("2"):
                        continue
                    schema = response.get("content", {}).get("application/json", {}).get("schema")
                    if not isinstance(schema, dict):
                        continue
                    name = ref_name(schema) or ref_name(schema.get("items", {}))
                    if name is not None and self._is_object(name):
                        routes.append((method.upper(), path, name))
        return sorted(routes)

    def _is_object(self, name: str) -> bool:
        return "properties" in self.schemas[name]

    def _reachable(self, roots: list[str]) -> list[str]:
        """The schemas the answers use, each after the ones it refers to."""
        order: list[str] = []
        seen: set[str] = set()

        def visit(name: str) -> None:
            if name in seen:
                return
            seen.add(name)
            for child in sorted(set(refs_in(self.schemas[name]))):
                visit(child)
            order.append(name)

        for root in sorted(set(roots)):
            visit(root)
        return order

    def python_type(self, schema: Schema) -> str:
        name = ref_name(schema)
        if name is not None:
            return self.names[name]
        if "anyOf" in schema:
            options = dict.fromkeys(self.python_type(option) for option in schema["anyOf"])
            return " | ".join(options)
        if "enum" in schema:
            return "Literal[" + ", ".join(json.dumps(value) for value in schema["enum"]) + "]"
        kind = schema.get("type")
        if kind == "array":
            return f"list[{self.python_type(schema.get('items', {}))}]"
        if kind == "object":
            values = schema.get("additionalProperties")
            inner = self.python_type(values) if isinstance(values, dict) else "Any"
            return f"dict[str, {inner}]"
        simple = {"integer": "int", "number": "float", "string": "str", "boolean": "bool"}
        if kind == "null":
            return "None"
        return simple.get(str(kind), "Any")

    def nested_model(self, schema: Schema) -> str | None:
        """The model of the object(s) a field holds, when it is a named object schema."""
        for candidate in (schema, schema.get("items", {}), *schema.get("anyOf", [])):
            name = ref_name(candidate) or ref_name(candidate.get("items", {}))
            if name is not None and self._is_object(name):
                return self.names[name]
        return None

    def render(self) -> str:
        lines = [
            '"""Typed models of the API\'s answers, written from docs/openapi.json by',
            "sdk/python/tools/generate_models.py: do not edit by hand.",
            "",
            "Each model is a Record: a dict of the JSON as the API sent it (camelCase keys) whose",
            "fields are also attributes in snake_case, declared here with their types.",
            '"""',
            "",
            "from __future__ import annotations",
            "",
            "from collections.abc import Mapping",
            "from typing import Any, Literal, TypeAlias",
            "",
            "from slotbook_client.record import Record",
            "",
        ]
        nested: dict[str, dict[str, str]] = {}
        for name in self.order:
            schema = self.schemas[name]
            if not self._is_object(name):
                lines += ["", "", f"{self.names[name]}: TypeAlias = {self.python_type(schema)}"]
                continue
            description = (schema.get("description") or f"`{name}` of the API.").strip()
            first = description.splitlines()[0].replace('"""', "'''")
            lines += ["", "", f"class {self.names[name]}(Record):", f'    """{first}"""', ""]
            fields = []
            for key, prop in schema["properties"].items():
                attribute = snake_case(key)
                if (
                    camel_case(attribute) != key
                    or attribute in DICT_NAMES
                    or keyword.iskeyword(attribute)
                ):
                    continue
                fields.append(f"    {attribute}: {self.python_type(prop)}")
                model = self.nested_model(prop)
                if model is not None:
                    nested.setdefault(self.names[name], {})[key] = model
            lines += fields or ["    pass"]
        lines += ["", ""]
        for owner, models in nested.items():
            entries = ", ".join(f'"{key}": {model}' for key, model in models.items())
            lines.append(f"{owner}.nested = {{{entries}}}")
        lines += [
            "",
            "# The model of the answer of each operation, by method and path template.",
            "RESPONSE_MODELS: Mapping[tuple[str, str], type[Record]] = {",
        ]
        for method, path, schema_name in self.routes:
            lines.append(f'    ("{method}", "{path}"): {self.names[schema_name]},')
        lines += ["}", ""]
        return "\n".join(line.rstrip() for line in lines)


def ruff(*args: str, source: str) -> str:
    """`source` through ruff with the project's settings, as the rest of the code is."""
    executable = shutil.which("ruff", path=str(Path(sys.executable).parent)) or "ruff"
    return subprocess.run(  # noqa: S603 - ruff of this environment, fixed arguments
        [executable, *args, "--stdin-filename", str(TARGET), "-"],
        input=source,
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout


def generate(openapi_path: Path = OPENAPI) -> str:
    text = Generator(json.loads(openapi_path.read_text(encoding="utf-8"))).render()
    text = ruff("check", "--fix-only", "--select", "I", "--quiet", source=text)
    return ruff("format", "--quiet", source=text)


def main() -> None:
    text = generate()
    if "--check" in sys.argv:
        if TARGET.read_text(encoding="utf-8") != text:
            sys.exit(f"{TARGET} is not current: run {Path(__file__).name}")
        return
    TARGET.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
