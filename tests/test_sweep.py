"""The batched seed sweep: copy s of a sweep is what training seed s alone gives."""

import pytest
import torch
from torch import nn

from snippets import minimum
from snippets.sweep import linear_many, sequential_many, stack_parameters, train_many, unstack


def test_stack_parameters_rebuilds_each_seed():
    params = stack_parameters(minimum.MinModel, [4, 9])
    torch.manual_seed(9)
    alone = minimum.MinModel().state_dict()
    assert all(torch.equal(params[name][1], alone[name]) for name in alone)


def test_linear_many_matches_nn_linear():
    layers = [nn.Linear(3, 2) for _ in range(4)]
    weight = torch.stack([layer.weight for layer in layers])
    bias = torch.stack([layer.bias for layer in layers])
    x = torch.randn(7, 3)
    shared = linear_many(x.T, weight, bias)
    separate = linear_many(x.T.expand(4, 3, 7), weight, bias)
    for k, layer in enumerate(layers):
        assert torch.allclose(shared[k], layer(x).T, atol=1e-6)
        assert torch.allclose(separate[k], layer(x).T, atol=1e-6)


def test_sequential_many_matches_each_model():
    def make():
        return nn.Sequential(nn.Linear(1, 2), nn.ReLU(), nn.Linear(2, 1))

    params = stack_parameters(make, [0, 1, 2])
    x = torch.linspace(-3, 3, 11).reshape(-1, 1)
    out = sequential_many(make(), params, x)
    for k in range(3):
        assert torch.allclose(out[k], unstack(make, params, k)(x).T, atol=1e-6)


@pytest.mark.parametrize("seed", [0, 7])
def test_sweep_equals_training_alone_minimum(seed):
    x, y = minimum.make_data()
    sweep = train_many(minimum.MinModel, minimum.forward_many, [3, seed], x, y, steps=1000, lr=0.03)
    alone = minimum.train(seed=seed, epochs=1000, lr=0.03)
    copy = unstack(minimum.MinModel, sweep.params, 1).state_dict()
    for name, value in alone.model.state_dict().items():
        assert torch.allclose(copy[name], value, atol=1e-4), name
    assert sweep.loss[:, 1].tolist() == pytest.approx(alone.history["loss"], rel=1e-3, abs=1e-6)


@pytest.mark.parametrize(
    ("change", "error", "words"),
    [
        ({"seeds": []}, ValueError, "seeds must hold 1 to 10000 seeds, got 0"),
        ({"seeds": [1.5]}, TypeError, "seeds[0] must be an integer, got float 1.5"),
        ({"steps": -1}, ValueError, "steps must be at least 0, got -1"),
        ({"lr": 0}, ValueError, "lr must be greater than 0, got 0.0"),
        ({"lr": float("nan")}, ValueError, "lr must be finite, got nan"),
        ({"y": "targets"}, TypeError, "y must be a tensor, got str"),
        ({"y": torch.zeros(10)}, ValueError, "y must have shape (N, features), got (10,)"),
        (
            {"y": torch.zeros(1, 10)},
            ValueError,
            "x has 10 rows but y has 1: one target per example",
        ),
        ({"y": torch.zeros(10, 2)}, ValueError, "forward gives 1 outputs per example but y has 2"),
    ],
)
def test_bad_sweep_arguments(change, error, words):
    """Wrong input is refused, never trained on: a (1, N) target would broadcast."""
    x, y = minimum.make_data(n=10)
    arguments = {"seeds": [0], "x": x, "y": y, "steps": 1, "lr": 0.1} | change
    with pytest.raises(error) as raised:
        train_many(minimum.MinModel, minimum.forward_many, **arguments)
    assert str(raised.value) == words
