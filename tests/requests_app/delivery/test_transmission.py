"""Art. 20(2): a portability copy sent directly to the organisation the subject named.

What the DPO sees on the request page, what the subject and the organisation
read in their e-mails, and the organisation's own link and codes.
"""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from requests_app import workflow
from requests_app.delivery import services as delivery_services
from requests_app.delivery.downloads.models import DownloadLink, Transmission
from requests_app.intake.forms import RequestForm
from requests_app.models import RequestEvent, Status
from tests.support.export_factories import ORGANISATION, ORGANISATION_EMAIL, SUBJECT_EMAIL, make_portability_in_review

pytestmark = pytest.mark.django_db

SUBJECT = SUBJECT_EMAIL


@pytest.fixture
def portability(controller, dpo, django_capture_on_commit_callbacks):
    """A portability request naming another organisation, in review with its files."""

    def build(**kwargs):
        request = make_portability_in_review(dpo, django_capture_on_commit_callbacks, **kwargs)
        mail.outbox.clear()
        return request

    return build


def _events(request, kind):
    return list(RequestEvent.objects.filter(request=request, kind=kind).order_by("seq"))


def _path(url: str) -> str:
    return "/download/" + url.split("/download/", 1)[1]


def _link_in(message) -> str:
    return re.search(r"http://\S+/download/\S+/", message.body).group(0)


def _release(request, dpo, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        delivery_services.release(request, actor=dpo)
    request.refresh_from_db()


def _mail_to(address):
    return [m for m in mail.outbox if m.to == [address]]


# ------------------------------------------------------------------------------
# The form
# ------------------------------------------------------------------------------
def _form(**fields):
    data = {
        "request_type": "portability",
        "full_name": "Lotte Peeters",
        "email": SUBJECT,
        "language": "en",
        "portability_format": "json",
        **fields,
    }
    return RequestForm(data=data)


def test_the_form_stores_the_organisations_email_beside_its_name(controller):
    form = _form(portability_target=ORGANISATION, portability_target_email=ORGANISATION_EMAIL)

    assert form.is_valid(), form.errors
    assert form.cleaned_data["type_details"] == {
        "format": "json",
        "target_controller": ORGANISATION,
        "target_controller_email": ORGANISATION_EMAIL,
    }


def test_the_form_wants_the_organisations_name_with_its_email_and_a_valid_address(controller):
    without_name = _form(portability_target_email=ORGANISATION_EMAIL)
    bad_address = _form(portability_target=ORGANISATION, portability_target_email="not an address")

    assert not without_name.is_valid()
    assert without_name.errors["portability_target"] == ["Tell us the name of the organisation to send it to."]
    assert not bad_address.is_valid()
    assert "portability_target_email" in bad_address.errors


def test_the_public_api_takes_the_organisations_email(controller, client, django_capture_on_commit_callbacks):
    from requests_app.models import SubjectRequest

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/requests/",
            {
                "request_type": "portability",
                "full_name": "Lotte Peeters",
                "email": SUBJECT,
                "language": "nl",
                "portability_format": "csv",
                "portability_target": ORGANISATION,
                "portability_target_email": ORGANISATION_EMAIL,
            },
            content_type="application/json",
        )

    assert response.status_code == 201, response.content
    stored = SubjectRequest.objects.get(reference=response.json()["reference"])
    assert stored.type_details["target_controller_email"] == ORGANISATION_EMAIL


# ------------------------------------------------------------------------------
# The DPO's page
# ------------------------------------------------------------------------------
def test_the_panel_shows_the_organisation_and_holds_the_release_until_the_dpo_decides(portability, dpo, client):
    request = portability()
    client.force_login(dpo)

    page = client.get(reverse("workspace:request", args=[request.reference])).content.decode()

    assert ORGANISATION in page and ORGANISATION_EMAIL in page
    assert "Record your decision before the release" in page
    assert re.search(r'<button type="button" disabled>Release to the subject', page)
    assert reverse("exports:transmission", args=[request.reference]) in page


def test_release_is_refused_with_a_clear_message_until_the_decision_is_recorded(portability, dpo, client):
    request = portability()
    client.force_login(dpo)

    response = client.post(reverse("exports:release", args=[request.reference]), {"confirm": "1"}, follow=True)

    request.refresh_from_db()
    assert request.status == Status.IN_REVIEW
    assert (
        f"The subject asked for the copy to be sent to {ORGANISATION} as well. Before the release, record whether"
        in response.content.decode()
    )
    assert not mail.outbox


