"""The storefront plugin's extension, JSON API and fragments, through Flask's test client."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from flask import Flask, render_template_string
from flask.testing import FlaskClient

from defenceline import PolicyError
from defenceline.plugin import DefenceLine, StockChange, state, stock_changed

from .conftest import DEMO_POLICY, Clock

AUTH = {"Authorization": "Bearer s3cret-token"}


@pytest.fixture
def client(plugin_app: Flask) -> FlaskClient:
    return plugin_app.test_client()


# --- the extension -----------------------------------------------------------------------------


def test_app_factory_style_and_several_apps_per_process(tmp_path: Path) -> None:
    ext = DefenceLine()
    apps = []
    for name in ("one", "two"):
        app = Flask(name, instance_path=str(tmp_path / name))
        app.config["DEFENCELINE_POLICY"] = str(DEMO_POLICY)
        app.config["DEFENCELINE_URL_PREFIX"] = f"/{name}-dl"
        ext.init_app(app)
        apps.append(app)
    assert not hasattr(ext, "app")
    assert state(apps[0]) is not state(apps[1])
    assert state(apps[0]).url_prefix == "/one-dl"
    # The default database is a SQLite file in each app's instance folder.
    assert str(state(apps[1]).storage.engine.url).endswith("two/defenceline.sqlite3")
    assert apps[1].test_client().get("/two-dl/openapi.json").status_code == 200


def test_second_registration_is_refused_with_advice(plugin_app: Flask) -> None:
    with pytest.raises(RuntimeError, match="already set up on this app"):
        DefenceLine(plugin_app)


def test_missing_policy_setting_fails_at_start_up(tmp_path: Path) -> None:
    app = Flask("shop", instance_path=str(tmp_path))
    with pytest.raises(RuntimeError, match="DEFENCELINE_POLICY is not set"):
        DefenceLine(app)


def test_invalid_policy_fails_at_start_up_with_its_errors(
    tmp_path: Path, demo_policy_text: str
) -> None:
    bad = tmp_path / "store.toml"
    bad.write_text(demo_policy_text.replace("window_days = 30", "window_days = 3"))
    app = Flask("shop", instance_path=str(tmp_path))
    app.config["DEFENCELINE_POLICY"] = str(bad)
    with pytest.raises(PolicyError) as caught:
        DefenceLine(app)
    assert "returns.window_days: a shop established in the EU/EEA" in caught.value.format()


def test_config_keys_are_set_with_defaults(plugin_app: Flask) -> None:
    assert plugin_app.config["DEFENCELINE_URL_PREFIX"] == "/defenceline"
    assert plugin_app.config["DEFENCELINE_MAX_BODY_BYTES"] == 65536
    doc = DefenceLine.init_app.__doc__ or ""
    for key in plugin_app.config:
        if key.startswith("DEFENCELINE_"):
            assert key in doc, f"{key} is not documented in init_app"


def test_custom_catalogue_is_used_instead_of_sql(tmp_path: Path) -> None:
    from decimal import Decimal

    from defenceline.plugin import Product

    class ShopCatalogue:
        def get(self, sku: str) -> Product | None:
            return self.get_many([sku]).get(sku)

        def get_many(self, skus: object) -> dict[str, Product]:
            item = Product(sku="OWN-1", name="Own", price=Decimal("5.00"), stock_on_hand=100)
            return {item.sku: item} if "OWN-1" in skus else {}  # type: ignore[operator]

    app = Flask("shop", instance_path=str(tmp_path))
    app.config.update(DEFENCELINE_POLICY=str(DEMO_POLICY), DEFENCELINE_CATALOGUE=ShopCatalogue())
    DefenceLine(app)
    client = app.test_client()
    assert client.get("/defenceline/api/v1/stock/OWN-1").json["state"] == "in_stock"
    assert client.get("/defenceline/api/v1/stock/OTHER").status_code == 404
    app.config["DEFENCELINE_API_TOKEN"] = None
    answer = client.put("/defenceline/api/v1/stock/OWN-1", json={"stock_on_hand": 1})
    assert answer.status_code == 403


def test_catalogue_setting_that_is_not_a_catalogue_is_refused(tmp_path: Path) -> None:
    app = Flask("shop", instance_path=str(tmp_path))
    app.config.update(DEFENCELINE_POLICY=str(DEMO_POLICY), DEFENCELINE_CATALOGUE="json:dumps")
    with pytest.raises(RuntimeError, match="is not a catalogue"):
        DefenceLine(app)


def test_host_apps_flask_sqlalchemy_session_is_untouched(plugin_app: Flask) -> None:
    # The plugin keeps its own engine and registers nothing on the app's teardown.
    assert "sqlalchemy" not in plugin_app.extensions
    assert plugin_app.teardown_appcontext_funcs == []


# --- stock -------------------------------------------------------------------------------------


def test_stock_states_come_from_real_stock(client: FlaskClient) -> None:
    def get(sku: str) -> dict[str, object]:
        return client.get(f"/defenceline/api/v1/stock/{sku}?lang=en").json  # type: ignore[no-any-return]

    assert get("LAMP-1") == {
        "sku": "LAMP-1",
        "state": "in_stock",
        "quantity": None,
        "restock_date": None,
        "message": "In stock",
        "availability": "https://schema.org/InStock",
        "locale": "en",
        "dir": "ltr",
    }
    low = get("BELL-1")  # 5 on hand, 2 reserved: 3 can be sold
    assert (low["state"], low["quantity"], low["message"]) == (
        "low_stock",
        3,
        "Only 3 left in stock",
    )
    out = get("TAIL-1")
    assert (out["state"], out["restock_date"]) == ("out_of_stock", "2026-12-03")
    assert out["message"] == "Out of stock, expected back on Thursday, December 3"
    assert get("HELM-L")["message"] == "Out of stock"
    pre = get("BOOK-1")
    assert (pre["state"], pre["message"]) == (
        "preorder",
        "Available to pre-order, ships from Thursday, December 10",
    )


def test_low_stock_wording_never_appears_above_the_threshold(client: FlaskClient) -> None:
    client.put("/defenceline/api/v1/stock/BELL-1", json={"reserved": 0}, headers=AUTH)
    answer = client.get("/defenceline/api/v1/stock/BELL-1?lang=en").json
    assert answer["quantity"] == 5 and answer["state"] == "low_stock"  # threshold is 5
    client.put("/defenceline/api/v1/stock/BELL-1", json={"stock_on_hand": 6}, headers=AUTH)
    answer = client.get("/defenceline/api/v1/stock/BELL-1?lang=en").json
    assert (answer["state"], answer["quantity"], answer["message"]) == (
        "in_stock",
        None,
        "In stock",
    )


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("nl", "Nog 3 op voorraad"),
        ("de", "Nur noch 3 auf Lager"),
        ("he", "נותרו רק \u20683\u2069 במלאי"),
        ("en-GB", "Only 3 left in stock"),
    ],
)
def test_stock_sentence_is_localised(client: FlaskClient, lang: str, message: str) -> None:
    assert client.get(f"/defenceline/api/v1/stock/BELL-1?lang={lang}").json["message"] == message


def test_locale_falls_back_to_accept_language_then_policy_default(client: FlaskClient) -> None:
    answer = client.get("/defenceline/api/v1/stock/LAMP-1", headers={"Accept-Language": "de-AT"})
    assert answer.json["message"] == "Auf Lager"
    answer = client.get("/defenceline/api/v1/stock/LAMP-1", headers={"Accept-Language": "fr"})
    assert answer.json["message"] == "Op voorraad"  # the shop's default, nl


def test_stock_update_needs_the_token_and_changes_the_widget(
    client: FlaskClient, plugin_app: Flask
) -> None:
    seen: list[StockChange] = []

    def listener(sender: Flask, change: StockChange) -> None:
        seen.append(change)

    with stock_changed.connected_to(listener, plugin_app):
        refused = client.put("/defenceline/api/v1/stock/HELM-L", json={"stock_on_hand": 4})
        assert refused.status_code == 401
        assert refused.headers["WWW-Authenticate"].startswith("Bearer")
        assert refused.mimetype == "application/problem+json"
        wrong = client.put(
            "/defenceline/api/v1/stock/HELM-L",
            json={"stock_on_hand": 4},
            headers={"Authorization": "Bearer guess"},
        )
        assert wrong.status_code == 401
        answer = client.put(
            "/defenceline/api/v1/stock/HELM-L?lang=en",
            json={"stock_on_hand": 4, "restock_date": None},
            headers=AUTH,
        )
    assert answer.status_code == 200
    assert answer.json["state"] == "low_stock" and answer.json["quantity"] == 4
    assert [(c.sku, c.before.stock_on_hand, c.after.stock_on_hand) for c in seen] == [
        ("HELM-L", 0, 4)
    ]


def test_restock_date_can_be_set_and_cleared(client: FlaskClient) -> None:
    client.put(
        "/defenceline/api/v1/stock/HELM-L", json={"restock_date": "2027-01-15"}, headers=AUTH
    )
    assert client.get("/defenceline/api/v1/stock/HELM-L").json["restock_date"] == "2027-01-15"
    client.put("/defenceline/api/v1/stock/HELM-L", json={"restock_date": None}, headers=AUTH)
    assert client.get("/defenceline/api/v1/stock/HELM-L").json["restock_date"] is None


@pytest.mark.parametrize(
    ("body", "status", "detail"),
    [
        ({"stock_on_hand": -1}, 422, "stock_on_hand: expected greater than or equal to 0"),
        ({"stock_on_hand": "many"}, 422, "stock_on_hand: expected a whole number, got 'many'"),
        ({"stock_on_hand": "3"}, 422, "stock_on_hand: expected a whole number, got '3'"),
        ({"stock_on_hand": 2.5}, 422, "stock_on_hand: expected a whole number, got 2.5"),
        ({"reserved": True}, 422, "reserved: expected a whole number, got True"),
        ({"stock": 3}, 422, "stock: unknown field; expected stock_on_hand, reserved"),
        ({"restock_date": "soon"}, 422, "restock_date: expected a valid date"),
        ({}, 422, "nothing to update"),
        ([1, 2], 422, "expected a JSON object, got list"),
    ],
)
def test_bad_stock_updates_are_4xx_naming_the_field(
    client: FlaskClient, body: object, status: int, detail: str
) -> None:
    answer = client.put("/defenceline/api/v1/stock/LAMP-1", json=body, headers=AUTH)
    assert answer.status_code == status
    assert answer.mimetype == "application/problem+json"
    assert detail in answer.json["detail"]


def test_malformed_oversized_and_non_json_bodies_are_refused(client: FlaskClient) -> None:
    url = "/defenceline/api/v1/stock/LAMP-1"
    broken = client.put(url, data="{", content_type="application/json", headers=AUTH)
    assert (broken.status_code, broken.json["detail"]) == (
        400,
        "the request body is not valid JSON",
    )
    huge = client.put(
        url, data="[" + "1," * 40000 + "1]", content_type="application/json", headers=AUTH
    )
    assert huge.status_code == 413
    assert json.loads(huge.data)["detail"] == "the request body is larger than 65536 bytes"
    form = client.put(url, data={"stock_on_hand": "3"}, headers=AUTH)
    assert form.status_code == 415


def test_unknown_sku_is_a_404_problem_naming_it(client: FlaskClient) -> None:
    for url in (
        "/defenceline/api/v1/stock/NOPE-9",
        "/defenceline/api/v1/delivery-estimate?sku=NOPE-9",
        "/defenceline/fragments/stock/NOPE-9",
        "/defenceline/fragments/delivery-estimate?sku=NOPE-9",
    ):
        answer = client.get(url)
        assert answer.status_code == 404, url
        assert answer.mimetype == "application/problem+json"
        assert answer.json["detail"] == "no product with SKU 'NOPE-9' in the catalogue"
    answer = client.put("/defenceline/api/v1/stock/NOPE-9", json={"reserved": 1}, headers=AUTH)
    assert answer.status_code == 404


@pytest.mark.parametrize(
    ("query", "detail"),
    [
        ("sku=LAMP-1&country=XX", "unknown country 'XX'; expected an ISO 3166-1 alpha-2 code"),
        ("sku=LAMP-1&country=Netherlands", "unknown country 'Netherlands'"),
        ("sku=LAMP-1&lang=xx-QQ", "unknown locale 'xx-QQ'; expected one of nl, en, de, he"),
        ("sku=LAMP-1&lang=fr", "this shop does not offer locale 'fr'"),
        ("country=NL", "the 'sku' parameter is required"),
        ("sku=" + "A" * 65, "SKU is 65 characters long; expected at most 64"),
    ],
)
def test_bad_parameters_are_400_problems(client: FlaskClient, query: str, detail: str) -> None:
    answer = client.get(f"/defenceline/api/v1/delivery-estimate?{query}")
    assert answer.status_code == 400
    assert detail in answer.json["detail"]


# --- delivery estimates ------------------------------------------------------------------------


def test_delivery_estimate_has_the_cli_fields_and_a_sentence(client: FlaskClient) -> None:
    answer = client.get("/defenceline/api/v1/delivery-estimate?sku=LAMP-1&country=NL&lang=en")
    data = answer.json
    assert answer.headers["Cache-Control"] == "no-store"
    assert {k: data[k] for k in ("dispatch_date", "earliest", "latest", "carrier", "cutoff")} == {
        "dispatch_date": "2026-11-24",
        "earliest": "2026-11-25",
        "latest": "2026-11-25",
        "carrier": "PostNL",
        "cutoff": "2026-11-24T16:00:00+01:00",
    }
    assert (
        data["message"]
        == "Order before 4:00\u202fPM today and it arrives on Wednesday, November 25"
    )
    assert data["countdown"] == "Order within {duration} and it arrives on Wednesday, November 25"
    assert data["server_time"] == "2026-11-24T14:00:00.000+00:00"


def test_delivery_estimate_matches_the_cli(client: FlaskClient) -> None:
    from click.testing import CliRunner

    from defenceline.cli import main

    cli = CliRunner().invoke(
        main,
        ["estimate", "--policy", str(DEMO_POLICY), "--country", "DE", "--json",
         "--at", "2026-11-24T14:00:00+00:00"],
    )  # fmt: skip
    expected = json.loads(cli.stdout)
    data = client.get("/defenceline/api/v1/delivery-estimate?sku=LAMP-1&country=DE").json
    for key in ("dispatch_date", "earliest", "latest", "carrier", "cutoff"):
        assert data[key] == expected[key]


def test_after_the_cutoff_there_is_no_countdown(client: FlaskClient, clock: Clock) -> None:
    clock.moment = dt.datetime(2026, 11, 24, 15, 0, tzinfo=dt.UTC)  # 16:00 in Amsterdam
    data = client.get("/defenceline/api/v1/delivery-estimate?sku=LAMP-1&lang=nl").json
    assert data["cutoff"] is None and data["countdown"] is None
    assert data["message"] == "Bestel nu en het wordt donderdag 26 november bezorgd"


def test_out_of_stock_items_use_their_restock_date(client: FlaskClient) -> None:
    data = client.get("/defenceline/api/v1/delivery-estimate?sku=TAIL-1&lang=en").json
    assert (data["dispatch_date"], data["earliest"], data["cutoff"]) == (
        "2026-12-03",
        "2026-12-04",
        None,
    )
    data = client.get("/defenceline/api/v1/delivery-estimate?sku=HELM-L&lang=en").json
    assert data["status"] == "no_restock_date" and data["earliest"] is None
    assert data["message"] == "Out of stock: we can't promise a delivery date yet"


def test_country_not_shipped_to_is_an_answer_not_an_error(client: FlaskClient) -> None:
    answer = client.get("/defenceline/api/v1/delivery-estimate?sku=LAMP-1&country=jp&lang=nl")
    assert answer.status_code == 200
    assert answer.json["status"] == "not_shipped"
    assert answer.json["message"] == "We verzenden niet naar Japan"


# --- fragments and Jinja helpers ---------------------------------------------------------------


def test_fragments_render_the_same_sentences_as_the_api(client: FlaskClient) -> None:
    api = client.get("/defenceline/api/v1/delivery-estimate?sku=BELL-1&country=BE&lang=de").json
    html = client.get("/defenceline/fragments/delivery-estimate?sku=BELL-1&country=BE&lang=de")
    soup = BeautifulSoup(html.data, "lxml")
    root = soup.select_one(".dl-delivery")
    assert root is not None and root["lang"] == "de" and root["data-status"] == "ok"
    live = soup.select_one(".dl-delivery__text")
    assert live is not None and live["aria-live"] == "polite"
    assert live.get_text() == api["message"]
    assert soup.select_one(".dl-delivery__carrier").get_text() == "Zustellung durch DHL"  # type: ignore[union-attr]
    stock = BeautifulSoup(client.get("/defenceline/fragments/stock/BELL-1?lang=he").data, "lxml")
    widget = stock.select_one(".dl-stock")
    assert widget is not None and widget["dir"] == "rtl" and widget["lang"] == "he"
    assert "dl-stock--low_stock" in widget["class"]
    assert stock.get_text(strip=True) == "נותרו רק \u20683\u2069 במלאי"  # the count isolated


def test_jinja_helpers_render_without_javascript(plugin_app: Flask) -> None:
    template = (
        "{{ defenceline.stylesheet() }}{{ defenceline.stock('BELL-1', lang='en') }}"
        "{{ defenceline.delivery_estimate('BELL-1', country='DE', lang='en') }}"
        "{{ defenceline.stock('GONE') }}{{ defenceline.script() }}"
    )
    with plugin_app.test_request_context("/product"):
        html = render_template_string(template)
    soup = BeautifulSoup(html, "lxml")
    assert soup.select_one(".dl-stock__text").get_text() == "Only 3 left in stock"  # type: ignore[union-attr]
    assert (
        soup.select_one(".dl-delivery__text")
        .get_text()
        .startswith(  # type: ignore[union-attr]
            "Order before 4:00\u202fPM today and it arrives between"
        )
    )
    assert "defenceline: no product with SKU &#39;GONE&#39;" in html
    assert soup.select_one("script")["src"] == "/defenceline/static/defenceline.js"  # type: ignore[index]
    assert soup.select_one("link")["href"] == "/defenceline/static/defenceline.css"  # type: ignore[index]


def test_catalogue_text_is_escaped_everywhere(client: FlaskClient, plugin_app: Flask) -> None:
    # The product name never reaches a widget unescaped; the stock sentence does not use it,
    # and the web components set text with textContent only.
    fragment = client.get("/defenceline/fragments/stock/XSS-1").data.decode()
    assert "<script>" not in fragment
    with plugin_app.test_request_context("/"):
        html = render_template_string("{{ defenceline.stock(sku) }}", sku="<script>x</script>")
    assert "<script>x" not in html and "&lt;script&gt;" in html
    script = client.get("/defenceline/static/defenceline.js").data.decode()
    assert "innerHTML" not in script and "insertAdjacentHTML" not in script


def test_static_assets_are_served(client: FlaskClient) -> None:
    js = client.get("/defenceline/static/defenceline.js")
    assert js.status_code == 200 and 'customElements.define("dl-stock"' in js.data.decode()
    css = client.get("/defenceline/static/defenceline.css")
    assert css.status_code == 200 and "--dl-ok" in css.data.decode()


def test_openapi_document_describes_every_route(client: FlaskClient, plugin_app: Flask) -> None:
    doc = client.get("/defenceline/openapi.json").json
    assert doc["openapi"] == "3.1.0"
    api_rules = {
        re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
        for rule in plugin_app.url_map.iter_rules()
        if "/api/" in rule.rule
    }
    assert api_rules == set(doc["paths"])


def test_openapi_schemas_are_the_models_that_validate_and_answer(client: FlaskClient) -> None:
    from defenceline.plugin.emails.routes import StockAlertIn
    from defenceline.plugin.widgets.payloads import Stock

    schemas = client.get("/defenceline/openapi.json").json["components"]["schemas"]
    ref = "#/components/schemas/{model}"
    assert schemas["StockAlertIn"] == StockAlertIn.model_json_schema(ref_template=ref)
    assert schemas["Stock"] == Stock.model_json_schema(ref_template=ref, mode="serialization")
    # What a model cannot know comes from the app: its cart limits.
    line = schemas["CartLineIn"]["properties"]["quantity"]
    assert (line["minimum"], line["maximum"]) == (1, 999)


@pytest.mark.parametrize("sku", ["/LAMP-1", "LAMP\x01", "\x7fLAMP"])
def test_one_sku_rule_for_catalogue_files_urls_and_bodies(client: FlaskClient, sku: str) -> None:
    from defenceline.plugin.catalogue import CatalogueError, parse_catalogue

    with pytest.raises(CatalogueError, match="row 1, sku"):
        parse_catalogue([{"sku": sku, "name": "Lamp", "price": "1"}])
    query = client.get("/defenceline/api/v1/delivery-estimate", query_string={"sku": sku})
    assert query.status_code == 400 and query.json["parameter"] == "sku"
    quote = client.post(
        "/defenceline/api/v1/cart-quote", json={"lines": [{"sku": sku, "quantity": 1}]}
    )
    assert quote.status_code == 422 and quote.json["field"] == "lines[0].sku"
    documented = client.get("/defenceline/openapi.json").json["components"]["schemas"]
    assert re.match(documented["CartLineIn"]["properties"]["sku"]["pattern"], sku) is None
