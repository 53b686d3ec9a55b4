#!/usr/bin/env python3
"""The README's two commands: `python3 dev.py demo` and `python3 dev.py test`.

Each makes (or refreshes) a virtual environment in `.venv` with defenceline installed in
editable mode, then runs the demo shop or the whole test suite (linters, type checks, pytest).
Only Python 3.11+ is needed to start; everything else is installed here.
"""

from __future__ import annotations

import sys

if sys.version_info < (3, 11):  # noqa: UP036 - dev.py runs under any python3
    sys.exit(f"defenceline needs Python 3.11 or newer; this is {sys.version.split()[0]}")

import hashlib
import os
import shutil
import subprocess
import tomllib
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / "python"


def _ensure_venv(extras: str) -> None:
    """Create .venv and install the project (with `extras`) unless it is already current."""
    stamp = VENV / f".installed-{extras or 'base'}"
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if PYTHON.exists() and stamp.exists() and stamp.read_text() == digest:
        return
    if not PYTHON.exists():
        print(f"Creating a virtual environment in {VENV} ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    target = f".[{extras}]" if extras else "."
    print(f"Installing defenceline{f'[{extras}]' if extras else ''} into {VENV} ...", flush=True)
    subprocess.run(
        [str(PYTHON), "-m", "pip", "install", "--quiet", "--upgrade", "pip"],
        check=True,
        cwd=ROOT,
    )
    # setuptools warns that data folders (templates/, static/) are "absent from packages";
    # they are package data on purpose, so the new user is spared that wall of text.
    quiet = {**os.environ, "PYTHONWARNINGS": "ignore"}
    subprocess.run(
        [str(PYTHON), "-m", "pip", "install", "--quiet", "-e", target],
        check=True,
        cwd=ROOT,
        env=quiet,
    )
    stamp.write_text(digest)


def _run(*args: str) -> int:
    print("$", " ".join(args), flush=True)
    return subprocess.run(args, cwd=ROOT).returncode


def demo(args: list[str]) -> int:
    _ensure_venv("")
    return _run(str(BIN / "defenceline"), "demo", *args)


def _typecheck_tree() -> Path:
    """Lay out the installed package shape as symlinks, so mypy sees `defenceline.plugin` etc.

    The part folders (plugin/, checks/, ...) are mapped into `defenceline` by setuptools'
    package-dir, which an editable install implements with an import hook that static tools
    cannot follow. The tree is rebuilt on every run, so new modules are always checked.
    """
    with (ROOT / "pyproject.toml").open("rb") as handle:
        mapping = tomllib.load(handle)["tool"]["setuptools"]["package-dir"]
    tree = ROOT / "build" / "typecheck"
    shutil.rmtree(tree, ignore_errors=True)
    for package, folder in sorted(mapping.items()):
        target = tree.joinpath(*package.split("."))
        target.mkdir(parents=True, exist_ok=True)
        _link_files(ROOT / folder, target)
    return tree


def _link_files(source: Path, target: Path) -> None:
    """Mirror `source` in `target`: real folders, linked files. import-linter does not follow
    linked folders, so a subpackage (checks/facts/) must be a folder of its own."""
    for entry in source.iterdir():
        if entry.name == "__pycache__" or (target / entry.name).exists():
            continue
        if entry.is_dir():
            (target / entry.name).mkdir()
            _link_files(entry, target / entry.name)
        else:
            (target / entry.name).symlink_to(entry)


def lint(args: list[str]) -> int:
    _ensure_venv("dev")
    tree = _typecheck_tree()
    steps = [
        [str(BIN / "ruff"), "check", "."],
        [str(BIN / "ruff"), "format", "--check", "."],
        [str(BIN / "mypy"), str(tree / "defenceline"), "dev.py", *args],
    ]
    for step in steps:
        if _run(*step) != 0:
            print(f"FAILED: {Path(step[0]).name} {' '.join(step[1:])}", flush=True)
            return 1
    # The import contracts in pyproject.toml, read from the installed package shape: run from
    # the tree, `defenceline` is imported from it rather than from the source folder.
    contracts = [str(BIN / "lint-imports"), str(ROOT / "pyproject.toml")]
    print("$", " ".join(contracts), flush=True)
    if subprocess.run(contracts, cwd=tree).returncode != 0:
        print("FAILED: lint-imports (see docs/architecture.md)", flush=True)
        return 1
    return 0


def test(args: list[str]) -> int:
    if lint([]) != 0:
        return 1
    code = _run(str(PYTHON), "-m", "pytest", *args)
    if code == 5:
        print("FAILED: pytest collected no tests", flush=True)
        return 1
    return code


def main() -> int:
    commands = {"demo": demo, "test": test, "lint": lint}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        print(
            "usage: python3 dev.py demo [--port N]"
            " | python3 dev.py test [pytest args] | python3 dev.py lint"
        )
        return 2
    return commands[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
