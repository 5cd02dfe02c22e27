"""Load generation and reporting shared by the benchmark scripts.

The client is Python threads with keep-alive connections: it shares the machine's two cores with
the server, so absolute numbers understate the server; the ratio to the floor, measured in the same
run with the same client, is the figure to compare across machines.
"""

from __future__ import annotations

import http.client
import statistics
import threading
import time
from dataclasses import dataclass


@dataclass
class Result:
    label: str
    path: str
    requests: int
    errors: int
    seconds: float
    latencies_ms: list[float]

    def pct(self, p: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        k = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))
        return ordered[k]

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def measure(
    host: str, port: int, label: str, path: str, *, concurrency: int = 4, requests: int = 400, warmup: int = 20
) -> Result:
    """Send `requests` GETs to `path` from `concurrency` threads, each on its own keep-alive connection."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    counter = iter(range(requests))

    def worker():
        nonlocal errors
        conn = http.client.HTTPConnection(host, port, timeout=30)
        local, local_errors = [], 0
        while True:
            with lock:
                if next(counter, None) is None:
                    break
            t0 = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Accept-Language": "vi"})
                resp = conn.getresponse()
                resp.read()
                if resp.status >= 400:
                    local_errors += 1
            except (OSError, http.client.HTTPException):
                local_errors += 1
                conn.close()
                conn = http.client.HTTPConnection(host, port, timeout=30)
                continue
            local.append((time.perf_counter() - t0) * 1000)
        conn.close()
        with lock:
            latencies.extend(local)
            errors += local_errors

    warm = http.client.HTTPConnection(host, port, timeout=30)
    for _ in range(warmup):
        warm.request("GET", path)
        warm.getresponse().read()
    warm.close()

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return Result(label, path, len(latencies), errors, time.perf_counter() - start, latencies)


def table(results: list[Result], floor: Result) -> str:
    head = (
        f"{'endpoint':<34} {'n':>5} {'err':>4} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'req/s':>8}"
        f" {'p95/floor':>9} {'rps/floor':>9}"
    )
    lines = [head, "-" * len(head)]
    for r in [floor, *results]:
        lines.append(
            f"{r.label:<34} {r.requests:>5} {r.errors:>4} {r.pct(50):>8.1f} {r.pct(95):>8.1f} {r.pct(99):>8.1f}"
            f" {r.rps:>8.1f} {r.pct(95) / floor.pct(95):>9.2f} {r.rps / floor.rps:>9.2f}"
        )
    return "\n".join(lines)


def summary(result: Result) -> dict:
    lat = result.latencies_ms
    return {
        "label": result.label,
        "path": result.path,
        "requests": result.requests,
        "errors": result.errors,
        "p50_ms": result.pct(50),
        "p95_ms": result.pct(95),
        "p99_ms": result.pct(99),
        "mean_ms": statistics.fmean(lat) if lat else None,
        "rps": result.rps,
    }
