from __future__ import annotations

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
