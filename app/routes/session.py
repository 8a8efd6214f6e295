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
            await stack.enter_async_context(search_slot(request))
        session = stack.enter_context(Session(request.app.state.engine))
        yield session


@asynccontextmanager
async def search_slot(request: Request) -> AsyncIterator[None]:
    """Word searches are the costliest reads (a full-text match per word, many for a prefix): only a few
    run at once, so that a burst of them leaves worker threads and CPU for every other request. A search
    that waits longer than one query may run is refused (503) rather than queued without bound."""
    slots: asyncio.Semaphore = request.app.state.search_slots
    try:
        await asyncio.wait_for(slots.acquire(), request.app.state.settings.query_seconds)
    except TimeoutError:
        raise HTTPException(
            503, "Too many word searches are running at once. Try again in a moment.", headers={"Retry-After": "1"}
        ) from None
    try:
        yield
    finally:
        slots.release()


# Closed when the route returns, before the response is sent: a client that reads slowly holds no
# connection (streamed exports read each batch with a session of their own).
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
