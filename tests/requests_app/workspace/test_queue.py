"""The queue: order, deadlines shown, filters in the URL, search, counts,
pagination, and a bounded number of queries whatever the page size."""

from __future__ import annotations

import pytest
from django.urls import reverse

from requests_app import workflow
from requests_app.models import Channel, RequestType, Status
from tests.fixtures.workspace import logged_request

pytestmark = pytest.mark.django_db
QUEUE = reverse("workspace:queue")


def references(response) -> list[str]:
    return [row["request"].reference for row in response.context["rows"]]


@pytest.fixture
def mixed(dpo, agent):
    """Overdue, due soon, later; assigned or not; various types and channels."""
    late = logged_request(dpo, days_ago=40, full_name="Late Person", email="late@example.be")
    soon = logged_request(dpo, days_ago=27, request_type=RequestType.ERASURE, channel=Channel.LETTER)
    fresh = logged_request(dpo, days_ago=0, full_name="Fresh Person", email="fresh@example.org", channel=Channel.PHONE)
    workflow.assign(soon, actor=dpo, assignee=agent)
    closed = logged_request(dpo, days_ago=5)
    workflow.close(closed, actor=dpo, reason="Withdrawn by phone.")
    return {"late": late, "soon": soon, "fresh": fresh, "closed": closed}


def test_it_lists_open_requests_soonest_deadline_first(dpo_client, mixed):
    response = dpo_client.get(QUEUE)
    assert references(response) == [mixed["late"].reference, mixed["soon"].reference, mixed["fresh"].reference]


def test_it_shows_days_left_overdue_in_red_and_due_soon_highlighted(dpo_client, mixed):
    page = dpo_client.get(QUEUE).content.decode()
    assert 'class="row-late"' in page
    assert 'class="row-soon"' in page or 'class="row-today"' in page
    assert "days late" in page
    assert "days left" in page


def test_it_filters_by_status_type_assignee_and_channel(dpo_client, mixed, agent):
    assert references(dpo_client.get(QUEUE, {"type": "erasure"})) == [mixed["soon"].reference]
    assert references(dpo_client.get(QUEUE, {"assignee": agent.pk})) == [mixed["soon"].reference]
    assert mixed["soon"].reference not in references(dpo_client.get(QUEUE, {"assignee": "none"}))
    assert references(dpo_client.get(QUEUE, {"channel": "phone"})) == [mixed["fresh"].reference]
    assert references(dpo_client.get(QUEUE, {"status": "closed"})) == [mixed["closed"].reference]
    assert len(references(dpo_client.get(QUEUE, {"status": "all"}))) == 4


def test_it_filters_overdue_and_due_within_n_days(dpo_client, mixed):
    assert references(dpo_client.get(QUEUE, {"overdue": "1"})) == [mixed["late"].reference]
    assert references(dpo_client.get(QUEUE, {"due_within": "7"})) == [mixed["late"].reference, mixed["soon"].reference]


def test_it_searches_by_reference_name_and_e_mail(dpo_client, mixed):
    assert references(dpo_client.get(QUEUE, {"q": mixed["fresh"].reference.lower()})) == [mixed["fresh"].reference]
    assert references(dpo_client.get(QUEUE, {"q": "fresh pers"})) == [mixed["fresh"].reference]
    assert references(dpo_client.get(QUEUE, {"q": "LATE@example.be"})) == [mixed["late"].reference]


def test_it_ignores_bad_filter_values_instead_of_failing(dpo_client, mixed):
    response = dpo_client.get(QUEUE, {"status": "nonsense", "type": "x", "due_within": "abc", "assignee": "'; drop"})
    assert response.status_code == 200
    assert len(references(response)) == 3


def test_it_counts_requests_per_status(dpo_client, mixed, dpo):
    workflow.approve(mixed["fresh"], actor=dpo)
    tabs = {value: count for value, _label, count in dpo_client.get(QUEUE).context["status_tabs"]}
    assert tabs["open"] == 3
    assert tabs[Status.NEW] == 2
    assert tabs[Status.APPROVED] == 1


def test_it_keeps_filters_in_page_links(dpo_client, dpo):
    for _ in range(3):
        logged_request(dpo, channel=Channel.LETTER)
    response = dpo_client.get(QUEUE, {"channel": "letter", "per_page": "25"})
    assert response.context["page"].paginator.count == 3
    page = response.content.decode()
    assert "channel=letter&amp;status=all" in page or "channel=letter" in page


def test_it_paginates(dpo_client, dpo):
    for _ in range(27):
        logged_request(dpo)
    first = dpo_client.get(QUEUE, {"per_page": "25"})
    second = dpo_client.get(QUEUE, {"per_page": "25", "page": "2"})
    assert len(references(first)) == 25 and len(references(second)) == 2
    assert 'rel="next"' in first.content.decode()


