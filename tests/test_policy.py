"""The store policy: what a valid file gives, and what every mistake says."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from defenceline import PolicyError, load_policy, parse_policy


def _problems(text: str, file: str = "store.toml") -> str:
    with pytest.raises(PolicyError) as caught:
        parse_policy(text, file)
    return caught.value.format()


def _line_of(text: str, needle: str, occurrence: int = 1) -> int:
    seen = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            seen += 1
            if seen == occurrence:
                return number
    raise AssertionError(f"{needle!r} not in text")


def test_demo_policy_loads_with_money_as_decimal(demo_policy) -> None:
    zone = demo_policy.zone_for("NL")
    assert zone is not None
    assert zone.rate == Decimal("4.95")
    assert zone.free_shipping_from == Decimal("50.00")
    assert demo_policy.returns.is_free
    assert demo_policy.payment_method("creditcard").surcharge == Decimal("1.50")
    assert demo_policy.zone_for("JP") is None
    assert demo_policy.shop.locales == ["nl", "en", "de", "he"]


def test_policy_is_loaded_once_and_shared(tmp_path: Path, demo_policy_text: str) -> None:
    path = tmp_path / "store.toml"
    path.write_text(demo_policy_text, encoding="utf-8")
    assert load_policy(path) is load_policy(path)


def test_edited_policy_file_is_read_again(tmp_path: Path, demo_policy_text: str) -> None:
    path = tmp_path / "store.toml"
    path.write_text(demo_policy_text, encoding="utf-8")
    first = load_policy(path)
    path.write_text(demo_policy_text.replace('rate = "4.95"', 'rate = "5.95"'), encoding="utf-8")
    second = load_policy(path)
    assert first.zone_for("NL").rate == Decimal("4.95")  # type: ignore[union-attr]
    assert second.zone_for("NL").rate == Decimal("5.95")  # type: ignore[union-attr]


def test_float_in_money_field_is_rejected_with_how_to_write_it(demo_policy_text: str) -> None:
    text = demo_policy_text.replace('rate = "4.95"', "rate = 4.95")
    message = _problems(text, "shop/store.toml")
    line = _line_of(text, "rate = 4.95")
    assert (
        f"shop/store.toml:{line}: shipping.zones[0].rate: a float (4.95) cannot hold money"
        in message
    )
    assert 'write the amount as a decimal string, e.g. "4.95"' in message


def test_unknown_key_gets_did_you_mean_hint(demo_policy_text: str) -> None:
    text = demo_policy_text.replace('free_shipping_from = "50.00"', 'free_shiping_from = "50.00"')
    message = _problems(text)
    line = _line_of(text, "free_shiping_from")
    assert (
        f"store.toml:{line}: shipping.zones[0].free_shiping_from: unknown key "
        "'free_shiping_from'; did you mean 'free_shipping_from'?"
    ) in message


def test_unknown_top_level_key_is_rejected(demo_policy_text: str) -> None:
    message = _problems(demo_policy_text + "\n[retruns_extra]\nx = 1\n")
    assert "retruns_extra: unknown key 'retruns_extra'" in message


def test_country_in_two_zones_is_rejected(demo_policy_text: str) -> None:
    text = demo_policy_text.replace('countries = ["BE", "DE"]', 'countries = ["BE", "DE", "NL"]')
    message = _problems(text)
    line = _line_of(text, 'countries = ["BE", "DE", "NL"]')
    assert (
        f"store.toml:{line}: shipping.zones[1].countries[2]: NL is already in zone 0 "
        "('Nederland'); expected each country in one zone only"
    ) in message


def test_negative_free_shipping_threshold_is_rejected(demo_policy_text: str) -> None:
    text = demo_policy_text.replace('free_shipping_from = "75.00"', 'free_shipping_from = "-1"')
    message = _problems(text)
    line = _line_of(text, 'free_shipping_from = "-1"')
    assert (
        f"store.toml:{line}: shipping.zones[1].free_shipping_from: "
        "expected an amount of zero or more, got -1"
    ) in message


def test_transit_range_with_min_above_max_is_rejected(demo_policy_text: str) -> None:
    text = demo_policy_text.replace("{ min = 2, max = 3 }", "{ min = 5, max = 3 }")
    message = _problems(text)
    line = _line_of(text, "{ min = 5, max = 3 }")
    assert (
        f"store.toml:{line}: shipping.zones[1].transit_days: min (5) is greater than max (3); "
        "expected min <= max"
    ) in message


@pytest.mark.parametrize(
    ("old", "new", "path", "expected"),
    [
        (
            'timezone = "Europe/Amsterdam"',
            'timezone = "Europe/Amsterdm"',
            "warehouse.timezone",
            "unknown time zone 'Europe/Amsterdm'; expected an IANA name such as 'Europe/Amsterdam'",
        ),
        (
            'currency = "EUR"',
            'currency = "EUX"',
            "shop.currency",
            "unknown currency 'EUX'; expected an ISO 4217 code such as 'EUR'",
        ),
        (
            'country = "NL"\ndefault_locale',
            'country = "XY"\ndefault_locale',
            "shop.country",
            "unknown country 'XY'; expected an ISO 3166-1 code such as 'NL'",
        ),
        (
            'default_locale = "nl"',
            'default_locale = "xx_QQ"',
            "shop.default_locale",
            "unknown locale 'xx_QQ'; expected a tag such as 'nl', 'en' or 'de_AT'",
        ),
        (
            'monday = "16:00"',
            'monday = "25:00"',
            "warehouse.cutoff.monday",
            "expected in a valid time format, hour value is outside expected range of 0-23",
        ),
        (
            'delivery_weekdays = ["monday", "tuesday", "wednesday", "thursday", "friday", "sat',
            'delivery_weekdays = ["monday", "funday", "wednesday", "thursday", "friday", "sat',
            "shipping.zones[0].delivery_weekdays[1]",
            "unknown weekday 'funday'",
        ),
    ],
)
def test_invalid_values_name_field_line_and_expectation(
    demo_policy_text: str, old: str, new: str, path: str, expected: str
) -> None:
    assert old in demo_policy_text
    text = demo_policy_text.replace(old, new, 1)
    message = _problems(text)
    line = _line_of(text, new.splitlines()[0])
    assert f"store.toml:{line}: {path}: {expected}" in message


def test_eu_shop_return_window_under_14_days_is_an_error(demo_policy_text: str) -> None:
    text = demo_policy_text.replace("window_days = 30", "window_days = 10")
    message = _problems(text)
    line = _line_of(text, "window_days = 10")
    assert (
        f"store.toml:{line}: returns.window_days: a shop established in the EU/EEA (NL) must "
        "give at least 14 days to withdraw; got 10"
    ) in message


def test_non_eu_shop_may_have_a_short_return_window(demo_policy_text: str) -> None:
    text = demo_policy_text.replace(
        'country = "NL"\ndefault_locale', 'country = "US"\ndefault_locale'
    ).replace("window_days = 30", "window_days = 10")
    assert parse_policy(text).returns.window_days == 10


def test_more_decimals_than_the_currency_has_are_rejected(demo_policy_text: str) -> None:
    text = demo_policy_text.replace('surcharge = "1.50"', 'surcharge = "1.505"')
    message = _problems(text)
    assert "payment_methods[2].surcharge: 1.505 has more decimals than EUR has" in message


def test_missing_required_key_is_named(demo_policy_text: str) -> None:
    text = demo_policy_text.replace('carrier = "DHL"\n', "")
    message = _problems(text)
    assert "shipping.zones[1].carrier: this required key is missing" in message


def test_flat_rate_and_tiers_together_are_rejected(demo_policy_text: str) -> None:
    text = demo_policy_text.replace(
        'free_shipping_from = "75.00"', 'free_shipping_from = "75.00"\nrate = "3.00"'
    )
    message = _problems(text)
    assert "shipping.zones[1]: expected either a flat `rate` or a list of `tiers`" in message


def test_toml_syntax_error_names_line_and_column() -> None:
    message = _problems('[shop]\nname = "Trapkracht\n', "bad.toml")
    assert re.search(r"bad\.toml:2: .*\(column \d+\); expected valid TOML", message)


def test_missing_file_is_a_policy_error(tmp_path: Path) -> None:
    with pytest.raises(PolicyError) as caught:
        load_policy(tmp_path / "nope.toml")
    assert "nope.toml: cannot read the file: No such file or directory" in caught.value.format()


def test_several_problems_are_reported_together(demo_policy_text: str) -> None:
    text = demo_policy_text.replace('currency = "EUR"', 'currency = "EUX"').replace(
        'rate = "4.95"', "rate = 4.95"
    )
    message = _problems(text)
    assert message.splitlines()[0] == "store.toml: 2 problems in the store policy"


def test_cross_field_rules_are_reported_with_field_errors(demo_policy_text: str) -> None:
    text = (
        demo_policy_text.replace('currency = "EUR"', 'currency = "EUX"')
        .replace("window_days = 30", "window_days = 7")
        .replace('countries = ["BE", "DE"]', 'countries = ["BE", "DE", "NL"]')
    )
    message = _problems(text)
    assert message.splitlines()[0] == "store.toml: 3 problems in the store policy"
    assert "shop.currency: unknown currency 'EUX'" in message
    assert "returns.window_days: a shop established in the EU/EEA (NL)" in message
    assert "shipping.zones[1].countries[2]: NL is already in zone 0" in message


# --- contact values become links: only http(s), mailto and tel ------------------------------


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ('value = "https://trapkracht.example/chat"', 'value = "javascript:alert(1)"', 2),
        (
            'value = "https://trapkracht.example/chat"',
            'value = "data:text/html,<script>alert(1)</script>"',
            2,
        ),
        ('value = "https://trapkracht.example/chat"', 'value = "JavaScript:alert(1)"', 2),
        ('value = "https://trapkracht.example/chat"', 'value = "https://x.example/\\"onclick"', 2),
        ('value = "service@trapkracht.example"', 'value = "javascript:alert(1)//@x.example"', 0),
        ('value = "service@trapkracht.example"', 'value = "a@x.example?bcc=all@x.example"', 0),
        ('value = "+31 20 123 4567"', 'value = "javascript:alert(1)"', 1),
        ('value = "+31 20 123 4567"', 'value = "vbscript:msgbox(1)"', 1),
    ],
)
def test_contact_value_that_would_make_a_script_link_is_refused_by_field(
    demo_policy_text: str, old: str, new: str, field: int
) -> None:
    text = demo_policy_text.replace(old, new, 1)
    message = _problems(text)
    line = _line_of(text, new)
    assert f"store.toml:{line}: contact[{field}].value: expected " in message
    assert "only http(s):, mailto: and tel: are accepted" in message


def test_contact_values_may_be_written_as_mailto_and_tel_links(demo_policy_text: str) -> None:
    policy = parse_policy(
        demo_policy_text.replace(
            'value = "service@trapkracht.example"', 'value = "mailto:service@trapkracht.example"'
        ).replace('value = "+31 20 123 4567"', 'value = "tel:+31 20 123 4567"')
    )
    email, phone, chat = policy.contact
    assert (email.value, email.href) == (
        "service@trapkracht.example",
        "mailto:service@trapkracht.example",
    )
    assert (phone.value, phone.href) == ("+31 20 123 4567", "tel:+31201234567")
    assert chat.href == "https://trapkracht.example/chat"


@pytest.mark.parametrize(
    ("old", "new", "path"),
    [
        ('surcharge = "1.50"', 'surcharge = "1e999999999"', "payment_methods[2].surcharge"),
        ('free_shipping_from = "50.00"', 'free_shipping_from = "1E+40"',
         "shipping.zones[0].free_shipping_from"),
        ('max_weight = "2"', 'max_weight = "0.' + "0" * 4000 + '1"',
         "shipping.zones[1].tiers[0].max_weight"),
        ('standard = "21"', 'standard = "1e999999999"', "vat.standard"),
    ],
)  # fmt: skip
def test_absurd_amount_anywhere_is_a_policy_error_naming_the_field(
    demo_policy_text: str, old: str, new: str, path: str
) -> None:
    message = _problems(demo_policy_text.replace(old, new, 1))
    assert f"{path}: expected an amount below 1,000,000,000,000 with at most 6 decimals" in message
