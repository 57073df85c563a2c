"""The JSON document: valid against the published schema, complete, streamed."""

from __future__ import annotations

import io
import json

import jsonschema
import pytest

from dsar.exports import service
from dsar.exports.json_export import load_schema, write_json
from dsar.models import DataCategory, ProcessingActivity, Recipient, SourceRecord
from tests.support.export_factories import make_job

pytestmark = pytest.mark.django_db


def _document(spec) -> dict:
    out = io.StringIO()
    write_json(spec, out)
    return json.loads(out.getvalue())


def test_it_writes_a_document_valid_against_the_published_schema(job, make_spec):
    document = _document(make_spec(job, language="nl"))

    jsonschema.Draft202012Validator(load_schema(), format_checker=jsonschema.FormatChecker()).validate(document)
    assert document["reference"] == "DSAR-2026-00042"
    assert document["summary"]["total_records"] == 8


def test_it_holds_every_record_grouped_by_source(job, make_spec):
    document = _document(make_spec(job))

    sources = {source["code"]: source for source in document["sources"]}
    assert [r["data"]["number"] for r in sources["erp"]["records"]] == [f"F-2026-{n:04d}" for n in range(1, 6)]
    assert sources["crm"]["records"][0]["data"]["email"] == "lotte.peeters@example.be"
    assert sources["crm"]["records"][2]["data"]["text"] == "Belde over facturatie — vroeg naar korting één jaar"


def test_it_gives_every_article_15_item_in_the_subjects_language(job, make_spec):
    info = _document(make_spec(job, language="fr"))["information"]

    assert [info[key]["article"] for key in info] == [
        "15(1)(a)", "15(1)(b)", "15(1)(c)", "15(1)(d)", "15(1)(e)", "15(1)(f)", "15(1)(g)", "15(1)(h)", "15(2)",
    ]  # fmt: skip
    assert {p["purpose"] for p in info["purposes"]["items"]} >= {"Pour gérer votre contrat et le support"}
    assert {c["code"] for c in info["categories"]["items"]} == {"contact", "billing", "scoring"}
    assert {r["name"] for r in info["recipients"]["items"]} == {"Mailer Inc.", "Boekhouder BV"}
    assert "Sept ans (droit comptable)" in {r["retention"] for r in info["retention"]["items"]}
    assert all(info["rights"][right] for right in ("rectification", "erasure", "restriction", "objection"))
    assert info["complaint"]["authority"]["email"] == "contact@apd-gba.be"
    assert info["sources"]["items"][0]["source"] == "Votre employeur, lorsqu'il vous a inscrit"
    assert "score de votre comportement" in info["automated_decisions"]["items"][0]["logic"]
    # Art. 15(1)(h): not only the logic, also the significance and the envisaged consequences.
    assert (
        info["automated_decisions"]["items"][0]["significance"]
        == "Il détermine la rapidité des rappels d'une facture impayée"
    )
    assert info["automated_decisions"]["items"][0]["consequences"] == "Un score bas entraîne des rappels plus rapides"
    assert info["transfers"]["items"] == [
        {"recipient": "mailer", "name": "Mailer Inc.", "country": "US",
         "safeguards": "Clauses contractuelles types (art. 46, paragraphe 2, c))"}
    ]  # fmt: skip


def test_it_leaves_out_the_records_the_dpo_excluded_and_says_how_many(job, make_spec):
    SourceRecord.objects.filter(run__job=job, entity="notes").update(excluded=True, exclusion_note="about Émile")

    document = _document(make_spec(job))

    crm = next(s for s in document["sources"] if s["code"] == "crm")
    assert [r["entity"] for r in crm["records"]] == ["customers", "customers"]
    assert crm["withheld_count"] == 1
    assert "about Émile" not in json.dumps(document)
    assert document["summary"]["total_records"] == 7


def test_a_portability_export_holds_provided_or_observed_data_processed_on_consent_or_contract(job, make_spec):
    document = _document(make_spec(job, kind="portability"))

    # The derived score is not portable; the invoices are processed under a legal obligation only (Art. 20(1)(a)).
    categories = {r["category"] for s in document["sources"] for r in s["records"]}
    assert categories == {"contact"}
    assert document["summary"]["total_records"] == 2
    assert {s["code"]: s["record_count"] for s in document["sources"]} == {"crm": 2, "erp": 0}
    jsonschema.validate(document, load_schema())