@pytest.mark.parametrize("size", [5, 60])
@pytest.mark.parametrize("sort", ["", "-assignee"])
def test_it_uses_a_bounded_number_of_queries_whatever_the_page_size(
    dpo_client, dpo, agent, size, sort, django_assert_max_num_queries
):
    for n in range(size):
        request = logged_request(dpo, days_ago=n % 40, email=f"s{n}@example.be")
        if n % 2:
            workflow.assign(request, actor=dpo, assignee=agent)
    # session, user, the user's groups, counts per status and channel (which
    # give the total: no COUNT), the page's rows with their assignee, staff
    # for the assignee menus (filters and bulk form), the controller profile
    # (header); then the tools around the list (workspace/queue.py): the
    # inbox's count, the user's saved views.
    # Sorted by assignee: the assignees in order of name, and one slice of
    # ids per assignee the page reaches (two here).
    with django_assert_max_num_queries(9 if not sort else 12):
        response = dpo_client.get(QUEUE, {"per_page": "100", "sort": sort})
    assert len(response.context["rows"]) == size


@pytest.mark.parametrize("notes", [1, 20])
def test_it_shows_a_request_in_a_bounded_number_of_queries_whatever_its_history(
    dpo_client, dpo, new_request, notes, django_assert_max_num_queries
):
    for n in range(notes):
        workflow.add_note(new_request, actor=dpo, body=f"note {n}")
    # session, user, groups, request, events, pauses, notes, messages (+ their
    # attachments when there are messages), controller profile, assignee menu;
    # plus a small fixed budget for each section other areas add to the page.
    from requests_app.workspace.panels import _panels

    with django_assert_max_num_queries(11 + 4 * len(_panels)):
        response = dpo_client.get(reverse("workspace:request", args=[new_request.reference]))
    assert response.status_code == 200


@pytest.fixture
def many_closed(dpo, monkeypatch):
    """Five closed requests with the queue counting up to three (10,000 in use)."""
    from requests_app.workspace import selectors

    monkeypatch.setattr(selectors, "QUEUE_COUNT_CAP", 3)
    closed = []
    for n in range(5):
        request = logged_request(dpo, days_ago=n, email=f"closed{n}@example.be")
        workflow.close(request, actor=dpo, reason="Withdrawn by phone.")
        closed.append(request)
    return closed


def test_a_finished_tab_past_the_cap_says_more_than_and_asks_to_narrow(dpo_client, many_closed):
    response = dpo_client.get(QUEUE, {"status": "closed", "per_page": "25"})

    page = response.content.decode()
    assert "More than 3 requests match these filters" in page
    assert "Narrow the filters" in page
    assert '<span class="count">3+</span>' in page
    assert "3+ requests</span>" in page
    # Only the counted requests can be paged through.
    assert len(references(response)) == 3
    assert response.context["page"].paginator.num_pages == 1


def test_a_finished_tab_under_the_cap_shows_its_exact_count(dpo_client, many_closed):
    response = dpo_client.get(QUEUE, {"status": "closed", "type": "erasure"})
    assert "Narrow the filters" not in response.content.decode()
    assert response.context["page"].paginator.count == 0

    response = dpo_client.get(QUEUE, {"status": "closed", "q": many_closed[0].email})
    page = response.content.decode()
    assert "Narrow the filters" not in page
    assert '<span class="count">1</span>' in page
    assert references(response) == [many_closed[0].reference]


def test_the_all_tab_is_capped_too_and_the_open_tab_never(dpo_client, dpo, many_closed):
    for _ in range(4):
        logged_request(dpo)

    assert "Narrow the filters" in dpo_client.get(QUEUE, {"status": "all"}).content.decode()
    response = dpo_client.get(QUEUE)
    assert "Narrow the filters" not in response.content.decode()
    assert len(references(response)) == 4


def test_the_capped_notice_is_in_the_readers_language(dpo_client, many_closed):
    response = dpo_client.get(QUEUE, {"status": "closed"}, headers={"accept-language": "nl"})
    assert "Meer dan 3 verzoeken passen bij deze filters" in response.content.decode()


@pytest.mark.parametrize("sort", ["assignee", "-assignee"])
def test_sorted_by_assignee_the_page_reads_ids_first_and_keeps_the_order(dpo_client, dpo, agent, sort):
    from requests_app.workspace import selectors

    requests = [logged_request(dpo, days_ago=n, email=f"s{n}@example.be") for n in range(6)]
    for request in requests[:2]:
        workflow.assign(request, actor=dpo, assignee=agent)
    workflow.assign(requests[2], actor=dpo, assignee=dpo)
    filters = selectors.QueueFilters.from_query({"sort": sort})
    expected = list(selectors.queue(filters, dpo).values_list("reference", flat=True))

    response = dpo_client.get(QUEUE, {"sort": sort})

    assert references(response) == expected
    assert [row["assignee"] for row in response.context["rows"]].count(agent.get_full_name() or agent.username) == 2
