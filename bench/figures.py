"""How every benchmark reports: one line per figure, and the load it ran under.

    FIGURE <name> value=<n> unit=<u> floor=<n> ratio=<n>

``floor`` is what the bare stack does on this machine, measured in the same
run (a bare Django INSERT view, a bare WeasyPrint render of the same HTML, a
bare streamed ``json.dumps`` of the same records); ``ratio`` is value / floor.
On a shared machine absolute timings drift with the load; a ratio to a floor
measured in the same run does not drift as much, so targets are ratios.
The load average is printed beside the figures so a reader can judge them.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def print_load(when: str) -> None:
    print(f"LOAD {when} loadavg={load()} cpus={os.cpu_count()} host={platform.node()}", flush=True)


def _number(value: float) -> str:
    if value == 0 or abs(value) >= 100:
        return f"{value:.0f}"
    if abs(value) >= 1:
        return f"{value:.2f}"
    return f"{value:.4f}"


def figure(name: str, value: float, unit: str, floor: float | None = None) -> None:
    """Print one figure; with a floor, the ratio value / floor too."""
    line = f"FIGURE {name} value={_number(value)} unit={unit}"
    if floor is not None:
        line += f" floor={_number(floor)}"
        if floor:
            line += f" ratio={value / floor:.2f}"
    print(line, flush=True)


def median_ms(samples_s: list[float]) -> float:
    return statistics.median(samples_s) * 1000


def p95_ms(samples_s: list[float]) -> float:
    ordered = sorted(samples_s)
    return ordered[max(0, int(len(ordered) * 0.95) - 1)] * 1000


def start_child(module: str, *args: str, env: dict | None = None) -> subprocess.Popen:
    """``python -m module args`` in a process of its own (so that its peak
    memory is its own), its output kept for ``child_figures``."""
    return subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", module, *args],
        cwd=ROOT,
        env={**os.environ} if env is None else env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def child_figures(child: subprocess.Popen) -> dict:
    """The JSON line ``start_child``'s process printed last; its error output
    shown and raised when it failed."""
    stdout, stderr = child.communicate()
    if child.returncode:
        sys.stderr.write(stderr)
        raise subprocess.CalledProcessError(child.returncode, child.args, stdout, stderr)
    return json.loads(stdout.strip().splitlines()[-1])
