"""Health check for load balancers and deployments."""

import asyncio

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import SQLAlchemyError

from app.migrations import current_revision

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str
    database: str
    schema_revision: str | None
    expected_revision: str | None


@router.get("/healthz", response_model=Health, responses={503: {"model": Health}})
async def healthz(request: Request):
    """Whether the database answers and its schema is the one this code expects, as of now (never cached)."""
    state = request.app.state
    expected = state.schema_head
    try:
        # On the threads and connections kept for quick reads: it answers while every request thread is busy.
        revision = await asyncio.get_running_loop().run_in_executor(
            state.quick_reads, current_revision, state.quick_engine
        )
    except SQLAlchemyError:
        body = Health(status="unavailable", database="unreachable", schema_revision=None, expected_revision=expected)
        return _answer(body, 503)
    healthy = revision == expected
    body = Health(
        status="ok" if healthy else "unavailable",
        database="ok" if healthy else "schema behind the code: run `timeline migrate`",
        schema_revision=revision,
        expected_revision=expected,
    )
    return _answer(body, 200 if healthy else 503)


def _answer(body: Health, status: int) -> JSONResponse:
    return JSONResponse(body.model_dump(), status_code=status, headers={"Cache-Control": "no-store"})
