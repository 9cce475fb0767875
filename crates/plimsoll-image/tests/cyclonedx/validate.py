#!/usr/bin/env python3
"""Validate a CycloneDX 1.5 JSON document against the vendored schema."""
import json
import pathlib
import sys

import jsonschema

HERE = pathlib.Path(__file__).resolve().parent
BASE = "http://cyclonedx.org/schema/"


def main() -> int:
    bom = json.loads(pathlib.Path(sys.argv[1]).read_text())
    schemas = {
        name: json.loads((HERE / name).read_text())
        for name in (
            "bom-1.5.SNAPSHOT.schema.json",
            "spdx.SNAPSHOT.schema.json",
            "jsf-0.82.SNAPSHOT.schema.json",
        )
    }
    root = schemas["bom-1.5.SNAPSHOT.schema.json"]
    errors = []
    try:
        from referencing import Registry, Resource

        registry = Registry().with_resources(
            [(BASE + name, Resource.from_contents(s)) for name, s in schemas.items()]
        )
        validator = jsonschema.Draft7Validator(
            root, registry=registry, format_checker=jsonschema.FormatChecker()
        )
    except ImportError:  # jsonschema < 4.18
        store = {BASE + name: s for name, s in schemas.items()}
        resolver = jsonschema.RefResolver.from_schema(root, store=store)
        validator = jsonschema.Draft7Validator(
            root, resolver=resolver, format_checker=jsonschema.FormatChecker()
        )
    errors = [
        f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}"
        for e in validator.iter_errors(bom)
    ]
    # The published schema requires `version`; the vendored copy does not.
    if "version" not in bom:
        errors.append("(root): 'version' is a required property")
    for e in errors:
        print(e, file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
