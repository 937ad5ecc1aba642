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


def test_bad_sweep_arguments():
    x, y = minimum.make_data(n=10)
    with pytest.raises(TypeError, match="seeds must be a non-empty list of ints"):
        train_many(minimum.MinModel, minimum.forward_many, [], x, y, steps=1, lr=0.1)
    with pytest.raises(TypeError, match="seeds must be a non-empty list of ints"):
        train_many(minimum.MinModel, minimum.forward_many, [1.5], x, y, steps=1, lr=0.1)
    with pytest.raises(ValueError, match="steps must be an int >= 0"):
        train_many(minimum.MinModel, minimum.forward_many, [0], x, y, steps=-1, lr=0.1)
    with pytest.raises(ValueError, match="lr must be a number > 0"):
        train_many(minimum.MinModel, minimum.forward_many, [0], x, y, steps=1, lr=0)
