"""HTTP APIs (JSON) through httpx.

Configuration (``Connector.config``)::

    base_url: https://marketing.example.com/api      # "{site_url}" is this desk's SITE_URL
    headers: {Accept: application/json}
    secret_headers:                                   # values read from environment variables
      Authorization: {env: DSAR_SOURCE_MARKETING_API_TOKEN, prefix: "Bearer "}
    timeout: 10                                       # seconds per HTTP call
    pagination: {type: next, path: "$.next"}          # or {type: page, param: page, start: 1}
    resources:
      - name: contacts
        path: /contacts?email={email}                 # identity placeholders, URL-encoded
        records: "$.results[*]"                       # JSONPath (jsonpath-ng) to the records
        category: identification
    not_found_is_empty: true                          # a 404 means "no such subject"

A resource whose placeholders the subject's identity cannot fill is skipped
with a warning. Timeouts, connection failures, 429 and 5xx are transient (the
task retries them); other errors are explained in plain words.
"""

from __future__ import annotations

import json
import re
import string
from collections.abc import Iterator
from urllib.parse import quote, urljoin, urlsplit

import httpx
from django.conf import settings
from django.utils.translation import gettext_noop
from jsonpath_ng.exceptions import JsonPathParserError
from jsonpath_ng.ext import parse as parse_jsonpath
from jsonpath_ng.jsonpath import JSONPath

from dsar.connectors.base import (
    BaseConnector,
    ConnectorError,
    FindResult,
    FoundRecord,
    Message,
    SubjectIdentity,
    TransientConnectorError,
    register,
)
from dsar.connectors.secrets import env_problems, read_secret
from dsar.netpolicy import AddressRefused, check_url, policy_transport

MAX_PAGES = 1000
# For tests: an httpx transport to use instead of the network (the address
# policy is then the test's business).
transport: httpx.BaseTransport | None = None
# Header names that carry a credential (Authorization, Proxy-Authorization,
# Cookie, X-API-Key, X-Auth-Token, Private-Token, ...): their values belong in
# secret_headers, read from the environment.
SECRET_HEADER = re.compile(r"auth|cookie|token|secret|password|api-?key|^x-key$|session", re.IGNORECASE)
PLACEHOLDERS = {"email", "phone", "customer_number", "national_number", "full_name"}


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _jsonpath(expression: str, field: str) -> JSONPath:
    try:
        return parse_jsonpath(expression)
    except (JsonPathParserError, Exception) as exc:  # jsonpath-ng raises several types
        raise ConnectorError(f"{field}: '{expression}' is not a valid JSONPath ({type(exc).__name__}).") from None


def _cannot_connect(host: str) -> Message:
    return Message(gettext_noop("Cannot connect to %(host)s: is the service running and reachable?"), host=host)


def _refused_credentials(host: str, status: int) -> Message:
    return Message(
        gettext_noop("%(host)s refused the credentials (HTTP %(status)s): check the secret headers' variables."),
        host=host,
        status=status,
    )


