"""The release of a copy made safe (issue 15): the primary action of a copy in
review, a confirmation page summarising what goes out, and, when the
controller asks for it, a second DPO's approval (four eyes)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

from dsar.exports.models import ExportFile
from dsar.models import SourceRecord, SourceRun
from requests_app import workflow
from requests_app.accounts import roles
from requests_app.delivery import release as release_steps
from requests_app.delivery import services as delivery_services
from requests_app.models import ControllerProfile, Status
from tests.factories import UserFactory, make_request
from tests.support.export_factories import make_job

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_review(controller, dpo, django_capture_on_commit_callbacks):
    """An access request whose gathering ended: in review, its files made by the effect."""
    request = make_request(email="lotte.peeters@example.be")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.approve(request, actor=dpo)
        workflow.start_processing(request)
        make_job(request.reference)
        workflow.processing_done(request)
    request.refresh_from_db()
    assert request.status == Status.IN_REVIEW
    return request


@pytest.fixture
def second_dpo(groups):
    user = UserFactory(username="dpo2", first_name="Ann", last_name="Claes")
    user.groups.add(Group.objects.get(name=roles.DPO))
    return user


@pytest.fixture
def four_eyes(controller):
    ControllerProfile.objects.update(release_needs_second_approval=True)


def _release_url(request) -> str:
    return reverse("exports:release", args=[request.reference])


def _kinds(request) -> list[str]:
    return list(request.events.order_by("seq").values_list("kind", flat=True))


def test_release_is_the_first_action_of_a_copy_in_review(in_review, client, dpo):
    client.force_login(dpo)

    page = client.get(reverse("workspace:request", args=[in_review.reference])).content.decode()

    actions = page[page.index('id="actions"') :]
    assert f'<a class="button primary wide" href="{_release_url(in_review)}">Release to the subject…</a>' in actions
    assert actions.index("Release to the subject…") < actions.index("Take this request")
    # The panel no longer releases in one click: it leads to the confirmation.
    assert 'name="incomplete_reason"' not in page


def test_the_confirmation_page_says_what_goes_out_and_who_previewed_it(
    in_review, client, dpo, django_capture_on_commit_callbacks
):
    note = SourceRecord.objects.get(run__job__external_ref=in_review.reference, entity="notes")
    with django_capture_on_commit_callbacks(execute=True):
        delivery_services.set_excluded(
            in_review, actor=dpo, record_ids=[note.pk], excluded=True, note="About her neighbour"
        )
    client.force_login(dpo)

    page = client.get(_release_url(in_review)).content.decode()

    total = SourceRecord.objects.filter(run__job__external_ref=in_review.reference).count()
    assert f'<td id="release-records">{total - 1}</td>' in page
    assert '<td id="release-left-out">1</td>' in page
    assert "1 record is left out because it concerns other people (Art. 15(4))." in page
    assert "Nobody has previewed these files yet." in page
    assert "lotte.peeters@example.be" not in page  # the summary names no data of the subject but her name

    client.get(reverse("exports:preview", args=[in_review.reference, "json"]))
    page = client.get(_release_url(in_review)).content.decode()

    assert "Previewed by: dpo." in page
    assert "Nobody has previewed" not in page


def test_a_preview_of_files_made_since_does_not_count(in_review, client, dpo, django_capture_on_commit_callbacks):
    client.force_login(dpo)
    client.get(reverse("exports:preview", args=[in_review.reference, "json"]))
    with django_capture_on_commit_callbacks(execute=True):
        delivery_services.enqueue_generation(in_review)

    page = client.get(_release_url(in_review)).content.decode()

    assert "Nobody has previewed these files yet." in page


def test_nothing_goes_out_without_the_explicit_confirmation(in_review, client, dpo):
    client.force_login(dpo)

    response = client.post(_release_url(in_review))

    assert response.status_code == 400
    assert "Tick the box to confirm you checked what goes out." in response.content.decode()
    in_review.refresh_from_db()
    assert in_review.status == Status.IN_REVIEW
    assert mail.outbox == []


def test_confirmed_the_copy_goes_out(in_review, client, dpo, django_capture_on_commit_callbacks):
    client.force_login(dpo)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_release_url(in_review), {"confirm": "1"}, follow=True)

    in_review.refresh_from_db()
    assert in_review.status == Status.FULFILLED
    assert "Released: the subject has been e-mailed a download link." in response.content.decode()
    assert [m.to for m in mail.outbox] == [["lotte.peeters@example.be"]]


def test_a_failed_source_shows_on_the_confirmation_and_needs_a_reason(in_review, client, dpo):
    SourceRun.objects.filter(job__external_ref=in_review.reference, connector__code="erp").update(
        status=SourceRun.Status.FAILED, error="timeout"
    )
    client.force_login(dpo)

    page = client.get(_release_url(in_review)).content.decode()
    assert "These sources could not be searched:" in page
    assert 'name="incomplete_reason"' in page

    response = client.post(_release_url(in_review), {"confirm": "1"}, follow=True)
    in_review.refresh_from_db()
    assert in_review.status == Status.IN_REVIEW
    assert "could not be searched" in response.content.decode()


# ------------------------------------------------------------------------------
# Four eyes
# ------------------------------------------------------------------------------
def test_with_four_eyes_the_first_dpo_only_asks(in_review, four_eyes, client, dpo):
    client.force_login(dpo)

    response = client.post(_release_url(in_review), {"confirm": "1"}, follow=True)

    in_review.refresh_from_db()
    assert in_review.status == Status.IN_REVIEW
    assert mail.outbox == []
    assert "another DPO approves the release" in response.content.decode()
    assert _kinds(in_review)[-1] == "release.requested"
    page = client.get(reverse("workspace:request", args=[in_review.reference])).content.decode()
    assert "You asked for the release: it waits for another DPO" in page


def test_the_dpo_who_asked_cannot_approve_their_own_release(in_review, four_eyes, client, dpo):
    client.force_login(dpo)
    client.post(_release_url(in_review), {"confirm": "1"})

    response = client.post(_release_url(in_review), {"confirm": "1", "step": "approve"}, follow=True)

    in_review.refresh_from_db()
    assert in_review.status == Status.IN_REVIEW
    assert "You asked for this release: another DPO must approve it." in response.content.decode()
    assert _kinds(in_review)[-1] == "action.refused"
    assert mail.outbox == []


def test_a_second_dpo_approves_and_the_copy_goes_out(
    in_review, four_eyes, client, dpo, second_dpo, django_capture_on_commit_callbacks
):
    client.force_login(dpo)
    client.post(_release_url(in_review), {"confirm": "1"})
    client.force_login(second_dpo)

    page = client.get(reverse("workspace:request", args=[in_review.reference])).content.decode()
    assert "Approve the release…" in page
    confirm = client.get(_release_url(in_review)).content.decode()
    assert "dpo asked for this release on" in confirm
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_release_url(in_review), {"confirm": "1", "step": "approve"})

    in_review.refresh_from_db()
    assert in_review.status == Status.FULFILLED
    assert _kinds(in_review)[-3:] == ["release.requested", "release.approved", "request.fulfilled"]
    approved = in_review.events.get(kind="release.approved")
    assert approved.actor == second_dpo
    assert len(mail.outbox) == 1


def test_files_made_again_after_the_request_need_a_new_one(
    in_review, four_eyes, client, dpo, second_dpo, django_capture_on_commit_callbacks
):
    release_steps.request_release(in_review, actor=dpo)
    with django_capture_on_commit_callbacks(execute=True):
        delivery_services.enqueue_generation(in_review)

    assert release_steps.pending_request(in_review) is None
    with pytest.raises(workflow.WorkflowError, match="No release is waiting for approval"):
        release_steps.approve_release(in_review, actor=second_dpo)
    in_review.refresh_from_db()
    assert in_review.status == Status.IN_REVIEW


def test_four_eyes_holds_a_release_that_skips_the_request(in_review, four_eyes, dpo):
    with pytest.raises(workflow.NotPossibleNow, match="second DPO"):
        delivery_services.release(in_review, actor=dpo)
    in_review.refresh_from_db()
    assert in_review.status == Status.IN_REVIEW


def test_a_withdrawn_request_cannot_be_approved(in_review, four_eyes, client, dpo, second_dpo):
    release_steps.request_release(in_review, actor=dpo)
    client.force_login(dpo)
    client.post(_release_url(in_review), {"step": "withdraw"})

    assert release_steps.pending_request(in_review) is None
    assert _kinds(in_review)[-1] == "release.withdrawn"


def test_files_not_ready_are_said_and_the_button_is_off(in_review, client, dpo):
    ExportFile.objects.filter(job__external_ref=in_review.reference, format="pdf").delete()
    client.force_login(dpo)

    page = client.get(_release_url(in_review)).content.decode()

    assert "wait until they are ready before releasing" in page
    assert '<button class="primary" disabled>' in page


# The release page's list of withheld fields, per language: its caption and one row as it reads.
WITHHELD_ON_RELEASE = {
    "en": ("The fields withheld, and why", "CRM Notes (Contact details) Note text (in 1 record) Names a colleague"),
    "nl": (
        "De achtergehouden velden, en waarom",
        "CRM Notities (Contactgegevens) Notitietekst (in 1 record) Names a colleague",
    ),
    "fr": (
        "Les champs retenus, et pourquoi",
        "CRM Notes (Coordonnées) Texte de la note (dans 1 enregistrement) Names a colleague",
    ),
    "de": (
        "Die zurückgehaltenen Felder, und warum",
        "CRM Notizen (Kontaktdaten) Notiztext (in 1 Datensatz) Names a colleague",
    ),
}


@pytest.mark.parametrize("language", ["en", "nl", "fr", "de"])
def test_the_confirmation_page_lists_each_withheld_field_with_its_reason(
    in_review, client, dpo, language, django_capture_on_commit_callbacks
):
    """Walkthrough finding: the page said "1 field withheld" but not which nor why."""
    import re
    from html import unescape

    from dsar.models import Connector
    from tests.requests_app.audit.test_evidence_decisions import NOTE_TABLE

    crm = Connector.objects.get(code="crm")
    crm.config = {"tables": {"notes": NOTE_TABLE}}
    crm.save(update_fields=["config"])
    note = SourceRecord.objects.get(run__job__external_ref=in_review.reference, entity="notes")
    with django_capture_on_commit_callbacks(execute=True):
        delivery_services.set_withheld(
            in_review, actor=dpo, fields=[(note.pk, "text")], withheld=True, note="Names a colleague"
        )
    client.force_login(dpo)

    page = client.get(_release_url(in_review), HTTP_ACCEPT_LANGUAGE=language).content.decode()

    caption, row = WITHHELD_ON_RELEASE[language]
    listed = page[page.index('id="release-withheld"') :]
    listed = listed[: listed.index("</table>")]
    text = " ".join(unescape(re.sub(r"<[^>]+>", " ", listed)).split())
    assert caption in text and row in text
    assert ">text<" not in listed  # never the raw column name
