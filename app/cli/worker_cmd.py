"""``triage worker``: run stored jobs, on the backend the settings choose, until stopped.

``local`` runs a pool of worker threads in the foreground (the embedded shape, or one
machine without a broker); ``celery`` starts a Celery worker on the broker (scaled out).
Either one migrates the database first and recovers the jobs of workers that died.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
from enum import StrEnum
from types import FrameType
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from app.settings import Settings
    from rules import Policy

log = logging.getLogger(__name__)


class CeleryPool(StrEnum):
    PREFORK = "prefork"
    SOLO = "solo"
    THREADS = "threads"


def worker(
    concurrency: Annotated[
        int | None,
        typer.Option(
            min=1,
            help="Jobs run at once (local: default TRIAGE_LOCAL_WORKERS; celery: CPU count).",
        ),
    ] = None,
    pool: Annotated[
        CeleryPool, typer.Option(help="Celery execution pool (celery backend only).")
    ] = CeleryPool.PREFORK,
    queue: Annotated[
        str | None,
        typer.Option(help="Broker queue to consume (celery backend only; default: triage)."),
    ] = None,
    shutdown_timeout: Annotated[
        float,
        typer.Option(min=0, help="Seconds running jobs get to finish on SIGTERM (local)."),
    ] = 30.0,
    loglevel: Annotated[str, typer.Option(help="Log level.")] = "INFO",
) -> None:
    """Run queued jobs until stopped (SIGTERM or Ctrl-C stops gracefully)."""
    # Imported here, so that the rest of the CLI starts without Celery and the pipeline.
    from kombu.utils.url import maybe_sanitize_url

    from app.db import get_engine
    from app.jobs.celery_app import DEFAULT_QUEUE
    from app.settings import get_settings

    settings = get_settings()
    policy = _load_policy(settings)
    engine = get_engine(settings.database_url)  # migrates the schema on first use
    database = engine.url.render_as_string(hide_password=True)
    if settings.job_backend == "celery":
        queue = queue or DEFAULT_QUEUE
        typer.echo(
            f"triage worker: backend=celery broker={maybe_sanitize_url(settings.broker_url)} "
            f"queue={queue} pool={pool.value} database={database}"
        )
        _run_celery(settings, queue=queue, pool=pool, concurrency=concurrency, loglevel=loglevel)
        return
    if concurrency is not None:
        settings = settings.model_copy(update={"local_workers": concurrency})
    typer.echo(f"triage worker: backend=local workers={settings.local_workers} database={database}")
    _run_local(
        settings, engine=engine, policy=policy, timeout_s=shutdown_timeout, loglevel=loglevel
    )


def _load_policy(settings: Settings) -> Policy:
    from app.jobs.celery_app import worker_policy
    from rules import InvalidPolicyError

    try:
        return worker_policy(settings.rules_dir)
    except InvalidPolicyError as error:
        # A worker never decides on a policy that does not validate.
        typer.echo("Refusing to start: the policy is invalid.", err=True)
        typer.echo(str(error), err=True)
        raise typer.Exit(2) from None


def _run_local(
    settings: Settings, *, engine: Engine, policy: Policy, timeout_s: float, loglevel: str
) -> None:
    from app.jobs.local import LocalWorkerPool

    logging.basicConfig(
        level=loglevel.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    stopping = threading.Event()

    def request_stop(signum: int, _frame: FrameType | None) -> None:
        log.info("%s received: finishing running jobs", signal.Signals(signum).name)
        stopping.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    workers = LocalWorkerPool(engine=engine, settings=settings, policy=policy)
    workers.start()
    try:
        while not stopping.wait(1.0):
            if not workers.healthy():
                log.error("a worker thread died; stopping so that a supervisor restarts us")
                raise typer.Exit(1)
    finally:
        workers.stop(timeout_s=timeout_s)


def _run_celery(
    settings: Settings, *, queue: str, pool: CeleryPool, concurrency: int | None, loglevel: str
) -> None:
    from app.jobs.celery_app import install_worker_hooks, make_celery_app

    app = make_celery_app(settings, queue=queue)
    install_worker_hooks(app, settings=settings, queue=queue)
    argv = [
        "worker",
        f"--pool={pool.value}",
        f"--queues={queue}",
        f"--loglevel={loglevel}",
        # Unique per process, so several workers on one host never share a node name.
        f"--hostname=triage-{os.getpid()}@%h",
        # Workers coordinate through the job table, not through each other.
        "--without-gossip",
        "--without-mingle",
    ]
    if concurrency is not None:
        argv.append(f"--concurrency={concurrency}")
    app.worker_main(argv)


def main() -> None:
    """``python -m app.cli.worker_cmd``: the worker without the rest of the CLI."""
    typer.run(worker)


if __name__ == "__main__":
    main()
