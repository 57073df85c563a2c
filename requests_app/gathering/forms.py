"""What a person sends when completing a gathering's manual task (the page
and the API accept the same)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

# Files attached to a manual task: at most 20 of at most 25 MB each.
MAX_FILE_BYTES = 25 * 1024 * 1024
MAX_FILES = 20


class CompleteTaskForm(forms.Form):
    findings = forms.CharField(
        label=_("What you found"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Describe what you found, or write that nothing was found and what you searched."),
    )
    # The subject's copy then says "searched, nothing found" with 0 records,
    # and the note stays with the task (Art. 15(1): a truthful answer).
    nothing_found = forms.BooleanField(label=_("Nothing about the subject was found"), required=False)
