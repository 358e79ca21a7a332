"""Replay reads stored cases from the database and shows what a new policy would change."""

from __future__ import annotations

import shutil
from pathlib import Path

from app.ai.models import CaseModelReading
from app.db import create_db_engine, migrate, session_scope
from app.jobs.inline import run_triage
from app.pipeline import Upload
from app.settings import Settings
from app.stored_cases import stored_replay_cases
from extractors.registry import register_extractor, unregister_extractor
from rules import DEFAULT_POLICY_DIR, load_policy, replay
from tests.app.test_pipeline import MSA_TEXT, scripted
from tests.extractors.fakes import ScriptedExtractor


def test_stored_case_replays_against_a_looser_policy(db_url: str, tmp_path: Path) -> None:
    engine = create_db_engine(db_url)
    migrate(engine)
    register_extractor("scripted", lambda: ScriptedExtractor(scripted))
    try:
        settings = Settings(offline_extractors=["scripted"])
        result = run_triage(
            engine=engine,
            uploads=[Upload(data=MSA_TEXT, filename="msa.txt")],
            settings=settings,
            policy=load_policy(),
        )
    finally:
        unregister_extractor("scripted")
    looser = tmp_path / "policy"
    shutil.copytree(DEFAULT_POLICY_DIR, looser)
    parameters = looser / "parameters.yaml"
    parameters.write_text(
        parameters.read_text().replace("max_payment_terms_days: 45", "max_payment_terms_days: 90")
    )
    with session_scope(engine) as session:
        cases = list(stored_replay_cases(session=session))
        # Read offline: replayed on its deterministic facts alone.
        assert cases[0].advisory_facts is None
        # Had a model read it, replay decides on the facts that decision saw.
        merged = cases[0].facts.model_copy(deep=True)
        reading = session.get(CaseModelReading, result.case_id)
        assert reading is not None and reading.status == "off"
        reading.status, reading.advisory_facts_json = "used", merged.model_dump_json()
        session.add(reading)
    with session_scope(engine) as session:
        (read,) = stored_replay_cases(session=session)
        assert read.advisory_facts == merged
    assert [case.case_id for case in cases] == [result.case_id]
    report = replay(cases, old=load_policy(), new=load_policy(looser))
    assert report.cases == 1
    (change,) = report.changed
    assert "finance.payment_terms" in change.rules_no_longer_firing
    engine.dispose()


def test_cli_replay_reads_the_configured_database(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from app.cli.main import app
    from app.settings import get_settings

    engine = create_db_engine(get_settings().database_url)
    migrate(engine)
    register_extractor("scripted", lambda: ScriptedExtractor(scripted))
    try:
        result = run_triage(
            engine=engine,
            uploads=[Upload(data=MSA_TEXT, filename="msa.txt")],
            settings=Settings(offline_extractors=["scripted"]),
            policy=load_policy(),
        )
    finally:
        unregister_extractor("scripted")
    engine.dispose()
    looser = tmp_path / "policy"
    shutil.copytree(DEFAULT_POLICY_DIR, looser)
    parameters = looser / "parameters.yaml"
    parameters.write_text(
        parameters.read_text().replace("max_payment_terms_days: 45", "max_payment_terms_days: 90")
    )
    output = CliRunner().invoke(app, ["rules", "replay", "--rules", str(looser), "--json"])
    assert output.exit_code == 0, output.output
    assert result.case_id in output.output
    assert "finance.payment_terms" in output.output
