"""/workspace/api-tokens/: staff make and revoke their API tokens."""

from django.urls import path

from requests_app.api import views_tokens

app_name = "api_tokens"
urlpatterns = [
    path("", views_tokens.token_list, name="list"),
    path("<int:pk>/revoke/", views_tokens.token_revoke, name="revoke"),
]
