"""Argument checks for the course's public functions, out of shown code.

The functions a page shows are the ones a reader copies: they lead with
their substance and carry no checks. Each chapter module ends with one
small block, outside its shown sections, that wraps its public functions:

    train = checked(
        train, seed=integer(), steps=integer(0, MAX_STEPS), lr=positive()
    )

The wrapped function answers bad input the same way everywhere in the
course: TypeError for a wrong type, ValueError for a value out of range.
Integers and floats from numpy are accepted as numbers (and passed on as
plain Python ones); True and False are not numbers; infinities and NaN
are refused; sizes are capped, with the cap in the message.
"""

from __future__ import annotations

import functools
import inspect
import math
import numbers
from collections.abc import Callable
from typing import Any

# (argument name, value) -> the value to pass on
Rule = Callable[[str, Any], Any]


def integer(lo: int | None = None, hi: int | None = None) -> Rule:
    """An int (or numpy integer) in [lo, hi]."""

    def check(name: str, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(
            value, numbers.Integral
        ):
            raise TypeError(
                f"{name} must be an integer, "
                f"got {type(value).__name__} {value!r}"
            )
        return in_range(name, int(value), lo, hi)

    return check


def number(
    lo: float | None = None,
    hi: float | None = None,
    above: float | None = None,
) -> Rule:
    """A finite int or float (numpy's too) in [lo, hi], or > `above`."""

    def check(name: str, value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise TypeError(
                f"{name} must be a number, "
                f"got {type(value).__name__} {value!r}"
            )
        value = float(value)
        if not math.isfinite(value):
            raise ValueError(f"{name} must be finite, got {value}")
        if above is not None and not value > above:
            raise ValueError(
                f"{name} must be greater than {above}, got {value}"
            )
        return in_range(name, value, lo, hi)

    return check


def positive(hi: float | None = None) -> Rule:
    """A finite number > 0 (and at most hi)."""
    return number(hi=hi, above=0)


def choice(*options: Any) -> Rule:
    def check(name: str, value: Any) -> Any:
        if value not in options:
            raise ValueError(
                f"{name} must be one of {', '.join(map(repr, options))}, "
                f"got {value!r}"
            )
        return value

    return check


def optional(rule: Rule) -> Rule:
    """None, or what `rule` accepts."""

    def check(name: str, value: Any) -> Any:
        return None if value is None else rule(name, value)

    return check


def boolean() -> Rule:
    def check(name: str, value: Any) -> bool:
        if not isinstance(value, bool):
            raise TypeError(
                f"{name} must be True or False, "
                f"got {type(value).__name__} {value!r}"
            )
        return value

    return check


def seeds(most: int) -> Rule:
    """A non-empty list of at most `most` integer seeds."""
    each = integer()

    def check(name: str, value: Any) -> list[int]:
        if not isinstance(value, (list, tuple, range)):
            raise TypeError(
                f"{name} must be a list of integers, "
                f"got {type(value).__name__}"
            )
        if not 1 <= len(value) <= most:
            raise ValueError(
                f"{name} must hold 1 to {most} seeds, got {len(value)}"
            )
        return [each(f"{name}[{i}]", v) for i, v in enumerate(value)]

    return check


def items(count: int) -> str:
    return f"{count} item" if count == 1 else f"{count} items"


def sequence(
    item: Rule,
    length: int | None = None,
    *,
    fewest: int = 0,
    most: int | None = None,
) -> Rule:
    """A list (or tuple) whose items `item` accepts: of the given length
    if one is given, else of fewest to most items."""

    def check(name: str, value: Any) -> list:
        if not isinstance(value, (list, tuple)):
            raise TypeError(
                f"{name} must be a list, got {type(value).__name__}"
            )
        if length is not None and len(value) != length:
            raise ValueError(
                f"{name} must hold {items(length)}, got {len(value)}"
            )
        if len(value) < fewest or most is not None and len(value) > most:
            span = (
                f"at least {items(fewest)}"
                if most is None
                else f"{fewest} to {most} items"
            )
            raise ValueError(f"{name} must hold {span}, got {len(value)}")
        return [item(f"{name}[{i}]", v) for i, v in enumerate(value)]

    return check


def function() -> Rule:
    """Anything that can be called: a function, a torch module."""

    def check(name: str, value: Any) -> Any:
        if not callable(value):
            raise TypeError(
                f"{name} must be a function, got {type(value).__name__}"
            )
        return value

    return check


def column() -> Rule:
    """A torch tensor of floats, shape (N, 1), N >= 1: one input a row."""

    def check(name: str, value: Any) -> Any:
        import torch

        if not isinstance(value, torch.Tensor):
            raise TypeError(
                f"{name} must be a tensor, got {type(value).__name__}"
            )
        if not value.is_floating_point():
            raise TypeError(f"{name} must hold floats, got {value.dtype}")
        if value.dim() != 2 or value.shape[0] == 0 or value.shape[1] != 1:
            raise ValueError(
                f"{name} must be a column, shape (N, 1), "
                f"got {tuple(value.shape)}"
            )
        return value

    return check


def network(kind: type) -> Rule:
    """A torch module of type `kind` whose weights are all finite."""

    def check(name: str, value: Any) -> Any:
        import torch

        if not isinstance(value, kind):
            raise TypeError(
                f"{name} must be a {kind.__name__}, "
                f"got {type(value).__name__}"
            )
        if not all(torch.isfinite(p).all() for p in value.parameters()):
            raise ValueError(
                f"{name} has a weight that is NaN or infinite"
            )
        return value

    return check


def in_range(
    name: str, value: float, lo: float | None, hi: float | None
) -> Any:
    if lo is not None and value < lo:
        raise ValueError(f"{name} must be at least {lo}, got {value}")
    if hi is not None and value > hi:
        raise ValueError(f"{name} must be at most {hi}, got {value}")
    return value


def checked(
    function: Callable, *, together: Callable | None = None, **rules: Rule
) -> Callable:
    """`function` with its arguments checked first by `rules` (one per
    argument name), then by `together(arguments)` for what depends on
    several arguments at once."""
    signature = inspect.signature(function)
    unknown = set(rules) - set(signature.parameters)
    if unknown:
        raise TypeError(
            f"{function.__name__} has no arguments {sorted(unknown)}"
        )

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        bound = signature.bind(*args, **kwargs)
        bound.apply_defaults()
        for name, rule in rules.items():
            bound.arguments[name] = rule(name, bound.arguments[name])
        if together:
            together(bound.arguments)
        return function(*bound.args, **bound.kwargs)

    return wrapper
