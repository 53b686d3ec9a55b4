"""The checker as an attacker would use it: each test is named for the attack it stops.

The servers here are real HTTP(S) servers on loopback addresses, which the checker refuses
by default (that is the first thing tested) and reaches with --allow-private. Where a test
needs a server the checker treats as public (to see what happens at the *next* hop), it
serves on 127.0.0.2 and classifies only that one address as public; every other address is
judged by the real policy.
"""

from __future__ import annotations

import contextlib
import gzip
import http.server
import json
import random
import socket
import ssl
import threading
import time
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path
from xml.etree import ElementTree

import httpx
import pytest
import trustme
from click.testing import CliRunner

from defenceline.checks import CheckConfig, check_html, check_pages, fetching, render_html
from defenceline.checks import engine as engine_module
from defenceline.checks.config import FetchSettings
from defenceline.checks.formats import render_json, render_junit, render_sarif, render_text
from defenceline.checks.sources import iter_sources, plan_targets
from defenceline.cli import main

PAGE = """<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>Fietstas</title>
</head><body><h1>Fietstas Urban</h1><p class="price">€ 49,95</p><p>Op voorraad</p>
<button>In winkelwagen</button><p>Voor 16:00 besteld, morgen in huis</p>
<p>Verzendkosten € 4,95</p><p>30 dagen gratis retourneren</p></body></html>"""
SECRET = "internal-secret-7d1f"
PRETEND_PUBLIC = "127.0.0.2"

Handler = Callable[["_Request"], None]


