"""One self-contained HTML page of the decision evaluation: tables and inline SVG charts."""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from evals.saas.decision_metrics import ROLES, TARGETS, meets

if TYPE_CHECKING:
    from evals.saas.decisions import SplitRun

ATTRIBUTION = (
    "The clause model is trained on CUAD v1 (The Atticus Project; Hendrycks, Burns, Chen &amp; "
    "Ball, 2021, arXiv:2103.06268), licensed CC BY 4.0. The SaaS bundles are fictional."
)
_STYLE = """
body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:64rem;color:#1b1b1b}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem}
table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ccc;padding:.25rem .5rem}
th{background:#f2f2f2;text-align:left}td.n{text-align:right;font-variant-numeric:tabular-nums}
.bad{color:#a00;font-weight:600}.note{color:#555}svg text{font:12px system-ui,sans-serif}
"""
_COLOURS = {"recall": "#2b6cb0", "precision": "#9c4221"}


def _fmt(value: Any) -> str:
    if value is None:
        return "—"
    return f"{value:.2f}" if isinstance(value, float) else str(value)


def _headlines(result: dict[str, Any], splits: list[str]) -> str:
    from evals.saas.decisions import HEADLINES

    rows = []
    for key, text in HEADLINES:
        cells: list[str] = []
        for split in splits:
            value = result[split][key]
            bad = meets(key, value) is False
            cells.append(f'<td class="n{" bad" if bad else ""}">{_fmt(value)}</td>')
        target = f"{TARGETS[key][0]} {TARGETS[key][1]:.2f}" if key in TARGETS else ""
        rows.append(f"<tr><th>{escape(text)}</th>{''.join(cells)}<td>{target}</td></tr>")
    for split in splits:
        facts = result[split]["facts"]
        row = "".join(
            f'<td class="n">{_fmt(facts["micro_precision"])} / {_fmt(facts["micro_recall"])}</td>'
            if other == split
            else "<td></td>"
            for other in splits
        )
        rows.append(f"<tr><th>facts precision / recall ({split})</th>{row}<td></td></tr>")
    head = "".join(f"<th>{escape(split)}</th>" for split in splits)
    return f"<table><tr><th>figure</th>{head}<th>target</th></tr>{''.join(rows)}</table>"


def _role_chart(result: dict[str, Any], splits: list[str]) -> str:
    """Grouped bars: per role and split, recall and precision."""
    bar, gap, height, top = 14, 26, 160, 20
    groups = [(role.value, split) for role in ROLES for split in splits]
    width = 60 + len(groups) * (2 * bar + gap)
    parts = [f'<svg width="{width}" height="{height + 110}" role="img" aria-label="approvals">']
    for tick in (0.0, 0.5, 1.0):
        y = top + height * (1 - tick)
        parts.append(f'<line x1="40" x2="{width}" y1="{y}" y2="{y}" stroke="#ddd"/>')
        parts.append(f'<text x="4" y="{y + 4}">{tick:.1f}</text>')
    x = 50
    for role, split in groups:
        figures = result[split]["roles"][role]
        for offset, name in enumerate(("recall", "precision")):
            value = figures[name]
            if value is not None:
                h = height * value
                parts.append(
                    f'<rect x="{x + offset * bar}" y="{top + height - h}" width="{bar - 2}" '
                    f'height="{h}" fill="{_COLOURS[name]}"><title>{role} {split} {name} '
                    f"{value:.2f}</title></rect>"
                )
        label = f"{role} ({split[:3]})"
        parts.append(
            f'<text x="{x}" y="{top + height + 14}" transform="rotate(30 {x} '
            f'{top + height + 14})">{escape(label)}</text>'
        )
        x += 2 * bar + gap
    parts.append(
        f'<text x="50" y="12" fill="{_COLOURS["recall"]}">■ recall</text>'
        f'<text x="130" y="12" fill="{_COLOURS["precision"]}">■ precision</text></svg>'
    )
    return "".join(parts)


def _confusion(run: SplitRun) -> str:
    confusion = run.decisions.confusion()
    predicted = sorted({p for _, p in confusion})
    most = max(confusion.values(), default=1)
    rows = []
    for expected in sorted({e for e, _ in confusion}):
        cells = []
        for name in predicted:
            count = confusion.get((expected, name), 0)
            shade = int(255 - 150 * count / most) if count else 255
            cells.append(
                f'<td class="n" style="background:rgb({shade},{shade},255)">{count or ""}</td>'
            )
        rows.append(f"<tr><th>{escape(expected)}</th>{''.join(cells)}</tr>")
    head = "".join(f"<th>{escape(name)}</th>" for name in predicted)
    return (
        f"<h3>{escape(run.name)}</h3><table><tr><th>expected ↓ / predicted →</th>{head}</tr>"
        f"{''.join(rows)}</table>"
    )


def _rules(result: dict[str, Any], splits: list[str]) -> str:
    names = sorted({rule for split in splits for rule in result[split]["rules"]})
    rows = []
    for rule in names:
        cells = []
        for split in splits:
            counts = result[split]["rules"].get(rule)
            text = f"{counts['fired']} / {counts['wrong']}" if counts else ""
            bad = counts is not None and counts["wrong"] > 0
            cells.append(f'<td class="n{" bad" if bad else ""}">{text}</td>')
        rows.append(f"<tr><th>{escape(rule)}</th>{''.join(cells)}</tr>")
    head = "".join(f"<th>{escape(split)}</th>" for split in splits)
    return f"<table><tr><th>rule (fired / wrongly)</th>{head}</tr>{''.join(rows)}</table>"


def _worst(run: SplitRun) -> str:
    rows = [
        f"<tr><th>{escape(v.bundle)}</th><td>{escape('; '.join(v.causes()))}</td></tr>"
        for v in run.decisions.worst()
    ]
    if not rows:
        return "<p>No mistakes.</p>"
    return f"<table><tr><th>bundle</th><th>what went wrong</th></tr>{''.join(rows)}</table>"


def render_report(runs: list[SplitRun], result: dict[str, Any]) -> str:
    """The whole page as one HTML string (no external files, scripts or fonts)."""
    splits = [run.name for run in runs]
    development = [run for run in runs if run.name == "development"]
    worst = "".join(_worst(run) for run in development)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Onboarding triage: decisions</title>
<style>{_STYLE}</style></head><body>
<h1>Onboarding triage: decision evaluation</h1>
<p class="note">Policy {escape(str(result["policy"]))}, engine {escape(str(result["engine"]))},
extractors {escape(", ".join(result["extractors"]))}. Every bundle went through the same triage
function as a case in the service.</p>
<h2>What the user sees</h2>{_headlines(result, splits)}
<h2>Approvals per role</h2>{_role_chart(result, splits)}
<h2>Path confusion</h2>{"".join(_confusion(run) for run in runs)}
<h2>Rules that fired</h2>{_rules(result, splits)}
<h2>Worst cases (development set)</h2>{worst}
<p class="note">Sealed bundles are reported as figures only, never case by case, so nothing is
tuned on them.</p>
<footer class="note"><p>{ATTRIBUTION}</p></footer>
</body></html>
"""


def write_report(path: Path, runs: list[SplitRun], result: dict[str, Any]) -> None:
    """Write the page to ``path``, creating its folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_report(runs, result), encoding="utf-8")
