"""Errors as RFC 9457 problem details (``application/problem+json``).

Every 4xx the plugin returns names what was wrong (the SKU, the field, the parameter) and what
was expected; nothing the shopper or the storefront sends can produce a 500 or a traceback.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Response
from pydantic import ValidationError

__all__ = ["ApiProblem", "first_error", "problem_response", "validation_problem"]

_TITLES = {
    400: "Bad request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Request body too large",
    415: "Unsupported media type",
    422: "Invalid request",
    501: "Not implemented",
}


class ApiProblem(Exception):
    """Raise in a view to answer with a problem document."""

    def __init__(self, status: int, detail: str, *, title: str | None = None, **extra: Any) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.title = title or _TITLES.get(status, "Error")
        self.extra = extra
        self.headers: dict[str, str] = {}


def problem_response(
    status: int,
    detail: str,
    title: str | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> Response:
    body = {
        "type": "about:blank",
        "title": title or _TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        **extra,
    }
    response = Response(
        json.dumps(body, ensure_ascii=False), status=status, mimetype="application/problem+json"
    )
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def first_error(exc: ValidationError, unknown: str = "unknown field") -> tuple[str, str]:
    """(field, message) of a model's first validation error, in the API's words: the field as
    a dotted path ("lines.0.quantity", or "body"), pydantic's message with "Input should be"
    read as "expected"; `unknown` for a field the model does not have."""
    err = exc.errors()[0]
    field = ".".join(str(p) for p in err["loc"]) or "body"
    message = str(err["msg"]).removeprefix("Value error, ").replace("Input should be", "expected")
    if err["type"] == "extra_forbidden":
        message = unknown
    return field, message


def validation_problem(exc: ValidationError, unknown: str = "unknown field") -> ApiProblem:
    """A 422 problem naming the field of a model's first validation error (`first_error`)."""
    field, message = first_error(exc, unknown)
    return ApiProblem(422, f"{field}: {message}", field=field)
