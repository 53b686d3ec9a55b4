"""Benchmark: a large knowledge base built by our scaffold vs plain mkdocs-material.

Claim (issue 6): keeping knowledge-base articles out of the global navigation makes a build
linear in the number of articles. The same run builds

1. ours: the `defenceline helpcentre new` scaffold plus N generated articles (~400 words each,
   20 categories), built with `build_site` (macros, the defenceline plugin and its checks,
   category index pages);
2. baseline: plain mkdocs-material (search and blog plugins, the same theme features) with the
   same Markdown and every article in the navigation, as an MkDocs site usually lists pages;
3. ours again with the large N.

Targets: ours at least 4x faster than the baseline at N articles, and ours at the large N
within 6x of ours at N (5x the articles). Each build runs in a fresh Python process, so both
pay the same start-up. Run: ``python benchmarks/helpcentre.py [--articles 1000] [--large 5000]``.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POLICY = ROOT / "examples" / "demo-shop" / "store.toml"
CATEGORIES = 20
DEFENCELINE = Path(sys.executable).parent / "defenceline"

_WORDS = """
fiets band ventiel lamp accu zadel ketting remmen tas regen jas helm slot trapper wiel
kabel montage onderhoud garantie levering bestelling retour pakket adres maat kleur
materiaal licht stevig waterdicht handig snel rustig veilig klein groot nieuw oud
controleer draai zet maak gebruik kies bewaar vervang reinig smeer span meet pas
altijd eerst daarna soms vaak nooit meestal bijna precies even goed vooral ook nog
de het een van voor met op in aan bij na om tot over onder zonder door je we ze
""".split()  # noqa: SIM905 - a word list reads better as text


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(8, 16))]
    return " ".join(words).capitalize() + "."


def _article(rng: random.Random, number: int) -> tuple[str, str]:
    title = f"Artikel {number}: {' '.join(rng.choice(_WORDS) for _ in range(3))}"
    paragraphs = []
    words = 0
    while words < 400:
        paragraph = " ".join(_sentence(rng) for _ in range(rng.randint(3, 6)))
        words += len(paragraph.split())
        paragraphs.append(paragraph)
    body = f"# {title}\n\n" + "\n\n".join(paragraphs) + "\n"
    front = (
        f'---\ntitle: "{title}"\ndescription: "{_sentence(rng)}"\n'
        "reviewed: 2026-06-01\nreview_by: 2099-01-01\n---\n\n"
    )
    return title, front + body


def make_source(base: Path, articles: int) -> Path:
    """Our scaffold with `articles` generated articles in 20 categories."""
    source = base / "ours"
    subprocess.run(
        [str(DEFENCELINE), "helpcentre", "new", str(source),
         "--policy", str(POLICY), "--language", "nl"],
        check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    rng = random.Random(articles)
    for number in range(articles):
        category = source / "docs" / "kb" / f"onderwerp-{number % CATEGORIES:02d}"
        category.mkdir(parents=True, exist_ok=True)
        _, text = _article(rng, number)
        (category / f"artikel-{number:05d}.md").write_text(text, encoding="utf-8")
    return source


def make_baseline(base: Path, ours: Path) -> Path:
    """Plain mkdocs-material over the same Markdown, with every article in the navigation."""
    baseline = base / "baseline"
    baseline.mkdir()
    docs = baseline / "docs"
    subprocess.run(["cp", "-r", str(ours / "docs"), str(docs)], check=True)
    lines = [
        "site_name: baseline",
        "docs_dir: docs",
        "theme:",
        "  name: material",
        "  language: nl",
        "  features: [navigation.instant, navigation.tabs, search.suggest, search.highlight]",
        "plugins:",
        "  - search",
        "  - blog",
        "markdown_extensions: [attr_list, md_in_html, tables, admonition]",
        "nav:",
        "  - index.md",
        "  - FAQ:",
        *(f"      - faq/{p.name}" for p in sorted((docs / "faq").glob("*.md"))),
        "  - Kennisbank:",
        "      - kb/index.md",
    ]
    for category in sorted(p for p in (docs / "kb").iterdir() if p.is_dir()):
        lines.append(f"      - {category.name}:")
        lines.extend(
            f"          - kb/{category.name}/{page.name}" for page in sorted(category.glob("*.md"))
        )
    lines += ["  - blog/index.md", "  - manifesto.md", "  - contact.md", ""]
    (baseline / "mkdocs.yml").write_text("\n".join(lines), encoding="utf-8")
    return baseline


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"build failed: {' '.join(command)}\n{done.stdout}\n{done.stderr}")
    return elapsed


def build_ours(source: Path, out: Path) -> float:
    return timed(
        [str(DEFENCELINE), "helpcentre", "build", str(source),
         "--site-dir", str(out)]
    )  # fmt: skip


def build_baseline(source: Path, out: Path) -> float:
    return timed(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(source / "mkdocs.yml"),
         "-d", str(out)]
    )  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--large", type=int, default=5000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="helpcentre-bench-") as tmp:
        base = Path(tmp)
        small = make_source(base / "small", args.articles)
        baseline = make_baseline(base / "small", small)
        ours_small = build_ours(small, base / "out-ours")
        plain = build_baseline(baseline, base / "out-baseline")
        large = make_source(base / "large", args.large)
        ours_large = build_ours(large, base / "out-ours-large")
    speedup = plain / ours_small
    growth = ours_large / ours_small
    print(f"{args.articles} articles, {CATEGORIES} categories, ~400 words each")
    print(f"  ours (scaffold, articles via category pages): {ours_small:7.1f} s")
    print(f"  baseline (mkdocs-material, all in the nav):  {plain:7.1f} s")
    print(f"  speed-up: {speedup:.1f}x (target >= 4x)")
    print(f"{args.large} articles")
    factor = args.large / args.articles
    print(f"  ours: {ours_large:7.1f} s, {growth:.1f}x the time for {factor:.0f}x the articles")
    print("  (target <= 6x)")
    ok = speedup >= 4 and growth <= 6
    print("targets met" if ok else "TARGETS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
