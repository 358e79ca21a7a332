"""Implementation scope: professional services and their fee and hours, milestones with
dates, named integrations, data migration, training, go-live date and acceptance.
"""

from __future__ import annotations

import re

from extractors.facts import Milestone
from extractors.patterns.confidence import (
    BARE_MENTION,
    CHECKED_CLAUSE,
    INFERRED,
    KEPT_BY_CONTEXT,
    LOOSE_WORDING,
)
from extractors.patterns.core import (
    MAX_LINE,
    Hit,
    TextView,
    enumeration,
    squash,
    words,
)
from extractors.patterns.dates import DATE_RE, date_from_match, find_dates
from extractors.patterns.money import find_amounts
from extractors.patterns.tables import SENTENCE_IN_ROW, is_delimited, split_cells
from extractors.patterns.vocabulary import IMPLEMENTATION_WORK, concept_paths, read_concept

CHECKS = concept_paths(*IMPLEMENTATION_WORK) | frozenset(
    {
        "implementation.services_fee",
        "implementation.services_hours",
        "implementation.milestones",
        "implementation.integrations",
        "implementation.go_live_date",
    }
)

# Systems customers commonly ask to connect; canonical name -> case-sensitive pattern.
_SYSTEMS: dict[str, str] = {
    "Salesforce": r"Salesforce(?:\.com)?|SFDC",
    "NetSuite": r"NetSuite|Netsuite",
    "SAP": r"SAP(?:[^\S\n]+(?:S/4\s?HANA|ERP|ECC|Ariba|Concur|SuccessFactors))?",
    "Okta": r"Okta",
    "Workday": r"Workday",
    "HubSpot": r"HubSpot|Hubspot",
    "Zendesk": r"Zendesk",
    "ServiceNow": r"ServiceNow",
    "Microsoft Dynamics": r"(?:Microsoft[^\S\n]+)?Dynamics(?:[^\S\n]+365)?",
    "Microsoft Entra ID": (
        r"(?:Microsoft[^\S\n]+)?Entra(?:[^\S\n]+ID)?|Azure[^\S\n]+(?:AD|Active[^\S\n]+Directory)"
    ),
    "Active Directory": r"(?<!Azure )Active[^\S\n]+Directory",
    "Google Workspace": r"Google[^\S\n]+Workspace|G[^\S\n]?Suite",
    "Slack": r"Slack",
    "Microsoft Teams": r"Microsoft[^\S\n]+Teams|MS[^\S\n]+Teams",
    "Jira": r"Jira|JIRA",
    "Snowflake": r"Snowflake",
    "Marketo": r"Marketo",
    "QuickBooks": r"QuickBooks|Quickbooks",
    "Xero": r"Xero",
    # "Oracle NetSuite" is NetSuite.
    "Oracle": r"Oracle(?![^\S\n]+NetSuite)(?:[^\S\n]+(?:E-Business[^\S\n]+Suite|EBS|Fusion|ERP"
    r"|Cloud))?",
    "Stripe": r"Stripe",
    "Shopify": r"Shopify",
    "Intercom": r"Intercom",
    "Tableau": r"Tableau",
    "Power BI": r"Power[^\S\n]?BI",
    "Databricks": r"Databricks",
    "BigQuery": r"BigQuery",
    "Ping Identity": r"Ping(?:[^\S\n]+Identity|Federate|One)",
    "OneLogin": r"OneLogin",
    "ADP": r"ADP",
    "Coupa": r"Coupa",
    "DocuSign": r"DocuSign",
    "Zuora": r"Zuora",
    "Epic": r"Epic(?=[^\S\n]+(?:EHR|EMR|Systems))",
    "Twilio": r"Twilio",
    "Segment": r"Segment(?=[^\S\n]+(?:CDP|integration|connector))",
}
_SYSTEM_RX = re.compile(
    "|".join(rf"(?P<s{index}>\b(?:{pattern})\b)" for index, pattern in enumerate(_SYSTEMS.values()))
)
_SYSTEM_NAMES = list(_SYSTEMS)
_SYSTEM_KEYS = (
    "salesforce",
    "sfdc",
    "netsuite",
    "sap",
    "okta",
    "workday",
    "hubspot",
    "zendesk",
    "servicenow",
    "dynamics",
    "entra id",
    "microsoft entra",
    "azure",
    "active directory",
    "google workspace",
    "g suite",
    "gsuite",
    "slack",
    "microsoft teams",
    "ms teams",
    "jira",
    "snowflake",
    "marketo",
    "quickbooks",
    "xero",
    "oracle",
    "stripe",
    "shopify",
    "intercom",
    "tableau",
    "power bi",
    "powerbi",
    "databricks",
    "bigquery",
    "ping identity",
    "pingfederate",
    "pingone",
    "onelogin",
    "adp",
    "coupa",
    "docusign",
    "zuora",
    "epic ehr",
    "epic emr",
    "epic systems",
    "twilio",
    "segment cdp",
    "segment integration",
    "segment connector",
)
_GO_LIVE_KEYS = ("go-live", "go live", "launch", "cut-over", "cutover", "live date")
_INTEGRATION_CONTEXT = re.compile(
    r"integrat|connector|connect|synchroni|\bsync|\bAPIs?\b|interface|\bfeeds?\b|import|export|"
    r"webhook|sandbox"
    r"|instance|single sign|\bSSO\b|identity "
    r"provider|\bIdP\b|provision|SCIM|bi-?directional|middleware",
    re.IGNORECASE,
)

