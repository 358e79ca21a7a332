"""--json, --format json|markdown|csv: the whole case, for programs and for people."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from app.views.export import CSV_COLUMNS
from tests.app.cli.conftest import invoke


def test_json_is_the_whole_case_with_refused_documents_and_facts_that_fired_nothing(
    order_form: Path, empty_file: Path
) -> None:
    result = invoke(["run", str(order_form), str(empty_file), "--json"])
    assert result.exit_code == 1  # the empty file was refused; the case is stored anyway
    view = json.loads(result.stdout)
    assert len(view["id"]) == 32
    assert view["status"] == "needs_information"
    documents = {d["filename"]: d for d in view["documents"]}
    assert documents["order_form.txt"]["status"] == "ingested"
    assert documents["scan.txt"]["status"] == "refused"
    assert documents["scan.txt"]["error_code"] == "empty_file"
    facts = {f["path"]: f for group in view["facts"].values() for f in group}
    # A fact no rule fired on is still there, with its value and quote.
    billing = facts["commercial.billing_frequency"]
    assert billing["used_by_rules"] == []
    assert billing["display"] == "annual"
    assert billing["evidence"][0]["quote"].startswith("Subscription fees: EUR 48,000")
    assert facts["legal.governing_law"]["used_by_rules"] == ["legal.governing_law"]

    # --format json is the same document; running the same files again reuses the case.
    again = invoke(["run", str(order_form), str(empty_file), "--format", "json"])
    assert again.exit_code == 1
    assert json.loads(again.stdout)["id"] == view["id"]
    assert f"Same documents as case {view['id']}: decided again." in again.stderr


def test_brief_json_keeps_the_decision_only(order_form: Path) -> None:
    result = invoke(["run", str(order_form), "--json", "--brief"])
    assert result.exit_code == 0, result.output
    view = json.loads(result.stdout)
    assert set(view) == {
        "id",
        "reference",
        "status",
        "summary",
        "path",
        "tier",
        "approvals",
        "information_needed",
    }
    assert [a["role"] for a in view["approvals"]] == ["legal", "finance", "security"]


def test_csv_has_one_row_per_fact_with_its_quote(order_form: Path) -> None:
    result = invoke(["run", str(order_form), "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert tuple(rows[0]) == CSV_COLUMNS
    by_path = {row["path"]: row for row in rows}
    assert len(by_path) == len(rows) == 9  # six commercial, one each of legal, security, tax
    law = by_path["legal.governing_law"]
    assert law == {
        "group": "legal",
        "path": "legal.governing_law",
        "label": "Governing law",
        "status": "present",
        "value": "Germany",
        "source": "pattern",
        "document": "order_form.txt",
        "page": "1",
        "quote": "This Agreement is governed by the laws of Germany.",
    }
    assert by_path["commercial.annual_contract_value"]["value"] == "EUR 48,000.00"


def test_markdown_is_a_report_with_the_summary_first(order_form: Path) -> None:
    result = invoke(["run", str(order_form), "--reference", "Harbor Foods", "-f", "markdown"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "# Triage: Harbor Foods"
    assert lines[2].startswith("**Assisted: legal, finance and security must approve — ")
    assert "## Approvals" in lines and "### finance (within 16 business hours)" in lines
    assert (
        "- Payment terms longer than net 45. — order_form.txt p.1 "
        "“Invoices are payable within ninety (90) days of receipt.”"
    ) in lines
    assert (
        "| Governing law | Germany | pattern | order_form.txt p.1 "
        "“This Agreement is governed by the laws of Germany.” |"
    ) in lines
    assert lines.index("## Legal") < lines.index("## Rules fired")
    brief = invoke(["cases", "list", "--json"])
    case_id = json.loads(brief.stdout)[0]["id"]
    short = invoke(["cases", "show", case_id, "--format", "markdown", "--brief"])
    assert "## Approvals" in short.stdout and "## Legal" not in short.stdout


def test_csv_has_no_brief_form(order_form: Path) -> None:
    result = invoke(["run", str(order_form), "--format", "csv", "--brief"])
    assert result.exit_code == 2
    assert "no brief form" in result.output
