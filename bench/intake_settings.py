"""Settings of bench_intake's gunicorn: the project's, with the rate limits
raised (every submission comes from 127.0.0.1) and the floor view mounted."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.intake_urls"
ALLOWED_HOSTS = ["*"]
DSAR_INTAKE_RATES_PER_IP = ["1000000/h"]
DSAR_INTAKE_RATES_PER_EMAIL = ["1000000/h"]
DSAR_API_PUBLIC_RATE = "1000000/hour"
