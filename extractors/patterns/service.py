"""Service levels: uptime percentage, fastest support response, service credits, RPO and RTO."""

from __future__ import annotations

import re

from extractors.patterns.confidence import LOOSE_WORDING, PRECISE_WORDING
from extractors.patterns.core import CLAUSE_CHAR, MAX_MATCHES, Hit, TextView, words
from extractors.patterns.dates import DURATION, DURATION_RX, parse_duration
from extractors.patterns.tables import is_delimited

CHECKS = frozenset(
    {
        "service.uptime_percent",
        "service.support_response_hours",
        "service.service_credits",
        "service.rpo_hours",
        "service.rto_hours",
    }
)

_UPTIME_VALUE = (
    r"(?P<{name}>9\d(?:\.\d{{1,3}})?|100(?:\.0+)?)[^\S\n]*(?:%|percent\b|per[^\S\n]?cent\b)"
)
_UPTIME = words(
    r"\b(?:uptime|availability|available|service level|SLA|up-time)\b[^.;\n]{0,100}?"
    + _UPTIME_VALUE.format(name="p")
    + "|"
    + _UPTIME_VALUE.format(name="q")
    + r"[^.;\n]{0,40}?\b(?:uptime|availability|available|of the time|up-time)\b"
)
_CREDITS = words(
    r"\bservice (?:level )?credits?\b|\bSLA credits?\b|\bavailability credits?\b"
    r"|\bcredits? (?:against|toward|towards|on|to) (?:the )?(?:next |future |subsequent |following "
    r")?"
    r"(?:invoice|fees|month|bill)"
)
_RESPONSE_CONTEXT = re.compile(
    r"\b(?:support|severity|priority|P[1-4]|sev[ "
    r"\t]?[1-4]|critical|urgent|incident|tickets?|issues?|requests?)\b",
    re.IGNORECASE,
)
_RESPONSE = words(
    rf"\b(?:respon(?:d|se|ses|ding)|acknowledg\w+|initial response)\b[^.;]{{0,120}}?"
    rf"\b(?:within|in|of|no later than|not later than|:|\|)[^\S\n]*(?P<d>{DURATION})"
)
_TOP_SEVERITY = ("severity 1", "priority 1", "sev 1", "sev1", "p1 ", "severity level 1")
_RPO = words(rf"\b(?:RPO|recovery point objective)\b{CLAUSE_CHAR}{{0,60}}?(?P<d>{DURATION})")
_RTO = words(rf"\b(?:RTO|recovery time objective)\b{CLAUSE_CHAR}{{0,60}}?(?P<d>{DURATION})")


def _uptime(view: TextView) -> list[Hit]:
    hits: list[Hit] = []
    if "%" not in view.text and not view.mentions("percent", "per cent"):
        return hits
    for match in view.finditer(
        _UPTIME, ("uptime", "availab", "service level", "sla", "up-time"), before=130, after=130
    ):
        value = float(match.group("p") or match.group("q"))
        if 90 <= value <= 100:
            hits.append(
                view.hit(
                    "service.uptime_percent", value, match.start(), match.end(), PRECISE_WORDING
                )
            )
    return hits


def _table_responses(view: TextView) -> list[tuple[float, int, int]]:
    """Durations in the rows of a table whose header mentions a response time."""
    found: list[tuple[float, int, int]] = []
    text = view.text
    for line_start, line_end in view.lines_with(("respon",)):
        line = text[line_start:line_end]
        if not is_delimited(line):
            continue
        for row_start, row_end in view.lines_after(line_end + 1, limit=12):
            row = text[row_start:row_end]
            if not is_delimited(row):
                break
            durations = list(DURATION_RX.finditer(text, row_start, row_end))
            if durations:
                duration = parse_duration(durations[0].group(0))
                if duration is not None and duration.unit in {"minute", "hour", "day"}:
                    found.append((duration.hours(), row_start, row_end))
    return found


def _top_severity_responses(view: TextView) -> list[tuple[float, int, int]]:
    """The time right after "Severity 1" in a response table that lost its columns (PDF text)."""
    found: list[tuple[float, int, int]] = []
    text = view.text
    for position in view.positions(_TOP_SEVERITY)[:MAX_MATCHES]:
        if view.lower.find("respon", max(0, position - 600), position) < 0:
            continue
        duration_match = DURATION_RX.search(text, position + 6, min(len(text), position + 160))
        if duration_match is None:
            continue
        duration = parse_duration(duration_match.group(0))
        if duration is not None and duration.unit in {"minute", "hour", "day"}:
            found.append((duration.hours(), position, duration_match.end()))
    return found


def _response(view: TextView) -> list[Hit]:
    hits: list[Hit] = []
    if not view.mentions("respon", "acknowledg"):
        return hits
    found: list[tuple[float, int, int]] = []
    for match in view.finditer(_RESPONSE, ("respon", "acknowledg"), before=5, after=220):
        start, end = view.sentence(match.start(), match.end())
        if not _RESPONSE_CONTEXT.search(view.text, start, end):
            continue
        duration = parse_duration(match.group("d"))
        if duration is not None and duration.unit in {"minute", "hour", "day"}:
            found.append((duration.hours(), match.start(), match.end()))
    found.extend(_table_responses(view))
    found.extend(_top_severity_responses(view))
    found = [item for item in found if 0 < item[0] <= 24 * 10]
    if found:
        # The commitment that matters for onboarding is the fastest one (top severity).
        hours, start, end = min(found, key=lambda item: (item[0], item[1]))
        hits.append(
            view.hit("service.support_response_hours", round(hours, 2), start, end, LOOSE_WORDING)
        )
    return hits


def _recovery(view: TextView) -> list[Hit]:
    hits: list[Hit] = []
    if not view.mentions("rpo", "rto", "recovery"):
        return hits
    for pattern, keys, path in (
        (_RPO, ("rpo", "recovery point"), "service.rpo_hours"),
        (_RTO, ("rto", "recovery time"), "service.rto_hours"),
    ):
        for match in view.finditer(pattern, keys, before=5, after=100):
            duration = parse_duration(match.group("d"))
            if duration is not None:
                hits.append(
                    view.hit(
                        path,
                        round(duration.hours(), 2),
                        match.start(),
                        match.end(),
                        PRECISE_WORDING,
                    )
                )
    return hits


def extract(view: TextView) -> list[Hit]:
    """Service-level hits."""
    hits = _uptime(view) + _response(view) + _recovery(view)
    for match in view.finditer(_CREDITS, ("credit",), before=90, after=90):
        hits.append(
            view.hit("service.service_credits", True, match.start(), match.end(), PRECISE_WORDING)
        )
    return hits
