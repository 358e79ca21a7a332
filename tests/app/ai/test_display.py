"""The model's reading as people and callers see it: the terminal, Markdown and the API."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from rich.console import Console
from sqlalchemy import Engine

from app.cli.render import print_case
from app.db import session_scope
from app.jobs.inline import run_triage
from app.models import Case, CaseStatus
from app.pipeline import Upload
from app.settings import Settings
from app.views.case_view import CaseView, build_case_view, load_case_view
from app.views.export import case_markdown, full_json
from rules import Policy
from tests.app.ai.conftest import ModelEnv
from tests.app.ai.test_case_reading import ORDER_FORM, SLIP
from tests.app.api.conftest import api_client
from tests.support.openai_stub import OpenAIStub, StubReply, good_answer, json_reply

INVENTED = "Customer shall receive the lowest price offered to any other customer."


def _answer() -> StubReply:
    answer = good_answer(ORDER_FORM.decode())
    answer["complexity"] = "high"
    answer["complexity_reasons"] = [{"point": "A daily penalty for a late go-live", "quote": SLIP}]
    answer["clauses"] = [
        {
            "category": "legal.liquidated_damages",
            "present": True,
            "quote": SLIP,
            "explanation": "A fixed daily sum for a late go-live.",
        },
        {
            "category": "commercial.most_favoured_nation",
            "present": True,
            "quote": INVENTED,
            "explanation": "Invented by the model.",
        },
    ]
    return json_reply(answer)


def _view(engine: Engine, settings: Settings, policy: Policy) -> CaseView:
    result = run_triage(
        engine=engine, uploads=[Upload(ORDER_FORM, "order.txt")], settings=settings, policy=policy
    )
    with session_scope(engine) as session:
        return load_case_view(session=session, case_id=result.case_id)


def _text(view: CaseView, *, brief: bool = False, width: int = 100) -> str:
    console = Console(record=True, width=width, force_terminal=False, color_system=None)
    print_case(console, view, brief=brief)
    return " ".join(console.export_text().split())


def test_the_terminal_shows_the_reading_marked_advisory(
    engine: Engine, policy: Policy, stub: OpenAIStub, model_on: ModelEnv
) -> None:
    stub.enqueue(_answer())
    view = _view(engine, model_on(), policy)
    for width in (100, 140):
        text = _text(view, width=width)
        assert "AI reading (advisory)" in text
        assert "An agreement setting out" in text
        assert "complexity: high: A daily penalty for a late go-live (raised the tier to 3)" in text
        assert (
            "[clause] Liquidated damages: A fixed daily sum for a late go-live. — adds the "
            "legal approval" in text
        )
        assert (
            "Most-favoured nation: Invented by the model. — ungrounded: its quote is not "
            "in the documents, so the rules ignore it" in text
        )
        assert f"model's quote: “{INVENTED}”" in text
        assert "AI reading by stub-model (advisory) · 1 model call" in text
        assert "75% of findings quoted from the documents" in text


def test_markdown_and_json_carry_the_reading(
    engine: Engine, policy: Policy, stub: OpenAIStub, model_on: ModelEnv
) -> None:
    stub.enqueue(_answer())
    view = _view(engine, model_on(), policy)
    markdown = case_markdown(view)
    assert "## AI reading (advisory)" in markdown
    assert "adds the legal approval | yes |" in markdown
    assert f"| no | not found: “{INVENTED}” |" in markdown
    assert '"adds_approval": "legal"' in full_json(view)


def test_an_unavailable_model_is_said_even_in_the_brief_output(
    engine: Engine, policy: Policy, stub: OpenAIStub, model_on: ModelEnv
) -> None:
    stub.enqueue(*[StubReply(status=500)] * 3)
    view = _view(engine, model_on(), policy)
    reason = "AI unavailable: the endpoint failed (500); gave up after 3 attempts"
    assert reason in _text(view)
    assert reason in _text(view, brief=True)
    assert reason in case_markdown(view)


def test_a_case_without_a_model_says_the_ai_is_off(engine: Engine, policy: Policy) -> None:
    view = _view(engine, Settings(_env_file=None), policy)
    text = _text(view)
    assert "AI reading (advisory) AI off: no OPENAI_API_KEY or OPENAI_BASE_URL" in text
    assert "AI off" not in _text(view, brief=True)


def test_the_api_serves_the_reading(tmp_path: Path, stub: OpenAIStub, model_on: ModelEnv) -> None:
    stub.enqueue(_answer())
    settings = model_on(
        TRIAGE_DATABASE_URL=f"sqlite:///{tmp_path / 'api.db'}",
        TRIAGE_DATA_DIR=str(tmp_path / "data"),
    )
    with api_client(settings) as client:
        response = client.post(
            "/v1/cases", files=[("files", ("order.txt", ORDER_FORM, "text/plain"))]
        )
        assert response.status_code == 202, response.text
        case = client.get(response.headers["location"]).json()
    ai = case["ai"]
    assert ai["status"] == "used" and ai["model"] == "stub-model"
    assert ai["summary"] and ai["complexity"] == "high"
    by_label = {f["label"]: f for f in ai["findings"] if f["kind"] == "clause"}
    assert by_label["Liquidated damages"]["adds_approval"] == "legal"
    assert by_label["Liquidated damages"]["evidence"][0]["page"] == 1
    assert by_label["Most-favoured nation"]["grounded"] is False
    assert by_label["Most-favoured nation"]["quote"] == INVENTED
    assert "legal" in [a["role"] for a in case["approvals"]]
    assert case["versions"]["model"] == "stub-model"


def test_cases_stored_before_the_model_show_no_reading() -> None:
    case = Case(id="c1", status=CaseStatus.RECEIVED, created_at=datetime.now(UTC))
    assert build_case_view(case, [], None).ai is None
