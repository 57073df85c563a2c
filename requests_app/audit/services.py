"""Verifying the audit trail from the workspace, and recording that it was done."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from requests_app.models import SubjectRequest

from .chain import ChainBreak, verify_all, verify_request_chain
from .models import ChainVerification

# chain.py states its problems in English for the command line; the workspace says them in the reader's language.
PROBLEMS = {
    "missing (deleted?)": gettext_lazy("an event is missing: it was deleted"),
    "does not link to the previous event": gettext_lazy("the event does not follow on from the one before it"),
    "content changed after it was written": gettext_lazy("the event was changed after it was written"),
    "missing at the end of the trail (deleted?)": gettext_lazy(
        "events are missing at the end of the trail: they were deleted"
    ),
}


def problem_in_words(problem: str) -> str:
    return str(PROBLEMS.get(problem, problem))


def describe_break(reference: str, seq: int, problem: str) -> str:
    """One broken chain in plain words, e.g. for the verification's result."""
    return _("%(reference)s, event %(seq)s: %(problem)s") % {
        "reference": reference,
        "seq": seq,
        "problem": problem_in_words(problem),
    }


def verify_chains(*, actor) -> ChainVerification:
    """Verify every request's chain, as ``manage.py verify_audit_chain`` does, and record who asked.

    The verification itself is audited (Art. 5(2)): an authority may ask
    when the trail was last checked, by whom, and with what result.
    """
    requests = SubjectRequest.objects.all()
    checked = requests.count()
    breaks = [{"reference": b.reference, "seq": b.seq, "problem": b.problem} for b in verify_all(requests)]
    return ChainVerification.objects.create(
        actor=actor, actor_label=actor.get_username(), checked=checked, breaks=breaks
    )


def verify_one(request: SubjectRequest) -> ChainBreak | None:
    """The chain of one request (for its evidence pack): the first broken link, or None."""
    return verify_request_chain(request)
