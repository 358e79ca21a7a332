"""Every page under one router, each request checked against the permission table."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI
from fastapi.staticfiles import StaticFiles

from app.web.headers import PageHeaders
from app.web.routes import approvals, case, dashboard, queue, sign_in, upload
from app.web.security import PageAuthorized
from app.web.templating import STATIC_DIR


def web_router() -> APIRouter:
    """The pages; ``/cases/new`` comes before ``/cases/{case_id}`` so it is not taken for an id."""
    router = APIRouter(dependencies=[PageAuthorized], include_in_schema=False)
    for module in (sign_in, upload, queue, case, approvals, dashboard):
        router.include_router(module.router)
    return router


def install_web(app: FastAPI) -> None:
    """Serve the pages and their static files (vendored HTMX, the stylesheet, one script)."""
    app.include_router(web_router())
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.add_middleware(PageHeaders)
