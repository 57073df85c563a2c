"""Test data for exports: a small processing register, and a gathered access
job with its source runs and records, made directly with the engine's models."""

from __future__ import annotations

import json

from dsar.models import (
    Connector,
    DataCategory,
    Job,
    LegalBasis,
    ProcessingActivity,
    Recipient,
    SourceRecord,
    SourceRun,
)
from requests_app.management.commands.load_demo import DEMO_CONTROLLER

# The demo controller, as `load_demo` creates it.
CONTROLLER = dict(DEMO_CONTROLLER)


def t(en: str, nl: str = "", fr: str = "", de: str = "") -> dict:
    return {k: v for k, v in {"en": en, "nl": nl, "fr": fr, "de": de}.items() if v}


def make_register() -> dict:
    """Categories, recipients, activities and two connectors; returns them by code."""
    contact, _ = DataCategory.objects.update_or_create(
        code="contact",
        defaults={
            "names": t("Contact details", "Contactgegevens", "Coordonnées", "Kontaktdaten"),
            "descriptions": t("Name, e-mail, phone", "Naam, e-mail, telefoon", "Nom, e-mail, téléphone"),
            "portable": True,
        },
    )
    billing, _ = DataCategory.objects.update_or_create(
        code="billing",
        defaults={
            "names": t("Invoices and payments", "Facturen en betalingen", "Factures et paiements"),
            "descriptions": t("Invoices, amounts", "Facturen, bedragen", "Factures, montants"),
            "portable": True,
        },
    )
    scoring, _ = DataCategory.objects.update_or_create(
        code="scoring",
        defaults={
            "names": t("Customer score", "Klantenscore", "Score client"),
            "descriptions": t("A score we derive", "Een score die wij afleiden", "Un score que nous calculons"),
            "portable": False,
        },
    )
    mailer, _ = Recipient.objects.update_or_create(
        code="mailer",
        defaults={
            "name": "Mailer Inc.",
            "kind": Recipient.Kind.PROCESSOR,
            "descriptions": t(
                "Sends our newsletter", "Verstuurt onze nieuwsbrief", "Envoie notre lettre d'information"
            ),
            "country": "US",
            "outside_eea": True,
            "transfer_safeguards": t(
                "Standard contractual clauses (Art. 46(2)(c))",
                "Modelcontractbepalingen (art. 46, lid 2, c))",
                "Clauses contractuelles types (art. 46, paragraphe 2, c))",
            ),
        },
    )
    accountant, _ = Recipient.objects.update_or_create(
        code="accountant",
        defaults={"name": "Boekhouder BV", "country": "BE", "descriptions": t("Keeps our accounts", "Boekhouding")},
    )
    crm_activity, _ = ProcessingActivity.objects.update_or_create(
        code="customer-relations",
        defaults={
            "names": t("Customer relations", "Klantenrelaties", "Relations clients"),
            "purposes": t(
                "To manage your contract and support",
                "Om uw contract en ondersteuning te beheren",
                "Pour gérer votre contrat et le support",
            ),
            "legal_basis": LegalBasis.CONTRACT,
            "retention": t(
                "Two years after the end of the contract",
                "Twee jaar na het einde van het contract",
                "Deux ans après la fin du contrat",
            ),
            "sources": t(
                "Your employer, when it registered you",
                "Uw werkgever, toen die u registreerde",
                "Votre employeur, lorsqu'il vous a inscrit",
            ),
            "automated_decisions": t(
                "A score of your payment behaviour decides the reminder schedule",
                "Een score van uw betaalgedrag bepaalt het herinneringsschema",
                "Un score de votre comportement de paiement détermine le calendrier des rappels",
            ),
            "automated_significance": t(
                "It decides how soon you are reminded of an unpaid invoice",
                "Ze bepaalt hoe snel u aan een onbetaalde factuur wordt herinnerd",
                "Il détermine la rapidité des rappels d'une facture impayée",
            ),
            "automated_consequences": t(
                "A low score means earlier reminders",
                "Een lage score betekent vroegere herinneringen",
                "Un score bas entraîne des rappels plus rapides",
            ),
        },
    )
    crm_activity.categories.set([contact, scoring])
    crm_activity.recipients.set([mailer])
    billing_activity, _ = ProcessingActivity.objects.update_or_create(
        code="billing",
        defaults={
            "names": t("Billing", "Facturatie", "Facturation"),
            "purposes": t("To invoice you", "Om u te factureren", "Pour vous facturer"),
            "legal_basis": LegalBasis.LEGAL_OBLIGATION,
            "retention": t("Seven years (accounting law)", "Zeven jaar (boekhoudwet)", "Sept ans (droit comptable)"),
            "legal_hold_years": 7,
        },
    )
    billing_activity.categories.set([billing])
    billing_activity.recipients.set([accountant])
    marketing, _ = ProcessingActivity.objects.update_or_create(
        code="newsletter",
        defaults={
            "names": t("Newsletter", "Nieuwsbrief", "Lettre d'information"),
            "purposes": t("To send you news", "Om u nieuws te sturen", "Pour vous envoyer des nouvelles"),
            "legal_basis": LegalBasis.LEGITIMATE_INTERESTS,
            "legitimate_interests": t("Keeping customers informed", "Klanten informeren", "Informer les clients"),
            "direct_marketing": True,
        },
    )
    marketing.categories.set([contact])
    marketing.recipients.set([mailer])
    crm, _ = Connector.objects.update_or_create(code="crm", defaults={"name": "CRM", "kind": Connector.Kind.SQL})
    crm.activities.set([crm_activity, marketing])
    crm.categories.set([contact, scoring])
    erp, _ = Connector.objects.update_or_create(
        code="erp", defaults={"name": "Boekhouding (ERP)", "kind": Connector.Kind.SQL}
    )
    erp.activities.set([billing_activity])
    erp.categories.set([billing])
    return {"crm": crm, "erp": erp}


