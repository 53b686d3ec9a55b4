"""defenceline.manifesto: the shop's written promise, validated against the store policy and
rendered for the storefront and the help centre."""
