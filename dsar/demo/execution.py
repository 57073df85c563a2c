"""The execution's part of the demo (run by `manage.py load_demo` after the
engine's): how the demo CRM is written to. Kept in the connector's free-form
``config`` under ``execution``, as a real installation would write it in YAML
(see README.md). Idempotent."""

from __future__ import annotations

from dsar.models import Connector, Recipient

CRM_EXECUTION = {
    "tables": {
        "customers": {
            "key": "id",
            "match": {
                "email": "email",
                "phone": "phone",
                "customer_number": "customer_no",
                "national_number": "national_number",
            },
            "category": "identification",
            # Deleted, unless invoices kept by law point at it: then masked.
            "erasure": {
                "action": "delete",
                "fields": {
                    "first_name": "fixed:Erased",
                    "last_name": "fixed:Erased",
                    "customer_no": "hash",
                    "email": "hash",
                    "phone": None,
                    "gender": None,
                    "street": None,
                    "postal_code": None,
                    "city": None,
                    "profession": None,
                    "riziv_number": None,
                    "national_number": None,
                    "password_hash": None,
                },
            },
            "rectify_columns": {
                "first_name": "first_name",
                "last_name": "last_name",
                "email": "email",
                "phone": "phone",
                "street": "street",
                "postal_code": "postal_code",
                "city": "city",
                "company_name": "company_name",
                "profession": "profession",
                "iban": "iban",
                "language": "language",
            },
            # Art. 18: the CRM's own restriction flag, dated; the CRM's users leave flagged customers alone.
            "restriction_column": "processing_restricted",
            "restriction_date_column": "restricted_at",
            # Art. 19: the columns that are not identification data, so that a correction or a mask
            # notifies only the recipients of what changed.
            "column_categories": {
                "gender": "personal-characteristics",
                "language": "personal-characteristics",
                "company_name": "profession",
                "enterprise_number": "profession",
                "profession": "profession",
                "riziv_number": "riziv-ehealth",
                "iban": "financial",
                "national_number": "national-number",
                "marketing_opt_in": "marketing-preferences",
                "marketing_opt_in_at": "marketing-preferences",
                "webinar_consent": "marketing-preferences",
                "webinar_consent_at": "marketing-preferences",
            },
            "consent_columns": {"keeping-in-touch": "marketing_opt_in", "webinars": "webinar_consent"},
            "consent_date_columns": {"keeping-in-touch": "marketing_opt_in_at", "webinars": "webinar_consent_at"},
        },
        "contacts": {
            "key": "id",
            "parent": {"table": "customers", "column": "customer_id"},
            "category": "identification",
            "column_categories": {"ip_address": "location"},
        },
        "trainings": {"key": "id", "parent": {"table": "customers", "column": "customer_id"}, "category": "education"},
        "licences": {
            "key": "id",
            "parent": {"table": "customers", "column": "customer_id"},
            "category": "licence-usage",
        },
        "usage_records": {
            "key": "id",
            "parent": {"table": "licences", "column": "licence_id"},
            "category": "licence-usage",
            "column_categories": {
                "device_name": "technical",
                "operating_system": "technical",
                "software_version": "technical",
                "dotnet_version": "technical",
                "ip_address": "location",
            },
        },
        "invoices": {
            "key": "id",
            "parent": {"table": "customers", "column": "customer_id"},
            "category": "financial",
            "legal_hold": {"activity": "billing", "date_column": "issued_on", "counted_from": "end_of_year"},
        },
        "invoice_lines": {
            "key": "id",
            "parent": {"table": "invoices", "column": "invoice_id"},
            "category": "financial",
        },
    }
}

WRITE_OPERATIONS = ["erase", "rectify", "restrict", "stop_processing"]


def load(stdout) -> None:
    crm = Connector.objects.filter(code="demo-crm").first()
    if crm is None:
        stdout.write("Demo CRM connector not found: execution settings not loaded.")
        return
    crm.config = {**crm.config, "execution": CRM_EXECUTION}
    crm.operations = sorted(set(crm.operations or []) | set(WRITE_OPERATIONS))
    crm.save(update_fields=["config", "operations"])
    # Art. 19 notices need an address: the demo register has none for its processors.
    for recipient in Recipient.objects.filter(contact_email="", notify_changes=True):
        recipient.contact_email = f"privacy+{recipient.code}@processor.example"
        recipient.save(update_fields=["contact_email"])
    stdout.write("Demo CRM: erasure, rectification, restriction and consent settings loaded.")