class _Request(http.server.BaseHTTPRequestHandler):
    site: _Site

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        path = self.path.split("?")[0]
        self.site.hits.append(path)
        self.site.hosts.append(self.headers.get("Host", ""))
        handler = self.site.routes.get(path)
        if handler is None:
            self.reply(404, b"not here")
            return
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            handler(self)  # a hang-up by the checker is what several tests want

    def reply(
        self,
        status: int,
        body: bytes,
        content_type: str = "text/html; charset=utf-8",
        headers: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()


class _Site:
    """A real HTTP server on one loopback address, with routes and a log of what it served."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.routes: dict[str, Handler] = {}
        self.hits: list[str] = []
        self.hosts: list[str] = []
        handler = type("Handler", (_Request,), {"site": self})
        self.server = http.server.ThreadingHTTPServer((host, port), handler)
        self.server.daemon_threads = True
        self.host = host
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def page(self, path: str, body: bytes | str = PAGE, **kwargs: object) -> None:
        data = body.encode() if isinstance(body, str) else body
        self.routes[path] = lambda request: request.reply(200, data, **kwargs)  # type: ignore[arg-type]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture()
def site() -> Iterator[_Site]:
    server = _Site()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture()
def public_site(monkeypatch: pytest.MonkeyPatch) -> Iterator[_Site]:
    """A server the checker treats as public: 127.0.0.2 alone is classified as public."""
    real = fetching.address_refusal
    monkeypatch.setattr(
        fetching,
        "address_refusal",
        lambda address: None if address == PRETEND_PUBLIC else real(address),
    )
    server = _Site(PRETEND_PUBLIC)
    try:
        yield server
    finally:
        server.close()


def fake_dns(monkeypatch: pytest.MonkeyPatch, answer: Callable[[str], str | None]) -> None:
    """Resolve names through `answer(host)` (an IP address, or None for the real resolver)."""
    real = socket.getaddrinfo

    def resolve(host: str, port: object, *args: object, **kwargs: object) -> object:
        address = answer(host)
        if address is None:
            return real(host, port, *args, **kwargs)  # type: ignore[arg-type]
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["check", *args])
    return result.exit_code, result.stdout, result.stderr


def report_of(*args: str) -> tuple[int, dict[str, object], str]:
    code, out, err = run(*args, "--format", "json")
    return code, json.loads(out), err


def pages_of(report: dict[str, object]) -> list[dict[str, object]]:
    pages = report["pages"]
    assert isinstance(pages, list)
    return pages


def config_file(tmp_path: Path, text: str) -> str:
    path = tmp_path / "checks.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


# --- internal addresses ------------------------------------------------------------------------


def test_loopback_server_is_refused_by_default_with_a_named_error(site: _Site) -> None:
    site.page("/good", PAGE.replace("Fietstas Urban", SECRET))
    code, report, _ = report_of(f"{site.url}/good")
    assert code == 2
    [page] = pages_of(report)
    assert page["target"] == f"{site.url}/good"
    error = str(page["error"])
    assert "refused to connect to 127.0.0.1" in error and "loopback" in error
    assert "--allow-private" in error
    assert site.hits == []  # not even one request reached the internal service


def test_allow_private_flag_checks_a_local_server(site: _Site) -> None:
    site.page("/good")
    code, report, _ = report_of(f"{site.url}/good", "--allow-private")
    [page] = pages_of(report)
    assert page.get("error") is None and page["page_type"] == "product"
    assert site.hits == ["/good"]
    assert code in (0, 1)


@pytest.mark.parametrize(
    "setting",
    ["[checks]\nallow_private = true\n", "[checks.fetch]\nallow_private = true\n"],
    ids=["checks-table", "checks-fetch-table"],
)
def test_allow_private_in_the_config_checks_a_local_server(
    site: _Site, tmp_path: Path, setting: str
) -> None:
    site.page("/good")
    _, report, _ = report_of(f"{site.url}/good", "--config", config_file(tmp_path, setting))
    assert pages_of(report)[0].get("error") is None
    assert site.hits == ["/good"]


def test_allow_private_must_be_true_or_false(tmp_path: Path) -> None:
    code, _, err = run(
        "x.html", "--config", config_file(tmp_path, '[checks]\nallow_private = "yes"\n')
    )
    assert code == 2
    assert "allow_private: expected true or false" in err


def test_hostname_that_resolves_to_loopback_is_refused(site: _Site) -> None:
    site.page("/good")
    _, report, _ = report_of(f"http://localhost:{site.port}/good")
    error = str(pages_of(report)[0]["error"])
    assert "refused to connect to localhost (" in error and "loopback" in error
    assert site.hits == []


def test_hostname_that_resolves_to_a_private_network_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fake_dns(monkeypatch, lambda host: "10.1.2.3" if host == "intranet.shop.test" else None)
    _, report, _ = report_of("http://intranet.shop.test/product")
    error = str(pages_of(report)[0]["error"])
    assert "intranet.shop.test (10.1.2.3)" in error and "private-network address" in error


def test_dns_rebinding_cannot_swap_the_address_after_the_check(
    public_site: _Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The name is resolved once and the connection goes to exactly the address checked.

    A rebinding DNS server answers the 'public' address first and loopback afterwards; a
    checker that resolved once to check and again to connect would reach the internal server.
    """
    public_site.page("/good")
    internal = _Site("127.0.0.1", public_site.port)
    internal.page("/good", PAGE.replace("Fietstas Urban", SECRET))
    answers: list[str] = []

    def rebinding(host: str) -> str | None:
        if host != "shop.test":
            return None
        answers.append(PRETEND_PUBLIC if not answers else "127.0.0.1")
        return answers[-1]

    fake_dns(monkeypatch, rebinding)
    try:
        report = check_pages([f"http://shop.test:{public_site.port}/good"])
    finally:
        internal.close()
    [page] = report.pages
    assert page.error is None and page.facts is not None
    assert SECRET not in json.dumps(page.facts)
    assert answers == [PRETEND_PUBLIC]  # resolved once
    assert internal.hits == []
    assert public_site.hosts == [f"shop.test:{public_site.port}"]  # the Host header kept


@pytest.mark.parametrize(
    ("location", "words"),
    [
        ("http://127.0.0.1:{internal}/admin", "127.0.0.1: a loopback address"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254: a link-local address"),
        ("http://[::ffff:127.0.0.1]:{internal}/admin", "loopback address (127.0.0.1, inside"),
        ("http://10.0.0.1/", "10.0.0.1: a private-network address"),
    ],
    ids=["loopback", "cloud-metadata", "ipv4-mapped-ipv6", "private-network"],
)
def test_redirect_from_an_allowed_server_to_an_internal_address_is_refused(
    public_site: _Site, site: _Site, location: str, words: str
) -> None:
    site.page("/admin", SECRET)
    target = location.format(internal=site.port)
    public_site.routes["/go"] = lambda request: request.redirect(target)
    code, report, _ = report_of(f"{public_site.url}/go")
    [page] = pages_of(report)
    assert words in str(page["error"])
    assert public_site.hits == ["/go"]
    assert site.hits == []
    assert SECRET not in json.dumps(report)
    assert code == 2


def test_redirect_to_a_local_file_is_not_followed(public_site: _Site) -> None:
    public_site.routes["/go"] = lambda request: request.redirect("file:///etc/passwd")
    _, report, _ = report_of(f"{public_site.url}/go")
    error = str(pages_of(report)[0]["error"])
    assert "not an http(s) URL" in error
    assert "root:" not in json.dumps(report)


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "loopback"),
        ("127.255.0.9", "loopback"),
        ("::1", "loopback"),
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("169.254.169.254", "link-local"),
        ("fe80::1", "link-local"),
        ("10.0.0.1", "private-network"),
        ("172.16.5.4", "private-network"),
        ("192.168.1.1", "private-network"),
        ("fd00::1", "private-network"),
        ("fec0::1", "site-local"),
        ("100.64.0.1", "not a public address"),
        ("224.0.0.251", "multicast"),
        ("ff02::1", "multicast"),
        ("240.0.0.1", "reserved"),
        ("255.255.255.255", "reserved"),
        ("::ffff:10.0.0.1", "private-network address (10.0.0.1, inside"),
        ("::ffff:169.254.169.254", "link-local"),
        ("2002:7f00:1::", "loopback address (127.0.0.1, inside"),
        ("64:ff9b::a9fe:a9fe", "link-local address"),
        ("2001:db8::1", "private-network"),
    ],
)
def test_non_public_addresses_are_refused(address: str, kind: str) -> None:
    reason = fetching.address_refusal(address)
    assert reason is not None and kind in reason


