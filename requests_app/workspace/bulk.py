"""Bulk actions of the queue: assign, extend or close the selected requests
with one reason.

Each request goes through the same workflow function as the single action on
its page (``workflow.assign``, ``workflow.extend``, ``workflow.close``), one
transaction each: the same permission check (``permissions.can_take``), the
same validation, the same audit event, the same e-mail to the subject. One
refusal stops nothing else; the page that follows says, request by request,
what was done and what was refused and why.
"""

from __future__ import annotations

from functools import lru_cache

from django import forms
from django.http import Http404, QueryDict
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, translation
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from requests_app import permissions, workflow
from requests_app.permissions import get_request_for_user, staff_view
from requests_app.workspace import selectors

# No more than the largest page of the queue: what one can tick on one page.
MAX_REQUESTS = 200
ACTIONS = (
    ("assign", gettext_lazy("Assign")),
    ("extend", gettext_lazy("Extend the legal deadline")),
    ("close", gettext_lazy("Close")),
)


class BulkActionForm(forms.Form):
    action = forms.ChoiceField(label=gettext_lazy("Action"), choices=ACTIONS)
    assignee = forms.ModelChoiceField(
        label=gettext_lazy("Assign to"),
        queryset=selectors.staff_members(),
        required=False,
        empty_label=gettext_lazy("(nobody)"),
    )
    months = forms.TypedChoiceField(
        label=gettext_lazy("Extend by"),
        coerce=int,
        choices=[(1, gettext_lazy("1 month")), (2, gettext_lazy("2 months"))],
        required=False,
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason (sent to the subject when extending, or when closing an unanswered request)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # The queue's filters, to go back to the same list afterwards.
    query = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.references: list[str] = []
        if self.is_bound:
            # Ticked rows, in the page's order, once each; a reference is matched exactly later.
            picked = self.data.getlist("reference") if isinstance(self.data, QueryDict) else []
            self.references = list(dict.fromkeys(ref.strip().upper() for ref in picked if ref.strip()))

    def clean(self):
        data = super().clean()
        if not self.references:
            raise forms.ValidationError(_("Tick at least one request in the queue."))
        if len(self.references) > MAX_REQUESTS:
            raise forms.ValidationError(
                _("At most %(n)d requests at a time: narrow the selection.") % {"n": MAX_REQUESTS}
            )
        action = data.get("action")
        reason = (data.get("reason") or "").strip()
        data["reason"] = reason
        if action == "extend":
            # Art. 12(3): the subject is told the reasons of the extension.
            if not data.get("months"):
                self.add_error("months", _("Choose one or two months."))
            if not reason:
                self.add_error("reason", _("Give the reasons for the extension: the subjects will receive them."))
        if action == "close" and len(reason) > 500:
            self.add_error("reason", _("A reason for closing is at most 500 characters."))
        if action == "assign" and not permissions.can_assign_others(self.user):
            # As on the request page: an agent takes requests, only a DPO gives them to someone else.
            if data.get("assignee") != self.user:
                self.add_error("assignee", _("You can only assign requests to yourself."))
        return data

    @property
    def back_query(self) -> str:
        """The queue's query string, re-read as the queue reads it (nothing else is echoed)."""
        raw = (self.cleaned_data if hasattr(self, "cleaned_data") else {}).get("query") or self.data.get("query", "")
        filters = selectors.QueueFilters.from_query(QueryDict(str(raw)[:2000]))
        from requests_app.workspace.queue import query_string

        return query_string(filters)


def unbound_fields(staff: list) -> SafeString:
    """The form's fields, empty, as the queue shows them under its list, for
    ``staff`` (the queue's own assignee menu: no query of their own).

    Rendered through Django's widget templates once per language and list of
    people in the process: every queue page showed the same form, and
    rendering it was a fifth of the page's time. What is submitted is read by
    a bound ``BulkActionForm``, with its own query of the staff.
    """
    people = tuple((person.pk, BulkActionForm.base_fields["assignee"].label_from_instance(person)) for person in staff)
    return _unbound_fields(translation.get_language(), people)


@lru_cache(maxsize=32)
def _unbound_fields(language: str, people: tuple[tuple[int, str], ...]) -> SafeString:
    # ``language`` is part of the key: the labels are rendered in the active one.
    form = BulkActionForm(user=None, auto_id="bulk_%s")
    assignee = form.fields["assignee"]
    assignee.choices = [("", assignee.empty_label), *people]
    return render_to_string("workspace/_bulk_fields.html", {"form": form})


def _act(subject_request, *, action: str, user, data: dict) -> str:
    """One request, through the workflow function the request page uses; the message when done."""
    if action == "assign":
        workflow.assign(subject_request, actor=user, assignee=data["assignee"])
        return _("Assigned.")
    if action == "extend":
        subject_request = workflow.extend(subject_request, actor=user, months=data["months"], reason=data["reason"])
        return _("Deadline extended to %(date)s; the subject is told why.") % {
            "date": formats.date_format(subject_request.due_date, "SHORT_DATE_FORMAT")
        }
    workflow.close(subject_request, actor=user, reason=data["reason"])
    return _("Closed.")


def apply(form: BulkActionForm) -> list[dict]:
    """Run the action on each selected request; what happened to each."""
    results = []
    for reference in form.references:
        try:
            subject_request = get_request_for_user(form.user, reference, write=True)
        except Http404:
            results.append({"reference": reference, "done": False, "message": _("No request has this reference.")})
            continue
        url = reverse("workspace:request", args=[subject_request.reference])
        try:
            message = _act(subject_request, action=form.cleaned_data["action"], user=form.user, data=form.cleaned_data)
        except workflow.WorkflowError as exc:
            # ActionForbidden is a WorkflowError: the workflow has recorded the refusal in the trail.
            results.append({"reference": reference, "url": url, "done": False, "message": str(exc)})
        else:
            results.append({"reference": reference, "url": url, "done": True, "message": message})
    return results


@require_POST
@staff_view(write=True)
def bulk_action(request):
    form = BulkActionForm(request.POST, user=request.user, auto_id="bulk_%s")
    if not form.is_valid():
        # Shown again with what was ticked and typed, so nothing is lost.
        return render(request, "workspace/bulk.html", {"form": form, "results": None}, status=400)
    results = apply(form)
    return render(
        request,
        "workspace/bulk.html",
        {
            "form": form,
            "results": results,
            "done": sum(1 for r in results if r["done"]),
            "refused": sum(1 for r in results if not r["done"]),
            "action_label": dict(ACTIONS)[form.cleaned_data["action"]],
        },
    )
