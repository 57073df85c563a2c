"""The tools around the queue's list: columns sorted from the URL, the CSV of
exactly the filtered queue, saved views per person, the counts of the privacy
mailbox and of the channels."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from requests_app import workflow
from requests_app.inbox import services as inbox_services
from requests_app.inbox.models import InboxSource
from requests_app.models import Channel, RequestType
from requests_app.workspace.models import SavedQueueFilter
from tests.fixtures.workspace import logged_request
from tests.requests_app.inbox.messages import build

pytestmark = pytest.mark.django_db
QUEUE = reverse("workspace:queue")
CSV = reverse("workspace:queue_csv")


def references(response) -> list[str]:
    return [row["request"].reference for row in response.context["rows"]]


@pytest.fixture
def three(dpo, agent):
    """Received 30, 10 and 0 days ago: due in about 0, 20 and 30 days."""
    old = logged_request(dpo, days_ago=30, full_name="Zoë Zegers", email="zoe@example.be", channel=Channel.LETTER)
    middle = logged_request(dpo, days_ago=10, full_name="Anna Aerts", email="anna@example.be")
    fresh = logged_request(
        dpo, days_ago=0, full_name='=HYPERLINK("http://evil")', email="m@example.be", channel=Channel.PHONE
    )
    workflow.assign(middle, actor=dpo, assignee=agent)
    return {"old": old, "middle": middle, "fresh": fresh}


def read_csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf"), "UTF-8 with a byte-order mark, for Excel"
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


# ------------------------------------------------------------------------------
# Sorting
# ------------------------------------------------------------------------------
def test_it_sorts_by_a_column_named_in_the_url_and_says_so_with_aria_sort(dpo_client, three):
    by_name = dpo_client.get(QUEUE, {"sort": "subject"})
    assert references(by_name) == [three["fresh"].reference, three["middle"].reference, three["old"].reference]
    page = by_name.content.decode()
    assert 'aria-sort="ascending"><a href="?sort=-subject">Subject' in page
    # Descending, and the other columns' links keep the filters.
    descending = dpo_client.get(QUEUE, {"sort": "-subject", "channel": "letter"})
    assert references(descending) == [three["old"].reference]
    assert 'aria-sort="descending"' in descending.content.decode()
    assert 'href="?channel=letter&amp;sort=reference"' in descending.content.decode()


def test_it_sorts_by_legal_deadline_by_default_and_ignores_an_unknown_sort(dpo_client, three):
    expected = [three["old"].reference, three["middle"].reference, three["fresh"].reference]
    assert references(dpo_client.get(QUEUE)) == expected
    assert references(dpo_client.get(QUEUE, {"sort": "pk; drop table"})) == expected
    assert references(dpo_client.get(QUEUE, {"sort": "-due"})) == expected[::-1]


def test_it_keeps_the_sort_in_the_filter_form_and_page_links(dpo_client, three):
    page = dpo_client.get(QUEUE, {"sort": "-assignee", "per_page": 25}).content.decode()
    assert '<input type="hidden" name="sort" value="-assignee">' in page
    assert f'href="{CSV}?sort=-assignee"' in page


# ------------------------------------------------------------------------------
# CSV
# ------------------------------------------------------------------------------
def test_the_csv_holds_exactly_the_filtered_queue_in_the_pages_order(dpo_client, three):
    rows = read_csv(dpo_client.get(CSV, {"sort": "-subject", "channel": "email"}))
    assert rows[0][:5] == ["Reference", "Subject", "E-mail", "Type", "Status"]
    assert [row[0] for row in rows[1:]] == [three["middle"].reference]
    assert rows[1][1:3] == ["Anna Aerts", "anna@example.be"]
    assert rows[1][10] == "agent"
    assert rows[1][11] == "E-mail"


def test_the_csv_neutralises_cells_a_spreadsheet_would_run_as_formulas(dpo_client, three):
    rows = read_csv(dpo_client.get(CSV, {"channel": "phone"}))
    assert rows[1][1] == '\'=HYPERLINK("http://evil")'
    # A whole number of days is a number, not text to neutralise.
    late = read_csv(dpo_client.get(CSV))
    assert all(not row[7].startswith("'") for row in late[1:])


def test_the_csv_reads_in_the_dpos_language_without_internal_ids(dpo_client, three):
    response = dpo_client.get(CSV, HTTP_ACCEPT_LANGUAGE="nl")
    rows = read_csv(response)
    assert rows[0][0] == "Referentie"
    assert "Brief" in {row[11] for row in rows[1:]}
    assert str(three["old"].pk) not in {cell for row in rows[1:] for cell in row[:1]}
    assert response["Content-Disposition"].startswith('attachment; filename="dsar-queue-')
    assert response["Cache-Control"] == "no-store"


def test_the_csv_is_for_the_workspace_only(client, outsider_client, auditor_client, three):
    assert client.get(CSV).status_code == 302
    assert outsider_client.get(CSV).status_code == 403
    assert auditor_client.get(CSV).status_code == 200


# ------------------------------------------------------------------------------
# Saved views
# ------------------------------------------------------------------------------
def test_a_saved_view_keeps_filters_and_order_for_its_owner_only(dpo_client, agent_client, dpo, three):
    response = dpo_client.post(
        reverse("workspace:save_view"),
        {"name": "Letters", "query": "channel=letter&sort=-subject&q=Zo%C3%AB&junk=1"},
    )
    saved = SavedQueueFilter.objects.get(user=dpo)
    # The search text (a person's name) and unknown keys are not kept.
    assert saved.query == "channel=letter&sort=-subject"
    assert response["Location"] == f"{QUEUE}?channel=letter&sort=-subject"
    page = dpo_client.get(QUEUE).content.decode()
    assert f'href="{QUEUE}?channel=letter&amp;sort=-subject">Letters</a>' in page
    assert "Letters" not in agent_client.get(QUEUE).content.decode()
    # Applying it is following its link.
    assert references(dpo_client.get(f"{QUEUE}?{saved.query}")) == [three["old"].reference]


def test_saving_under_a_taken_name_replaces_the_view_and_a_view_is_deleted_by_its_owner_only(
    dpo_client, agent_client, dpo
):
    dpo_client.post(reverse("workspace:save_view"), {"name": "Mine", "query": "channel=letter"})
    dpo_client.post(reverse("workspace:save_view"), {"name": "Mine", "query": "channel=phone"})
    saved = SavedQueueFilter.objects.get(user=dpo)
    assert saved.query == "channel=phone"
    delete = reverse("workspace:delete_view", args=[saved.pk])
    assert agent_client.post(delete).status_code == 404
    assert dpo_client.post(delete).status_code == 302
    assert not SavedQueueFilter.objects.exists()


def test_a_view_without_a_name_is_refused_with_a_message(dpo_client):
    response = dpo_client.post(reverse("workspace:save_view"), {"name": " ", "query": "channel=letter"}, follow=True)
    assert "Give the view a name of at most 80 characters." in response.content.decode()
    assert not SavedQueueFilter.objects.exists()


# ------------------------------------------------------------------------------
# Counts beside the list
# ------------------------------------------------------------------------------
def test_it_shows_the_e_mails_to_triage_and_the_requests_per_channel(dpo_client, three):
    inbox_services.receive(build(), source=InboxSource.IMAP)
    page = dpo_client.get(QUEUE, {"type": RequestType.ACCESS})
    html = page.content.decode()
    assert f'href="{reverse("inbox:list")}">1 e-mail to triage</a>' in html
    counts = {c["value"]: c["count"] for c in page.context["channel_counts"]}
    assert counts[Channel.LETTER] == 1 and counts[Channel.PHONE] == 1 and counts[Channel.EMAIL] == 1
    letter = next(c for c in page.context["channel_counts"] if c["value"] == Channel.LETTER)
    assert letter["url"] == "?type=access&channel=letter"


def test_channels_are_not_counted_on_the_closed_tabs(dpo_client, three, dpo):
    workflow.close(three["old"], actor=dpo, reason="Withdrawn by phone.")
    page = dpo_client.get(QUEUE, {"status": "closed"})
    assert references(page) == [three["old"].reference]
    assert {c["count"] for c in page.context["channel_counts"]} == {None}
    assert '<a href="?status=closed&amp;channel=letter" >Letter</a>' in page.content.decode()
