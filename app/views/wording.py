"""Values, labels and citations in the words a person would use."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any, Protocol

from pydantic import BaseModel

from extractors.facts import Evidence

QUOTE_WIDTH = 90

# Field names whose words read badly when the underscores are simply replaced.
_LABELS = {
    "sso": "SSO",
    "scim": "SCIM",
    "hipaa_baa": "HIPAA BAA",
    "gdpr_dpa": "GDPR DPA",
    "soc2_report": "SOC 2 report",
    "iso27001": "ISO 27001",
    "rpo_hours": "RPO (hours)",
    "rto_hours": "RTO (hours)",
    "vat_numbers": "VAT numbers",
    "po_required": "PO required",
    "ip_ownership_assignment": "IP ownership assignment",
}


def fact_label(path: str) -> str:
    """``commercial.payment_terms_days`` → ``Payment terms (days)``."""
    name = path.rsplit(".", 1)[-1]
    if name in _LABELS:
        return _LABELS[name]
    for suffix, unit in (("_days", "days"), ("_hours", "hours"), ("_months", "months")):
        if name.endswith(suffix):
            return f"{_sentence(name.removesuffix(suffix))} ({unit})"
    if name.endswith("_percent"):
        return f"{_sentence(name.removesuffix('_percent'))} (%)"
    return _sentence(name)


def _sentence(name: str) -> str:
    words = name.replace("_", " ")
    return words[:1].upper() + words[1:]


def plain_value(value: Any) -> str:
    """A fact value as a person would write it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return ", ".join(plain_value(item) for item in value)
    if isinstance(value, BaseModel | dict):
        data = (
            value.model_dump(exclude_none=True)
            if isinstance(value, BaseModel)
            else {k: v for k, v in value.items() if v is not None}
        )
        if set(data) == {"amount", "currency"}:
            return f"{data['currency']} {data['amount']:,.2f}"
        if "name" in data:
            extra = ", ".join(f"{k}={plain_value(v)}" for k, v in data.items() if k != "name")
            return f"{data['name']} ({extra})" if extra else str(data["name"])
        return ", ".join(f"{k}={plain_value(v)}" for k, v in data.items())
    if hasattr(value, "value"):
        return str(value.value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def short_quote(quote: str, width: int = QUOTE_WIDTH) -> str:
    """A quote on one line, cut with an ellipsis at ``width`` characters."""
    text = " ".join(quote.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def cite(evidence: Sequence[Evidence], documents: dict[str, str] | None = None) -> str:
    """The first evidence span as ``p.N “quote”`` (with the file name when there are several)."""
    if not evidence:
        return ""
    first = evidence[0]
    where = f"p.{first.page}" + (f"-{first.page_end}" if first.page_end else "")
    if documents and first.document_id in documents and len(documents) > 1:
        where = f"{documents[first.document_id]} {where}"
    more = f" (+{len(evidence) - 1})" if len(evidence) > 1 else ""
    return f"{where} “{short_quote(first.quote)}”{more}"


def join_words(words: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


class Quoted(Protocol):
    """An evidence span as the case view carries it: the document's name, page and quote."""

    @property
    def document(self) -> str | None: ...
    @property
    def page(self) -> int: ...
    @property
    def page_end(self) -> int | None: ...
    @property
    def quote(self) -> str: ...


def where_quoted(span: Quoted) -> str:
    """``msa.pdf p.3`` (or ``p.3-4``), the document left out when unknown."""
    pages = f"p.{span.page}" + (f"-{span.page_end}" if span.page_end else "")
    return f"{span.document} {pages}" if span.document else pages


def citation(spans: Sequence[Quoted], *, width: int = QUOTE_WIDTH) -> str:
    """The first span as ``msa.pdf p.3 “quote…” (+2)``, the whole line at most ``width`` long."""
    if not spans:
        return ""
    first = spans[0]
    where = where_quoted(first)
    more = f" (+{len(spans) - 1})" if len(spans) > 1 else ""
    # Never cut a quote so short that it no longer says anything.
    room = max(30, width - len(where) - len(more) - 3)
    return f"{where} “{short_quote(first.quote, room)}”{more}"


_MEDIA_WORDS = {
    "application/pdf": "PDF",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "DOCX",
    "text/plain": "text",
    "text/markdown": "Markdown",
}


def media_word(media_type: str | None) -> str:
    """``application/pdf`` → ``PDF``; unknown types as they are."""
    if media_type is None:
        return "unknown type"
    return _MEDIA_WORDS.get(media_type, media_type)


def count_words(count: int, noun: str) -> str:
    """``1 page``, ``4 pages``, ``6,630 characters``."""
    return f"{count:,} {noun}" + ("" if count == 1 else "s")


def age_words(then: datetime, now: datetime | None = None) -> str:
    """How long ago ``then`` was, shortly: ``just now``, ``5 min``, ``3 h``, ``12 d``."""
    moment = then if then.tzinfo else then.replace(tzinfo=UTC)  # SQLite drops the zone
    seconds = max(0.0, ((now or datetime.now(UTC)) - moment).total_seconds())
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{int(seconds // 60)} min"
    if seconds < 86400:
        return f"{int(seconds // 3600)} h"
    return f"{int(seconds // 86400)} d"
