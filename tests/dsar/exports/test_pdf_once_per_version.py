"""The PDF is made once per version of the data (issue 17): generating the
files again from the same records and decisions keeps the files in place;
any change to what the subject would read renders them again."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine
from django.utils import timezone

from dsar.exports import service, storage
from dsar.models import SourceRecord
from tests.fixtures.exports import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def renders(monkeypatch):
    """Every PDF rendered, by request reference."""
    made: list[str] = []
    original = service.write_pdf

    def counting(spec, out, **kwargs):
        made.append(spec.reference)
        return original(spec, out, **kwargs)

    monkeypatch.setattr(service, "write_pdf", counting)
    return made


def _generate(make_spec, job, **kwargs):
    # A new spec each time, as the task builds one: a new moment of generation.
    return {f.format: f for f in service.generate(make_spec(job, **kwargs), ["json", "pdf"])}


def test_the_same_data_generated_again_keeps_the_pdf_and_the_json_it_attaches(job, make_spec, renders, tmp_path):
    first = _generate(make_spec, job)
    with time_machine.travel(timezone.now() + dt.timedelta(hours=2)):
        again = _generate(make_spec, job)

    assert len(renders) == 1
    for fmt in ("json", "pdf"):
        assert again[fmt].pk == first[fmt].pk and again[fmt].sha256 == first[fmt].sha256
        assert storage.absolute(again[fmt].path).exists()
        # Confirmed current as of this generation (files_are_current reads it).
        assert again[fmt].created_at > first[fmt].created_at
    # The PDF still prints the fingerprint of the JSON file beside it.
    text = " ".join(pdf_text(service.read_file(again["pdf"]), tmp_path).split())
    assert again["json"].sha256 in text
    assert len(list(storage.export_dir().iterdir())) == 2  # no stray file of the second run


def test_a_record_left_out_renders_the_pdf_again_without_it(job, make_spec, renders, tmp_path):
    first = _generate(make_spec, job)
    (record,) = [r for r in SourceRecord.objects.filter(run__job=job) if "F-2026-0005" in r.data]
    record.excluded = True
    record.save()

    again = _generate(make_spec, job)

    assert len(renders) == 2
    assert again["pdf"].content_sha256 != first["pdf"].content_sha256
    assert "F-2026-0005" not in pdf_text(service.read_file(again["pdf"]), tmp_path)
    # And put back: the data is that of the first version again, rendered anew.
    record.excluded = False
    record.save()
    assert "F-2026-0005" in pdf_text(service.read_file(_generate(make_spec, job)["pdf"]), tmp_path)
    assert len(renders) == 3


def test_changed_data_or_another_language_renders_the_pdf_again(job, make_spec, renders):
    _generate(make_spec, job)
    record = SourceRecord.objects.filter(run__job=job).first()
    record.data = json.dumps({**json.loads(record.data), "city": "Lokeren"})
    record.save()
    _generate(make_spec, job)
    _generate(make_spec, job, language="nl")

    assert len(renders) == 3


def test_a_file_missing_from_disk_is_made_again(job, make_spec, renders):
    first = _generate(make_spec, job)
    storage.delete(first["pdf"].path)

    again = _generate(make_spec, job)

    assert len(renders) == 2
    assert storage.absolute(again["pdf"].path).exists()
    assert service.read_file(again["pdf"]).startswith(b"%PDF")