@register
class HTTPConnector(BaseConnector):
    kind = "http"

    @classmethod
    def validate_config(cls, config: dict) -> list[tuple[str, str]]:
        errors: list[tuple[str, str]] = []
        base = config.get("base_url", "")
        if not isinstance(base, str) or not base:
            errors.append(("base_url", "The API's base URL is missing."))
        elif not base.replace("{site_url}", "http://x").startswith(("http://", "https://")):
            errors.append(("base_url", "The base URL must start with http:// or https:// (or {site_url})."))
        elif "@" in urlsplit(base.replace("{site_url}", "http://x")).netloc:
            errors.append(
                ("base_url", "The URL contains credentials: put them in secret_headers with an environment variable.")
            )
        for name in config.get("headers") or {}:
            if SECRET_HEADER.search(name):
                errors.append(
                    (
                        f"headers.{name}",
                        "This header carries a secret: move it to secret_headers with an environment variable.",
                    )
                )
        errors += env_problems(config)
        if isinstance(base, str) and base and not errors:
            # Where the calls go (dsar.netpolicy); "{site_url}" is this desk's own public address.
            try:
                check_url(base.replace("{site_url}", settings.SITE_URL))
            except AddressRefused as exc:
                errors.append(("base_url", str(exc)))
        resources = config.get("resources")
        if not isinstance(resources, list) or not resources:
            errors.append(("resources", "List at least one resource (name, path, records)."))
            return errors
        for index, resource in enumerate(resources):
            if not isinstance(resource, dict):
                errors.append((f"resources.{index}", "Each resource is a mapping (name, path, records)."))
                continue
            if not resource.get("name"):
                errors.append((f"resources.{index}.name", "Give the resource a name."))
            path = resource.get("path")
            if not isinstance(path, str):
                errors.append((f"resources.{index}.path", "Give the resource's path (with identity placeholders)."))
            else:
                unknown = _placeholders(path) - PLACEHOLDERS
                if unknown:
                    errors.append(
                        (
                            f"resources.{index}.path",
                            f"Unknown placeholder(s) {', '.join(sorted(unknown))}; use {', '.join(sorted(PLACEHOLDERS))}.",
                        )
                    )
            try:
                _jsonpath(resource.get("records", "$[*]"), "records")
            except ConnectorError as exc:
                errors.append((f"resources.{index}.records", str(exc)))
        pagination = config.get("pagination") or {}
        if pagination and pagination.get("type") not in ("next", "page"):
            errors.append(("pagination.type", "Use 'next' (a link to the next page) or 'page' (a page number)."))
        return errors

    def _base_url(self) -> str:
        return self.config.get("base_url", "").replace("{site_url}", settings.SITE_URL).rstrip("/") + "/"

    def _headers(self) -> dict[str, str]:
        headers = {"Accept": "application/json", **(self.config.get("headers") or {})}
        for name, value in (self.config.get("secret_headers") or {}).items():
            env, prefix = (value.get("env", ""), value.get("prefix", "")) if isinstance(value, dict) else (value, "")
            secret = read_secret(env)
            if not secret:
                raise ConnectorError(
                    Message(
                        gettext_noop(
                            "The environment variable %(variable)s (for the %(header)s header) is not set for the worker."
                        ),
                        variable=env,
                        header=name,
                    )
                )
            headers[name] = f"{prefix}{secret}"
        return headers

    def _client(self) -> httpx.Client:
        timeout = float(self.config.get("timeout") or min(self.model.timeout_seconds or 10, 30))
        return httpx.Client(
            base_url=self._base_url(),
            headers=self._headers(),
            timeout=httpx.Timeout(timeout),
            follow_redirects=False,
            # Each connection goes only to an address the sources' policy allows.
            transport=transport or policy_transport(),
        )

    def _host(self) -> str:
        return urlsplit(self._base_url()).netloc or "the API"

    def _too_large(self) -> ConnectorError:
        return ConnectorError(
            Message(
                gettext_noop(
                    "%(host)s sent more than %(limit)s MB for one call: the answer was not read "
                    "(DSAR_SOURCE_MAX_RESPONSE_BYTES). Ask for smaller pages."
                ),
                host=self._host(),
                limit=f"{settings.DSAR_SOURCE_MAX_RESPONSE_BYTES / (1024 * 1024):.3g}",
            )
        )

    def _read_capped(self, response: httpx.Response) -> bytes:
        """The body, read as a stream and refused past the limit, so that a huge
        or endless answer never fills the worker's memory."""
        limit = settings.DSAR_SOURCE_MAX_RESPONSE_BYTES
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise self._too_large()
        chunks, size = [], 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > limit:
                raise self._too_large()
            chunks.append(chunk)
        return b"".join(chunks)

    def _get(self, client: httpx.Client, url: str) -> httpx.Response | None:
        """One call, with failures in plain words (never the URL: it carries the identity)."""
        host = self._host()
        try:
            with client.stream("GET", url) as response:
                status = response.status_code
                content = self._read_capped(response) if status < 300 else b""
        except AddressRefused as exc:
            raise ConnectorError(
                Message(gettext_noop("%(host)s is refused: %(reason)s"), host=host, reason=str(exc))
            ) from None
        except httpx.TimeoutException:
            raise TransientConnectorError(
                Message(
                    gettext_noop("%(host)s did not answer within %(seconds)s s."),
                    host=host,
                    seconds=f"{client.timeout.read:g}",
                )
            ) from None
        except httpx.ConnectError:
            raise TransientConnectorError(_cannot_connect(host)) from None
        except httpx.HTTPError as exc:
            raise TransientConnectorError(
                Message(gettext_noop("The call to %(host)s failed (%(error)s)."), host=host, error=type(exc).__name__)
            ) from None
        if status == 404 and self.config.get("not_found_is_empty", True):
            return None
        if status in (401, 403):
            raise ConnectorError(_refused_credentials(host, status))
        if status == 429 or status >= 500:
            raise TransientConnectorError(
                Message(gettext_noop("%(host)s is unavailable for now (HTTP %(status)s)."), host=host, status=status)
            )
        if status >= 400:
            raise ConnectorError(
                Message(
                    gettext_noop("%(host)s refused the request (HTTP %(status)s): check the resource paths."),
                    host=host,
                    status=status,
                )
            )
        try:
            return json.loads(content)
        except ValueError:
            raise ConnectorError(
                Message(
                    gettext_noop("%(host)s did not answer with JSON (content type %(type)s)."),
                    host=host,
                    type=response.headers.get("content-type", "?"),
                )
            ) from None

    def test_connection(self) -> str:
        errors = self.validate_config(self.config)
        if errors:
            raise ConnectorError("; ".join(f"{path}: {message}" for path, message in errors))
        with self._client() as client:
            try:
                # Only the status matters: the body is never read.
                with client.stream("GET", "") as response:
                    pass
            except AddressRefused as exc:
                raise ConnectorError(
                    Message(gettext_noop("%(host)s is refused: %(reason)s"), host=self._host(), reason=str(exc))
                ) from None
            except httpx.TimeoutException:
                raise ConnectorError(
                    Message(gettext_noop("%(host)s did not answer in time."), host=self._host())
                ) from None
            except httpx.HTTPError:
                raise ConnectorError(_cannot_connect(self._host())) from None
        status = response.status_code
        if status in (401, 403):
            raise ConnectorError(_refused_credentials(self._host(), status))
        if status >= 500:
            raise ConnectorError(
                Message(
                    gettext_noop("%(host)s answers with a server error (HTTP %(status)s)."),
                    host=self._host(),
                    status=status,
                )
            )
        return Message(gettext_noop("%(host)s answers (HTTP %(status)s)."), host=self._host(), status=status)

    def find(self, identity: SubjectIdentity) -> FindResult:
        warnings: list[str] = []
        return FindResult(records=self._stream(identity, warnings), warnings=warnings)

    def _stream(self, identity: SubjectIdentity, warnings: list[str]) -> Iterator[FoundRecord]:
        pagination = self.config.get("pagination") or {}
        limit = self.model.max_rows
        with self._client() as client:
            for resource in self.config.get("resources") or []:
                name = resource["name"]
                needed = _placeholders(resource["path"])
                values = identity.available(sorted(needed))
                if needed - set(values):
                    warnings.append(
                        Message(
                            gettext_noop("%(resource)s: skipped, the subject's %(fields)s is not known."),
                            resource=name,
                            fields=", ".join(sorted(needed - set(values))),
                        )
                    )
                    continue
                url = resource["path"].format(**{k: quote(v, safe="") for k, v in values.items()}).lstrip("/")
                records_path = _jsonpath(resource.get("records", "$[*]"), "records")
                next_path = (
                    _jsonpath(pagination["path"], "pagination.path") if pagination.get("type") == "next" else None
                )
                page = int(pagination.get("start", 1))
                count = 0
                for _ in range(MAX_PAGES):
                    page_url = url
                    if pagination.get("type") == "page":
                        separator = "&" if "?" in url else "?"
                        page_url = f"{url}{separator}{pagination.get('param', 'page')}={page}"
                    body = self._get(client, page_url)
                    if body is None:
                        break
                    items = [match.value for match in records_path.find(body)]
                    for item in items:
                        if count >= limit:
                            warnings.append(
                                Message(
                                    gettext_noop(
                                        "%(resource)s: the row limit of %(limit)s records was reached; there may be more."
                                    ),
                                    resource=name,
                                    limit=limit,
                                )
                            )
                            break
                        count += 1
                        yield FoundRecord(
                            entity=name,
                            category=resource.get("category", ""),
                            data=item if isinstance(item, dict) else {"value": item},
                            # The resource is asked by these identifiers together.
                            matched_on=sorted(values),
                        )
                    if count >= limit or not items:
                        break
                    if next_path is not None:
                        links = [m.value for m in next_path.find(body) if m.value]
                        if not links:
                            break
                        # Only follow links on the same host: a next link elsewhere would
                        # send our secret headers to a stranger.
                        target = urljoin(self._base_url(), links[0])
                        if urlsplit(target).netloc != urlsplit(self._base_url()).netloc:
                            warnings.append(
                                Message(
                                    gettext_noop("%(resource)s: a next-page link to another host was not followed."),
                                    resource=name,
                                )
                            )
                            break
                        url = target
                    elif pagination.get("type") == "page":
                        page += 1
                    else:
                        break
