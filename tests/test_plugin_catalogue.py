"""The default SQL catalogue and `flask defenceline import-catalogue | init-db`."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.cli import FlaskGroup
from sqlalchemy import inspect

from defenceline.plugin import StockChange, state, stock_changed
from defenceline.plugin.catalogue import CatalogueError, Product, read_catalogue_file

HEADER = "sku,name,price,product_id,attributes,vat_class,weight_kg,stock,reserved,restock_date"
CSV = (
    HEADER
    + """,preorder,image_url
BAG-1,Pannier 30 L,79.95,bag,Colour=Black;Size=30 L,standard,1.6,14,3,,,/img/bag.svg
BAG-2,Pannier 30 L,79.95,bag,Colour=Olive,,1.6,0,0,2026-12-01,no,
MAP-1,Cycle map,14.95,,,reduced,,40,,,,
"""
)


def test_csv_catalogue_is_read_with_exact_money(tmp_path: Path) -> None:
    file = tmp_path / "catalogue.csv"
    file.write_text(CSV, encoding="utf-8")
    products = {p.sku: p for p in read_catalogue_file(file)}
    bag = products["BAG-1"]
    assert bag.price == Decimal("79.95") and bag.weight_kg == Decimal("1.6")
    assert bag.attributes == {"Colour": "Black", "Size": "30 L"}
    assert (bag.stock_on_hand, bag.reserved, bag.available) == (14, 3, 11)
    assert products["BAG-2"].restock_date is not None
    assert products["BAG-2"].vat_class == "standard"
    assert products["MAP-1"].vat_class == "reduced" and products["MAP-1"].weight_kg is None


@pytest.mark.parametrize(
    ("content", "suffix", "expected"),
    [
        ("sku,name\nA,B\n", ".csv", "line 1: the header lacks the column(s) price"),
        ("sku,name,price\nA,Bell,4.955x\n", ".csv", "row 2, price: expected an amount"),
        (
            "sku,name,price\nA,Bell,-1\n",
            ".csv",
            "row 2, price: expected greater than or equal to 0",
        ),
        (
            "sku,name,price\nA,Bell,1\nA,Bell,2\n",
            ".csv",
            "row 3, sku: 'A' already appears in row 2",
        ),
        ("sku,name,price,stock\nA,Bell,1,lots\n", ".csv", "row 2, stock: expected a valid integer"),
        ("sku,name,price\nA,Bell,1,extra\n", ".csv", "row 2: more fields than the header"),
        ("sku,name,price,prise\nA,Bell,1,2\n", ".csv", "row 2, prise: unknown column"),
        ('[{"sku": "A", "name": "B", "price": 1.5}]', ".json", "row 1, price: a float"),
        ("{not json", ".json", "line 1, column 2: invalid JSON"),
        ('{"a": 1}', ".json", "expected a JSON list of products"),
        ("sku", ".xlsx", "unknown file type .xlsx; expected .csv or .json"),
    ],
)
def test_bad_catalogue_files_name_row_and_column(
    tmp_path: Path, content: str, suffix: str, expected: str
) -> None:
    file = tmp_path / f"catalogue{suffix}"
    file.write_text(content, encoding="utf-8")
    with pytest.raises(CatalogueError) as caught:
        read_catalogue_file(file)
    assert str(file) in str(caught.value)
    assert expected in str(caught.value)


def test_import_command_loads_products_and_reports_restocks(
    plugin_app: Flask, tmp_path: Path
) -> None:
    file = tmp_path / "update.json"
    file.write_text(
        json.dumps(
            [
                {"sku": "HELM-L", "name": "Helmet L", "price": "59.95", "stock": 7},
                {"sku": "NEW-1", "name": "New lamp", "price": "9.95", "stock": 3},
            ]
        ),
        encoding="utf-8",
    )
    seen: list[StockChange] = []

    def listener(sender: Flask, change: StockChange) -> None:
        seen.append(change)

    runner = plugin_app.test_cli_runner()
    with stock_changed.connected_to(listener, plugin_app):
        result = runner.invoke(args=["defenceline", "import-catalogue", str(file)])
    assert result.exit_code == 0, result.output
    assert "imported 2 products" in result.output
    with plugin_app.app_context():
        assert state().catalogue.get("NEW-1") is not None
        helmet = state().catalogue.get("HELM-L")
        assert helmet is not None and helmet.stock_on_hand == 7
    assert [(c.sku, c.before.stock_on_hand, c.after.stock_on_hand) for c in seen] == [
        ("HELM-L", 0, 7)
    ]


def test_import_of_a_bad_file_changes_nothing(plugin_app: Flask, tmp_path: Path) -> None:
    file = tmp_path / "bad.csv"
    file.write_text("sku,name,price,stock\nLAMP-1,Lamp,34.95,0\nX,Bad,abc,1\n", encoding="utf-8")
    result = plugin_app.test_cli_runner().invoke(
        args=["defenceline", "import-catalogue", str(file)]
    )
    assert result.exit_code == 1
    assert "row 3, price" in result.output
    assert "Traceback" not in result.output
    with plugin_app.app_context():
        lamp = state().catalogue.get("LAMP-1")
        assert lamp is not None and lamp.stock_on_hand == 40


def test_init_db_creates_the_tables(tmp_path: Path) -> None:
    from defenceline.plugin import DefenceLine
    from tests.conftest import DEMO_POLICY

    app = Flask("shop", instance_path=str(tmp_path))
    app.config.update(
        DEFENCELINE_POLICY=str(DEMO_POLICY),
        DEFENCELINE_DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    DefenceLine(app)
    result = app.test_cli_runner().invoke(args=["defenceline", "init-db"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert "dl_products" in inspect(state().storage.engine).get_table_names()


def test_commands_explain_when_the_extension_is_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # FlaskGroup sets FLASK_RUN_FROM_CLI for the whole process, which turns app.run() into a
    # no-op in every server a later test starts (`defenceline demo`): undo it afterwards.
    monkeypatch.setenv("FLASK_RUN_FROM_CLI", "false")
    # `flask` finds the commands through the flask.commands entry point in any app.
    app = Flask("other", instance_path=str(tmp_path))
    group = FlaskGroup(create_app=lambda: app)
    result = CliRunner().invoke(group, ["defenceline", "init-db"])
    assert result.exit_code == 1
    assert "defenceline is not set up on this app" in result.output


def test_every_product_field_is_stored_and_updated_by_the_sql_catalogue(
    plugin_app: Flask,
) -> None:
    first = Product(
        sku="LAMP-9",
        name="Lamp",
        price=Decimal("19.95"),
        vat_class="reduced",
        weight_kg=Decimal("0.250"),
        stock_on_hand=5,
        reserved=1,
        restock_date=dt.date(2026, 12, 1),
        preorder=True,
        image_url="/img/lamp.svg",
        attributes={"Colour": "Red"},
        product_id="lamp",
        category="Lights",
        description="A red lamp.",
    )
    # Every field but the SKU changed, so a field the update forgot keeps its old value.
    second = Product(
        sku="LAMP-9",
        name="Lamp II",
        price=Decimal("24.50"),
        weight_kg=None,
        stock_on_hand=2,
        image_url=None,
        attributes={"Colour": "Blue", "Size": "L"},
    )
    with plugin_app.app_context():
        catalogue = state().catalogue
        catalogue.replace_products([first])  # type: ignore[attr-defined]
        assert catalogue.get("LAMP-9") == first
        catalogue.replace_products([second])  # type: ignore[attr-defined]
        assert catalogue.get("LAMP-9") == second
        assert catalogue.get_many(["LAMP-9"]) == {"LAMP-9": second}
