"""The accessibility audit: axe-core's WCAG 2.0/2.1 A and AA rules on a built help centre.

`defenceline helpcentre a11y SITE` serves a built site on 127.0.0.1, opens every page in
Chromium (through Playwright), runs axe-core on it (bundled by axe-playwright-python) and
writes the result as JSON (`write_report`), so a shop can publish its own result. The tests
run the same audit over the demo shop's help centre in nl, en and he
(tests/test_helpcentre_a11y.py).

Playwright and axe-playwright-python are in the ``dev`` extra, not in the help centre's own
dependencies: building and serving a help centre never needs a browser.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import posixpath
import re
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

__all__ = [
    "AXE_OPTIONS",
    "BEST_PRACTICE_RULES",
    "REPORT_ENV",
    "WCAG_TAGS",
    "AuditError",
    "PageAudit",
    "SiteHandler",
    "audit_page",
    "audit_site",
    "explain",
    "report_path",
    "site_pages",
    "site_prefix",
    "write_report",
]

# WCAG 2.0 and 2.1, levels A and AA: what the European Accessibility Act (EN 301 549) asks.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# axe files these under best practice, but a screen-reader user meets them on every page:
# a named search dialog, every part of the page inside one well-formed set of landmarks, a title.
BEST_PRACTICE_RULES = [
    "aria-dialog-name",
    "landmark-one-main",
    "landmark-no-duplicate-main",
    "landmark-main-is-top-level",
    "landmark-complementary-is-top-level",
    "landmark-unique",
    "region",
    "page-has-heading-one",
]
AXE_OPTIONS: dict[str, Any] = {
    "runOnly": {"type": "tag", "values": WCAG_TAGS},
    "rules": {rule: {"enabled": True} for rule in BEST_PRACTICE_RULES},
    "resultTypes": ["violations"],
}
REPORT_ENV = "DEFENCELINE_A11Y_REPORT"
DEFAULT_REPORT = Path("build") / "a11y" / "helpcentre-axe.json"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


class AuditError(Exception):
    """The audit cannot run (no browser, no axe-core, no site); the message says what to do."""


@dataclass
class PageAudit:
    """axe-core's violations on one page (in one state): rule id, impact, help and nodes."""

    name: str
    url: str
    violations: list[dict[str, Any]] = field(default_factory=list)
    language: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "language": self.language,
            "page": self.name,
            "url": self.url,
            "violations": self.violations,
        }


def _axe() -> Any:
    try:
        from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]
    except ImportError:
        raise AuditError(
            "the accessibility audit needs axe-playwright-python and playwright; "
            "install them with: pip install 'defenceline[dev]'"
        ) from None
    return Axe()


def audit_page(page: Any, name: str, *, language: str | None = None, axe: Any = None) -> PageAudit:
    """Run axe-core on the Playwright `page` as it is now (open dialogs included)."""
    response = (axe or _axe()).run(page, options=AXE_OPTIONS).response
    violations = [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "helpUrl": v["helpUrl"],
            "nodes": [{"target": n["target"], "html": n["html"]} for n in v["nodes"]],
        }
        for v in response["violations"]
    ]
    return PageAudit(name, page.url, violations, language)


def explain(audit: PageAudit) -> str:
    """The violations as a reader fixes them: rule, impact, what it asks, and where."""
    lines = [f"{audit.name} ({audit.url}):"]
    for violation in audit.violations:
        lines.append(f"  {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:10]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(f"    at {target}: {' '.join(node['html'].split())[:160]}")
    return "\n".join(lines)


def report_path(explicit: Path | None = None) -> Path:
    """Where the report goes: `explicit`, else $DEFENCELINE_A11Y_REPORT, else
    build/a11y/helpcentre-axe.json."""
    return explicit or Path(os.environ.get(REPORT_ENV) or DEFAULT_REPORT)


def write_report(audits: list[PageAudit], path: Path) -> dict[str, Any]:
    """Write the audit as JSON to `path` (folders made as needed) and return it."""
    from axe_playwright_python import base  # type: ignore[import-untyped]

    version = base.AXE_SCRIPT[:200].split("axe v", 1)[-1].split()[0]
    report = {
        "tool": "axe-core",
        "axe_version": version,
        "checked_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "tags": WCAG_TAGS,
        "best_practice_rules": BEST_PRACTICE_RULES,
        "pages": len(audits),
        "violations": sum(len(a.violations) for a in audits),
        "results": [a.as_dict() for a in audits],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return report


def site_pages(site_dir: Path) -> list[str]:
    """Every page of a built site as a URL path ("", "faq/shipping/", ..., "404.html")."""
    pages = []
    for index in sorted(site_dir.rglob("index.html")):
        folder = index.parent.relative_to(site_dir).as_posix()
        pages.append("" if folder == "." else folder + "/")
    if (site_dir / "404.html").is_file():  # MkDocs' page for a wrong address
        pages.append("404.html")
    return pages


def site_prefix(site_dir: Path) -> str:
    """The path the site is published under ("/help" for https://shop.example/help/), from
    MkDocs' sitemap: the 404 page links its assets by that path, so the audit serves it there."""
    sitemap = site_dir / "sitemap.xml"
    if not sitemap.is_file():
        return ""
    locations: list[str] = re.findall(r"<loc>([^<]+)</loc>", sitemap.read_text(encoding="utf-8"))
    paths = [urlsplit(location.strip()).path for location in locations]
    paths = [path for path in paths if path.startswith("/")]
    if not paths:
        return ""
    return posixpath.normpath(min(paths, key=len)).rstrip("/")


class SiteHandler(SimpleHTTPRequestHandler):
    """A built site's files under its path `prefix` (set on a subclass); nothing else."""

    prefix = ""

    def translate_path(self, path: str) -> str:
        if not path.startswith(self.prefix + "/"):
            return str(Path(self.directory) / "\0-outside-the-site")  # answered with 404
        return super().translate_path(path[len(self.prefix) :])

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def _served(site_dir: Path) -> Iterator[str]:
    prefix = site_prefix(site_dir)
    handler = type("Handler", (SiteHandler,), {"prefix": prefix})
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(site_dir)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}/"
    finally:
        server.shutdown()
        server.server_close()


def audit_site(site_dir: Path, *, chromium: str | None = None) -> list[PageAudit]:
    """Audit every page of the built site in `site_dir`, served on 127.0.0.1."""
    if not (site_dir / "index.html").is_file():
        raise AuditError(f"{site_dir}: no index.html; expected a built help centre (--site-dir)")
    axe = _axe()
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    executable = chromium or shutil.which("chromium") or shutil.which("chromium-browser")
    audits = []
    with _served(site_dir) as url, sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        except PlaywrightError as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise AuditError(
                f"Chromium could not be started ({first}); install it (Debian: apt-get install "
                "chromium) or name it with --chromium PATH"
            ) from None
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            for path in site_pages(site_dir):
                page.goto(url + path)
                audits.append(audit_page(page, path or "/", axe=axe))
        finally:
            browser.close()
    return audits
