"""What every API view shares: token authentication, staff throttle,
pagination, JSON errors (with a message per field) and their schema, the JSON
404 for unknown paths, and the helpers and serializers several resources use."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.throttling import BaseThrottle, UserRateThrottle
from rest_framework.views import exception_handler

from requests_app.api.authentication import BearerTokenAuthentication
from requests_app.permissions import IsStaffMember
from requests_app.workflow import ActionForbidden, WorkflowError

log = logging.getLogger(__name__)


class BadRequest(exceptions.APIException):
    """Refused input that no single field explains; ``detail`` says why."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = _("The request could not be carried out.")
    default_code = "invalid"


class Conflict(exceptions.APIException):
    """The request's current state does not allow the action (e.g. approve a closed request)."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = _("This action is not possible in the current state.")
    default_code = "conflict"


def api_exception_handler(exc, context):
    """DRF's handler, plus the workflow's and Django's own errors, as JSON."""
    if isinstance(exc, ActionForbidden | DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, WorkflowError):
        exc = BadRequest(str(exc))
    elif isinstance(exc, DjangoValidationError):
        exc = (
            exceptions.ValidationError(exc.message_dict)
            if hasattr(exc, "error_dict")
            else BadRequest(" ".join(exc.messages))
        )
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, ProtectedError):
        exc = Conflict(_("Other records still use this one: disable it instead of deleting it."))
    return exception_handler(exc, context)


class DownloadRenderer(BaseRenderer):
    """Lets a client ask for the file's own type (Accept: application/pdf);
    errors on that route are still JSON."""

    media_type = "*/*"
    format = "download"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return JSONRenderer().render(data)


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class FailOpenThrottleMixin:
    """A throttle that lets the request through when the cache is down.

    The throttles count in the default cache (Redis in production). An outage
    there must not turn every API call into a 500: a subject's request must
    still be received (Art. 12(2)), and the intake's own rate limits fail open
    the same way (requests_app.intake.ratelimit). The outage is logged."""

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except Exception as exc:
            log.warning("API throttle %s not checked: the cache is unavailable (%s).", self.scope, type(exc).__name__)
            return True


class StaffThrottle(FailOpenThrottleMixin, UserRateThrottle):
    scope = "staff"

    def get_rate(self):
        return settings.DSAR_API_STAFF_RATE


class PublicSubmitThrottle(BaseThrottle):
    """A flood guard per IP on the public intake, before the form's own rate
    limits: every attempt counts, an invalid one too.

    Counted by the intake's rate limiter (``requests_app.intake.ratelimit``):
    one Redis round trip (SET NX, INCR) in a fixed window, instead of DRF's
    read and rewrite of a list of timestamps (two round trips, and two
    concurrent attempts could both pass on the last slot); it fails open the
    same way when the cache is down. ``DSAR_API_PUBLIC_RATE`` keeps DRF's
    format ("20/minute").

    The same round trip counts the intake's own limits for the submission
    (per visitor, per e-mail address: ``ratelimit.count_ahead``) and reads
    the versions of the form's register and of the webhook subscriptions:
    one round trip to Redis for all of a submission (issue 17). A submission
    refused before it counts (invalid, a bot, this guard) gives those counts
    back (``requests_app.api.intake.submit``)."""

    scope = "public_submit"

    def allow_request(self, request, view):
        from requests_app.intake import services
        from requests_app.intake.views import client_ip

        count, _slash, period = settings.DSAR_API_PUBLIC_RATE.partition("/")
        guard = [(f"api-{self.scope}", self.get_ident(request), [f"{count.strip()}/{period.strip()[:1]}"])]
        submitter, unreadable = _submitter(request)
        self.retry_after, counted, register_version = services.count_ahead(
            client_ip=client_ip(request), submitter=submitter, guard=guard, what=f"API throttle {self.scope}"
        )
        # The form's register version (``requests_app.api.intake.submit`` hands it to the form).
        request.intake_register_version = register_version
        if self.retry_after:
            if counted is not None:
                counted.give_back()
            return False
        if unreadable is not None:
            raise unreadable  # counted by the guard, then answered as the view would have
        request.intake_counted = counted
        return True

    def wait(self):
        return self.retry_after


def _submitter(request) -> tuple[str | None, Exception | None]:
    """The address the intake's limit counts (the representative's when one
    asks for the subject), as sent, or None when the body does not tell
    (the submission then counts its limits itself, if it gets that far);
    and the error that reading a body that is not JSON raised, if any."""
    try:
        data = request.data
    except exceptions.APIException as exc:
        return None, exc
    if not isinstance(data, dict) or hasattr(data, "getlist"):
        return None, None
    representative = data.get("representative")
    email = representative.get("email") if isinstance(representative, dict) else data.get("email")
    return (email if isinstance(email, str) else None), None


