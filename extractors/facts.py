"""The onboarding fact schema: the one record that extractors fill and the rules read.

Every value is a ``Fact``: what was found, where (evidence spans with page and exact
quote), by which extractor, from which kind of source, and how sure it is. A fact whose
status is ``not_checked`` means no extractor looked; ``not_found`` means one looked and
found nothing; ``excluded`` means the document says the term does not apply
("Customer shall not have audit rights"). The rules treat these differently.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1"

T = TypeVar("T")


class FactStatus(StrEnum):
    """Whether a term was looked for, and what was found."""

    PRESENT = "present"
    EXCLUDED = "excluded"
    NOT_FOUND = "not_found"
    NOT_CHECKED = "not_checked"


class Source(StrEnum):
    """Kind of producer; every source but ``llm`` is deterministic."""

    PATTERN = "pattern"
    CLASSIFIER = "classifier"
    LLM = "llm"
    PERSON = "person"
    CRM = "crm"


DETERMINISTIC_SOURCES = frozenset({Source.PATTERN, Source.CLASSIFIER, Source.PERSON, Source.CRM})


class Evidence(BaseModel):
    """A quote in one document: ``document.text[start:end] == quote``; pages are 1-based."""

    model_config = ConfigDict(frozen=True)

    document_id: str | None = None
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    page: int = Field(ge=1)
    page_end: int | None = None
    quote: str


class Fact(BaseModel, Generic[T]):
    """One extracted value with its evidence and provenance."""

    model_config = ConfigDict(frozen=True)

    status: FactStatus = FactStatus.NOT_CHECKED
    value: T | None = None
    evidence: list[Evidence] = Field(default_factory=list)
    source: Source | None = None
    confidence: float = Field(default=0.0, ge=0.0, le=1.0)
    extractor: str | None = None
    # False for an AI finding whose quote could not be found verbatim: shown, never decided on.
    grounded: bool = True
    note: str | None = None

    @property
    def is_present(self) -> bool:
        return self.status is FactStatus.PRESENT

    @property
    def counts(self) -> bool:
        """Whether the rules may see this fact."""
        return self.grounded and self.status is not FactStatus.NOT_CHECKED


class Finding(BaseModel):
    """One extractor's answer for one schema path (``section.field``, or ``obligations``)."""

    model_config = ConfigDict(frozen=True)

    path: str
    fact: Fact[Any]


# ---- value types -------------------------------------------------------------------


class PartyRole(StrEnum):
    CUSTOMER = "customer"
    PROVIDER = "provider"
    OTHER = "other"


class DocumentKind(StrEnum):
    MSA = "msa"
    ORDER_FORM = "order_form"
    SOW = "sow"
    DPA = "dpa"
    SECURITY_ADDENDUM = "security_addendum"
    AMENDMENT = "amendment"
    OTHER = "other"


class BillingFrequency(StrEnum):
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    SEMI_ANNUAL = "semi_annual"
    ANNUAL = "annual"
    UPFRONT = "upfront"
    MILESTONE = "milestone"
    USAGE = "usage"
    OTHER = "other"


class Money(BaseModel):
    """An amount in an ISO 4217 currency."""

    model_config = ConfigDict(frozen=True)

    amount: float = Field(ge=0)
    currency: str = Field(pattern=r"^[A-Z]{3}$")


