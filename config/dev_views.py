"""The local outbox: read the e-mails the embedded backend wrote (not in production)."""

import email
import re
from email import policy

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_replace
from django.conf import settings
from django.http import Http404
from django.shortcuts import render

_NAME = re.compile(r"^[0-9]{8}-[0-9]{6}-[0-9a-f]{8}\.eml$")


def _messages():
    folder = settings.DSAR_OUTBOX_DIR
    if not folder.exists():
        return []
    return sorted((p for p in folder.iterdir() if _NAME.match(p.name)), reverse=True)


def _parse(path):
    message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    return {
        "name": path.name,
        "to": message["To"],
        "subject": message["Subject"],
        "date": message["Date"],
        "text": text.get_content() if text else "",
        "html": html.get_content() if html else "",
    }


def outbox(request):
    messages = [_parse(path) for path in _messages()[:200]]
    # The folder this process writes to (DSAR_VAR_DIR moves it), not a guess.
    return render(request, "dev/outbox.html", {"messages": messages, "outbox_dir": settings.DSAR_OUTBOX_DIR})


# The e-mail is shown in a sandboxed iframe (srcdoc), which inherits this
# page's Content-Security-Policy: e-mails carry inline styles, as mail clients
# need, so this development page allows them (scripts stay refused).
@csp_replace({"style-src": [SELF, UNSAFE_INLINE]})
def outbox_message(request, name):
    if not _NAME.match(name):
        raise Http404
    path = settings.DSAR_OUTBOX_DIR / name
    if not path.exists():
        raise Http404
    return render(request, "dev/outbox_message.html", {"message": _parse(path)})
