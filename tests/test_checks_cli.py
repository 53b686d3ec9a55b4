"""`defenceline check`: exit codes, formats, config, baselines, suppression, URLs, --jobs."""

from __future__ import annotations

import http.server
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

import jsonschema
import pytest
from click.testing import CliRunner

from defenceline.checks import RULES
from defenceline.cli import main

HERE = Path(__file__).resolve().parent
DEMO_POLICY = HERE.parent / "examples" / "demo-shop" / "store.toml"

GOOD = """<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>Fietstas</title>
<script type="application/ld+json">{"@context": "https://schema.org", "@type": "Product",
"name": "Fietstas Urban", "image": ["https://w.example/1.jpg"], "offers": {"@type": "Offer",
"price": "49.95", "priceCurrency": "EUR", "availability": "https://schema.org/InStock"}}</script>
</head><body><nav class="breadcrumb"><a href="/">Home</a> › Fietstas Urban</nav>
<div class="gallery"><img src="/1.jpg" alt="Fietstas Urban zijkant" width="1200">
<img src="/2.jpg" alt="Fietstas Urban open" width="1200">
<img src="/3.jpg" alt="Fietstas Urban op de fiets" width="1200"></div>
<h1>Fietstas Urban</h1><p class="price">€ 49,95</p><p>Op voorraad</p>
<button>In winkelwagen</button><p>Voor 16:00 besteld, morgen in huis</p>
<p>Verzendkosten € 4,95, gratis vanaf € 50</p><p>30 dagen gratis retourneren</p>
<dl><dt>Afmetingen</dt><dd>40 x 30 x 15 cm</dd><dt>Materiaal</dt><dd>Polyester</dd></dl>
<p>4,5 van 5 (12 reviews)</p>
<footer><a href="/voorwaarden">Algemene voorwaarden</a> <a href="mailto:s@w.example">Mail ons</a>
</footer></body></html>"""

BAD = """<html lang="en"><body><h1>Mug</h1><p>£12.50</p><button>Add to cart</button>
</body></html>"""


@pytest.fixture()
def pages(tmp_path: Path) -> Path:
    (tmp_path / "good.html").write_text(GOOD, encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "bad.html").write_text(BAD, encoding="utf-8")
    return tmp_path


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["check", *args])
    return result.exit_code, result.stdout, result.stderr


def test_clean_page_exits_0_and_says_so(pages: Path) -> None:
    code, out, _ = run(str(pages / "good.html"))
    assert code == 0, out
    assert "score 100/100" in out
    assert "\x1b[" not in out  # no colour when not a terminal


def test_errors_exit_1_and_are_grouped_per_page(pages: Path) -> None:
    code, out, _ = run(str(pages))
    assert code == 1
    assert out.index("good.html") < out.index("bad.html")
    assert "price-visible" not in out
    assert "stock-visible" in out
    assert "2 pages" in out


def test_fail_on_never_and_warning(pages: Path) -> None:
    assert run(str(pages / "sub" / "bad.html"), "--fail-on", "never")[0] == 0
    config = pages / "checks.toml"
    config.write_text(
        "[checks]\nrules = { " + ", ".join(f'"{rule}" = "warning"' for rule in RULES) + " }\n",
        encoding="utf-8",
    )
    bad = str(pages / "sub" / "bad.html")
    assert run(bad, "--config", str(config))[0] == 0
    assert run(bad, "--config", str(config), "--fail-on", "warning")[0] == 1


def test_missing_target_exits_2_after_checking_the_others(pages: Path) -> None:
    code, out, _ = run(str(pages / "good.html"), str(pages / "nope.html"))
    assert code == 2
    assert "nope.html  could not be checked: no such file or directory" in out
    assert "score 100/100" in out


def test_bad_option_is_a_usage_error() -> None:
    assert run("x.html", "--format", "pdf")[0] == 2
    assert run()[0] == 2


def test_config_errors_name_the_file_and_key(pages: Path) -> None:
    config = pages / "bad.toml"
    config.write_text(
        '[checks]\nrules = { "price-visibel" = "error" }\nmin_images = "three"\n'
        '[checks.selectors]\nprice = "div[["\n',
        encoding="utf-8",
    )
    code, _, err = run(str(pages / "good.html"), "--config", str(config))
    assert code == 2
    assert f"{config}: [checks].min_images:" in err
    assert "[checks].selectors.price: not a valid CSS selector" in err
    assert "Traceback" not in err


