"""Real RFC 5322 messages, built the way mail clients build them (multipart,
HTML alternative, attachments), in nl, fr and de."""

from __future__ import annotations

from email.message import EmailMessage

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64

NL = (
    "Geachte heer, mevrouw,\n\nIk wil graag inzage in mijn gegevens die u van mij bewaart "
    "en een kopie van mijn gegevens.\n\nMet vriendelijke groeten,\nJan Peeters"
)
FR = (
    "Bonjour,\n\nJe vous demande de supprimer toutes mes données personnelles et "
    "d'effacer mon compte.\n\nCordialement,\nMarie Dubois"
)
DE = (
    "Sehr geehrte Damen und Herren,\n\nbitte berichtigen Sie meine Daten: meine Adresse ist falsch.\n\n"
    "Mit freundlichen Grüßen\nAnna Schmidt"
)


def build(
    *,
    sender: str = "Jan Peeters <jan@example.be>",
    subject: str = "Inzage in mijn gegevens",
    text: str = NL,
    html: str | None = None,
    attachments: tuple = (),
    message_id: str = "<m1@mail.example.be>",
    headers: dict | None = None,
    date: str = "Thu, 03 Dec 2026 23:30:00 +0000",
) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "privacy@dsar.localhost"
    message["Subject"] = subject
    message["Date"] = date
    if message_id:
        message["Message-ID"] = message_id
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(text)
    if html is not None:
        message.add_alternative(html, subtype="html")
    for filename, data, maintype, subtype in attachments:
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return message.as_bytes()
