"""What the help centre adds to Material's pages so that they pass WCAG 2.1 AA (axe-core).

Material for MkDocs leaves a few things for the site to do, and the plugin does them on every
built page (`accessible_page`, from `on_post_page`); the colours are in ``helpcentre.css``:

- the search dialog (``role="dialog"``) gets an accessible name (axe: ``aria-dialog-name``);
- a blog excerpt's "continue reading" link sits in an unnamed ``<nav>``: with several posts a
  page has several identical navigation landmarks (``landmark-unique``), so it becomes a plain
  block; a blog post's sidebar (date, back link) is a navigation landmark and gets a name;
- labels Material has no translation for in the site's language ("Header", "Tabs" in Dutch)
  are given ours, so a screen reader never switches to English halfway through a page.

Each is a fixed string replacement on Material's own markup (no HTML parse per page, so builds
stay as fast as before); when Material changes that markup, `tests/test_helpcentre_a11y.py`
fails with axe's rule id.
"""

from __future__ import annotations

import re
from html import escape

from defenceline.helpcentre.messages import Messages

__all__ = ["accessible_page"]

_SEARCH_DIALOG = re.compile(r'(<div class="md-search"[^>]*?role="dialog")(?![^>]*aria-label)')
_POST_ACTION = re.compile(r'<nav class="md-post__action">(.*?)</nav>', re.DOTALL)
# A blog post's sidebar; the site's own primary navigation carries attributes (aria-label).
_POST_SIDEBAR = '<nav class="md-nav md-nav--primary">'
# Material's landmark labels, and the message keys that say them in the site's language.
_UNTRANSLATED = {'aria-label="Header"': "header_label", 'aria-label="Tabs"': "tabs_label"}


def accessible_page(html: str, messages: Messages) -> str:
    """`html` (a page Material built) with the dialog named, blog actions out of the
    landmarks and every landmark label in the site's language."""
    label = escape(messages.get("search_dialog"))
    html = _SEARCH_DIALOG.sub(rf'\1 aria-label="{label}"', html, count=1)
    if "md-post__action" in html:
        html = _POST_ACTION.sub(r'<div class="md-post__action">\1</div>', html)
    if _POST_SIDEBAR in html:
        label = escape(messages.get("post_details"))
        html = html.replace(
            _POST_SIDEBAR, f'<nav class="md-nav md-nav--primary" aria-label="{label}">'
        )
    if messages.language != "en":
        for english, key in _UNTRANSLATED.items():
            if english in html:
                html = html.replace(english, f'aria-label="{escape(messages.get(key))}"')
    return html
