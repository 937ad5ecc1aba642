"""Chapter 1: every claim the chapter makes about the neuron, checked."""

import inspect
import itertools
import math
import re

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from site_tools import experiments
from site_tools.chapters import less_than as chapter
from site_tools.chapters.less_than import (
    ADAM,
    ADAM_AT_SGD_LR,
    CENTRED,
    SGD,
    SGD_LONGER,
    neuron_at,
)
from snippets.less_than import hardwired, loss_hessian, make_data, train


@pytest.fixture(scope="module")
def result():
    return experiments.result("less_than")


@pytest.fixture(scope="module")
def adam():
    return train(seed=0, **ADAM)


@pytest.fixture(scope="module")
def sgd_longer():
    return train(seed=0, **SGD_LONGER)


@pytest.fixture(scope="module")
def sgd(sgd_longer):
    """The SGD run of the page: the first SGD["steps"] steps of the longer run."""
    return neuron_at(sgd_longer.history, SGD["steps"])


@pytest.fixture(scope="module")
def centred():
    return train(seed=0, **CENTRED)


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
    # the neuron's logit at 9.5 is 50, and 1 - sigma(50) = sigma(-50) is below 10^-21:
    # the output is 1 to more than twenty decimal places
    logit = hardwired(100)[0](point).double()
    assert logit.item() == 50
    assert 0 < torch.sigmoid(-logit).item() < 1e-21
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


def test_sgd_is_still_far_from_9_5_and_gets_9_wrong(sgd, result):
    assert 8.5 < threshold(sgd) < 9.0
    prediction_at_9 = sgd(torch.tensor([[9.0]])).item()
    assert prediction_at_9 < 0.5  # label 1, predicted 0
    assert result.value("sgd_wrong") == [9]
    assert result.value("sgd_threshold") == pytest.approx(threshold(sgd), abs=1e-6)


def test_a_longer_run_begins_with_the_shorter_one():
    """The experiment takes the page's SGD run from the first steps of a longer run."""
    short, longer = (
        train(seed=0, steps=200, lr=0.01, optimizer="sgd"),
        train(seed=0, steps=300, lr=0.01, optimizer="sgd"),
    )
    assert {k: v[:201] for k, v in longer.history.items()} == short.history


def test_loss_decreases_but_stays_positive(adam):
    loss = adam.history["loss"]
    assert loss[0] > loss[100] > loss[1000] > loss[-1] > 0


def test_history_has_one_entry_per_step(adam):
    assert {len(v) for v in adam.history.values()} == {ADAM["steps"] + 1}
    assert adam.history["step"] == list(range(ADAM["steps"] + 1))


def test_training_is_reproducible():
    a, b = train(seed=3, steps=50), train(seed=3, steps=50)
    assert a.history == b.history


def float32_terms(scale: int) -> torch.Tensor:
    x, y = make_data()
    with torch.no_grad():
        logits = hardwired(scale, threshold=9.5)[0](x)
    return F.binary_cross_entropy_with_logits(logits, y, reduction="none").flatten()


def test_pytorch_computes_each_term_as_one_minus_y_times_z_minus_log_sigmoid():
    """The formula the page names is the one PyTorch evaluates, to the last bit; the
    max(z, 0) - z y + log(1 + exp(-|z|)) form gives other float32 values."""
    x, y = make_data()
    differs = 0
    for scale in range(1, 301):
        with torch.no_grad():
            z = hardwired(scale, threshold=9.5)[0](x)
        terms = F.binary_cross_entropy_with_logits(z, y, reduction="none")
        assert torch.equal(terms, (1 - y) * z - F.logsigmoid(z)), scale
        other = z.clamp(min=0) - z * y + torch.log1p(torch.exp(-z.abs()))
        differs += not torch.equal(terms, other)
    assert differs > 100


def test_label_0_terms_cancel_to_zero_from_the_quoted_scale(result):
    x, y = make_data()
    label0 = y.flatten() == 0
    scale = result.value("label0_zero_scale")
    assert scale == 30
    assert float32_terms(scale - 1)[label0].max() > 0  # x = 10 still counts at 29
    for m in range(scale, 1001):
        assert (float32_terms(m)[label0] == 0).all(), m
    # x = 9 and x = 10 are both half a unit from 9.5: equal terms in exact arithmetic
    terms = float32_terms(scale)
    true_value = math.log1p(math.exp(-scale / 2))
    assert terms[29].item() == pytest.approx(true_value, rel=1e-5)  # x = 9: right
    assert terms[30].item() == 0.0  # x = 10: gone
    assert result.value("nine_term_at_label0_zero") == pytest.approx(true_value, rel=1e-5)
    # the mechanism: log sigmoid(-15) is -15 itself in float32, floats near 15 are
    # 2^-20 apart, and e^-15 is less than half of that (so z - e^z rounds back to z)
    assert result.value("label0_logit") == 15
    z = torch.tensor(-15.0)
    assert F.logsigmoid(z).item() == -15.0 and (z - F.logsigmoid(z)).item() == 0.0
    assert result.value("float32_spacing") == 2.0**-20
    assert 2 * math.exp(-15) < 2.0**-20 < 2 * math.exp(-14.5)  # at 29 it rounds up instead