def test_unknown_rule_in_config_suggests_the_right_one(pages: Path) -> None:
    config = pages / "typo.toml"
    config.write_text('[checks]\nrules = { "price-visibel" = "off" }\n', encoding="utf-8")
    code, _, err = run(str(pages / "good.html"), "--config", str(config))
    assert code == 2
    assert "unknown rule 'price-visibel'; did you mean 'price-visible'?" in err


def test_checks_table_in_store_toml_is_used(pages: Path) -> None:
    policy = pages / "store.toml"
    policy.write_text(
        DEMO_POLICY.read_text(encoding="utf-8")
        + '\n[checks]\nrules = { "stock-visible" = "off", "structured-data-product" = "off" }\n',
        encoding="utf-8",
    )
    code, out, _ = run(str(pages / "sub" / "bad.html"), "--policy", str(policy), "--format", "json")
    report = json.loads(out)
    rules = {f["rule"] for f in report["pages"][0]["findings"]}
    assert "stock-visible" not in rules and "structured-data-product" not in rules
    assert "policy-consistency" in report["pages"][0]["checked_rules"]
    assert code == 1  # price/shipping/delivery errors remain


def test_bad_policy_exits_2_with_its_problems(pages: Path) -> None:
    policy = pages / "broken.toml"
    policy.write_text("[shop]\nname = 3\n", encoding="utf-8")
    code, _, err = run(str(pages / "good.html"), "--policy", str(policy))
    assert code == 2
    assert "broken.toml" in err and "Traceback" not in err


def test_json_report_has_facts_findings_and_evidence(pages: Path) -> None:
    _code, out, _ = run(str(pages), "--format", "json")
    report = json.loads(out)
    assert report["summary"]["pages"] == 2
    good, bad = report["pages"]
    assert good["facts"]["price"] == "49.95"
    assert good["facts"]["currency"] == "EUR"
    assert good["facts"]["availability"] == "InStock"
    assert good["facts"]["return_days"] == 30
    assert good["facts"]["image_count"] == 3
    assert good["score"] == 100
    assert bad["facts"]["price"] == "12.50" and bad["facts"]["currency"] == "GBP"
    finding = next(f for f in bad["findings"] if f["rule"] == "stock-visible")
    assert set(finding) >= {"rule", "severity", "message", "selector", "snippet", "help"}
    assert finding["help"].endswith("/stock-visible.md")
    assert finding["selector"] == "html > body > h1"
    assert len(finding["snippet"]) <= 200


def test_junit_has_one_test_per_rule_per_page(pages: Path) -> None:
    _code, out, _ = run(str(pages), "--format", "junit")
    root = ElementTree.fromstring(out)
    suites = root.findall("testsuite")
    assert len(suites) == 2
    for suite in suites:
        assert len(suite.findall("testcase")) == len(RULES)
    bad = suites[1]
    failed = {
        case.get("name") for case in bad.findall("testcase") if case.find("failure") is not None
    }
    assert "stock-visible" in failed and "breadcrumbs" not in failed  # a warning
    skipped = {
        case.get("name") for case in bad.findall("testcase") if case.find("skipped") is not None
    }
    assert {"cart-all-costs", "policy-consistency"} <= skipped
    assert int(root.get("failures", "0")) == len(failed)


