"""Chapter 1: every claim the chapter makes about the neuron, checked."""

import math

import pytest
import torch
import torch.nn.functional as F

from site_tools.chapters.less_than import ADAM, SGD, smallest_scale_with_zero_loss
from snippets.less_than import hardwired, make_data, train


@pytest.fixture(scope="module")
def adam():
    return train(seed=0, **ADAM)


@pytest.fixture(scope="module")
def sgd():
    return train(seed=0, **SGD)


def threshold(model) -> float:
    return -model[0].bias.item() / model[0].weight.item()


def test_data_shape_and_labels():
    x, y = make_data()
    assert x.shape == y.shape == (60, 1)
    assert x.dtype == y.dtype == torch.float32
    assert x.flatten().tolist() == list(range(-20, 40))
    assert y.flatten().tolist() == [1.0] * 30 + [0.0] * 30


def test_hardwired_is_sigmoid_of_ten_minus_x():
    model = hardwired()
    assert model[0].weight.item() == -1 and model[0].bias.item() == 10
    assert model(torch.tensor([[9.5]])).item() == pytest.approx(0.6225, abs=1e-4)
    assert model(torch.tensor([[10.0]])).item() == 0.5


def test_scaling_sharpens_without_moving_the_threshold():
    point = torch.tensor([[9.5]])
    outputs = [hardwired(scale)(point).item() for scale in (1, 10, 100)]
    assert outputs[0] < outputs[1] < outputs[2]
    assert outputs[2] == pytest.approx(1.0, abs=1e-7)  # sigma(50)
    for scale in (1, 10, 100):
        assert threshold(hardwired(scale)) == pytest.approx(10)
        assert hardwired(scale)(torch.tensor([[10.0]])).item() == 0.5  # stuck on the boundary


def test_threshold_between_9_and_10_is_exact_on_the_data():
    x, y = make_data()
    assert torch.equal((hardwired(100, threshold=9.5)(x) > 0.5).float(), y)


def test_adam_sharpens_and_settles_near_9_5(adam):
    weights = adam.history["weight"]
    assert abs(weights[1000]) > abs(weights[100]) > 0
    assert abs(weights[-1]) > abs(weights[1000])  # the scale is still growing at the end
    assert 9.4 < threshold(adam.model) < 9.5
    x, y = make_data()
    assert torch.equal((adam.model(x) > 0.5).float(), y)  # 100 % accuracy


def test_sgd_is_still_far_from_9_5_and_gets_9_wrong(sgd):
    assert 8.5 < threshold(sgd.model) < 9.0
    prediction_at_9 = sgd.model(torch.tensor([[9.0]])).item()
    assert prediction_at_9 < 0.5  # label 1, predicted 0


def test_loss_decreases_but_stays_positive(adam):
    loss = adam.history["loss"]
    assert loss[0] > loss[100] > loss[1000] > loss[-1] > 0


def test_history_has_one_entry_per_step(adam):
    assert {len(v) for v in adam.history.values()} == {ADAM["steps"] + 1}
    assert adam.history["step"] == list(range(ADAM["steps"] + 1))


def test_training_is_reproducible():
    a, b = train(seed=3, steps=50), train(seed=3, steps=50)
    assert a.history == b.history


def test_float32_loss_rounds_to_zero_but_float64_does_not():
    x, y = make_data()
    scale = smallest_scale_with_zero_loss()
    assert 100 < scale < 1000  # "a few hundred"
    logits = hardwired(scale, threshold=9.5)[0](x)
    assert F.binary_cross_entropy_with_logits(logits, y).item() == 0.0
    assert F.binary_cross_entropy_with_logits(logits.double(), y.double()).item() > 0.0
    smaller = hardwired(scale - 1, threshold=9.5)[0](x)
    assert F.binary_cross_entropy_with_logits(smaller, y).item() > 0.0


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: hardwired(0), ValueError, "scale must be > 0"),
        (lambda: hardwired(-2.0), ValueError, "scale must be > 0"),
        (lambda: hardwired(float("nan")), ValueError, "scale must be finite"),
        (lambda: hardwired("3"), TypeError, "scale must be a number"),
        (lambda: hardwired(1, threshold=None), TypeError, "threshold must be a number"),
        (lambda: train(seed=1.5), TypeError, "seed must be an int"),
        (lambda: train(seed="0"), TypeError, "seed must be an int"),
        (lambda: train(steps=-1), ValueError, "steps must be an int >= 0"),
        (lambda: train(steps=2.5), ValueError, "steps must be an int >= 0"),
        (lambda: train(lr=0), ValueError, "lr must be a number > 0"),
        (lambda: train(optimizer="rmsprop"), ValueError, "optimizer must be 'adam' or 'sgd'"),
    ],
)
def test_bad_arguments_are_refused_clearly(call, error, words):
    with pytest.raises(error, match=words):
        call()


def test_numbers_the_prose_quotes():
    # sigma(50) is 1 "to more than twenty decimal places"
    assert math.exp(-50) / (1 + math.exp(-50)) < 1e-20  # 1 - sigma(50)
    # "the smallest number a 32-bit float can hold (about 1.4e-45)"
    smallest = torch.tensor(1.4e-45, dtype=torch.float32)
    assert smallest > 0 and smallest / 2 == 0
