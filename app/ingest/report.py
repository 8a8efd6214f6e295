"""What an ingest tells its caller: the counts of a run that succeeded, or every error of one that failed."""

from dataclasses import dataclass, field


class IngestFailed(Exception):
    def __init__(self, errors: list[str]):
        super().__init__(f"{len(errors)} error(s)")
        self.errors = errors


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"

    def add(self, total: int, created: int, updated: int) -> None:
        """Count a batch of `total` items, of which `created` were new and `updated` changed."""
        self.created += created
        self.updated += updated
        self.unchanged += total - created - updated


@dataclass
class IngestReport:
    files: list[str]
    events: Counts = field(default_factory=Counts)
    countries: Counts = field(default_factory=Counts)
    topics: Counts = field(default_factory=Counts)
    eras: Counts = field(default_factory=Counts)
    dry_run: bool = False
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return any(counts.created or counts.updated for counts in (self.events, self.countries, self.topics, self.eras))

    def lines(self) -> list[str]:
        lines = [
            f"events: {self.events}",
            f"countries: {self.countries}",
            f"topics: {self.topics}",
            f"eras: {self.eras}",
            f"{len(self.files)} file(s) in {self.seconds:.2f} s",
        ]
        if self.dry_run:
            lines.append("dry run: nothing was written")
        return lines
