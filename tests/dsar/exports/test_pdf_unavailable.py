"""A machine without WeasyPrint's system libraries: only the PDF fails, and says why.

WeasyPrint loads GObject, Pango and HarfBuzz through cffi while it is
imported; on a fresh Debian without them the import raises
``OSError: cannot load library 'libgobject-2.0-0'``. These tests make that
import fail the same way and check that the desk migrates, serves its pages
and makes the JSON, and that the PDF export fails with the Debian packages
named on the request page instead of a stack trace.
"""

from __future__ import annotations

import importlib.abc
import io
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.urls import reverse

from dsar.exports import pdf_export, service
from dsar.exports.models import ExportFile
from requests_app import workflow
from requests_app.delivery import selectors as delivery_selectors
from requests_app.delivery import services as delivery_services
from requests_app.delivery.tasks import generate_exports_task
from requests_app.models import RequestEvent, RequestType
from tests.factories import make_request
from tests.support.export_factories import make_job

BASE_DIR = Path(__file__).resolve().parents[3]
# WeasyPrint's own words when GLib is missing (cffi's dlopen through WeasyPrint 6x).
MISSING_GLIB = (
    "cannot load library 'libgobject-2.0-0': libgobject-2.0-0: cannot open shared object file: "
    "No such file or directory.  Additionally, ctypes.util.find_library() did not manage to locate "
    "a library called 'libgobject-2.0-0'"
)


class _NoSystemLibraries(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "weasyprint" or name.startswith("weasyprint."):
            raise OSError(MISSING_GLIB)
        return None


@pytest.fixture
def without_pango(monkeypatch):
    """``import weasyprint`` fails as on a machine without its libraries (restored after)."""
    for name in [n for n in sys.modules if n == "weasyprint" or n.startswith("weasyprint.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setattr(sys, "meta_path", [_NoSystemLibraries(), *sys.meta_path])


def _pdf_packages() -> list[str]:
    listed = subprocess.run(  # noqa: S603
        [BASE_DIR / "scripts" / "system-deps", "list", "pdf"], capture_output=True, text=True, check=True
    )
    return listed.stdout.split()


def test_the_pdf_names_the_missing_library_and_the_debian_packages(db, job, make_spec, without_pango):
    with pytest.raises(pdf_export.PdfUnavailable) as raised:
        pdf_export.write_pdf(make_spec(job), io.BytesIO())

    assert raised.value.missing == "libgobject-2.0-0"
    assert raised.value.packages == _pdf_packages()
    assert "libpango-1.0-0" in raised.value.packages
    assert raised.value.apt_line.startswith("sudo apt-get install libglib2.0-0")
    # Not an OSError: the export task retries those (a full disk), and no retry installs a library.
    assert not isinstance(raised.value, OSError)


def test_a_missing_python_package_is_named_too(db, job, make_spec, monkeypatch):
    monkeypatch.setitem(sys.modules, "weasyprint", None)

    with pytest.raises(pdf_export.PdfUnavailable) as raised:
        pdf_export.write_pdf(make_spec(job), io.BytesIO())

    assert raised.value.missing == "weasyprint"


def test_json_and_csv_are_made_without_weasyprint_and_a_failed_pdf_leaves_no_file(db, job, make_spec, without_pango):
    # The first copy of a process reads the PDF's layout for its content
    # digest: that must not need WeasyPrint either (it did, through the
    # fetcher, when no earlier test had filled the cache).
    service.layout_fingerprint.cache_clear()
    spec = make_spec(job)

    with pytest.raises(pdf_export.PdfUnavailable):
        service.generate(spec, [ExportFile.Format.JSON, ExportFile.Format.PDF])
    assert not ExportFile.objects.filter(job=job).exists()

    files = service.generate(make_spec(job, kind="portability"), [ExportFile.Format.JSON, ExportFile.Format.CSV])
    assert sorted(f.format for f in files) == ["csv", "json"]


def test_the_export_job_fails_once_and_the_request_page_says_what_to_install(
    controller, dpo, client, django_capture_on_commit_callbacks, without_pango
):
    request = make_request(request_type=RequestType.ACCESS, email="lotte.peeters@example.be")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.approve(request, actor=dpo)
        workflow.start_processing(request)
        make_job(request.reference)
        # Gathering's end enqueues the generation (run eagerly here): it must not raise.
        workflow.processing_done(request)

    assert generate_exports_task.delay(request.pk).get() == 0
    failures = RequestEvent.objects.filter(request=request, kind="export.failed")
    # Once per run, no retries: the effect above and the call just made.
    assert failures.count() == 2
    assert failures.first().details == {"missing": "libgobject-2.0-0", "packages": _pdf_packages()}
    assert delivery_selectors.export_files(request) == []

    client.force_login(dpo)
    page = client.get(reverse("workspace:request", args=[request.reference]))

    assert page.status_code == 200
    text = page.content.decode()
    assert "The PDF could not be made on this server." in text
    assert "WeasyPrint cannot load libgobject-2.0-0." in text
    assert "sudo apt-get install " + " ".join(_pdf_packages()) in text
    assert "The files are being generated" not in text
    assert "Traceback" not in text


def test_a_generation_that_succeeds_afterwards_clears_the_error(controller, dpo, django_capture_on_commit_callbacks):
    request = make_request(request_type=RequestType.ACCESS, email="lotte.peeters@example.be")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.approve(request, actor=dpo)
        workflow.start_processing(request)
        make_job(request.reference)
    delivery_services.record_export_failure(request, pdf_export.PdfUnavailable("libgobject-2.0-0", ["libpango-1.0-0"]))
    assert delivery_selectors.export_failure(request) == {"missing": "libgobject-2.0-0", "packages": ["libpango-1.0-0"]}

    delivery_services.generate_exports(request)

    assert delivery_selectors.export_failure(request) is None


def test_migrate_the_pages_and_the_worker_never_import_weasyprint(tmp_path):
    """In a separate interpreter where ``import weasyprint`` fails as on a fresh Debian."""
    fake = tmp_path / "site" / "weasyprint"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text(f"raise OSError({MISSING_GLIB!r})\n")
    script = textwrap.dedent(
        """
        import sys
        import django
        django.setup()
        from django.core.management import call_command
        from django.test import Client
        from django.test.utils import setup_test_environment

        setup_test_environment()
        call_command("migrate", verbosity=0)
        call_command("load_demo", verbosity=0)
        call_command("check")
        import config.urls  # every view module
        from config.celery_app import app

        app.loader.import_default_modules()  # every tasks module, as the worker loads them
        for path in ("/", "/workspace/", "/healthz"):
            status = Client().get(path, follow=True).status_code
            assert status == 200, (path, status)
        assert "weasyprint" not in sys.modules, "weasyprint was imported"
        print("ok")
        """
    )
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(fake.parent), str(BASE_DIR)]),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DSAR_VAR_DIR": str(tmp_path / "var"),
    }
    for name in ("DATABASE_URL", "CELERY_BROKER_URL", "CACHE_URL"):
        env.pop(name, None)

    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=300
    )

    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip().endswith("ok")


def test_without_the_package_list_the_error_points_to_the_script():
    error = pdf_export.PdfUnavailable("libgobject-2.0-0", [])

    assert error.apt_line == "sudo scripts/system-deps ensure pdf"
    assert "libgobject-2.0-0" in str(error)