def test_the_mean_underflows_while_the_largest_term_is_still_positive(result):
    x, y = make_data()
    scale = result.value("zero_loss_scale")
    assert scale == 200
    terms = float32_terms(scale)
    assert terms.mean().item() == 0.0 and float32_terms(scale - 1).mean().item() > 0.0
    assert terms[29].item() > 0  # x = 9, the largest term
    assert (terms[torch.arange(60) != 29] == 0).all()  # every other term is 0
    assert result.value("nine_term_at_zero_loss") == terms[29].item()
    smallest = result.value("smallest_float32")
    assert smallest == torch.finfo(torch.float32).smallest_normal * 2**-23
    assert torch.tensor(smallest, dtype=torch.float32) > 0
    assert torch.tensor(smallest / 2, dtype=torch.float32) == 0
    mean = result.value("mean_at_zero_loss")
    assert mean == pytest.approx(terms[29].item() / 60) and mean < smallest / 2
    for m in range(scale, 1001):  # the mean stays 0 from there on
        assert float32_terms(m).mean().item() == 0.0
    # the terms themselves are all 0 only later
    later = result.value("all_terms_zero_scale")
    assert later > scale and (float32_terms(later) == 0).all()
    assert float32_terms(later - 1).max() > 0
    # the mean the page prints at M = 1000 is 0 in float32
    logits = hardwired(1000, threshold=9.5)[0](x)
    assert F.binary_cross_entropy_with_logits(logits, y).item() == 0.0


def reference_terms(scale: int) -> list[float]:
    """The 60 true loss terms log(1 + e^-u), u the label-signed logit, one by one in Python
    floats (-u is at most -scale / 2 here, so exp never overflows)."""
    terms = []
    for x in range(-20, 40):
        u = scale * (9.5 - x) * (1 if x < 10 else -1)
        terms.append(math.log1p(math.exp(-u)))
    return terms


def test_the_reference_column_is_the_true_loss_and_float32_lacks_half_of_it(result):
    """The page's reference (softplus of -u in float64) is the true mean loss at the scales it
    prints. The points pair up about 9.5 (9 - k with 10 + k) with equal true terms, so the
    label-0 terms are half the loss: from M = 30, where they are 0 in float32, the float32
    loss is half the reference (the page quotes M = 100)."""
    x, y = make_data()
    sign = 2 * y - 1
    for scale in [10, 100, 1000]:
        logits = hardwired(scale, threshold=9.5)[0](x)
        shown = F.softplus(-sign * logits.double()).mean().item()
        true = math.fsum(reference_terms(scale)) / 60
        assert shown == pytest.approx(true, rel=1e-12) and true > 0
        assert chapter.exact_loss(-scale, 9.5 * scale, x, y) == pytest.approx(true, rel=1e-12)
    for scale in [10, 30, 100, 1000]:
        terms = reference_terms(scale)
        assert terms[:30] == terms[30:][::-1]  # label 1 (x < 10) mirrors label 0
    label0 = result.value("label0_zero_scale")
    for scale in range(label0, 101):
        share = float32_terms(scale).mean().item() / (math.fsum(reference_terms(scale)) / 60)
        assert share == pytest.approx(0.5, abs=1e-6), scale
    share = float32_terms(label0 - 1).mean().item() / (math.fsum(reference_terms(29)) / 60)
    assert share > 0.5 + 1e-3  # at 29 the label-0 terms still count
    quoted = result.value("float32_share_shown")
    assert quoted == pytest.approx(0.5, abs=1e-6) and result.text("float32_share_shown") == "50%"
    assert quoted == float32_terms(100).mean().item() / chapter.exact_loss(-100, 950, x, y)


def test_pytorchs_own_loss_in_float64_drops_the_label_0_terms_too(result):
    """PyTorch's formula cancels in float64 as well, later: every label-0 term is 0 from the
    quoted scale on (not at the one before), and from there its mean is half the true loss,
    at M = 100 and 1000 too, where the page prints the reference."""
    x, y = make_data()
    label0 = y.flatten() == 0

    def terms64(scale: int) -> torch.Tensor:
        logits = hardwired(scale, threshold=9.5)[0](x).double()
        return F.binary_cross_entropy_with_logits(logits, y.double(), reduction="none").flatten()

    start = result.value("label0_zero_scale_float64")
    assert start == 67 and terms64(start - 1)[label0].max() > 0
    for scale in range(start, 1001):
        terms = terms64(scale)
        assert (terms[label0] == 0).all(), scale
        true = math.fsum(reference_terms(scale)) / 60
        assert terms.mean().item() == pytest.approx(0.5 * true, rel=1e-9), scale
    assert result.value("float64_share") == pytest.approx(0.5, rel=1e-9)
    assert result.text("float64_share") == "50%"


