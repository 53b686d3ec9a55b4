"""Errors as RFC 9457 problem details (``application/problem+json``).

Every 4xx the plugin returns names what was wrong (the SKU, the field, the parameter) and what
was expected; nothing the shopper or the storefront sends can produce a 500 or a traceback.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Response
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

__all__ = [
    "ApiProblem",
    "Problem",
    "dotted_path",
    "error_words",
    "first_error",
    "problem_response",
    "validated",
    "validation_problem",
]

ModelT = TypeVar("ModelT", bound=BaseModel)

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


class Problem(BaseModel):
    """A problem document (RFC 9457); answers may add members (`field`, `sku`, `parameter`)."""

    type: str
    title: str
    status: int
    detail: str


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


def dotted_path(loc: tuple[int | str, ...]) -> str:
    """A field's place as pydantic names it, dotted: ``lines.0.quantity`` (``body`` for the
    whole body)."""
    return ".".join(str(part) for part in loc) or "body"


def first_error(
    exc: ValidationError,
    unknown: str = "unknown field",
    path: Callable[[tuple[int | str, ...]], str] = dotted_path,
) -> tuple[str, str]:
    """(field, message) of a model's first validation error, in the API's words: the field as
    `path` writes it, pydantic's message with "Input should be" read as "expected"; `unknown`
    for a field the model does not have."""
    return error_words(exc.errors()[0], unknown, path)


def error_words(
    err: ErrorDetails,
    unknown: str = "unknown field",
    path: Callable[[tuple[int | str, ...]], str] = dotted_path,
) -> tuple[str, str]:
    """(field, message) of one pydantic error, as `first_error` words it."""
    message = str(err["msg"]).removeprefix("Value error, ").replace("Input should be", "expected")
    if err["type"] == "extra_forbidden":
        message = unknown
    return path(err["loc"]), message


def validation_problem(
    exc: ValidationError,
    unknown: str = "unknown field",
    path: Callable[[tuple[int | str, ...]], str] = dotted_path,
) -> ApiProblem:
    """A 422 problem naming the field of a model's first validation error (`first_error`)."""
    field, message = first_error(exc, unknown, path)
    return ApiProblem(422, f"{field}: {message}", field=field)


def validated(model: type[ModelT], data: object, unknown: str = "unknown field") -> ModelT:
    """`data` as a `model`, or a 422 problem naming the first wrong field."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise validation_problem(exc, unknown) from None
