from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.data_category import DataCategory
from ...models.data_category_request import DataCategoryRequest
from ...models.error import Error
from ...types import Response


def _get_kwargs(
    *,
    body: DataCategoryRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/register/categories/",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> DataCategory | Error | None:
    if response.status_code == 201:
        response_201 = DataCategory.from_dict(response.json())

        return response_201

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
) -> Response[DataCategory | Error]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: DataCategoryRequest,
) -> Response[DataCategory | Error]:
    """Create a data category

     The processing register (Art. 30): everyone in the workspace reads it, a DPO changes it. A data
    category still in use cannot be deleted (409): disable it instead.

    Args:
        body (DataCategoryRequest): Texts in several languages are validated as such.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DataCategory | Error]
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
    client: AuthenticatedClient,
    body: DataCategoryRequest,
) -> DataCategory | Error | None:
    """Create a data category

     The processing register (Art. 30): everyone in the workspace reads it, a DPO changes it. A data
    category still in use cannot be deleted (409): disable it instead.

    Args:
        body (DataCategoryRequest): Texts in several languages are validated as such.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DataCategory | Error
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: DataCategoryRequest,
) -> Response[DataCategory | Error]:
    """Create a data category

     The processing register (Art. 30): everyone in the workspace reads it, a DPO changes it. A data
    category still in use cannot be deleted (409): disable it instead.

    Args:
        body (DataCategoryRequest): Texts in several languages are validated as such.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DataCategory | Error]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: DataCategoryRequest,
) -> DataCategory | Error | None:
    """Create a data category

     The processing register (Art. 30): everyone in the workspace reads it, a DPO changes it. A data
    category still in use cannot be deleted (409): disable it instead.

    Args:
        body (DataCategoryRequest): Texts in several languages are validated as such.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DataCategory | Error
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
