"""Health check for load balancers and deployments."""

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
def healthz(request: Request):
    """Whether the database answers and its schema is the one this code expects."""
    expected = request.app.state.schema_head
    try:
        revision = current_revision(request.app.state.engine)
    except SQLAlchemyError:
        body = Health(status="unavailable", database="unreachable", schema_revision=None, expected_revision=expected)
        return JSONResponse(body.model_dump(), status_code=503)
    healthy = revision == expected
    body = Health(
        status="ok" if healthy else "unavailable",
        database="ok" if healthy else "schema behind the code: run `timeline migrate`",
        schema_revision=revision,
        expected_revision=expected,
    )
    return JSONResponse(body.model_dump(), status_code=200 if healthy else 503)
