"""Security headers Django and django-csp do not set themselves."""

from django.conf import settings


class PermissionsPolicyMiddleware:
    """``Permissions-Policy`` on every response: no page of the desk needs the
    camera, the microphone, the location or payment, so none may use them, nor
    anything a third party could inject (Art. 25 GDPR: data protection by
    default, Art. 32: security of processing)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
