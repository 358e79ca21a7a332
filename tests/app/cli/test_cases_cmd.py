"""``triage cases list`` and ``triage cases show``: the stored cases, newest first."""

from __future__ import annotations

import json
from pathlib import Path

from tests.app.cli.conftest import invoke


def _three_cases(order_form: Path, empty_file: Path, tmp_path: Path) -> list[str]:
    """Harbor Foods (assisted), Harbor Foods US (assisted), then a refused scan (needs info)."""
    assert invoke(["run", str(order_form), "--reference", "Harbor Foods"]).exit_code == 0
    assert invoke(["run", str(order_form), "--reference", "Harbor Foods US"]).exit_code == 0
    assert invoke(["run", str(empty_file), "--reference", "Quay 50%_off"]).exit_code == 1
    listed = invoke(["cases", "list", "--json"])
    assert listed.exit_code == 0, listed.output
    return [item["id"] for item in json.loads(listed.stdout)]


def test_list_shows_the_newest_case_first_with_its_decision(
    order_form: Path, empty_file: Path, tmp_path: Path
) -> None:
    ids = _three_cases(order_form, empty_file, tmp_path)
    items = json.loads(invoke(["cases", "list", "--json"]).stdout)
    assert [item["reference"] for item in items] == [
        "Quay 50%_off",
        "Harbor Foods US",
        "Harbor Foods",
    ]
    assert items[1] | {"id": "", "created_at": "", "updated_at": ""} == {
        "id": "",
        "reference": "Harbor Foods US",
        "status": "decided",
        "path": "assisted",
        "tier": 2,
        "approvals": ["legal", "finance", "security"],
        "created_at": "",
        "updated_at": "",
    }
    # 80 columns: two short lines a case, the id whole so it can be copied.
    narrow = invoke(["cases", "list"], columns=80)
    assert narrow.exit_code == 0, narrow.output
    lines = narrow.stdout.splitlines()
    assert lines[0] == f"{ids[0]}  just now"
    assert lines[3] == "  Harbor Foods US · decided · assisted, tier 2 · legal, finance, security"
    assert max(len(line) for line in lines) <= 80
    # A wide terminal gets a table with a column each.
    wide = invoke(["cases", "list"], columns=160)
    header = wide.stdout.splitlines()[0].split()
    assert header == ["id", "reference", "status", "path", "tier", "approvals", "age"]


def test_list_filters_by_status_path_reference_and_limit(
    order_form: Path, empty_file: Path, tmp_path: Path
) -> None:
    ids = _three_cases(order_form, empty_file, tmp_path)

    def listed(*options: str) -> list[str]:
        result = invoke(["cases", "list", "--json", *options])
        assert result.exit_code == 0, result.output
        return [item["id"] for item in json.loads(result.stdout)]

    assert listed("--status", "needs_information") == [ids[0]]
    assert listed("--status", "decided") == ids[1:]
    assert listed("--path", "assisted") == ids[1:]
    assert listed("--path", "needs-information") == [ids[0]]
    assert listed("--reference", "harbor foods") == ids[1:]
    assert listed("--reference", "foods us") == [ids[1]]
    # LIKE wildcards in a reference are plain characters.
    assert listed("--reference", "50%_") == [ids[0]]
    assert listed("--reference", "5_%") == []
    assert listed("--limit", "1") == [ids[0]]
    assert invoke(["cases", "list", "--status", "done"]).exit_code == 2
    assert invoke(["cases", "list", "--path", "fast"]).exit_code == 2
    empty = invoke(["cases", "list", "--reference", "nobody"])
    assert empty.stdout.strip() == "No cases."


def test_show_prints_a_stored_case_in_every_format(order_form: Path) -> None:
    run = invoke(["run", str(order_form), "--json"])
    case_id = json.loads(run.stdout)["id"]
    text = invoke(["cases", "show", case_id], columns=80)
    assert text.exit_code == 0, text.output
    assert text.stdout.startswith("Assisted: legal, finance and security must approve")
    assert f"Case {case_id}" in text.stdout and "Rules fired (4)" in text.stdout
    brief = invoke(["cases", "show", case_id, "--brief"])
    assert "Approvals (3)" in brief.stdout and "Rules fired" not in brief.stdout
    shown = json.loads(invoke(["cases", "show", case_id, "--json"]).stdout)
    assert shown == json.loads(run.stdout)
    csv_text = invoke(["cases", "show", case_id, "-f", "csv"]).stdout
    assert csv_text.startswith("group,path,label,status,value,source,document,page,quote\n")
