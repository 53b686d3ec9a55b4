"""schemathesis generates requests from the plugin's OpenAPI document and checks every answer
against it: no server error, documented status codes, conforming bodies and content types."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance

from defenceline.plugin.api.openapi import openapi_document

from .conftest import TUESDAY_3PM, Clock, build_plugin_app

AUTH = {"Authorization": "Bearer s3cret-token"}

# schemathesis' fixture-based loader does not work with pytest 9, so the app is built once for
# this module, in its own temporary folder.
_folder = Path(tempfile.mkdtemp(prefix="defenceline-openapi-"))
app = build_plugin_app(_folder, Clock(TUESDAY_3PM))
schema = schemathesis.openapi.from_wsgi("/defenceline/openapi.json", app)


MAX_QUANTITY = int(app.config["DEFENCELINE_MAX_QUANTITY"])


def _over_the_merged_cap(body: Any) -> bool:
    """Lines of one SKU that add up past the cap: schema-valid (JSON Schema cannot add up),
    but refused by design, so a shopper cannot split 2,997 bells over three lines."""
    if not isinstance(body, dict) or not isinstance(body.get("lines"), list):
        return False
    totals: dict[Any, int] = {}
    for line in body["lines"]:
        if isinstance(line, dict) and isinstance(line.get("quantity"), int | float):
            key = str(line.get("sku"))
            totals[key] = totals.get(key, 0) + int(line["quantity"])
    return any(total > MAX_QUANTITY for total in totals.values())


def _promise_backwards(body: Any) -> bool:
    """An order's promise ending before it starts: schema-valid (JSON Schema cannot compare
    two dates), refused by design with a 422 naming it."""
    promise = body.get("promise") if isinstance(body, dict) else None
    if not isinstance(promise, dict):
        return False
    days = [promise.get("earliest"), promise.get("latest")]
    if not all(isinstance(d, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", d) for d in days):
        return False
    return str(days[0]) > str(days[1])


def _call_and_validate(case: schemathesis.Case, headers: dict[str, str] | None) -> None:
    if case.path.endswith("/cart-quote") and _over_the_merged_cap(case.body):
        response = case.call(headers=headers)
        assert response.status_code in (401, 422), response.text
        case.validate_response(response, excluded_checks=[positive_data_acceptance])
        return
    if "/orders/" in case.path and _promise_backwards(case.body):
        response = case.call(headers=headers)
        assert response.status_code in (400, 401, 422), response.text
        case.validate_response(response, excluded_checks=[positive_data_acceptance])
        return
    case.call_and_validate(headers=headers)


@schema.parametrize()
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_api_conforms_to_its_openapi_document(case: schemathesis.Case) -> None:
    _call_and_validate(case, AUTH)


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_api_without_credentials_never_fails_with_a_server_error(case: schemathesis.Case) -> None:
    _call_and_validate(case, None)


def test_each_operation_lists_its_answer_then_its_problems_by_status() -> None:
    # The order a reader (and a host serving the document with unsorted keys) sees.
    document = openapi_document("/defenceline", ["nl", "en"], ["NL", "BE"])
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            success, *problems = operation["responses"]
            assert success.startswith("2"), (path, method)
            assert problems == sorted(problems), (path, method, problems)
