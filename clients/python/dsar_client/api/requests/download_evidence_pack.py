from http import HTTPStatus
from io import BytesIO
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...types import File, Response


def _get_kwargs(
    reference: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/requests/{reference}/evidence/".format(
            reference=quote(str(reference), safe=""),
        ),
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Error | File | None:
    if response.status_code == 200:
        response_200 = File(payload=BytesIO(response.content))

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

    if response.status_code == 429:
        response_429 = Error.from_dict(response.json())

        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Error | File]:
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
) -> Response[Error | File]:
    """Download the request's evidence pack

     A PDF for the supervisory authority (Art. 5(2), 31): the request and its deadlines, every decision
    and its reason, the audit trail in words and the result of verifying its hash chain now. It names
    the subject but holds none of the data gathered. DPO and auditor only; making it is recorded in the
    audit trail. 503 when the server cannot make PDFs (the answer names the missing library).

    Args:
        reference (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | File]
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
) -> Error | File | None:
    """Download the request's evidence pack

     A PDF for the supervisory authority (Art. 5(2), 31): the request and its deadlines, every decision
    and its reason, the audit trail in words and the result of verifying its hash chain now. It names
    the subject but holds none of the data gathered. DPO and auditor only; making it is recorded in the
    audit trail. 503 when the server cannot make PDFs (the answer names the missing library).

    Args:
        reference (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | File
    """

    return sync_detailed(
        reference=reference,
        client=client,
    ).parsed


async def asyncio_detailed(
    reference: str,
    *,
    client: AuthenticatedClient,
) -> Response[Error | File]:
    """Download the request's evidence pack

     A PDF for the supervisory authority (Art. 5(2), 31): the request and its deadlines, every decision
    and its reason, the audit trail in words and the result of verifying its hash chain now. It names
    the subject but holds none of the data gathered. DPO and auditor only; making it is recorded in the
    audit trail. 503 when the server cannot make PDFs (the answer names the missing library).

    Args:
        reference (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | File]
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
) -> Error | File | None:
    """Download the request's evidence pack

     A PDF for the supervisory authority (Art. 5(2), 31): the request and its deadlines, every decision
    and its reason, the audit trail in words and the result of verifying its hash chain now. It names
    the subject but holds none of the data gathered. DPO and auditor only; making it is recorded in the
    audit trail. 503 when the server cannot make PDFs (the answer names the missing library).

    Args:
        reference (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | File
    """

    return (
        await asyncio_detailed(
            reference=reference,
            client=client,
        )
    ).parsed