# --- why plain SGD is slow ---------------------------------------------------------------


def autograd_hessian(weight: float, bias: float, centre: float = 0.0) -> torch.Tensor:
    x, y = make_data()
    x, y = x.double() - centre, y.double()

    def loss(params):
        return F.binary_cross_entropy_with_logits(params[0] * x + params[1], y)

    return torch.autograd.functional.hessian(
        loss, torch.tensor([weight, bias], dtype=torch.float64)
    )


@pytest.mark.parametrize(
    ("weight", "bias", "centre"), [(-0.0075, 0.54, 0.0), (-0.6, 5.4, 0.0), (-1.2, 0.35, 9.5)]
)
def test_loss_hessian_is_the_hessian(weight, bias, centre):
    expected = autograd_hessian(weight, bias, centre)
    assert torch.allclose(loss_hessian(weight, bias, centre), expected, rtol=1e-10, atol=1e-12)


def test_the_experiments_hessians_are_loss_hessian_at_every_step(sgd_longer, centred):
    for run, centre in [(sgd_longer.history, 0.0), (centred.history, 9.5)]:
        stack = chapter.hessians(run, centre)
        assert stack.shape == (len(run["step"]), 2, 2)
        for step in (0, 1, 100, 735, len(run["step"]) - 1):
            expected = loss_hessian(run["weight"][step], run["bias"][step], centre)
            assert torch.allclose(stack[step], expected, rtol=1e-12)


def condition_and_angle(weight, bias, centre=0.0) -> tuple[float, float]:
    """From autograd's Hessian: the condition number, and the angle in degrees between the
    flattest direction and the bias axis."""
    values, vectors = torch.linalg.eigh(autograd_hessian(weight, bias, centre))
    return (values[1] / values[0]).item(), math.degrees(math.acos(abs(vectors[1, 0].item())))


def test_sgd_separates_the_data_only_at_the_quoted_step(sgd_longer, result):
    x, y = make_data()
    first = result.value("sgd_first_separated")
    assert first == 24198 and SGD["steps"] < first < SGD_LONGER["steps"]
    with torch.no_grad():
        for step in (first - 1, first, SGD_LONGER["steps"]):
            right = torch.equal((neuron_at(sgd_longer.history, step)(x) > 0.5).float(), y)
            assert right == (step >= first), step
    assert chapter.all_right(sgd_longer.history)[first:].all()  # and stays separated
    assert not chapter.all_right(sgd_longer.history)[:first].any()


def test_centred_sgd_separates_the_data_at_the_quoted_step(centred, result):
    x, y = make_data()
    first = result.value("centred_first_separated")
    assert first == 735 and first < 1000  # "within a thousand steps"
    with torch.no_grad():
        for step in (first - 1, first):
            model = neuron_at(centred.history, step)  # this neuron reads x - 9.5
            right = torch.equal((model(x - 9.5) > 0.5).float(), y)
            assert right == (step == first)
    assert chapter.all_right(centred.history, 9.5)[first:].all()
    assert abs(result.value("centred_bias_at_separation")) < 0.5  # a bias near 0 will do


def test_sgd_has_to_move_along_the_flattest_direction(sgd_longer, result):
    run = sgd_longer.history
    first = result.value("sgd_first_separated")
    a, b = run["weight"][first], run["bias"][first]
    assert 9 < b / -a < 10  # the bias has grown to about 9.5 |a|
    assert result.value("sgd_bias_at_separation") == pytest.approx(b, abs=0.005)
    assert result.value("sgd_a_at_separation") == pytest.approx(-a, abs=0.005)
    assert result.value("sgd_bias_start") == pytest.approx(run["bias"][0], abs=0.005)
    da, db = a - run["weight"][0], b - run["bias"][0]
    angle = math.degrees(math.atan2(abs(da), abs(db)))
    assert angle == pytest.approx(result.value("sgd_move_angle"), abs=1e-9) and angle < 10
    # the Hessian along the page's 20,000 steps: badly conditioned, flattest near the bias
    low, high = result.value("sgd_cond_min"), result.value("sgd_cond_max")
    widest = result.value("sgd_flat_angle_max")
    assert 50 < low < high and widest < 10
    conditions = []
    for step in range(0, SGD["steps"] + 1, 250):
        condition, angle = condition_and_angle(run["weight"][step], run["bias"][step])
        assert low - 1e-6 <= condition <= high + 1e-6 and angle <= widest + 1e-6
        conditions.append(condition)
    assert max(conditions) > 0.95 * high  # the top of the range is reached, at the end
    assert condition_and_angle(run["weight"][0], run["bias"][0])[0] == pytest.approx(
        result.value("sgd_cond_start")
    )


