"""Logs never carry secrets or secret links, whichever process writes them."""

from __future__ import annotations

import io
import logging

import pytest
from celery.signals import after_setup_logger

from config.logging import RedactSecretsFilter, install, redact


@pytest.mark.parametrize(
    ("line", "secret"),
    [
        ("connect postgresql://crm:hunter2@db/crm failed", "hunter2"),
        ("headers {'Authorization': 'Basic aHVudGVyMg=='}", "aHVudGVyMg"),
        ('config {"password": "hunter2", "name": "crm"}', "hunter2"),
        ("GET /contacts?email=x&api_key=hunter2 500", "hunter2"),
        ("Authorization: Bearer abc.def.ghi", "abc.def"),
        ("token dsar_Zx8kQ2mN4pR7sT1vW3yB5cD9 used", "Zx8kQ2mN4pR7sT1vW3yB5cD9"),
        ("signing with whsec_Zx8kQ2mN4pR7sT1vW3yB5cD9", "Zx8kQ2mN4pR7sT1vW3yB5cD9"),
        ('127.0.0.1 "GET /download/Kx9-aB3cD4eF5gH6iJ7kL8mN9/file/pdf/ HTTP/1.1" 200', "Kx9-aB3cD4eF5gH6iJ7kL8mN9"),
        ("Not Found: /status/Kx9aB3cD4eF5gH6iJ7kL8mN9/reply/", "Kx9aB3cD4eF5gH6iJ7kL8mN9"),
        ("national number 85.07.30-033.28", "033"),
    ],
)
def test_a_secret_is_masked(line, secret):
    assert secret not in redact(line)


def test_ordinary_lines_are_left_as_they_are():
    line = "Task requests_app.tasks.deliver_email[0b1c] succeeded in 0.01s: DSAR-2026-00042 in review"
    assert redact(line) == line


def _captured(logger: logging.Logger) -> io.StringIO:
    stream = io.StringIO()
    logger.handlers = [logging.StreamHandler(stream)]
    logger.propagate = False
    logger.setLevel(logging.INFO)  # whatever level other tests left on the root logger
    return stream


def test_a_traceback_is_masked_too():
    logger = logging.getLogger("tests.redaction.traceback")
    stream = _captured(logger)
    logger.handlers[0].addFilter(RedactSecretsFilter())
    try:
        raise ConnectionError("could not reach postgresql://crm:hunter2@db/crm")
    except ConnectionError:
        logger.exception("Gathering failed")
    assert "ConnectionError" in stream.getvalue() and "hunter2" not in stream.getvalue()


def test_gunicorns_access_log_is_masked_whatever_its_handlers():
    logger = logging.getLogger("tests.redaction.access")
    stream = _captured(logger)
    install("tests.redaction.access")
    logger.info('%s "%s"', "127.0.0.1", "GET /verify/eyJhbGciOi.signed-token/ HTTP/1.1")
    assert "/verify/***/" in stream.getvalue() and "signed-token" not in stream.getvalue()


def test_the_celery_workers_handlers_get_the_filter():
    logger = logging.getLogger("tests.redaction.worker")
    stream = _captured(logger)
    after_setup_logger.send(sender=None, logger=logger, loglevel=logging.INFO, logfile=None, format="", colorize=False)
    logger.warning("retrying with Authorization: Bearer abc.def.ghi")
    assert "abc.def" not in stream.getvalue() and "Authorization: ***" in stream.getvalue()


def test_the_drop_folder_s_15_second_task_does_not_fill_the_log(caplog):
    import logging

    from config.logging import quiet_housekeeping

    quiet_housekeeping()
    beat, trace = logging.getLogger("celery.beat"), logging.getLogger("celery.app.trace")
    with caplog.at_level(logging.INFO):
        beat.info("Scheduler: Sending due task %s (%s)", "import-dropped-emails", "requests_app.inbox.tasks.x")
        trace.info("Task %s[%s] succeeded", "requests_app.inbox.tasks.import_dropped_files", "abc")
        beat.info("Scheduler: Sending due task %s (%s)", "compute-deadlines", "requests_app.tasks.y")
        trace.error("Task %s[%s] raised", "requests_app.inbox.tasks.import_dropped_files", "abc")

    lines = [record.getMessage() for record in caplog.records]
    assert lines == [
        "Scheduler: Sending due task compute-deadlines (requests_app.tasks.y)",
        "Task requests_app.inbox.tasks.import_dropped_files[abc] raised",
    ]