@pytest.mark.parametrize(
    "address",
    [
        "93.184.215.14",
        "8.8.8.8",
        "2606:4700:4700::1111",
        "::ffff:8.8.8.8",
        "64:ff9b::808:808",
    ],
)
def test_public_addresses_are_allowed(address: str) -> None:
    assert fetching.address_refusal(address) is None


def test_tls_is_verified_against_the_host_name_while_connecting_to_the_checked_address(
    public_site: _Site, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Pinning the address must not weaken TLS: SNI and the certificate check use the name."""
    authority = trustme.CA()
    certificate = authority.issue_cert("shop.test")
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    certificate.configure_cert(server_context)
    public_site.page("/good")
    public_site.server.socket = server_context.wrap_socket(
        public_site.server.socket, server_side=True
    )
    client_context = ssl.create_default_context()
    authority.configure_trust(client_context)
    monkeypatch.setattr(httpx, "create_ssl_context", lambda **kwargs: client_context)
    fake_dns(monkeypatch, lambda host: PRETEND_PUBLIC if host.endswith(".test") else None)
    report = check_pages(
        [f"https://shop.test:{public_site.port}/good", f"https://other.test:{public_site.port}/"]
    )
    good, other = report.pages
    assert good.error is None and good.page_type == "product"
    assert other.error is not None and "certificate" in other.error.lower()


# --- time --------------------------------------------------------------------------------------


def test_server_dripping_one_byte_at_a_time_is_cut_off_at_the_page_deadline(
    site: _Site, tmp_path: Path
) -> None:
    def drip(request: _Request) -> None:
        request.send_response(200)
        request.send_header("Content-Type", "text/html")
        request.send_header("Content-Length", "1000")
        request.end_headers()
        for _ in range(30):  # one byte every 2 s: each read is well inside the 5 s timeout
            request.wfile.write(b"<")
            request.wfile.flush()
            time.sleep(2)

    site.routes["/drip"] = drip
    config = config_file(
        tmp_path, "[checks.fetch]\ntimeout = 5\ndeadline = 3\nallow_private = true\n"
    )
    start = time.monotonic()
    code, report, _ = report_of(f"{site.url}/drip", "--config", config)
    elapsed = time.monotonic() - start
    error = str(pages_of(report)[0]["error"])
    assert "took longer than the deadline of 3 s" in error
    # Cut off at the deadline itself, not at the next byte (4 s) or the next timeout (8 s).
    assert elapsed < 3.8
    assert code == 2


def test_name_server_answering_slowly_is_cut_off_at_the_page_deadline(
    monkeypatch: pytest.MonkeyPatch,
) -> None:

    def slow(host: str) -> str | None:
        time.sleep(8 if host == "slow-dns.test" else 0)
        return None

    fake_dns(monkeypatch, slow)
    config = CheckConfig(fetch=FetchSettings(timeout=20, deadline=1))
    start = time.monotonic()
    report = check_pages(["http://slow-dns.test/product"], config=config)
    assert time.monotonic() - start < 2.5
    error = report.pages[0].error
    assert error is not None and "took longer than the deadline of 1 s" in error


def test_deadline_is_configurable_and_defaults_to_30_seconds() -> None:
    assert FetchSettings().deadline == 30
    assert CheckConfig.model_validate({"fetch": {"deadline": 3}}).fetch.deadline == 3


# --- sitemaps ----------------------------------------------------------------------------------


def _urlset(*locs: str) -> str:
    entries = "".join(f"<url><loc>{loc}</loc></url>" for loc in locs)
    return (
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"{entries}</urlset>"
    )


def _index(*locs: str) -> str:
    entries = "".join(f"<sitemap><loc>{loc}</loc></sitemap>" for loc in locs)
    return (
        '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"{entries}</sitemapindex>"
    )


def test_sitemap_index_that_lists_itself_is_fetched_once(site: _Site) -> None:
    site.page("/sitemap.xml", _index(f"{site.url}/sitemap.xml", f"{site.url}/pages.xml"))
    site.page("/pages.xml", _urlset(f"{site.url}/good"), content_type="application/xml")
    site.page("/good")
    _, report, _ = report_of(f"{site.url}/sitemap.xml", "--allow-private")
    assert [page["target"] for page in pages_of(report)] == [f"{site.url}/good"]
    assert site.hits.count("/sitemap.xml") == 1
    assert site.hits.count("/pages.xml") == 1


def test_sitemap_that_names_no_page_ends_with_exit_2_and_a_message(site: _Site) -> None:
    site.page("/sitemap.xml", _index(f"{site.url}/sitemap.xml"))
    code, out, err = run(f"{site.url}/sitemap.xml", "--allow-private")
    assert code == 2
    assert "names no page to check" in out
    assert "no page was checked" in err
    assert site.hits == ["/sitemap.xml"]


def test_sitemap_indexes_nested_deeper_than_the_limit_are_not_followed(
    site: _Site, tmp_path: Path
) -> None:
    for level in range(10):
        site.page(f"/s{level}.xml", _index(f"{site.url}/s{level + 1}.xml"))
    config = config_file(tmp_path, "[checks.fetch]\nmax_sitemap_depth = 2\nallow_private = true\n")
    code, report, _ = report_of(f"{site.url}/s0.xml", "--config", config)
    errors = [str(page["error"]) for page in pages_of(report)]
    assert any("nested more than 2 levels deep" in error for error in errors)
    assert site.hits == ["/s0.xml", "/s1.xml", "/s2.xml"]
    assert code == 2


def test_pages_named_by_two_sitemaps_are_checked_once(site: _Site) -> None:
    site.page("/a.xml", _urlset(f"{site.url}/good", f"{site.url}/good"))
    site.page("/b.xml", _urlset(f"{site.url}/good"))
    site.page("/good")
    code, report, _ = report_of(f"{site.url}/a.xml", f"{site.url}/b.xml", "--allow-private")
    assert [page["target"] for page in pages_of(report)] == [f"{site.url}/good"]
    assert site.hits.count("/good") == 1
    assert code in (0, 1)


def test_url_cap_is_global_across_all_sitemaps(tmp_path: Path) -> None:
    for name in ("a", "b"):
        folder = tmp_path / name
        folder.mkdir()
        for number in range(3):
            (folder / f"p{number}.html").write_text(PAGE, encoding="utf-8")
        (folder / "sitemap.xml").write_text(
            _urlset(*(f"p{number}.html" for number in range(3))), encoding="utf-8"
        )
    config = CheckConfig.model_validate({"fetch": {"max_urls": 4}})
    plan = plan_targets(
        [str(tmp_path / "a" / "sitemap.xml"), str(tmp_path / "b" / "sitemap.xml")], config.fetch
    )
    pages = [item for item in plan if not isinstance(item, str) and item.error is None]
    errors = [item.error for item in plan if not isinstance(item, str) and item.error]
    assert len(pages) == 4
    assert errors == [
        "sitemap: stopped at 4 URLs (max_urls in [checks.fetch]); the remaining URLs are not "
        "checked"
    ]
    assert FetchSettings().max_urls == 50_000


def test_gzip_sitemaps_are_decompressed(site: _Site, tmp_path: Path) -> None:
    site.page("/good")
    site.page(
        "/sitemap.xml.gz",
        gzip.compress(_urlset(f"{site.url}/good").encode()),
        content_type="application/gzip",
    )
    compressed_transfer = gzip.compress(_urlset(f"{site.url}/good?2").encode())
    site.page(
        "/encoded.xml",
        compressed_transfer,
        content_type="application/xml",
        headers={"Content-Encoding": "gzip"},
    )
    (tmp_path / "page.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "sitemap.xml.gz").write_bytes(gzip.compress(_urlset("page.html").encode()))
    targets = [
        f"{site.url}/sitemap.xml.gz",
        f"{site.url}/encoded.xml",
        str(tmp_path / "sitemap.xml.gz"),
    ]
    report = check_pages(targets, config=CheckConfig(fetch=FetchSettings(allow_private=True)))
    assert [page.error for page in report.pages] == [None, None, None]
    assert [page.page_type for page in report.pages] == ["product"] * 3


def test_gzip_bomb_sitemap_is_refused_without_using_the_memory(site: _Site, tmp_path: Path) -> None:
    bomb = gzip.compress(b"<urlset>" + b" " * 60_000_000, compresslevel=9)
    assert len(bomb) < 100_000
    (tmp_path / "sitemap.xml.gz").write_bytes(bomb)
    site.page("/sitemap.xml.gz", bomb, content_type="application/gzip")
    site.page(
        "/encoded.xml", bomb, content_type="application/xml", headers={"Content-Encoding": "gzip"}
    )
    settings = FetchSettings(allow_private=True, max_sitemap_bytes=2_000_000)
    tracemalloc.start()
    try:
        plan = plan_targets(
            [
                str(tmp_path / "sitemap.xml.gz"),
                f"{site.url}/sitemap.xml.gz",
                f"{site.url}/encoded.xml",
            ],
            settings,
        )
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    errors = [item.error for item in plan if not isinstance(item, str)]
    assert len(errors) == 3
    assert all(error and "decompresses to more than 2.0 MB" in error for error in errors)
    assert peak < 20_000_000  # the 60 MB of spaces never existed at once


def test_local_sitemap_cannot_name_files_outside_its_folder(tmp_path: Path) -> None:
    site_folder = tmp_path / "site"
    site_folder.mkdir()
    (site_folder / "page.html").write_text(PAGE, encoding="utf-8")
    secret = tmp_path / "secret.html"
    secret.write_text(PAGE.replace("Fietstas Urban", SECRET), encoding="utf-8")
    (site_folder / "sitemap.xml").write_text(
        _urlset(
            "page.html",
            "../secret.html",
            secret.as_uri(),
            str(secret),
            "file:///etc/passwd",
            "sub/../../secret.html",
        ),
        encoding="utf-8",
    )
    code, report, _ = report_of(str(site_folder / "sitemap.xml"))
    pages = pages_of(report)
    assert pages[0]["page_type"] == "product" and pages[0].get("error") is None
    refused = pages[1:]
    assert len(refused) == 5
    assert all("outside the sitemap's folder" in str(page["error"]) for page in refused)
    assert SECRET not in json.dumps(report) and "root:" not in json.dumps(report)
    assert code == 2


def test_remote_sitemap_cannot_name_local_files(public_site: _Site) -> None:
    public_site.page("/sitemap.xml", _urlset("file:///etc/passwd", "/good"))
    public_site.page("/good")
    _, report, _ = report_of(f"{public_site.url}/sitemap.xml")
    pages = pages_of(report)
    errors = [str(page["error"]) for page in pages if page.get("error")]
    assert errors == [
        f"sitemap {public_site.url}/sitemap.xml: <loc> 'file:///etc/passwd' is not an http(s) URL"
    ]
    assert "root:" not in json.dumps(report)
    assert any(page["target"] == f"{public_site.url}/good" for page in pages)


def test_sitemap_entities_cannot_pull_in_local_files(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    (tmp_path / "page.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "sitemap.xml").write_text(
        f'<?xml version="1.0"?><!DOCTYPE u [<!ENTITY e SYSTEM "{secret.as_uri()}">]>'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<url><loc>page.html&e;</loc></url></urlset>",
        encoding="utf-8",
    )
    _, out, _ = run(str(tmp_path / "sitemap.xml"), "--format", "json")
    assert SECRET not in out


def test_file_urls_with_spaces_and_percent_escapes_are_read(tmp_path: Path) -> None:
    folder = tmp_path / "my shop 100%"
    folder.mkdir()
    one, two = folder / "page one.html", folder / "page #2.html"
    for page in (one, two):
        page.write_text(PAGE, encoding="utf-8")
    (folder / "sitemap.xml").write_text(_urlset("page%20one.html", two.as_uri()), encoding="utf-8")
    assert "%20" in two.as_uri() and "%25" in two.as_uri() and "%23" in two.as_uri()
    report = check_pages([one.as_uri(), str(folder / "sitemap.xml")])
    names = [Path(p.target).name for p in report.pages]
    assert names == ["page one.html", "page one.html", "page #2.html"]
    assert [p.error for p in report.pages] == [None, None, None]
    assert all(p.page_type == "product" for p in report.pages)


def test_gzip_pages_in_a_directory_are_read(tmp_path: Path) -> None:
    (tmp_path / "plain.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "packed.html.gz").write_bytes(gzip.compress(PAGE.encode()))
    report = check_pages([str(tmp_path)])
    assert sorted(Path(p.target).name for p in report.pages) == ["packed.html.gz", "plain.html"]
    assert all(p.error is None and p.page_type == "product" for p in report.pages)


def test_corrupt_gzip_page_is_an_error_entry_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / "broken.html.gz").write_bytes(gzip.compress(PAGE.encode())[:40] + b"\x00" * 40)
    (tmp_path / "two-members.html.gz").write_bytes(
        gzip.compress(PAGE[:200].encode()) + gzip.compress(PAGE[200:].encode())
    )
    report = check_pages([str(tmp_path)])
    broken, joined = report.pages
    assert broken.error is not None and "corrupt" in broken.error
    assert joined.error is None and joined.page_type == "product"  # concatenated members


def test_gzip_bomb_page_is_refused_within_the_page_limit(tmp_path: Path) -> None:
    (tmp_path / "bomb.html.gz").write_bytes(gzip.compress(b"<html>" + b" " * 50_000_000))
    report = check_pages([str(tmp_path)], config=CheckConfig(max_page_bytes=1_000_000))
    error = report.pages[0].error
    assert error is not None and "decompresses to more than 1.0 MB" in error


# --- memory ------------------------------------------------------------------------------------


@pytest.mark.parametrize("jobs", [1, 2])
def test_pages_are_checked_as_they_arrive_not_all_fetched_first(
    site: _Site, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    """When the k-th page is handed over to be checked, at most a few more have been fetched.

    The checker once fetched every page before checking any, holding them all in memory.
    """
    count = 40
    for number in range(count):
        site.page(f"/p{number}", PAGE)
    served_at_handover: list[int] = []
    real = iter_sources

    def watched(*args: object, **kwargs: object) -> Iterator[object]:
        for item in real(*args, **kwargs):  # type: ignore[arg-type]
            served_at_handover.append(len(site.hits))
            yield item

    monkeypatch.setattr(engine_module, "iter_sources", watched)
    config = CheckConfig(fetch=FetchSettings(allow_private=True, concurrency=2))
    report = check_pages([f"{site.url}/p{n}" for n in range(count)], config=config, jobs=jobs)
    assert [page.target for page in report.pages] == [f"{site.url}/p{n}" for n in range(count)]
    assert all(page.error is None for page in report.pages)
    window = 2 * config.fetch.concurrency
    assert len(served_at_handover) == count
    assert all(
        served <= handed + window for handed, served in enumerate(served_at_handover, start=1)
    )


# --- what a page can put into the output -------------------------------------------------------

NASTY = "\x1b[2J\x1b]0;pwned\x07\x08\x00\u202e"


def test_control_characters_from_a_page_reach_no_output_format(tmp_path: Path) -> None:
    nasty_page = (
        PAGE.replace("Fietstas Urban", f"Fietstas{NASTY} Urban")
        .replace("Voor 16:00 besteld", f"Voor 16:00{NASTY} besteld")
        .replace("<button>", f"<!-- defenceline-disable nonsense{NASTY} --><button>")
    )
    (tmp_path / f"evil{NASTY[:4]}.html").write_text(nasty_page, encoding="utf-8")
    (tmp_path / "bad.html").write_text(
        f"<html lang='en'><body><p>{'A mug for every morning. ' * 40}</p><h1>Mug{NASTY}</h1>"
        f"<p>£12.50{NASTY}</p>"
        f"<button>Add to cart{NASTY}</button><p>Only 2 left{NASTY}!</p></body></html>",
        encoding="utf-8",
    )
    report = check_pages([str(tmp_path)])
    assert len(report.pages) == 2
    assert any(page.findings for page in report.pages)
    outputs = {
        "text": render_text(report, verbose=True),
        "json": render_json(report),
        "junit": render_junit(report),
        "sarif": render_sarif(report),
        "html": render_html(report),
    }
    for name, output in outputs.items():
        # The text format colours its own words (ESC [ ... m); nothing else may reach a terminal.
        for unwanted in ("\x1b[2J", "\x1b]", "\x07", "\x08", "\x00", "\u202e"):
            assert unwanted not in output, (name, unwanted)
        if name != "text":
            assert "\x1b" not in output, name
    ElementTree.fromstring(outputs["junit"].encode())  # valid XML
    assert "besteld, morgen in huis" in outputs["text"]  # the evidence is kept, only cleaned
    code, out, _ = run(str(tmp_path), "--format", "junit")
    ElementTree.fromstring(out.encode())
    assert code in (0, 1)


def test_tab_and_newline_survive_in_evidence() -> None:
    from defenceline.checks.report import printable

    assert printable("a\tb\nc\x08d\x1b[0m") == "a\tb\ncd[0m"


def test_random_binary_file_with_an_html_name_is_unreadable_not_scored(tmp_path: Path) -> None:
    noise = random.Random(12).randbytes(50_000)
    (tmp_path / "noise.html").write_bytes(noise)
    code, report, _ = report_of(str(tmp_path / "noise.html"))
    [page] = pages_of(report)
    assert page["score"] is None
    assert "unreadable" in str(page["error"]) or "not an HTML page" in str(page["error"])
    assert code == 2


def test_page_that_decodes_to_replacement_characters_is_unreadable() -> None:
    data = b'<html><head><meta charset="ascii"></head><body>' + bytes(range(128, 256)) * 40
    page = check_html(data, "mojibake.html")
    assert page.score is None
    assert page.error is not None and page.error.startswith("unreadable:")