def test_centred_run_moves_along_a_and_becomes_well_conditioned(centred, result):
    run = centred.history
    first = result.value("centred_first_separated")
    da, db = run["weight"][first] - run["weight"][0], run["bias"][first] - run["bias"][0]
    assert math.degrees(math.atan2(abs(da), abs(db))) > 80  # nearly along a
    assert result.value("centred_move_angle") > 80
    start, start_angle = condition_and_angle(run["weight"][0], run["bias"][0], 9.5)
    assert start == pytest.approx(result.value("centred_cond_start"))
    assert start > 100 and start_angle < 10  # as badly conditioned, as flat along b
    calm = result.value("centred_cond_below_5_from")
    assert calm < 1000  # "below 5 after a thousand steps"
    for step in range(calm, CENTRED["steps"] + 1, 50):
        assert condition_and_angle(run["weight"][step], run["bias"][step], 9.5)[0] < 5
    assert condition_and_angle(run["weight"][calm - 1], run["bias"][calm - 1], 9.5)[0] >= 5
    end = condition_and_angle(run["weight"][-1], run["bias"][-1], 9.5)[0]
    assert end == pytest.approx(result.value("centred_cond_end"), abs=0.05)


def test_the_run_on_x_climbs_while_the_centred_run_calms_down(sgd_longer, result):
    """ "while that of the run on x climbs": at every step from the centred run's step below 5
    to the end of the centred run, the run on x's condition number is larger than before."""
    run = sgd_longer.history
    calm, end = result.value("centred_cond_below_5_from"), CENTRED["steps"]
    conditions = [
        torch.linalg.cond(loss_hessian(run["weight"][step], run["bias"][step])).item()
        for step in range(calm, end + 1)
    ]
    assert all(later > earlier for earlier, later in itertools.pairwise(conditions))
    assert conditions[0] == pytest.approx(result.value("sgd_cond_at_calm"), abs=0.5)
    assert conditions[-1] == pytest.approx(result.value("sgd_cond_at_centred_end"), abs=0.5)


def test_the_centre_is_the_mean_of_the_inputs():
    x, _ = make_data()
    assert x.mean().item() == CENTRED["centre"] == 9.5


def test_adam_separates_first_at_step_26_and_for_good_from_step_120(adam, result):
    x, y = make_data()
    first, good = result.value("adam_first_separated"), result.value("adam_separated_for_good")
    assert (first, good) == (26, 120)
    right = [
        torch.equal((neuron_at(adam.history, step)(x) > 0.5).float(), y)
        for step in range(ADAM["steps"] + 1)
    ]
    assert right.index(True) == first
    assert not right[good - 1] and all(right[good:])  # separated at every step from there
    assert not all(right[first:good])  # in between it loses the separation again
    thresholds = [threshold(neuron_at(adam.history, step)) for step in range(first, good)]
    assert max(thresholds) == pytest.approx(result.value("adam_threshold_peak"), abs=0.005)
    assert min(thresholds) == pytest.approx(result.value("adam_threshold_dip"), abs=0.005)
    assert max(thresholds) > 9.5 and min(thresholds) < 9  # overshoots, then falls back


def test_adam_threshold_rises_more_and_more_slowly_once_separated_for_good(adam, result):
    good, window = result.value("adam_separated_for_good"), result.value("settling_window")
    thresholds = [threshold(neuron_at(adam.history, step)) for step in range(ADAM["steps"] + 1)]
    after = thresholds[good:]
    assert all(later >= earlier for earlier, later in itertools.pairwise(after))  # only rises
    assert any(later < earlier for earlier, later in itertools.pairwise(thresholds[:good]))
    # the rise over each window of `window` steps is smaller than over the one before
    starts = range(good, ADAM["steps"] - window + 1, window)
    rises = [thresholds[s + window] - thresholds[s] for s in starts]
    assert all(later < earlier for earlier, later in itertools.pairwise(rises))
    assert rises[0] == pytest.approx(result.value("adam_rise_first"), abs=0.005)
    last = thresholds[-1] - thresholds[-1 - window]
    assert last == pytest.approx(result.value("adam_rise_last"), rel=0.01)
    assert last < rises[0] / 100
    for key, step in [("adam_threshold_at_good", good), ("adam_threshold_at_1000", 1000)]:
        assert thresholds[step] == pytest.approx(result.value(key), abs=0.005)
    assert 9 < thresholds[good] < thresholds[1000] < thresholds[-1] < 9.5


def test_adam_with_sgds_learning_rate_still_separates_far_earlier(result):
    """Adam's edge is not its larger learning rate: with SGD's, it separates the data at
    step 992, where SGD needs 24,198."""
    assert ADAM_AT_SGD_LR["lr"] == SGD["lr"] == result.value("adam_slow_lr")
    run = train(seed=0, **ADAM_AT_SGD_LR).history
    x, y = make_data()
    right = [
        torch.equal((neuron_at(run, step)(x) > 0.5).float(), y)
        for step in range(ADAM_AT_SGD_LR["steps"] + 1)
    ]
    first = right.index(True)
    assert first == result.value("adam_slow_first_separated") == 992
    assert 10 * first < result.value("sgd_first_separated")
    # the mechanism: with the same learning rate, Adam's bias steps are far larger
    adam_step = torch.tensor(run["bias"][:101]).diff().abs().mean().item() / SGD["lr"]
    assert adam_step == pytest.approx(result.value("adam_slow_bias_step"), abs=0.005)
    assert adam_step > 5 * result.value("sgd_bias_step")


