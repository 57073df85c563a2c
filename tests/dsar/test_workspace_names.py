"""What the workspace calls a source or a recipient: its own name in the desk's
language, its name in the reader's language where the register gives one."""

from __future__ import annotations

import pytest
from django.utils.translation import override

from dsar.models import Connector, Recipient

pytestmark = pytest.mark.django_db


def test_a_source_is_named_in_the_dpo_s_language_where_the_register_gives_that_name():
    crm = Connector(
        code="crm", name="CRM (demo database)", kind="sql", names={"en": "Customer records", "nl": "Klantenbestand"}
    )
    hosting = Recipient(code="hosting", name="Hosting partner", names={"nl": "Hostingpartner"})

    with override("nl"):
        assert (crm.workspace_name, hosting.workspace_name) == ("Klantenbestand", "Hostingpartner")
    # The desk's own language (English here) keeps the desk's own name; no name in French: the own name.
    with override("en"):
        assert crm.workspace_name == "CRM (demo database)"
    with override("fr"):
        assert (crm.workspace_name, hosting.workspace_name) == ("CRM (demo database)", "Hosting partner")
