"""Logging for the commands: one line per record, its structured fields as key=value pairs."""

import logging
import sys

# Attributes every LogRecord has; anything else was passed in `extra` and is printed as a field.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


class KeyValueFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        fields = {key: value for key, value in vars(record).items() if key not in _STANDARD}
        return line + "".join(f" {key}={_quoted(value)}" for key, value in fields.items())


def _quoted(value) -> str:
    text = str(value)
    return f'"{text}"' if not text or any(c in text for c in ' "=') else text


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
