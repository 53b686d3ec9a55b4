from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from defenceline import Policy, load_policy

ROOT = Path(__file__).resolve().parent.parent
DEMO_POLICY = ROOT / "examples" / "demo-shop" / "store.toml"


@pytest.fixture(scope="session")
def demo_policy_text() -> str:
    return DEMO_POLICY.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def demo_policy() -> Policy:
    return load_policy(DEMO_POLICY)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Under CI=true a skipped test is a failure: CI installs every component the tests need."""
    if os.environ.get("CI", "").lower() not in {"1", "true", "yes"}:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped:
        if reporter:
            reporter.write_line(
                f"CI=true: {len(skipped)} test(s) skipped; a skip counts as a failure in CI",
                red=True,
            )
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


# --- the storefront plugin ---------------------------------------------------------------------

PLUGIN_CATALOGUE = [
    {"sku": "LAMP-1", "name": "Front lamp", "price": "34.95", "stock": 40, "weight_kg": "0.15"},
    {"sku": "BELL-1", "name": "Bell", "price": "12.95", "stock": 5, "reserved": 2,
     "weight_kg": "0.12", "attributes": {"Colour": "Black"}, "product_id": "bell"},
    {"sku": "BELL-2", "name": "Bell", "price": "12.95", "stock": 30, "weight_kg": "0.12",
     "attributes": {"Colour": "Chrome"}, "product_id": "bell"},
    {"sku": "HELM-L", "name": "Helmet L", "price": "59.95", "stock": 0, "weight_kg": "0.4"},
    {"sku": "TAIL-1", "name": "Tail light", "price": "19.95", "stock": 0, "weight_kg": "0.08",
     "restock_date": "2026-12-03"},
    {"sku": "BOOK-1", "name": "Route book", "price": "24.00", "stock": 0, "preorder": True,
     "weight_kg": "0.3",
     "restock_date": "2026-12-10", "vat_class": "reduced"},
    {"sku": "XSS-1", "name": "<script>alert('x')</script> Bell", "price": "1.00", "stock": 9,
     "weight_kg": "0.1"},
    {"sku": "ANVIL-1", "name": "Workshop anvil", "price": "89.00", "stock": 3, "weight_kg": "12"},
]  # fmt: skip


class Clock:
    """A server clock tests can set, or set running from a given moment."""

    def __init__(self, moment: dt.datetime) -> None:
        self.moment = moment
        self._started: float | None = None

    def run_from(self, moment: dt.datetime) -> None:
        """From now on, tell `moment` plus the real time elapsed since this call."""
        self.moment = moment
        self._started = time.monotonic()

    def __call__(self) -> dt.datetime:
        if self._started is None:
            return self.moment
        return self.moment + dt.timedelta(seconds=time.monotonic() - self._started)


# Tuesday 24 November 2026, 15:00 in Amsterdam: before the 16:00 cut-off.
TUESDAY_3PM = dt.datetime(2026, 11, 24, 14, 0, tzinfo=dt.UTC)


@pytest.fixture
def clock() -> Clock:
    return Clock(TUESDAY_3PM)


def build_plugin_app(directory: Path, clock: Clock, **config: object) -> Flask:
    """A Flask app with the plugin, the demo policy and `PLUGIN_CATALOGUE`, in `directory`;
    `config` adds or overrides configuration keys."""
    from defenceline.plugin import DefenceLine, state
    from defenceline.plugin.catalogue import read_catalogue_file

    app = Flask("shop", instance_path=str(directory / "instance"))
    app.config.update(
        TESTING=True,
        DEFENCELINE_POLICY=str(DEMO_POLICY),
        DEFENCELINE_DATABASE_URL=f"sqlite:///{directory / 'defenceline.sqlite3'}",
        DEFENCELINE_API_TOKEN="s3cret-token",
        DEFENCELINE_CLOCK=clock,
    )
    app.config.update(config)
    DefenceLine(app)
    catalogue_file = directory / "catalogue.json"
    catalogue_file.write_text(json.dumps(PLUGIN_CATALOGUE), encoding="utf-8")
    with app.app_context():
        state().catalogue.replace_products(read_catalogue_file(catalogue_file))  # type: ignore[attr-defined]
    return app


@pytest.fixture
def plugin_app(tmp_path: Path, clock: Clock) -> Flask:
    return build_plugin_app(tmp_path, clock)


# --- a real browser ----------------------------------------------------------------------------

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        pytest.skip("Chromium is not installed (Debian: apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@contextlib.contextmanager
def serve(app: Flask) -> Iterator[str]:
    """Serve `app` on 127.0.0.1 (a free port) in a thread; yields its base URL."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
