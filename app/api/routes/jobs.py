"""``/v1/jobs``: where a case's background work is."""

from __future__ import annotations

from fastapi import APIRouter

from app.api.deps import SessionDep
from app.api.openapi import problem_responses
from app.api.schemas import JobPublic
from app.jobs.store import get_job

router = APIRouter(prefix="/jobs", tags=["jobs"])


@router.get("/{job_id}", response_model=JobPublic, responses=problem_responses(404))
def read_job(job_id: str, session: SessionDep) -> JobPublic:
    """A job's state, attempts and last error."""
    return JobPublic.of(get_job(session=session, job_id=job_id))
