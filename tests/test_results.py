"""What experiments return: numbers with their shown form, lists each language joins, rates
with their intervals."""

import math

import numpy as np
import pytest

from site_tools.results import (
    Z95,
    Data,
    Quoted,
    check_json,
    in_language,
    quote,
    quote_rate,
    wilson,
)


def test_a_number_and_how_the_page_shows_it():
    assert quote(9.4903, ".3f") == Quoted(9.4903, "9.490")
    assert quote(20000, ",") == Quoted(20000, "20,000")
    assert quote(None, text="–") == Quoted(None, "–")


def test_a_list_is_joined_as_each_language_writes_lists():
    seeds = quote([92, 95], text="92 and 95")
    assert seeds.value == [92, 95] and seeds.items == ["92", "95"]
    assert in_language(seeds, "en") == "92 and 95"
    assert in_language(seeds, "zh") == "92、95"
    medians = quote((26, 48, 93), "d")
    assert in_language(medians, "en") == "26, 48, 93"
    assert in_language(medians, "zh") == "26、48、93"
    assert in_language(quote(0.5, ".1f"), "zh") == "0.5"


@pytest.mark.parametrize(
    ("value", "error"),
    [
        (np.float64(1.0), TypeError),
        (math.nan, ValueError),
        ({1: 2}, TypeError),
        (object(), TypeError),
    ],
)
def test_only_exact_json_is_accepted(value, error):
    with pytest.raises(error):
        check_json(value)
    with pytest.raises(error):
        quote(value) if not isinstance(value, dict) else check_json(Data(value).value)


def test_wilson_interval():
    assert wilson(0, 100) == (0.0, pytest.approx(0.0370, abs=1e-4))
    assert wilson(97, 100) == pytest.approx((0.9155, 0.9897), abs=1e-4)
    assert wilson(20, 20) == (pytest.approx(0.8389, abs=1e-4), 1.0)
    assert quote_rate("solved", 57, 100) == {
        "solved": quote(57),
        "solved_low": quote(100 * wilson(57, 100)[0], text="47"),  # 47.2 rounded down
        "solved_high": quote(100 * wilson(57, 100)[1], text="67"),  # 66.2 rounded up
    }
    # the shown interval holds the computed one: 97 of 100 is 91.55-98.97 %, shown 91-99
    shown = quote_rate("x", 97, 100)
    assert (shown["x_low"].text, shown["x_high"].text) == ("91", "99")
    for successes in range(0, 101):
        rate = quote_rate("x", successes, 100)
        low, high = int(rate["x_low"].text), int(rate["x_high"].text)
        assert low <= rate["x_low"].value < low + 1 and high - 1 < rate["x_high"].value <= high
    for bad in [(5, 4), (-1, 10), (0, 0)]:
        with pytest.raises(ValueError):
            wilson(*bad)


@pytest.mark.parametrize(
    ("k", "n", "lo", "hi"),
    [  # Newcombe (1998), Statistics in Medicine 17, 857-872, table I, score method
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
        (5, 10, 0.2366, 0.7634),
    ],
)
def test_wilson_against_published_values(k, n, lo, hi):
    assert wilson(k, n) == pytest.approx((lo, hi), abs=1e-4)


def test_wilson_is_symmetric_and_closed_form_at_the_ends():
    z = Z95
    for n in (1, 7, 100):
        for k in range(n + 1):
            lo, hi = wilson(k, n)
            mirror_lo, mirror_hi = wilson(n - k, n)
            assert lo == pytest.approx(1 - mirror_hi) and hi == pytest.approx(1 - mirror_lo)
            assert 0 <= lo <= k / n <= hi <= 1
        assert wilson(0, n)[1] == pytest.approx(z * z / (n + z * z))


@pytest.mark.parametrize(
    ("args", "error"),
    [
        ((1.0, 10), TypeError),
        ((1, "10"), TypeError),
        ((True, 10), TypeError),
        ((11, 10), ValueError),
        ((-1, 10), ValueError),
        ((0, 0), ValueError),
    ],
)
def test_wilson_refuses_bad_arguments(args, error):
    with pytest.raises(error):
        wilson(*args)
