"""Kettingblad: an existing Flask shop that adds defenceline (docs/embedding.md walks through it).

Built as most Flask shops are: its own Flask-SQLAlchemy models and database, Flask-WTF's global
`CSRFProtect`, Flask-Babel with the shopper's language kept in the session, a Bootstrap-like
stylesheet with global resets, and its own cart in the session. defenceline reads products
through `catalogue.ShopCatalogue`, is told about stock changes with `dl.stock_changed(...)`
and about carts and orders with `dl.track_cart(...)` / `dl.cart_ordered(...)`.

Run it::

    cd examples/host-shop
    FLASK_APP=hostshop flask shop seed
    FLASK_APP=hostshop flask run
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import click
from flask import Flask, abort, redirect, render_template, request, session, url_for
from flask.cli import AppGroup
from flask_babel import Babel, get_locale
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import select
from werkzeug.wrappers import Response

from defenceline.plugin import DefenceLine

from .cart import add_to_cart, clear_cart, current_cart
from .catalogue import ShopCatalogue
from .models import Product, db

__all__ = ["LANGUAGES", "create_app", "dl", "seed"]

HERE = Path(__file__).resolve().parent
LANGUAGES = ("nl", "en", "de")

csrf = CSRFProtect()
babel = Babel()
dl = DefenceLine()


def select_locale() -> str | None:
    """The shop's own rule: the language the shopper picked, else the browser's."""
    return session.get("locale") or request.accept_languages.best_match(LANGUAGES)


def create_app(**config: Any) -> Flask:
    app = Flask(__name__, instance_path=config.pop("instance_path", None))
    app.config.update(
        SECRET_KEY="change me: the shop's session and CSRF secret",
        SQLALCHEMY_DATABASE_URI="sqlite:///kettingblad.sqlite3",
        BABEL_DEFAULT_LOCALE="nl",
        # defenceline: the shop's policy, its own catalogue, where emails link to.
        DEFENCELINE_POLICY=str(HERE.parent / "store.toml"),
        DEFENCELINE_CATALOGUE=ShopCatalogue(),
        DEFENCELINE_PUBLIC_URL="https://kettingblad.example",
        DEFENCELINE_PRODUCT_URL="https://kettingblad.example/products/{product_id}",
        DEFENCELINE_CART_URL="https://kettingblad.example/cart",
        DEFENCELINE_MAIL_URL="console",
    )
    app.config.update(config)
    db.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.globals["get_locale"] = get_locale
    dl.init_app(app)  # after or before the others: it finds CSRFProtect and Flask-Babel
    _routes(app)
    app.cli.add_command(shop)
    return app


def _routes(app: Flask) -> None:
    @app.get("/")
    def index() -> str:
        products = db.session.execute(select(Product).order_by(Product.title)).scalars()
        return render_template("index.html", products=list(products))

    @app.get("/products/<int:product_id>")
    def product(product_id: int) -> str:
        return render_template("product.html", product=db.get_or_404(Product, product_id))

    @app.post("/cart/add")
    def cart_add() -> Response:
        sku = request.form.get("sku", "")
        if db.session.execute(select(Product).where(Product.sku == sku)).first() is None:
            abort(404)
        cart = add_to_cart(sku, max(1, request.form.get("quantity", 1, type=int) or 1))
        dl.track_cart(cart.id, cart.lines, locale=select_locale())
        return redirect(url_for("cart_page"))

    @app.get("/cart")
    def cart_page() -> str:
        return render_template("cart.html", cart=current_cart())

    @app.post("/checkout")
    def checkout() -> Response:
        cart = current_cart()
        for item in cart.items:
            row = db.session.execute(select(Product).where(Product.sku == item.sku)).scalar_one()
            row.stock = max(0, row.stock - item.quantity)
        db.session.commit()
        dl.cart_ordered(cart.id)
        for item in cart.items:
            row = db.session.execute(select(Product).where(Product.sku == item.sku)).scalar_one()
            dl.stock_changed(item.sku, row.stock)
        clear_cart()
        return redirect(url_for("index"))

    @app.post("/language")
    def language() -> Response:
        chosen = request.form.get("locale", "")
        if chosen in LANGUAGES:
            session["locale"] = chosen
        return redirect(request.referrer or url_for("index"))


shop = AppGroup("shop", help="The shop's own commands.")


@shop.command("seed")
def seed_command() -> None:
    """Create the shop's tables and a few products."""
    seed()


@shop.command("restock")
@click.argument("sku")
@click.argument("stock", type=int)
def restock_command(sku: str, stock: int) -> None:
    """Set a product's stock, as the shop's ERP import does (outside any request)."""
    row = db.session.execute(select(Product).where(Product.sku == sku)).scalar_one_or_none()
    if row is None:
        raise click.BadParameter(f"no product with SKU {sku!r}", param_hint="SKU")
    row.stock = stock
    db.session.commit()
    dl.stock_changed(sku, stock)


PRODUCTS = [
    Product(id=1, sku="CHAIN-11", title="11-speed chain", price=Decimal("34.95"), stock=25,
            weight_grams=260, image="chain.svg", summary="Nickel-plated, with quick link."),
    Product(id=2, sku="PEDAL-FLAT", title="Flat pedals", price=Decimal("44.50"), stock=2,
            weight_grams=380, summary="Aluminium body, replaceable pins."),
    Product(id=3, sku="LIGHT-USB", title="USB front light", price=Decimal("29.00"), stock=0,
            weight_grams=120, image="light.svg", summary="400 lumen, StVZO approved."),
]  # fmt: skip


def seed() -> None:
    """The shop's tables and example products (in an app context)."""
    db.create_all()
    for product in PRODUCTS:
        db.session.merge(product)
    db.session.commit()
