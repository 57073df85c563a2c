"""What the delivery does on workflow events (listed in requests_app.effects)."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dsar.exports import service
from dsar.models import Job
from dsar.queueing import enqueue
from requests_app import workflow
from requests_app.delivery import incomplete, release
from requests_app.delivery.downloads.models import Transmission
from requests_app.delivery.selectors import (
    DELIVERED_TYPES,
    download_url,
    export_files,
    link_files,
    transmission_of,
    transmission_target,
)
from requests_app.delivery.services import create_link, send_to_organisation
from requests_app.emails import queue_email
from requests_app.models import RequestEvent, RequestType, SubjectRequest
from requests_app.representation.selectors import has_email_contact


@workflow.precondition("fulfil")
def transmission_decided_before_release(request: SubjectRequest, actor) -> None:
    target = transmission_target(request)
    if target is not None and not Transmission.objects.filter(request=request).exists():
        raise workflow.WorkflowError(
            _(
                "The subject asked for the copy to be sent to %(organisation)s as well. Before the release, "
                "record whether it is sent there (with its e-mail address) or why that is not technically "
                "feasible (Art. 20(2))."
            )
            % {"organisation": target["organisation"]}
        )


@workflow.precondition("fulfil")
def searched_before_release(request: SubjectRequest, actor) -> None:
    """A copy from a gathering where a source failed is released only by the DPO's choice, with a reason."""
    if request.request_type not in DELIVERED_TYPES:
        return
    message = incomplete.refusal(request)
    if message:
        raise workflow.NotPossibleNow(message)


@workflow.precondition("fulfil")
def second_approval_before_release(request: SubjectRequest, actor) -> None:
    """Four eyes (ControllerProfile.release_needs_second_approval): a copy goes out
    only with another DPO's approval of the current files (delivery.release)."""
    message = release.four_eyes_refusal(request)
    if message:
        raise workflow.NotPossibleNow(message)


@workflow.on_event("request.in_review")
def generate_when_in_review(request: SubjectRequest, event: RequestEvent) -> None:
    if request.request_type in DELIVERED_TYPES:
        from requests_app.delivery.tasks import generate_exports_task

        enqueue(generate_exports_task, (request.pk,))


@workflow.on_event("request.fulfilled")
def email_link_when_fulfilled(request: SubjectRequest, event: RequestEvent) -> None:
    if request.request_type not in DELIVERED_TYPES:
        return
    transmission = transmission_of(request) if transmission_target(request) else None
    with transaction.atomic():
        # A representative may be the one we write to (a child's parent: no address of the child's own).
        if not has_email_contact(request):
            # Logged from a letter or a call: a link nobody receives (and whose
            # codes go by e-mail) is only a risk. The DPO sends the copy by other
            # means; the panel and the release message say so.
            workflow.log_event(request, actor=workflow.SYSTEM, kind="email.not_sent", details={"email": "export_ready"})
            files = export_files(request)
        else:
            link, token = create_link(request)
            files = link_files(link)
            queue_email(
                "export_ready",
                to=request.email,
                context={
                    "request": request,
                    "url": download_url(token),
                    "expires_at": link.expires_at,
                    "days": settings.DSAR_DOWNLOAD_DAYS,
                    "formats": [f.get_format_display() for f in files],
                    "portability": request.request_type == RequestType.PORTABILITY,
                    "transmission": transmission,
                    # Released by the DPO's choice while these could not be searched: the subject is told.
                    "unsearched": incomplete.unsearched_names(request),
                },
                language=request.language,
                request=request,
            )
        if transmission is not None and transmission.sends:
            send_to_organisation(request, transmission, formats=[f.get_format_display() for f in files])


@workflow.on_event("request.purged")
def delete_files_when_purged(request: SubjectRequest, event: RequestEvent) -> None:
    """The purge removes the subject's payloads: the copies go too, links stop working."""
    now = timezone.now()
    for job in Job.objects.filter(external_ref=request.reference):
        service.delete_files(job)
    request.download_links.filter(files_deleted_at__isnull=True).update(files_deleted_at=now)
    # Where the subject moved their data says something about them; the
    # organisation's name stays in the audit trail, as Art. 5(2) needs.
    Transmission.objects.filter(request=request).update(email="", reason="")
