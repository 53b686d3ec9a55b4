"""Carts: the cart summary widget priced from the catalogue (`quote`, `routes`) and the carts a
storefront tells the plugin about for abandoned-cart reminders (`tracking`)."""
