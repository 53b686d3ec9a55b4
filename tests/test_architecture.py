"""The dependency rules: import-linter contracts in pyproject.toml (docs/architecture.md).

`python3 dev.py lint` runs them on the real tree; these tests make sure the contracts cover the
whole core and that a broken rule really fails the run.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def contract(contract_id: str) -> dict[str, Any]:
    contracts = PYPROJECT["tool"]["importlinter"]["contracts"]
    return next(c for c in contracts if c["id"] == contract_id)


def core_modules() -> set[str]:
    names = {"defenceline"}
    names.update(f"defenceline.{path.stem}" for path in (ROOT / "defenceline").glob("*.py"))
    names.discard("defenceline.__init__")
    return names


def installed_shape(target: Path) -> Path:
    """The package as installed (`package-dir` mapping applied), copied into `target`."""
    mapping = PYPROJECT["tool"]["setuptools"]["package-dir"]
    ignore = shutil.ignore_patterns("__pycache__")
    for package, folder in sorted(mapping.items()):
        destination = target.joinpath(*package.split("."))
        shutil.copytree(ROOT / folder, destination, ignore=ignore, dirs_exist_ok=True)
    return target


def lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), str(ROOT / "pyproject.toml")],
        cwd=tree,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_every_core_module_is_held_to_the_core_contracts() -> None:
    parts = set(PYPROJECT["tool"]["setuptools"]["package-dir"]) - {"defenceline"}
    every_part = parts | {f"{part}.**" for part in parts}
    assert set(contract("core-imports-no-part")["forbidden_modules"]) == every_part
    assert set(contract("core-imports-no-part")["source_modules"]) == core_modules()
    no_flask = set(contract("no-flask-outside-the-plugin")["source_modules"])
    assert core_modules() - {"defenceline"} <= no_flask
    assert {"defenceline.checks", "defenceline.manifesto"} <= no_flask


@pytest.fixture(scope="module")
def shape(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return installed_shape(tmp_path_factory.mktemp("installed"))


def test_the_code_keeps_every_contract(shape: Path) -> None:
    result = lint_imports(shape)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "broken"),
    [
        ("money.py", "import defenceline.checks", "core-imports-no-part"),
        ("__init__.py", "from defenceline.plugin import cart", "core-imports-no-part"),
        ("rules.py", "import defenceline.manifesto.model", "core-imports-no-part"),
        ("manifesto/words.py", "import flask", "no-flask-outside-the-plugin"),
        ("checks/report.py", "from werkzeug import Response", "no-flask-outside-the-plugin"),
        ("manifesto/words.py", "import defenceline.helpcentre", "parts-along-documented-edges"),
        ("plugin/cart/quote.py", "import defenceline.helpcentre", "parts-along-documented-edges"),
        ("plugin/widgets/stock.py", "import defenceline.plugin.cart", "plugin-features-in-layers"),
        ("plugin/emails/outbox.py", "import defenceline.plugin.cli", "plugin-features-in-layers"),
        ("checks/report.py", "import defenceline.manifesto", "checker-uses-no-other-part"),
    ],
)
def test_an_import_against_the_rules_fails_the_contracts(
    shape: Path, tmp_path: Path, module: str, line: str, broken: str
) -> None:
    tree = tmp_path / "tree"
    shutil.copytree(shape, tree)
    path = tree / "defenceline" / module
    path.write_text(path.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
    result = lint_imports(tree)
    assert result.returncode == 1, result.stdout
    assert f"{contract(broken)['name']} BROKEN" in result.stdout
