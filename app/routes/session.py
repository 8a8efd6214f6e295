"""The one way routes get a database session (a module of its own: the command line never loads FastAPI)."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from sqlmodel import Session


async def get_session(request: Request) -> AsyncIterator[Session]:
    # Async so that closing runs on the event loop, not on a worker thread that may be busy.
    async with AsyncExitStack() as stack:
        if request.query_params.get("q", "").strip():
            await stack.enter_async_context(
                slot(request.app.state.search_slots, request, "Too many word searches are running at once.")
            )
        await stack.enter_async_context(slot(request.app.state.session_slots, request, "The server is busy."))
        session = stack.enter_context(Session(request.app.state.engine))
        yield session


@asynccontextmanager
async def slot(slots: asyncio.Semaphore, request: Request, busy: str) -> AsyncIterator[None]:
    """One of a bounded number of places, waited for on the event loop (holding no thread); refused
    with a 503 after as long as one query may run, rather than queued without bound.

    Sessions: a session keeps its connection until it closes, after the route's response has been
    validated, which FastAPI does on a worker thread for a route that is not async. With more
    sessions than connections, routes holding threads would wait for connections held by sessions
    waiting for threads; with at most as many sessions as worker threads, no route ever waits.
    Word searches: the costliest reads (a full-text match per word, many for a prefix): only a few
    run at once, so that a burst of them leaves worker threads and CPU for every other request."""
    try:
        await asyncio.wait_for(slots.acquire(), request.app.state.settings.query_seconds)
    except TimeoutError:
        raise HTTPException(503, f"{busy} Try again in a moment.", headers={"Retry-After": "1"}) from None
    try:
        yield
    finally:
        slots.release()


# Closed when the route returns, before the response is sent: a client that reads slowly holds no
# connection (streamed exports read each batch with a session of their own).
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
