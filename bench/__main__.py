"""Run every benchmark module in bench/ (files named bench_*.py), or those named.

Each prints its FIGURE lines (bench/figures.py) and the load average; this
prints each module's own duration, so `make bench` can be held under 15 min."""

import importlib
import os
import pkgutil
import subprocess
import sys
import time
from pathlib import Path


def main(argv: list[str]) -> int:
    names = argv or sorted(
        m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)]) if m.name.startswith("bench_")
    )
    if len(names) == 1:
        importlib.import_module(f"bench.{names[0]}").main()
        return 0
    failed = []
    var_dir = os.environ.get("DSAR_VAR_DIR") or str(Path(__file__).resolve().parent.parent / "var" / "bench")
    for name in names:
        # Each in a process of its own: Django is set up once per process,
        # and the benchmarks use different databases and settings.
        print(f"\n### {name}", flush=True)
        started = time.monotonic()
        # A var dir (scratch database, keys, files) of its own too: one
        # benchmark's leftovers (protected rows, other keys) never trip another.
        env = {**os.environ, "DSAR_VAR_DIR": str(Path(var_dir) / name)}
        if subprocess.run([sys.executable, "-m", "bench", name], env=env, check=False).returncode:  # noqa: S603
            failed.append(name)
        print(f"### {name} took {time.monotonic() - started:.0f} s", flush=True)
    if failed:
        print(f"### failed: {', '.join(failed)}", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
