"""Reading a raw e-mail (RFC 5322) into what the triage needs.

The standard library parses; nh3 (the Ammonia sanitiser) turns HTML into
text, so that nothing a sender wrote runs in the DPO's browser.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import html
import re
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import getaddresses, parseaddr, parsedate_to_datetime

import nh3
from django.utils import timezone


@dataclass
class ParsedAttachment:
    name: str
    data: bytes


@dataclass
class ParsedMail:
    sender: str
    sender_name: str
    subject: str
    text: str
    message_id: str = ""
    in_reply_to: str = ""
    references: str = ""
    arrived_at: dt.datetime | None = None
    attachments: list[ParsedAttachment] = field(default_factory=list)
    automatic: str = ""  # why the loop guard keeps it out, or ""


# Senders that never write requests: delivery reports and robots (RFC 3464, RFC 5321 4.5.5).
_ROBOT_LOCAL_PARTS = re.compile(r"^(mailer-daemon|postmaster|bounces?|no-?reply|do-?not-?reply)([+-].*)?$", re.I)
_BULK_PRECEDENCE = {"bulk", "junk", "list", "auto_reply"}


def loop_guard(message: EmailMessage, sender: str) -> str:
    """Why this message must not become an item (and never be answered), or "".

    An acknowledgement sent to an auto-reply would be answered by another
    auto-reply, for ever: RFC 3834 asks responders to skip automatic mail.
    """
    auto_submitted = str(message.get("Auto-Submitted", "")).strip().lower()
    if auto_submitted and auto_submitted != "no":
        return "auto-submitted"
    if str(message.get("Precedence", "")).strip().lower() in _BULK_PRECEDENCE:
        return "precedence"
    if message.get("X-Autoreply") or message.get("X-Autorespond") or message.get("List-Id"):
        return "autoreply-or-list"
    if message.get_content_type() == "multipart/report":
        return "delivery-report"
    return_path = str(message.get("Return-Path", "")).strip()
    if return_path == "<>":
        return "null-sender"
    if not sender or _ROBOT_LOCAL_PARTS.match(sender.partition("@")[0]):
        return "robot-sender"
    return ""


def html_to_text(markup: str) -> str:
    """Sanitised text of an HTML part: nh3 keeps no tag at all (and drops
    scripts and styles with their content); block ends become line breaks first."""
    markup = re.sub(r"(?i)</(p|h[1-6])>", "\n\n", markup)
    markup = re.sub(r"(?i)<br\s*/?>|</(div|li|tr)>", "\n", markup)
    text = html.unescape(nh3.clean(markup, tags=set()))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(line.rstrip() for line in text.splitlines())).strip()


def _body_text(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        content = part.get_content()
    except (LookupError, UnicodeDecodeError):
        content = part.get_payload(decode=True).decode("utf-8", "replace")
    if part.get_content_type() == "text/html":
        return html_to_text(content)
    return content.strip()


def _arrival(message: EmailMessage) -> dt.datetime | None:
    """When the mail reached our mailbox: the date our own server wrote in the
    topmost Received header, else the sender's Date header."""
    candidates = []
    received = message.get_all("Received") or []
    if received:
        candidates.append(str(received[0]).rpartition(";")[2].strip())
    candidates.append(str(message.get("Date", "")))
    for value in candidates:
        try:
            moment = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            continue
        if moment is not None:
            return moment if timezone.is_aware(moment) else timezone.make_aware(moment, dt.UTC)
    return None


def parse_message(raw: bytes) -> ParsedMail:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    name, address = parseaddr(str(message.get("Reply-To") or message.get("From", "")))
    if not address:
        name, address = parseaddr(str(message.get("From", "")))
    from_name, from_address = parseaddr(str(message.get("From", "")))
    attachments = []
    for part in message.iter_attachments():
        data = part.get_payload(decode=True)
        if isinstance(data, bytes) and data:
            attachments.append(ParsedAttachment(name=part.get_filename() or "attachment", data=data))
    references = " ".join(addr for _, addr in getaddresses([str(message.get("References", ""))]) if addr)
    return ParsedMail(
        sender=address.strip().lower(),
        sender_name=(name or from_name).strip()[:200],
        subject=str(message.get("Subject", "")).strip()[:300],
        text=_body_text(message)[:20000],
        message_id=str(message.get("Message-ID", "")).strip()[:998],
        in_reply_to=str(message.get("In-Reply-To", "")).strip()[:998],
        references=str(message.get("References", "")).strip() or references,
        arrived_at=_arrival(message),
        attachments=attachments,
        automatic=loop_guard(message, from_address.strip().lower()),
    )
