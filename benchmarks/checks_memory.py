#!/usr/bin/env python3
"""Benchmark: the checker's peak memory does not grow with the number of pages it fetches.

Serves pages of about 1 MB from a local HTTP server (each: ~100 KB of product-page markup from
`benchmarks/checks.py` plus ~900 KB of embedded hydration JSON, as headless storefronts ship
them) and measures, in a fresh process per run, the peak resident memory (ru_maxrss) of:

1. `check_pages(urls)`, which checks each page as it arrives and then drops it, and
2. the baseline: how the checker worked before, fetching every page into memory first
   (`expand_targets`, which still does that for a handful of pages) and then checking them.

each for 100 and for 1,000 pages. Target: the checker's peak for 1,000 pages within 1.2x of
its peak for 100; the baseline grows by about 1 MB a page.

    python benchmarks/checks_memory.py [--pages 100 1000] [--skip-baseline]
"""

from __future__ import annotations

import argparse
import http.server
import json
import random
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

_VARIANTS = 8


def make_pages(count: int = _VARIANTS) -> list[bytes]:
    """A few distinct ~1 MB pages; page n of a run is variant n % count with its number in it."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from checks import WORDS, make_page  # the speed benchmark's realistic product pages

    rng = random.Random(21)
    pages = []
    for index in range(count):
        markup = make_page(index, rng, 100)
        reviews = [
            {"id": n, "rating": rng.randint(1, 5), "body": " ".join(rng.choices(WORDS, k=30))}
            for n in range(3_200)
        ]
        state = json.dumps({"props": {"pageProps": {"reviews": reviews}}})
        script = f'<script id="__NEXT_DATA__" type="application/json">{state}</script>'
        pages.append(markup.replace("</body>", script + "</body>").encode())
    return pages


class _Server:
    """Serves /p<n> (variant n % len(pages)) on 127.0.0.1 until closed."""

    def __init__(self, pages: list[bytes]) -> None:
        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                number = int(self.path.removeprefix("/p") or 0)
                body = pages[number % len(pages)].replace(b"<title>", b"<title>%d " % number, 1)
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def child(mode: str, base: str, count: int) -> None:
    """One measured run, in its own process; prints its result as one JSON line."""
    from defenceline.checks import CheckConfig, check_pages
    from defenceline.checks.config import FetchSettings
    from defenceline.checks.engine import check_source
    from defenceline.checks.sources import expand_targets

    config = CheckConfig(fetch=FetchSettings(allow_private=True))
    urls = [f"{base}/p{number}" for number in range(count)]
    start = time.perf_counter()
    if mode == "streaming":
        report = check_pages(urls, config=config)
        errors = sum(1 for page in report.pages if page.error is not None)
    else:
        sources = expand_targets(urls, config.fetch)  # every page in memory, then checked
        reports = [check_source(source, config, None, "auto") for source in sources]
        errors = sum(1 for page in reports if page.error is not None)
    seconds = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_SELF)
    peak = usage.ru_maxrss * 1024  # Linux reports kilobytes
    cpu = usage.ru_utime + usage.ru_stime  # on a shared machine, wall time mostly measures others
    print(json.dumps({"peak": peak, "seconds": seconds, "cpu": cpu, "errors": errors}))


def measure(mode: str, base: str, count: int) -> dict[str, float]:
    output = subprocess.run(
        [sys.executable, __file__, "--child", mode, "--url", base, "--pages", str(count)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    result: dict[str, float] = json.loads(output.strip().splitlines()[-1])
    if result["errors"]:
        raise SystemExit(f"{mode} run with {count} pages had {result['errors']:.0f} errors")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--pages", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--skip-baseline", action="store_true")
    parser.add_argument("--child", choices=["streaming", "baseline"], help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.url, args.pages[0])
        return
    pages = make_pages()
    sizes = [len(page) for page in pages]
    print(f"pages of {min(sizes) / 1e6:.2f}-{max(sizes) / 1e6:.2f} MB from a local server")
    server = _Server(pages)
    modes = ["streaming"] if args.skip_baseline else ["streaming", "baseline"]
    peaks: dict[tuple[str, int], float] = {}
    try:
        for count in args.pages:
            for mode in modes:
                result = measure(mode, server.url, count)
                peaks[mode, count] = result["peak"]
                label = (
                    "check_pages (as they arrive)"
                    if mode == "streaming"
                    else ("baseline (all fetched first)")
                )
                print(
                    f"{label:30} {count:5} pages: peak RSS {result['peak'] / 1e6:7.1f} MB, "
                    f"{result['seconds']:6.1f} s ({result['cpu']:.1f} s CPU)"
                )
    finally:
        server.close()
    low, high = min(args.pages), max(args.pages)
    for mode in modes:
        ratio = peaks[mode, high] / peaks[mode, low]
        target = "  (target <= 1.2x)" if mode == "streaming" else ""
        print(f"{mode}: peak for {high} pages / peak for {low} pages = {ratio:.2f}x{target}")


if __name__ == "__main__":
    main()
