"""Benchmark of the model-backed reader on a 40-page contract against the local stub server.

The stub (``tests/support/openai_stub.py``, a real HTTP server on 127.0.0.1 speaking the
OpenAI protocol through the real ``openai`` client) answers every call after a fixed
latency. Three figures, each with its target:

- wall time of the reading against the slowest single call (chunks read concurrently:
  at most 1.5 times);
- tokens sent against the document's own tokens (prompts, schema and chunk overlap on
  top: at most 1.25 times);
- model calls when the same document is read again with the answers cached in the
  database (zero).

    python benchmarks/llm.py [--dataset DIR] [--pages 40] [--latency 0.5] [--concurrency 8]

``--dataset`` is the CUAD folder (``../shared/datasets/cuad`` by default): the contract whose
page count is nearest above ``--pages`` is read. Ends with one JSON line of the figures.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATASET = REPO_ROOT.parent / "shared" / "datasets" / "cuad"


def _contract(dataset: Path, pages: int) -> Path:
    """The CUAD PDF with the fewest pages at or above ``pages``."""
    from pypdf import PdfReader

    best: tuple[int, Path] | None = None
    for path in sorted((dataset / "pdf").glob("*.pdf")):
        try:
            count = len(PdfReader(path).pages)
        except Exception:
            continue
        if count >= pages and (best is None or count < best[0]):
            best = (count, path)
            if count == pages:
                break
    if best is None:
        raise SystemExit(f"no contract of {pages} pages or more in {dataset / 'pdf'}")
    return best[1]


def _first_page(document: Any) -> Any:
    """A one-page document cut from ``document`` (for the warm-up call)."""
    from extractors.document import Document, Page

    page = document.pages[0]
    text = document.text[page.start : page.end]
    return Document(
        text=text,
        pages=[Page(number=1, start=0, end=len(text))],
        sha256="0" * 64,
        media_type=document.media_type,
        loader=document.loader,
        loader_version=document.loader_version,
        filename="warm-up",
    )


def run(dataset: Path, pages: int, latency_s: float, concurrency: int) -> dict[str, Any]:
    from sqlmodel import Session

    from app.ai.config import model_settings
    from app.ai.store import cached_answers, store_answers
    from app.db import create_db_engine, migrate
    from app.settings import Settings
    from extractors.ingest import ingest_bytes
    from extractors.llm import read_documents
    from extractors.llm.reader import estimate_tokens, plan_chunks

    # The stub server is test support code; run as a script, the repository is not on the path.
    if str(REPO_ROOT) not in sys.path:
        sys.path.insert(0, str(REPO_ROOT))
    from tests.support.openai_stub import StubReply, StubRequest, good_reply, running_stub

    path = _contract(dataset, pages)
    document = ingest_bytes(path.read_bytes(), filename=path.name)

    def slow(request: StubRequest) -> StubReply:
        time.sleep(latency_s)
        return good_reply(request)

    with running_stub(slow) as stub, tempfile.TemporaryDirectory() as scratch:
        settings = Settings(
            _env_file=None,
            llm_provider="openai",
            openai_base_url=stub.base_url,
            openai_model="stub-model",
            llm_max_concurrency=concurrency,
            llm_timeout_s=max(10.0, latency_s * 4),
            llm_case_token_budget=10_000_000,
        )
        config = model_settings(settings)
        engine = create_db_engine(f"sqlite:///{Path(scratch) / 'bench.db'}")
        migrate(engine)
        keys = [plan.key for plan in plan_chunks([document], config)]
        # One call first, so that the client's start-up is not counted as reading time.
        warm = read_documents([_first_page(document)], config)
        if warm.status != "used":
            raise SystemExit(f"the stub did not answer: {warm.reason}")

        started = time.perf_counter()
        with Session(engine) as session:
            cache = cached_answers(session=session, keys=keys)
        first = read_documents([document], config, cache=cache)
        first_wall = time.perf_counter() - started
        if first.status != "used":
            raise SystemExit(f"the reading failed: {first.reason}")
        with Session(engine) as session:
            store_answers(session=session, entries=first.new_cache_entries)
            session.commit()
        calls_before = stub.calls

        started = time.perf_counter()
        with Session(engine) as session:
            cache = cached_answers(session=session, keys=keys)
        second = read_documents([document], config, cache=cache)
        second_wall = time.perf_counter() - started
        engine.dispose()
    slowest = max(call.latency_ms for call in first.calls) / 1000
    document_tokens = estimate_tokens(document.text)
    return {
        "contract": path.name,
        "pages": document.page_count,
        "characters": len(document.text),
        "chunks": len(first.calls),
        "concurrency": concurrency,
        "latency_s": latency_s,
        "wall_s": round(first_wall, 3),
        "slowest_call_s": round(slowest, 3),
        "wall_over_slowest": round(first_wall / slowest, 3),
        "document_tokens": document_tokens,
        "tokens_sent": first.tokens_in,
        "tokens_received": first.tokens_out,
        "sent_over_document": round(first.tokens_in / document_tokens, 3),
        "findings": len(first.findings),
        "grounded_share": first.grounded_share,
        "second_run_model_calls": stub.calls - calls_before,
        "second_run_tokens": second.tokens_in + second.tokens_out,
        "second_run_wall_s": round(second_wall, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--dataset", type=Path, default=DEFAULT_DATASET)
    parser.add_argument("--pages", type=int, default=40)
    parser.add_argument("--latency", type=float, default=0.5, help="seconds per model call")
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    figures = run(args.dataset, args.pages, args.latency, args.concurrency)
    table = Table(title=f"Model reading of {figures['contract']} ({figures['pages']} pages)")
    table.add_column("measure")
    table.add_column("value", justify="right")
    table.add_column("target", justify="right")
    table.add_row("chunks (concurrent calls)", str(figures["chunks"]), "")
    table.add_row("wall time (s)", f"{figures['wall_s']:.2f}", "")
    table.add_row("slowest single call (s)", f"{figures['slowest_call_s']:.2f}", "")
    table.add_row("wall / slowest call", f"{figures['wall_over_slowest']:.2f}", "<= 1.50")
    table.add_row("document tokens", str(figures["document_tokens"]), "")
    table.add_row("tokens sent", str(figures["tokens_sent"]), "")
    table.add_row("sent / document", f"{figures['sent_over_document']:.2f}", "<= 1.25")
    table.add_row("model calls, second run", str(figures["second_run_model_calls"]), "0")
    table.add_row("tokens, second run", str(figures["second_run_tokens"]), "0")
    Console().print(table)
    figures["ok"] = (
        figures["wall_over_slowest"] <= 1.5
        and figures["sent_over_document"] <= 1.25
        and figures["second_run_model_calls"] == 0
    )
    print(json.dumps(figures, sort_keys=True))


if __name__ == "__main__":
    main()
