"""``/v1/recommendations``: a path recommendation from structured deal facts, synchronously."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from app.api.deps import (
    IdempotencyKeyDep,
    get_current_user,
    get_engine,
    get_policy,
    get_settings,
)
from app.api.idempotency import idempotent, json_content_digest, request_fingerprint
from app.api.openapi import json_body, problem_responses
from app.api.recommending import parse_recommendation_request, recommend
from app.api.schemas import Recommendation, RecommendationRequest
from app.uploads import UnsupportedMediaTypeError, read_capped

router = APIRouter(prefix="/recommendations", tags=["recommendations"])

CREATE_SCOPE = "POST /v1/recommendations"
MAX_BODY_BYTES = 2_000_000
JSON = "application/json"


@router.post(
    "",
    response_model=Recommendation,
    openapi_extra=json_body(RecommendationRequest),
    responses=problem_responses(409, 413, 415, 422),
)
async def create_recommendation(
    *, request: Request, idempotency_key: IdempotencyKeyDep = None
) -> Response:
    """Decide on deal facts (e.g. from a closed-won event) with the policy cases are decided by.

    Fields the fact schema does not know are refused, never silently dropped.
    """
    # Read here rather than declared as dependencies: each one FastAPI resolves costs more
    # than the route's own work on a request that is answered in about a millisecond.
    settings, policy, engine = get_settings(request), get_policy(request), get_engine(request)
    content_type = request.headers.get("content-type", "application/json")
    if not content_type.split(";")[0].strip().lower().endswith(("/json", "+json")):
        raise UnsupportedMediaTypeError("Send the facts as application/json.")
    body = await read_capped(
        request.stream(),
        content_length=request.headers.get("content-length"),
        limit=MAX_BODY_BYTES,
    )

    async def produce() -> Response:
        payload = parse_recommendation_request(body)
        recommendation = await recommend(request=payload, policy=policy, settings=settings)
        # The model's own JSON, as ``dump`` and JSONResponse would give it, without
        # parsing it into Python objects and writing them out again.
        return Response(recommendation.model_dump_json(by_alias=True), media_type=JSON)

    if idempotency_key is None:
        # Nothing to keep: the body's canonical digest would be work for no one.
        return await produce()
    user = await get_current_user(request, engine)
    return await idempotent(
        engine=engine,
        scope=CREATE_SCOPE,
        caller=user.id,
        key=idempotency_key,
        request_hash=request_fingerprint(
            path=request.url.path, query=request.url.query, content=json_content_digest(body)
        ),
        instance=request.url.path,
        produce=produce,
    )
