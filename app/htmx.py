"""What an htmx request asks the timeline for, read the same way by the route and by the cache key."""

from starlette.datastructures import Headers


def requested_fragment(headers: Headers) -> str | None:
    """ "results" (the results block), "later" or "earlier" (the events after or before the list on
    screen, see app/event_list.py), "navigator" (the time navigator alone, after a zoom or a pan), or
    None for the whole page.

    htmx sends each header as "true" when it applies; a history restore asks for the whole page.
    """
    if headers.get("hx-request") != "true" or headers.get("hx-history-restore-request") == "true":
        return None
    target = headers.get("hx-target")
    return target if target in ("later", "earlier", "navigator") else "results"
