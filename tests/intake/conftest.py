"""Fixtures of the subject side: a small processing register and form data."""

from __future__ import annotations

import re

import pytest

from dsar.models import LegalBasis, ProcessingActivity


@pytest.fixture
def activities(db):
    """Direct marketing (legitimate interests), webinars and newsletter (consent), billing (contract)."""
    rows = [
        (
            "direct-marketing",
            LegalBasis.LEGITIMATE_INTERESTS,
            True,
            {"en": "Direct marketing", "nl": "Direct marketing"},
        ),
        ("webinars", LegalBasis.CONSENT, False, {"en": "Webinar invitations", "nl": "Uitnodigingen voor webinars"}),
        ("newsletter", LegalBasis.CONSENT, False, {"en": "Newsletter", "nl": "Nieuwsbrief"}),
        ("billing", LegalBasis.CONTRACT, False, {"en": "Billing", "nl": "Facturatie"}),
    ]
    return {
        code: ProcessingActivity.objects.create(code=code, legal_basis=basis, direct_marketing=dm, names=names)
        for code, basis, dm, names in rows
    }


def form_data(**overrides) -> dict:
    data = {
        "request_type": "access",
        "full_name": "Lotte Peeters",
        "email": "lotte.peeters@example.be",
        "language": "nl",
        "phone": "",
        "postal_address": "",
        "customer_number": "",
        "details": "",
        "website": "",
    }
    data.update(overrides)
    return data


def link_in(text: str, name: str) -> str:
    """The path of the first link of that kind (verify/status) in an e-mail body."""
    match = re.search(rf"https?://[^/\s]+(/{name}/[^\s\"<]+/)", text)
    assert match, f"no {name} link in the e-mail"
    return match.group(1)
