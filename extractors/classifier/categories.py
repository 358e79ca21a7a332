"""The clause categories the offline classifier answers, keyed to CUAD and to the fact schema."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ClauseCategory:
    """One clause type: its CUAD column, the fact path it fills, and who must approve it."""

    key: str
    cuad_name: str
    path: str
    approval: str | None = None


CATEGORIES: tuple[ClauseCategory, ...] = (
    ClauseCategory("mfn", "Most Favored Nation", "commercial.most_favoured_nation", "legal"),
    ClauseCategory("non_compete", "Non-Compete", "legal.non_compete", "legal"),
    ClauseCategory("exclusivity", "Exclusivity", "legal.exclusivity", "legal"),
    ClauseCategory(
        "termination_for_convenience",
        "Termination for Convenience",
        "legal.termination_for_convenience",
        "legal",
    ),
    ClauseCategory("change_of_control", "Change of Control", "legal.change_of_control"),
    ClauseCategory("anti_assignment", "Anti-Assignment", "legal.anti_assignment"),
    ClauseCategory(
        "revenue_profit_sharing",
        "Revenue/Profit Sharing",
        "commercial.revenue_profit_sharing",
        "finance",
    ),
    ClauseCategory(
        "price_restrictions", "Price Restrictions", "commercial.price_restrictions", "finance"
    ),
    ClauseCategory(
        "minimum_commitment", "Minimum Commitment", "commercial.minimum_commitment", "finance"
    ),
    ClauseCategory(
        "ip_ownership_assignment",
        "IP Ownership Assignment",
        "legal.ip_ownership_assignment",
        "legal",
    ),
    ClauseCategory("source_code_escrow", "Source Code Escrow", "legal.source_code_escrow", "legal"),
    ClauseCategory(
        "post_termination_services",
        "Post-Termination Services",
        "legal.post_termination_services",
    ),
    ClauseCategory("audit_rights", "Audit Rights", "legal.audit_rights", "security"),
    ClauseCategory("uncapped_liability", "Uncapped Liability", "legal.uncapped_liability", "legal"),
    ClauseCategory("cap_on_liability", "Cap on Liability", "legal.cap_on_liability"),
    ClauseCategory("liquidated_damages", "Liquidated Damages", "legal.liquidated_damages", "legal"),
    ClauseCategory("warranty_duration", "Warranty Duration", "legal.warranty_duration"),
    ClauseCategory("insurance", "Insurance", "legal.insurance"),
    ClauseCategory(
        "third_party_beneficiary", "Third Party Beneficiary", "legal.third_party_beneficiary"
    ),
)

CATEGORY_KEYS: tuple[str, ...] = tuple(category.key for category in CATEGORIES)

APPROVAL_KEYS: frozenset[str] = frozenset(
    category.key for category in CATEGORIES if category.approval is not None
)


def category_by_key(key: str) -> ClauseCategory:
    """The category named ``key``."""
    for category in CATEGORIES:
        if category.key == key:
            return category
    raise KeyError(key)
