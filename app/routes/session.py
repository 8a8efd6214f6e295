"""The one way routes get a database session (a module of its own: the command line never loads FastAPI)."""

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlmodel import Session


async def get_session(request: Request) -> AsyncIterator[Session]:
    # Async so that closing runs on the event loop: a sync dependency's clean-up waits for a worker
    # thread, and threads waiting for a pooled connection could then wait forever.
    session = Session(request.app.state.engine)
    try:
        yield session
    finally:
        session.close()


SessionDep = Annotated[Session, Depends(get_session)]
