"""`rentalot-mcp doctor`: where each setting came from, and whether the platform accepts the key."""

from __future__ import annotations

import httpx

from rentalot_mcp.client import USER_AGENT
from rentalot_mcp.config import ProviderSettings, Settings, mask

PROBE_PATHS = {"rentalot": "/api/v1/properties?limit=1"}
"""A cheap read per provider that needs a valid key."""


async def run_doctor(settings: Settings) -> int:
    """Print a report; exit code 0 only when every enabled provider answers and accepts its key."""
    healthy = True
    async with httpx.AsyncClient(timeout=10.0, headers={"User-Agent": USER_AGENT}) as http:
        for provider_settings in settings.providers:
            if not provider_settings.enabled:
                provider = provider_settings.provider
                print(f"{provider.display_name}: off ({provider.key_variable} not set)")
                continue
            healthy &= await _check(http, provider_settings)
    return 0 if healthy else 1


async def _check(http: httpx.AsyncClient, settings: ProviderSettings) -> bool:
    provider = settings.provider
    print(f"{provider.display_name}:")
    print(f"  base URL: {settings.base_url.value} ({settings.base_url.source})")
    print(f"  API key:  {mask(settings.api_key.value)} ({settings.api_key.source})")
    if not settings.api_key.value:
        print(f"  FIX: {provider.missing_key_help()}")
        return False
    url = (settings.base_url.value or provider.default_base_url).rstrip("/") + PROBE_PATHS.get(provider.name, "/")
    try:
        response = await http.get(url, headers=provider.auth_headers(settings.api_key.value))
    except httpx.HTTPError as exc:
        print(f"  unreachable: {exc.__class__.__name__}")
        print(f"  FIX: check {provider.base_url_variable} and your network, or run with --sandbox")
        return False
    if response.status_code == 401:
        print("  key rejected (HTTP 401)")
        print(f"  FIX: create a new key in the dashboard and set {provider.key_variable}")
        return False
    if response.status_code >= 400:
        print(f"  unexpected answer: HTTP {response.status_code}")
        return False
    print("  key accepted")
    return True
