"""Throughput of the delivery-estimate endpoint against a bare Flask route, same server.

Both routes live in one Flask app served by gunicorn (2 sync workers) on 127.0.0.1; the bare
route returns a JSON dict of the same size as the estimate. The load comes from `wrk` (Debian's
package; `apt-get install wrk`), bounded in time and connections, alternating the two routes
several times so that noise hits both alike. The claim: ours keeps at least half of the bare
route's requests per second. Run: `.venv/bin/python benchmarks/widgets.py`.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECONDS = 5
ROUNDS = 3
CONNECTIONS = 8

APP = textwrap.dedent(
    """
    import datetime as dt
    import json
    import os

    from flask import Flask, jsonify

    from defenceline.plugin import DefenceLine

    app = Flask("bench", instance_path=os.environ["BENCH_DIR"])
    app.config.update(
        DEFENCELINE_POLICY=os.environ["BENCH_POLICY"],
        DEFENCELINE_DATABASE_URL="sqlite:///" + os.path.join(os.environ["BENCH_DIR"], "db.sqlite3"),
    )
    DefenceLine(app)
    SAME_SIZE = json.loads(os.environ["BENCH_BARE_BODY"])


    @app.get("/bare")
    def bare():
        return jsonify(SAME_SIZE)
    """
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wrk(url: str) -> float:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise SystemExit(f"{url}: {errors.group(1)} error responses\n{out}")
    match = re.search(r"Requests/sec:\s+([\d.]+)", out)
    assert match, out
    return float(match.group(1))


def main() -> None:
    if shutil.which("wrk") is None:
        sys.exit("benchmarks/widgets.py needs wrk: apt-get install wrk")
    folder = Path(tempfile.mkdtemp(prefix="defenceline-bench-"))
    (folder / "bench_app.py").write_text(APP, encoding="utf-8")
    policy = ROOT / "examples" / "demo-shop" / "store.toml"

    # Fill the catalogue once, before the workers start.
    from flask import Flask

    from defenceline.demoshop.catalogue import demo_products
    from defenceline.plugin import DefenceLine, SqlCatalogue, state

    setup = Flask("setup", instance_path=str(folder))
    setup.config.update(
        DEFENCELINE_POLICY=str(policy),
        DEFENCELINE_DATABASE_URL=f"sqlite:///{folder / 'db.sqlite3'}",
    )
    DefenceLine(setup)
    with setup.app_context():
        catalogue = state().catalogue
        assert isinstance(catalogue, SqlCatalogue)
        catalogue.replace_products(demo_products(dt.date.today()))

    ours_path = "/defenceline/api/v1/delivery-estimate?sku=BELL-BLK&country=DE&lang=nl"
    with setup.test_client() as client:
        sample = client.get(ours_path).json
    # A dict of the same number of keys, padded to the same serialised size.
    target = len(json.dumps(sample, ensure_ascii=False, separators=(",", ":")))
    same_size = {f"k{i}": "x" for i in range(len(sample))}
    base_size = len(json.dumps(same_size, separators=(",", ":")))
    same_size["k0"] = "x" * (1 + target - base_size)
    bare_body = json.dumps(same_size)

    port = _free_port()
    env = dict(
        os.environ,
        BENCH_DIR=str(folder),
        BENCH_POLICY=str(policy),
        BENCH_BARE_BODY=bare_body,
    )
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [str(gunicorn), "-w", "2", "-b", f"127.0.0.1:{port}", "--chdir", str(folder),
         "--log-level", "warning", "bench_app:app"],
        env=env,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(base + ours_path) as response:
                    ours_size = len(response.read())
                with urllib.request.urlopen(base + "/bare") as response:
                    bare_size = len(response.read())
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        _wrk(base + "/bare")  # warm both workers
        _wrk(base + ours_path)
        bare_runs, ours_runs = [], []
        for _ in range(ROUNDS):
            bare_runs.append(_wrk(base + "/bare"))
            ours_runs.append(_wrk(base + ours_path))
    finally:
        server.terminate()
        server.wait(timeout=20)
        shutil.rmtree(folder, ignore_errors=True)

    bare, ours = statistics.median(bare_runs), statistics.median(ours_runs)
    print(f"gunicorn 2 sync workers, wrk {CONNECTIONS} connections, {SECONDS}s x {ROUNDS} rounds")
    print(f"bare Flask route ({bare_size} B JSON):     {bare:8.0f} req/s  {bare_runs}")
    print(f"delivery-estimate ({ours_size} B JSON):    {ours:8.0f} req/s  {ours_runs}")
    print(f"ratio ours / bare:                     {ours / bare:8.2f}  (target >= 0.50)")


if __name__ == "__main__":
    main()
