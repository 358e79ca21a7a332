"""Same facts and rule set give byte-identical decision JSON, in this process and in others."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys

from rules import Policy, decide
from rules.sampling import RandomChooser, sample_case
from rules.scenario import build_facts, load_scenarios
from tests.conftest import REPO_ROOT

SCRIPT = """
import hashlib
from rules import decide, load_policy
from rules.sampling import RandomChooser, sample_case
from rules.scenario import build_facts, load_scenarios
policy = load_policy()
digest = hashlib.sha256()
for scenario in load_scenarios():
    decision = decide(build_facts(scenario.facts), policy=policy, context=scenario.context)
    digest.update(decision.to_json().encode())
chooser = RandomChooser(3)
for _ in range(200):
    facts, context = sample_case(chooser, policy)
    digest.update(decide(facts, policy=policy, context=context).to_json().encode())
print(digest.hexdigest())
"""


def _digest_here(policy: Policy) -> str:
    digest = hashlib.sha256()
    for scenario in load_scenarios():
        digest.update(
            decide(build_facts(scenario.facts), policy=policy, context=scenario.context)
            .to_json()
            .encode()
        )
    chooser = RandomChooser(3)
    for _ in range(200):
        facts, context = sample_case(chooser, policy)
        digest.update(decide(facts, policy=policy, context=context).to_json().encode())
    return digest.hexdigest()


def test_decision_json_is_identical_across_processes(policy: Policy) -> None:
    here = _digest_here(policy)
    assert here == _digest_here(policy)
    for hash_seed in ("0", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        result = subprocess.run(
            [sys.executable, "-c", SCRIPT],
            cwd=REPO_ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
            timeout=300,
        )
        assert result.stdout.strip() == here


def test_canonical_json_shape(policy: Policy) -> None:
    scenario = next(s for s in load_scenarios() if s.name.startswith("several departments"))
    text = decide(build_facts(scenario.facts), policy=policy).to_json()
    canonical = json.dumps(
        json.loads(text), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    assert text == canonical
    assert "e-0" not in text and "NaN" not in text
