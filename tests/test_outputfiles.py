"""`defenceline.outputfiles.write_text`: whole or not at all, and never at the cost of the path.

The reports, baselines, rendered manifestos and stats files are written through it, so the
last tests run the CLIs against a device, a pipe and a link as a user would (`-o /dev/null`).
"""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from defenceline.cli import main
from defenceline.outputfiles import OutputFileError, write_text

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "demo-shop" / "manifesto"


def _device(tmp_path: Path) -> Path:
    """A character device to write to: a private copy of /dev/null where we may make one
    (root, as in CI), else /dev/null itself (whose folder a non-root user cannot replace
    files in, so even a broken writer could not harm it)."""
    if os.geteuid() == 0:
        device = tmp_path / "null"
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        return device
    return Path("/dev/null")


def test_a_new_file_gets_the_text_and_the_usual_permissions(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    old_umask = os.umask(0o027)
    try:
        write_text(target, "{}\nüñí\n")
    finally:
        os.umask(old_umask)
    assert target.read_bytes() == "{}\nüñí\n".encode()
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]


def test_a_file_is_replaced_whole_and_keeps_its_permissions(tmp_path: Path) -> None:
    target = tmp_path / "manifesto.html"
    target.write_text("old")
    target.chmod(0o604)
    inode = target.stat().st_ino
    write_text(target, "new")
    assert target.read_text() == "new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o604
    assert target.stat().st_ino != inode  # replaced in one step, not rewritten in place


def test_a_character_device_stays_a_device(tmp_path: Path) -> None:
    device = _device(tmp_path)
    write_text(device, "thrown away")
    assert stat.S_ISCHR(device.stat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == (
        ["null"] if device.parent == tmp_path else []
    )


def test_a_named_pipe_stays_a_pipe_and_its_reader_gets_the_text(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_bytes()))
    reader.start()
    write_text(pipe, "through the pipe\n")
    reader.join(timeout=10)
    assert received == [b"through the pipe\n"]
    assert stat.S_ISFIFO(pipe.stat().st_mode)


def test_a_link_keeps_pointing_at_its_file(tmp_path: Path) -> None:
    real = tmp_path / "site" / "baseline.json"
    real.parent.mkdir()
    real.write_text("old")
    link = tmp_path / "baseline.json"
    link.symlink_to(real)
    write_text(link, "new")
    assert link.is_symlink()
    assert real.read_text() == "new"


def test_a_missing_folder_is_an_error_naming_the_path_and_leaves_nothing(tmp_path: Path) -> None:
    target = tmp_path / "missing" / "out.txt"
    with pytest.raises(OutputFileError) as raised:
        write_text(target, "text")
    assert str(target) in str(raised.value)
    assert "No such file or directory" in raised.value.reason
    assert isinstance(raised.value, OSError)  # what the library's writers raised before
    assert list(tmp_path.iterdir()) == []


def test_a_folder_is_an_error_not_a_crash(tmp_path: Path) -> None:
    with pytest.raises(OutputFileError) as raised:
        write_text(tmp_path, "text")
    assert str(tmp_path) in str(raised.value)
    assert tmp_path.is_dir()


# --- through the commands -----------------------------------------------------------------------


@pytest.fixture
def page(tmp_path: Path) -> Path:
    """A product page for the checker to report on."""
    path = tmp_path / "product.html"
    path.write_text("<html lang='nl'><h1>Fietstas</h1><p>€ 49,95</p><button>Kopen</button></html>")
    return path


def test_manifesto_render_to_a_device_leaves_the_device(tmp_path: Path) -> None:
    device = _device(tmp_path)
    result = CliRunner().invoke(
        main, ["manifesto", "render", str(EXAMPLES / "manifesto.nl.md"), "-o", str(device)]
    )
    assert result.exit_code == 0, result.output
    assert stat.S_ISCHR(device.stat().st_mode)


def test_check_report_through_a_link_writes_the_linked_file(tmp_path: Path, page: Path) -> None:
    real = tmp_path / "reports" / "report.json"
    real.parent.mkdir()
    real.write_text("")
    link = tmp_path / "report.json"
    link.symlink_to(real)
    result = CliRunner().invoke(
        main, ["check", str(page), "--format", "json", "--output", str(link)]
    )
    assert result.exit_code in (0, 1), result.output  # 1: the page has findings
    assert link.is_symlink()
    assert '"pages"' in real.read_text()


def test_a_baseline_in_a_missing_folder_is_an_error_naming_the_file(
    tmp_path: Path, page: Path
) -> None:
    baseline = tmp_path / "missing" / "baseline.json"
    result = CliRunner().invoke(main, ["check", str(page), "--write-baseline", str(baseline)])
    assert result.exit_code == 2
    assert f"{baseline}" in result.output
    assert "No such file or directory" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_a_baseline_written_to_a_device_leaves_the_device(tmp_path: Path, page: Path) -> None:
    device = _device(tmp_path)
    result = CliRunner().invoke(main, ["check", str(page), "--write-baseline", str(device)])
    assert result.exit_code == 0, result.output
    assert stat.S_ISCHR(device.stat().st_mode)


def test_a_report_in_a_missing_folder_exits_2_not_1_which_means_findings(
    tmp_path: Path, page: Path
) -> None:
    report = tmp_path / "missing" / "report.json"
    result = CliRunner().invoke(main, ["check", str(page), "--output", str(report)])
    assert result.exit_code == 2
    assert f"{report}: cannot write the file: No such file or directory" in result.output
