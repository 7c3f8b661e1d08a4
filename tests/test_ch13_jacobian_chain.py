"""Chapter 13's claims about the order of a Jacobian chain, checked."""
import itertools

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from bpkit import jacobian_chain as jc
from bpkit.errors import BpkitError


def test_worked_example_reverse_is_ten_times_cheaper():
    dims = [1000, 100, 10, 1]
    assert jc.reverse_cost(dims) == 101_000
    assert jc.forward_cost(dims) == 1_010_000
    assert jc.forward_cost(dims) == 10 * jc.reverse_cost(dims)
    assert jc.optimal_order(dims).cost == 101_000


def test_worked_example_middle_factors_first():
    dims = [1000, 1, 1000, 1, 1000]
    assert jc.forward_cost(dims) == jc.reverse_cost(dims) == 3_000_000
    best = jc.optimal_order(dims)
    assert best.cost == 1_002_000
    assert "(J3 J2)" in best.expression, "the optimal order multiplies the two middle factors first"
    assert jc.order_cost(dims, best.expression) == 1_002_000


def test_mode_expressions_cost_what_the_formulas_say():
    for dims in ([3, 5, 2, 7], [1000, 100, 10, 1], [4, 1, 6, 2, 9, 3]):
        L = len(dims) - 1
        assert jc.order_cost(dims, jc.forward_expression(L)) == jc.forward_cost(dims)
        assert jc.order_cost(dims, jc.reverse_expression(L)) == jc.reverse_cost(dims)


def _brute_force(n, i, j):
    """Least cost of J_j ... J_{i+1} over every bracketing, by plain recursion."""
    if j == i + 1:
        return 0
    return min(_brute_force(n, i, k) + _brute_force(n, k, j) + n[j] * n[k] * n[i]
               for k in range(i + 1, j))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(1, 60), min_size=2, max_size=8))
def test_dynamic_programme_matches_brute_force_for_chains_up_to_7(dims):
    best = jc.optimal_order(dims)
    orders = jc.all_orders(dims)
    assert best.cost == _brute_force(dims, 0, len(dims) - 1) == orders[0].cost, \
        f"chain {dims}: the dynamic programme's best order is not the cheapest bracketing"
    assert jc.order_cost(dims, best.expression) == best.cost
    catalan = [1, 1, 2, 5, 14, 42, 132, 429][len(dims) - 2]
    assert len(orders) == catalan and len({o.expression for o in orders}) == catalan


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(1, 6), min_size=2, max_size=6), st.integers(0, 2**16))
def test_every_order_gives_the_same_product(dims, seed):
    J = jc.random_chain(dims, seed)
    products = [jc.multiply(J, o.expression) for o in jc.all_orders(dims)]
    for P in products:
        assert P.shape == (dims[-1], dims[0])
        np.testing.assert_allclose(P, products[0], rtol=1e-9, atol=1e-9)


def test_bad_orders_are_refused_with_a_reason():
    with pytest.raises(BpkitError, match="J3 down to J1"):
        jc.order_cost([2, 3, 4, 5], "J2 (J3 J1)")
    with pytest.raises(BpkitError, match="exactly two"):
        jc.order_cost([2, 3, 4, 5], "(J3 J2 J1)")


def test_elimination_orders_cost_differently_but_agree():
    g = jc.example_graph()
    costs = g.elimination_costs()
    assert len(costs) == 6 and min(costs.values()) == 9 and max(costs.values()) == 15
    assert costs[("a", "b", "c")] == 15 and costs[("c", "b", "a")] == 9
    # the Jacobian by the chain rule on the graph: dy/dx = sum over paths of products
    e = g.edges
    direct = np.array([[e[(x, "a")] * e[("a", "b")] * e[("b", "y1")] for x in g.inputs],
                       [e[(x, "a")] * (e[("a", "b")] * e[("b", "y2")]
                                       + e[("a", "c")] * e[("c", "y2")]) for x in g.inputs]])
    for order in itertools.permutations(g.intermediates):
        np.testing.assert_allclose(g.jacobian(order), direct)