class ErrorSerializer(serializers.Serializer):
    """An error: ``detail`` says what went wrong; on invalid input, each field
    that was wrong has its own list of messages."""

    detail = serializers.CharField(required=False, help_text="What went wrong, in plain words.")


ERROR_DESCRIPTIONS = {
    "400": "Invalid input: a list of messages per field (or under `detail`).",
    "401": "No token, or a token that is invalid, expired or revoked.",
    "403": "Your role does not allow this.",
    "404": "Not found.",
    "409": "Not possible in the current state.",
    "429": "Too many requests: retry after the number of seconds in Retry-After.",
}


class ApiAutoSchema(AutoSchema):
    """The schema of an operation as a client generator needs it: the error
    responses every endpoint can give (so that clients, and the schemathesis
    run in CI, know their shape), one request content type (JSON, multipart
    only where files are sent), JSON for every error, no ``format`` query
    parameter, and the operation's name from ``operations.OPERATIONS``."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        # 404 everywhere: an unknown object, a page past the end of a list.
        codes = ["400", "401", "403", "404", "429"] if self._has_auth() else ["400", "404", "429"]
        if self.method not in ("GET", "HEAD"):
            codes.append("409")
        for code in codes:
            if code not in responses:
                response = self._get_response_for_code(ErrorSerializer, code, direction=direction)
                response["description"] = ERROR_DESCRIPTIONS[code]
                responses[code] = response
        return responses

    def _has_auth(self) -> bool:
        return bool(self.get_auth())

    def _get_request_body(self, direction="request"):
        body = super()._get_request_body(direction)
        if body is not None and self.method in ("POST", "PUT"):
            # A POST or PUT with a body declared needs one (an empty object at
            # least, where every field is optional); only PATCH may send none.
            body["required"] = True
        return body

    def map_parsers(self):
        # The views still parse forms where they always did (existing clients
        # keep working), but the contract names one content type per
        # operation: a generator given three writes a client that cannot
        # import, or that sends the wrong encoding.
        parsers = super().map_parsers()
        return ["application/json"] if "application/json" in parsers else parsers[:1]

    def map_renderers(self, attribute):
        # Downloads also answer ``*/*`` (the file's own type): their 200 is
        # declared per media type in the view; errors are JSON everywhere.
        return [r for r in super().map_renderers(attribute) if r not in ("*/*", "download")]

    def _get_format_parameters(self):
        # ``?format=`` only chose between JSON and the file on the downloads;
        # the file's type is fixed by the URL, so the parameter is noise.
        return []

    def _operation(self):
        from requests_app.api.operations import OPERATIONS

        key = super().get_operation_id()
        if key not in OPERATIONS:
            raise LookupError(f"{key}: name this operation in requests_app/api/operations.py")
        return OPERATIONS[key]

    def get_operation_id(self):
        return self._operation().operation_id

    def get_summary(self):
        return super().get_summary() or self._operation().summary or None

    def get_description(self):
        # The action's own docstring, else the table's words, else the view's.
        method = getattr(self.view, getattr(self.view, "action", self.method.lower()), None)
        if method is not None and method.__doc__:
            return super().get_description()
        return self._operation().description or super().get_description()


class ApiMixin:
    """Staff endpoints: a Bearer token of a user with a role in the workspace."""

    authentication_classes = [BearerTokenAuthentication]
    permission_classes = [IsStaffMember]
    throttle_classes = [StaffThrottle]
    pagination_class = Pagination
    schema = ApiAutoSchema()

    def get_exception_handler(self):
        return api_exception_handler


@csrf_exempt  # an API path: no cookies, so no CSRF; answer 404 whatever the method
def not_found(request, *args, **kwargs):
    return JsonResponse({"detail": gettext("Not found.")}, status=404)


def paginated(view, queryset, serializer_class, **context):
    """One page of ``queryset``, serialized, in the paginated envelope."""
    page = view.paginate_queryset(queryset)
    data = serializer_class(page, many=True, context={"request": view.request, **context}).data
    return view.get_paginated_response(data)


# A numeric id in a URL path (a plan item, a notice, an attachment...).
ID = r"[0-9]+"


def id_parameter(name: str) -> OpenApiParameter:
    return OpenApiParameter(name, OpenApiTypes.INT, OpenApiParameter.PATH)


class EmptySerializer(serializers.Serializer):
    pass


class UsernameField(serializers.SlugRelatedField):
    """A staff member named by user name."""

    def __init__(self, **kwargs):
        kwargs.setdefault("slug_field", "username")
        kwargs.setdefault("queryset", get_user_model().objects.filter(is_active=True))
        super().__init__(**kwargs)
