"""Reads: a request's representative, and to whom an e-mail about it goes."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from requests_app.representation.models import Contact, MandateCheck, Relationship, Representation

# E-mails to staff or to other organisations: never re-addressed.
NOT_FOR_THE_SUBJECT = frozenset(
    {
        "workspace_assigned",
        "workspace_digest",
        "processing_manual_task",
        "two_factor_removed",
        "forward_controller",
        "recipient_notice",
        "recipient_restriction_lifted",
        "export_transmitted",
    }
)
# The confirmation link goes to whoever submitted the request: the
# representative confirms their own address, not the subject's.
TO_THE_SUBMITTER = frozenset({"intake_verify", "intake_joined"})


def representation_of(request) -> Representation | None:
    """The request's representative, or None. What the request object already
    holds (``select_related("representation")``, ``known_without_representative``,
    or a representative attached through it) is used without a query."""
    if request is None or request.pk is None:
        return None
    if _RELATION.is_cached(request):
        return _RELATION.get_cached_value(request)
    return Representation.objects.filter(request=request).first()


def known_without_representative(request) -> None:
    """Say on the object of a request just made without a representative that
    it has none, so that its first e-mails are routed without a query
    (attaching one later through this object replaces it)."""
    _RELATION.set_cached_value(request, None)


# The request's side of Representation.request.
_RELATION = Representation._meta.get_field("request").remote_field


def addresses_for(request, name: str, to: str) -> list[str] | None:
    """Where an e-mail meant for the subject goes when a representative acts
    for them: the representative, the subject, or both, as the mandate says
    (``Representation.contact``). ``None``: not re-addressed (no representative,
    or the e-mail is for someone else). An empty list: nobody to write to, which
    ``queue_email`` records as not sent."""
    if name in NOT_FOR_THE_SUBJECT or name.startswith("representation_"):
        return None
    if (to or "").strip().lower() != (request.email or "").strip().lower():
        return None
    representation = representation_of(request)
    if representation is None:
        return None
    subject_address = (request.email or "").strip()
    representative_address = (representation.email or "").strip()
    if name in TO_THE_SUBMITTER:
        wanted = [representative_address]
    elif representation.relationship == Relationship.PARENT:
        # Art. 8 GDPR: the parent acts for the child and is the one we write to.
        wanted = [representative_address]
    elif representation.contact == Contact.SUBJECT:
        wanted = [subject_address]
    elif representation.contact == Contact.BOTH:
        wanted = [representative_address, subject_address]
    else:
        wanted = [representative_address]
    unique: list[str] = []
    for address in wanted:
        if address and address.lower() not in {u.lower() for u in unique}:
            unique.append(address)
    return unique


def mandate_awaits_check(request, representation: Representation | None) -> bool:
    """The request's representative's mandate (``representation``) not yet
    accepted (not checked, or a better one asked for) on a request still open:
    nothing is approved on their word until it is (EDPB Guidelines 01/2022, §§ 79-84)."""
    from requests_app.models import OPEN_STATUSES, Status

    if representation is None or request.purged_at or request.status not in (Status.UNVERIFIED, *OPEN_STATUSES):
        return False
    return representation.check_status != MandateCheck.ACCEPTED


def has_email_contact(request) -> bool:
    """Whether anyone receives the e-mails about this request: the subject, or
    whom the mandate names (a parent writes for a child who has no address)."""
    routed = addresses_for(request, "export_ready", request.email)
    return bool(routed) if routed is not None else bool((request.email or "").strip())


def must_inform_subject(representation: Representation, request) -> bool:
    """The subject is told that someone asked in their name, where we have their
    address and they do not receive our e-mails anyway: a mandate can be forged,
    and the subject is the one who can say so (EDPB Guidelines 01/2022, § 82).
    Not for a child, whom the parent represents (Art. 8 GDPR)."""
    return (
        representation.relationship != Relationship.PARENT
        and bool((request.email or "").strip())
        and not representation.writes_to_subject
    )


# What the one who sent the form did, through its confirmation link: the
# representative, when a representative sent it (TO_THE_SUBMITTER).
SUBMITTER_KINDS = frozenset({"request.created", "request.verify", "representation.recorded"})
# Once the purge blanked the representative's name (``services.forget``), the timeline says which role acted.
ACTOR_WORDS = {
    Relationship.LAWYER: gettext_lazy("by the representative (the lawyer)"),
    Relationship.PARENT: gettext_lazy("by the representative (the parent)"),
    Relationship.GUARDIAN: gettext_lazy("by the representative (the guardian)"),
    Relationship.OTHER: gettext_lazy("by the representative"),
}
NAMED_ACTOR_WORDS = {
    Relationship.LAWYER: gettext_lazy("by %(name)s (lawyer)"),
    Relationship.PARENT: gettext_lazy("by %(name)s (parent)"),
    Relationship.GUARDIAN: gettext_lazy("by %(name)s (guardian)"),
    Relationship.OTHER: gettext_lazy("by %(name)s (representative)"),
}
PURGED_NAME = "—"


def _representative(representation: Representation) -> str:
    """The representative in words: their name and role, as the DPO knows them (Art. 5(2):
    the trail names who acted), or the role alone once the purge blanked the name."""
    name = (representation.full_name or "").strip()
    if not name or name == PURGED_NAME:
        return str(ACTOR_WORDS[representation.relationship])
    return str(NAMED_ACTOR_WORDS[representation.relationship]) % {"name": name}


def acted_by(representation: Representation, kind: str) -> str:
    """Who, in words, did what the audit trail records as the subject's on a
    represented request (Art. 5(2): the trail names who acted). The public
    pages are opened with links, and the links go where the mandate says
    (``addresses_for``): the confirmation link to the one who sent the form,
    the status link to the representative, the subject, or both."""
    if kind in SUBMITTER_KINDS or representation.relationship == Relationship.PARENT:
        return _representative(representation)
    if representation.contact == Contact.SUBJECT:
        return str(gettext_lazy("by the subject"))
    if representation.contact == Contact.BOTH:
        name = (representation.full_name or "").strip()
        if not name or name == PURGED_NAME:
            return str(gettext_lazy("by the subject or the representative"))
        return str(gettext_lazy("by the subject or %(name)s (representative)")) % {"name": name}
    return _representative(representation)


def verification_words(request) -> str:
    """How the request was confirmed, saying whose address it was: on a
    represented request the link went to the representative (TO_THE_SUBMITTER)."""
    from requests_app.models import VerificationMethod

    if request.verification_method == VerificationMethod.EMAIL_LINK and representation_of(request) is not None:
        return str(gettext_lazy("The representative's e-mail address confirmed by link"))
    return request.get_verification_method_display()
