"""The `defenceline` command: policy check, estimate, and how it reports bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from defenceline.cli import main

from .conftest import DEMO_POLICY


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_policy_check_valid_file_prints_one_line_summary() -> None:
    code, out, _ = run("policy", "check", str(DEMO_POLICY))
    assert code == 0
    assert out.count("\n") == 1
    assert "valid: Trapkracht, 2 shipping zones (3 countries), 30-day returns" in out


def test_policy_check_invalid_file_exits_1_with_located_errors(
    tmp_path: Path, demo_policy_text: str
) -> None:
    bad = tmp_path / "store.toml"
    bad.write_text(demo_policy_text.replace("window_days = 30", "window_days = 7"))
    code, out, err = run("policy", "check", str(bad))
    assert code == 1
    assert out == ""
    assert f"{bad}:" in err and "returns.window_days: a shop established in the EU/EEA" in err
    assert "Traceback" not in err


def test_estimate_json_has_the_documented_fields() -> None:
    code, out, _ = run(
        "estimate", "--policy", str(DEMO_POLICY), "--country", "nl",
        "--at", "2026-12-24T15:59", "--json",
    )  # fmt: skip
    assert code == 0
    data = json.loads(out)
    assert data["dispatch_date"] == "2026-12-24"
    assert data["earliest"] == data["latest"] == "2026-12-28"
    assert data["carrier"] == "PostNL"
    assert data["cutoff"] == "2026-12-24T16:00:00+01:00"


def test_estimate_with_offset_moment_converts_to_warehouse_time() -> None:
    code, out, _ = run(
        "estimate", "--policy", str(DEMO_POLICY), "--country", "NL",
        "--at", "2026-12-24T15:30:00+00:00", "--json",
    )  # fmt: skip
    assert code == 0
    assert json.loads(out)["dispatch_date"] == "2026-12-28"  # 16:30 in Amsterdam


def test_estimate_restock_and_out_of_stock() -> None:
    code, out, _ = run(
        "estimate", "--policy", str(DEMO_POLICY), "--country", "DE",
        "--at", "2026-11-20T10:00", "--restock", "2026-12-01", "--json",
    )  # fmt: skip
    data = json.loads(out)
    assert code == 0
    assert data["dispatch_date"] == "2026-12-01"
    assert data["cutoff"] is None
    code, out, _ = run(
        "estimate", "--policy", str(DEMO_POLICY), "--country", "DE", "--out-of-stock", "--json"
    )
    data = json.loads(out)
    assert (data["status"], data["earliest"], data["latest"]) == ("no_restock_date", None, None)


def test_estimate_text_reads_like_an_answer() -> None:
    code, out, _ = run(
        "estimate", "--policy", str(DEMO_POLICY), "--country", "NL",
        "--at", "2026-12-24T15:59", "--locale", "nl",
    )  # fmt: skip
    assert code == 0
    assert "donderdag 24 december 2026" in out
    assert "maandag 28 december 2026" in out
    assert "PostNL" in out


def test_estimate_for_a_country_not_shipped_to_is_an_answer() -> None:
    code, out, _ = run("estimate", "--policy", str(DEMO_POLICY), "--country", "JP")
    assert code == 0
    assert "Trapkracht does not ship to Japan (JP)" in out


def test_estimate_bad_input_names_it_without_traceback() -> None:
    code, _, err = run("estimate", "--policy", str(DEMO_POLICY), "--country", "XX")
    assert code == 2
    assert "'XX' is not a country code" in err
    code, _, err = run(
        "estimate", "--policy", str(DEMO_POLICY), "--country", "NL", "--at", "tomorrow"
    )
    assert code == 2
    assert "'tomorrow' is not an ISO 8601 moment" in err
    code, _, err = run(
        "estimate", "--policy", str(DEMO_POLICY), "--country", "NL", "--restock", "2026-13-01"
    )
    assert code == 2 and "'2026-13-01' is not a date" in err
    code, _, err = run("estimate", "--policy", "missing.toml", "--country", "NL")
    assert code == 2 and "missing.toml: cannot read the file" in err
    assert "Traceback" not in err


def test_console_script_is_installed() -> None:
    script = Path(sys.executable).with_name("defenceline")
    done = subprocess.run(
        [str(script), "policy", "check", str(DEMO_POLICY)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert "valid: Trapkracht" in done.stdout
    listed = subprocess.run([str(script), "--help"], capture_output=True, text=True).stdout
    for command in ("demo", "estimate", "policy"):
        assert command in listed


# --- out-of-range dates and absurd values: usage errors, never tracebacks --------------------


@pytest.mark.parametrize(
    ("flag", "value"),
    [
        ("--at", "9999-12-31T15:00"),
        ("--at", "0001-01-01T00:00+05:00"),
        ("--at", "9999-12-31T23:59-12:00"),
        ("--restock", "9999-12-31"),
        ("--restock", "1970-01-01"),
    ],
)
def test_estimate_with_a_date_out_of_range_exits_2_naming_the_flag_and_range(
    flag: str, value: str
) -> None:
    result = CliRunner().invoke(
        main, ["estimate", "--policy", str(DEMO_POLICY), "--country", "NL", flag, value]
    )
    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert f"Invalid value for '{flag}'" in result.stderr
    assert "expected a date from 2000-01-01 to 2099-12-31" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_estimate_restock_more_than_two_years_ahead_says_no_date_is_promised() -> None:
    code, out, _ = run(
        "estimate", "--policy", str(DEMO_POLICY), "--country", "NL",
        "--at", "2026-11-24T10:00", "--restock", "2099-12-31",
    )  # fmt: skip
    assert code == 0
    assert "restock date 2099-12-31 is more than 730 days ahead and counts as unknown" in out
    assert "delivered" not in out


@pytest.mark.parametrize(
    ("rate", "expected"),
    [
        ('"1e999999999"', "expected an amount below 1,000,000,000,000 with at most 6 decimals"),
        ('"123456789012345678901234567890"', "expected an amount below 1,000,000,000,000"),
        ('"0.0000001"', "expected an amount below 1,000,000,000,000 with at most 6 decimals"),
        ('"NaN"', "expected a finite amount"),
        ('"Infinity"', "expected a finite amount"),
        ("inf", "expected a finite amount"),
        ('"-4.95"', "expected an amount of zero or more, got -4.95"),
    ],
)
def test_policy_check_with_an_absurd_rate_names_the_field_without_traceback(
    tmp_path: Path, demo_policy_text: str, rate: str, expected: str
) -> None:
    bad = tmp_path / "store.toml"
    bad.write_text(demo_policy_text.replace('rate = "4.95"', f"rate = {rate}", 1))
    result = CliRunner().invoke(main, ["policy", "check", str(bad)])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "shipping.zones[0].rate: " + expected in result.stderr
    assert "Traceback" not in result.stderr
