"""/openapi.json that names the country codes and topics the data knows.

The filter parameters accept exactly these (in any case), so the schema lists them: a client, or
a fuzzer, reading it knows which values are answered and which are refused.
"""

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from sqlalchemy import select

from app import cache
from app.models import Country, Topic


def install_openapi(app: FastAPI) -> None:
    def openapi() -> dict:
        with app.state.engine.connect() as connection:
            version, _ = cache.current_version(connection)

            def compute() -> dict:
                codes = list(connection.execute(select(Country.code)).scalars())
                slugs = list(connection.execute(select(Topic.slug)).scalars())
                return _with_known_values(_base_schema(app), codes, slugs)

            return cache.openapi.get(str(app.state.engine.url), version, (), compute)

    app.openapi = openapi


def _base_schema(app: FastAPI) -> dict:
    return get_openapi(
        title=app.title, version=app.version, summary=app.summary, routes=app.routes, description=app.description
    )


def _with_known_values(schema: dict, codes: list[str], slugs: list[str]) -> dict:
    patterns = {"country": _any_case_pattern(codes), "topic": _any_case_pattern(slugs)}
    for operation in (op for path in schema["paths"].values() for op in path.values()):
        for parameter in operation.get("parameters", []):
            if parameter["name"] in patterns:
                parameter["schema"]["items"] = {"type": "string", "pattern": patterns[parameter["name"]]}
    return schema


def _any_case_pattern(values: list[str]) -> str:
    """A regular expression that matches any of the values in any case, or the empty string."""

    def letters(value: str) -> str:
        # Slugs and codes hold letters, digits and hyphens; only letters need both cases.
        return "".join(f"[{c.upper()}{c.lower()}]" if c.isalpha() else c for c in value)

    return "^(?:" + "|".join(letters(value) for value in sorted(values)) + ")?$"
