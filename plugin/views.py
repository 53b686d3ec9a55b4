"""The plugin's routes: the versioned JSON API, HTML fragments, the OpenAPI document and the
static web components. Registered under `DEFENCELINE_URL_PREFIX`."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from flask import Blueprint, Response, current_app, jsonify, render_template, request
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from werkzeug.exceptions import HTTPException

from defenceline.plugin.catalogue import MAX_STOCK, WritableCatalogue
from defenceline.plugin.extension import state
from defenceline.plugin.feedback import (
    FeedbackIn,
    PageViewIn,
    StorageFull,
    record_feedback,
    record_view,
)
from defenceline.plugin.headers import add_security_headers
from defenceline.plugin.manifesto import manifesto_fragment, manifesto_json
from defenceline.plugin.openapi import openapi_document
from defenceline.plugin.problems import ApiProblem, problem_response
from defenceline.plugin.requests import (
    WholeNumber,
    json_body,
    parse_json,
    request_country,
    request_locale,
    require_token,
)
from defenceline.plugin.signals import stock_changed
from defenceline.plugin.widgets import delivery_payload, find_product, stock_payload
from defenceline.regions import all_countries

__all__ = ["blueprint"]

blueprint = Blueprint(
    "defenceline",
    __name__,
    static_folder="static",
    static_url_path="/static",
    template_folder="templates",
)

SKU_MAX = 64


blueprint.after_request(add_security_headers)


@blueprint.before_request
def _limit_request_body() -> None:
    request.max_content_length = state().max_body_bytes


@blueprint.errorhandler(ApiProblem)
def _problem(error: ApiProblem) -> Response:
    return problem_response(
        error.status, error.detail, error.title, headers=error.headers, **error.extra
    )


@blueprint.errorhandler(HTTPException)
def _http_error(error: HTTPException) -> Response:
    status = error.code or 500
    detail = error.description or error.name
    if status == 413:
        detail = f"the request body is larger than {state().max_body_bytes} bytes"
    return problem_response(status, detail, error.name)


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


def _sku(value: str | None) -> str:
    if value is None or not value.strip():
        raise ApiProblem(400, "the 'sku' parameter is required", parameter="sku")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        raise ApiProblem(400, f"SKU {value!r} contains control characters", parameter="sku")
    if len(value) > SKU_MAX:
        raise ApiProblem(
            400, f"SKU is {len(value)} characters long; expected at most {SKU_MAX}", parameter="sku"
        )
    return value.strip()


# --- JSON API ----------------------------------------------------------------------------------


@blueprint.get("/api/v1/stock/<dl_sku:sku>")
def stock(sku: str) -> Response:
    st = state()
    payload = stock_payload(st, _sku(sku), request_locale(st, request.args.get("lang")))
    return _no_store(jsonify(_public_stock(payload)))


def _public_stock(payload: dict[str, Any]) -> dict[str, Any]:
    keys = ("sku", "state", "quantity", "restock_date", "message", "availability", "locale", "dir")
    return {key: payload[key] for key in keys}


Count = Annotated[WholeNumber, Field(ge=0, le=MAX_STOCK)]


class StockUpdate(BaseModel):
    """Body of ``PUT /api/v1/stock/<sku>``: any of the fields; `restock_date` null clears it."""

    model_config = ConfigDict(extra="forbid")

    stock_on_hand: Count | None = None
    reserved: Count | None = None
    restock_date: dt.date | None = None


@blueprint.put("/api/v1/stock/<dl_sku:sku>")
def update_stock(sku: str) -> Response:
    st = state()
    require_token(st)
    sku = _sku(sku)
    body = json_body()
    try:
        update = StockUpdate.model_validate(body)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"]) or "body"
        message = str(err["msg"]).removeprefix("Value error, ")
        message = message.replace("Input should be", "expected")
        if err["type"] == "extra_forbidden":
            message = "unknown field; expected stock_on_hand, reserved or restock_date"
        raise ApiProblem(422, f"{field}: {message}", field=field) from None
    if not update.model_fields_set:
        raise ApiProblem(422, "nothing to update; expected stock_on_hand, reserved or restock_date")
    catalogue = st.catalogue
    if not isinstance(catalogue, WritableCatalogue):
        raise ApiProblem(501, "this shop's catalogue is read-only; update stock at its source")
    find_product(st, sku)
    kwargs: dict[str, Any] = {
        "stock_on_hand": update.stock_on_hand,
        "reserved": update.reserved,
    }
    if "restock_date" in update.model_fields_set:
        kwargs["restock_date"] = update.restock_date
    change = catalogue.update_stock(sku, **kwargs)
    if change is None:
        raise ApiProblem(404, f"no product with SKU {sku!r} in the catalogue", sku=sku)
    stock_changed.send(current_app._get_current_object(), change=change)  # type: ignore[attr-defined]
    locale = request_locale(st, request.args.get("lang"))
    return _no_store(jsonify(_public_stock(stock_payload(st, sku, locale))))


@blueprint.get("/api/v1/delivery-estimate")
def delivery_estimate() -> Response:
    st = state()
    payload = delivery_payload(
        st,
        _sku(request.args.get("sku")),
        request_country(st, request.args.get("country")),
        request_locale(st, request.args.get("lang")),
    )
    return _no_store(jsonify(payload))


@blueprint.get("/openapi.json")
def openapi() -> Response:
    st = state()
    config = current_app.config
    document = openapi_document(
        st.url_prefix,
        list(st.policy.shop.locales),
        all_countries(),
        max_lines=int(config["DEFENCELINE_MAX_CART_LINES"]),
        max_quantity=int(config["DEFENCELINE_MAX_QUANTITY"]),
        payment_methods=tuple(method.name for method in st.policy.payment_methods),
    )
    return jsonify(document)


# --- HTML fragments ----------------------------------------------------------------------------


@blueprint.get("/fragments/stock/<dl_sku:sku>")
def stock_fragment(sku: str) -> Response:
    st = state()
    payload = stock_payload(st, _sku(sku), request_locale(st, request.args.get("lang")))
    return _no_store(Response(render_template("defenceline/stock.html", s=payload)))


@blueprint.get("/fragments/delivery-estimate")
def delivery_fragment() -> Response:
    st = state()
    payload = delivery_payload(
        st,
        _sku(request.args.get("sku")),
        request_country(st, request.args.get("country")),
        request_locale(st, request.args.get("lang")),
    )
    return _no_store(Response(render_template("defenceline/delivery_estimate.html", d=payload)))


@blueprint.get("/api/v1/manifesto")
def manifesto() -> Response:
    st = state()
    locale = request_locale(st, request.args.get("lang"))
    data = manifesto_json(st.manifestos, locale, st.policy.shop.default_locale)
    return jsonify(data)


@blueprint.get("/fragments/manifesto")
def manifesto_fragment_view() -> Response:
    st = state()
    locale = request_locale(st, request.args.get("lang"))
    level = request.args.get("level", "2")
    if level not in {"1", "2", "3", "4", "5", "6"}:
        raise ApiProblem(
            400, f"level {level!r}: expected a heading level 1 to 6", parameter="level"
        )
    html = manifesto_fragment(
        st.manifestos, locale, st.policy.shop.default_locale, heading_level=int(level)
    )
    return Response(str(html), mimetype="text/html")


# --- help-centre feedback ----------------------------------------------------------------------


def _model_problem(exc: ValidationError) -> ApiProblem:
    err = exc.errors()[0]
    field = ".".join(str(p) for p in err["loc"]) or "body"
    message = str(err["msg"]).removeprefix("Value error, ").replace("Input should be", "expected")
    if err["type"] == "extra_forbidden":
        message = "unknown field"
    return ApiProblem(422, f"{field}: {message}", field=field)


@blueprint.post("/api/v1/feedback")
def feedback() -> Response:
    st = state()
    try:
        vote = FeedbackIn.model_validate(json_body())
    except ValidationError as exc:
        raise _model_problem(exc) from None
    try:
        record_feedback(st.storage, vote, st.now(), st.feedback_per_day)
    except StorageFull as full:
        raise _full(full) from None
    return Response(status=204)


def _full(full: StorageFull) -> ApiProblem:
    problem = ApiProblem(
        503, f"no more {full.what} are stored today; try again tomorrow", title="Full for today"
    )
    problem.headers["Retry-After"] = str(full.retry_after)
    return problem


@blueprint.post("/api/v1/pageviews")
def pageview() -> Response:
    st = state()
    # Beacons arrive as text/plain (a "simple" request, no CORS pre-flight) holding JSON.
    data = parse_json(request.get_data(as_text=True) or "null")
    if not isinstance(data, dict):
        raise ApiProblem(422, "expected a JSON object with the page")
    try:
        view = PageViewIn.model_validate(data)
    except ValidationError as exc:
        raise _model_problem(exc) from None
    try:
        record_view(st.storage, view, st.now(), st.pages_per_day)
    except StorageFull as full:
        raise _full(full) from None
    return Response(status=204)


@blueprint.after_request
def _cross_origin(response: Response) -> Response:
    """Let the configured origins (say, a help centre on another host) call the API."""
    origin = request.headers.get("Origin")
    allowed = state().cors_origins
    if origin and (origin in allowed or "*" in allowed):
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = "Content-Type"
        response.headers["Access-Control-Max-Age"] = "600"
        response.vary.add("Origin")
    return response


# Feature routes register themselves on `blueprint` when imported.
from defenceline.plugin import (  # noqa: E402
    cart_routes,  # noqa: F401
    email_routes,  # noqa: F401  (registers routes)
)
