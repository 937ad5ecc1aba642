"""One answer to bad input everywhere in the course: the rules of snippets/checks.py."""

import math

import numpy as np
import pytest
import torch

from snippets.checks import (
    boolean,
    checked,
    choice,
    column,
    function,
    integer,
    number,
    optional,
    positive,
    seeds,
    sequence,
)


def f(n: int = 3, rate: float = 0.5, mode: str = "a", noise: float | None = None):
    return n, rate, mode, noise


g = checked(
    f,
    n=integer(1, 10),
    rate=positive(1.0),
    mode=choice("a", "b"),
    noise=optional(number(lo=0)),
)


def test_good_arguments_pass_as_plain_python_numbers():
    assert g() == (3, 0.5, "a", None)
    n, rate, mode, noise = g(np.int64(4), np.float32(0.25), "b", noise=np.float64(0.0))
    assert (n, rate, mode, noise) == (4, 0.25, "b", 0.0)
    assert type(n) is int and type(rate) is float and type(noise) is float
    assert g.__name__ == "f" and g.__doc__ == f.__doc__


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"n": 2.5}, TypeError, "n must be an integer, got float 2.5"),
        ({"n": True}, TypeError, "n must be an integer, got bool True"),
        ({"n": "3"}, TypeError, "n must be an integer, got str '3'"),
        ({"n": 0}, ValueError, "n must be at least 1, got 0"),
        ({"n": 11}, ValueError, "n must be at most 10, got 11"),
        ({"rate": math.inf}, ValueError, "rate must be finite, got inf"),
        ({"rate": math.nan}, ValueError, "rate must be finite, got nan"),
        ({"rate": 0}, ValueError, "rate must be greater than 0, got 0.0"),
        ({"rate": False}, TypeError, "rate must be a number, got bool False"),
        ({"mode": "c"}, ValueError, "mode must be one of 'a', 'b', got 'c'"),
        ({"noise": True}, TypeError, "noise must be a number, got bool True"),
        ({"noise": -1}, ValueError, "noise must be at least 0, got -1.0"),
    ],
)
def test_bad_arguments_get_the_course_wide_errors(kwargs, error, message):
    with pytest.raises(error) as raised:
        g(**kwargs)
    assert str(raised.value) == message


def test_boolean_and_seed_lists():
    flag = checked(lambda on=False: on, on=boolean())
    assert flag(True) is True
    with pytest.raises(TypeError, match="on must be True or False, got int 1"):
        flag(1)
    many = checked(lambda s: s, s=seeds(3))
    assert many(range(3)) == [0, 1, 2]
    assert many([np.int64(5)]) == [5]
    with pytest.raises(ValueError, match="s must hold 1 to 3 seeds, got 0"):
        many([])
    with pytest.raises(ValueError, match="s must hold 1 to 3 seeds, got 4"):
        many([1, 2, 3, 4])
    with pytest.raises(TypeError, match=r"s\[1\] must be an integer"):
        many([1, 2.0])
    with pytest.raises(TypeError, match="s must be a list of integers"):
        many(7)


def test_a_rule_for_an_argument_that_does_not_exist_is_a_mistake():
    with pytest.raises(TypeError, match=r"f has no arguments \['step'\]"):
        checked(f, step=integer())


def test_sequences_of_a_length_or_of_a_range_of_lengths():
    three = checked(lambda v: v, v=sequence(integer(0), 3))
    assert three((1, np.int64(2), 3)) == [1, 2, 3]
    with pytest.raises(ValueError, match="v must hold 3 items, got 2"):
        three([1, 2])
    some = checked(lambda v: v, v=sequence(integer(0), fewest=2, most=4))
    assert some([0, 1]) == [0, 1]
    with pytest.raises(ValueError, match="v must hold 2 to 4 items, got 1"):
        some([0])
    with pytest.raises(ValueError, match="v must hold 2 to 4 items, got 5"):
        some([0] * 5)
    with pytest.raises(ValueError, match=r"v\[1\] must be at least 0, got -1"):
        some([0, -1])
    with pytest.raises(TypeError, match="v must be a list, got str"):
        some("01")
    many = checked(lambda v: v, v=sequence(number(), fewest=1))
    assert many([1]) == [1.0]
    with pytest.raises(ValueError, match="v must hold at least 1 item, got 0"):
        many([])


def test_functions_and_columns():
    apply = checked(lambda f, x: f(x), f=function(), x=column())
    x = torch.tensor([[-1.0], [2.0]])
    assert apply(torch.relu, x).tolist() == [[0.0], [2.0]]
    assert apply(torch.nn.ReLU(), x.double()).dtype == torch.float64  # a module is a function
    with pytest.raises(TypeError, match="f must be a function, got int"):
        apply(3, x)
    with pytest.raises(TypeError, match="x must be a tensor, got list"):
        apply(torch.relu, [[1.0]])
    with pytest.raises(TypeError, match="x must hold floats, got torch.int64"):
        apply(torch.relu, torch.tensor([[1]]))
    for shape in [(2,), (2, 2), (0, 1), (1, 1, 1)]:
        with pytest.raises(ValueError, match=r"x must be a column, shape \(N, 1\), got"):
            apply(torch.relu, torch.zeros(shape))
