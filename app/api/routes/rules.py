"""``/v1/rules``: review a candidate policy against every stored case before release."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse, Response

from app.api.deps import CurrentUser, EngineDep, IdempotencyKeyDep, PolicyDep, SettingsDep
from app.api.idempotency import idempotent, request_fingerprint
from app.api.openapi import multipart_body, problem_responses
from app.api.policy_archive import MAX_ARCHIVE_BYTES
from app.api.replaying import replay_policy_archive
from app.api.schemas import dump
from app.errors import InvalidRequestError
from app.uploads import FRAMING_ALLOWANCE_BYTES, UploadLimits, read_multipart
from rules import ReplayReport

router = APIRouter(prefix="/rules", tags=["rules"])

REPLAY_SCOPE = "POST /v1/rules/replay"
ARCHIVE_FIELD = "archive"
ARCHIVE_LIMITS = UploadLimits(
    max_file_bytes=MAX_ARCHIVE_BYTES,
    max_request_bytes=MAX_ARCHIVE_BYTES + FRAMING_ALLOWANCE_BYTES,
    max_files=1,
)
REPLAY_BODY = multipart_body(
    files=ARCHIVE_FIELD,
    many=False,
    fields={},
    description="The candidate policy directory as a .zip or .tar.gz archive "
    "(rule files and parameters.yaml at its top level or in one folder).",
)


@router.post(
    "/replay",
    response_model=ReplayReport,
    openapi_extra=REPLAY_BODY,
    responses=problem_responses(409, 413, 415, 422, 503),
)
async def replay_rules(
    *,
    request: Request,
    user: CurrentUser,
    settings: SettingsDep,
    engine: EngineDep,
    policy: PolicyDep,
    idempotency_key: IdempotencyKeyDep = None,
) -> Response:
    """Which stored decisions the candidate policy would change, and the rules responsible.

    The same report as ``triage rules replay --json``, against the policy the service runs.
    An invalid policy is refused with its problems (422 ``policy_invalid``).
    """
    form = await read_multipart(
        request.stream(),
        content_type=request.headers.get("content-type"),
        content_length=request.headers.get("content-length"),
        limits=ARCHIVE_LIMITS,
    )

    async def produce() -> Response:
        form.refuse_unknown(files={ARCHIVE_FIELD}, fields=set())
        parts = form.files_named(ARCHIVE_FIELD)
        if len(parts) != 1:
            raise InvalidRequestError(
                f"Send the policy archive in the form field {ARCHIVE_FIELD!r}."
            )
        archive = parts[0].data
        report = await run_in_threadpool(
            lambda: replay_policy_archive(
                archive=archive, engine=engine, policy=policy, settings=settings
            )
        )
        return JSONResponse(dump(report))

    return await idempotent(
        engine=engine,
        scope=REPLAY_SCOPE,
        caller=user.id,
        key=idempotency_key,
        request_hash=request_fingerprint(
            path=request.url.path, query=request.url.query, content=form.fingerprint()
        ),
        instance=request.url.path,
        produce=produce,
    )
