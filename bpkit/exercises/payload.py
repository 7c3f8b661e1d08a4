"""The payload: values carried between the grader and the grading kernel, as JSON only.

The grader draws an exercise's inputs in its own process and sends them to the kernel with
:func:`inputs_to_payload`; the kernel sends back what the student's function returned with
:func:`to_payload`; :func:`from_payload` decodes that in the grader. Never pickle: what a
kernel prints is untrusted. Arrays (dtype and shape kept), NaN and inf, tuples, dicts and a
few bpkit objects (a ``Network``, its ``Layers``, ``Cache`` and ``Gradients``, activations,
losses, random generators) survive the trip. An input object or function that a chapter
module defines itself (a test function ``f`` for a gradient checker) travels as its source
code and state, in the direction grader -> kernel only: whatever is in an input is meant
for the student's code to see.
"""
import importlib
import inspect
import json
import math
import textwrap

import numpy as np

from .protocol import PACKAGE

_DTYPES = {"bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
           "float16", "float32", "float64"}


def _enc_float(x):
    if math.isfinite(x):
        return x
    return {"__float__": "nan" if math.isnan(x) else ("inf" if x > 0 else "-inf")}


# bpkit classes whose instances travel as their attributes (either way).
OBJECT_CLASSES = frozenset({"bpkit.network.Network", "bpkit.network.Layers",
                            "bpkit.network.Cache", "bpkit.network.Gradients",
                            "bpkit.network.History"})
_NAMED = {"bpkit.activations.Activation": "bpkit.activations:get_activation",
          "bpkit.losses.Loss": "bpkit.losses:get_loss"}


def _class_name(x):
    return f"{type(x).__module__}.{type(x).__qualname__}"


def _encode(x, depth=0, sources=False):
    if depth > 50:
        return {"__unsupported__": "deeply nested value"}
    if x is None or isinstance(x, (bool, str)):
        return x
    if isinstance(x, np.generic):
        x = x.item()
        if isinstance(x, complex):
            return {"__unsupported__": "complex"}
        return _encode(x, depth)
    if isinstance(x, int):
        return x
    if isinstance(x, float):
        return _enc_float(x)
    if isinstance(x, np.ndarray):
        if x.dtype.name not in _DTYPES:
            return {"__unsupported__": f"array of dtype {x.dtype}"}
        data = x.tolist()
        if x.dtype.kind == "f":
            data = _floats_to_json(data)
        return {"__ndarray__": data, "dtype": x.dtype.name, "shape": list(x.shape)}
    if isinstance(x, tuple):
        return {"__tuple__": [_encode(v, depth + 1, sources) for v in x]}
    if isinstance(x, list):
        return [_encode(v, depth + 1, sources) for v in x]
    if isinstance(x, dict):
        return {"__dict__": [[_encode(k, depth + 1, sources), _encode(v, depth + 1, sources)]
                             for k, v in x.items()]}
    kind = _class_name(x)
    named = [_NAMED[n] for n in (f"{c.__module__}.{c.__qualname__}" for c in type(x).__mro__)
             if n in _NAMED]
    if named:
        return {"__named__": [named[0], str(x.name)]}
    if isinstance(x, np.dtype) and x.name in _DTYPES:
        return {"__dtype__": x.name}
    if isinstance(x, np.random.Generator):
        return {"__rng__": _encode(x.bit_generator.state, depth + 1)}
    if kind in OBJECT_CLASSES:
        return {"__object__": [kind, _encode(dict(vars(x)), depth + 1, sources)]}
    if sources:
        return _encode_source(x, depth, sources)
    return {"__unsupported__": type(x).__name__}


def _encode_source(x, depth, sources):
    """An object or function of a chapter module, as its source (grader -> kernel only)."""
    is_function = inspect.isfunction(x)
    defining = x if is_function else type(x)
    module = getattr(defining, "__module__", "") or ""
    if not module.startswith(PACKAGE) or defining.__name__ == "<lambda>":
        raise ValueError(f"an input of type {type(x).__name__} cannot be sent to the kernel "
                         "(only arrays, numbers, strings, bpkit networks and the classes "
                         "and named functions of a chapter module can)")
    source = textwrap.dedent(inspect.getsource(defining))
    state = None if is_function else _encode(dict(vars(x)), depth + 1, sources)
    return {"__source__": [defining.__name__, source, state]}


def _floats_to_json(data):
    if isinstance(data, list):
        return [_floats_to_json(v) for v in data]
    return data if math.isfinite(data) else ("nan" if math.isnan(data)
                                              else ("inf" if data > 0 else "-inf"))


def _floats_from_json(data):
    if isinstance(data, list):
        return [_floats_from_json(v) for v in data]
    if isinstance(data, str):
        if data not in ("nan", "inf", "-inf"):
            raise ValueError("bad float")
        return float(data)
    if isinstance(data, bool) or not isinstance(data, (int, float)):
        raise ValueError("bad float")
    return float(data)