def test_sgd_threshold_starts_far_out_and_is_near_3_after_100_steps(sgd_longer, result):
    run = sgd_longer.history
    start, at_100 = (
        threshold(neuron_at(run, 0)),
        threshold(neuron_at(run, 100)),
    )
    assert start == pytest.approx(result.value("sgd_threshold_start"), abs=0.005)
    assert at_100 == pytest.approx(result.value("sgd_threshold_at_100"), abs=0.005)
    assert start > 50 and 2.5 < at_100 < 3.5  # "about 3"


def test_sgd_meets_the_step_size_condition_of_soudry_et_al(result):
    x, _ = make_data()
    x = x.double().flatten()
    # largest eigenvalue of [[mean x^2, mean x], [mean x, 1]], by the quadratic formula
    p, q, r = (x**2).mean().item(), x.mean().item(), 1.0
    largest = (p + r) / 2 + math.sqrt(((p - r) / 2) ** 2 + q**2)
    assert result.value("sgd_lr_bound") == pytest.approx(8 / largest)
    assert SGD["lr"] < result.value("sgd_lr_bound")
    # the loss the theorem asks for: smooth, strictly decreasing, with an exponential tail.
    # The logistic loss of a signed logit u is log(1 + e^-u): its derivative -sigma(-u) is
    # negative everywhere, and log(1 + e^-u) / e^-u -> 1 as u grows
    u = torch.linspace(-40, 40, 8001, dtype=torch.float64).requires_grad_()
    (slope,) = torch.autograd.grad(F.softplus(-u).sum(), u)
    assert (slope < 0).all() and torch.allclose(slope, -torch.sigmoid(-u.detach()))
    # the tail of the loss PyTorch trains with: a label-1 term at logit u, over e^-u, -> 1
    for far in (10.0, 20.0, 30.0):
        u = torch.tensor([far], dtype=torch.float64)
        term = F.binary_cross_entropy_with_logits(u, torch.ones_like(u)).item()
        assert term / math.exp(-far) == pytest.approx(1, abs=math.exp(-far))
    # the bound is a bound: p(1 - p) <= 1/4, so no Hessian exceeds it
    for a, b in [(0.0, 0.0), (-0.3, 2.0), (-5.0, 47.0)]:
        assert torch.linalg.eigvalsh(loss_hessian(a, b))[-1] <= largest / 4 + 1e-12


def brute_force_margin_threshold(x, y, norm=2.0) -> float:
    """The threshold t whose direction (a, b) = (-1, t) has the largest margin, from a fine
    grid of t. (Only the direction matters, and label 1 on the left needs a < 0.)"""
    sign = torch.where(y.flatten() > 0.5, 1.0, -1.0).double()
    t = torch.linspace(-20, 40, 120_001, dtype=torch.float64)  # steps of 0.0005
    length = torch.linalg.vector_norm(torch.stack([-torch.ones_like(t), t]), ord=norm, dim=0)
    margins = (sign[:, None] * (t - x.flatten().double()[:, None])).min(dim=0).values / length
    return t[int(margins.argmax())].item()


def test_max_margin_thresholds(result):
    x, y = make_data()
    gx, gy = chapter.gapped_data()
    assert gx.flatten().tolist() == list(range(-20, 0)) + list(range(10, 40))
    assert gy.flatten().tolist() == [1.0] * 20 + [0.0] * 30
    assert result.value("margin_threshold") == pytest.approx(9.5, abs=1e-4)
    assert result.value("margin_threshold_linf") == pytest.approx(9.5, abs=1e-4)
    assert result.value("margin_threshold_centred") == pytest.approx(9.5, abs=1e-4)
    assert (result.value("gap_low"), result.value("gap_high")) == (-1, 10)
    assert result.text("gap_low") == "\u22121"  # a minus sign, as the page writes −20
    assert result.value("gap_midpoint") == 4.5
    assert result.value("gap_margin_threshold") == pytest.approx(1.0, abs=1e-4)
    # by hand: with label 1 up to -1 and label 0 from 10, (a, b) = (-1/2, 1/2) has margin
    # (1/2 + 1/2) / sqrt(1/2) = sqrt(2) at x = -1, and no direction beats it (the support
    # vector is x = -1 alone)
    for norm in (2.0, math.inf):
        assert brute_force_margin_threshold(gx, gy, norm) == pytest.approx(1.0, abs=1e-3)
        assert brute_force_margin_threshold(x, y, norm) == pytest.approx(9.5, abs=1e-3)


