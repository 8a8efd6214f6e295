"""Logging for the commands: one line per record, its structured fields as key=value pairs."""

import logging
import re
import sys

# Attributes every LogRecord has; anything else was passed in `extra` and is printed as a field.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


# Control characters (C0, DEL, C1) and Unicode's line and paragraph separators: a request for
# `/x%0a2026-… INFO timeline.ingest …` must not write a second, forged record.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


class KeyValueFormatter(logging.Formatter):
    """One record, one line: control characters in the message, a traceback or a field are escaped."""

    def format(self, record: logging.LogRecord) -> str:
        line = _escaped(super().format(record))
        fields = {key: value for key, value in vars(record).items() if key not in _STANDARD}
        return line + "".join(f" {key}={_quoted(value)}" for key, value in fields.items())


def _escaped(text: str) -> str:
    return _CONTROL.sub(lambda match: _ESCAPES.get(match[0]) or f"\\u{ord(match[0]):04x}", text)


def _quoted(value) -> str:
    text = str(value)
    if text and not any(c in text for c in ' "='):
        return _escaped(text)
    # Quotes (and so backslashes) inside are escaped, so that a value cannot end early and forge a field.
    return '"' + _escaped(text.replace("\\", "\\\\").replace('"', '\\"')) + '"'


class _StandardErrorHandler(logging.StreamHandler):
    """Writes to whatever sys.stderr is when a record comes (it may be replaced, as under pytest)."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:
        pass


def configure_logging(level: int = logging.INFO) -> None:
    handler = _StandardErrorHandler()
    handler.setFormatter(KeyValueFormatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    root = logging.getLogger("timeline")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False
