"""URLs of the accounts.

The sign-in pages keep their names in the workspace's namespace
(``workspace:login``, ``workspace:logout``, ``workspace:two_factor``):
requests_app.workspace.urls includes ``sign_in_urlpatterns`` under /workspace/.
The API tokens' pages are at /workspace/api-tokens/ (config/urls.py), in the
``api_tokens`` namespace.
"""

from django.urls import path

from requests_app.accounts import views
from requests_app.accounts.sso.urls import sso_urlpatterns

sign_in_urlpatterns = [
    path("sign-in/", views.sign_in, name="login"),
    path("sign-out/", views.sign_out, name="logout"),
    path("two-factor/", views.two_factor, name="two_factor"),
    *sso_urlpatterns,
]

api_tokens_urlpatterns = [
    path("", views.token_list, name="list"),
    path("<int:pk>/revoke/", views.token_revoke, name="revoke"),
]
api_tokens = (api_tokens_urlpatterns, "api_tokens")
