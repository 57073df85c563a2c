"""Under /api/ every answer is JSON, hostile input included.

The API promises JSON errors; a client (or an attacker probing it) must never
get Django's HTML error pages, which also say more than they should. Three
layers, from the outside in:

- ``ApiErrorMiddleware``: a body over the limit is refused with 413 before any
  view reads it, and an exception no view handled becomes a JSON 400/413/500;
- ``StrictJSONParser`` (DRF's default parser here): JSON nested deeper than
  ``DSAR_API_MAX_JSON_DEPTH``, invalid UTF-8 and lone surrogates (``\\ud800``,
  valid JSON but not text any database can store) are a 400 with plain words;
- the views' own exception handler (requests_app.api.base) for the rest.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation, TooManyFieldsSent
from django.http import JsonResponse
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser
from rest_framework.utils import json

log = logging.getLogger(__name__)

API_PREFIX = "/api/"


def _too_large() -> JsonResponse:
    limit_mb = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / (1024 * 1024)
    return JsonResponse(
        {"detail": _("The request body is larger than %(limit)s MB.") % {"limit": f"{limit_mb:g}"}}, status=413
    )


class ApiErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(API_PREFIX):
            # A JSON or form body is read into memory whole: refuse it by its
            # declared length, before anything reads it. Multipart bodies are
            # limited per field and per file by the upload handlers instead.
            content_type = request.META.get("CONTENT_TYPE", "")
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
            if limit is not None and length > limit and not content_type.startswith("multipart/"):
                return _too_large()
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not request.path.startswith(API_PREFIX):
            return None
        if isinstance(exception, RequestDataTooBig):
            return _too_large()
        if isinstance(exception, TooManyFieldsSent | SuspiciousOperation):
            return JsonResponse({"detail": _("The request was refused as malformed.")}, status=400)
        if isinstance(exception, RecursionError):
            return JsonResponse({"detail": _depth_message()}, status=400)
        if isinstance(exception, UnicodeError):
            return JsonResponse({"detail": _unicode_message()}, status=400)
        # Anything else is our fault: logged in full, answered in JSON without details.
        log.exception("Unhandled error on %s %s", request.method, request.path)
        return JsonResponse({"detail": _("An unexpected error occurred; it has been logged.")}, status=500)


def _depth_message() -> str:
    return _("The JSON body nests deeper than %(depth)s levels.") % {"depth": settings.DSAR_API_MAX_JSON_DEPTH}


def _unicode_message() -> str:
    return _("The body contains text that is not valid Unicode (for example a lone surrogate such as \\ud800).")


def check_json_value(value, *, max_depth: int) -> None:
    """Refuse too deep nesting and strings that are not valid Unicode.

    Iterative, so that a hostile depth cannot exhaust Python's stack here."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > max_depth:
                raise ParseError(_depth_message())
            children = list(item.items()) if isinstance(item, dict) else [(None, v) for v in item]
            for key, child in children:
                if isinstance(key, str):
                    stack.append((key, depth))
                stack.append((child, depth + 1))
        elif isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                raise ParseError(_unicode_message()) from None


class StrictJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        raw = stream.read() if stream is not None else b""
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise ParseError(_unicode_message()) from None
        if not text.strip():
            raise ParseError(_("The body is empty: send a JSON object."))
        # A cheap bound before parsing: the nesting cannot be deeper than the
        # number of opening brackets, and json's decoder recurses on each.
        if text.count("[") + text.count("{") > settings.DSAR_API_MAX_JSON_DEPTH:
            depth, deepest = 0, 0
            in_string = escaped = False
            for char in text:
                if in_string:
                    if escaped:
                        escaped = False
                    elif char == "\\":
                        escaped = True
                    elif char == '"':
                        in_string = False
                elif char == '"':
                    in_string = True
                elif char in "[{":
                    depth += 1
                    deepest = max(deepest, depth)
                    if deepest > settings.DSAR_API_MAX_JSON_DEPTH:
                        raise ParseError(_depth_message())
                elif char in "]}":
                    depth -= 1
        try:
            value = json.loads(text, parse_constant=json.strict_constant if self.strict else None)
        except RecursionError:
            raise ParseError(_depth_message()) from None
        except ValueError as exc:
            raise ParseError(_("The body is not valid JSON (%(error)s).") % {"error": exc}) from None
        check_json_value(value, max_depth=settings.DSAR_API_MAX_JSON_DEPTH)
        return value
