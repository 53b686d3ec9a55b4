"""Rules for product pages: the outer flank of the defence line.

Most avoidable questions start on a product page: photos that mislead, missing sizes or
materials, a price without shipping, no delivery time, stock that turns out to be gone after
checkout, a return policy nobody can find. Each rule here checks one of those, on the visible
page first and in the structured data search engines read.
"""

from __future__ import annotations

# Importing a group registers its rules, in this order (the order of the rule reference).
# isort: off
from defenceline.checks.product_rules import presentation
from defenceline.checks.product_rules import visibility
from defenceline.checks.product_rules import trust
from defenceline.checks.product_rules import markup
from defenceline.checks.product_rules import policy

# isort: on

__all__ = ["markup", "policy", "presentation", "trust", "visibility"]
