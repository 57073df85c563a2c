"""Who am I: the user and role behind the token in use."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from requests_app.accounts import roles
from requests_app.api.base import ApiMixin
from requests_app.api.serializers.me import MeSerializer


@extend_schema(tags=["tokens"])
class MeView(ApiMixin, APIView):
    """The user and role behind the token in use: a quick check that it works."""

    @extend_schema(summary="The token's user and role", responses=MeSerializer)
    def get(self, request):
        token = request.auth
        return Response(
            {
                "username": request.user.get_username(),
                "role": roles.role_of(request.user),
                "token": token.name,
                "token_expires_at": token.expires_at,
            }
        )