def test_a_portability_export_says_which_rule_applied_to_each_category(job, make_spec):
    document = _document(make_spec(job, kind="portability", language="fr"))

    scope = document["scope"]
    assert scope["article"] == "20(1)" and scope["rule"] == "provided_or_observed_and_consent_or_contract"
    assert scope["legal_bases"] == ["consent", "contract"]
    assert scope["included"] == [
        {
            "category": "contact",
            "name": "Coordonnées",
            "count": 2,
            "reason": "consent_or_contract",
            "explanation": scope["included"][0]["explanation"],
            "activities": [
                {
                    "activity": "customer-relations",
                    "name": "Relations clients",
                    "legal_basis": "contract",
                    "legal_basis_label": "Contrat (art. 6, paragraphe 1, b))",
                }
            ],
        }
    ]
    assert {(e["category"], e["count"], e["reason"]) for e in scope["left_out"]} == {
        ("billing", 5, "legal_basis"),
        ("scoring", 1, "not_provided"),
    }
    assert "obligation légale" in next(e for e in scope["left_out"] if e["category"] == "billing")["explanation"]
    jsonschema.Draft202012Validator(load_schema(), format_checker=jsonschema.FormatChecker()).validate(document)


def test_a_category_a_contract_also_processes_is_portable_beside_a_legal_obligation(job, make_spec):
    ProcessingActivity.objects.get(code="customer-relations").categories.add(DataCategory.objects.get(code="billing"))

    document = _document(make_spec(job, kind="portability"))

    categories = {r["category"] for s in document["sources"] for r in s["records"]}
    assert categories == {"contact", "billing"}
    billing = next(e for e in document["scope"]["included"] if e["category"] == "billing")
    assert [a["activity"] for a in billing["activities"]] == ["customer-relations"]


def test_only_an_active_activity_on_consent_or_contract_brings_a_category_in(job, make_spec):
    billing = DataCategory.objects.get(code="billing")
    consent = ProcessingActivity.objects.create(code="offers", names={"en": "Offers"}, legal_basis="consent")
    consent.categories.add(billing)
    interests = ProcessingActivity.objects.create(
        code="fraud", names={"en": "Fraud"}, legal_basis="legitimate_interests", legitimate_interests={"en": "x"}
    )
    interests.categories.add(billing)
    ProcessingActivity.objects.filter(code="offers").update(active=False)

    document = _document(make_spec(job, kind="portability"))

    assert "billing" not in {r["category"] for s in document["sources"] for r in s["records"]}
    ProcessingActivity.objects.filter(code="offers").update(active=True)
    document = _document(make_spec(job, kind="portability"))
    assert "billing" in {r["category"] for s in document["sources"] for r in s["records"]}
    billing_scope = next(e for e in document["scope"]["included"] if e["category"] == "billing")
    assert [a["legal_basis"] for a in billing_scope["activities"]] == ["consent"]


def test_records_without_a_known_category_stay_out_of_a_portability_copy_and_are_named(db, make_spec):
    job = make_job(erp_records=[("invoices", "", {"number": "F-1"}), ("ledger", "mystery", {"n": 1})])

    scope = _document(make_spec(job, kind="portability"))["scope"]

    assert {(e["category"], e["name"], e["reason"]) for e in scope["left_out"]} >= {
        ("", "Uncategorised", "not_in_register"),
        ("mystery", "mystery", "not_in_register"),
    }


def test_an_access_copy_has_no_portability_scope_and_the_schema_requires_it_for_portability(job, make_spec):
    access = _document(make_spec(job))
    portability = _document(make_spec(job, kind="portability"))

    assert "scope" not in access
    validator = jsonschema.Draft202012Validator(load_schema())
    del portability["scope"]
    assert not validator.is_valid(portability)
    assert not validator.is_valid({**access, "scope": _document(make_spec(job, kind="portability"))["scope"]})


def test_each_recipient_lists_the_categories_it_receives(job, make_spec):
    Recipient.objects.get(code="mailer").categories.set([DataCategory.objects.get(code="contact")])

    recipients = {r["code"]: r for r in _document(make_spec(job, language="nl"))["information"]["recipients"]["items"]}

    # Its own list in the register (the customer score goes to nobody)...
    assert recipients["mailer"]["categories"] == ["contact"]
    assert recipients["mailer"]["category_names"] == ["Contactgegevens"]
    # ...else every category of its activities.
    assert recipients["accountant"]["categories"] == ["billing"]


