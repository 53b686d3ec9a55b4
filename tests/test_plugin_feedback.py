"""Help-centre feedback and page views, and the stats file they become."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from defenceline.helpcentre.knowledge import load_stats


@pytest.fixture
def client(plugin_app: Flask) -> FlaskClient:
    return plugin_app.test_client()


def vote(client: FlaskClient, page: str, helpful: bool) -> int:
    body = {"page": page, "helpful": helpful, "url": "https://help.example/x/", "locale": "nl"}
    return client.post("/defenceline/api/v1/feedback", json=body).status_code


def test_votes_and_views_become_the_stats_file(
    client: FlaskClient, plugin_app: Flask, tmp_path: Path
) -> None:
    for helpful in (True, True, False):
        assert vote(client, "kb/bezorging/ander-adres.md", helpful) == 204
    assert vote(client, "faq/retourneren.md", False) == 204
    for _ in range(3):
        answer = client.post(
            "/defenceline/api/v1/pageviews",
            data=json.dumps({"page": "kb/bezorging/ander-adres.md"}),
            content_type="text/plain",
        )
        assert answer.status_code == 204
    output = tmp_path / "stats.json"
    result = plugin_app.test_cli_runner().invoke(
        args=["defenceline", "helpcentre-stats", "--output", str(output)]
    )
    assert result.exit_code == 0, result.output
    stats = json.loads(output.read_text(encoding="utf-8"))
    assert stats == {
        "pages": {
            "faq/retourneren.md": {"views": 0, "helpful": 0, "not_helpful": 1},
            "kb/bezorging/ander-adres.md": {"views": 3, "helpful": 2, "not_helpful": 1},
        }
    }
    # The help centre reads exactly this file to order its knowledge base.
    loaded = load_stats(output)
    assert loaded["kb/bezorging/ander-adres.md"].views == 3


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({"helpful": True}, "page: Field required"),
        ({"page": "x", "helpful": "yes"}, "helpful: expected a valid boolean"),
        ({"page": "x", "helpful": True, "email": "a@b.c"}, "email: unknown field"),
        ({"page": "", "helpful": True}, "page: String should have at least 1 character"),
    ],
)
def test_bad_feedback_is_a_422_naming_the_field(
    client: FlaskClient, body: dict[str, object], detail: str
) -> None:
    answer = client.post("/defenceline/api/v1/feedback", json=body)
    assert answer.status_code == 422
    assert detail in answer.json["detail"]


def test_page_view_needs_a_page(client: FlaskClient) -> None:
    answer = client.post("/defenceline/api/v1/pageviews", data="{", content_type="text/plain")
    assert answer.status_code == 400
    answer = client.post("/defenceline/api/v1/pageviews", data="[]", content_type="text/plain")
    assert answer.status_code == 422


def test_cross_origin_calls_only_from_configured_origins(plugin_app: Flask) -> None:
    client = plugin_app.test_client()
    headers = {"Origin": "https://help.trapkracht.example"}
    answer = client.options("/defenceline/api/v1/feedback", headers=headers)
    assert "Access-Control-Allow-Origin" not in answer.headers
    plugin_app.extensions["defenceline"].cors_origins = frozenset(
        {"https://help.trapkracht.example"}
    )
    answer = client.options(
        "/defenceline/api/v1/feedback",
        headers={**headers, "Access-Control-Request-Method": "POST"},
    )
    assert answer.headers["Access-Control-Allow-Origin"] == "https://help.trapkracht.example"
    assert "POST" in answer.headers["Access-Control-Allow-Methods"]
