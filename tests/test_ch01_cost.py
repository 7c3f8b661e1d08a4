"""Chapter 1's cost ratio (ch1-cost-ratio), (D/F)/P ≈ (d-1)/(2d) + 2/(dn), for the networks
the chapter measures: input width n, d hidden layers of width n, one output unit.

The chapter says the approximation runs a little high, because it drops terms about 1/n the
size of those it keeps, and comes closer for wider layers. The tests hold it to that: above the
measured ratio, by less than 3/n of it."""
import pytest

from bpkit import opcount
from test_opcount import forward_formula, per_parameter_formula


def predicted_ratio(d, n):
    """(D/F)/P of chapter 1 for d hidden layers of width n and a one-unit output."""
    return (d - 1) / (2 * d) + 2 / (d * n)


def check(d, n, measured):
    predicted = predicted_ratio(d, n)
    assert measured < predicted <= measured * (1 + 3 / n), (
        f"{d} hidden layers of width {n}: per-parameter cost / forward pass / P is "
        f"{measured:.4f}, chapter 1's formula predicts {predicted:.4f}")


def test_the_formula_matches_the_measured_table_of_chapter_1():
    n = 20
    for sizes, counts in opcount.growth([opcount.stack(d, n) for d in range(1, 9)]):
        measured = (counts["per_parameter"].total / counts["forward"].total
                    / counts["parameters"])
        check(len(sizes) - 2, n, measured)


@pytest.mark.parametrize("n", [20, 50, 100, 400])
def test_the_formula_comes_closer_for_wider_layers(n):
    # The exact counts (ch1-cost-forward) and (ch1-cost-perparam): tests/test_opcount.py
    # proves that the counter measures exactly these.
    for d in range(1, 9):
        sizes = opcount.stack(d, n)
        P = sum(sizes[l] * (sizes[l - 1] + 1) for l in range(1, len(sizes)))
        check(d, n, per_parameter_formula(sizes) / forward_formula(sizes) / P)