def test_the_dpo_sends_it_the_organisation_gets_its_own_link_and_the_subject_is_told(
    portability, dpo, client, django_capture_on_commit_callbacks
):
    request = portability()
    client.force_login(dpo)

    response = client.post(
        reverse("exports:transmission", args=[request.reference]),
        {"decision": "send", "email": ORGANISATION_EMAIL},
        follow=True,
    )
    assert f"on release, {ORGANISATION} is e-mailed a download link at {ORGANISATION_EMAIL}" in (
        response.content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        released = client.post(reverse("exports:release", args=[request.reference]), {"confirm": "1"}, follow=True)

    request.refresh_from_db()
    assert request.status == Status.FULFILLED
    assert f"{ORGANISATION} has been e-mailed a download link of its own." in released.content.decode()
    (to_subject,) = _mail_to(SUBJECT)
    (to_organisation,) = _mail_to(ORGANISATION_EMAIL)
    assert len(mail.outbox) == 2
    assert (
        f"we also sent a copy directly to {ORGANISATION} ({ORGANISATION_EMAIL})" in to_subject.body
        and ORGANISATION in to_subject.alternatives[0][0]
    )
    assert "Lotte Peeters asked" in to_organisation.body and "Art. 20(2) GDPR" in to_organisation.body
    assert f"To {ORGANISATION}," in to_organisation.body
    assert request.reference in to_organisation.subject
    assert _link_in(to_subject) != _link_in(to_organisation)
    subject_link, organisation_link = (
        DownloadLink.objects.get(request=request, transmission__isnull=True),
        DownloadLink.objects.get(request=request, transmission__isnull=False),
    )
    # Side by side: the organisation's link does not replace the subject's, and lives as long.
    assert subject_link.is_usable and organisation_link.is_usable
    assert organisation_link.expires_at.date() == subject_link.expires_at.date()
    (decided,) = _events(request, "export.transmission_decided")
    assert decided.details == {"decision": "send", "organisation": ORGANISATION}
    (sent,) = _events(request, "export.transmitted")
    assert sent.public and sent.details == {"organisation": ORGANISATION, "link": organisation_link.pk}
    assert Transmission.objects.get(request=request).sent_at is not None


def test_the_organisation_downloads_with_a_code_sent_to_its_own_address_and_the_subject_sees_it(
    portability, dpo, client, django_capture_on_commit_callbacks
):
    request = portability()
    delivery_services.decide_transmission(request, actor=dpo, decision="send", email=ORGANISATION_EMAIL)
    _release(request, dpo, django_capture_on_commit_callbacks)
    path = _path(_link_in(_mail_to(ORGANISATION_EMAIL)[0]))
    mail.outbox.clear()

    page = client.get(path).content.decode()
    assert "Download the data sent to you" in page
    assert "file/json" not in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(path, {"action": "send_code"})
    (code_mail,) = mail.outbox
    assert code_mail.to == [ORGANISATION_EMAIL]
    assert "Your code to download the data we sent you" in code_mail.body
    code = re.search(r"\b(\d{6})\b", code_mail.body).group(1)
    client.post(path, {"action": "verify", "code": code})
    response = client.get(path + "file/json/")
    assert response.status_code == 200
    b"".join(response.streaming_content)

    (downloaded,) = _events(request, "export.downloaded_by_organisation")
    assert downloaded.public and downloaded.actor_label == "system"
    assert downloaded.details["organisation"] == ORGANISATION and downloaded.details["format"] == "json"
    assert not _events(request, "export.downloaded")  # not mistaken for the subject's own download
    status_page = client.get(reverse("intake:status", args=[request.token])).content.decode()
    assert "We sent a copy of your data to the organisation you named." in status_page
    assert "The organisation you named downloaded the copy we sent it." in status_page


def test_the_subjects_codes_still_go_to_the_subject(portability, dpo, django_capture_on_commit_callbacks):
    request = portability()
    delivery_services.decide_transmission(request, actor=dpo, decision="send", email=ORGANISATION_EMAIL)
    _release(request, dpo, django_capture_on_commit_callbacks)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        delivery_services.send_code(DownloadLink.objects.get(request=request, transmission__isnull=True))

    (code_mail,) = mail.outbox
    assert code_mail.to == [SUBJECT]


def test_not_technically_feasible_the_subject_reads_why_and_nothing_goes_elsewhere(
    portability, dpo, django_capture_on_commit_callbacks
):
    request = portability(language="fr")
    reason = "Acme n'accepte que des envois par son portail fournisseur, auquel nous n'avons pas accès."

    delivery_services.decide_transmission(request, actor=dpo, decision="not_feasible", reason=reason)
    _release(request, dpo, django_capture_on_commit_callbacks)

    (message,) = mail.outbox
    assert message.to == [SUBJECT]
    assert f"Vous nous avez demandé d'envoyer vos données directement à {ORGANISATION}" in message.body
    assert reason in message.body and "20, paragraphe 1" in message.body
    assert not DownloadLink.objects.filter(request=request, transmission__isnull=False).exists()
    (decided,) = _events(request, "export.transmission_decided")
    assert decided.details == {"decision": "not_feasible", "organisation": ORGANISATION}  # the reason stays out
    assert not _events(request, "export.transmitted")


def test_the_organisations_email_is_in_dutch_for_a_dutch_request(portability, dpo, django_capture_on_commit_callbacks):
    request = portability(language="nl")
    delivery_services.decide_transmission(request, actor=dpo, decision="send", email=ORGANISATION_EMAIL)

    _release(request, dpo, django_capture_on_commit_callbacks)

    (to_organisation,) = _mail_to(ORGANISATION_EMAIL)
    (to_subject,) = _mail_to(SUBJECT)
    assert "Lotte Peeters heeft" in to_organisation.body
    assert f"ook rechtstreeks een kopie naar {ORGANISATION}" in to_subject.body


def test_sending_needs_an_address_and_not_feasible_needs_a_reason(portability, dpo):
    request = portability(target_email="")

    with pytest.raises(workflow.WorkflowError, match="e-mail address"):
        delivery_services.decide_transmission(request, actor=dpo, decision="send", email="")
    with pytest.raises(workflow.WorkflowError, match="valid e-mail address"):
        delivery_services.decide_transmission(request, actor=dpo, decision="send", email="acme")
    with pytest.raises(workflow.WorkflowError, match="not technically feasible"):
        delivery_services.decide_transmission(request, actor=dpo, decision="not_feasible", reason="  ")
    assert not Transmission.objects.filter(request=request).exists()


def test_the_dpo_may_use_an_address_the_subject_did_not_give_and_change_the_decision(portability, dpo):
    request = portability(target_email="")

    delivery_services.decide_transmission(request, actor=dpo, decision="not_feasible", reason="No address found yet.")
    delivery_services.decide_transmission(request, actor=dpo, decision="send", email="dpo@acme.example")

    transmission = Transmission.objects.get(request=request)
    assert transmission.sends and transmission.email == "dpo@acme.example" and transmission.reason == ""
    assert len(_events(request, "export.transmission_decided")) == 2


def test_only_a_dpo_decides_and_a_refusal_is_recorded(portability, dpo, agent, auditor, client):
    request = portability()
    workflow.assign(request, actor=dpo, assignee=agent)

    with pytest.raises(workflow.ActionForbidden):
        delivery_services.decide_transmission(request, actor=agent, decision="send", email=ORGANISATION_EMAIL)

    assert _events(request, "action.refused")[-1].details == {"action": "decide_transmission"}
    client.force_login(auditor)
    response = client.post(
        reverse("exports:transmission", args=[request.reference]), {"decision": "send", "email": ORGANISATION_EMAIL}
    )
    assert response.status_code == 403
    client.force_login(agent)
    page = client.get(reverse("workspace:request", args=[request.reference])).content.decode()
    assert ORGANISATION in page and "Record the decision</button>" not in page
    assert not Transmission.objects.filter(request=request).exists()


def test_the_decision_cannot_change_after_the_release(portability, dpo, django_capture_on_commit_callbacks):
    request = portability()
    delivery_services.decide_transmission(request, actor=dpo, decision="send", email=ORGANISATION_EMAIL)
    _release(request, dpo, django_capture_on_commit_callbacks)

    with pytest.raises(workflow.WorkflowError, match="before the release"):
        delivery_services.decide_transmission(request, actor=dpo, decision="not_feasible", reason="Too late")


def test_a_request_without_another_organisation_is_released_as_before(
    portability, dpo, django_capture_on_commit_callbacks
):
    request = portability(target="", target_email="")

    _release(request, dpo, django_capture_on_commit_callbacks)

    (message,) = mail.outbox
    assert message.to == [SUBJECT] and "directly" not in message.body
    with pytest.raises(workflow.WorkflowError, match="names no other organisation"):
        delivery_services.decide_transmission(request, actor=dpo, decision="send", email=ORGANISATION_EMAIL)


def test_the_purge_forgets_where_the_data_went_except_the_name_in_the_audit_trail(
    portability, dpo, client, django_capture_on_commit_callbacks
):
    request = portability()
    delivery_services.decide_transmission(request, actor=dpo, decision="send", email=ORGANISATION_EMAIL)
    _release(request, dpo, django_capture_on_commit_callbacks)
    path = _path(_link_in(_mail_to(ORGANISATION_EMAIL)[0]))

    with django_capture_on_commit_callbacks(execute=True):
        workflow.purge_personal_data(request)

    assert Transmission.objects.get(request=request).email == ""
    assert client.get(path).status_code == 410
    assert _events(request, "export.transmitted")[0].details["organisation"] == ORGANISATION
