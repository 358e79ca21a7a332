"""OpenAPI for bodies the routes read themselves (streamed uploads, strictly checked JSON).

Those routes take the raw request so that size caps and idempotency come before parsing;
their bodies are described here, so ``/docs`` still shows what to send.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel, ConfigDict, Field

from app.api.problems import PROBLEM_MEDIA_TYPE

_REF = "#/components/schemas/{model}"


class Problem(BaseModel):
    """An RFC 9457 problem; extension members (``errors``, ``documents`` ...) may follow."""

    model_config = ConfigDict(extra="allow")

    type: str
    title: str
    status: int
    detail: str
    code: str = Field(description="Stable, machine-readable reason.")
    instance: str | None = None


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The problem answers a route documents, by status."""
    return {
        status: {
            "description": "A problem (RFC 9457).",
            "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": _REF.format(model="Problem")}}},
        }
        for status in statuses
    }


def json_body(model: type[BaseModel]) -> dict[str, Any]:
    """``openapi_extra`` for a JSON body of ``model`` (its schema is added by install_openapi)."""
    return {
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": {"$ref": _REF.format(model=model.__name__)}}
            },
        }
    }


def multipart_body(
    *, files: str, many: bool, fields: dict[str, str], description: str
) -> dict[str, Any]:
    """``openapi_extra`` for a multipart body with file field ``files`` and text ``fields``."""
    binary = {"type": "string", "format": "binary"}
    properties: dict[str, Any] = {
        files: {"type": "array", "items": binary} if many else binary,
        **{name: {"type": "string", "description": text} for name, text in fields.items()},
    }
    return {
        "requestBody": {
            "required": True,
            "description": description,
            "content": {
                "multipart/form-data": {
                    "schema": {"type": "object", "required": [files], "properties": properties}
                }
            },
        }
    }


def install_openapi(app: FastAPI, *, models: Sequence[type[BaseModel]]) -> None:
    """Generate ``app``'s OpenAPI with the schemas of ``models`` among its components."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(
            title=app.title,
            version=app.version,
            description=app.description,
            routes=app.routes,
        )
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        documented: list[type[BaseModel]] = [Problem, *models]
        for model in documented:
            definition = model.model_json_schema(ref_template=_REF)
            for name, nested in definition.pop("$defs", {}).items():
                components.setdefault(name, nested)
            components.setdefault(model.__name__, definition)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
