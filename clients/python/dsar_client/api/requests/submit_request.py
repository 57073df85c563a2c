from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.public_request_created import PublicRequestCreated
from ...models.public_request_received import PublicRequestReceived
from ...models.public_request_request import PublicRequestRequest
from ...models.request_detail import RequestDetail
from ...models.staff_request_request import StaffRequestRequest
from ...types import Response


def _get_kwargs(
    *,
    body: PublicRequestRequest | StaffRequestRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/requests/",
    }

    if isinstance(body, PublicRequestRequest):
        _kwargs["json"] = body.to_dict()
    else:
        _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | PublicRequestCreated | RequestDetail | PublicRequestReceived | None:
    if response.status_code == 201:

        def _parse_response_201(data: object) -> PublicRequestCreated | RequestDetail:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_request_submitted_type_0 = PublicRequestCreated.from_dict(data)

                return componentsschemas_request_submitted_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_request_submitted_type_1 = RequestDetail.from_dict(data)

            return componentsschemas_request_submitted_type_1

        response_201 = _parse_response_201(response.json())

        return response_201

    if response.status_code == 202:
        response_202 = PublicRequestReceived.from_dict(response.json())

        return response_202

    if response.status_code == 400:
        response_400 = Error.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Error.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Error.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Error.from_dict(response.json())

        return response_404

    if response.status_code == 409:
        response_409 = Error.from_dict(response.json())

        return response_409

    if response.status_code == 429:
        response_429 = Error.from_dict(response.json())

        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Error | PublicRequestCreated | RequestDetail | PublicRequestReceived]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: PublicRequestRequest | StaffRequestRequest,
) -> Response[Error | PublicRequestCreated | RequestDetail | PublicRequestReceived]:
    """Submit a request (public), or log one received by staff

     Without authentication (`PublicRequest`): the public intake. The same validation and rate limits as
    the web form; the subject receives the same e-mail to confirm their address, and the request stays
    `unverified` until they do. Every accepted submission answers 201 with a new reference, a repeat of
    an open request too, so that the answer never tells a stranger whether someone already asked; the
    DPO sees the subject's other requests beside each one.

    With a staff token (`StaffRequest`): a request received by e-mail, letter, phone or in person,
    logged as the workspace's page does. `channel` is required, `received_at` is the real moment of
    receipt (default now; not in the future, at most a year ago) from which the legal deadline runs. The
    type-specific fields are validated as on the web form. `email` may be left out for a letter (then
    `postal_address` is required) or a call (then `phone`): nothing is e-mailed, the subject is answered
    by post. `identity_check` says how staff checked who the subject is (`identity_note` for the
    details; required with `other`): the identity counts as checked by staff, the request starts as
    `new`, and the answer is 201 with the full request. A DPO or a privacy agent may do this; an auditor
    is refused (403).

    Args:
        body (PublicRequestRequest | StaffRequestRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | PublicRequestCreated | RequestDetail | PublicRequestReceived]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: PublicRequestRequest | StaffRequestRequest,
) -> Error | PublicRequestCreated | RequestDetail | PublicRequestReceived | None:
    """Submit a request (public), or log one received by staff

     Without authentication (`PublicRequest`): the public intake. The same validation and rate limits as
    the web form; the subject receives the same e-mail to confirm their address, and the request stays
    `unverified` until they do. Every accepted submission answers 201 with a new reference, a repeat of
    an open request too, so that the answer never tells a stranger whether someone already asked; the
    DPO sees the subject's other requests beside each one.

    With a staff token (`StaffRequest`): a request received by e-mail, letter, phone or in person,
    logged as the workspace's page does. `channel` is required, `received_at` is the real moment of
    receipt (default now; not in the future, at most a year ago) from which the legal deadline runs. The
    type-specific fields are validated as on the web form. `email` may be left out for a letter (then
    `postal_address` is required) or a call (then `phone`): nothing is e-mailed, the subject is answered
    by post. `identity_check` says how staff checked who the subject is (`identity_note` for the
    details; required with `other`): the identity counts as checked by staff, the request starts as
    `new`, and the answer is 201 with the full request. A DPO or a privacy agent may do this; an auditor
    is refused (403).

    Args:
        body (PublicRequestRequest | StaffRequestRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | PublicRequestCreated | RequestDetail | PublicRequestReceived
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: PublicRequestRequest | StaffRequestRequest,
) -> Response[Error | PublicRequestCreated | RequestDetail | PublicRequestReceived]:
    """Submit a request (public), or log one received by staff

     Without authentication (`PublicRequest`): the public intake. The same validation and rate limits as
    the web form; the subject receives the same e-mail to confirm their address, and the request stays
    `unverified` until they do. Every accepted submission answers 201 with a new reference, a repeat of
    an open request too, so that the answer never tells a stranger whether someone already asked; the
    DPO sees the subject's other requests beside each one.

    With a staff token (`StaffRequest`): a request received by e-mail, letter, phone or in person,
    logged as the workspace's page does. `channel` is required, `received_at` is the real moment of
    receipt (default now; not in the future, at most a year ago) from which the legal deadline runs. The
    type-specific fields are validated as on the web form. `email` may be left out for a letter (then
    `postal_address` is required) or a call (then `phone`): nothing is e-mailed, the subject is answered
    by post. `identity_check` says how staff checked who the subject is (`identity_note` for the
    details; required with `other`): the identity counts as checked by staff, the request starts as
    `new`, and the answer is 201 with the full request. A DPO or a privacy agent may do this; an auditor
    is refused (403).

    Args:
        body (PublicRequestRequest | StaffRequestRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | PublicRequestCreated | RequestDetail | PublicRequestReceived]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: PublicRequestRequest | StaffRequestRequest,
) -> Error | PublicRequestCreated | RequestDetail | PublicRequestReceived | None:
    """Submit a request (public), or log one received by staff

     Without authentication (`PublicRequest`): the public intake. The same validation and rate limits as
    the web form; the subject receives the same e-mail to confirm their address, and the request stays
    `unverified` until they do. Every accepted submission answers 201 with a new reference, a repeat of
    an open request too, so that the answer never tells a stranger whether someone already asked; the
    DPO sees the subject's other requests beside each one.

    With a staff token (`StaffRequest`): a request received by e-mail, letter, phone or in person,
    logged as the workspace's page does. `channel` is required, `received_at` is the real moment of
    receipt (default now; not in the future, at most a year ago) from which the legal deadline runs. The
    type-specific fields are validated as on the web form. `email` may be left out for a letter (then
    `postal_address` is required) or a call (then `phone`): nothing is e-mailed, the subject is answered
    by post. `identity_check` says how staff checked who the subject is (`identity_note` for the
    details; required with `other`): the identity counts as checked by staff, the request starts as
    `new`, and the answer is 201 with the full request. A DPO or a privacy agent may do this; an auditor
    is refused (403).

    Args:
        body (PublicRequestRequest | StaffRequestRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | PublicRequestCreated | RequestDetail | PublicRequestReceived
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
