"""`rules check`: every kind of broken policy file is reported with file, line and sentence."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from rules import InvalidPolicyError, PolicyIssue, check_policy, load_policy
from rules.loader import DEFAULT_POLICY_DIR


def _write(directory: Path, name: str, text: str) -> str:
    content = textwrap.dedent(text).lstrip("\n")
    (directory / name).write_text(content, encoding="utf-8")
    return content


def _line(content: str, marker: str) -> int:
    """1-based line of the first line holding ``marker``."""
    for number, line in enumerate(content.splitlines(), start=1):
        if marker in line:
            return number
    raise AssertionError(f"{marker!r} not in the file")


def _issue(issues: list[PolicyIssue], file: str, line: int, *words: str) -> PolicyIssue:
    for issue in issues:
        if (
            issue.file == file
            and issue.line == line
            and all(word in issue.message for word in words)
        ):
            return issue
    raise AssertionError(
        f"no issue at {file}:{line} with {words}; got:\n" + "\n".join(map(str, issues))
    )


def _rule_file(directory: Path, body: str, name: str = "80-extra.yaml") -> str:
    return _write(
        directory, name, "rules:\n" + textwrap.indent(textwrap.dedent(body).lstrip("\n"), "  ")
    )


def test_yaml_syntax_error_gives_the_line(policy_copy: Path) -> None:
    content = _rule_file(
        policy_copy,
        """
        - id: extra.broken
          description: A rule with an unclosed bracket.
          when: {fact: legal.non_compete, eq: true
          then: {tier: 2}
        """,
    )
    issues = check_policy(policy_copy)
    issue = next(issue for issue in issues if issue.file == "80-extra.yaml")
    assert "not valid YAML" in issue.message
    assert _line(content, "when:") <= issue.line <= _line(content, "then:")


def test_schema_violation(policy_copy: Path) -> None:
    content = _rule_file(
        policy_copy,
        """
        - id: extra.too_high
          description: A tier beyond the scale.
          when: {fact: legal.non_compete, eq: true}
          then:
            tier: 9
        """,
    )
    issue = _issue(
        check_policy(policy_copy), "80-extra.yaml", _line(content, "tier: 9"), "schema violation"
    )
    assert "rule 'extra.too_high'" in issue.message
    assert "9" in issue.message


def test_schema_violation_for_an_unknown_key(policy_copy: Path) -> None:
    content = _rule_file(
        policy_copy,
        """
        - id: extra.typo
          description: A misspelt key.
          when: {fact: legal.non_compete, eq: true}
          then: {tier: 2}
          priority: 3
        """,
    )
    _issue(
        check_policy(policy_copy),
        "80-extra.yaml",
        _line(content, "priority"),
        "priority",
        "schema violation",
    )


def test_unknown_fact(policy_copy: Path) -> None:
    content = _rule_file(
        policy_copy,
        """
        - id: extra.unknown_fact
          description: A fact the schema does not have.
          when:
            fact: legal.non_compet
            eq: true
          then: {tier: 2}
        """,
    )
    issue = _issue(
        check_policy(policy_copy),
        "80-extra.yaml",
        _line(content, "legal.non_compet"),
        "unknown fact",
    )
    assert "did you mean 'legal.non_compete'" in issue.message


def test_unknown_attribute_and_case_input(policy_copy: Path) -> None:
    content = _rule_file(
        policy_copy,
        """
        - id: extra.unknown_attribute
          description: Money has no tax attribute, and there is no such case input.
          when:
            any:
              - fact: commercial.annual_contract_value.tax
                gt: 1
              - context: documents_missing
                gt: 1
          then: {tier: 2}
        """,
    )
    issues = check_policy(policy_copy)
    _issue(issues, "80-extra.yaml", _line(content, "value.tax"), "unknown fact")
    _issue(issues, "80-extra.yaml", _line(content, "documents_missing"), "unknown case input")


@pytest.mark.parametrize(
    ("condition", "marker", "words"),
    [
        (
            "fact: commercial.payment_terms_days\ngt: forty",
            "gt: forty",
            ("integer", "'forty'", "a string"),
        ),
        ("fact: legal.non_compete\neq: 5", "eq: 5", ("boolean", "5", "a number")),
        ("fact: legal.non_compete\ngt: 1", "gt: 1", ("'gt' cannot be used", "boolean")),
        (
            "fact: commercial.billing_frequency\neq: weekly",
            "eq: weekly",
            ("'weekly' is not a possible value",),
        ),
        (
            "fact: commercial.annual_contract_value.amount\nin: [1, two]",
            "in: [1, two]",
            ("number", "'two'"),
        ),
        (
            "fact: commercial.annual_contract_value.amount\nstatus: present",
            "status: present",
            ("status belongs to",),
        ),
        (
            "fact: commercial.currencies\ncontains_any: {param: base_currency}",
            "contains_any",
            ("needs a list",),
        ),
        (
            "fact: commercial.annual_contract_value.currency\neq: {param: exchange_rates}",
            "eq: {param",
            ("needs a single value",),
        ),
    ],
)
def test_wrong_types(
    policy_copy: Path, condition: str, marker: str, words: tuple[str, ...]
) -> None:
    when = textwrap.indent(condition, "      ")
    content = _write(
        policy_copy,
        "80-extra.yaml",
        "rules:\n  - id: extra.wrong_type\n    description: A mistyped test.\n"
        f"    when:\n{when}\n    then: {{tier: 2}}\n",
    )
    _issue(check_policy(policy_copy), "80-extra.yaml", _line(content, marker), *words)


def test_a_table_parameter_stands_for_its_keys_in_a_list_test(policy_copy: Path) -> None:
    _rule_file(
        policy_copy,
        """
        - id: extra.priced_currency
          description: Billing in a currency the rate table knows.
          when:
            fact: commercial.currencies
            any_not_in: {param: exchange_rates}
          then: {tier: 2}
        """,
    )
    assert check_policy(policy_copy) == []


def test_unknown_parameter(policy_copy: Path) -> None:
    content = _rule_file(
        policy_copy,
        """
        - id: extra.unknown_parameter
          description: A threshold that is not in parameters.yaml.
          when:
            fact: commercial.discount_percent
            gt: {param: finance.max_discount}
          then: {tier: 2}
        """,
    )
    _issue(
        check_policy(policy_copy),
        "80-extra.yaml",
        _line(content, "param:"),
        "unknown parameter 'finance.max_discount'",
    )


def test_duplicate_rule_id(policy_copy: Path) -> None:
    content = _rule_file(
        policy_copy,
        """
        - id: legal.liquidated_damages
          description: Same id as a shipped rule.
          when: {fact: legal.liquidated_damages, eq: true}
          then: {tier: 2}
        """,
    )
    issue = _issue(
        check_policy(policy_copy), "80-extra.yaml", _line(content, "- id:"), "duplicate rule id"
    )
    assert "30-legal.yaml" in issue.message


@pytest.mark.parametrize(
    ("when", "words"),
    [
        (
            "all:\n  - {fact: commercial.payment_terms_days, gt: 60}\n"
            "  - {fact: commercial.payment_terms_days, lt: 30}",
            ("can never fire", "commercial.payment_terms_days"),
        ),
        (
            "all:\n  - {fact: commercial.payment_terms_days, gt: 45}\n"
            "  - {fact: commercial.payment_terms_days, lt: 46}",
            ("can never fire",),
        ),
        (
            "all:\n  - {fact: legal.non_compete, status: not_found}\n"
            "  - {fact: legal.non_compete, eq: true}",
            ("can never fire", "legal.non_compete"),
        ),
        ("fact: legal.governing_law\nin: []", ("can never fire",)),
        ("rules_with_tag: nobody_has_this", ("can never fire", "nobody_has_this")),
    ],
)
def test_unreachable_rule(policy_copy: Path, when: str, words: tuple[str, ...]) -> None:
    condition = textwrap.indent(when, "      ")
    content = _write(
        policy_copy,
        "80-extra.yaml",
        "rules:\n  - id: extra.unreachable\n    description: Never true.\n"
        f"    when:\n{condition}\n    then: {{tier: 2}}\n",
    )
    _issue(
        check_policy(policy_copy),
        "80-extra.yaml",
        _line(content, "- id:"),
        "extra.unreachable",
        *words,
    )


def test_unknown_approval_role(policy_copy: Path) -> None:
    content = _rule_file(
        policy_copy,
        """
        - id: extra.lawyer
          description: A role that does not exist.
          when: {fact: legal.non_compete, eq: true}
          then:
            approval: {role: lawyer, reason: Ask a lawyer.}
        """,
    )
    _issue(
        check_policy(policy_copy),
        "80-extra.yaml",
        _line(content, "role: lawyer"),
        "approval role 'lawyer' does not exist",
    )


def test_unknown_role_in_parameters(policy_copy: Path) -> None:
    path = policy_copy / "parameters.yaml"
    content = path.read_text(encoding="utf-8").replace(
        "  executive: 8", "  executive: 8\n  board: 40"
    )
    path.write_text(content, encoding="utf-8")
    _issue(
        check_policy(policy_copy),
        "parameters.yaml",
        _line(content, "board: 40"),
        "approval role 'board' does not exist",
    )


def test_tag_cycle(policy_copy: Path) -> None:
    content = _rule_file(
        policy_copy,
        """
        - id: extra.self_referring
          description: Depends on its own tag.
          tags: [loop]
          when:
            rules_with_tag: loop
          then: {tier: 2}
        """,
    )
    _issue(
        check_policy(policy_copy),
        "80-extra.yaml",
        _line(content, "- id:"),
        "depends on its own tag",
    )


def test_missing_parameters_file(policy_copy: Path) -> None:
    (policy_copy / "parameters.yaml").unlink()
    assert any("parameters.yaml" in issue.message for issue in check_policy(policy_copy))


def test_invalid_policy_is_refused_at_load(policy_copy: Path) -> None:
    _rule_file(
        policy_copy,
        """
        - id: extra.lawyer
          description: A role that does not exist.
          when: {fact: legal.non_compete, eq: true}
          then:
            approval: {role: lawyer, reason: Ask a lawyer.}
        """,
    )
    with pytest.raises(InvalidPolicyError) as raised:
        load_policy(policy_copy)
    assert "80-extra.yaml" in str(raised.value)
    assert raised.value.issues


def test_shipped_policy_is_valid() -> None:
    assert check_policy(DEFAULT_POLICY_DIR) == []
    policy = load_policy()
    assert len(policy.rules) >= 40
    assert len({rule.id for rule in policy.rules}) == len(policy.rules)


def test_version_is_a_content_hash(policy_copy: Path) -> None:
    before = load_policy(policy_copy).version
    assert before == load_policy(DEFAULT_POLICY_DIR).version
    parameters = policy_copy / "parameters.yaml"
    parameters.write_text(
        parameters.read_text(encoding="utf-8").replace(
            "executive_acv: 500000", "executive_acv: 400000"
        )
    )
    assert load_policy(policy_copy).version != before