def test_sarif_validates_against_the_sarif_2_1_0_schema(pages: Path) -> None:
    _code, out, _ = run(str(pages), str(pages / "missing.html"), "--format", "sarif")
    log = json.loads(out)
    schema = json.loads((HERE / "checks" / "sarif-2.1.0.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
    assert errors == [], errors[:3]
    run_ = log["runs"][0]
    assert len(run_["tool"]["driver"]["rules"]) == len(RULES)
    result = run_["results"][0]
    rule = run_["tool"]["driver"]["rules"][result["ruleIndex"]]
    assert rule["id"] == result["ruleId"]
    notes = run_["invocations"][0]["toolExecutionNotifications"]
    assert any("missing.html" in n["message"]["text"] for n in notes)


def test_sarif_schema_rejects_a_broken_log() -> None:
    schema = json.loads((HERE / "checks" / "sarif-2.1.0.json").read_text(encoding="utf-8"))
    broken = {"version": "2.1.0", "runs": [{"tool": {"driver": {}}, "results": []}]}
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(broken))


def test_html_report_shows_scores_facts_and_escaped_evidence(pages: Path) -> None:
    (pages / "xss.html").write_text(
        "<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1><p>€ 5</p><button>Kopen</button>",
        encoding="utf-8",
    )
    out_file = pages / "report.html"
    code, _, _ = run(str(pages), "--format", "html", "--output", str(out_file))
    html = out_file.read_text(encoding="utf-8")
    assert code == 1
    assert html.startswith("<!doctype html>")
    assert 'aria-label="score 100 of 100"' in html
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Voor 16:00 besteld, morgen in huis" in html  # a fact
    assert "stock-visible" in html and "html &gt; body &gt; h1" in html  # evidence


def test_baseline_lets_a_site_fail_only_on_new_findings(pages: Path) -> None:
    baseline = pages / "baseline.json"
    code, _, err = run(str(pages), "--write-baseline", str(baseline))
    assert code == 0 and "findings to" in err
    assert run(str(pages), "--baseline", str(baseline))[0] == 0
    (pages / "new.html").write_text(BAD.replace("Mug", "Cup"), encoding="utf-8")
    code, out, _ = run(str(pages), "--baseline", str(baseline), "--format", "json")
    assert code == 1
    report = json.loads(out)
    new_page = next(p for p in report["pages"] if p["target"].endswith("new.html"))
    assert not any(f.get("baselined") for f in new_page["findings"])
    assert report["summary"]["baselined"] > 0


def test_bad_baseline_file_is_an_input_error(pages: Path) -> None:
    baseline = pages / "baseline.json"
    baseline.write_text('{"something": "else"}', encoding="utf-8")
    code, _, err = run(str(pages), "--baseline", str(baseline))
    assert code == 2 and "not a defenceline baseline" in err


def test_inline_suppression_with_a_reason(pages: Path) -> None:
    page = pages / "suppressed.html"
    page.write_text(
        BAD.replace(
            "<body>",
            "<body><!-- defenceline-disable stock-visible, breadcrumbs: made to order -->"
            "<!-- defenceline-disable no-such-rule: typo -->",
        ),
        encoding="utf-8",
    )
    _code, out, _ = run(str(page), "--format", "json")
    report = json.loads(out)["pages"][0]
    rules = {f["rule"] for f in report["findings"]}
    assert "stock-visible" not in rules and "breadcrumbs" not in rules
    assert {"rule": "stock-visible", "reason": "made to order", "findings": 1} in report[
        "suppressed"
    ]
    assert any("unknown rule 'no-such-rule'" in note for note in report["notes"])


def test_jobs_2_gives_the_same_report_as_jobs_1(pages: Path) -> None:
    for index in range(6):
        (pages / f"copy{index}.html").write_text(
            GOOD.replace("49,95", f"4{index},95"), encoding="utf-8"
        )
    one = json.loads(run(str(pages), "--format", "json", "--jobs", "1")[1])
    two = json.loads(run(str(pages), "--format", "json", "--jobs", "2")[1])
    assert one["pages"] == two["pages"]


def test_check_is_registered_as_a_defenceline_command() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert "check" in result.output
    help_text = CliRunner().invoke(main, ["check", "--help"]).output
    for option in ("--policy", "--page-type", "--format", "--output", "--fail-on", "--jobs",
                   "--config", "--baseline", "--write-baseline", "--allow-private"):  # fmt: skip
        assert option in help_text


# --- fetching URLs from a local server ----------------------------------------------------------


class _Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        routes = {
            "/good": (200, GOOD.encode()),
            "/bad": (200, BAD.encode()),
            "/big": (200, b"<html><body>" + b"x" * 3_000_000),
        }
        if self.path == "/loop":
            self.send_response(302)
            self.send_header("Location", "/loop")
            self.end_headers()
            return
        if self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/good")
            self.end_headers()
            return
        if self.path == "/slow":
            time.sleep(5)
        if self.path == "/sitemap.xml":
            base = f"http://127.0.0.1:{self.server.server_address[1]}"
            body = (
                '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                f"<url><loc>{base}/good</loc></url><url><loc>{base}/bad</loc></url></urlset>"
            ).encode()
            routes["/sitemap.xml"] = (200, body)
        status, body = routes.get(self.path, (404, b"not here"))
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture()
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_urls_are_fetched_with_clear_per_url_errors(server: str, tmp_path: Path) -> None:
    config = tmp_path / "fetch.toml"
    # The timeout leaves a loaded CI machine time to serve the good pages; /slow takes 5 s.
    config.write_text(
        "[checks.fetch]\ntimeout = 2\nmax_redirects = 3\nmax_bytes = 1000000\n",
        encoding="utf-8",
    )
    targets = [f"{server}/{path}" for path in ("good", "moved", "missing", "loop", "big", "slow")]
    code, out, _ = run(*targets, "--config", str(config), "--format", "json", "--allow-private")
    assert code == 2
    pages = {p["target"].rsplit("/", 1)[1]: p for p in json.loads(out)["pages"]}
    assert pages["good"]["score"] == 100
    assert pages["moved"]["facts"]["price"] == "49.95"
    assert pages["missing"]["error"] == "HTTP 404 Not Found"
    assert pages["loop"]["error"] == "too many redirects (more than 3)"
    assert "larger than the limit" in pages["big"]["error"] or "limit is" in pages["big"]["error"]
    assert pages["slow"]["error"] == "timed out after 2 s"


def test_sitemap_url_lists_the_pages_to_check(server: str) -> None:
    code, out, _ = run(f"{server}/sitemap.xml", "--format", "json", "--allow-private")
    report = json.loads(out)
    assert [p["target"].rsplit("/", 1)[1] for p in report["pages"]] == ["good", "bad"]
    assert code == 1


def test_sitemap_file_with_local_and_remote_pages(server: str, pages: Path) -> None:
    sitemap = pages / "sitemap.xml"
    sitemap.write_text(
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<url><loc>{server}/good</loc></url><url><loc>good.html</loc></url></urlset>",
        encoding="utf-8",
    )
    code, out, _ = run(str(sitemap), "--format", "json", "--allow-private")
    report = json.loads(out)
    assert [p["score"] for p in report["pages"]] == [100, 100]
    assert code == 0


def test_python_api_checks_rendered_pages_and_renders_html(demo_policy: object) -> None:
    from defenceline import Policy
    from defenceline.checks import check_documents, render_html

    assert isinstance(demo_policy, Policy)
    report = check_documents([("/product/1", GOOD), ("/product/2", BAD)], policy=demo_policy)
    assert [page.target for page in report.pages] == ["/product/1", "/product/2"]
    assert "policy-consistency" in report.pages[0].checked_rules
    html = render_html(report)
    assert "/product/2" in html and "stock-visible" in html


def test_checker_never_imports_flask() -> None:
    import subprocess
    import sys

    code = (
        "import sys, defenceline.checks, defenceline.checks.cli, defenceline.checks.ruledocs;"
        "print('flask' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_help_links_default_to_the_rule_docs_in_this_project(pages: Path) -> None:
    _code, out, _ = run(str(pages / "sub" / "bad.html"), "--format", "json")
    report = json.loads(out)
    links = {finding["help"] for finding in report["pages"][0]["findings"]}
    assert "docs/rules/stock-visible.md" in links
    project = HERE.parent
    assert all((project / link).is_file() for link in links), links
    assert "://" not in out  # no host is guessed for the project's documentation
    _code, sarif, _ = run(str(pages / "sub" / "bad.html"), "--format", "sarif")
    driver = json.loads(sarif)["runs"][0]["tool"]["driver"]
    assert "informationUri" not in driver
    assert all("helpUri" not in rule for rule in driver["rules"])  # SARIF wants absolute URIs


def test_help_base_url_from_the_config_sets_the_links(pages: Path, tmp_path: Path) -> None:
    config = tmp_path / "checks.toml"
    config.write_text(
        '[checks]\nhelp_base_url = "https://docs.shop.example/rules"\n', encoding="utf-8"
    )
    _code, out, _ = run(
        str(pages / "sub" / "bad.html"), "--config", str(config), "--format", "json"
    )
    finding = next(
        f for f in json.loads(out)["pages"][0]["findings"] if f["rule"] == "stock-visible"
    )
    assert finding["help"] == "https://docs.shop.example/rules/stock-visible.md"
    _code, sarif, _ = run(
        str(pages / "sub" / "bad.html"), "--config", str(config), "--format", "sarif"
    )
    rules = json.loads(sarif)["runs"][0]["tool"]["driver"]["rules"]
    assert {rule["helpUri"] for rule in rules} == {
        f"https://docs.shop.example/rules/{rule_id}.md" for rule_id in RULES
    }
