"""Decoding pages: the quick byte-level test for unreadable characters decides as the text test."""

from __future__ import annotations

import codecs
import re

import pytest

from defenceline.checks.decoding import NotHtmlError, decode_page, unreadable_count

# What counts as unreadable, as a character class on the text.
_UNREADABLE = re.compile("[\ufffd\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def _garbage_share(text: str) -> str:
    """Padding so that `text`'s few characters decide whether the page is readable."""
    return f"<html><body><p>{text}</p></body></html>"


@pytest.mark.parametrize(
    "body",
    [
        "\x01abcdefghijklm" * 50,  # 7% ASCII controls (binary sniffing refuses 10%)
        "\x85" * 200,  # C1 controls (U+0085), two bytes each in UTF-8
        "\ufffd" * 200,  # replacement characters written in the page itself
        "\x7f\x0b" * 100,  # DEL and vertical tab (binary sniffing does not count them)
    ],
)
def test_page_of_unreadable_characters_in_valid_utf8_is_refused(body: str) -> None:
    with pytest.raises(NotHtmlError, match="unreadable"):
        decode_page(_garbage_share(body).encode("utf-8"))


@pytest.mark.parametrize(
    "body",
    [
        "Prijs € 4,95 · «Ändern» £ © ¥ — ok",  # C2 A0-BF and other multi-byte characters
        "tab\tnew line\nform feed\x0ccarriage return\r",  # allowed controls
        "one \x85 in plenty of text " + "readable words " * 40,  # under the share
    ],
)
def test_readable_utf8_page_decodes_to_its_text(body: str) -> None:
    html = _garbage_share(body)
    decoded = decode_page(html.encode("utf-8"))
    assert decoded.text == html
    assert decoded.encoding == "utf-8"


def test_utf8_bom_page_with_invalid_bytes_is_judged_on_its_replacement_characters() -> None:
    data = codecs.BOM_UTF8 + b"<p>" + b"\xff\xfe\xfa" * 100 + b"</p>"
    with pytest.raises(NotHtmlError, match="unreadable"):
        decode_page(data)


def test_page_of_only_whitespace_is_empty() -> None:
    with pytest.raises(NotHtmlError, match="empty"):
        decode_page(b" \n\t\r\x0b\x0c ")


def test_unreadable_count_on_bytes_equals_the_character_class_on_text() -> None:
    every_character = "".join(chr(code) for code in range(0x110000) if not 0xD800 <= code < 0xE000)
    for start in range(0, len(every_character), 50_000):
        chunk = every_character[start : start + 50_000]
        assert unreadable_count(chunk) == len(_UNREADABLE.findall(chunk)), start
