"""The distribution installs the parts as subpackages of `defenceline` and nothing else."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_holds_only_the_defenceline_package(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "--wheel-dir", str(tmp_path), str(ROOT)],
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
