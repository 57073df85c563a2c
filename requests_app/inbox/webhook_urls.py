"""The ESPs' inbound webhooks (django-anymail), at /anymail/.

Only the inbound routes of the providers the inbox is tested with: the
privacy mailbox needs no tracking webhooks, and every route mounted is one
more door (each is guarded by the provider's signature or anymail's
WEBHOOK_SECRET, checked by anymail itself).
"""

from anymail.webhooks.mailgun import MailgunInboundWebhookView
from anymail.webhooks.postmark import PostmarkInboundWebhookView
from anymail.webhooks.sendgrid import SendGridInboundWebhookView
from django.urls import path, re_path

app_name = "anymail"
urlpatterns = [
    re_path(r"^mailgun/inbound(_mime)?/$", MailgunInboundWebhookView.as_view(), name="mailgun_inbound_webhook"),
    path("postmark/inbound/", PostmarkInboundWebhookView.as_view(), name="postmark_inbound_webhook"),
    path("sendgrid/inbound/", SendGridInboundWebhookView.as_view(), name="sendgrid_inbound_webhook"),
]
