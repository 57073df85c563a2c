from __future__ import annotations

import shutil
import subprocess

import pytest

from dsar.exports.content import ExportSpec
from dsar.exports.register import register_snapshot
from tests.exports.factories import CONTROLLER, make_job


@pytest.fixture
def job(db):
    return make_job()


@pytest.fixture
def make_spec():
    def build(job, *, language="en", kind="access"):
        return ExportSpec(job=job, controller=CONTROLLER, register=register_snapshot(), language=language, kind=kind)

    return build


def pdf_text(pdf_bytes: bytes, tmp_path, *, layout: bool = False) -> str:
    """The text of a PDF as poppler's pdftotext reads it (what a reader sees);
    with ``layout``, each printed line as one line of text."""
    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils (pdftotext) is not installed")
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf_bytes)
    options = ["-layout"] if layout else []
    result = subprocess.run(["pdftotext", *options, str(path), "-"], capture_output=True, check=True)  # noqa: S603,S607
    return result.stdout.decode()
