"""The queue's rows as the DPO reads them (written in Python by
``workspace.queue_rows``), the pages sorted by assignee (read per assignee),
and the filters applied without a second form: the same requests, the same
order and the same markup as through the template and one ORDER BY."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from requests_app import workflow
from requests_app.models import Channel, HoldReason, RequestType, SubjectRequest
from requests_app.workspace import selectors
from tests.fixtures.workspace import logged_request

pytestmark = pytest.mark.django_db
QUEUE = reverse("workspace:queue")
BRUSSELS = dt.timezone(dt.timedelta(hours=1))


def at(*args):
    return time_machine.travel(dt.datetime(*args, tzinfo=BRUSSELS), tick=False)


def row_of(page: str, reference: str) -> str:
    match = re.search(rf'<tr class="row-[a-z]+">(?:(?!</tr>).)*?{reference}(?:(?!</tr>).)*</tr>', page, re.S)
    assert match, f"no row for {reference}"
    return match.group(0)


def shown_references(page: str) -> list[str]:
    return re.findall(r'data-progress-ref="([^"]+)"', page)


def test_a_row_shows_the_request_as_the_dpo_reads_it(dpo_client, dpo, agent):
    request = logged_request(
        dpo,
        days_ago=25,
        request_type=RequestType.ERASURE,
        channel=Channel.LETTER,
        full_name="<b>Zoë</b> & Co",
        email="zoe@example.be",
        language="fr",
    )
    workflow.assign(request, actor=dpo, assignee=agent)

    row = row_of(dpo_client.get(QUEUE).content.decode(), request.reference)

    url = reverse("workspace:request", args=[request.reference])
    assert f'<td class="ref"><a href="{url}">{request.reference}</a></td>' in row
    # What the subject typed is text, never markup.
    assert "&lt;b&gt;Zoë&lt;/b&gt; &amp; Co" in row and "<b>Zoë" not in row
    assert '<div class="muted small">zoe@example.be</div>' in row
    assert f'aria-label="Tick {request.reference}"' in row
    # Each cell carries its column's name: the phone layout shows it beside the value.
    assert '<td data-label="Type">Erasure' in row
    assert f'data-progress-ref="{request.reference}" data-status="new"' in row
    assert '<span class="days soon">' in row or '<span class="days ok">' in row
    assert "days left</span>" in row
    assert f'<td data-label="Assignee">{agent.get_full_name() or agent.username}</td>' in row
    assert '<td data-label="Channel">Letter</td>' in row
    assert '<td data-label="Lang.">FR</td>' in row


def test_a_row_flags_an_extension_a_hold_and_a_closed_request(dpo_client, dpo):
    extended = logged_request(dpo, days_ago=5, email="extended@example.be")
    workflow.extend(extended, actor=dpo, months=2, reason="Many sources to search.")
    closed = logged_request(dpo, days_ago=3, email="closed@example.be")
    workflow.close(closed, actor=dpo, reason="Withdrawn by phone.")
    workflow.place_retention_hold(closed, actor=dpo, reason=HoldReason.OTHER, explanation="File 12/2026.")

    page = dpo_client.get(QUEUE, {"status": "all"}).content.decode()

    assert "· extended</div>" in row_of(page, extended.reference)
    held = row_of(page, closed.reference)
    assert held.startswith('<tr class="row-closed">')
    assert '<span class="flag">retention hold</span>' in held
    assert '<span class="days closed">—</span>' in held


def test_a_request_nobody_took_for_a_working_day_is_flagged_in_its_row(dpo_client, dpo):
    with at(2026, 1, 9, 16):  # Friday
        friday = logged_request(dpo, email="friday@example.be")
    with at(2026, 1, 12, 16):  # Monday: the first working day after receipt is not over
        assert "unassigned &gt; 1 working day" not in dpo_client.get(QUEUE).content.decode()
    with at(2026, 1, 13, 9):
        row = row_of(dpo_client.get(QUEUE).content.decode(), friday.reference)
    assert '<span class="muted">nobody</span>' in row
    assert 'title="Unassigned for more than one working day">unassigned &gt; 1 working day</span>' in row


def test_rows_are_in_the_readers_language_and_an_auditor_has_nothing_to_tick(auditor_client, dpo):
    request = logged_request(dpo, days_ago=40, request_type=RequestType.ACCESS, channel=Channel.PHONE)

    row = row_of(auditor_client.get(QUEUE, headers={"accept-language": "nl"}).content.decode(), request.reference)

    assert row.startswith('<tr class="row-late">')
    assert 'type="checkbox"' not in row
    assert "dagen te laat" in row
    assert '<td data-label="Kanaal">Telefoon</td>' in row


@pytest.fixture
def spread(dpo, agent, other_agent):
    """31 open requests: 12 for one agent, 9 for another, 4 for the DPO, 6 for nobody."""
    owners = [agent] * 12 + [other_agent] * 9 + [dpo] * 4 + [None] * 6
    requests = []
    for n, owner in enumerate(owners):
        request = logged_request(
            dpo,
            days_ago=n % 20,
            email=f"s{n}@example.be",
            request_type=RequestType.ERASURE if n % 3 == 0 else RequestType.ACCESS,
        )
        if owner is not None:
            workflow.assign(request, actor=dpo, assignee=owner)
        requests.append(request)
    return requests


@pytest.mark.parametrize("sort", ["assignee", "-assignee"])
@pytest.mark.parametrize("extra", [{}, {"type": "erasure"}])
def test_pages_sorted_by_assignee_follow_one_order_across_assignees(dpo_client, dpo, spread, sort, extra):
    filters = selectors.QueueFilters.from_query({"sort": sort, **extra})
    expected = list(selectors.queue(filters, dpo).values_list("reference", flat=True))

    # 25 a page: the second page starts inside one assignee's share.
    shown = []
    for number in range(1, -(-len(expected) // 25) + 1):
        page = dpo_client.get(QUEUE, {"sort": sort, "per_page": "25", "page": str(number), **extra})
        assert page.context["page"].paginator.count == len(expected)
        shown += shown_references(page.content.decode())

    assert shown == expected
    # Nobody's requests come last in ascending order, first in descending order.
    nobodys = set(SubjectRequest.objects.filter(assignee__isnull=True).values_list("reference", flat=True))
    nobodys &= set(shown)
    assert nobodys
    assert set(shown[: len(nobodys)] if sort.startswith("-") else shown[-len(nobodys) :]) == nobodys


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"status": "new", "channel": "letter"},
        {"status": "closed", "type": "erasure", "assignee": "none"},
        {"assignee": "me", "overdue": "1", "due_within": "0"},
        {"held": "1", "q": "Peeters"},
        {"status": "all", "q": "DSAR-2026-0000001"},
        {"q": "someone@example.be", "sort": "-subject"},
    ],
)
def test_the_filters_apply_as_the_filter_sets_form_applies_them(dpo, query):
    filters = selectors.QueueFilters.from_query(query)
    for with_status in (True, False):
        data = {**filters.as_query(), "status": filters.status if with_status else selectors.STATUS_ALL}
        through_form = selectors.QueueFilterSet(data, SubjectRequest.objects.all(), user=dpo).qs

        applied = filters.filtered(SubjectRequest.objects.all(), dpo, with_status=with_status)

        assert str(applied.query) == str(through_form.query)


def test_the_status_tabs_and_channel_links_count_under_the_other_filters(dpo_client, dpo):
    for channel in (Channel.LETTER, Channel.LETTER, Channel.PHONE):
        logged_request(dpo, channel=channel, email=f"{channel}@example.be")
    approved = logged_request(dpo, channel=Channel.LETTER, email="approved@example.be")
    workflow.approve(approved, actor=dpo)

    response = dpo_client.get(QUEUE, {"channel": "letter"})

    tabs = {value: count for value, _label, count in response.context["status_tabs"]}
    assert tabs["open"] == 3 and tabs["new"] == 2 and tabs["approved"] == 1
    channels = {c["value"]: c["count"] for c in response.context["channel_counts"]}
    assert channels[Channel.LETTER] == 3 and channels[Channel.PHONE] == 1
    assert len(response.context["rows"]) == 3


def test_the_bulk_form_lists_the_staff_in_the_readers_language(dpo_client, dpo, agent):
    logged_request(dpo)
    english = dpo_client.get(QUEUE).content.decode()
    dutch = dpo_client.get(QUEUE, headers={"accept-language": "nl"}).content.decode()

    for page in (english, dutch):
        assert f'<option value="{agent.pk}">{agent.username}</option>' in page.split('id="bulk"')[1]
    assert "Assign to" in english and "Assign to" not in dutch
    # Renamed, the person is shown under the new name at once.
    agent.username = "renamed-agent"
    agent.save()
    assert '">renamed-agent</option>' in dpo_client.get(QUEUE).content.decode().split('id="bulk"')[1]


def test_overdue_means_open_and_late_on_every_tab(dpo, agent):
    late = logged_request(dpo, days_ago=40, email="late@example.be")
    on_time = logged_request(dpo, days_ago=2, email="on-time@example.be")
    closed_late = logged_request(dpo, days_ago=45, email="closed@example.be")
    workflow.close(closed_late, actor=dpo, reason="Withdrawn by phone.")

    def listed(**query):
        filters = selectors.QueueFilters.from_query(query)
        return set(selectors.queue(filters, dpo).values_list("reference", flat=True))

    assert listed(overdue="1") == {late.reference}
    assert listed(overdue="1", status="all") == {late.reference}
    assert listed(overdue="1", status="closed") == set()

    # "Not overdue" (the API's overdue=false): every other request of the tab.
    def not_overdue(**query):
        found = selectors.QueueFilterSet({"overdue": "false", **query}, SubjectRequest.objects.all(), user=dpo).qs
        return set(found.values_list("reference", flat=True))

    assert not_overdue(status="open") == {on_time.reference}
    assert not_overdue() == {on_time.reference, closed_late.reference}
