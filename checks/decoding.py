"""Bytes to text for pages from the wild: BOMs, HTTP charsets, <meta charset>, and liars.

Shops declare encodings wrongly more often than one would hope (a template says ISO-8859-1
while the CMS writes UTF-8). A byte sequence that decodes as strict UTF-8 and contains
non-ASCII characters is UTF-8 with overwhelming likelihood, so that wins over a declared
single-byte encoding. Undecodable bytes become U+FFFD rather than an exception: the checker
never gives up on a page because of one bad byte. But a page whose text is mostly U+FFFD or
control characters is not a page at all (random bytes, an image with an .html name, the wrong
encoding entirely): it is reported unreadable rather than scored as if it had no problems.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

__all__ = ["DecodedPage", "NotHtmlError", "decode_page", "sniff_binary", "unreadable_count"]

_META_CHARSET = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([a-zA-Z0-9_:.+-]+)""", re.IGNORECASE
)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_MAGIC = (
    (b"\x89PNG", "a PNG image"),
    (b"GIF8", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"RIFF", "a RIFF file (WebP image or audio)"),
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"\x7fELF", "an executable"),
    (b"BZh", "bzip2-compressed data"),
    (b"\x00asm", "WebAssembly"),
    (b"wOF2", "a web font"),
)


# Share of unreadable characters (U+FFFD and control characters other than tab, newline,
# carriage return and form feed) above which decoded text is not a page. Real pages have next
# to none; random bytes read as cp1252 have about 13%.
_UNREADABLE_SHARE = 0.05
_SAMPLE_CHARS = 100_000
# Control bytes that are not tab, newline, vertical tab, form feed or carriage return.
_CONTROL_BYTES = bytes([*range(9), *range(14, 32)])
# The unreadable characters in UTF-8: ASCII controls, C1 controls (U+0080-U+009F, encoded
# C2 80 - C2 9F) and U+FFFD (EF BF BD).
_UNREADABLE_ASCII = bytes([*range(9), 0x0B, *range(14, 32), 0x7F])
_C1_CONTROL = re.compile(rb"\xc2[\x80-\x9f]")


class NotHtmlError(ValueError):
    """The bytes are not an HTML page (binary data, or nothing at all)."""


@dataclass(frozen=True, slots=True)
class DecodedPage:
    """The page's text, the encoding used, and a note when the page declared another one."""

    text: str
    encoding: str
    note: str | None = None


def sniff_binary(data: bytes) -> str | None:
    """What the bytes look like when they are clearly not text, else None."""
    head = data[:16]
    for magic, name in _MAGIC:
        if head.startswith(magic):
            return name
    if any(data.startswith(bom) for bom, _ in _BOMS):
        return None
    sample = data[:4096]
    if sample.count(b"\x00") > len(sample) // 20:
        return "binary data (many NUL bytes)"
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if sample and controls > len(sample) // 10:
        return "binary data (many control characters)"
    return None


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name.strip().strip("\"'")).name
    except LookupError:
        return None


def unreadable_count(sample: str) -> int:
    """How many characters of `sample` are unreadable: U+FFFD, or a control character
    (U+0000-U+001F, U+007F-U+009F) other than tab, newline, carriage return and form feed.

    Counted on the UTF-8 bytes, where each has one form (an ASCII control, C2 80-9F, EF BF
    BD): in C, about twice as quick as that character class on the text (a millisecond on a
    large page).
    """
    data = sample.encode("utf-8", "surrogatepass")
    controls = len(data) - len(data.translate(None, _UNREADABLE_ASCII))
    return controls + len(_C1_CONTROL.findall(data)) + data.count(b"\xef\xbf\xbd")


def decode_page(data: bytes, http_charset: str | None = None) -> DecodedPage:
    """Decode an HTML page, or raise NotHtmlError saying why it is not one."""
    decoded = _decode(data, http_charset)
    sample = decoded.text[:_SAMPLE_CHARS]
    unreadable = unreadable_count(sample)
    if sample and unreadable > _UNREADABLE_SHARE * len(sample):
        raise NotHtmlError(
            f"unreadable: {unreadable / len(sample):.0%} of the characters read as "
            f"{decoded.encoding} are not text (binary data, or an encoding that cannot be "
            "recognised)"
        )
    return decoded


def _decode(data: bytes, http_charset: str | None) -> DecodedPage:
    if not data or data.isspace():
        raise NotHtmlError("the page is empty")
    binary = sniff_binary(data)
    if binary:
        raise NotHtmlError(f"not an HTML page: the content is {binary}")
    for bom, name in _BOMS:
        if data.startswith(bom):
            return DecodedPage(data[len(bom) :].decode(name, errors="replace"), name)
    match = _META_CHARSET.search(data[:4096])
    declared_name = http_charset or (match.group(1).decode("ascii", "replace") if match else None)
    declared = _codec(declared_name)
    note = None
    if declared_name and declared is None:
        note = f"declared encoding {declared_name!r} is unknown; read as UTF-8"
    if declared in (None, "utf-8"):
        try:
            return DecodedPage(data.decode("utf-8"), "utf-8", note)
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
            why = "declared UTF-8" if declared else "no encoding declared"
            return DecodedPage(text, "cp1252", f"{why} but the bytes are not UTF-8; read as cp1252")
    if not data.isascii():
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            return DecodedPage(
                text, "utf-8", f"declared {declared_name} but the bytes are UTF-8; read as UTF-8"
            )
    # A declared latin-1 is read as cp1252, as browsers do (it is a superset in practice).
    encoding = "cp1252" if declared in ("latin-1", "iso8859-1") else declared
    assert encoding is not None
    try:
        return DecodedPage(data.decode(encoding), encoding, note)
    except (UnicodeDecodeError, LookupError):
        text = data.decode(encoding, errors="replace")
        return DecodedPage(text, encoding, f"some bytes are not valid {declared_name}; replaced")
    except Exception:  # a codec that cannot decode bytes at all (e.g. 'rot13')
        text = data.decode("utf-8", errors="replace")
        return DecodedPage(text, "utf-8", f"cannot decode as {declared_name}; read as UTF-8")