def make_job(
    reference: str = "DSAR-2026-00042",
    *,
    crm_records: list[tuple[str, str, dict]] | None = None,
    erp_records: list[tuple[str, str, dict]] | None = None,
    identity: dict | None = None,
) -> Job:
    """A finished access job: CRM and ERP runs with the given (entity, category, data) records."""
    connectors = make_register()
    job = Job.objects.create(
        external_ref=reference,
        operation="access",
        identity=json.dumps(
            identity
            or {"full_name": "Lotte Peeters", "email": "lotte.peeters@example.be", "customer_number": "C-100042"}
        ),
        status=Job.Status.DONE,
    )
    if crm_records is None:
        crm_records = [
            (
                "customers",
                "contact",
                {
                    "name": "Lotte Peeters",
                    "email": "lotte.peeters@example.be",
                    "city": "Sint-Niklaas",
                    "phone": "+32 470 12 34 56",
                },
            ),
            ("customers", "scoring", {"score": 87, "segment": "goud"}),
            ("notes", "contact", {"text": "Belde over facturatie — vroeg naar korting één jaar", "by": "Émile"}),
        ]
    if erp_records is None:
        erp_records = [
            ("invoices", "billing", {"number": f"F-2026-{n:04d}", "amount": 120.5 + n, "paid": n % 2 == 0})
            for n in range(1, 6)
        ]
    for connector, rows in ((connectors["crm"], crm_records), (connectors["erp"], erp_records)):
        run = SourceRun.objects.create(
            job=job, connector=connector, status=SourceRun.Status.DONE, record_count=len(rows)
        )
        add_records(run, rows)
    return job


def add_records(run: SourceRun, rows, start: int = 0) -> None:
    SourceRecord.objects.bulk_create(
        [
            SourceRecord(run=run, seq=start + i, entity=entity, category=category, data=json.dumps(data))
            for i, (entity, category, data) in enumerate(rows)
        ],
        batch_size=2000,
    )


SUBJECT_EMAIL = "lotte.peeters@example.be"
ORGANISATION = "Acme Energie NV"
ORGANISATION_EMAIL = "privacy@acme.example"


def make_portability_in_review(
    dpo, capture_on_commit, *, language="en", target=ORGANISATION, target_email=ORGANISATION_EMAIL
):
    """A portability request naming another organisation (Art. 20(2)), in review
    with its files, made through the workflow (``capture_on_commit`` is pytest-django's
    ``django_capture_on_commit_callbacks``, so that the files are generated)."""
    from requests_app import workflow
    from requests_app.models import RequestType, Status
    from tests.factories import make_request

    details = {"format": "json", "target_controller": target}
    if target_email:
        details["target_controller_email"] = target_email
    request = make_request(
        request_type=RequestType.PORTABILITY,
        full_name="Lotte Peeters",
        email=SUBJECT_EMAIL,
        language=language,
        type_details=details,
    )
    with capture_on_commit(execute=True):
        workflow.approve(request, actor=dpo)
        workflow.start_processing(request)
        make_job(request.reference)
        workflow.processing_done(request)
    request.refresh_from_db()
    assert request.status == Status.IN_REVIEW
    return request
