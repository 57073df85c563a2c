"""The JSON copy written from the stored text of each record (issue 17) says
exactly what the writer that rebuilt every record said: same records, same
order, same withheld notices, same left-out records, same labels."""

from __future__ import annotations

import io
import json

import pytest
from django.db import connection

from dsar.exports import content, json_export
from dsar.exports.json_export import table_labels, write_json
from dsar.models import SourceRecord, WithheldField
from tests.support.export_factories import make_job

pytestmark = pytest.mark.django_db


def _reference_json(spec: content.ExportSpec, out) -> int:
    """The writer as it was before issue 17: a model instance, json.loads and
    json.dumps per record. Kept here as the reference the new one must match."""
    document = {"$schema": content.SCHEMA_ID, **content.header(spec)}
    head = json_export._dump(document)
    out.write(head[:-1] + ',"sources":[\n')
    total = 0
    for index, source in enumerate(content.sources(spec)):
        if index:
            out.write(",\n")
        source_head = json_export._dump(source.as_dict(spec.language))
        out.write(source_head[:-1] + ',"records":[\n')
        seen: dict[str, dict[str, None]] = {}
        for position, record in enumerate(content.records(spec, source.run)):
            if position:
                out.write(",\n")
            data = content.shown_data(spec, record)
            seen.setdefault(record.entity, {}).update(dict.fromkeys(data))
            out.write(
                json_export._dump(
                    {"seq": record.seq, "entity": record.entity, "category": record.category, "data": data}
                )
            )
            total += 1
        tables = [table_labels(spec, source.run.pk, entity, list(columns)) for entity, columns in seen.items()]
        out.write('\n],"tables":' + json_export._dump(tables) + "}")
    out.write("\n]}\n")
    return total


@pytest.fixture
def sample_job():
    """Records of every kind the writer treats apart: plain ones, one with a
    field withheld, one left out, a score outside portability, a stored value
    that is not an object, one that is not JSON, one empty, non-ASCII text."""
    job = make_job(
        crm_records=[
            ("customers", "contact", {"name": "Lotte Peeters", "phone": "+32 470 12 34 56", "city": "Sint-Niklaas"}),
            ("customers", "contact", {"name": "Jan Janssens", "note": "Noemt een collega — één keer"}),
            ("customers", "scoring", {"score": 87, "segment": "goud"}),
            ("notes", "contact", {"text": "Vroeg naar korting", "nested": {"a": [1, 2.5, None, True]}}),
        ],
        erp_records=[("invoices", "billing", {"number": f"F-2026-{n:04d}", "amount": 10.5 * n}) for n in range(1, 6)],
    )
    records = SourceRecord.objects.filter(run__job=job)
    first = records.filter(entity="customers").order_by("seq").first()
    WithheldField.objects.create(record=first, column="phone", note="Names a colleague")
    left_out = records.filter(entity="customers").order_by("seq")[1]
    SourceRecord.objects.filter(pk=left_out.pk).update(excluded=True, exclusion_note="Concerns another person")
    run = records.get(entity="notes").run
    # Stored text the old writer read as {"value": ...}: a list, a number, not JSON, nothing.
    for seq, stored in enumerate(['["a", "b"]', "42", "not json {", "", '{"a": 1} trailing'], start=100):
        SourceRecord.objects.create(run=run, seq=seq, entity="notes", category="contact", data=stored)
    return job


def _both(spec) -> tuple[str, str]:
    new, old = io.StringIO(), io.StringIO()
    assert write_json(spec, new) == _reference_json(spec, old)
    return new.getvalue(), old.getvalue()


@pytest.mark.parametrize("kind", ["access", "portability"])
@pytest.mark.parametrize("language", ["nl", "fr"])
def test_it_writes_the_same_document_as_the_writer_it_replaces(sample_job, make_spec, kind, language):
    new, old = _both(make_spec(sample_job, language=language, kind=kind))

    assert json.loads(new) == json.loads(old)
    # Same records in the same order, line for line.
    assert new.count("\n") == old.count("\n")


def test_the_withheld_value_and_the_left_out_record_stay_out(sample_job, make_spec):
    new, _old = _both(make_spec(sample_job, language="nl"))

    assert "+32 470 12 34 56" not in new
    assert "Jan Janssens" not in new
    document = json.loads(new)
    crm = next(s for s in document["sources"] if s["code"] == "crm")
    lotte = next(r for r in crm["records"] if r["data"].get("name") == "Lotte Peeters")
    assert lotte["data"]["phone"] == "Achtergehouden om een andere persoon te beschermen"
    assert {"value": ["a", "b"]} in [r["data"] for r in crm["records"]]
    assert {"value": "not json {"} in [r["data"] for r in crm["records"]]


def test_a_portability_copy_leaves_out_the_score(sample_job, make_spec):
    new, _old = _both(make_spec(sample_job, kind="portability"))

    assert '"score"' not in new
    assert "Sint-Niklaas" in new


def test_a_staff_preview_masks_as_before(sample_job, make_spec):
    spec = make_spec(sample_job)
    spec.mask_national_numbers = True
    SourceRecord.objects.create(
        run=SourceRecord.objects.filter(run__job=sample_job).first().run,
        seq=200,
        entity="customers",
        category="contact",
        data=json.dumps({"name": "Lotte Peeters", "nn": "85.07.30-033.28"}),
    )

    new, old = _both(spec)

    assert json.loads(new) == json.loads(old)
    assert "85.07.30-033.28" not in new


def test_a_record_that_does_not_decrypt_stops_the_export(sample_job, make_spec):
    record = SourceRecord.objects.filter(run__job=sample_job).first()
    with connection.cursor() as cursor:  # past the field, which would encrypt the value
        cursor.execute("UPDATE dsar_sourcerecord SET data = %s WHERE id = %s", ["gAAAAAnot", record.pk])

    with pytest.raises(ValueError, match="could not be decrypted"):
        write_json(make_spec(sample_job), io.StringIO())
