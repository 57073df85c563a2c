"""A small demo-like CRM source (SQLite file, or a PostgreSQL schema) and its register."""

from __future__ import annotations

import datetime as dt
import uuid

import sqlalchemy as sa
from django.utils import timezone

from dsar.models import Connector, DataCategory, ProcessingActivity, Recipient

LOTTE = {
    "full_name": "Lotte Peeters",
    "email": "lotte.peeters@example.be",
    "phone": "+32 470 12 34 56",
    "customer_number": "C-100042",
}

metadata = sa.MetaData()
customers = sa.Table(
    "customers",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("customer_number", sa.String(20)),
    sa.Column("name", sa.String(100)),
    sa.Column("email", sa.String(200)),
    sa.Column("phone", sa.String(40)),
    sa.Column("city", sa.String(100)),
    sa.Column("marketing_opt_in", sa.Boolean),
    sa.Column("webinar_consent", sa.Boolean),
    sa.Column("consent_changed_at", sa.DateTime),
    sa.Column("processing_restricted", sa.Boolean, default=False),
)
usage = sa.Table(
    "usage",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("customer_id", sa.ForeignKey("customers.id")),
    sa.Column("feature", sa.String(50)),
)
invoices = sa.Table(
    "invoices",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("customer_id", sa.ForeignKey("customers.id")),
    sa.Column("issued_on", sa.Date),
    sa.Column("total", sa.Numeric(10, 2)),
)
invoice_lines = sa.Table(
    "invoice_lines",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("invoice_id", sa.ForeignKey("invoices.id")),
    sa.Column("description", sa.String(200)),
)


def build_crm(url: str, schema: str | None = None) -> sa.Engine:
    engine = sa.create_engine(url)
    meta = metadata
    if schema:
        meta = sa.MetaData(schema=schema)
        for table in metadata.sorted_tables:
            table.to_metadata(meta, schema=schema)
        with engine.begin() as c:
            c.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            c.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    meta.create_all(engine)
    t = {name.split(".")[-1]: table for name, table in meta.tables.items()}
    today = timezone.localdate()
    with engine.begin() as c:
        c.execute(
            t["customers"].insert(),
            [
                {
                    "id": 1,
                    "customer_number": "C-100042",
                    "name": "Lotte Peeters",
                    "email": "Lotte.Peeters@example.be",
                    "phone": "+32 470 12 34 56",
                    "city": "Gent",
                    "marketing_opt_in": True,
                    "webinar_consent": True,
                    "processing_restricted": False,
                },
                {
                    "id": 2,
                    "customer_number": "C-100043",
                    "name": "Jan Janssens",
                    "email": "jan@example.be",
                    "phone": "+32 470 00 00 00",
                    "city": "Leuven",
                    "marketing_opt_in": True,
                    "webinar_consent": True,
                    "processing_restricted": False,
                },
            ],
        )
        c.execute(
            t["usage"].insert(),
            [
                {"id": 1, "customer_id": 1, "feature": "export"},
                {"id": 2, "customer_id": 1, "feature": "api"},
                {"id": 3, "customer_id": 2, "feature": "api"},
            ],
        )
        c.execute(
            t["invoices"].insert(),
            [
                # Recent: kept 7 years by law. Old (8 years): may go.
                {"id": 10, "customer_id": 1, "issued_on": today - dt.timedelta(days=400), "total": 120},
                {"id": 11, "customer_id": 1, "issued_on": today.replace(year=today.year - 8), "total": 80},
                {"id": 12, "customer_id": 2, "issued_on": today, "total": 50},
            ],
        )
        c.execute(
            t["invoice_lines"].insert(),
            [
                {"id": 100, "invoice_id": 10, "description": "Licence"},
                {"id": 101, "invoice_id": 11, "description": "Licence"},
                {"id": 102, "invoice_id": 12, "description": "Licence"},
            ],
        )
    return engine


CRM_EXECUTION = {
    "tables": {
        "customers": {
            "key": "id",
            "match": {"email": "email", "customer_number": "customer_number"},
            "category": "identity",
            "erasure": {
                "action": "delete",
                "fields": {"name": "fixed:Erased customer", "email": "hash", "phone": None, "city": None},
            },
            "restriction_column": "processing_restricted",
            "rectify_columns": {"full_name": "name", "phone": "phone", "postal_address": "city"},
            "consent_columns": {"newsletter": "marketing_opt_in", "webinars": "webinar_consent"},
            "consent_date_column": "consent_changed_at",
        },
        "usage": {"key": "id", "parent": {"table": "customers", "column": "customer_id"}, "category": "usage"},
        "invoices": {
            "key": "id",
            "parent": {"table": "customers", "column": "customer_id"},
            "category": "billing",
            "legal_hold": {"activity": "billing", "date_column": "issued_on"},
        },
        "invoice_lines": {"key": "id", "parent": {"table": "invoices", "column": "invoice_id"}, "category": "billing"},
    }
}


def make_register(url: str, *, schema: str | None = None) -> Connector:
    for code in ("identity", "usage", "billing"):
        DataCategory.objects.get_or_create(code=code, defaults={"names": {"en": code}})
    mailer = Recipient.objects.create(
        code="mailer", name="Mailer BV", contact_email="privacy@mailer.example", notify_changes=True
    )
    Recipient.objects.create(code="silent", name="Silent Ltd", contact_email="x@silent.example", notify_changes=False)
    accountant = Recipient.objects.create(code="accountant", name="Accountant", contact_email="dpo@acc.example")
    billing = ProcessingActivity.objects.create(
        code="billing",
        names={"en": "Billing"},
        legal_basis="legal_obligation",
        legal_hold_years=7,
        legal_hold_reason={"en": "Accounting law: invoices are kept 7 years", "nl": "Boekhoudwet: 7 jaar"},
    )
    billing.recipients.add(accountant)
    newsletter = ProcessingActivity.objects.create(
        code="newsletter", names={"en": "Newsletter"}, legal_basis="consent", direct_marketing=True
    )
    newsletter.recipients.add(mailer, Recipient.objects.get(code="silent"))
    webinars = ProcessingActivity.objects.create(code="webinars", names={"en": "Webinars"}, legal_basis="consent")
    crm = ProcessingActivity.objects.create(
        code="crm", names={"en": "Customer management"}, legal_basis="legitimate_interests"
    )
    config = {"url": url, "execution": CRM_EXECUTION}
    if schema:
        config["schema"] = schema
    connector = Connector.objects.create(
        code="crm",
        name="Demo CRM",
        kind="sql",
        config=config,
        identity_fields=["email", "customer_number"],
        operations=["access", "erase", "rectify", "restrict", "stop_processing"],
    )
    connector.activities.add(billing, newsletter, webinars, crm)
    return connector


def make_manual(activities=()) -> Connector:
    connector = Connector.objects.create(
        code=f"cameras-{uuid.uuid4().hex[:6]}", name="Camera footage", kind="manual", operations=["access"]
    )
    for code in activities:
        connector.activities.add(ProcessingActivity.objects.get(code=code))
    return connector
