"""schemathesis generates requests from the plugin's OpenAPI document and checks every answer
against it: no server error, documented status codes, conforming bodies and content types."""

from __future__ import annotations

import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings

from .conftest import TUESDAY_3PM, Clock, build_plugin_app

AUTH = {"Authorization": "Bearer s3cret-token"}

# schemathesis' fixture-based loader does not work with pytest 9, so the app is built once for
# this module, in its own temporary folder.
_folder = Path(tempfile.mkdtemp(prefix="defenceline-openapi-"))
app = build_plugin_app(_folder, Clock(TUESDAY_3PM))
schema = schemathesis.openapi.from_wsgi("/defenceline/openapi.json", app)


@schema.parametrize()
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_api_conforms_to_its_openapi_document(case: schemathesis.Case) -> None:
    case.call_and_validate(headers=AUTH)


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_api_without_credentials_never_fails_with_a_server_error(case: schemathesis.Case) -> None:
    case.call_and_validate()
