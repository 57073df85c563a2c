from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from config.health import healthz
from requests_app.accounts import urls as accounts_urls
from requests_app.delivery import urls as delivery_urls
from requests_app.register import urls as register_urls

if settings.DSAR_REQUIRE_2FA:
    # The admin asks for the second factor too (django-otp).
    from django_otp.admin import OTPAdminSite

    admin.site.__class__ = OTPAdminSite

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("workspace/exports/", include(delivery_urls.workspace)),
    path("workspace/execution/", include("requests_app.execution.urls")),
    path("workspace/processing/", include("requests_app.gathering.urls")),
    path("workspace/api-tokens/", include(accounts_urls.api_tokens)),
    path("workspace/inbox/", include("requests_app.inbox.urls")),
    path("workspace/audit/", include("requests_app.audit.urls")),
    path("workspace/register/", include(register_urls.register)),
    path("workspace/sources/", include(register_urls.sources)),
    path("workspace/representation/", include("requests_app.representation.urls")),
    path("workspace/", include("requests_app.workspace.urls")),
    path("download/", include(delivery_urls.download)),
    path("forwarded/", include("requests_app.forwarding.urls")),
    path("api/v1/", include("requests_app.api.urls")),
    # ESP webhooks (inbound e-mail to the privacy address: requests_app.inbox.webhooks).
    path("anymail/", include("requests_app.inbox.webhook_urls")),
    path("demo/", include("dsar.demo.urls")),
    path("", include("requests_app.intake.urls")),
]

if not settings.PRODUCTION:
    # The local outbox of the embedded e-mail backend; never in production.
    urlpatterns.insert(0, path("dev/outbox/", include("config.dev_urls")))
