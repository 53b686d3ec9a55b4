"""Choosing the manifesto for a shopper's language, for shops that write one per language.

A shop keeps one file per language (``manifesto.nl.md``, ``manifesto.en.md``), each declaring
its ``language`` in the front matter. The storefront plugin and the help centre load them all
once with `find_manifestos` and pick one per request with `manifesto_for_locale`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from defenceline.manifesto.model import Manifesto
from defenceline.manifesto.reader import ManifestoError, Problem, load_manifesto
from defenceline.regions import normalise_locale

__all__ = ["find_manifestos", "manifesto_for_locale"]


def find_manifestos(
    directory: str | os.PathLike[str], pattern: str = "manifesto*.md"
) -> list[Manifesto]:
    """Every manifesto in `directory` whose name matches `pattern`, sorted by file name.

    Raises `ManifestoError` for the first file that cannot be read, and when two files declare
    the same language (which one would a shopper get?).
    """
    folder = Path(directory)
    if not folder.is_dir():
        raise ManifestoError(
            str(directory), [Problem("not a folder; expected the manifesto folder")]
        )
    found: list[Manifesto] = []
    by_language: dict[str, str] = {}
    for path in sorted(folder.glob(pattern)):
        manifesto = load_manifesto(path)
        if manifesto.language in by_language:
            raise ManifestoError(
                str(path),
                [
                    Problem(
                        f"language {manifesto.language!r} is already the language of "
                        f"{by_language[manifesto.language]}; expected one file per language"
                    )
                ],
            )
        by_language[manifesto.language] = str(path)
        found.append(manifesto)
    return found


def manifesto_for_locale(
    manifestos: Iterable[Manifesto], locale: str, fallback: str | None = None
) -> Manifesto | None:
    """The manifesto for `locale`: the exact locale ("nl_BE"), else its language ("nl"), else
    the `fallback` locale (typically the shop's default_locale), else the first one."""
    available = list(manifestos)
    if not available:
        return None
    wanted = [locale] + ([fallback] if fallback else [])
    for tag in wanted:
        try:
            tag = normalise_locale(tag)
        except ValueError:
            continue
        for candidate in (tag, tag.split("_")[0]):
            match = next((m for m in available if m.language == candidate), None)
            if match is None:
                match = next((m for m in available if m.language.split("_")[0] == candidate), None)
            if match is not None:
                return match
    return available[0]
