from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.paginated_record_list import PaginatedRecordList
from ...types import UNSET, Response, Unset


def _get_kwargs(
    reference: str,
    *,
    data: bool | Unset = False,
    excluded: bool | None | Unset = UNSET,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    source: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["data"] = data

    json_excluded: bool | None | Unset
    if isinstance(excluded, Unset):
        json_excluded = UNSET
    else:
        json_excluded = excluded
    params["excluded"] = json_excluded

    params["page"] = page

    params["page_size"] = page_size

    params["source"] = source

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/requests/{reference}/records/".format(
            reference=quote(str(reference), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | PaginatedRecordList | None:
    if response.status_code == 200:
        response_200 = PaginatedRecordList.from_dict(response.json())

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


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Error | PaginatedRecordList]:
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
    data: bool | Unset = False,
    excluded: bool | None | Unset = UNSET,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    source: str | Unset = UNSET,
) -> Response[Error | PaginatedRecordList]:
    """The records gathered

     Every record of the latest gathering, to review what the copy contains. With `data=true` each
    record's data comes too: that is the subject's personal data, and your reading it is recorded in the
    audit trail as a preview of the copy.

    Args:
        reference (str):
        data (bool | Unset):  Default: False.
        excluded (bool | None | Unset):
        page (int | Unset):
        page_size (int | Unset):
        source (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | PaginatedRecordList]
    """

    kwargs = _get_kwargs(
        reference=reference,
        data=data,
        excluded=excluded,
        page=page,
        page_size=page_size,
        source=source,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    reference: str,
    *,
    client: AuthenticatedClient,
    data: bool | Unset = False,
    excluded: bool | None | Unset = UNSET,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    source: str | Unset = UNSET,
) -> Error | PaginatedRecordList | None:
    """The records gathered

     Every record of the latest gathering, to review what the copy contains. With `data=true` each
    record's data comes too: that is the subject's personal data, and your reading it is recorded in the
    audit trail as a preview of the copy.

    Args:
        reference (str):
        data (bool | Unset):  Default: False.
        excluded (bool | None | Unset):
        page (int | Unset):
        page_size (int | Unset):
        source (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | PaginatedRecordList
    """

    return sync_detailed(
        reference=reference,
        client=client,
        data=data,
        excluded=excluded,
        page=page,
        page_size=page_size,
        source=source,
    ).parsed


async def asyncio_detailed(
    reference: str,
    *,
    client: AuthenticatedClient,
    data: bool | Unset = False,
    excluded: bool | None | Unset = UNSET,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    source: str | Unset = UNSET,
) -> Response[Error | PaginatedRecordList]:
    """The records gathered

     Every record of the latest gathering, to review what the copy contains. With `data=true` each
    record's data comes too: that is the subject's personal data, and your reading it is recorded in the
    audit trail as a preview of the copy.

    Args:
        reference (str):
        data (bool | Unset):  Default: False.
        excluded (bool | None | Unset):
        page (int | Unset):
        page_size (int | Unset):
        source (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | PaginatedRecordList]
    """

    kwargs = _get_kwargs(
        reference=reference,
        data=data,
        excluded=excluded,
        page=page,
        page_size=page_size,
        source=source,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    reference: str,
    *,
    client: AuthenticatedClient,
    data: bool | Unset = False,
    excluded: bool | None | Unset = UNSET,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    source: str | Unset = UNSET,
) -> Error | PaginatedRecordList | None:
    """The records gathered

     Every record of the latest gathering, to review what the copy contains. With `data=true` each
    record's data comes too: that is the subject's personal data, and your reading it is recorded in the
    audit trail as a preview of the copy.

    Args:
        reference (str):
        data (bool | Unset):  Default: False.
        excluded (bool | None | Unset):
        page (int | Unset):
        page_size (int | Unset):
        source (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | PaginatedRecordList
    """

    return (
        await asyncio_detailed(
            reference=reference,
            client=client,
            data=data,
            excluded=excluded,
            page=page,
            page_size=page_size,
            source=source,
        )
    ).parsed
