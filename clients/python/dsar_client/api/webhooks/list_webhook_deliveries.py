from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.paginated_webhook_delivery_list import PaginatedWebhookDeliveryList
from ...models.webhook_delivery_status_enum import WebhookDeliveryStatusEnum
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    status: WebhookDeliveryStatusEnum | Unset = UNSET,
    subscription: int | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["page"] = page

    params["page_size"] = page_size

    json_status: str | Unset = UNSET
    if not isinstance(status, Unset):
        json_status = status.value

    params["status"] = json_status

    params["subscription"] = subscription

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/webhook-deliveries/",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | PaginatedWebhookDeliveryList | None:
    if response.status_code == 200:
        response_200 = PaginatedWebhookDeliveryList.from_dict(response.json())

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
) -> Response[Error | PaginatedWebhookDeliveryList]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    status: WebhookDeliveryStatusEnum | Unset = UNSET,
    subscription: int | Unset = UNSET,
) -> Response[Error | PaginatedWebhookDeliveryList]:
    """List webhook deliveries

     Every attempt to deliver an event, newest first.

    Args:
        page (int | Unset):
        page_size (int | Unset):
        status (WebhookDeliveryStatusEnum | Unset): * `pending` - Pending
            * `sending` - Sending
            * `delivered` - Delivered
            * `failed` - Failed
        subscription (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | PaginatedWebhookDeliveryList]
    """

    kwargs = _get_kwargs(
        page=page,
        page_size=page_size,
        status=status,
        subscription=subscription,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    status: WebhookDeliveryStatusEnum | Unset = UNSET,
    subscription: int | Unset = UNSET,
) -> Error | PaginatedWebhookDeliveryList | None:
    """List webhook deliveries

     Every attempt to deliver an event, newest first.

    Args:
        page (int | Unset):
        page_size (int | Unset):
        status (WebhookDeliveryStatusEnum | Unset): * `pending` - Pending
            * `sending` - Sending
            * `delivered` - Delivered
            * `failed` - Failed
        subscription (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | PaginatedWebhookDeliveryList
    """

    return sync_detailed(
        client=client,
        page=page,
        page_size=page_size,
        status=status,
        subscription=subscription,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    status: WebhookDeliveryStatusEnum | Unset = UNSET,
    subscription: int | Unset = UNSET,
) -> Response[Error | PaginatedWebhookDeliveryList]:
    """List webhook deliveries

     Every attempt to deliver an event, newest first.

    Args:
        page (int | Unset):
        page_size (int | Unset):
        status (WebhookDeliveryStatusEnum | Unset): * `pending` - Pending
            * `sending` - Sending
            * `delivered` - Delivered
            * `failed` - Failed
        subscription (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | PaginatedWebhookDeliveryList]
    """

    kwargs = _get_kwargs(
        page=page,
        page_size=page_size,
        status=status,
        subscription=subscription,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    page: int | Unset = UNSET,
    page_size: int | Unset = UNSET,
    status: WebhookDeliveryStatusEnum | Unset = UNSET,
    subscription: int | Unset = UNSET,
) -> Error | PaginatedWebhookDeliveryList | None:
    """List webhook deliveries

     Every attempt to deliver an event, newest first.

    Args:
        page (int | Unset):
        page_size (int | Unset):
        status (WebhookDeliveryStatusEnum | Unset): * `pending` - Pending
            * `sending` - Sending
            * `delivered` - Delivered
            * `failed` - Failed
        subscription (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | PaginatedWebhookDeliveryList
    """

    return (
        await asyncio_detailed(
            client=client,
            page=page,
            page_size=page_size,
            status=status,
            subscription=subscription,
        )
    ).parsed
