from __future__ import annotations

import os
from pathlib import Path

import pytest

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