def _decode(x, depth=0, sources=False):
    if depth > 60:
        raise ValueError("payload nested too deeply")
    if x is None or isinstance(x, (bool, str, int, float)):
        return x
    if isinstance(x, list):
        return [_decode(v, depth + 1, sources) for v in x]
    if not isinstance(x, dict) or len(x) == 0:
        raise ValueError("unexpected payload element")
    if "__ndarray__" in x:
        if set(x) != {"__ndarray__", "dtype", "shape"} or x["dtype"] not in _DTYPES:
            raise ValueError("bad array")
        shape = x["shape"]
        if not (isinstance(shape, list) and all(isinstance(n, int) and n >= 0 for n in shape)):
            raise ValueError("bad shape")
        data = x["__ndarray__"]
        if np.dtype(x["dtype"]).kind == "f":
            data = _floats_from_json(data)
        arr = np.array(data, dtype=x["dtype"])
        if list(arr.shape) != shape:
            if arr.size == 0 and math.prod(shape) == 0:
                return arr.reshape(shape)
            raise ValueError("array shape does not match its data")
        return arr
    if len(x) != 1:
        raise ValueError("unexpected payload element")
    (key, value), = x.items()
    if key == "__float__":
        if value not in ("nan", "inf", "-inf"):
            raise ValueError("bad float")
        return float(value)
    if key == "__tuple__" and isinstance(value, list):
        return tuple(_decode(v, depth + 1, sources) for v in value)
    if key == "__named__" and isinstance(value, list) and len(value) == 2 \
            and value[0] in _NAMED.values() and isinstance(value[1], str):
        module, function = value[0].split(":")
        return getattr(importlib.import_module(module), function)(value[1])
    if key == "__dtype__" and value in _DTYPES:
        return np.dtype(value)
    if key == "__rng__":
        state = _decode(value, depth + 1)
        if not (isinstance(state, dict) and state.get("bit_generator") in ("PCG64", "MT19937",
                                                                           "Philox", "SFC64")):
            raise ValueError("bad random generator")
        rng = np.random.Generator(getattr(np.random, state["bit_generator"])())
        rng.bit_generator.state = state
        return rng
    if key == "__object__" and isinstance(value, list) and len(value) == 2 \
            and value[0] in OBJECT_CLASSES:
        module, _, name = value[0].rpartition(".")
        cls = getattr(importlib.import_module(module), name)
        state = _decode(value[1], depth + 1, sources)
        if not (isinstance(state, dict) and all(isinstance(k, str) for k in state)):
            raise ValueError("bad object state")
        obj = cls.__new__(cls)
        obj.__dict__.update(state)
        return obj
    if key == "__source__" and sources and isinstance(value, list) and len(value) == 3:
        name, source, state = value
        namespace = {"np": np, "numpy": np, "math": math, "__name__": "bpkit_grader_inputs"}
        exec(compile(source, f"<the grader's input {name}>", "exec"), namespace)  # noqa: S102
        made = namespace[name]
        if state is None:
            return made
        obj = made.__new__(made)
        obj.__dict__.update(_decode(state, depth + 1, sources))
        return obj
    if key == "__dict__" and isinstance(value, list):
        out = {}
        for pair in value:
            if not (isinstance(pair, list) and len(pair) == 2):
                raise ValueError("bad dict entry")
            k = _decode(pair[0], depth + 1, sources)
            if not isinstance(k, (str, int, float, bool, type(None), tuple)):
                raise ValueError("bad dict key")
            out[k] = _decode(pair[1], depth + 1, sources)
        return out
    if key == "__unsupported__" and isinstance(value, str):
        return {"__unsupported__": value[:100]}
    raise ValueError("unexpected payload element")


_OUTCOME_KEYS = {"ok", "error", "refused"}


def to_payload(outcomes):
    """The outcomes of :func:`run_function` as one line of JSON (arrays, NaN and inf safe)."""
    items = []
    for o in outcomes:
        (key, value), = o.items()
        items.append({key: _encode(value) if key == "ok" else str(value)})
    return json.dumps(items, allow_nan=False, separators=(",", ":"))


def from_payload(text):
    """Decode :func:`to_payload`'s text; raise ValueError on anything else. Never unpickles."""
    raw = json.loads(text)
    if not isinstance(raw, list):
        raise ValueError("a payload is a list of outcomes")
    out = []
    for o in raw:
        if not (isinstance(o, dict) and len(o) == 1 and set(o) <= _OUTCOME_KEYS):
            raise ValueError("bad outcome")
        (key, value), = o.items()
        if key == "ok":
            out.append({"ok": _decode(value)})
        elif isinstance(value, str):
            out.append({key: value})
        else:
            raise ValueError("bad outcome")
    return out




def inputs_to_payload(inputs):
    """An exercise's argument tuples as JSON text, for the grading kernel."""
    return json.dumps([_encode(tuple(args), sources=True) for args in inputs],
                      allow_nan=False, separators=(",", ":"))


def inputs_from_payload(text):
    """The argument tuples of :func:`inputs_to_payload` (run in the grading kernel)."""
    return [_decode(args, sources=True) for args in json.loads(text)]
