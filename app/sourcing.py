"""The sourcing policy as code: which hosts are primary sources, which are refused, and what a
source URL must not carry. The lists live beside the seeds (seeds/*-domains.txt) so that editors
change them with the data; docs/data-format.md explains them."""

from functools import cache
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from app.config import PROJECT_DIR

UNSUITABLE_DOMAINS = PROJECT_DIR / "seeds" / "unsuitable-domains.txt"
PRIMARY_DOMAINS = PROJECT_DIR / "seeds" / "primary-domains.txt"
# Query parameters that only track where a reader came from: the same page without them is the source.
TRACKING_PREFIXES = ("utm_",)
TRACKING_PARAMETERS = {"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid", "ref_src", "_ga"}
# First labels of hosts that serve unpublished copies of a site.
STAGING_LABELS = {"test", "staging", "dev", "preview"}


@cache
def domains(path: Path) -> tuple[str, ...]:
    """The hosts a list names, one a line; '#' starts a comment."""
    lines = (line.split("#", 1)[0].strip().lower() for line in path.read_text(encoding="utf-8").splitlines())
    return tuple(line for line in lines if line)


def host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def listed(url: str, path: Path) -> str | None:
    """The entry of the list that the URL's host is, or is a subdomain of."""
    name = host(url)
    return next((domain for domain in domains(path) if name == domain or name.endswith("." + domain)), None)


def is_primary(url: str) -> bool:
    return listed(url, PRIMARY_DOMAINS) is not None


def tracking_parameters(url: str) -> list[str]:
    return [
        name
        for name, _ in parse_qsl(urlsplit(url).query, keep_blank_values=True)
        if name.lower().startswith(TRACKING_PREFIXES) or name.lower() in TRACKING_PARAMETERS
    ]


def is_staging_host(url: str) -> bool:
    return host(url).split(".", 1)[0] in STAGING_LABELS
