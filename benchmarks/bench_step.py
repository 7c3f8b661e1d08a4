"""Time one training step of bpkit against the matrix-product floor (and PyTorch, if present).

One step is what ``Network.fit`` does per mini-batch: forward pass, backward pass (BP1-BP4)
and the SGD update. The network is [784, 256, 256, 10] with sigmoid hidden layers and a
softmax/cross-entropy output; batch sizes 32, 128 and 1024, float32 and float64, everything
on ONE thread (threadpoolctl limits BLAS; PyTorch gets ``torch.set_num_threads(1)``).

The "floor" is the time of the step's matrix products alone, written into preallocated
arrays: the three forward products W^l a^(l-1), the three dW products delta^l (a^(l-1))^T and
the two delta products (W^(l+1))^T delta^(l+1) that BP2 needs (the input gradient is not
computed, as in training). No implementation of the step can avoid them.

Every figure is a median over rounds in which the functions take turns. Run:  make bench   (or python benchmarks/bench_step.py)
Options: --quick (fewer repeats), --batches 32,128 --dtypes float64.
The table is printed and written to benchmarks/results/latest.txt.
"""
import argparse
import os
import platform
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np
from threadpoolctl import threadpool_info, threadpool_limits

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bpkit.network import Network, keep_freed_memory  # noqa: E402

SIZES = [784, 256, 256, 10]
LR = 0.1


def interleaved(fns, min_time=3.0, min_rounds=9, max_rounds=500, warmup=2):
    """The CPU times in seconds of each function of ``fns`` (a dict name -> function).

    CPU time (everything runs on one thread) is less disturbed than wall time when other
    programs share the machine: time spent waiting for a core is not counted.
    The functions take turns, two calls each per round of which the second is timed, so
    that a change in the load of a shared machine slows them all alike and none is timed
    right after another one has filled the caches with its own arrays. The ratio of two of
    them is also taken per round, and its median reported (``ratio(times, a, b)``).
    """
    for _ in range(warmup):
        for fn in fns.values():
            fn()
    times = {name: [] for name in fns}
    start = time.perf_counter()
    rounds = 0
    while rounds < min_rounds or (time.perf_counter() - start < min_time
                                  and rounds < max_rounds):
        for name, fn in fns.items():
            # Untimed first: each function is timed in its own warm state, as in a
            # training loop that repeats the same step.
            fn()
            t0 = time.process_time()
            fn()
            times[name].append(time.process_time() - t0)
        rounds += 1
    return times


def med(times, name):
    return statistics.median(times[name])


def ratio(times, a, b):
    return statistics.median(x / y for x, y in zip(times[a], times[b]))


