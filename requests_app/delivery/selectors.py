"""Reads of the delivery: what was gathered, the files, the transmission, the links."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Max
from django.urls import reverse

from dsar.core.crypto import token_digest
from dsar.exports import service
from dsar.exports.content import ExportSpec
from dsar.exports.models import ExportFile
from dsar.exports.register import current_register
from dsar.models import Job
from requests_app.delivery.downloads.models import DownloadLink, Transmission
from requests_app.models import ControllerProfile, RequestType, Status, SubjectRequest

DELIVERED_TYPES = (RequestType.ACCESS, RequestType.PORTABILITY)
# What changes the copy's content: files older than the last of these are stale.
EXCLUSION_EVENTS = (
    "export.records_excluded",
    "export.records_included",
    "export.fields_withheld",
    "export.fields_given_back",
)
# The transmission is decided before the release; earlier is fine too (the
# DPO may know while gathering runs).
TRANSMISSION_STATUSES = (Status.APPROVED, Status.PROCESSING, Status.IN_REVIEW)


def latest_job(request: SubjectRequest) -> Job | None:
    return Job.objects.filter(external_ref=request.reference, operation="access").order_by("-created_at").first()


def export_kind(request: SubjectRequest) -> str:
    return "portability" if request.request_type == RequestType.PORTABILITY else "access"


def wants_csv(request: SubjectRequest) -> bool:
    return (request.type_details or {}).get("format") == "csv"


def controller_info(language: str = "") -> dict:
    profile = ControllerProfile.current().in_language(language)
    fields = (
        "name address enterprise_number website dpo_name dpo_email dpo_phone "
        "authority_name authority_address authority_phone authority_email authority_website "
        "court_name court_reference"
    ).split()
    return {name: getattr(profile, name) or "" for name in fields}


def export_spec(request: SubjectRequest, job: Job) -> ExportSpec:
    return ExportSpec(
        job=job,
        controller=controller_info(request.language),
        register=current_register(),
        language=request.language,
        kind=export_kind(request),
        reference=request.reference,
    )


def preview_spec(request: SubjectRequest, export: ExportFile) -> ExportSpec:
    """The spec of a staff preview of ``export``: national numbers masked."""
    spec = export_spec(request, export.job)
    spec.mask_national_numbers = True
    return spec


def export_files(request: SubjectRequest) -> list[ExportFile]:
    job = latest_job(request)
    if job is None:
        return []
    return list(ExportFile.objects.filter(job=job).order_by("format"))


def expected_formats(request: SubjectRequest) -> list[str]:
    return service.formats_for(export_kind(request), csv=wants_csv(request))


def files_are_current(request: SubjectRequest, files: list[ExportFile] | None = None) -> bool:
    """Every expected file exists and none predates the last exclusion change."""
    files = export_files(request) if files is None else files
    if not files or not set(expected_formats(request)) <= {f.format for f in files}:
        return False
    changed = request.events.filter(kind__in=EXCLUSION_EVENTS).aggregate(last=Max("created_at"))["last"]
    return changed is None or all(f.created_at >= changed for f in files)


def transmission_target(request: SubjectRequest) -> dict | None:
    """The organisation the subject asked us to send the copy to, as on the form."""
    if request.request_type != RequestType.PORTABILITY:
        return None
    details = request.type_details or {}
    name = str(details.get("target_controller") or "").strip()
    if not name:
        return None
    return {"organisation": name, "email": str(details.get("target_controller_email") or "").strip()}


def transmission_of(request: SubjectRequest) -> Transmission | None:
    return Transmission.objects.filter(request=request).first()


def transmission_decidable(request: SubjectRequest) -> bool:
    """The request names an organisation for its copy and is not yet released
    (who decides: ``permissions.can_decide_transmission``)."""
    return request.status in TRANSMISSION_STATUSES and transmission_target(request) is not None


def find_link(token: str) -> DownloadLink | None:
    if not token or len(token) > 100:
        return None
    digest = token_digest(token)
    links = DownloadLink.objects.select_related("request", "transmission")
    link = links.filter(token_hash=digest).first()
    if link is None:
        # The status page's "Download your copy" button: the subject's own status
        # link opens their latest download link (the e-mailed code still guards the files).
        link = (
            links.filter(request__token_hash=digest, request__purged_at__isnull=True, transmission__isnull=True)
            .order_by("-created_at", "-pk")
            .first()
        )
    return link


def download_url(token: str) -> str:
    return settings.SITE_URL + reverse("download:page", args=[token])


def link_files(link: DownloadLink) -> list[ExportFile]:
    if link.job_id is None:
        return []
    # The report a person reads first, then the spreadsheets, then the JSON for machines.
    order = {ExportFile.Format.PDF: 0, ExportFile.Format.CSV: 1, ExportFile.Format.JSON: 2}
    files = ExportFile.objects.filter(job_id=link.job_id)
    return sorted(files, key=lambda export: (order.get(export.format, 9), export.format))


def export_failure(request: SubjectRequest) -> dict | None:
    """The details of the last generation if it failed and none succeeded since, else None."""
    last = request.events.filter(kind__in=("export.generated", "export.failed")).order_by("-created_at", "-pk").first()
    return last.details if last is not None and last.kind == "export.failed" else None
