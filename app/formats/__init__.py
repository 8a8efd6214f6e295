"""File formats the timeline speaks: each module writes events out and, where it can, reads them in."""
