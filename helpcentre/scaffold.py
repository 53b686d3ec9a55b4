"""`defenceline helpcentre new`: a ready help centre for a shop, in its language.

The scaffold is a folder of ordinary files (mkdocs.yml and Markdown) that the store owner edits
from then on. Every fact in it comes from the store policy through macros, so a fresh help
centre passes every check; the policy itself is referenced, never copied, so there stays one
promise in one place.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import string
import tempfile
from importlib.resources import as_file, files
from pathlib import Path

from babel import Locale

from defenceline.helpcentre.messages import messages_for
from defenceline.policy import Policy

__all__ = ["REVIEW_INTERVAL", "ScaffoldError", "create_help_centre", "scaffold_languages"]

REVIEW_INTERVAL = dt.timedelta(days=180)
"""How far ahead a new article's `review_by` date is set."""


class ScaffoldError(Exception):
    """The help centre cannot be created as asked; the message says why and what to do."""


def scaffold_languages() -> list[str]:
    """Languages with scaffold text."""
    root = files("defenceline.helpcentre") / "scaffold"
    return sorted(entry.name for entry in root.iterdir() if entry.is_dir())


def _language(policy: Policy, language: str | None) -> str:
    available = scaffold_languages()
    wanted = language or Locale.parse(policy.shop.default_locale).language
    try:
        code = Locale.parse(wanted.replace("-", "_")).language
    except (ValueError, TypeError) as exc:
        raise ScaffoldError(f"unknown language {wanted!r}: {exc}") from None
    if code in available:
        return code
    if language is None:
        return "en"
    raise ScaffoldError(f"no help-centre text in {wanted!r} yet; available: {', '.join(available)}")


def _relative(path: Path, start: Path) -> str:
    try:
        return Path(os.path.relpath(path.resolve(), start.resolve())).as_posix()
    except ValueError:  # another drive on Windows
        return path.resolve().as_posix()


def create_help_centre(
    target: Path,
    policy: Policy,
    policy_path: Path,
    *,
    language: str | None = None,
    manifesto_path: Path | None = None,
    today: dt.date | None = None,
) -> str:
    """Create the help centre in `target` (which must not exist or be empty) and return the
    language used. Everything is written to a temporary folder first, so a failure leaves
    nothing half-made."""
    code = _language(policy, language)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise ScaffoldError(f"{target} already exists and is not empty; choose a new folder")
    today = today or dt.date.today()
    target.parent.mkdir(parents=True, exist_ok=True)
    # The site name is the first thing a screen reader says on every page: in the shop's
    # language, like every other fixed string of the help centre.
    site_name = messages_for(code).get("site_name", shop=policy.shop.name)
    values = {
        "shop_name": " ".join(policy.shop.name.split()),  # it sits in a YAML comment line
        "site_name": _yaml_string(site_name),
        "site_url": _yaml_string(policy.shop.url.rstrip("/") + "/help/"),
        "shop_url": policy.shop.url.rstrip("/"),
        "policy": _yaml_string(_relative(policy_path, target)),
        "manifesto": (
            f"      manifesto: {_yaml_string(_relative(manifesto_path, target))}\n"
            if manifesto_path
            else ""
        ),
    }
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        with as_file(files("defenceline.helpcentre") / "scaffold" / code) as source:
            shutil.copytree(source, staging, dirs_exist_ok=True)
        config = staging / "mkdocs.yml"
        config.write_text(
            string.Template(config.read_text(encoding="utf-8")).substitute(values),
            encoding="utf-8",
        )
        for page in (staging / "docs").rglob("*.md"):
            text = page.read_text(encoding="utf-8")
            text = (
                text.replace("@TODAY@", today.isoformat())
                .replace("@REVIEWED@", today.isoformat())
                .replace("@REVIEW_BY@", (today + REVIEW_INTERVAL).isoformat())
            )
            page.write_text(text, encoding="utf-8")
        if manifesto_path is not None:
            title = (staging / "docs" / "manifesto.md").read_text(encoding="utf-8")
            heading = next(
                (line for line in title.splitlines() if line.startswith("title:")), "title: "
            )
            (staging / "docs" / "manifesto.md").write_text(
                f"---\n{heading}\n---\n\n<!-- defenceline:manifesto -->\n", encoding="utf-8"
            )
        if target.exists():
            target.rmdir()
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return code


def _yaml_string(text: str) -> str:
    """`text` as a double-quoted YAML scalar."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'