class Party(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    role: PartyRole = PartyRole.OTHER
    country: str | None = None  # ISO 3166-1 alpha-2


class Product(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    quantity: float | None = None
    unit: str | None = None


class LiabilityCap(BaseModel):
    """A cap stated as an amount, a multiple of fees, or months of fees (any may be known)."""

    model_config = ConfigDict(frozen=True)

    amount: Money | None = None
    fees_multiple: float | None = None
    months_of_fees: int | None = None


class Indemnity(BaseModel):
    model_config = ConfigDict(frozen=True)

    by: PartyRole
    scope: str
    unlimited: bool = False


class Milestone(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    due_date: date | None = None
    due_relative: str | None = None


class Obligation(BaseModel):
    """Who must do what, and by when (a date, or relative such as "within 30 days of ...")."""

    model_config = ConfigDict(frozen=True)

    party: PartyRole
    action: str
    due_date: date | None = None
    due_relative: str | None = None
    recurring: bool = False


# ---- sections ----------------------------------------------------------------------


class Commercial(BaseModel):
    parties: Fact[list[Party]] = Field(default_factory=Fact)
    document_kinds: Fact[list[DocumentKind]] = Field(default_factory=Fact)
    plan_tier: Fact[str] = Field(default_factory=Fact)
    agreement_date: Fact[date] = Field(default_factory=Fact)
    effective_date: Fact[date] = Field(default_factory=Fact)
    expiration_date: Fact[date] = Field(default_factory=Fact)
    term_months: Fact[int] = Field(default_factory=Fact)
    auto_renewal: Fact[bool] = Field(default_factory=Fact)
    renewal_term_months: Fact[int] = Field(default_factory=Fact)
    non_renewal_notice_days: Fact[int] = Field(default_factory=Fact)
    total_contract_value: Fact[Money] = Field(default_factory=Fact)
    annual_contract_value: Fact[Money] = Field(default_factory=Fact)
    # The year's fees in each currency where the order lines are in several: never added up
    # by a reader (the policy converts them at its own rates).
    annual_fees_by_currency: Fact[list[Money]] = Field(default_factory=Fact)
    currencies: Fact[list[str]] = Field(default_factory=Fact)
    billing_frequency: Fact[BillingFrequency] = Field(default_factory=Fact)
    payment_terms_days: Fact[int] = Field(default_factory=Fact)
    discount_percent: Fact[float] = Field(default_factory=Fact)
    custom_pricing: Fact[bool] = Field(default_factory=Fact)
    minimum_commitment: Fact[bool] = Field(default_factory=Fact)
    minimum_commitment_amount: Fact[Money] = Field(default_factory=Fact)
    price_restrictions: Fact[bool] = Field(default_factory=Fact)
    price_increase_cap_percent: Fact[float] = Field(default_factory=Fact)
    most_favoured_nation: Fact[bool] = Field(default_factory=Fact)
    revenue_profit_sharing: Fact[bool] = Field(default_factory=Fact)
    products: Fact[list[Product]] = Field(default_factory=Fact)


class Legal(BaseModel):
    cap_on_liability: Fact[bool] = Field(default_factory=Fact)
    liability_cap: Fact[LiabilityCap] = Field(default_factory=Fact)
    uncapped_liability: Fact[bool] = Field(default_factory=Fact)
    uncapped_carve_outs: Fact[list[str]] = Field(default_factory=Fact)
    indemnities: Fact[list[Indemnity]] = Field(default_factory=Fact)
    unlimited_indemnity: Fact[bool] = Field(default_factory=Fact)
    liquidated_damages: Fact[bool] = Field(default_factory=Fact)
    non_compete: Fact[bool] = Field(default_factory=Fact)
    exclusivity: Fact[bool] = Field(default_factory=Fact)
    ip_ownership_assignment: Fact[bool] = Field(default_factory=Fact)
    termination_for_convenience: Fact[bool] = Field(default_factory=Fact)
    termination_for_convenience_by: Fact[list[PartyRole]] = Field(default_factory=Fact)
    governing_law: Fact[str] = Field(default_factory=Fact)
    venue: Fact[str] = Field(default_factory=Fact)
    source_code_escrow: Fact[bool] = Field(default_factory=Fact)
    audit_rights: Fact[bool] = Field(default_factory=Fact)
    insurance: Fact[bool] = Field(default_factory=Fact)
    warranty_duration: Fact[bool] = Field(default_factory=Fact)
    warranty_duration_months: Fact[int] = Field(default_factory=Fact)
    anti_assignment: Fact[bool] = Field(default_factory=Fact)
    change_of_control: Fact[bool] = Field(default_factory=Fact)
    third_party_beneficiary: Fact[bool] = Field(default_factory=Fact)
    non_solicit: Fact[bool] = Field(default_factory=Fact)
    post_termination_services: Fact[bool] = Field(default_factory=Fact)


class Security(BaseModel):
    soc2_report: Fact[bool] = Field(default_factory=Fact)
    iso27001_certificate: Fact[bool] = Field(default_factory=Fact)
    penetration_test: Fact[bool] = Field(default_factory=Fact)
    security_audit_rights: Fact[bool] = Field(default_factory=Fact)
    data_residency: Fact[list[str]] = Field(default_factory=Fact)
    hipaa_baa: Fact[bool] = Field(default_factory=Fact)
    gdpr_dpa: Fact[bool] = Field(default_factory=Fact)
    standard_contractual_clauses: Fact[bool] = Field(default_factory=Fact)
    encryption_at_rest: Fact[bool] = Field(default_factory=Fact)
    customer_managed_keys: Fact[bool] = Field(default_factory=Fact)
    sso: Fact[list[str]] = Field(default_factory=Fact)
    scim: Fact[bool] = Field(default_factory=Fact)
    breach_notification_hours: Fact[int] = Field(default_factory=Fact)
    data_retention_days: Fact[int] = Field(default_factory=Fact)
    data_deletion: Fact[bool] = Field(default_factory=Fact)
    subprocessor_approval: Fact[bool] = Field(default_factory=Fact)


class Service(BaseModel):
    uptime_percent: Fact[float] = Field(default_factory=Fact)
    support_response_hours: Fact[float] = Field(default_factory=Fact)
    service_credits: Fact[bool] = Field(default_factory=Fact)
    rpo_hours: Fact[float] = Field(default_factory=Fact)
    rto_hours: Fact[float] = Field(default_factory=Fact)


class Implementation(BaseModel):
    professional_services: Fact[bool] = Field(default_factory=Fact)
    services_fee: Fact[Money] = Field(default_factory=Fact)
    services_hours: Fact[float] = Field(default_factory=Fact)
    milestones: Fact[list[Milestone]] = Field(default_factory=Fact)
    integrations: Fact[list[str]] = Field(default_factory=Fact)
    data_migration: Fact[bool] = Field(default_factory=Fact)
    training: Fact[bool] = Field(default_factory=Fact)
    go_live_date: Fact[date] = Field(default_factory=Fact)
    acceptance_criteria: Fact[bool] = Field(default_factory=Fact)


class Tax(BaseModel):
    contracting_entities: Fact[list[Party]] = Field(default_factory=Fact)
    billing_countries: Fact[list[str]] = Field(default_factory=Fact)
    affiliates_covered: Fact[bool] = Field(default_factory=Fact)
    vat_numbers: Fact[list[str]] = Field(default_factory=Fact)
    withholding_tax: Fact[bool] = Field(default_factory=Fact)
    tax_exempt: Fact[bool] = Field(default_factory=Fact)
    po_required: Fact[bool] = Field(default_factory=Fact)


class FactRecord(BaseModel):
    """Everything known about one case, the input of the decision."""

    schema_version: str = SCHEMA_VERSION
    commercial: Commercial = Field(default_factory=Commercial)
    legal: Legal = Field(default_factory=Legal)
    security: Security = Field(default_factory=Security)
    service: Service = Field(default_factory=Service)
    implementation: Implementation = Field(default_factory=Implementation)
    tax: Tax = Field(default_factory=Tax)
    obligations: list[Fact[Obligation]] = Field(default_factory=list)
    # Which documents of the bundle were read, by id (sha256 prefix) -> filename.
    documents: dict[str, str] = Field(default_factory=dict)
    # name -> version of every extractor that contributed.
    extractors: dict[str, str] = Field(default_factory=dict)
    # Findings whose quote could not be found in the document: shown, flagged, never decided on.
    unverified: list[Finding] = Field(default_factory=list)


SECTIONS: tuple[str, ...] = (
    "commercial",
    "legal",
    "security",
    "service",
    "implementation",
    "tax",
)


def fact_paths() -> list[str]:
    """Every ``section.field`` path of the schema, in schema order."""
    paths: list[str] = []
    for section in SECTIONS:
        model = FactRecord.model_fields[section].annotation
        assert isinstance(model, type) and issubclass(model, BaseModel)
        paths.extend(f"{section}.{name}" for name in model.model_fields)
    return paths


def get_fact(record: FactRecord, path: str) -> Fact[Any]:
    """The fact at ``section.field``."""
    section, name = path.split(".", 1)
    fact = getattr(getattr(record, section), name)
    assert isinstance(fact, Fact)
    return fact


def fact_value_type(path: str) -> Any:
    """Annotation of the value at ``section.field`` (e.g. ``int``, ``list[str]``)."""
    section, name = path.split(".", 1)
    model = FactRecord.model_fields[section].annotation
    assert isinstance(model, type) and issubclass(model, BaseModel)
    fact_type = model.model_fields[name].annotation
    assert isinstance(fact_type, type) and issubclass(fact_type, BaseModel)
    return fact_type.model_fields["value"].annotation


def fact_record_json_schema() -> dict[str, Any]:
    """JSON Schema of the whole record, for editors, API docs and rule validation."""
    return FactRecord.model_json_schema()
