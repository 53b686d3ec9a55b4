"""Rendering: the HTML fragment is accessible and escaped, JSON and Markdown carry the same text."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag
from markdown_it import MarkdownIt
from markupsafe import Markup

from defenceline.manifesto import (
    Manifesto,
    load_manifesto,
    manifesto_data,
    parse_manifesto,
    render_html,
    render_json,
    render_markdown,
)

EXAMPLES = Path(__file__).resolve().parent.parent / "manifesto" / "examples" / "trapkracht"

HOSTILE = """---
language: en
title: Our <promise>
---
## Why <we> exist {#brand}
At Trapkracht <script>alert("x")</script> we believe & ride *dry*.

<img src=x onerror=alert(1)>

## Why buy here {#value}
### Product {#product}
Tested [here](https://trapkracht.example/test "a \\"test\\"") and [there](javascript:alert(1)).
### Strength {#strength}
- Lights
- Bags

## What to expect {#ambition}
\\# not a heading\\
1\\. not a list * nor \\_emphasis\\_ `code <b>`
"""


def soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "lxml")


@pytest.fixture(scope="module")
def dutch() -> Manifesto:
    return load_manifesto(EXAMPLES / "manifesto.nl.md")


def test_fragment_is_a_section_with_lang_dir_and_a_labelling_title(dutch: Manifesto) -> None:
    html = render_html(dutch)
    assert isinstance(html, Markup)
    root = soup(html).find("section")
    assert isinstance(root, Tag)
    assert root["lang"] == "nl" and root["dir"] == "ltr"
    title = root.find("h2")
    assert isinstance(title, Tag) and title.get_text() == "Ons manifest"
    assert root["aria-labelledby"] == title["id"]


def test_heading_levels_nest_without_skipping(dutch: Manifesto) -> None:
    page = soup(render_html(dutch, heading_level=2))
    levels = [int(h.name[1]) for h in page.find_all(["h1", "h2", "h3", "h4", "h5", "h6"])]
    assert levels[0] == 2
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels))
    assert levels.count(3) == 3  # the three parts
    assert levels.count(4) == 4  # product, service, delivery, strength


def test_every_part_and_statement_section_is_named_by_its_own_heading(dutch: Manifesto) -> None:
    page = soup(render_html(dutch))
    sections = page.find_all("section")
    assert len(sections) == 1 + 3 + 4
    for section in sections:
        heading = page.find(id=section["aria-labelledby"])
        assert isinstance(heading, Tag) and heading.name.startswith("h")
        assert heading.find_parent("section") is section


def test_parts_carry_their_ids_as_classes_for_styling(dutch: Manifesto) -> None:
    page = soup(render_html(dutch))
    assert page.select_one(".dl-manifesto__part--ambition h3").get_text() == (  # type: ignore[union-attr]
        "Wat je van ons mag verwachten"
    )
    assert "Trapkracht geloven" in page.select_one(".dl-manifesto__part--brand p").get_text()  # type: ignore[union-attr]


def test_without_title_the_fragment_is_labelled_and_parts_take_the_heading_level(
    dutch: Manifesto,
) -> None:
    root = soup(render_html(dutch, heading_level=2, show_title=False)).find("section")
    assert isinstance(root, Tag)
    assert root["aria-label"] == "Ons manifest"
    assert root.find("h2").get_text() == "Waarom we bestaan"  # type: ignore[union-attr]


def test_hebrew_fragment_is_right_to_left() -> None:
    text = HOSTILE.replace("language: en", "language: he")
    root = soup(render_html(parse_manifesto(text))).find("section")
    assert isinstance(root, Tag) and (root["lang"], root["dir"]) == ("he", "rtl")


def test_id_prefix_keeps_ids_unique_on_a_page(dutch: Manifesto) -> None:
    page = soup(render_html(dutch) + render_html(dutch, id_prefix="footer-manifesto"))
    ids = [tag["id"] for tag in page.find_all(id=True)]
    assert len(ids) == len(set(ids))


def test_user_text_is_escaped_never_markup() -> None:
    html = str(render_html(parse_manifesto(HOSTILE)))
    page = soup(html)
    assert page.find("script") is None and page.find("img") is None
    assert "<script>" not in html and "<img" not in html
    assert 'At Trapkracht <script>alert("x")</script> we believe & ride dry.' in page.get_text()
    assert page.find("h2").get_text() == "Our <promise>"  # type: ignore[union-attr]
    assert page.find("em").get_text() == "dry"  # type: ignore[union-attr]
    links = page.find_all("a")
    assert [a["href"] for a in links] == ["https://trapkracht.example/test"]
    assert links[0]["title"] == 'a "test"'
    assert [li.get_text() for li in page.find_all("li")] == ["Lights", "Bags"]


def test_json_has_the_documented_shape(dutch: Manifesto) -> None:
    data = json.loads(render_json(dutch))
    assert data == manifesto_data(dutch)
    assert data["format"] == "defenceline.manifesto/1"
    assert (data["language"], data["dir"], data["title"], data["shop"]) == (
        "nl", "ltr", "Ons manifest", "Trapkracht",
    )  # fmt: skip
    assert [p["id"] for p in data["parts"]] == ["brand", "value", "ambition"]
    value = data["parts"][1]
    assert [s["id"] for s in value["statements"]] == ["product", "service", "delivery", "strength"]
    delivery = value["statements"][2]
    assert delivery["heading"] == "Levering"
    assert delivery["text"].startswith("Op werkdagen vóór 16:00 besteld")
    assert delivery["html"].startswith("<p>Op werkdagen vóór 16:00 besteld")
    assert delivery["words"] == 34
    assert data["parts"][0]["statements"][0]["heading"] is None


def test_json_statement_html_is_escaped() -> None:
    data = manifesto_data(parse_manifesto(HOSTILE))
    body = data["parts"][0]["statements"][0]
    assert "<script>" in body["text"]
    assert "<script>" not in body["html"] and "&lt;script&gt;" in body["html"]


def test_markdown_round_trips_to_the_same_manifesto(dutch: Manifesto) -> None:
    for source in (dutch, parse_manifesto(HOSTILE)):
        again = parse_manifesto(render_markdown(source, front_matter=True), source.file)
        assert again.parts == _relined(again, source).parts
        assert (again.language, again.title, again.shop) == (
            source.language, source.title, source.shop,
        )  # fmt: skip


def _relined(again: Manifesto, source: Manifesto) -> Manifesto:
    """`source` with `again`'s line numbers: the canonical Markdown lays lines out anew."""
    from dataclasses import replace

    parts = []
    for new_part, old_part in zip(again.parts, source.parts, strict=True):
        statements = []
        for new, old in zip(new_part.statements, old_part.statements, strict=True):
            blocks = tuple(
                replace(b, line=nb.line) for b, nb in zip(old.blocks, new.blocks, strict=True)
            )
            statements.append(replace(old, blocks=blocks, line=new.line))
        parts.append(replace(old_part, statements=tuple(statements), line=new_part.line))
    return replace(source, parts=tuple(parts))


@pytest.mark.parametrize("html_option", [False, True])
def test_markdown_keeps_raw_html_as_text_in_any_renderer(html_option: bool) -> None:
    text = render_markdown(parse_manifesto(HOSTILE), anchors=False)
    html = MarkdownIt("commonmark", {"html": html_option}).render(text)
    page = soup(html)
    assert page.find("script") is None and page.find("img") is None
    assert '<script>alert("x")</script>' in page.get_text()
    assert "# not a heading" in page.get_text() and "1. not a list" in page.get_text()
    assert page.find("code").get_text() == "code <b>"  # type: ignore[union-attr]


def test_markdown_heading_anchors_can_be_left_out(dutch: Manifesto) -> None:
    with_anchors = render_markdown(dutch)
    assert "## Waarom we bestaan {#brand}" in with_anchors
    assert "### Levering {#delivery}" in with_anchors
    assert with_anchors.startswith("# Ons manifest\n")
    plain = render_markdown(dutch, anchors=False, heading_level=2, show_title=False)
    assert plain.startswith("## Waarom we bestaan\n") and "{#" not in plain
