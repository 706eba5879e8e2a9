#!/usr/bin/env python3
"""M/M/c in SimPy, the reference for bench/gateway.bench.ts.

Usage: mmc_simpy.py LAMBDA MU C CUSTOMERS SEED  -> one JSON line on stdout.
Works with SimPy 3/4 (`import simpy`) and with Debian's SimPy 2 (`SimPy.Simulation`).
Same model as ours: Poisson arrivals, exponential service, c servers sharing one FIFO queue.
"""
import json
import random
import sys
import time


def run_simpy3(simpy, lam, mu, c, n, rng):
    env = simpy.Environment()
    servers = simpy.Resource(env, capacity=c)
    stats = {"done": 0, "wait": 0.0, "resp": 0.0}

    def customer(env):
        t0 = env.now
        with servers.request() as req:
            yield req
            stats["wait"] += env.now - t0
            yield env.timeout(rng.expovariate(mu))
        stats["resp"] += env.now - t0
        stats["done"] += 1

    def source(env):
        for _ in range(n):
            env.process(customer(env))
            yield env.timeout(rng.expovariate(lam))

    env.process(source(env))
    env.run()
    return stats


def run_simpy2(lam, mu, c, n, rng):
    from SimPy.Simulation import Process, Resource, activate, hold, initialize, now, release, request, simulate

    stats = {"done": 0, "wait": 0.0, "resp": 0.0}

    class Customer(Process):
        def visit(self, servers):
            t0 = now()
            yield request, self, servers
            stats["wait"] += now() - t0
            yield hold, self, rng.expovariate(mu)
            yield release, self, servers
            stats["resp"] += now() - t0
            stats["done"] += 1

    class Source(Process):
        def generate(self, servers):
            for _ in range(n):
                cu = Customer()
                activate(cu, cu.visit(servers))
                yield hold, self, rng.expovariate(lam)

    initialize()
    servers = Resource(capacity=c)
    s = Source()
    activate(s, s.generate(servers))
    simulate(until=1e18)
    return stats


def main():
    lam, mu, c, n, seed = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    rng = random.Random(seed)
    t, cpu = time.perf_counter(), time.process_time()
    try:
        import simpy  # SimPy 3 or 4

        stats, version = run_simpy3(simpy, lam, mu, c, n, rng), getattr(simpy, "__version__", "3+")
    except ImportError:
        import SimPy

        stats, version = run_simpy2(lam, mu, c, n, rng), getattr(SimPy, "__version__", "2")
    secs, cpu_secs = time.perf_counter() - t, time.process_time() - cpu
    done = stats["done"]
    print(json.dumps({
        "simpy": version,
        "requests": done,
        "seconds": secs,
        "req_per_s": done / secs,
        "cpu_seconds": cpu_secs,
        "req_per_cpu_s": done / cpu_secs,
        "mean_wait": stats["wait"] / done,
        "mean_response": stats["resp"] / done,
    }))


if __name__ == "__main__":
    main()
