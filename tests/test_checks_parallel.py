"""`check_pages(jobs=N)` over local files: worker processes that take the next file themselves."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from defenceline.checks import CheckConfig, check_pages, engine
from defenceline.checks.report import PageReport
from defenceline.checks.sources import Source

PRODUCT = """<!DOCTYPE html><html lang="nl"><head><title>{name}</title></head><body><main>
<h1>{name}</h1><p class="price">€ {price},95</p><p>Op voorraad</p>
<form><button type="submit" name="add">In winkelwagen</button></form>
{padding}</main></body></html>"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    for number in range(12):
        page = PRODUCT.format(
            name=f"Mok {number}", price=10 + number, padding="<p>tekst</p>" * (number * 40)
        )
        (tmp_path / f"mok-{number:02d}.html").write_text(page, encoding="utf-8")
    (tmp_path / "leeg.html").write_text("   ", encoding="utf-8")
    return tmp_path


def _pages(report: object) -> list[dict[str, object]]:
    return [page.to_dict() for page in report.pages]  # type: ignore[attr-defined]


def test_two_workers_report_every_file_as_one_process_does(folder: Path) -> None:
    calls: list[tuple[int, int]] = []
    one = check_pages([str(folder)], jobs=1)
    two = check_pages(
        [str(folder)], jobs=2, progress=lambda done, total: calls.append((done, total))
    )
    assert _pages(two) == _pages(one)
    assert [page.target for page in two.pages] == sorted(str(p) for p in folder.iterdir())
    assert calls == [(done, 13) for done in range(1, 14)]
    assert any(page.error and "empty" in page.error for page in two.pages)


def test_a_worker_that_dies_leaves_an_error_entry_and_the_others_finish(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = engine.check_source

    def dies_on_one_page(
        source: Source, config: CheckConfig, policy: object, page_type: str
    ) -> PageReport:
        if source.target.endswith("mok-05.html"):
            os._exit(3)  # as the kernel's out-of-memory killer would end it
        return real(source, config, None, page_type)

    monkeypatch.setattr(engine, "check_source", dies_on_one_page)  # the forks inherit it
    report = check_pages([str(folder)], jobs=2)
    by_name = {Path(page.target).name: page for page in report.pages}
    assert len(by_name) == 13
    dead = by_name["mok-05.html"]
    assert dead.error is not None and "ended unexpectedly" in dead.error and "3" in dead.error
    finished = [
        page for name, page in by_name.items() if name.startswith("mok-") and name != "mok-05.html"
    ]
    assert all(page.error is None and page.page_type == "product" for page in finished)
