"""Single sign-on's pages, in the workspace's namespace: ``workspace:sso_start``,
``workspace:sso_callback`` (the redirect URI registered at the provider:
<SITE_URL>/workspace/sso/callback/) and ``workspace:sso_ended``."""

from django.urls import path

from requests_app.accounts.sso import views

sso_urlpatterns = [
    path("sso/start/", views.start, name="sso_start"),
    path("sso/callback/", views.callback, name="sso_callback"),
    path("sso/ended/", views.access_lost, name="sso_ended"),
]
