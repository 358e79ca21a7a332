"""The label format of a SaaS bundle (``expected.yaml``), loaded and checked against the schema."""

from __future__ import annotations

import re
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, field_validator, model_validator

from extractors.facts import DocumentKind, Obligation, fact_paths, fact_value_type
from rules.decision import ApprovalRole, OnboardingPath, path_rank

LABEL_FILE = "expected.yaml"
OBLIGATIONS_PATH = "obligations"


class LabelStatus(StrEnum):
    """What a label asserts: the term is there with a value, or the text rules it out."""

    PRESENT = "present"
    EXCLUDED = "excluded"


class DocumentLabel(BaseModel):
    """One file of the bundle and what kind of contract document it is."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    file: str
    kind: DocumentKind
    title: str
    pages: int | None = Field(default=None, ge=1)


class ExpectedFact(BaseModel):
    """The expected answer for one schema path, and where the text says it."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    status: LabelStatus = LabelStatus.PRESENT
    value: Any = None
    # Other readings a careful lawyer would also accept (e.g. a cap stated two ways).
    alternatives: list[Any] = Field(default_factory=list)
    quotes: list[str] = Field(default_factory=list)
    # The document whose text gives the winning value; ``overrides`` lists those it beats.
    from_document: str | None = Field(default=None, alias="from")
    overrides: list[str] = Field(default_factory=list)
    note: str | None = None

    @model_validator(mode="after")
    def _value_matches_status(self) -> ExpectedFact:
        if self.status is LabelStatus.PRESENT and self.value is None:
            raise ValueError("a present fact needs a value")
        if self.status is LabelStatus.EXCLUDED and (self.value is not None or self.alternatives):
            raise ValueError("an excluded fact takes no value")
        return self


class ExpectedObligation(Obligation):
    """An obligation with the quotes and document that support it."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    quotes: list[str] = Field(default_factory=list)
    from_document: str | None = Field(default=None, alias="from")

    def as_obligation(self) -> Obligation:
        """The plain schema value, without the label's extras."""
        return Obligation.model_validate(self.model_dump(include=set(Obligation.model_fields)))


class FactsScope(StrEnum):
    """Whether every fact of the bundle is labelled, or only those a decision turns on."""

    # Every path not listed is expected absent: a prediction there is a false positive.
    COMPLETE = "complete"
    # Only the listed paths are scored; predictions elsewhere are neither right nor wrong.
    PARTIAL = "partial"


class ExpectedApproval(BaseModel):
    """An approval a careful reader of the policy requires, and the clause that requires it."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    role: ApprovalRole
    because: str = Field(min_length=3)
    quotes: list[str] = Field(default_factory=list)
    from_document: str | None = Field(default=None, alias="from")


class ExpectedDecision(BaseModel):
    """What the user of the triage should see for this bundle.

    ``approvals`` must fire; ``must_not`` must not; a role in neither list is a judgement
    call and is not scored. ``path`` is one path or ``[lowest, highest]`` bounds.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    approvals: list[ExpectedApproval] = Field(default_factory=list)
    must_not: list[ApprovalRole] = Field(default_factory=list)
    path: OnboardingPath | tuple[OnboardingPath, OnboardingPath]
    needs_information: bool = False
    note: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> ExpectedDecision:
        required = [approval.role for approval in self.approvals]
        if len(set(required)) != len(required):
            raise ValueError("an approval role is listed twice")
        both = sorted(set(required) & set(self.must_not))
        if both:
            raise ValueError(f"roles both required and forbidden: {both}")
        low, high = self.path_bounds
        if path_rank(low) > path_rank(high):
            raise ValueError("path bounds are [lowest, highest]")
        needs = OnboardingPath.NEEDS_INFORMATION
        if self.needs_information != (low == needs == high):
            raise ValueError("needs_information: true goes with path: needs_information alone")
        return self

    @property
    def path_bounds(self) -> tuple[OnboardingPath, OnboardingPath]:
        """The lowest and highest acceptable path (equal for an exact path)."""
        if isinstance(self.path, tuple):
            return self.path
        return (self.path, self.path)

    @property
    def required_roles(self) -> set[ApprovalRole]:
        return {approval.role for approval in self.approvals}

    @property
    def clean(self) -> bool:
        """A deal that needs no approval at all and no further information."""
        return not self.approvals and not self.needs_information


