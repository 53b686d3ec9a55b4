"""defenceline.checks: checks product, cart and checkout pages against the defence-line
checklist and reports each finding with evidence."""