# "integration with Guidewire ClaimCenter", "integrate the Platform with Halcyon's NCR Voyix".
_INTEGRATE_WITH = re.compile(
    r"\b(?i:integrat\w*|connectors?|interfaces?)\b[^.;:\n]{0,40}?\b(?i:with|into|to)\s+"
    r"(?:(?i:the|its|their|customer['’]s|client['’]s)\s+|[A-Z][\w&-]*['’]s\s+)?"
    r"(?P<name>[A-Z][\w/&.-]*(?:[^\S\n]+(?:[A-Z0-9][\w/&.-]*)){0,3})"
)
_NOT_A_SYSTEM = re.compile(
    r"^(?:Section|Sections|Exhibit|Schedule|Annex|Appendix|Order|Agreement|Services?|Platform|"
    r"Software"
    r"|Customer|Client|Provider|Supplier|Vendor|Documentation|Statement|SOW|API|APIs|Third|Party|"
    r"Parties"
    r"|Data|Applicable|This|The|Such|Any|All|Each|Other|Its|Custom|Standard|Bidirectional|New"
    r"|Additional|Both|Two|SAML|SSO|SCIM|REST|SFTP|HL7|FHIR|Configuration|Build|Test)\b"
)
# "the PowerSchool SIS integration": a system named before the word.
# (Not "the Kronberg Connector": a connector is usually the deliverable's own name.)
_NAMED_BEFORE = re.compile(
    r"(?P<name>\b[A-Z][\w/&.-]*(?:[ ]+[A-Z0-9][\w/&.-]*){0,2})[ ]+(?i:integration|interface)s?\b"
)
# "integrations with (a) Bank's Fiserv DNA core platform, (b) ...": one system per item.
_WITH_ITEMS = re.compile(
    r"\b(?i:integrat\w*|connectors?|interfaces?)\b[^.;:\n]{0,40}?\b(?i:with|to)\s+\(a\)"
)
_ITEM_NAME = re.compile(
    r"\s*(?:the\s+)?(?:[A-Z][\w&-]*(?:\s+[A-Z][\w&-]*)?['’]s\s+)?"
    r"(?P<name>[A-Z][\w/&.-]*(?:[^\S\n]+[A-Z0-9][\w/&.-]*){0,2})"
)
_FEE_LABEL = words(
    r"\b(?:(?:professional|implementation|onboarding|consulting|set-?up|setup|deployment|"
    r"configuration) "
    r"(?:services )?(?:fees?|charges?|price)|services fees?|fixed (?:fee|price)|one-time "
    r"(?:fee|charge)s?"
    r"|(?:implementation|onboarding) package)\b"
)
_HOURS = words(
    r"(?P<n>\d{1,3}(?:,\d{3})*|\d+)(?:\.\d+)?[^\S\n]?(?:\(\d+\) )?(?:professional services "
    r"|consulting "
    r"|implementation "
    r"|person[- ]|man[- ]|billable |service )?hours\b"
)
_HOURS_CONTEXT = re.compile(
    r"effort|services|consult|implementation|block|bank|estimat|time and materials|T&M|hourly|not "
    r"to exceed"
    r"|professional|engagement|retainer",
    re.IGNORECASE,
)
_GO_LIVE = words(
    r"\b(?:go[- ]live|production launch|launch date|cut-?over|production (?:start|go-live)|live "
    r"date|(?:target|planned|scheduled) (?:launch|roll-?out))\b"
    r"(?: date)?[^.;]{0,60}?(?=" + DATE_RE.pattern + ")"
)
_MILESTONE_HEADER = re.compile(r"\bmilestones?\b|\bphase\b|\bdeliverable\b", re.IGNORECASE)
_ROW_LABEL = re.compile(
    r"^\s*(?:(?:milestone|phase)\s*)?(?:\d{1,2}[a-z]?|[A-Z]|M\d{1,2})\s*[:.)\-–]\s+"
    r"|^\s*\d{1,2}\s+(?=[A-Z])",
    re.IGNORECASE,
)
# A table header ("Milestone Description Target Date") or a bare row number ("1", "M2").
_HEADER_LINE = re.compile(
    r"^(?:(?:milestones?|phases?|deliverables?|descriptions?|target|due|dates?|payments?|status"
    r"|owner|no\.?|#|week|name)\b[\s|\t]*){2,}$",
    re.IGNORECASE,
)
_BARE_LABEL = re.compile(r"^\s*(?:M|P|Phase\s*)?\d{1,2}[a-z]?\s*[.:)]?\s*$", re.IGNORECASE)
# "Week 1  Kickoff": a milestone due relative to the start.
_RELATIVE_ROW = re.compile(
    r"^\s*(?P<due>(?:week|day|month|sprint)\s+\d{1,2})\b[\s|:\t–-]*(?P<name>[A-Za-z].{2,89}?)\s*\|?\s*$",
    re.IGNORECASE,
)
_DUE_WORDS = re.compile(r"\b(?:by|on|due|target(?:ed)?(?: date)?|on or before)\s*$", re.IGNORECASE)
_NOT_EFFORT = re.compile(
    r"\b(?:within|after|before|prior|notice|in advance|respon\w*|uptime|availability|business hours"
    r"|hours? (?:per|a) (?:day|week)|maintenance)\b",
    re.IGNORECASE,
)


