"""Reading manifesto files: sections found by id, and bad input reported by file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from defenceline.manifesto import (
    ManifestoError,
    find_manifestos,
    load_manifesto,
    manifesto_for_locale,
    parse_manifesto,
)
from defenceline.manifesto.model import Code, Emphasis, Link, ListBlock, Paragraph, Text

EXAMPLES = Path(__file__).resolve().parent.parent / "manifesto" / "examples" / "trapkracht"

MINIMAL = """---
language: en
---
## Why we exist {#brand}
At Trapkracht we believe in riding dry.

## Why buy here {#value}
### Product {#product}
Tested on our own commute.
### Strength {#strength}
Our products.

## What to expect {#ambition}
We answer within 24 hours.
"""


def problems(text: str) -> list[tuple[int | None, str]]:
    with pytest.raises(ManifestoError) as info:
        parse_manifesto(text, "shop.md")
    return [(p.line, p.message) for p in info.value.problems]


def test_sections_are_found_by_id_whatever_the_heading_says() -> None:
    text = MINIMAL.replace("Why we exist", "Waarom wij bestaan").replace("Product {", "Wat? {")
    manifesto = parse_manifesto(text)
    assert [p.id for p in manifesto.parts] == ["brand", "value", "ambition"]
    assert manifesto.part("brand").heading == "Waarom wij bestaan"  # type: ignore[union-attr]
    value = manifesto.part("value")
    assert value is not None
    assert [(s.id, s.heading, s.line) for s in value.statements] == [
        ("product", "Wat?", 8),
        ("strength", "Strength", 10),
    ]


def test_attribute_lists_with_classes_and_colon_form_are_accepted() -> None:
    text = MINIMAL.replace("{#brand}", "{: #brand .lead }").replace("{#value}", "{ #value }")
    manifesto = parse_manifesto(text)
    assert [p.id for p in manifesto.parts] == ["brand", "value", "ambition"]


def test_front_matter_gives_language_title_and_shop_and_h1_is_the_fallback_title() -> None:
    text = MINIMAL.replace("language: en", "language: nl-BE\nshop: Trapkracht")
    manifesto = parse_manifesto(
        text.replace("## Why we exist", "# Ons manifest\n\n## Why we exist")
    )
    assert (manifesto.language, manifesto.shop, manifesto.title) == (
        "nl_BE",
        "Trapkracht",
        "Ons manifest",
    )
    titled = parse_manifesto(text.replace("shop:", "title: Beloofd\nshop:"))
    assert titled.title == "Beloofd"


def test_hebrew_manifesto_reads_right_to_left() -> None:
    manifesto = parse_manifesto(MINIMAL.replace("language: en", "language: he"))
    assert manifesto.direction == "rtl"
    assert parse_manifesto(MINIMAL).direction == "ltr"


def test_statement_text_keeps_emphasis_links_and_lists_but_raw_html_is_text() -> None:
    text = MINIMAL.replace(
        "We answer within 24 hours.",
        "We *always* answer <b>fast</b>: see [contact](https://trapkracht.example/contact) "
        "or `faq`.\n\n- by e-mail\n- by phone\n<!-- a note for the team -->",
    )
    ambition = parse_manifesto(text).part("ambition")
    assert ambition is not None and ambition.body is not None
    paragraph, listing = ambition.body.blocks
    assert isinstance(paragraph, Paragraph) and isinstance(listing, ListBlock)
    assert paragraph.inlines[1] == Emphasis((Text("always"),))
    assert Text(" answer <b>fast</b>: see ") in paragraph.inlines
    link = next(node for node in paragraph.inlines if isinstance(node, Link))
    assert link.href == "https://trapkracht.example/contact"
    assert Code("faq") in paragraph.inlines
    assert listing.items == ((Text("by e-mail"),), (Text("by phone"),))
    assert "note for the team" not in ambition.body.text


def test_text_under_the_value_heading_is_its_introduction() -> None:
    text = MINIMAL.replace(
        "## Why buy here {#value}\n", "## Why buy here {#value}\nThree reasons.\n\n"
    )
    value = parse_manifesto(text).part("value")
    assert value is not None and value.body is not None
    assert (value.body.id, value.body.heading, value.body.text) == ("value", None, "Three reasons.")
    assert [s.id for s in value.statements] == ["value", "product", "strength"]


def test_javascript_links_are_not_links() -> None:
    text = MINIMAL.replace("We answer within 24 hours.", "[click](javascript:alert(1))")
    body = parse_manifesto(text).part("ambition").body  # type: ignore[union-attr]
    assert body is not None
    assert not any(isinstance(n, Link) for b in body.blocks for n in b.inlines)  # type: ignore[union-attr]


def test_the_trapkracht_examples_load_in_both_languages() -> None:
    manifestos = find_manifestos(EXAMPLES)
    assert sorted(m.language for m in manifestos) == ["en", "nl"]
    assert manifesto_for_locale(manifestos, "nl_BE").language == "nl"  # type: ignore[union-attr]
    assert manifesto_for_locale(manifestos, "de", fallback="en").language == "en"  # type: ignore[union-attr]
    assert manifesto_for_locale([], "nl") is None


def test_two_files_with_one_language_are_refused(tmp_path: Path) -> None:
    (tmp_path / "manifesto.a.md").write_text(MINIMAL, encoding="utf-8")
    (tmp_path / "manifesto.b.md").write_text(MINIMAL, encoding="utf-8")
    with pytest.raises(ManifestoError, match="one file per language"):
        find_manifestos(tmp_path)


# --- bad input ---------------------------------------------------------------------------------


def test_missing_file_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.md"
    with pytest.raises(ManifestoError) as info:
        load_manifesto(path)
    assert info.value.file == str(path)
    assert "cannot read the file: No such file or directory" in info.value.format()


def test_file_that_is_not_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.md"
    path.write_bytes(MINIMAL.replace("riding dry", "café").encode("latin-1"))
    with pytest.raises(ManifestoError) as info:
        load_manifesto(path)
    (problem,) = info.value.problems
    assert problem.line == 5
    assert "not UTF-8" in problem.message and "0xe9" in problem.message


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.md"
    path.write_bytes(b"\xef\xbb\xbf" + MINIMAL.encode())
    assert load_manifesto(path).language == "en"


def test_malformed_front_matter_names_the_yaml_line() -> None:
    found = problems(MINIMAL.replace("language: en", "language: en\ntitle: [unclosed"))
    assert found[0][0] == 3 and "front matter is not valid YAML" in found[0][1]


def test_unclosed_front_matter_is_reported_at_line_1() -> None:
    found = problems("---\nlanguage: en\n## Why {#brand}\ntext\n")
    assert found == [
        (1, "the front matter that starts here is never closed; expected a '---' line")
    ]


def test_unknown_front_matter_key_suggests_the_right_one() -> None:
    found = problems(MINIMAL.replace("language: en", "language: en\nlanguge: nl"))
    assert found[0][0] == 3
    assert "unknown front matter key 'languge'; did you mean 'language'?" in found[0][1]


def test_front_matter_must_be_a_mapping() -> None:
    assert problems(MINIMAL.replace("language: en", "- en"))[0][1].startswith(
        "front matter must be 'key: value' lines"
    )


def test_missing_language_asks_for_front_matter_unless_a_default_is_given() -> None:
    body = MINIMAL.split("---\n", 2)[2]
    assert "no language" in problems(body)[0][1]
    assert parse_manifesto(body, default_language="nl").language == "nl"


def test_unknown_language_is_reported_on_its_line() -> None:
    found = problems(MINIMAL.replace("language: en", "language: klingon"))
    assert found[0][0] == 2 and "unknown locale 'klingon'" in found[0][1]


def test_unknown_section_id_names_the_line_and_suggests_a_known_id() -> None:
    found = problems(MINIMAL.replace("{#ambition}", "{#ambtion}"))
    assert found == [
        (
            13,
            "unknown section id {#ambtion}; did you mean {#ambition}? (parts: brand, value, "
            "ambition; value statements: price, product, service, delivery, strength)",
        )
    ]


def test_heading_without_id_is_refused() -> None:
    found = problems(MINIMAL.replace(" {#brand}", ""))
    assert found[0][0] == 4
    assert "has no section id; end it with one of {#brand}, {#value} or {#ambition}" in found[0][1]


def test_statement_outside_the_value_part_and_part_at_wrong_level_are_refused() -> None:
    found = problems(MINIMAL.replace("At Trapkracht", "### Price {#price}\nAt Trapkracht"))
    assert "{#price} is a value proposition statement: put it under" in found[0][1]
    found = problems(MINIMAL.replace("## What to expect {#ambition}", "### What {#ambition}"))
    assert "{#ambition} is a part: write its heading as '## '" in found[0][1]


def test_duplicate_section_is_refused_with_both_lines() -> None:
    found = problems(MINIMAL + "\n## Again {#brand}\nMore.\n")
    assert found == [
        (16, "{#brand} appears twice (first on line 4); expected each part and statement once")
    ]


def test_text_before_the_first_part_and_code_blocks_are_refused() -> None:
    found = problems(MINIMAL.replace("---\n## Why", "---\nHello.\n\n## Why"))
    assert found[0][0] == 4 and "text before the first part" in found[0][1]
    found = problems(MINIMAL + "\n```\ncode\n```\n")
    assert found[0][0] == 16 and "a fenced code block is not allowed" in found[0][1]


def test_every_problem_in_a_file_is_reported_at_once() -> None:
    text = MINIMAL.replace("{#brand}", "{#brnd}").replace("{#ambition}", "{#x}")
    assert [line for line, _ in problems(text)] == [4, 13]
