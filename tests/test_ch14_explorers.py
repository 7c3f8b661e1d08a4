"""Chapter 14's explorer stores the true losses of each Newton-CG run and of gradient descent."""
import re

import pytest

from bpkit import hvp as H
from bpkit.explorers.newton import DESCENT_STEPS, NEWTON_STEPS, newton_explorer, problem


def _final_losses(view):
    return [float(v) for v in re.findall(r"</td><td>\d+</td><td>([0-9.e+-]+)</td>", view)]


@pytest.mark.slow
def test_newton_explorer_views_hold_the_losses_of_real_runs():
    ex = newton_explorer()
    assert len(ex.states) == 3 * 2
    net, X, Y = problem()
    descent = net.loss(X, Y)
    for _ in range(DESCENT_STEPS):               # gradient descent written out, from backprop
        g = net.gradients(X, Y)
        for l in range(1, net.L + 1):
            net.W[l] -= g.dW[l]
            net.b[l] -= g.db[l]
    descent = net.loss(X, Y)
    for cg, damping in ((1, 1e-4), (10, 1e-4), (3, 1.0)):
        view = ex.state(cg_iterations=cg, damping=damping).value
        newton, gd = _final_losses(view)
        net0, X, Y = problem()
        run = H.newton_cg(net0, X, Y, NEWTON_STEPS, cg_iterations=cg, damping=damping)[1]
        assert abs(newton - run[-1]["loss"]) <= 1e-3 * run[-1]["loss"]
        assert abs(gd - descent) <= 1e-3 * descent
        assert 'alt="Training loss' in view
