"""A small stand-in for ``bpkit.exercises``, built with its real exercise model.

The grader's tests use it for a chapter of their own, ``ch90``: ``double`` (a function
exercise: return ``2 * x``, without changing ``x``, as an array), ``affine`` (return
``W @ x + b``) and ``rate`` (a value exercise: choose 0.5). Like a chapter module, it runs only
in the grader's process; the grading kernel sees a stand-in without any of this.
"""
import numpy as np

from bpkit.exercises import FunctionExercise, ValueExercise, apply_requirements, run_calls


def _vector(rng):
    return [(rng.normal(size=n),) for n in (1, 2, 5)]


def _affine_inputs(rng):
    return [(rng.normal(size=(2, 3)), rng.normal(size=(3, 1)), rng.normal(size=(2, 1)))
            for _ in range(3)]


def reference_double(x):
    return 2 * x


def _judge_rate(value):
    ok = abs(float(value) - 0.5) < 1e-9
    return (1, "correct") if ok else (0, f"expected 0.5, received {value}")


REGISTRY = {"ch90": {
    "double": FunctionExercise("ch90", "double", "Double a vector", "double", _vector,
                               reference_double, ("x",), points=2, must_not_modify=True,
                               returns_array=True),
    "affine": FunctionExercise("ch90", "affine", "An affine map", "affine", _affine_inputs,
                               lambda W, x, b: W @ x + b, ("W", "x", "b"), points=3),
    "rate": ValueExercise("ch90", "rate", "Choose the rate", _judge_rate, points=1),
}}


def get(chapter, name):
    return REGISTRY[chapter][name]


def check(name, answer):
    exercise = get("ch90", name)
    if exercise.kind == "value":
        print(exercise.evaluate(getattr(answer, "value", answer)))
        return
    outcomes, changed = run_calls(exercise, answer, exercise.inputs(0))
    print(apply_requirements(exercise, exercise.evaluate(outcomes, 0), outcomes, changed))
