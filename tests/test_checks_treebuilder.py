"""The checker's own tree builder makes exactly the tree `BeautifulSoup(html, "lxml")` makes."""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup, Tag

from defenceline.checks.treebuilder import parse_html

CORPUS = Path(__file__).parent / "checks_corpus"
_LINKS = ("parent", "next_element", "previous_element", "next_sibling", "previous_sibling")


def _shape(soup: BeautifulSoup) -> list[list[Any]]:
    """Every node in document order: its class, name, attributes (with their value classes),
    string, the per-tag settings Beautiful Soup reads, and where each link points."""
    nodes: list[Any] = [soup, *soup.descendants]
    position = {id(node): index for index, node in enumerate(nodes)}
    rows: list[list[Any]] = []
    for node in nodes:
        row: list[Any] = [type(node).__name__]
        if isinstance(node, Tag):
            row += [
                node.name,
                [(key, type(value).__name__, value) for key, value in node.attrs.items()],
                type(node.attrs).__name__,
                node.can_be_empty_element,
                node.hidden,
                sorted(kind.__name__ for kind in node.interesting_string_types or ()),
                node.preserve_whitespace_tags,
                node.cdata_list_attributes,
                node.prefix,
                node.namespace,
                node.known_xml,
                node.parser_class,
            ]
        else:
            row += [str(node), node.hidden]
        for link in _LINKS:
            target = getattr(node, link, None)
            row.append(None if target is None else position.get(id(target), "outside"))
        rows.append(row)
    return rows


def _assert_same_tree(html: str) -> None:
    expected = _shape(BeautifulSoup(html, "lxml", multi_valued_attributes=None))
    built = _shape(parse_html(html))
    for index, (want, got) in enumerate(zip(expected, built, strict=False)):
        assert got == want, f"node {index} differs"
    assert len(built) == len(expected)


EDGE_CASES = [
    "<!DOCTYPE html>\n<html>\n<head><title>t</title></head>\n<body>\n<p>a</p>\n</body>\n</html>\n",
    "<html><body>x</body></html>\n\n  ",
    "<html><body>x</body></html>tail text",
    "<html><body>x</body></html>\n<!-- after -->\n",
    "<html><body>x</body></html><p>late</p>",
    "<!-- before --><!DOCTYPE html><html><body>x</body></html>",
    "<!DOCTYPE html PUBLIC '-//W3C//DTD XHTML 1.0 Strict//EN' 'http://www.w3.org/TR/x.dtd'><p>x",
    "<?xml version='1.0'?><html><body><?php echo 1 ?>x</body></html>",
    "just text",
    "",
    " ",
    "\ufeff<p>a byte order mark</p>",
    "<p>a<p>b<table><tr><td>c</table>",
    "<pre>\n  kept   \n</pre><textarea>  \n </textarea><div>  <span> </span>\t</div>",
    "<template><p>in <b>a template</b></p><script>s()</script>after</template>tail",
    "<ruby>漢<rp>(</rp><rt>kan</rt><rp>)</rp></ruby>",
    "<svg xmlns:xlink='http://www.w3.org/1999/xlink'><use xlink:href='#a'/></svg>",
    "<meta charset='utf-8'><meta http-equiv='Content-Type' content='text/html; charset=utf-8'>",
    "<p xml:lang='en'>&amp; &nbsp; &unknown; &#x1F600;</p><![CDATA[ x ]]>",
    "<p><!----><!-- --></p><script>if (a < b && c > d) {}</script><style>p>q{}</style>",
    "<input disabled><option selected>x<input disabled='disabled' hidden itemscope>",
    "<a href='x'>1</a><a href='y' HREF='z'>2</a></p>stray end<body>second body</body>",
    "<html><body>x</body>\n</html>\n</html>\n\n",
    "<frameset><frame></frameset><noscript><p>no script</p></noscript>",
]


@pytest.mark.parametrize("html", EDGE_CASES)
def test_tree_is_beautiful_soups_on_edge_cases(html: str) -> None:
    _assert_same_tree(html)


def _corpus_pages() -> list[Path]:
    written = sorted(path for path in CORPUS.rglob("*.html") if "web" not in path.parts)
    web = sorted(CORPUS.glob("web/batch_*/*.html.gz"))
    return written + web[::9]  # every written page and a spread of the web corpus's platforms


@pytest.mark.parametrize("path", _corpus_pages(), ids=lambda path: path.name)
def test_tree_is_beautiful_soups_on_corpus_pages(path: Path) -> None:
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    _assert_same_tree(data.decode("utf-8", "replace"))