def make_batch(m, dtype, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.random((SIZES[0], m)).astype(dtype)
    Y = np.zeros((SIZES[-1], m), dtype)
    Y[rng.integers(0, SIZES[-1], m), np.arange(m)] = 1
    return X, Y


def bpkit_functions(m, dtype):
    net = Network(SIZES, activation="sigmoid", output="softmax", loss="cross_entropy",
                  init="xavier", seed=0, dtype=dtype)
    X, Y = make_batch(m, dtype)
    cache = net._forward(X)
    fns = {
        # What fit runs per mini-batch: its inputs were checked once, before the epochs,
        # and the loss is measured per epoch, not per mini-batch.
        "step": lambda: net._step(X, Y, LR, 0.0, want_loss=False),
        "forward": lambda: net._forward(X),
        "backward": lambda: net.backward(cache, Y),
    }
    tracemalloc.start()
    net._forward(X)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return fns, dict(cache_bytes=cache.nbytes, forward_peak=peak)


def floor_function(m, dtype):
    """The step's matrix products alone, into preallocated outputs."""
    rng = np.random.default_rng(1)
    W = {l: rng.standard_normal((SIZES[l], SIZES[l - 1])).astype(dtype) for l in (1, 2, 3)}
    a = {l: rng.random((SIZES[l], m)).astype(dtype) for l in (0, 1, 2, 3)}
    delta = {l: rng.standard_normal((SIZES[l], m)).astype(dtype) for l in (1, 2, 3)}
    z = {l: np.empty((SIZES[l], m), dtype) for l in (1, 2, 3)}
    dW = {l: np.empty_like(W[l]) for l in (1, 2, 3)}
    back = {l: np.empty((SIZES[l], m), dtype) for l in (1, 2)}

    def products():
        for l in (1, 2, 3):
            np.matmul(W[l], a[l - 1], out=z[l])              # forward
        for l in (3, 2, 1):
            np.matmul(delta[l], a[l - 1].T, out=dW[l])       # BP4
        for l in (2, 1):
            np.matmul(W[l + 1].T, delta[l + 1], out=back[l])  # BP2

    return products


def torch_function(m, dtype):
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(1)
    torch.manual_seed(0)
    tdtype = {np.float32: torch.float32, np.float64: torch.float64}[dtype]
    model = torch.nn.Sequential(
        torch.nn.Linear(784, 256), torch.nn.Sigmoid(),
        torch.nn.Linear(256, 256), torch.nn.Sigmoid(),
        torch.nn.Linear(256, 10)).to(tdtype)
    opt = torch.optim.SGD(model.parameters(), lr=LR)
    X, Y = make_batch(m, dtype)
    x = torch.from_numpy(np.ascontiguousarray(X.T))      # torch keeps examples as rows
    labels = torch.from_numpy(Y.argmax(axis=0))

    def step():
        opt.zero_grad(set_to_none=True)
        loss = torch.nn.functional.cross_entropy(model(x), labels)
        loss.backward()
        opt.step()
        return loss.item()

    return step


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batches", default="32,128,1024")
    parser.add_argument("--dtypes", default="float32,float64")
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    parser.add_argument("--default-malloc", action="store_true",
                        help="leave glibc's allocator as it is (no keep_freed_memory())")
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "latest.txt"))
    args = parser.parse_args(argv)
    # The allocator setting is bpkit's named opt-in; the benchmark opts in unless told not to.
    malloc = "glibc default" if args.default_malloc else (
        "keep_freed_memory()" if keep_freed_memory() else "default (no glibc)")
    min_time = 0.5 if args.quick else 3.0
    batches = [int(b) for b in args.batches.split(",")]
    dtypes = [np.dtype(d).type for d in args.dtypes.split(",")]

    rows = []
    with threadpool_limits(limits=1):
        blas = ", ".join(f"{i['internal_api']} {i.get('version') or ''} ({i['num_threads']} thread)"
                         for i in threadpool_info() if i["user_api"] == "blas")
        try:
            import torch
            torch_version = torch.__version__
        except ImportError:
            torch_version = "not installed"
        for dtype in dtypes:
            for m in batches:
                fns, memory = bpkit_functions(m, dtype)
                fns["floor"] = floor_function(m, dtype)
                torch_step = torch_function(m, dtype)
                if torch_step is not None:
                    fns["torch"] = torch_step
                times = interleaved(fns, min_time)
                rows.append((np.dtype(dtype).name, m, times, memory))
                print(f"  measured {np.dtype(dtype).name} batch {m} "
                      f"({len(times['step'])} rounds)", file=sys.stderr, flush=True)

    ms = lambda s: f"{1e3 * s:9.3f}"  # noqa: E731
    header = (f"{'dtype':<8}{'batch':>6}{'bpkit ms':>10}{'floor ms':>10}{'/floor':>8}"
              f"{'torch ms':>10}{'/torch':>8}{'fwd ms':>9}{'bwd ms':>9}{'bwd/fwd':>8}"
              f"{'cache MB':>9}{'fwd peak MB':>12}")
    lines = [
        "One SGD step of a [784, 256, 256, 10] network (sigmoid hidden, softmax/cross-entropy),",
        "one thread; CPU-time medians over interleaved rounds (ratios: median of the per-round ratios).",
        "floor = the step's matrix products alone; fwd peak = tracemalloc peak of one forward pass.",
        f"numpy {np.__version__}; BLAS: {blas}; torch: {torch_version}; "
        f"{platform.machine()} {platform.python_version()}; allocator: {malloc}",
        "",
        header,
        "-" * len(header),
    ]
    for name, m, t, memory in rows:
        tcol = (f"{ms(med(t, 'torch')):>10}{ratio(t, 'step', 'torch'):>8.2f}" if "torch" in t
                else f"{'n/a':>10}{'':>8}")
        lines.append(
            f"{name:<8}{m:>6}{ms(med(t, 'step')):>10}{ms(med(t, 'floor')):>10}"
            f"{ratio(t, 'step', 'floor'):>8.2f}{tcol}{ms(med(t, 'forward'))}"
            f"{ms(med(t, 'backward'))}{ratio(t, 'backward', 'forward'):>8.2f}"
            f"{memory['cache_bytes'] / 2**20:>9.2f}{memory['forward_peak'] / 2**20:>12.2f}")
    lines += ["", "Targets: batch 128 within 1.20x of the floor and no slower than PyTorch; "
              "batch 1024 within 1.10x of the floor."]
    text = "\n".join(lines)
    print(text)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text + "\n")
    print(f"(written to {out})", file=sys.stderr)


if __name__ == "__main__":
    main()
