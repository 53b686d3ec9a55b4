"""The checker never crashes on a page: bad pages get an error entry and the run goes on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from defenceline.checks import CheckConfig, check_html, check_pages
from defenceline.checks.decoding import decode_page

GOOD_PAGE = (
    "<html lang='en'><head><title>Mug</title></head><body><h1>Blue mug</h1>"
    "<p class='price'>£12.50</p><p>In stock</p><button>Add to basket</button></body></html>"
)


def test_empty_page_gets_an_error_entry() -> None:
    assert check_html(b"", "empty.html").error == "the page is empty"
    assert check_html(b"   \n\t ", "blank.html").error == "the page is empty"


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG image"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3", "PDF document"),
        (b"\x1f\x8b\x08\x00\x00\x00\x00\x00", "gzip"),
        (bytes(range(256)) * 20, "binary data"),
    ],
)
def test_binary_content_is_refused_with_what_it_looks_like(data: bytes, kind: str) -> None:
    report = check_html(data, "file.html")
    assert report.error is not None and kind in report.error
    assert report.findings == []


def test_a_50_megabyte_page_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    big = tmp_path / "huge.html"
    with big.open("wb") as handle:
        handle.write(b"<html><body>")
        handle.truncate(50 * 1024 * 1024)
    (tmp_path / "fine.html").write_text(GOOD_PAGE, encoding="utf-8")
    report = check_pages([str(tmp_path)])
    by_target = {Path(page.target).name: page for page in report.pages}
    assert "52.4 MB" in (by_target["huge.html"].error or "")
    assert "max_page_bytes" in (by_target["huge.html"].error or "")
    assert by_target["fine.html"].error is None
    assert by_target["fine.html"].facts is not None


def test_the_size_limit_is_configurable() -> None:
    config = CheckConfig(max_page_bytes=2048)
    report = check_html(GOOD_PAGE.encode() + b" " * 4096, "big.html", config)
    assert report.error is not None and "limit is 0.0 MB" in report.error


def test_deeply_nested_page_is_checked() -> None:
    depth = 20_000
    html = "<html><body>" + "<div>" * depth + GOOD_PAGE + "</div>" * depth + "</body></html>"
    report = check_html(html.encode(), "deep.html")
    assert report.error is None
    assert report.facts is not None and report.facts["price"] == "12.50"


def test_unclosed_tags_by_the_thousand_do_not_crash() -> None:
    report = check_html(b"<html><body>" + b"<span><b>" * 5000 + b"text", "unclosed.html")
    assert report.error is None


def test_page_declared_latin1_but_written_in_utf8_is_read_as_utf8() -> None:
    html = '<html><head><meta charset="iso-8859-1"></head><body><h1>Café</h1><p>€ 5,00</p>'
    report = check_html(html.encode("utf-8"), "lying.html", page_type="product")
    assert report.facts is not None
    assert report.facts["price"] == "5.00" and report.facts["currency"] == "EUR"
    assert any("bytes are UTF-8" in note for note in report.notes)


def test_page_declared_utf8_but_written_in_cp1252_is_still_read() -> None:
    html = '<html><head><meta charset="utf-8"></head><body><h1>Café</h1><p>€ 5,00</p>'
    report = check_html(html.encode("cp1252"), "cp1252.html", page_type="product")
    assert report.facts is not None and report.facts["currency"] == "EUR"
    assert any("not UTF-8" in note for note in report.notes)


def test_unknown_declared_encoding_falls_back_to_utf8() -> None:
    decoded = decode_page('<meta charset="klingon-8"><p>€</p>'.encode())
    assert decoded.encoding == "utf-8" and "€" in decoded.text
    assert decoded.note is not None and "klingon-8" in decoded.note


def test_utf16_page_with_a_bom_is_decoded() -> None:
    decoded = decode_page("\ufeff<html><body>Prijs € 4</body></html>".encode("utf-16"))
    assert "Prijs € 4" in decoded.text


def test_broken_json_ld_is_reported_and_the_rest_of_the_page_still_checked() -> None:
    html = (
        '<script type="application/ld+json">{"@type": "Product", "name": "Mug", </script>'
        + GOOD_PAGE
    )
    report = check_html(html, "broken.html", page_type="product")
    messages = [f.message for f in report.findings if f.rule == "structured-data-product"]
    assert any(message.startswith("broken JSON-LD") for message in messages)
    assert report.facts is not None and report.facts["price"] == "12.50"


def test_repairable_json_ld_is_repaired() -> None:
    html = (
        '<script type="application/ld+json"><!--\n{"@context": "https://schema.org", '
        '"@type": "Product", "name": "Mug", "image": ["m.jpg"], "offers": {"@type": "Offer", '
        '"price": "12.50", "priceCurrency": "GBP", "availability": "InStock",},}\n--></script>'
        + GOOD_PAGE
    )
    report = check_html(html, "repairable.html", page_type="product")
    assert not [f for f in report.findings if f.rule == "structured-data-product"]
    assert report.facts is not None and report.facts["name"] == "Mug"


def test_json_ld_graph_and_id_references_are_followed() -> None:
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebPage", "@id": "#page", "mainEntity": {"@id": "#product"}},
            {
                "@type": "Product",
                "@id": "#product",
                "name": "Mug",
                "image": "m.jpg",
                "offers": {"@id": "#offer"},
            },
            {
                "@type": "Offer",
                "@id": "#offer",
                "price": 12.5,
                "priceCurrency": "GBP",
                "availability": "http://schema.org/InStock",
            },
        ],
    }
    html = f'<script type="application/ld+json">{json.dumps(graph)}</script>{GOOD_PAGE}'
    report = check_html(html, "graph.html", page_type="product")
    assert not [f for f in report.findings if f.rule == "structured-data-product"]
    assert report.facts is not None and report.facts["availability"] == "InStock"


def test_a_rule_that_breaks_leaves_a_note_not_a_crash(monkeypatch: pytest.MonkeyPatch) -> None:
    from collections.abc import Iterator
    from dataclasses import replace

    from defenceline.checks.registry import RULES, Hit

    def explode(ctx: object) -> Iterator[Hit]:
        raise RuntimeError("boom")

    monkeypatch.setitem(RULES, "breadcrumbs", replace(RULES["breadcrumbs"], check=explode))
    report = check_html(GOOD_PAGE, "x.html", page_type="product")
    assert report.error is None
    assert any("rule breadcrumbs failed" in note and "boom" in note for note in report.notes)
    assert any(f.rule == "price-visible" for f in report.findings) is False


def test_unreadable_targets_do_not_stop_the_run(tmp_path: Path) -> None:
    good = tmp_path / "good.html"
    good.write_text(GOOD_PAGE, encoding="utf-8")
    report = check_pages([str(tmp_path / "missing.html"), str(good), str(tmp_path / "empty")])
    errors = [page.error for page in report.pages]
    assert errors[0] == "no such file or directory"
    assert errors[1] is None
    assert errors[2] == "no such file or directory"


def test_directory_without_pages_is_an_input_error(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello")
    report = check_pages([str(tmp_path)])
    assert report.pages[0].error == "the directory contains no .html files"
