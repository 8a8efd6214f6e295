"""Many rows read as one value: a column of every row joined into one text by the database, parsed
in C, and sets of numbers as bitmaps (pyroaring). Fetching a row per event costs ten times more."""

import array

import numpy as np
from pyroaring import BitMap
from sqlalchemy import String, cast, func


def joined(column, separator: str):
    """A column's values of every row as one text: a single value to fetch instead of a row per event."""
    return func.aggregate_strings(cast(column, String), separator)


def numbers(text: str | None) -> np.ndarray:
    """Comma-separated integers, parsed in C."""
    if not text:
        return np.zeros(0, dtype=np.int64)
    return np.fromstring(text, dtype=np.int64, sep=",")


def day_numbers(text: str | None) -> np.ndarray:
    """ISO dates written one after another (each exactly ten characters), as days since 1970-01-01."""
    if not text:
        return np.zeros(0, dtype=np.int64)
    return np.frombuffer(text.encode("ascii"), dtype="S10").astype("datetime64[D]").astype(np.int64)


def bitmap(places: np.ndarray) -> BitMap:
    """Places in ascending order as a bitmap."""
    # Through array.array: pyroaring reads its buffer at once, a numpy array element by element.
    return BitMap(array.array("I", places.astype(np.uint32).tobytes()))


def bitmap_of_any_order(places: np.ndarray, size: int) -> BitMap:
    """Places in any order as a bitmap: marked in an array of every place and read back in order,
    which costs less than sorting them once they are more than a few in a hundred."""
    if len(places) * 64 < size:
        return bitmap(np.sort(places))
    marked = np.zeros(size, dtype=bool)
    marked[places] = True
    return bitmap(np.flatnonzero(marked))
