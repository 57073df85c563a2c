"""Single sign-on for staff with OpenID Connect (mozilla-django-oidc).

Configured by environment variables (config/settings.py, DSAR_OIDC_*); off
when DSAR_OIDC_ISSUER is empty. The identity provider's groups give the desk's
roles; an account is made at the first sign-in; every request of an SSO session
asks the provider again (``middleware``), so a person removed from the group
loses access at their next request. The README says how to connect a provider.
"""
