"""defenceline: a webshop's customer-service defence line.

The shop writes its promise once, in `store.toml`; every part of defenceline shows it and
checks it. This core package holds what all parts share: the policy model and its loader,
money, business days, delivery estimates, cart quotes, structured data, the rule and finding
shapes every checking part uses (`defenceline.rules`) and the reader of promises in prose
(`defenceline.promises`). It imports none of the parts (docs/architecture.md).
"""

from __future__ import annotations

from defenceline.businessdays import DateOutOfRange
from defenceline.delivery import DeliveryEstimate, EstimateStatus, estimate_delivery
from defenceline.policy import Policy
from defenceline.policyfile import PolicyError, load_policy, parse_policy
from defenceline.quote import CartLine, Quote, QuoteInputError, QuoteStatus, quote_cart

__all__ = [
    "CartLine",
    "DateOutOfRange",
    "DeliveryEstimate",
    "EstimateStatus",
    "Policy",
    "PolicyError",
    "Quote",
    "QuoteInputError",
    "QuoteStatus",
    "estimate_delivery",
    "load_policy",
    "parse_policy",
    "quote_cart",
]

__version__ = "0.1.0"