def test_gradient_descent_on_gapped_data_passes_through_the_max_margin_threshold(result):
    x, y = chapter.gapped_data()
    torch.manual_seed(0)
    linear = torch.nn.Linear(1, 1)
    opt = torch.optim.SGD(linear.parameters(), lr=SGD["lr"])
    thresholds = [-linear.bias.item() / linear.weight.item()]
    for _ in range(result.value("gap_steps")):
        loss = F.binary_cross_entropy_with_logits(linear(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        thresholds.append(-linear.bias.item() / linear.weight.item())
    assert thresholds[100] == pytest.approx(result.value("gap_sgd_threshold_at_100"), abs=0.005)
    assert thresholds[-1] == pytest.approx(result.value("gap_sgd_threshold"), abs=0.005)
    margin = result.value("gap_margin_threshold")
    below = result.value("gap_sgd_below_margin_from")
    assert thresholds[below - 1] >= margin > thresholds[below]  # falls through it there
    assert all(t < margin for t in thresholds[below:])
    assert thresholds[100] > margin > thresholds[-1] and thresholds[-1] < thresholds[-2]
    # nowhere near the middle of the gap
    assert all(abs(t - result.value("gap_midpoint")) > 2 for t in thresholds[100:])


def test_pytorch_adam_has_a_nonzero_eps_by_default():
    assert inspect.signature(torch.optim.Adam).parameters["eps"].default == 1e-8


def test_our_adam_keeps_its_learning_rate_and_pytorchs_eps(monkeypatch):
    """Why the theorem of Zhang, Zou and Cao is only a guide here: every step of our Adam run
    uses the same learning rate, ADAM["lr"] (no schedule lowers it), and PyTorch's eps
    (and PyTorch's beta1 and beta2, which the page quotes)."""
    seen = []

    class Recording(torch.optim.Adam):
        def step(self, *args, **kwargs):
            seen.append(
                [(group["lr"], group["eps"], group["betas"]) for group in self.param_groups]
            )
            return super().step(*args, **kwargs)

    monkeypatch.setattr(torch.optim, "Adam", Recording)
    train(seed=0, steps=200, lr=ADAM["lr"], optimizer="adam")
    assert ADAM["lr"] == 0.1
    assert seen == [[(0.1, 1e-8, (0.9, 0.999))]] * 200  # and PyTorch's beta1, beta2


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: hardwired(0), ValueError, "scale must be greater than 0, got 0.0"),
        (lambda: hardwired(-2.0), ValueError, "scale must be greater than 0, got -2.0"),
        (lambda: hardwired(float("nan")), ValueError, "scale must be finite, got nan"),
        (lambda: hardwired("3"), TypeError, "scale must be a number, got str '3'"),
        (lambda: hardwired(True), TypeError, "scale must be a number, got bool True"),
        (lambda: hardwired(1, threshold=None), TypeError, "threshold must be a number"),
        (lambda: train(seed=1.5), TypeError, "seed must be an integer, got float 1.5"),
        (lambda: train(seed="0"), TypeError, "seed must be an integer, got str '0'"),
        (lambda: train(seed=-1), ValueError, "seed must be at least 0, got -1"),
        (lambda: train(steps=-1), ValueError, "steps must be at least 0, got -1"),
        (lambda: train(steps=2.5), TypeError, "steps must be an integer, got float 2.5"),
        (lambda: train(steps=10**9), ValueError, "steps must be at most 1000000"),
        (lambda: train(lr=0), ValueError, "lr must be greater than 0, got 0.0"),
        (lambda: train(lr=float("inf")), ValueError, "lr must be finite, got inf"),
        (lambda: train(optimizer="rmsprop"), ValueError, "optimizer must be one of 'adam', 'sgd'"),
        (lambda: train(centre="9.5"), TypeError, "centre must be a number"),
        (lambda: train(centre=float("inf")), ValueError, "centre must be finite"),
        (lambda: loss_hessian(float("nan"), 0.0), ValueError, "weight must be finite"),
    ],
)
def test_bad_arguments_are_refused_clearly(call, error, words):
    with pytest.raises(error, match=re.escape(words)):
        call()


def test_numpy_numbers_are_numbers():
    result = train(seed=np.int64(0), steps=np.int64(3), lr=np.float32(0.1))
    assert len(result.history["step"]) == 4
    assert hardwired(np.float64(2.0))[0].weight.item() == -2.0


def test_numbers_the_prose_quotes():
    # sigma(50), the output at 9.5 for M = 100, is 1 "to more than twenty decimal places":
    # the shown network's logit there is 50, and 1 - sigma(50) = sigma(-50) < 10^-20
    logit = hardwired(100)[0](torch.tensor([[9.5]])).double()
    assert logit.item() == 50 and 0 < torch.sigmoid(-logit).item() < 1e-20


def test_sgd_stays_separated_to_the_last_step_of_the_longer_run(sgd_longer, result):
    """The page: the points "stay there up to the run's last step"."""
    last = len(sgd_longer.history["step"]) - 1
    assert result.value("sgd_longer_steps") == last == SGD_LONGER["steps"]
    assert chapter.separated_for_good(sgd_longer.history) == result.value("sgd_first_separated")


