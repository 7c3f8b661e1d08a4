"""Chapter 12's claims: the orders of the two differences, the best eps predicted from the
rounding error, the book's relative error, and a faulty backward pass caught by gradcheck."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bpkit
from bpkit.activations import Activation, sigmoid
from bpkit.explorers.eps import CURVE_GRID, XS, curve, eps_explorer, error_at, predicted
from bpkit.gradcheck import (HEALTHY, SUSPECT, best_eps, central_difference, difference_errors,
                             loglog_slope, one_sided_difference, relative_error, unit_roundoff)

finite = st.floats(-1e6, 1e6, allow_nan=False)

# smooth test functions with their first three derivatives, checked around x = 1
FUNCTIONS = {
    "exp": (np.exp, np.exp, np.exp, np.exp),
    "sin": (np.sin, np.cos, lambda x: -np.sin(x), lambda x: -np.cos(x)),
    "exp(x/3)": (lambda x: np.exp(x / 3), lambda x: np.exp(x / 3) / 3,
                 lambda x: np.exp(x / 3) / 9, lambda x: np.exp(x / 3) / 27),
}


# -- the relative error: one definition -------------------------------------------------------
@given(finite, finite)
def test_relative_error_is_the_books_definition(a, b):
    expected = abs(a - b) / max(abs(a), abs(b)) if (a or b) else 0.0
    assert relative_error(a, b) == pytest.approx(expected, rel=1e-12, abs=0)
    assert relative_error(a, b) == relative_error(b, a)          # symmetric
    assert 0.0 <= relative_error(a, b) <= 2.0


def test_relative_error_examples():
    assert relative_error(0.0, 0.0) == 0.0                        # never 0/0
    assert relative_error(1.0, -1.0) == pytest.approx(2.0)        # opposite signs: the maximum
    assert relative_error(1.0, 1.1) == pytest.approx(0.1 / 1.1)   # max, not the sum 2.1
    assert relative_error(0.0, 1e-300) == pytest.approx(1.0)
    np.testing.assert_allclose(relative_error([2.0, 0.0], [1.0, 0.0]), [0.5, 0.0])


def test_the_exercise_accepts_exactly_that_definition():
    import bpkit.exercises as E
    ex = E.get("ch12", "gradient_check")
    for f, x, analytic, eps in ex.inputs(3):
        numeric, rel = ex.reference(f, x, analytic, eps)
        scale = np.maximum(np.maximum(np.abs(analytic), np.abs(numeric)), np.finfo(float).tiny)
        np.testing.assert_array_equal(rel, np.abs(analytic - numeric) / scale)
    assert "sum_denominator" in {m.key for m in ex.mistakes}   # |a| + |n| is named a mistake


# -- the orders ------------------------------------------------------------------------------
@pytest.mark.parametrize("name", FUNCTIONS)
def test_measured_slopes_are_two_and_one(name):
    f, df, _, _ = FUNCTIONS[name]
    xs = np.linspace(0.8, 1.2, 101)
    steps = 10.0 ** np.arange(-4, -1.49, 0.25)  # truncation dominates in float64
    assert loglog_slope(steps, difference_errors(f, df, xs, steps, "central")) == \
        pytest.approx(2.0, abs=0.05), "central differences must have error O(eps^2)"
    assert loglog_slope(steps, difference_errors(f, df, xs, steps, "one-sided")) == \
        pytest.approx(1.0, abs=0.05), "one-sided differences must have error O(eps)"


@given(st.floats(-2, 2), st.sampled_from([1e-2, 1e-3]))
@settings(max_examples=50, deadline=None)
def test_truncation_constants(x, eps):
    # the leading terms of the Taylor expansion: eps^2 f'''/6 and eps f''/2
    assert central_difference(np.sin, x, eps) - np.cos(x) == pytest.approx(
        -np.cos(x) * eps ** 2 / 6, abs=eps ** 4)
    assert one_sided_difference(np.sin, x, eps) - np.cos(x) == pytest.approx(
        -np.sin(x) * eps / 2, abs=eps ** 2)


def test_unit_roundoff():
    assert unit_roundoff(np.float64) == 2.0 ** -53
    assert unit_roundoff(np.float32) == 2.0 ** -24
    assert unit_roundoff(np.float16) == 2.0 ** -11


def test_best_eps_minimises_the_error_model():
    u, f, f2, f3 = 1e-16, 2.0, 0.5, 3.0
    grid = np.geomspace(1e-9, 1e-1, 20001)
    central = grid ** 2 * f3 / 6 + u * f / grid
    one_sided = grid * f2 / 2 + 2 * u * f / grid
    assert best_eps(u, f, f2, f3) == pytest.approx(grid[np.argmin(central)], rel=1e-3)
    assert best_eps(u, f, f2, f3, "one-sided") == pytest.approx(grid[np.argmin(one_sided)],
                                                                rel=1e-3)
    with pytest.raises(ValueError):
        best_eps(u, f, f2, f3, "backward")


# -- the U: the predicted best eps is where the measured curve bottoms out --------------------
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("kind", ["central", "one-sided"])
@pytest.mark.parametrize("name", FUNCTIONS)
def test_predicted_best_eps_is_near_the_measured_minimum(name, kind, dtype):
    f, df, f2, f3 = FUNCTIONS[name]
    xs = np.linspace(0.9, 1.1, 201)
    errors = difference_errors(f, df, xs, CURVE_GRID, kind, dtype)
    measured = CURVE_GRID[np.nanargmin(errors)]
    pred = best_eps(unit_roundoff(dtype), f(1.0), f2(1.0), f3(1.0), kind)
    assert pred / 4 <= measured <= pred * 4, (
        f"{name}, {kind}, {np.dtype(dtype).name}: the error curve bottoms out at eps = "
        f"{measured:.1e}, but the rounding analysis predicts {pred:.1e}")
    # and the curve is a U: much worse a thousand times to either side
    at = {e: error_at_eps for e, error_at_eps in zip(CURVE_GRID, errors)}
    low = at[CURVE_GRID[max(0, np.nanargmin(errors) - 12)]]
    high = at[CURVE_GRID[min(len(CURVE_GRID) - 1, np.nanargmin(errors) + 12)]]
    assert low > 30 * errors[np.nanargmin(errors)] and high > 30 * errors[np.nanargmin(errors)]


def test_float32_cannot_reach_the_float64_thresholds():
    assert np.nanmin(curve(np.float32, "central")) > HEALTHY
    assert np.nanmin(curve(np.float64, "central")) < HEALTHY / 1000


# -- the explorer shows true values -----------------------------------------------------------
def test_explorer_states_show_the_errors_at_their_eps():
    ex = eps_explorer()
    for eps in (1e-12, 1e-6, 1e-1):
        html = ex.state(eps=eps).value
        for dtype in (np.float64, np.float32):
            for kind in ("central", "one-sided"):
                independent = np.median(relative_error(
                    np.exp(XS), {"central": central_difference,
                                 "one-sided": one_sided_difference}[kind](
                        lambda x: np.exp(x), XS.astype(dtype), dtype(eps)).astype(float)))
                assert f"{independent:.2e}" in html
                assert f"{error_at(eps, dtype, kind):.2e}" in html
                assert f"{predicted(dtype, kind):.1e}" in html
        assert "alt=" in html


# -- a whole network ---------------------------------------------------------------------------
def _net(seed=4, activation="sigmoid"):
    rng = np.random.default_rng(seed)
    net = bpkit.Network([3, 4, 4, 2], activation=activation, loss="quadratic", seed=seed)
    return net, rng.standard_normal((3, 5)), rng.uniform(0, 1, (2, 5))


def test_a_correct_network_is_healthy():
    report = bpkit.gradcheck(*_net())
    assert report.verdict == "healthy" and report.max_rel_error < HEALTHY


def test_a_faulty_backward_pass_is_caught_and_located():
    net, X, Y = _net()
    net.activation = Activation("sigmoid", sigmoid.f, lambda z, a: a)   # sigma for sigma'
    report = bpkit.gradcheck(net, X, Y)
    assert report.verdict == "wrong" and not report.passed
    per_array = report.by_array()
    assert per_array["W[3]"] < HEALTHY and per_array["b[3]"] < HEALTHY   # BP1, BP3, BP4 fine
    for name in ("W[1]", "b[1]", "W[2]", "b[2]"):                       # BP2's slope is not
        assert per_array[name] > SUSPECT, f"{name} should fail the check"
    errors = [e.rel_error for e in report.entries]
    assert errors == sorted(errors, reverse=True), "the report lists the worst entries first"
    assert report.worst(1)[0].layer in (1, 2)


def test_the_exercise_bug_is_caught():
    from bpkit.exercises.ch12 import bug_hunt_problem, faulty_gradients
    net, X, Y = bug_hunt_problem()
    report = bpkit.gradcheck(net, X, Y, grads=faulty_gradients(net, X, Y))
    assert set(k for k, v in report.by_array().items() if v > SUSPECT) == {"b[2]"}


def test_a_relu_kink_is_marked_and_not_counted():
    rng = np.random.default_rng(4)
    net = bpkit.Network([3, 4, 2], activation="relu", loss="quadratic", seed=4)
    X, Y = rng.standard_normal((3, 6)), rng.uniform(0, 1, (2, 6))
    z = net.forward(X).z[1]
    j, k = np.unravel_index(np.argmin(np.abs(z)), z.shape)
    net.b[1][j, 0] -= z[j, k] + 1e-7                  # one unit just below its kink
    report = bpkit.gradcheck(net, X, Y)
    kinks = [e for e in report.entries if e.kink]
    assert kinks and all(e.layer == 1 and e.index[0] == j for e in kinks)
    assert max(e.rel_error for e in kinks) > SUSPECT   # a false alarm, were it counted
    assert report.verdict == "healthy"
    assert "kink" in str(report)
