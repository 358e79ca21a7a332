"""A path recommendation from structured deal facts, decided as a case would be."""

from __future__ import annotations

import contextlib

from pydantic import ValidationError

from app.api.problems import field_errors
from app.api.schemas import Recommendation, RecommendationRequest
from app.deciding import decide_with_settings_async
from app.errors import InvalidRequestError
from app.settings import Settings
from app.views.case_view import decision_summary
from extractors.facts import FactRecord
from rules import CaseContext, FactsError, Policy


class _OnePassRequest(RecommendationRequest):
    """``RecommendationRequest`` validated straight from the JSON, unknown fields refused
    everywhere by the validation itself (``extra="forbid"`` given for the whole body).

    ``RecommendationRequest`` refuses the facts' unknown fields by validating the facts a
    second time, from the Python objects the JSON was parsed into: about twice the work.
    """

    facts: FactRecord


def parse_recommendation_request(body: bytes) -> RecommendationRequest:
    """The request body as facts and context; unknown fields anywhere are refused."""
    if not body.strip():
        raise InvalidRequestError('Send the deal facts as a JSON object: {"facts": {...}}.')
    with contextlib.suppress(ValidationError):
        return _OnePassRequest.model_validate_json(body, extra="forbid")
    # Refused (or a form only the model's own validators take, such as facts given as a
    # JSON string): the model says so, with its own errors.
    try:
        return RecommendationRequest.model_validate_json(body)
    except ValidationError as error:
        raise InvalidRequestError(
            "Some fields of the request are missing or not valid.",
            errors=field_errors(error.errors()),
        ) from error


async def recommend(
    *, request: RecommendationRequest, policy: Policy, settings: Settings
) -> Recommendation:
    """The decision on ``request``'s facts by the service's policy and engine, and in a sentence.

    A coroutine: the event loop hands the case to the rules engine's worker and reads its
    answer itself (``decide_with_settings_async``), with no thread in between.
    """
    try:
        decision = await decide_with_settings_async(
            request.facts,
            policy=policy,
            context=request.context or CaseContext(),
            settings=settings,
        )
    except FactsError as error:
        raise InvalidRequestError(f"The facts cannot be decided on: {error}") from error
    return Recommendation(summary=decision_summary(decision), decision=decision)