def test_gradients_are_the_gradients_of_the_loss(sgd_longer):
    run = sgd_longer.history
    grads = chapter.gradients(run)
    x, y = make_data()
    for step in (0, 100, 5000, 24198):
        ab = torch.tensor([run["weight"][step], run["bias"][step]], dtype=torch.float64)
        ab.requires_grad_()
        loss = F.binary_cross_entropy_with_logits(ab[0] * x.double() + ab[1], y.double())
        (grad,) = torch.autograd.grad(loss, ab)
        assert torch.allclose(grads[step], grad, rtol=1e-10, atol=1e-15)


def test_what_holds_plain_sgd_back(sgd_longer, result):
    """After the first steps the gradient is small and along the flattest direction, and the
    learning rate is far below the local limit 2/lambda_max."""
    run = sgd_longer.history
    first, warm = result.value("sgd_first_separated"), result.value("warm_up")
    assert warm == chapter.WARM_UP == 100
    grads = chapter.gradients(run)
    norms = grads.norm(dim=1)
    assert norms[warm].item() == pytest.approx(result.value("sgd_grad_at_warm_up"))
    assert norms[first].item() == pytest.approx(result.value("sgd_grad_at_separation"))
    assert norms[first] < norms[warm] < 0.2  # small, and smaller by separation
    offs, rooms = [], []
    for step in range(warm, first + 1, 97):
        values, vectors = torch.linalg.eigh(loss_hessian(run["weight"][step], run["bias"][step]))
        g = grads[step]
        cosine = (g @ vectors[:, 0]).abs() / g.norm()
        offs.append(math.degrees(math.acos(min(cosine.item(), 1.0))))
        rooms.append(2 / (SGD["lr"] * values[1].item()))
    assert max(offs) <= result.value("sgd_grad_off_flat_max") + 1e-9
    assert result.value("sgd_grad_off_flat_max") < 1  # "along the flattest direction"
    low, high = result.value("sgd_room_min"), result.value("sgd_room_max")
    assert low - 1e-6 <= min(rooms) and max(rooms) <= high + 1e-6 and low > 10
    # at the start the local limit is close to the theorem's bound, which the lr respects
    start = torch.linalg.eigvalsh(loss_hessian(run["weight"][0], run["bias"][0]))[1].item()
    assert 2 / start == pytest.approx(result.value("sgd_start_lr_limit"))
    bound = result.value("sgd_lr_bound")
    assert abs(2 / start - bound) < 0.05 * bound and SGD["lr"] < bound < 2 / start


@pytest.fixture(scope="module")
def larger():
    """Plain gradient descent from the SGD run's start with the page's larger learning rates."""
    return {
        lr: train(seed=0, optimizer="sgd", lr=lr, steps=chapter.LARGER_STEPS).history
        for lr in chapter.LARGER_LRS
    }


def test_larger_learning_rates_work_from_the_first_step(sgd_longer, larger, result):
    """0.2 and 1.0 from step 0, far above the start's local limit: the loss rises on the first
    step, yet the data are separated far sooner than at 0.01; at 0.2 the loss rises on that
    step only, and the learning rate is below the local limit at every later step."""
    assert chapter.LARGER_LRS == (0.2, 1.0) and result.value("larger_steps") == 1500
    sgd = sgd_longer.history
    limit = result.value("sgd_start_lr_limit")
    assert result.value("sgd_loss_start") == sgd["loss"][0]
    for name, lr in [("big", 0.2), ("bigger", 1.0)]:
        run = larger[lr]
        assert run["weight"][0] == sgd["weight"][0] and run["bias"][0] == sgd["bias"][0]
        assert result.value(f"{name}_lr") == lr
        assert result.value(f"{name}_times_limit") == pytest.approx(lr / limit)
        assert lr / limit > 5  # far above the start's limit
        assert run["loss"][1] > run["loss"][0]  # the loss rises on the first step
        assert run["loss"][1] == result.value(f"{name}_loss_1")
        rises = sum(later > earlier for earlier, later in itertools.pairwise(run["loss"]))
        assert rises == result.value(f"{name}_loss_rises")
        right = chapter.all_right(run)
        first, good = (
            result.value(f"{name}_first_separated"),
            result.value(f"{name}_separated_for_good"),
        )
        assert right[first] and not right[:first].any()
        assert right[good:].all() and not right[good - 1]
        a, b = run["weight"][-1], run["bias"][-1]
        assert -b / a == pytest.approx(result.value(f"{name}_threshold_end"), abs=0.005)
        assert 9 < -b / a < 9.5  # on its way to the maximum-margin threshold
        assert 10 * first < result.value("sgd_first_separated")
    big = larger[0.2]
    assert result.value("big_loss_rises") == 1
    tops = [
        torch.linalg.eigvalsh(loss_hessian(a, b))[1].item()
        for a, b in zip(big["weight"], big["bias"], strict=True)
    ]
    assert 0.2 * tops[0] > 2 and all(0.2 * top < 2 for top in tops[1:])
    assert result.value("big_first_separated") == result.value("big_separated_for_good") == 1207
    speed_up = result.value("sgd_first_separated") / result.value("big_first_separated")
    assert speed_up == pytest.approx(result.value("big_speed_up"))
    assert result.value("big_ratio") == 0.2 / SGD["lr"]
    assert speed_up == pytest.approx(result.value("big_ratio"), rel=0.1)  # about as many times
    assert result.value("bigger_loss_rises") > 10  # "again and again"
    assert result.value("bigger_separated_for_good") > result.value("bigger_first_separated")


