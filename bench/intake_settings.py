"""Settings of bench_intake's gunicorn: the project's, with the rate limits
raised (every submission comes from 127.0.0.1) and the floor view mounted.

On Redis (the production setup, ``bench_intake`` picks it when it answers),
every key the run writes carries the prefix ``bench-intake:``, the broker's
queues included: the run shares no queue with a worker that may use the same
Redis database, and the benchmark deletes exactly its own keys at the end."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.intake_urls"
ALLOWED_HOSTS = ["*"]
DSAR_INTAKE_RATES_PER_IP = ["1000000/h"]
DSAR_INTAKE_RATES_PER_EMAIL = ["1000000/h"]
DSAR_API_PUBLIC_RATE = "1000000/hour"

KEY_PREFIX = "bench-intake"
if CELERY_BROKER_URL.startswith(("redis://", "rediss://")):  # noqa: F405
    CELERY_BROKER_TRANSPORT_OPTIONS = {**CELERY_BROKER_TRANSPORT_OPTIONS, "global_keyprefix": f"{KEY_PREFIX}:"}  # noqa: F405
CACHES["default"]["KEY_PREFIX"] = KEY_PREFIX  # noqa: F405