def _named_targets(view: TextView) -> list[Hit]:
    """Systems named after "integrate with", whether or not they are in the known list."""
    hits: list[Hit] = []
    for match in view.finditer(
        _INTEGRATE_WITH, ("integrat", "connector", "interface"), before=5, after=120
    ):
        name = match.group("name").strip(" .,;")
        if _NOT_A_SYSTEM.match(name) or _SYSTEM_RX.match(name):
            continue
        hits.append(
            view.hit("implementation.integrations", name, match.start(), match.end(), INFERRED)
        )
    return hits


def _named_before_and_listed(view: TextView) -> list[Hit]:
    """ "the PowerSchool SIS integration", and the systems of "integrations with (a) ..."."""
    hits: list[Hit] = []
    text = view.text
    for match in view.finditer(_NAMED_BEFORE, ("integration", "interface"), before=60, after=20):
        name = match.group("name").strip(" .,;")
        if _NOT_A_SYSTEM.match(name) or _SYSTEM_RX.match(name):
            continue
        hits.append(
            view.hit("implementation.integrations", name, match.start(), match.end(), BARE_MENTION)
        )
    for match in view.finditer(_WITH_ITEMS, ("integrat", "connector", "interface"), after=80):
        _, end = view.sentence(match.start(), match.end())
        for item_start, item_end in enumeration(text, match.end() - 3, end):
            named = _ITEM_NAME.match(text, item_start, item_end)
            if named is None:
                continue
            name = named.group("name").strip(" .,;")
            if _NOT_A_SYSTEM.match(name) or _SYSTEM_RX.match(name):
                continue
            hits.append(
                view.hit("implementation.integrations", name, match.start(), item_end, BARE_MENTION)
            )
    return hits


