"""The register's forms: a subject to preview, a configuration file to load."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from requests_app.register.services import MAX_FILE_BYTES


class PreviewForm(forms.Form):
    """Who to look for: at least one identifier, as the subject would give it."""

    email = forms.EmailField(label=_("E-mail address"), required=False, max_length=254)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=32)
    customer_number = forms.CharField(label=_("Customer number"), required=False, max_length=64)
    national_number = forms.CharField(label=_("National number"), required=False, max_length=20)

    def clean(self):
        cleaned = super().clean()
        identity = {name: (value or "").strip() for name, value in cleaned.items() if (value or "").strip()}
        if not identity and not self.errors:
            raise forms.ValidationError(
                _("Give at least one identifier: an e-mail address, a phone, a customer number or a national number.")
            )
        cleaned["identity"] = identity
        return cleaned


class UploadForm(forms.Form):
    """A configuration file (YAML, as ``dsar_config load`` reads it)."""

    file = forms.FileField(label=_("Configuration file (YAML)"))
    prune = forms.BooleanField(
        label=_("Also remove what the file no longer declares"),
        required=False,
        help_text=_(
            "What requests still refer to is switched off or retired instead of removed, so old requests stay readable."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("The file is larger than 1 MB: a configuration file is much smaller."))
        try:
            text = upload.read().decode("utf-8")
        except UnicodeDecodeError:
            raise forms.ValidationError(
                _("The file is not text in UTF-8: save it as UTF-8 and upload it again.")
            ) from None
        if not text.strip():
            raise forms.ValidationError(_("The file is empty."))
        self.cleaned_data["text"] = text
        return upload
