"""The embedded broker under concurrent writes: 1,000 messages from 4 producers.

`make run`'s web server, worker and beat all publish to the embedded broker
at once. The filesystem transport it replaced crashed the worker with a
JSONDecodeError when a reader opened a message mid-write. This publishes
N messages from P processes at the same time to a fresh broker file, then
consumes the queue and checks that every message arrived exactly once.

    .venv/bin/python -m bench.bench_broker [--messages 1000] [--producers 4] [--url sqla+sqlite:///...]
"""

from __future__ import annotations

import argparse
import multiprocessing
import sqlite3
import tempfile
import time
from pathlib import Path

from kombu import Connection, Exchange, Queue

from bench.figures import figure, print_load

QUEUE = Queue("bench", Exchange("bench", type="direct"), routing_key="bench")


def _produce(url: str, producer: int, count: int, start) -> None:
    start.wait()
    with Connection(url, transport_options={"connect_args": {"timeout": 30}}) as conn:
        publish = conn.ensure(conn.Producer(), conn.Producer().publish, max_retries=3)
        for i in range(count):
            publish({"producer": producer, "n": i}, exchange=QUEUE.exchange, routing_key="bench", declare=[QUEUE])


def run(*, url: str, messages: int = 1000, producers: int = 4) -> dict:
    per = messages // producers
    start = multiprocessing.Event()
    with Connection(url, transport_options={"connect_args": {"timeout": 30}}) as conn:
        QUEUE(conn.channel()).declare()
    procs = [multiprocessing.Process(target=_produce, args=(url, p, per, start)) for p in range(producers)]
    for proc in procs:
        proc.start()
    began = time.monotonic()
    start.set()
    for proc in procs:
        proc.join()
    produced_in = time.monotonic() - began
    failed = sum(1 for proc in procs if proc.exitcode != 0)
    seen: list[tuple[int, int]] = []
    with Connection(url, transport_options={"connect_args": {"timeout": 30}}) as conn:
        queue = QUEUE(conn.channel())
        while (message := queue.get(no_ack=True)) is not None:
            body = message.decode()
            seen.append((body["producer"], body["n"]))
    expected = {(p, i) for p in range(producers) for i in range(per)}
    return {
        "sent": per * producers,
        "received": len(seen),
        "unique": len(set(seen)),
        "lost": len(expected - set(seen)),
        "duplicated": len(seen) - len(set(seen)),
        "producers_failed": failed,
        "produce_seconds": round(produced_in, 2),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--producers", type=int, default=4)
    parser.add_argument("--url", default="")
    args = parser.parse_args(argv or [])
    url = args.url
    if not url:
        path = Path(tempfile.mkdtemp()) / "broker.sqlite3"
        with sqlite3.connect(path) as db:  # as config.settings does for the embedded broker
            db.execute("PRAGMA journal_mode=WAL")
        url = f"sqla+sqlite:///{path}"
    print_load("start")
    result = run(url=url, messages=args.messages, producers=args.producers)
    print(result)
    figure("broker_publish_rate", args.messages / max(result["produce_seconds"], 0.01), "msg/s")
    figure("broker_lost", result["lost"], "messages")
    figure("broker_duplicated", result["duplicated"], "messages")
    print_load("end")
    return 0 if result["lost"] == 0 and result["duplicated"] == 0 and not result["producers_failed"] else 1


if __name__ == "__main__":
    import sys

    raise SystemExit(main(sys.argv[1:]))
