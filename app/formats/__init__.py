"""File formats the timeline speaks: each module writes events out and, where it can, reads them in."""

from app.models import EventBase

_OWN_FIELDS = [name for name in EventBase.model_fields if name != "end_precision"]  # end_date's form says it
_AFTER = _OWN_FIELDS.index("location") + 1
# An event's fields in the order seed and CSV files write them: its own (EventBase's, so a new field
# is written with no change here), its countries and topics after its location, its sources and
# links last. Dates are partial-date text, so their precision is part of them.
EVENT_FIELDS = [
    *_OWN_FIELDS[:_AFTER],
    "countries",
    "concerns",
    "topics",
    *_OWN_FIELDS[_AFTER:],
    "sources",
    "links",
    "statements",
]
# What an event in a file must have: EventBase's required fields (date_precision aside: start_date's
# form says it), one country, one topic and one source.
REQUIRED_FIELDS = [
    *(name for name, field in EventBase.model_fields.items() if field.is_required() and name != "date_precision"),
    "countries",
    "topics",
    "sources",
]
