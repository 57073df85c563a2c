from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.request_detail import RequestDetail
from ...types import Response


def _get_kwargs(
    reference: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/requests/{reference}/release/approve/".format(
            reference=quote(str(reference), safe=""),
        ),
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Error | RequestDetail | None:
    if response.status_code == 200:
        response_200 = RequestDetail.from_dict(response.json())

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


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Error | RequestDetail]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    reference: str,
    *,
    client: AuthenticatedClient,
) -> Response[Error | RequestDetail]:
    """Approve a release another DPO asked for (four eyes, DPO)

     A second DPO, never the one who asked, approves the release asked for with `release/request`: the
    copy goes out now, as with `release` (events `release.approved`, `request.fulfilled`). 403 for the
    DPO who asked; 409 when no release waits for approval (or the files were made again since it was
    asked for: ask again).

    Args:
        reference (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | RequestDetail]
    """

    kwargs = _get_kwargs(
        reference=reference,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    reference: str,
    *,
    client: AuthenticatedClient,
) -> Error | RequestDetail | None:
    """Approve a release another DPO asked for (four eyes, DPO)

     A second DPO, never the one who asked, approves the release asked for with `release/request`: the
    copy goes out now, as with `release` (events `release.approved`, `request.fulfilled`). 403 for the
    DPO who asked; 409 when no release waits for approval (or the files were made again since it was
    asked for: ask again).

    Args:
        reference (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | RequestDetail
    """

    return sync_detailed(
        reference=reference,
        client=client,
    ).parsed


async def asyncio_detailed(
    reference: str,
    *,
    client: AuthenticatedClient,
) -> Response[Error | RequestDetail]:
    """Approve a release another DPO asked for (four eyes, DPO)

     A second DPO, never the one who asked, approves the release asked for with `release/request`: the
    copy goes out now, as with `release` (events `release.approved`, `request.fulfilled`). 403 for the
    DPO who asked; 409 when no release waits for approval (or the files were made again since it was
    asked for: ask again).

    Args:
        reference (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | RequestDetail]
    """

    kwargs = _get_kwargs(
        reference=reference,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    reference: str,
    *,
    client: AuthenticatedClient,
) -> Error | RequestDetail | None:
    """Approve a release another DPO asked for (four eyes, DPO)

     A second DPO, never the one who asked, approves the release asked for with `release/request`: the
    copy goes out now, as with `release` (events `release.approved`, `request.fulfilled`). 403 for the
    DPO who asked; 409 when no release waits for approval (or the files were made again since it was
    asked for: ask again).

    Args:
        reference (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | RequestDetail
    """

    return (
        await asyncio_detailed(
            reference=reference,
            client=client,
        )
    ).parsed
