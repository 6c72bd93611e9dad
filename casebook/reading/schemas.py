"""Write the JSON Schemas for editors (`make schemas`) from the checker's own field table."""
from pathlib import Path

from casebook.reading.formats import SCHEMAS, json_schema

SCHEMA_DIR = Path(__file__).resolve().parent.parent.parent / "schemas"


def main() -> None:
    for name, (record, title) in SCHEMAS.items():
        (SCHEMA_DIR / name).write_text(json_schema(record, title), encoding="utf-8")
        print(f"wrote schemas/{name}")


if __name__ == "__main__":
    main()