# "migrate tickets from the district's Zendesk account", "the Zendesk export": where data
# comes from once, not a system to connect to.
_FROM_BEFORE = re.compile(r"\bfrom\s+(?:the\s+)?(?:[\w-]+['’]s\s+)?$", re.IGNORECASE)
_EXPORT_AFTER = re.compile(r"\s+(?:data\s+)?(?:export|extract|dump)s?\b", re.IGNORECASE)
_ONE_OFF_SOURCE = re.compile(r"migrat|export|extract|legacy|historical", re.IGNORECASE)


def _migration_source(view: TextView, start: int, end: int, s_start: int, s_end: int) -> bool:
    text = view.text
    if _EXPORT_AFTER.match(text, end):
        return True
    return bool(
        _FROM_BEFORE.search(text, max(s_start, start - 40), start)
        and _ONE_OFF_SOURCE.search(text, s_start, s_end)
    )


def _integrations(view: TextView) -> list[Hit]:
    hits: list[Hit] = _named_targets(view) + _named_before_and_listed(view)
    for match in view.finditer(_SYSTEM_RX, _SYSTEM_KEYS, before=30, after=50):
        start, end = view.sentence(match.start(), match.end())
        if not _INTEGRATION_CONTEXT.search(view.text, start, end):
            continue
        if _migration_source(view, match.start(), match.end(), start, end):
            continue
        index = int(next(name for name, value in match.groupdict().items() if value)[1:])
        hits.append(
            view.hit(
                "implementation.integrations",
                _SYSTEM_NAMES[index],
                match.start(),
                match.end(),
                LOOSE_WORDING,
            )
        )
    return hits


def _fee_and_hours(view: TextView) -> list[Hit]:
    hits: list[Hit] = []
    for match in view.finditer(
        _FEE_LABEL, ("fee", "price", "charge", "package"), before=90, after=60
    ):
        start, end = view.sentence(match.start(), match.end())
        limit = min(end, match.end() + 160)
        amount = next(iter(find_amounts(view.text, match.start(), limit)), None)
        if amount is not None:
            hits.append(
                view.hit(
                    "implementation.services_fee",
                    amount.money,
                    match.start(),
                    amount.end,
                    LOOSE_WORDING,
                )
            )
    for match in view.finditer(_HOURS, ("hour",), before=50, after=20):
        start, end = view.sentence(match.start(), match.end())
        if not _HOURS_CONTEXT.search(view.text, start, end):
            continue
        if not _HOURS_CONTEXT.search(
            view.text, max(start, match.start() - 100), min(end, match.end() + 40)
        ):
            continue
        if _NOT_EFFORT.search(
            view.text, max(start, match.start() - 40), min(end, match.end() + 30)
        ):
            continue
        hours = float(match.group("n").replace(",", ""))
        if hours >= 4:
            hits.append(
                view.hit(
                    "implementation.services_hours",
                    hours,
                    match.start(),
                    match.end(),
                    KEPT_BY_CONTEXT,
                )
            )
    return hits


def _milestone_name(row: str, before_date: str, wrapped: list[str]) -> str:
    """The name in a dated row: its first worded cell, or the words before the date.

    In PDF text a row's cells may have wrapped onto the lines above the date ("1" / "Design
    complete and" / "approved by Bank" / "November 15, 2024"); those lines are read too,
    without the table's header and the bare row number.
    """
    cells = [cell for cell in split_cells(row) if cell.strip()]
    if len(cells) >= 2:
        # The first cell that is neither the date nor a row number.
        named = [
            squash(cell)
            for cell in cells
            if not DATE_RE.search(cell) and re.search(r"[A-Za-z]{3}", cell)
        ]
        return _tidy_milestone(next(iter(named), ""))
    lines = [line for line in (*wrapped, before_date) if not _HEADER_LINE.match(line.strip())]
    for line in lines:
        labelled = _ROW_LABEL.match(line)
        if labelled is not None and re.search(r"[A-Za-z]{3}", line[labelled.end() :]):
            # "M1 - Project Kickoff" above its description: the label line names it.
            return _tidy_milestone(line)
    words_of_row = " ".join(line for line in lines if not _BARE_LABEL.match(line))
    return _tidy_milestone(words_of_row)


