from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.give_back_fields_request import GiveBackFieldsRequest
from ...models.withheld_result import WithheldResult
from ...types import Response


def _get_kwargs(
    reference: str,
    record_id: str,
    *,
    body: GiveBackFieldsRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/requests/{reference}/records/{record_id}/give-back/".format(
            reference=quote(str(reference), safe=""),
            record_id=quote(str(record_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Error | WithheldResult | None:
    if response.status_code == 200:
        response_200 = WithheldResult.from_dict(response.json())

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
) -> Response[Error | WithheldResult]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    reference: str,
    record_id: str,
    *,
    client: AuthenticatedClient,
    body: GiveBackFieldsRequest,
) -> Response[Error | WithheldResult]:
    """Give withheld fields of a record back to the copy

     Undoes `withholdRecordFields` for the fields named, with the same rules (the DPO or the request's
    agent, while the request is in review); recorded in the audit trail, the files generated again.

    Args:
        reference (str):
        record_id (str):
        body (GiveBackFieldsRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | WithheldResult]
    """

    kwargs = _get_kwargs(
        reference=reference,
        record_id=record_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    reference: str,
    record_id: str,
    *,
    client: AuthenticatedClient,
    body: GiveBackFieldsRequest,
) -> Error | WithheldResult | None:
    """Give withheld fields of a record back to the copy

     Undoes `withholdRecordFields` for the fields named, with the same rules (the DPO or the request's
    agent, while the request is in review); recorded in the audit trail, the files generated again.

    Args:
        reference (str):
        record_id (str):
        body (GiveBackFieldsRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | WithheldResult
    """

    return sync_detailed(
        reference=reference,
        record_id=record_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    reference: str,
    record_id: str,
    *,
    client: AuthenticatedClient,
    body: GiveBackFieldsRequest,
) -> Response[Error | WithheldResult]:
    """Give withheld fields of a record back to the copy

     Undoes `withholdRecordFields` for the fields named, with the same rules (the DPO or the request's
    agent, while the request is in review); recorded in the audit trail, the files generated again.

    Args:
        reference (str):
        record_id (str):
        body (GiveBackFieldsRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | WithheldResult]
    """

    kwargs = _get_kwargs(
        reference=reference,
        record_id=record_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    reference: str,
    record_id: str,
    *,
    client: AuthenticatedClient,
    body: GiveBackFieldsRequest,
) -> Error | WithheldResult | None:
    """Give withheld fields of a record back to the copy

     Undoes `withholdRecordFields` for the fields named, with the same rules (the DPO or the request's
    agent, while the request is in review); recorded in the audit trail, the files generated again.

    Args:
        reference (str):
        record_id (str):
        body (GiveBackFieldsRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | WithheldResult
    """

    return (
        await asyncio_detailed(
            reference=reference,
            record_id=record_id,
            client=client,
            body=body,
        )
    ).parsed
