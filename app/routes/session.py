"""The one way routes get a database session (a module of its own: the command line never loads FastAPI)."""

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlmodel import Session


async def get_session(request: Request) -> AsyncIterator[Session]:
    # Async so that closing runs on the event loop, not on a worker thread that may be busy.
    session = Session(request.app.state.engine)
    try:
        yield session
    finally:
        session.close()


# Closed when the route returns, before the response is sent: a client that reads slowly holds no
# connection (streamed exports read each batch with a session of their own).
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
