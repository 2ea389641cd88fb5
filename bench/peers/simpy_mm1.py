#!/usr/bin/env python3
"""M/M/c on SimPy 4.1.2: the peer of `npm run bench -- mm1` (bench/simpyPeer.ts runs it).

Model (the canonical SimPy "bank" style, one process per customer), the same queue that
bench/mm1Models.ts writes on our engine:
  - a source process draws exponential inter-arrival times (rate LAM) and
    starts one customer process per arrival, for exactly N customers;
  - each customer requests a simpy.Resource(capacity=C), records its wait in
    queue (service start - arrival), holds for an exponential service time
    (rate MU), then releases the server;
  - env.run() runs until the event queue is empty (all N customers served).
Only env.run() is timed: customers/s = N / its wall time.

Randomness: two independent random.Random streams, one for arrivals and one
for services, both derived from --seed (string seeding in CPython is
deterministic: it hashes with SHA-512, not hash()). Same seed -> same
output, and the arrival stream does not shift when the service law changes
(common random numbers).

"Events processed" = events SimPy popped from its heap, i.e. calls to
Environment.step(); measured as (event ids handed out) - (events left in the
queue), so there is no counting overhead in the hot loop. For this model it is
about 6 per customer (arrival timeout, process init, request, service
timeout, release, process end). Other engines count differently, so compare
customers/s, not events/s.

SimPy is not part of this repository. The script imports it from --simpy-src
(or $SIMPY_SRC: the src/ folder of a source checkout at tag 4.1.2) or else from
the installed packages; it exits with status 3 and says how to get SimPy 4.1.2
when it finds none, or another major version (Debian's python3-simpy is SimPy 2,
whose API is different). See README.md in this folder.

Output: one human-readable block, or one JSON line with --json.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import re
import sys
import time


def erlang_c_wq(lam: float, mu: float, c: int) -> tuple[float, float]:
    """Return (P(wait), Wq) for M/M/c (Erlang C). Wq = rho/(mu-lam) when c=1."""
    a = lam / mu
    rho = a / c
    if rho >= 1.0:
        return 1.0, math.inf
    # sum_{k<c} a^k/k! computed iteratively to stay stable
    term, s = 1.0, 1.0
    for k in range(1, c):
        term *= a / k
        s += term
    top = term * a / c / (1.0 - rho)  # a^c / c! / (1 - rho)
    p_wait = top / (s + top)
    return p_wait, p_wait / (c * mu - lam)


def batch_means_ci(xs: list[float], warmup: int, batches: int = 20) -> tuple[float, float]:
    """Mean and 95% half-width by non-overlapping batch means after dropping warmup."""
    ys = xs[warmup:]
    n = len(ys) // batches
    if n < 2:
        return (sum(ys) / len(ys) if ys else math.nan), math.nan
    means = [sum(ys[i * n:(i + 1) * n]) / n for i in range(batches)]
    m = sum(means) / batches
    var = sum((b - m) ** 2 for b in means) / (batches - 1)
    t975 = 2.093 if batches == 20 else 1.96  # Student t with 19 d.f. for 20 batches
    return m, t975 * math.sqrt(var / batches)


def kiefer_wolfowitz_waits(n: int, lam: float, mu: float, c: int, seed: int) -> list[float]:
    """Exact FCFS M/M/c waits from the same two random streams, without SimPy.

    Kiefer-Wolfowitz workload recursion (Lindley's recursion when c = 1):
    V holds the c servers' remaining work seen by an arrival, sorted ascending;
    customer n waits V[0], then adds its service to that server; the next
    arrival sees every entry reduced by its inter-arrival time, floored at 0.
    Draw order matches run(): inter-arrival a_n, then service s_n, per customer.
    """
    arr_rng = random.Random(f"{seed}/arrivals")
    svc_rng = random.Random(f"{seed}/services")
    v = [0.0] * c
    out = []
    pending = None  # service of the previous customer, added after its wait is known
    for _ in range(n):
        a = arr_rng.expovariate(lam)
        s = svc_rng.expovariate(mu)
        if pending is not None:
            v[0] += pending
            v = sorted(max(0.0, x - a) for x in v)
        else:
            v = [max(0.0, x - a) for x in v]
        out.append(v[0])
        pending = s
    return out


GET_SIMPY = (
    "get SimPy 4.1.2: a source checkout at tag 4.1.2, e.g.\n"
    "  git clone --branch 4.1.2 --depth 1 https://gitlab.com/team-simpy/simpy.git /tmp/peers/simpy\n"
    "and pass --simpy-src /tmp/peers/simpy/src (or set SIMPY_SRC); or, where pip reaches PyPI,\n"
    "  python3 -m pip install simpy==4.1.2\n"
    "(Debian's python3-simpy is SimPy 2, a different API: not usable)"
)


def import_simpy():
    """SimPy 4 and its version, or exit with status 3 saying how to get it."""
    try:
        import simpy
    except ImportError as e:
        print(f"simpy_mm1.py: cannot import simpy ({e}).\n{GET_SIMPY}", file=sys.stderr)
        sys.exit(3)
    version = simpy_version(simpy)
    if not version.startswith("4.") or not hasattr(simpy, "Environment"):
        print(f"simpy_mm1.py: found SimPy {version} at {simpy.__file__}; this script needs SimPy 4.\n{GET_SIMPY}",
              file=sys.stderr)
        sys.exit(3)
    return simpy, version


def run(n_customers: int, lam: float, mu: float, servers: int, seed: int):
    simpy, version = import_simpy()  # imported here so --help works without simpy

    env = simpy.Environment()
    server = simpy.Resource(env, capacity=servers)
    arr_rng = random.Random(f"{seed}/arrivals")
    svc_rng = random.Random(f"{seed}/services")
    waits: list[float] = []
    append = waits.append
    expo_a = arr_rng.expovariate
    expo_s = svc_rng.expovariate
    timeout = env.timeout

    def customer(arrival: float, service: float):
        with server.request() as req:
            yield req
            append(env.now - arrival)
            yield timeout(service)

    def source():
        process = env.process
        for _ in range(n_customers):
            yield timeout(expo_a(lam))
            # service time drawn at arrival so each stream is consumed in a
            # fixed order (customer i always gets the i-th service draw)
            process(customer(env.now, expo_s(mu)))

    env.process(source())
    t0 = time.perf_counter()
    env.run()
    wall = time.perf_counter() - t0
    events = next(env._eid) - len(env._queue)  # events popped by step()
    return events, wall, env.now, waits, version


def simpy_version(simpy) -> str:
    """Installed version, or for a bare source checkout the top entry of CHANGES.rst."""
    v = getattr(simpy, "__version__", None)
    if v:
        return v
    changes = os.path.join(os.path.dirname(simpy.__file__), "..", "..", "CHANGES.rst")
    try:
        with open(changes, encoding="utf-8") as f:
            for line in f:
                m = re.match(r"^(\d+\.\d+\.\d+) - ", line)
                if m:
                    return m.group(1) + " (source checkout)"
    except OSError:
        pass
    return "unknown"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("customers", type=float, help="number of customers, e.g. 1e6")
    ap.add_argument("--servers", "-c", type=int, default=1, help="servers c (default 1)")
    ap.add_argument("--lam", type=float, default=None,
                    help="arrival rate (default 0.9*c, so rho = 0.9 for every c)")
    ap.add_argument("--mu", type=float, default=1.0, help="service rate per server (default 1.0)")
    ap.add_argument("--seed", type=int, default=1, help="seed (default 1)")
    ap.add_argument("--warmup", type=float, default=0.01,
                    help="fraction of customers dropped before the batch-means CI (default 0.01)")
    ap.add_argument("--json", action="store_true", help="print one JSON line")
    ap.add_argument("--verify", action="store_true",
                    help="also recompute every wait with the Kiefer-Wolfowitz/Lindley recursion "
                         "from the same streams and report the largest difference (not timed)")
    ap.add_argument("--simpy-src", default=os.environ.get("SIMPY_SRC"),
                    help="path to a SimPy checkout's src/ folder (or set SIMPY_SRC)")
    args = ap.parse_args()
    if args.simpy_src:
        sys.path.insert(0, args.simpy_src)
    n = int(args.customers)
    c = args.servers
    lam = args.lam if args.lam is not None else 0.9 * c
    mu = args.mu

    events, wall, t_end, waits, version = run(n, lam, mu, c, args.seed)
    p_wait, wq_theory = erlang_c_wq(lam, mu, c)
    wq_all = sum(waits) / len(waits)
    wq_bm, hw = batch_means_ci(waits, int(args.warmup * len(waits)))
    out = {
        "engine": "simpy",
        "simpy_version": version,
        "python": platform.python_version(),
        "model": f"M/M/{c}",
        "lam": lam, "mu": mu, "servers": c, "rho": lam / (c * mu),
        "seed": args.seed,
        "customers": n,
        "events": events,
        "events_per_customer": events / n,
        "wall_s": wall,
        "events_per_s": events / wall,
        "customers_per_s": n / wall,
        "sim_time_end": t_end,
        "wq_mean_all": wq_all,
        "wq_batch_means": wq_bm,
        "wq_ci95_halfwidth": hw,
        "wq_theory": wq_theory,
        "p_wait_theory": p_wait,
        "p_wait_sim": sum(1 for w in waits if w > 0.0) / len(waits),
    }
    if args.verify:
        ref = kiefer_wolfowitz_waits(n, lam, mu, c, args.seed)
        out["verify_max_abs_diff"] = max(abs(x - y) for x, y in zip(waits, ref))
        out["verify_wq_recursion"] = sum(ref) / len(ref)
    if args.json:
        print(json.dumps(out))
    else:
        print(f"SimPy {version} on Python {out['python']}  {out['model']}  "
              f"lam={lam:g} mu={mu:g} rho={out['rho']:.3f} seed={args.seed}")
        print(f"customers          {n}")
        print(f"events processed   {events}  ({events / n:.2f} per customer)")
        print(f"wall time          {wall:.3f} s")
        print(f"events/s           {events / wall:,.0f}")
        print(f"customers/s        {n / wall:,.0f}")
        print(f"mean Wq (all)      {wq_all:.4f}")
        print(f"mean Wq (batch)    {wq_bm:.4f} +/- {hw:.4f} (95% CI, 20 batch means, "
              f"first {args.warmup:.0%} dropped)")
        print(f"analytic Wq        {wq_theory:.4f}  (Erlang C; rho/(mu-lam) for c=1)")
        print(f"P(wait) sim/theory {out['p_wait_sim']:.4f} / {p_wait:.4f}")
        if args.verify:
            print(f"verify             recursion Wq {out['verify_wq_recursion']:.4f}, "
                  f"max |SimPy wait - recursion wait| = {out['verify_max_abs_diff']:.3g}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
