"""The one rule for a person's name, shared by the web form and the API.

A name is shown to the DPO, printed on the copy and written in e-mails. So it
is stored in Unicode NFC (the same name typed on two keyboards is the same
string, which matters to match it across sources and to rectify it, Art. 16
GDPR), and characters that change how other text is shown are refused:
control characters (CR/LF split e-mail headers and log lines), the bidi
overrides and isolates that make "Jan‮gpj.exe" read as something else, and a
name of only invisible characters.
"""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# U+202A-U+202E (embeddings and overrides) and U+2066-U+2069 (isolates).
BIDI_CONTROLS = frozenset(chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)])


def clean_person_name(value: str) -> str:
    """The name in NFC with runs of spaces made one; ValidationError if it cannot be a name."""
    value = unicodedata.normalize("NFC", value or "")
    if any(unicodedata.category(char) == "Cc" for char in value):
        raise ValidationError(
            _("A name cannot contain line breaks, tabs or other control characters."), code="control_characters"
        )
    if any(char in BIDI_CONTROLS for char in value):
        raise ValidationError(
            _("A name cannot contain characters that change the direction of the text (U+202A-U+202E, U+2066-U+2069)."),
            code="bidi_controls",
        )
    value = " ".join(value.split())
    # Zero-width joiners belong in some scripts' names; a name made of
    # invisible characters alone does not name anyone.
    if value and not any(unicodedata.category(char) not in ("Cf", "Zs", "Mn", "Me") for char in value):
        raise ValidationError(_("Enter a name with visible letters."), code="invisible")
    return value


# The extension each accepted attachment type is saved under (see
# requests_app.intake.forms.sniff_content_type: the type is read from the
# file's first bytes, never from its name).
EXTENSIONS = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg", "text/plain": ".txt"}


def attachment_filename(name: str, content_type: str) -> str:
    """The sender's name with the extension of the detected type.

    ``poly.html`` that is really plain text becomes ``poly.txt``: whoever
    downloads it opens it as what it is, never as a page or a program."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    stem = base.rsplit(".", 1)[0] if "." in base.lstrip(".") else base.lstrip(".")
    stem = "".join(char for char in stem if unicodedata.category(char)[0] != "C" and char not in BIDI_CONTROLS)
    stem = stem.strip(" .") or "attachment"
    extension = EXTENSIONS.get(content_type, ".bin")
    return stem[: 200 - len(extension)] + extension