class BundleLabel(BaseModel):
    """Everything expected of one bundle: its documents, facts by path, obligations, decision."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    bundle: str
    description: str
    documents: list[DocumentLabel] = Field(min_length=1)
    facts_scope: FactsScope = FactsScope.COMPLETE
    facts: dict[str, ExpectedFact] = Field(default_factory=dict)
    obligations: list[ExpectedObligation] = Field(default_factory=list)
    decision: ExpectedDecision | None = None

    @field_validator("facts")
    @classmethod
    def _facts_fit_the_schema(cls, facts: dict[str, ExpectedFact]) -> dict[str, ExpectedFact]:
        known = set(fact_paths())
        checked: dict[str, ExpectedFact] = {}
        for path, fact in facts.items():
            if path not in known:
                raise ValueError(f"unknown schema path {path!r}")
            checked[path] = _typed(path, fact)
        return checked

    @model_validator(mode="after")
    def _files_are_listed(self) -> BundleLabel:
        files = {document.file for document in self.documents}
        if len(files) != len(self.documents):
            raise ValueError("a document is listed twice")
        cited: list[str | None] = [item.from_document for item in self.obligations]
        if self.decision is not None:
            cited += [approval.from_document for approval in self.decision.approvals]
        for fact in self.facts.values():
            cited += [fact.from_document, *fact.overrides]
        unknown = sorted({name for name in cited if name is not None} - files)
        if unknown:
            raise ValueError(f"facts cite documents not in the bundle: {unknown}")
        return self

    def expected(self) -> dict[str, ExpectedFact]:
        """Facts by path, with ``commercial.document_kinds`` derived from the documents."""
        facts = dict(self.facts)
        if "commercial.document_kinds" not in facts:
            kinds = sorted({document.kind for document in self.documents})
            facts["commercial.document_kinds"] = ExpectedFact(value=kinds)
        return facts


@cache
def value_adapter(path: str) -> TypeAdapter[Any]:
    """Validator for the value type of the schema path (``obligations`` included)."""
    if path == OBLIGATIONS_PATH:
        return TypeAdapter(list[Obligation])
    return TypeAdapter(fact_value_type(path))


def _typed(path: str, fact: ExpectedFact) -> ExpectedFact:
    if fact.status is LabelStatus.EXCLUDED:
        return fact
    adapter = value_adapter(path)
    value = adapter.validate_python(fact.value)
    if value is False:
        raise ValueError(f"{path}: write a ruled-out term as status: excluded, not false")
    alternatives = [adapter.validate_python(item) for item in fact.alternatives]
    for option in [value, *alternatives]:
        _check_normalised(path, option)
    return fact.model_copy(update={"value": value, "alternatives": alternatives})


# Codes the label format writes in one canonical form, so that matching stays exact.
_CODE_PATTERNS = {
    "commercial.currencies": (r"[A-Z]{3}", "ISO 4217 currency codes"),
    "security.data_residency": (r"[A-Z]{2}", "ISO 3166 alpha-2 codes (or EU)"),
    "tax.billing_countries": (r"[A-Z]{2}", "ISO 3166 alpha-2 codes"),
    "security.sso": (r"SAML|OIDC", "SAML or OIDC"),
}


def _check_normalised(path: str, value: Any) -> None:
    if path in _CODE_PATTERNS:
        pattern, meaning = _CODE_PATTERNS[path]
        bad = [item for item in value if not re.fullmatch(pattern, item)]
        if bad:
            raise ValueError(f"{path}: {bad} are not {meaning}")
    parties = value if isinstance(value, list) else []
    for party in parties:
        country = getattr(party, "country", None)
        if country is not None and not re.fullmatch(r"[A-Z]{2}", country):
            raise ValueError(f"{path}: country {country!r} is not an ISO 3166 alpha-2 code")


def load_label(bundle_dir: Path) -> BundleLabel:
    """Read and validate ``expected.yaml`` of one bundle directory."""
    raw = yaml.safe_load((bundle_dir / LABEL_FILE).read_text(encoding="utf-8"))
    return BundleLabel.model_validate(raw)
