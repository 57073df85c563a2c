"""mozilla-django-oidc's backend, keyed on the provider's subject, with roles
from its groups claim and accounts made at the first sign-in."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from requests_app.accounts.sso import provider, services
from requests_app.accounts.sso.models import SsoAccount, SsoEvent

# Why a sign-in was refused, for the callback view's page (request attribute).
REFUSAL_ATTR = "_sso_refusal"
NO_ROLE = "no_role"
INACTIVE = "inactive"


class SsoBackend(OIDCAuthenticationBackend):
    get_settings = staticmethod(provider.get_setting)

    def get_token(self, payload: dict[str, Any]) -> dict[str, Any]:
        tokens = super().get_token(payload)
        # Kept on the request for the callback view, which stores them in the
        # session after login() (which may renew the session).
        self.request._sso_tokens = tokens
        return tokens

    def store_tokens(self, _access_token: str, _id_token: str) -> None:
        """Nothing in clear in the session: the callback view stores them encrypted."""

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        payload = super().verify_token(token, **kwargs)
        # mozilla-django-oidc checks the signature, the expiry and the nonce;
        # OpenID Connect Core §3.1.3.7 also asks for the issuer and the audience.
        if str(payload.get("iss", "")).rstrip("/") != settings.DSAR_OIDC_ISSUER:
            raise SuspiciousOperation("The ID token was issued by another provider.")
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if settings.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("The ID token was issued for another client.")
        return payload

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        if not claims.get("sub"):
            return False
        granted = provider.roles_from_claims(claims)
        if not granted:
            self.request._sso_refusal = NO_ROLE
            account = self._account(claims)
            if account is not None:
                had = services.apply_roles(account.user, set())
                if had:
                    services.record(
                        SsoEvent.Kind.ACCESS_LOST, user=account.user, detail=f"no_role; was {services.describe(had)}"
                    )
            services.record(
                SsoEvent.Kind.REFUSED,
                user=account.user if account else None,
                username=self._username_hint(claims),
                detail=NO_ROLE,
            )
            return False
        self.request._sso_roles = granted
        return True

    def filter_users_by_claims(self, claims: dict[str, Any]):
        account = self._account(claims)
        users = get_user_model().objects.filter(pk=account.user_id) if account else get_user_model().objects.none()
        return users

    def create_user(self, claims: dict[str, Any]):
        user_model = get_user_model()
        with transaction.atomic():
            user = user_model(username=self._free_username(claims))
            self._copy_profile(user, claims)
            # The identity provider authenticates this person: no password at
            # the desk, so the password form cannot sign them in.
            user.set_unusable_password()
            user.save()
            SsoAccount.objects.create(
                user=user, issuer=settings.DSAR_OIDC_ISSUER, subject=claims["sub"], last_sign_in_at=timezone.now()
            )
            services.apply_roles(user, self.request._sso_roles)
            services.record(SsoEvent.Kind.ACCOUNT_CREATED, user=user, detail=services.describe(self.request._sso_roles))
        return user

    def update_user(self, user, claims: dict[str, Any]):
        if not user.is_active:
            # A DPO switched the account off in the admin: the provider cannot switch it on.
            self.request._sso_refusal = INACTIVE
            services.record(SsoEvent.Kind.REFUSED, user=user, detail=INACTIVE)
            raise SuspiciousOperation("The desk account is deactivated.")
        self._copy_profile(user, claims)
        user.save(update_fields=["email", "first_name", "last_name"])
        granted = self.request._sso_roles
        had = services.apply_roles(user, granted)
        if had != granted:
            services.record(
                SsoEvent.Kind.ROLE_CHANGED,
                user=user,
                detail=f"{services.describe(had)} -> {services.describe(granted)}",
            )
        SsoAccount.objects.filter(user=user).update(last_sign_in_at=timezone.now())
        return user

    # --------------------------------------------------------------------------
    def _account(self, claims: dict[str, Any]) -> SsoAccount | None:
        return (
            SsoAccount.objects.select_related("user")
            .filter(issuer=settings.DSAR_OIDC_ISSUER, subject=str(claims.get("sub", "")))
            .first()
        )

    @staticmethod
    def _username_hint(claims: dict[str, Any]) -> str:
        hint = claims.get("preferred_username") or claims.get("email") or ""
        return str(hint)[:150]

    def _free_username(self, claims: dict[str, Any]) -> str:
        user_model = get_user_model()
        base = (self._username_hint(claims) or "sso-user")[:140]
        candidate = base
        while user_model.objects.filter(username=candidate).exists():
            # An existing password account of that name is not taken over:
            # the SSO account gets a name of its own.
            candidate = f"{base}-{get_random_string(6).lower()}"
        return candidate

    @staticmethod
    def _copy_profile(user, claims: dict[str, Any]) -> None:
        user.email = str(claims.get("email") or "")[:254]
        user.first_name = str(claims.get("given_name") or "")[:150]
        user.last_name = str(claims.get("family_name") or "")[:150]
