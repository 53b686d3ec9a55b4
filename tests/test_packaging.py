"""The distribution installs the parts as subpackages of `defenceline` and nothing else."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PART_FOLDERS = {
    "plugin": "plugin",
    "helpcentre": "helpcentre",
    "manifesto": "manifesto",
    "checks": "checks",
    "demoshop": "examples/demo-shop",
}


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's files without `build/`: setuptools reuses `build/lib`, so building from the
    checkout could ship a module that the package list no longer (or never) named."""
    copy = tmp_path_factory.mktemp("source") / "defenceline"
    skip = shutil.ignore_patterns(
        ".git", ".venv", "build", "tests", "*.egg-info", "__pycache__", ".mypy_cache", ".ruff_cache"
    )
    shutil.copytree(ROOT, copy, ignore=skip)
    return copy


def test_wheel_holds_only_the_defenceline_package(tmp_path: Path, source: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "--wheel-dir", str(tmp_path), str(source)],
        check=True,
    )  # fmt: skip
    (wheel,) = tmp_path.glob("defenceline-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    tops = {name.split("/", 1)[0] for name in names}
    assert tops == {"defenceline", next(t for t in tops if t.endswith(".dist-info"))}
    for part in ("plugin", "helpcentre", "manifesto", "checks", "demoshop"):
        assert f"defenceline/{part}/__init__.py" in names
    assert "defenceline/demoshop/store.toml" in names
    assert "defenceline/demoshop/catalogue.csv" in names
    for part in ("checks", "manifesto", "helpcentre"):  # the rules' metadata is data
        assert f"defenceline/{part}/rules.toml" in names
    assert "defenceline/promise_words.toml" in names  # the promise reader's words per language
    # Every subpackage folder of a part travels too: setuptools' `packages` list is explicit, so
    # a folder left out of it would work in the editable checkout and be missing when installed.
    for part, folder in PART_FOLDERS.items():
        for init in (ROOT / folder).rglob("__init__.py"):
            inner = init.relative_to(ROOT / folder).as_posix()
            assert f"defenceline/{part}/{inner}" in names, f"{folder}/{inner} is not installed"
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "defenceline = defenceline.cli:main" in text


def test_installed_parts_import_as_subpackages() -> None:
    import defenceline.checks
    import defenceline.helpcentre
    import defenceline.manifesto
    import defenceline.plugin

    for module in (
        defenceline.plugin,
        defenceline.helpcentre,
        defenceline.manifesto,
        defenceline.checks,
    ):
        assert Path(module.__file__ or "").parent.parent != Path(defenceline.__file__).parent


def test_a_regular_install_runs_the_demo_from_site_packages(tmp_path: Path, source: Path) -> None:
    """`pip install .` (not editable): templates, scripts, translations, the demo's data and
    the help-centre scaffold all travel with the package."""
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
         "--target", str(target), str(source)],
        check=True,
    )  # fmt: skip
    assert not (target / "plugin").exists() and not (target / "checks").exists()
    script = """
import sys, datetime as dt
sys.path.insert(0, sys.argv[1])
import defenceline
assert defenceline.__file__.startswith(sys.argv[1]), defenceline.__file__
from defenceline.demoshop.app import create_app
moment = dt.datetime(2026, 11, 24, 14, 0, tzinfo=dt.timezone.utc)
app = create_app(clock=lambda: moment, data_dir=sys.argv[2], help_centre="now")
assert app.extensions["demo_helpdesk"].status == "ready", app.extensions["demo_helpdesk"].messages
client = app.test_client()
page = client.get("/product/fietsbel-klassiek?sku=BELL-CHR").get_data(as_text=True)
assert "Bestel vandaag v\\u00f3\\u00f3r 16:00" in page, page
assert client.get("/defenceline/static/defenceline.js").status_code == 200
assert client.get("/help/").status_code == 200
assert "Ons manifest" in client.get("/over-ons").get_data(as_text=True)
cart = client.post("/defenceline/api/v1/cart-quote",
                   json={"lines": [{"sku": "BELL-CHR", "quantity": 1}], "locale": "nl"})
assert cart.json["returns"]["message"] == "Gratis retourneren binnen 30 dagen", cart.json
print("ok")
"""
    done = subprocess.run(
        [sys.executable, "-c", script, str(target), str(tmp_path / "data")],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith("ok")
