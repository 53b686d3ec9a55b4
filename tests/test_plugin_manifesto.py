"""The manifesto on the storefront: fragment, JSON, Jinja helper and <dl-manifesto>."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from flask import Flask, render_template_string

from defenceline.manifesto import ManifestoError
from defenceline.plugin import DefenceLine

from .conftest import DEMO_POLICY, ROOT, serve

MANIFESTOS = ROOT / "examples" / "demo-shop" / "manifesto"


@pytest.fixture
def app(tmp_path: Path) -> Flask:
    app = Flask("shop", instance_path=str(tmp_path))
    app.config.update(DEFENCELINE_POLICY=str(DEMO_POLICY), DEFENCELINE_MANIFESTO=str(MANIFESTOS))
    DefenceLine(app)
    return app


def test_fragment_is_chosen_by_language_and_accessible(app: Flask) -> None:
    client = app.test_client()
    soup = BeautifulSoup(client.get("/defenceline/fragments/manifesto?lang=en").data, "lxml")
    section = soup.select_one("section.dl-manifesto")
    assert section is not None and section["lang"] == "en" and section["dir"] == "ltr"
    title = soup.select_one("#" + section["aria-labelledby"])
    assert title is not None and title.name == "h2" and title.get_text() == "Our manifesto"
    dutch = BeautifulSoup(
        client.get("/defenceline/fragments/manifesto?lang=nl&level=1").data, "lxml"
    )
    assert dutch.select_one("h1").get_text() == "Ons manifest"  # type: ignore[union-attr]
    # German is offered by the shop but has no manifesto: the default language is used.
    german = BeautifulSoup(client.get("/defenceline/fragments/manifesto?lang=de").data, "lxml")
    assert german.select_one("section.dl-manifesto")["lang"] == "nl"  # type: ignore[index]
    assert client.get("/defenceline/fragments/manifesto?level=9").status_code == 400


def test_json_for_headless_front_ends(app: Flask) -> None:
    data = app.test_client().get("/defenceline/api/v1/manifesto?lang=en").json
    assert data["format"] == "defenceline.manifesto/1"
    assert [part["id"] for part in data["parts"]] == ["brand", "value", "ambition"]


def test_jinja_helper(app: Flask) -> None:
    with app.test_request_context("/about"):
        html = render_template_string("{{ defenceline.manifesto(lang='en', heading_level=1) }}")
    assert BeautifulSoup(html, "lxml").select_one("h1").get_text() == "Our manifesto"  # type: ignore[union-attr]


def test_no_manifesto_configured_is_a_404(tmp_path: Path) -> None:
    app = Flask("shop", instance_path=str(tmp_path))
    app.config["DEFENCELINE_POLICY"] = str(DEMO_POLICY)
    DefenceLine(app)
    answer = app.test_client().get("/defenceline/api/v1/manifesto")
    assert answer.status_code == 404
    assert "set DEFENCELINE_MANIFESTO" in answer.json["detail"]


def test_invalid_manifesto_fails_at_start_up(tmp_path: Path) -> None:
    bad = tmp_path / "manifesto.md"
    bad.write_text("---\nlanguage: nl\n---\n\n## Hallo {#nope}\n\nTekst.\n", encoding="utf-8")
    app = Flask("shop", instance_path=str(tmp_path))
    app.config.update(DEFENCELINE_POLICY=str(DEMO_POLICY), DEFENCELINE_MANIFESTO=str(bad))
    with pytest.raises(ManifestoError) as caught:
        DefenceLine(app)
    assert "manifesto.md:5" in str(caught.value)


def test_contradicting_manifesto_is_logged(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    text = (
        (MANIFESTOS / "manifesto.en.md").read_text(encoding="utf-8").replace("30 days", "60 days")
    )
    file = tmp_path / "manifesto.en.md"
    file.write_text(text, encoding="utf-8")
    app = Flask("shop", instance_path=str(tmp_path))
    app.config.update(DEFENCELINE_POLICY=str(DEMO_POLICY), DEFENCELINE_MANIFESTO=str(file))
    DefenceLine(app)
    assert any("60" in record.getMessage() for record in caplog.records)


@pytest.mark.browser
def test_web_component_renders_the_manifesto(app: Flask, browser: Any) -> None:
    @app.get("/about")
    def about() -> str:
        return (
            '<!doctype html><html lang="en"><script src="/defenceline/static/defenceline.js"'
            ' defer></script><dl-manifesto lang="he" level="2"></dl-manifesto></html>'
        )

    with serve(app) as url:
        context = browser.new_context()
        page = context.new_page()
        page.goto(f"{url}/about")
        page.wait_for_selector("dl-manifesto section.dl-manifesto")
        assert page.get_attribute("dl-manifesto section.dl-manifesto", "lang") == "nl"
        assert page.text_content("dl-manifesto h2") == "Ons manifest"
        context.close()
