"""The data version a session reads, and the cache every value computed from the data goes through."""

from collections.abc import Callable, Hashable
from typing import TypeVar

from sqlalchemy import select
from sqlmodel import Session

from app import cache
from app.models import DataVersion

T = TypeVar("T")


def data_version(session: Session) -> int:
    """The data's version, read once per session: a request sees one version throughout."""
    if "version" not in session.info:
        session.info["version"] = session.execute(select(DataVersion.version)).scalar_one_or_none() or 0
    return session.info["version"]


def cached(session: Session, key: Hashable, compute: Callable[[], T]) -> T:
    """A value computed from the data, kept until the data changes (see app/cache.py)."""
    return cache.results.get(str(session.get_bind().url), data_version(session), key, compute)
