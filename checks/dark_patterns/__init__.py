"""Dark patterns: tricks that push shoppers and cost trust (and, in the EU, break the law).

One module per category of the taxonomy that page text can reveal (Mathur et al., "Dark
Patterns at Scale", 2019; the European Commission's 2022 sweep; the Dutch ACM's guidelines on
online persuasion; the FTC's 2022 staff report "Bringing Dark Patterns to Light"):

- `urgency`: countdown timers, limited-time messages;
- `scarcity`: low-stock and high-demand messages;
- `social`: counts of viewers and buyers, activity notifications;
- `misdirection`: confirmshaming, pre-selected options, trick questions;
- `sneaking`: hidden costs, sneak into basket;
- `forced`: forced registration.

Each module keeps its own vocabulary in seven languages (`phrases` explains how it stays
cheap). Where the page itself proves the trick (a deadline computed from page-load time, a
number drawn from Math.random, a claim the structured data contradicts) the finding is an
error; where only a person can verify the claim, it is a warning to check.
"""

# ruff: noqa: I001
from __future__ import annotations

# Importing the modules registers their rules; the rule reference lists them in this order
# (social proof first: scarcity and urgency read its counts to leave them to it).
from defenceline.checks.dark_patterns import social, scarcity, urgency
from defenceline.checks.dark_patterns import misdirection, sneaking, forced

__all__ = ["forced", "misdirection", "scarcity", "sneaking", "social", "urgency"]
