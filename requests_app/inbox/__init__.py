"""The privacy mailbox as a channel: incoming e-mail becomes an inbox item the
DPO triages (turn it into a request, attach it to one, or dismiss it).

No channel is compulsory for the subject (EDPB Guidelines 01/2022 on the
right of access, para. 52-56): a request e-mailed to the privacy address is a
request, and its deadline runs from the day it arrived (Art. 12(3)).

Ways in: ``parsing`` reads a raw RFC 5322 message, ``services.receive`` stores
it; ``imap`` polls a mailbox, ``webhooks`` takes django-anymail's inbound
signal, ``manage.py inbox_import`` reads files.
"""
