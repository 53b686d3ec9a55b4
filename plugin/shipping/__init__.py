"""Orders, shipments and carrier events: what the shop promised and what happened (issue 14).

`records` holds the tables, `statuses` the shipment status vocabulary and its mapping from
tracking services, `service` the Python API that records them idempotently, `routes` the
JSON API, `importing` and `commands` the import of past deliveries. See docs/shipping.md.
"""
