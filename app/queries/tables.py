"""The tables the queries read, as SQLAlchemy Core tables (rows are read without ORM objects)."""

from app.models import (
    Country,
    Era,
    EraCountry,
    Event,
    EventCountry,
    EventIndexSnapshot,
    EventLink,
    EventTopic,
    Revision,
    Source,
    Statement,
    Topic,
)

event = Event.__table__


event_country = EventCountry.__table__


event_topic = EventTopic.__table__


country = Country.__table__


topic = Topic.__table__


source = Source.__table__


event_link = EventLink.__table__


statement = Statement.__table__


revision = Revision.__table__


era = Era.__table__


era_country = EraCountry.__table__


event_index_snapshot = EventIndexSnapshot.__table__
