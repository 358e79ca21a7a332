"""The AI reading on the case page: marked advisory, ungrounded findings marked as such, and
the reason when the model was off or unavailable."""

from __future__ import annotations

from app.views.case_view import AiFindingView, AiView, EvidenceView
from app.web.templating import templates

QUOTE = EvidenceView(
    document_id="abc123abc123abc1", document="msa.pdf", page=4, start=10, end=40, quote="most fav"
)


class _View:
    id = "case1"

    def __init__(self, ai: AiView) -> None:
        self.ai = ai


def _render(ai: AiView) -> str:
    template = templates.env.get_template("partials/ai.html")
    return template.render(
        view=_View(ai), cite=lambda e: f"/cases/case1/documents/{e.document_id}?page={e.page}"
    )


def _ai(**changes: object) -> AiView:
    base = AiView(
        status="used",
        reason=None,
        summary="A three-year EU deal with a security addendum.",
        complexity="high",
        complexity_rationale="EU data residency and uncapped liability.",
        findings=[
            AiFindingView(
                kind="clause",
                label="Most-favoured nation",
                text="The customer gets the best price offered to anyone.",
                grounded=True,
                evidence=[QUOTE],
                quote="most fav",
                adds_approval="legal",
            ),
            AiFindingView(
                kind="risk",
                label="Invented clause",
                text="A clause that is not in the contract.",
                grounded=False,
                evidence=[],
                quote="the provider waives all fees forever",
            ),
        ],
        grounded_share=0.5,
        model="stub-model",
        prompt_hashes={"summary": "f" * 64},
        tokens_in=1200,
        tokens_out=300,
    )
    return base.model_copy(update=changes)


def test_the_ai_reading_is_marked_advisory_and_ungrounded_findings_are_marked() -> None:
    html = _render(_ai(summary_evidence=[QUOTE], raised_tier=3))
    assert 'badge advisory">advisory' in html
    assert "A three-year EU deal with a security addendum." in html
    assert "high — EU data residency and uncapped liability." in html
    assert "raised the tier to 3" in html
    summary = html.split('class="ai-summary"')[1].split("</p>")[0]
    assert 'href="/cases/case1/documents/abc123abc123abc1?page=4"' in summary
    grounded, ungrounded = html.split('data-grounded="yes"')[1].split('data-grounded="no"')
    assert 'href="/cases/case1/documents/abc123abc123abc1?page=4"' in grounded
    assert "adds Legal" in grounded and "ungrounded" not in grounded
    assert "ungrounded" in ungrounded and "the provider waives all fees forever" in ungrounded
    assert "a.cite" not in ungrounded and "href=" not in ungrounded
    assert "50 % of its findings are quoted" in html and "1500 tokens" in html


def test_an_unavailable_model_says_why() -> None:
    reason = "AI unavailable: the model timed out after 3 attempts"
    html = _render(_ai(status="unavailable", reason=reason, summary=None, findings=[]))
    assert reason in html
    assert "A three-year EU deal" not in html
    off = _render(_ai(status="off", reason=None, summary=None, findings=[]))
    assert "AI off" in off
