"""Finding 17: one date format in the workspace, the DPO's language's own
(Django's localised DATE_FORMAT and DATETIME_FORMAT, with the month in words:
"7. Dezember 2026"), not "06/12/2026" beside "6 Dec 2026"."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from tests.factories import make_request

pytestmark = pytest.mark.django_db


def test_the_request_page_writes_every_date_the_same_way_in_the_dpo_s_language(dpo_client):
    with time_machine.travel(dt.datetime(2026, 12, 7, 17, 33, tzinfo=dt.timezone(dt.timedelta(hours=1))), tick=False):
        request = make_request()
    page = dpo_client.get(
        reverse("workspace:request", args=[request.reference]), HTTP_ACCEPT_LANGUAGE="de"
    ).content.decode()

    assert "7. Dezember 2026 17:33" in page  # the timeline, in German
    assert "eingegangen 7. Dezember 2026" in page
    # No English month abbreviations or ISO dates left beside them.
    assert not re.search(r"\b\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|Dez) \d{4}", page)
    assert not re.search(r">\d{4}-\d{2}-\d{2}", page)
