"""A single field withheld (Art. 15(4)): every file the subject receives says
so in their language, never the value, and the rest of the record stays."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest

from dsar.exports import service
from dsar.exports.columns import Column, format_value
from dsar.exports.withheld import WithheldValue, notice
from dsar.models import SourceRecord, WithheldField
from tests.support.export_factories import make_job

pytestmark = pytest.mark.django_db


def _withhold(job, entity: str, column: str) -> SourceRecord:
    record = SourceRecord.objects.filter(run__job=job, entity=entity).order_by("seq").first()
    WithheldField.objects.create(record=record, column=column, note="Names a colleague")
    return record


def test_the_json_carries_the_notice_in_the_subjects_language_in_place_of_the_value(job, make_spec):
    _withhold(job, "customers", "phone")

    (export,) = service.generate(make_spec(job, language="fr"), ["json"])

    text = service.read_file(export).decode()
    assert "+32 470 12 34 56" not in text
    document = json.loads(text)
    customer = next(r for s in document["sources"] for r in s["records"] if "phone" in r["data"])
    assert customer["data"]["phone"] == "Retenu pour protéger une autre personne"
    assert customer["data"]["name"] == "Lotte Peeters"


def test_the_portability_csv_carries_the_notice_too(make_spec):
    job = make_job(crm_records=[("customers", "contact", {"name": "Lotte Peeters", "referrer": "Jan Janssens"})])
    _withhold(job, "customers", "referrer")

    (export,) = service.generate(make_spec(job, language="de", kind="portability"), ["csv"])

    archive = zipfile.ZipFile(io.BytesIO(service.read_file(export)))
    (name,) = [n for n in archive.namelist() if "customers" in n]
    with archive.open(name) as member:
        rows = list(csv.reader(io.TextIOWrapper(member, encoding="utf-8-sig", newline="")))
    assert "Jan Janssens" not in json.dumps(rows)
    assert "Zurückgehalten, um eine andere Person zu schützen" in rows[1]


def test_a_withheld_yes_no_or_date_reads_as_the_notice_not_as_no():
    withheld = notice("nl")

    assert isinstance(withheld, WithheldValue)
    assert format_value(withheld, Column("paid", {"format": "boolean"}), "nl") == (
        "Achtergehouden om een andere persoon te beschermen"
    )
    assert format_value(withheld, Column("due", {"format": "date"}), "nl") == str(withheld)


def test_forgetting_the_gathered_data_deletes_the_withheld_fields_and_their_notes(job):
    from dsar.retention import forget_gathered

    _withhold(job, "customers", "phone")
    _withhold(job, "notes", "text")
    held = SourceRecord.objects.filter(run__job=job).count()

    forgotten = forget_gathered(job.external_ref)

    assert forgotten["records"] == held  # the records, not the fields withheld in them
    assert not WithheldField.objects.exists()
