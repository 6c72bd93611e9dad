"""Write the JSON Schemas for editors (`make schemas`) from the checker's own field table."""
from pathlib import Path

from casebook.reading.formats import SCHEMAS, json_schema

_PACKAGE = Path(__file__).resolve().parent.parent
# Installed, the schemas are package data (casebook/schemas, mapped by pyproject.toml); in the
# repository, the top-level schemas/ folder, which `make schemas` writes.
SCHEMA_DIR = (_PACKAGE / "schemas" if (_PACKAGE / "schemas").is_dir()
              else _PACKAGE.parent / "schemas")


def main() -> None:
    for name, (record, title) in SCHEMAS.items():
        (SCHEMA_DIR / name).write_text(json_schema(record, title), encoding="utf-8")
        print(f"wrote schemas/{name}")


if __name__ == "__main__":
    main()
