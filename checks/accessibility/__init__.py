"""Accessibility: what a shopper with a disability meets first on a product page.

Four rules read the page's one parse: product photos without a text alternative
(`access-product-image-alt`), buy and option controls without an accessible name
(`access-control-name`), form fields without a label (`access-form-label`) and a page that does
not say its language (`access-page-lang`). `names` computes accessible names as assistive
technology does in the common cases. They are a first look, not an audit: every rule's page
points to axe-core in a browser for the full WCAG 2.1 AA audit.
"""

from __future__ import annotations

from defenceline.checks.accessibility import rules
from defenceline.checks.accessibility.names import AccessibleNames, names_for

__all__ = ["AccessibleNames", "names_for", "rules"]