def _tidy_milestone(name: str) -> str:
    name = squash(name)
    name = _ROW_LABEL.sub("", name).strip(" :-–|,") if len(name) > 3 else name
    name = _DUE_WORDS.sub("", name)
    return name.strip(" :-–|,")


def _milestones(view: TextView) -> list[Hit]:
    """Dated rows under a milestone heading or table header: name cell + date."""
    hits: list[Hit] = []
    seen: set[int] = set()
    for header in view.finditer(
        _MILESTONE_HEADER, ("milestone", "phase", "deliverable"), before=5, after=20
    ):
        header_start, header_end = view.line(header.start())
        header_text = view.text[header_start:header_end]
        # A heading or a table header, not a mention of milestones in running text.
        if len(header_text.strip()) > 90 and not is_delimited(header_text):
            continue
        if len(header_text) <= MAX_LINE:
            hits.extend(_dated_rows(view, header_end + 1, seen))
    return hits


def _dated_rows(view: TextView, position: int, seen: set[int]) -> list[Hit]:
    """Milestones from the rows that follow a header at ``position``."""
    hits: list[Hit] = []
    text = view.text
    rows = 0
    block: list[str] = []  # undated lines since the last dated row (a wrapped PDF row)
    for row_start, row_end in view.lines_after(position):
        if rows >= 40:
            break
        row = text[row_start:row_end]
        if not row.strip():
            if rows:
                break
            continue
        rows += 1
        if row_start in seen or set(row.strip()) <= set("|-: \t="):
            continue
        if (len(row) > 80 and row.rstrip().endswith(".")) or SENTENCE_IN_ROW.search(row):
            break  # running text again: the table is over
        dates = list(find_dates(text, row_start, row_end))
        if not dates:
            relative = _RELATIVE_ROW.match(row)
            if relative is not None:
                seen.add(row_start)
                milestone = Milestone(
                    name=squash(relative.group("name")).strip(" |"),
                    due_relative=squash(relative.group("due")),
                )
                hits.append(
                    view.hit(
                        "implementation.milestones",
                        milestone,
                        row_start,
                        row_end,
                        BARE_MENTION,
                        exact=True,
                    )
                )
                continue
            if rows > 6 and not hits:
                break
            block.append(row)
            continue
        due, date_start, _ = dates[0]
        name = _milestone_name(row, text[row_start:date_start], block)
        block = []
        if not name or len(name) > 90:
            continue
        seen.add(row_start)
        hits.append(
            view.hit(
                "implementation.milestones",
                Milestone(name=name, due_date=due),
                row_start,
                row_end,
                INFERRED,
                exact=True,
            )
        )
    return hits


def _go_live(view: TextView) -> list[Hit]:
    hits: list[Hit] = []
    for match in view.finditer(_GO_LIVE, _GO_LIVE_KEYS, before=10, after=140):
        date_match = DATE_RE.match(view.text, match.end())
        value = date_from_match(date_match) if date_match else None
        if value is not None and date_match is not None:
            hits.append(
                view.hit(
                    "implementation.go_live_date",
                    value,
                    match.start(),
                    date_match.end(),
                    CHECKED_CLAUSE,
                )
            )
    return hits


def _distinct_systems(hits: list[Hit]) -> list[Hit]:
    """Without a name that is part of a longer one also found ("Teamcenter" in "Siemens ...")."""
    names = {hit.value for hit in hits}

    def inside(name: str) -> bool:
        return any(
            other != name and re.search(rf"(?<!\w){re.escape(name)}(?!\w)", other)
            for other in names
        )

    return [hit for hit in hits if not inside(hit.value)]


def extract(view: TextView) -> list[Hit]:
    """Implementation hits."""
    return (
        _distinct_systems(_integrations(view))
        + _fee_and_hours(view)
        + _milestones(view)
        + _go_live(view)
        + read_concept(view, *IMPLEMENTATION_WORK)
    )
