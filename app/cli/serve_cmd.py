"""``triage serve``: run the HTTP API under uvicorn, with its job workers when they are local.

SIGTERM (or Ctrl-C) stops taking connections, lets requests in flight finish within the
grace period, then runs the app's shutdown, where the job queue finishes or releases the
jobs it claimed; a job cut short by a hard kill is resumed by its lease running out.
"""

from __future__ import annotations

import contextlib
import gc
import signal
from collections.abc import AsyncIterator
from types import FrameType
from typing import TYPE_CHECKING, Annotated
from urllib.parse import urlsplit, urlunsplit

import typer

from app.logs import configure_logging, logging_config

if TYPE_CHECKING:
    from fastapi import FastAPI

    from app.settings import Settings

APP_FACTORY = "app.cli.serve_cmd:create_served_app"
DEFAULT_SHUTDOWN_TIMEOUT_S = 20


def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.", min=0, max=65535)] = 8000,
    workers: Annotated[
        int,
        typer.Option(help="API processes (each with its own metrics and local workers).", min=1),
    ] = 1,
    shutdown_timeout: Annotated[
        int, typer.Option(help="Seconds requests in flight get to finish after SIGTERM.", min=1)
    ] = DEFAULT_SHUTDOWN_TIMEOUT_S,
) -> None:
    """Run the HTTP API (docs at /docs, health at /healthz and /readyz, metrics at /metrics)."""
    import uvicorn

    from app.settings import get_settings

    try:
        settings = get_settings()
        log_config = logging_config()
    except ValueError as error:
        typer.echo(f"Refusing to start: {error}", err=True)
        raise typer.Exit(2) from None
    configure_logging()
    if workers == 1:
        _warm_up(settings)
    # uvicorn re-raises SIGTERM once it has shut down gracefully; ending as a normal exit
    # instead lets the atexit hooks run (the rules engine's worker process is stopped).
    signal.signal(signal.SIGTERM, _exit_after_shutdown)
    typer.echo(
        f"Triage API on {base_url(host, port)} (docs {base_url(host, port)}/docs); "
        f"{describe_backends(settings)}"
    )
    uvicorn.run(
        APP_FACTORY,
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_config=log_config,
        # Our access line carries the request id and the route template.
        access_log=False,
        timeout_graceful_shutdown=shutdown_timeout,
        server_header=False,
    )


def create_served_app() -> FastAPI:
    """The app uvicorn serves: ``app.api.main.create_app`` that, once started, leaves what
    it has loaded out of the garbage collector's full collections (``freeze_heap``)."""
    from app.api.main import create_app

    app = create_app()
    started = app.router.lifespan_context

    @contextlib.asynccontextmanager
    async def lifespan(served: FastAPI) -> AsyncIterator[None]:
        async with started(served):
            freeze_heap()
            yield

    app.router.lifespan_context = lifespan
    return app


def freeze_heap() -> None:
    """Keep every object alive now (the extractors, the modules, the app) out of the
    garbage collector's full collections for the life of the process (``gc.freeze``).

    They live as long as the process does, and there are some 160,000 of them: a full
    collection that walks them all takes 50-150 ms, a pause that every request in flight
    waits through, and under load the requests set one off every second or two (whatever
    is alive at a young collection is promoted towards the old generation). Frozen, a full
    collection walks only what was made since. Nothing frozen is ever freed, which costs
    nothing for objects kept until exit.
    """
    gc.collect()
    gc.freeze()


def _warm_up(settings: Settings) -> None:
    """Start the parser processes and, when jobs run in this process, the rules engine's
    worker, then load the extractors, before uvicorn starts: the first upload waits for
    none of them, and no request shares the process with the extractors' loading.

    Only for a single process: with several, uvicorn starts others that warm themselves
    up on their first upload.
    """
    from app.cli.warm import (
        in_background,
        load_extractors_fully,
        start_configured_decider,
        start_parsers,
    )

    start_parsers()
    if settings.job_backend == "local":
        in_background(start_configured_decider, settings)
        # Here, not in the background: about a second of compiling, over before the first
        # request is taken. A failure is left for the first job to meet and report.
        with contextlib.suppress(Exception):
            load_extractors_fully(settings)


def _exit_after_shutdown(_signum: int, _frame: FrameType | None) -> None:
    raise SystemExit(0)


def base_url(host: str, port: int) -> str:
    """Where a browser on this machine reaches the API."""
    shown = {"0.0.0.0": "127.0.0.1", "::": "[::1]"}.get(host, host)  # noqa: S104 - display only
    if ":" in shown and not shown.startswith("["):
        shown = f"[{shown}]"
    return f"http://{shown}:{port}"


def describe_backends(settings: Settings) -> str:
    """The database and job backend in one phrase, passwords hidden."""
    from sqlalchemy.engine import make_url

    database = make_url(settings.database_url).render_as_string(hide_password=True)
    if settings.job_backend == "celery":
        jobs = f"jobs: Celery on {_hide_password(settings.broker_url)}"
    else:
        jobs = f"jobs: local, {settings.local_workers} worker(s) per process"
    return f"database {database}; {jobs}"


def _hide_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    user = parts.username or ""
    host = parts.hostname or ""
    netloc = f"{user}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


if __name__ == "__main__":
    typer.run(serve)