def test_it_masks_a_national_number_in_the_metadata(db, make_spec):
    job = make_job(identity={"full_name": "Lotte Peeters", "national_number": "85073003328"})

    document = _document(make_spec(job))

    # The same mask as on the request page: only the check digits.
    assert document["subject"]["national_number"] == "**.**.**-***.28"
    assert "85073003328" not in json.dumps(document["subject"])


def test_a_failed_source_is_marked_incomplete(job, make_spec):
    run = job.runs.get(connector__code="erp")
    run.status = "failed"
    run.error = "The ERP did not answer within 60 seconds."
    run.save()

    document = _document(make_spec(job))

    erp = next(s for s in document["sources"] if s["code"] == "erp")
    assert erp["complete"] is False
    jsonschema.validate(document, load_schema())


def test_the_stored_file_is_encrypted_and_reads_back_identical(job, make_spec, settings):
    (export,) = service.generate(make_spec(job), ["json"])

    raw = (settings.MEDIA_ROOT / export.path).read_bytes()
    plain = service.read_file(export)
    assert b"lotte.peeters" not in raw
    assert json.loads(plain)["reference"] == "DSAR-2026-00042"
    assert export.size == len(plain)
    import hashlib

    assert export.sha256 == hashlib.sha256(plain).hexdigest()


def test_it_confirms_whether_we_process_data_about_the_subject(job, make_spec):
    from dsar.models import SourceRun

    assert _document(make_spec(job))["confirmation"]["processes_personal_data"] is True

    empty = make_job("DSAR-2026-00043", crm_records=[], erp_records=[])
    document = _document(make_spec(empty, language="nl"))
    jsonschema.Draft202012Validator(load_schema()).validate(document)
    assert document["confirmation"]["processes_personal_data"] is False

    # Everything withheld (Art. 15(4)) is still data we process.
    SourceRecord.objects.filter(run__job=job).update(excluded=True)
    assert _document(make_spec(job))["confirmation"]["processes_personal_data"] is True

    # A source not searched completely leaves the answer open.
    SourceRun.objects.filter(job=empty).update(status=SourceRun.Status.FAILED, error="Connection refused")
    assert _document(make_spec(empty))["confirmation"]["processes_personal_data"] is None


def test_a_dutch_copy_labels_technical_keys_in_dutch_and_gives_times_their_zone(db, make_spec):
    job = make_job(
        crm_records=[
            (
                "contacts",
                "contact",
                {"id": 7, "customer_id": 42, "contacted_at": "2026-03-02T10:14:00", "sent_at": "2026-03-02T09:00:00Z"},
            )
        ],
        erp_records=[],
    )

    document = _document(make_spec(job, language="nl"))

    crm = next(source for source in document["sources"] if source["code"] == "crm")
    labels = {column["name"]: column["label"] for table in crm["tables"] for column in table["columns"]}
    assert labels["id"] == "Intern nummer (technisch)"
    assert labels["customer_id"] == "Intern nummer van een gekoppeld record (technisch)"
    data = crm["records"][0]["data"]
    # Stored without a zone: the desk's (Europe/Brussels, winter time); with one: as it was.
    assert data["contacted_at"] == "2026-03-02T10:14:00+01:00"
    assert data["sent_at"] == "2026-03-02T09:00:00Z"


def test_a_time_spelled_with_json_escapes_gets_its_zone_too(db, make_spec):
    # The copy looks for a time in the stored text before checking each value:
    # the same time with its digits and separators escaped must not slip past.
    job = make_job(crm_records=[], erp_records=[])
    crm = job.runs.get(connector__code="crm")
    escaped = r'{"contacted_at": "\u0032026\u002d03-02\u005410\u003a14\u003a00", "note": "caf\u00e9"}'
    SourceRecord.objects.create(run=crm, seq=0, entity="contacts", category="contact", data=escaped)

    document = _document(make_spec(job))

    data = next(source for source in document["sources"] if source["code"] == "crm")["records"][0]["data"]
    assert data == {"contacted_at": "2026-03-02T10:14:00+01:00", "note": "café"}
