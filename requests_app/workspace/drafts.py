"""Translated starting points for messages to the subject.

The DPO picks one, edits it on the request page, and sends it; drafts are
rendered in the subject's language from ``templates/workspace/drafts/``.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from requests_app.models import ControllerProfile

DRAFTS = {
    "identity": _("Proof of identity"),
    "clarify": _("Clarify the request"),
    "rectification": _("Evidence for a correction"),
}


def render_draft(key: str, subject_request) -> tuple[str, str]:
    """(subject line, body) of a draft in the subject's language."""
    if key not in DRAFTS:
        return "", ""
    context = {"subject_request": subject_request, "controller": ControllerProfile.current()}
    with translation.override(subject_request.language):
        text = render_to_string(f"workspace/drafts/{key}.txt", context).strip()
    subject_line, _sep, body = text.partition("\n")
    return subject_line.strip(), body.strip() + "\n"