def test_the_data_meet_wu_braverman_and_lees_conditions(result):
    """Separable, and not degenerate: the maximum-margin direction (a, b) with margins 1, at
    the nearest points (9, 1) and (10, 1), is a combination of those two (signed by their
    labels) with positive weights, and the two span the plane, as all the inputs (x, 1) do.
    The page quotes the direction and the weights."""
    support = torch.tensor([[9.0, 1.0], [10.0, 1.0]], dtype=torch.float64)
    # margins exactly 1 at both: 9a + b = 1 and -(10a + b) = 1
    w = torch.linalg.solve(
        support * torch.tensor([[1.0], [-1.0]], dtype=torch.float64),
        torch.ones(2, dtype=torch.float64),
    )
    assert -w[1] / w[0] == pytest.approx(9.5)
    x, y = make_data()
    rows = torch.cat([x, torch.ones_like(x)], dim=1).double()
    sign = 2 * y.double().flatten() - 1
    margins = sign * (rows @ w)
    assert margins.min() == pytest.approx(1) and (margins[(margins - 1).abs() > 1e-9] > 1).all()
    # w = alpha_9 (9, 1) - alpha_10 (10, 1), with both alphas positive
    alpha = torch.linalg.solve(support.T * torch.tensor([1.0, -1.0], dtype=torch.float64), w)
    assert (alpha > 0).all()
    assert torch.linalg.matrix_rank(support) == torch.linalg.matrix_rank(rows) == 2
    # as the page quotes them: (-2, 19) = 192 (9, 1) + 173 (-(10, 1))
    quoted_w = [result.value("unit_margin_a"), result.value("unit_margin_b")]
    quoted_alpha = [result.value("support_weight_9"), result.value("support_weight_10")]
    assert quoted_w == pytest.approx(w.tolist()) and quoted_w == pytest.approx([-2, 19])
    assert quoted_alpha == pytest.approx(alpha.tolist()) and quoted_alpha == pytest.approx(
        [192, 173]
    )
    assert [result.text(k) for k in ("unit_margin_a", "unit_margin_b")] == ["\u22122", "19"]
    assert 192 * 9 - 173 * 10 == -2 and 192 - 173 == 19
    # unsigned, the same direction needs a negative weight on (10, 1): the labels' signs matter
    unsigned = torch.linalg.solve(support.T, w)
    assert unsigned[0] > 0 > unsigned[1]


def float64_gradient_descent(lr: float, steps: int) -> list[bool]:
    """Plain gradient descent in float64 numpy, with the gradient written out, from the
    chapter's seed-0 start: does the neuron classify all 60 points, at each step?"""
    start = train(seed=0, steps=0, optimizer="sgd").history
    a, b = start["weight"][0], start["bias"][0]
    x = np.arange(-20, 40, dtype=np.float64)
    y = (x < 10).astype(np.float64)
    right = []
    for _ in range(steps + 1):
        z = a * x + b
        right.append(bool(((z > 0) == (y == 1)).all()))
        error = 1 / (1 + np.exp(-z)) - y  # the gradient of each term in z
        a, b = a - lr * np.mean(error * x), b - lr * np.mean(error)
    return right


def test_at_lr_1_the_step_counts_are_the_float32_runs_and_float64_moves_them(larger, result):
    """The page quotes when the float32 run at 1.0 separates the data, and adds that the same
    run in float64 moves one or both of those steps (quoted: PyTorch in float64; here checked
    against numpy with the gradient written out, within a few steps)."""
    run64 = chapter.gradient_descent_float64(1.0, chapter.LARGER_STEPS)
    assert run64["weight"][0] == larger[1.0]["weight"][0]  # the same start
    assert run64["bias"][0] == larger[1.0]["bias"][0]
    first64 = result.value("bigger64_first_separated")
    good64 = result.value("bigger64_separated_for_good")
    assert chapter.first_separated(run64) == first64
    assert chapter.separated_for_good(run64) == good64
    # "these step counts belong to this run in 32-bit arithmetic": float64 moves at least one
    counts32 = (result.value("bigger_first_separated"), result.value("bigger_separated_for_good"))
    assert (first64, good64) != counts32
    right = np.array(float64_gradient_descent(1.0, chapter.LARGER_STEPS))
    first, good = int(right.argmax()), int(np.nonzero(~right)[0].max()) + 1
    assert abs(first - first64) <= 3 and abs(good - good64) <= 3
    assert right[first:good].any() and not right[first:good].all()  # lost again in between
