"""What an experiment returns: each number with the form its page shows, and data for widgets.

An experiment's `run(out_dir)` returns a dict whose values are `Quoted` (a number, or a
list of numbers, and the text the prose shows for it: pages read `.text`, tests read
`.value`; a list keeps its items, which each language joins its own way) or `Data` (JSON
for a widget: trained weights, recorded runs). Nothing here imports torch.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Quoted:
    value: Any  # a number, a list of numbers or a string: what the tests check
    text: str  # the same value as the page prints it
    items: list[str] | None = None  # a list's items as printed: each language joins them


@dataclass(frozen=True)
class Data:
    value: Any  # JSON: numbers, strings, lists and dicts of them


def quote(value: Any, spec: str = "", *, text: str | None = None) -> Quoted:
    """`value` with the text `format(value, spec)` (each item of a list, joined by ", "),
    or the given text. Plain Python numbers only: a tensor's `.item()`, not the tensor."""
    check_json(value)
    if isinstance(value, (list, tuple)):
        items = [format(v, spec) for v in value]
        return Quoted(list(value), ", ".join(items) if text is None else text, items)
    return Quoted(value, format(value, spec) if text is None else text)


def in_language(quoted: Quoted, lang: str) -> str:
    """The text a page in `lang` shows: a list's items joined as that language writes a
    list (Chinese with 、), anything else as it is."""
    if quoted.items is not None and lang == "zh":
        return "、".join(quoted.items)
    return quoted.text


def check_json(value: Any, where: str = "value") -> None:
    """Refuse what JSON cannot hold exactly (tensors, numpy scalars, NaN)."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"{where} is {value}: JSON has no such number")
        if type(value) not in (int, float):
            raise TypeError(f"{where} is a {type(value).__name__}: use int() or float()")
        return
    if isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            check_json(item, f"{where}[{i}]")
        return
    if isinstance(value, dict):
        for k, item in value.items():
            if not isinstance(k, str):
                raise TypeError(f"{where} has a key {k!r} that is not a string")
            check_json(item, f"{where}[{k!r}]")
        return
    raise TypeError(f"{where} is a {type(value).__name__}, not a JSON value")


Z95 = 1.959963984540054  # the 97.5th percentile of the standard normal distribution


def wilson(successes: int, n: int) -> tuple[float, float]:
    """The 95 % Wilson score interval of a rate of `successes` out of `n` runs."""
    for name, value in [("successes", successes), ("n", n)]:
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"{name} must be an int, got {type(value).__name__}")
    if not 0 <= successes <= n or n < 1:
        raise ValueError(f"need 0 <= successes <= n and n >= 1, got {successes} of {n}")
    centre = (successes + Z95**2 / 2) / (n + Z95**2)
    half = Z95 / (n + Z95**2) * math.sqrt(successes * (n - successes) / n + Z95**2 / 4)
    # at 0 and n the ends are exactly 0 and 1; rounding would leave a trace
    low = 0.0 if successes == 0 else centre - half
    high = 1.0 if successes == n else centre + half
    return low, high


def quote_rate(key: str, successes: int, n: int) -> dict[str, Quoted]:
    """A count, and its 95 % Wilson interval in per cent, as `key`, `key_low` and
    `key_high` (the pages add the % sign). The shown ends are whole per cents rounded
    outwards (the lower down, the upper up), so the interval shown holds the one computed."""
    low, high = wilson(successes, n)
    # round(..., 9) first: 100 * 0.57 is 56.99999999999999, whose floor would be 56
    low_shown, high_shown = math.floor(round(100 * low, 9)), math.ceil(round(100 * high, 9))
    return {
        key: quote(successes),
        f"{key}_low": quote(100 * low, text=str(low_shown)),
        f"{key}_high": quote(100 * high, text=str(high_shown)),
    }
