from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.notice import Notice
from ...models.settle_notice_request import SettleNoticeRequest
from ...types import Response


def _get_kwargs(
    reference: str,
    notice_id: int,
    *,
    body: SettleNoticeRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/requests/{reference}/plan/notices/{notice_id}/settle/".format(
            reference=quote(str(reference), safe=""),
            notice_id=quote(str(notice_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Error | Notice | None:
    if response.status_code == 200:
        response_200 = Notice.from_dict(response.json())

        return response_200

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Error | Notice]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    reference: str,
    notice_id: int,
    *,
    client: AuthenticatedClient,
    body: SettleNoticeRequest,
) -> Response[Error | Notice]:
    """Record that a recipient was told by other means, or why not (Art. 19)

     For a recipient not e-mailed (no address in the register): `reason` empty when it was told by other
    means, otherwise `impossible`, `disproportionate` or `no_longer_recipient` with a `note`. The
    release waits until every recipient was notified or has a reason. Only who may approve the plan.

    Args:
        reference (str):
        notice_id (int):
        body (SettleNoticeRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | Notice]
    """

    kwargs = _get_kwargs(
        reference=reference,
        notice_id=notice_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    reference: str,
    notice_id: int,
    *,
    client: AuthenticatedClient,
    body: SettleNoticeRequest,
) -> Error | Notice | None:
    """Record that a recipient was told by other means, or why not (Art. 19)

     For a recipient not e-mailed (no address in the register): `reason` empty when it was told by other
    means, otherwise `impossible`, `disproportionate` or `no_longer_recipient` with a `note`. The
    release waits until every recipient was notified or has a reason. Only who may approve the plan.

    Args:
        reference (str):
        notice_id (int):
        body (SettleNoticeRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | Notice
    """

    return sync_detailed(
        reference=reference,
        notice_id=notice_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    reference: str,
    notice_id: int,
    *,
    client: AuthenticatedClient,
    body: SettleNoticeRequest,
) -> Response[Error | Notice]:
    """Record that a recipient was told by other means, or why not (Art. 19)

     For a recipient not e-mailed (no address in the register): `reason` empty when it was told by other
    means, otherwise `impossible`, `disproportionate` or `no_longer_recipient` with a `note`. The
    release waits until every recipient was notified or has a reason. Only who may approve the plan.

    Args:
        reference (str):
        notice_id (int):
        body (SettleNoticeRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | Notice]
    """

    kwargs = _get_kwargs(
        reference=reference,
        notice_id=notice_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    reference: str,
    notice_id: int,
    *,
    client: AuthenticatedClient,
    body: SettleNoticeRequest,
) -> Error | Notice | None:
    """Record that a recipient was told by other means, or why not (Art. 19)

     For a recipient not e-mailed (no address in the register): `reason` empty when it was told by other
    means, otherwise `impossible`, `disproportionate` or `no_longer_recipient` with a `note`. The
    release waits until every recipient was notified or has a reason. Only who may approve the plan.

    Args:
        reference (str):
        notice_id (int):
        body (SettleNoticeRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | Notice
    """

    return (
        await asyncio_detailed(
            reference=reference,
            notice_id=notice_id,
            client=client,
            body=body,
        )
    ).parsed
