"""Reference data is cached in-process: the TTL cache itself, and the call path that uses it."""

from __future__ import annotations

import httpx
import pytest
import respx

from rentalot_mcp.cache import TtlCache, request_key
from rentalot_mcp.openapi.operations import HttpRequest
from rentalot_mcp.providers import BOOKMYCOLIVING
from rentalot_mcp.runtime import Runtime
from tests.conftest import FAKE_BASE_URLS, fake_settings

BASE = FAKE_BASE_URLS["bookmycoliving"]
CITIES = {"data": [{"id": "city_lisbon", "name": "Lisbon"}]}


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_entries_expire_after_their_own_ttl() -> None:
    clock = Clock()
    cache: TtlCache[str] = TtlCache(clock=clock)
    cache.put("short", "a", 10)
    cache.put("long", "b", 3600)
    clock.now += 9.9
    assert (cache.get("short"), cache.get("long")) == ("a", "b")
    clock.now += 0.1
    assert cache.get("short") is None and cache.get("long") == "b"
    clock.now += 3600
    assert cache.get("long") is None and len(cache) == 0


def test_the_least_recently_used_entry_goes_first_when_full() -> None:
    cache: TtlCache[int] = TtlCache(max_entries=2)
    cache.put("a", 1, 60)
    cache.put("b", 2, 60)
    assert cache.get("a") == 1
    cache.put("c", 3, 60)
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (1, None, 3)


def test_keys_separate_accounts_and_requests_but_not_argument_order() -> None:
    one = HttpRequest("GET", "/api/v1/cities", {"a": 1, "b": 2}, {})
    same = HttpRequest("GET", "/api/v1/cities", {"b": 2, "a": 1}, {})
    other = HttpRequest("GET", "/api/v1/cities", {"a": 1}, {})
    key = request_key("bmc", "t", one, "bmc_key_one")
    assert key == request_key("bmc", "t", same, "bmc_key_one")
    assert key != request_key("bmc", "t", other, "bmc_key_one")
    assert key != request_key("bmc", "t", one, "bmc_key_two")
    assert "bmc_key_one" not in key


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def runtime(clock: Clock):
    built = Runtime.create(fake_settings())
    built.cache = TtlCache(clock=clock)
    yield built
    await built.aclose()


def test_reference_data_is_kept_at_least_an_hour() -> None:
    assert set(BOOKMYCOLIVING.cache_ttls) == {"listCities", "listColivingTypes", "listAmenities"}
    assert min(BOOKMYCOLIVING.cache_ttls.values()) >= 3600


@pytest.mark.anyio
@pytest.mark.parametrize("tool", ["bmc_list_cities", "bmc_list_coliving_types", "bmc_list_amenities"])
async def test_a_second_call_within_the_ttl_sends_nothing(runtime, clock: Clock, tool: str) -> None:
    path = {"bmc_list_cities": "cities", "bmc_list_coliving_types": "coliving-types"}.get(tool, "amenities")
    with respx.mock:
        route = respx.get(f"{BASE}/api/v1/{path}").respond(200, json=CITIES, headers={"X-RateLimit-Remaining": "9"})
        first = await runtime.call(tool, {})
        clock.now += 3599
        second = await runtime.call(tool, {})
        assert route.call_count == 1
        clock.now += 1
        third = await runtime.call(tool, {})
        assert route.call_count == 2
    assert first.content[0].text == second.content[0].text == third.content[0].text
    assert second.meta == {"cached": True}
    assert "cached" not in first.meta and "cached" not in third.meta


@pytest.mark.anyio
async def test_errors_and_other_operations_are_never_cached(runtime) -> None:
    with respx.mock:
        cities = respx.get(f"{BASE}/api/v1/cities").mock(
            side_effect=[httpx.Response(401, json={"error": "Invalid API key"}), httpx.Response(200, json=CITIES)]
        )
        leads = respx.get(f"{BASE}/api/v1/leads").respond(200, json={"data": [], "pagination": {}})
        assert (await runtime.call("bmc_list_cities", {})).is_error
        assert not (await runtime.call("bmc_list_cities", {})).is_error
        await runtime.call("bmc_list_leads", {})
        await runtime.call("bmc_list_leads", {})
    assert cities.call_count == 2 and leads.call_count == 2


@pytest.mark.anyio
async def test_each_api_key_has_its_own_entries(runtime) -> None:
    with respx.mock:
        route = respx.get(f"{BASE}/api/v1/cities").respond(200, json=CITIES)
        await runtime.call("bmc_list_cities", {}, api_keys={"bookmycoliving": "bmc_caller_one"})
        await runtime.call("bmc_list_cities", {}, api_keys={"bookmycoliving": "bmc_caller_two"})
        await runtime.call("bmc_list_cities", {}, api_keys={"bookmycoliving": "bmc_caller_one"})
    assert [call.request.headers["x-api-key"] for call in route.calls] == ["bmc_caller_one", "bmc_caller_two"]
