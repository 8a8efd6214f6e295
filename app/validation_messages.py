"""Pydantic's validation errors as the messages people read, for the HTTP side and ingest alike.

A validator that raises ValueError has already said what is wrong in words, and its message is
used as it is; pydantic's own errors get the offending value beside them where that helps.
"""

from collections.abc import Mapping
from types import MappingProxyType

from pydantic_core import ErrorDetails

_NO_PATTERN_MESSAGES: Mapping[str, str] = MappingProxyType({})


def message(detail: ErrorDetails, pattern_messages: Mapping[str, str] = _NO_PATTERN_MESSAGES) -> str:
    """What is wrong with one field, without its name: 'is required', "'x' is not 1, 2 or 3".

    `pattern_messages` says in words what a regular expression of the model asks for.
    """
    text = detail["msg"].removeprefix("Value error, ")
    if detail["type"] == "missing":
        return "is required"
    if detail["type"] == "extra_forbidden":
        return "is not a known field"
    if detail["type"] == "string_pattern_mismatch" and detail["ctx"]["pattern"] in pattern_messages:
        return f"{str(detail['input'])[:60]!r} {pattern_messages[detail['ctx']['pattern']]}"
    if detail["type"] != "value_error" and not isinstance(detail.get("input"), dict | list):
        return f"{str(detail.get('input'))[:60]!r}: {text}"
    return text
