"""defenceline.plugin: the Flask extension a storefront embeds (stock, delivery-time and cart
widgets; abandoned-cart and back-in-stock emails)."""
