"""Reference data: the cities, community types and amenity slugs listings are described with.

The same for every operator, so it lives in code rather than in the store; handlers validate listings
against it, as the platform does.
"""

from __future__ import annotations

from rentalot_mcp.sandbox.context import Ctx, HandlerTable, Reply

ops = HandlerTable()

CITIES = (
    {"id": "city_lisbon", "name": "Lisbon", "slug": "lisbon", "country": "Portugal"},
    {"id": "city_berlin", "name": "Berlin", "slug": "berlin", "country": "Germany"},
    {"id": "city_barcelona", "name": "Barcelona", "slug": "barcelona", "country": "Spain"},
    {"id": "city_canggu", "name": "Canggu", "slug": "canggu", "country": "Indonesia"},
    {"id": "city_mexico_city", "name": "Mexico City", "slug": "mexico-city", "country": "Mexico"},
    {"id": "city_medellin", "name": "Medellín", "slug": "medellin", "country": "Colombia"},
    {"id": "city_rome", "name": "Rome", "slug": "rome", "country": "Italy"},
    {"id": "city_london", "name": "London", "slug": "london", "country": "United Kingdom"},
    {"id": "city_new_york", "name": "New York", "slug": "new-york", "country": "United States"},
)
COLIVING_TYPES = (
    {"id": "ct_digital_nomads", "name": "Digital nomads", "slug": "digital-nomads"},
    {"id": "ct_professionals", "name": "Young professionals", "slug": "professionals"},
    {"id": "ct_students", "name": "Students", "slug": "students"},
    {"id": "ct_creatives", "name": "Creatives", "slug": "creatives"},
    {"id": "ct_wellness", "name": "Wellness", "slug": "wellness"},
    {"id": "ct_families", "name": "Families", "slug": "families"},
)
AMENITIES = (
    {"slug": "wifi", "name": "High-speed wifi"},
    {"slug": "coworking", "name": "Coworking space"},
    {"slug": "gym", "name": "Gym"},
    {"slug": "kitchen", "name": "Shared kitchen"},
    {"slug": "laundry", "name": "Laundry"},
    {"slug": "cleaning", "name": "Weekly cleaning"},
    {"slug": "pool", "name": "Pool"},
    {"slug": "rooftop", "name": "Rooftop terrace"},
    {"slug": "air-conditioning", "name": "Air conditioning"},
    {"slug": "bike-storage", "name": "Bike storage"},
    {"slug": "parking", "name": "Parking"},
    {"slug": "pet-friendly", "name": "Pets welcome"},
)
CITY_IDS = frozenset(city["id"] for city in CITIES)
COLIVING_TYPE_IDS = frozenset(kind["id"] for kind in COLIVING_TYPES)
AMENITY_SLUGS = frozenset(amenity["slug"] for amenity in AMENITIES)


@ops("listCities")
def list_cities(_ctx: Ctx) -> Reply:
    return Reply(200, {"data": list(CITIES)})


@ops("listColivingTypes")
def list_coliving_types(_ctx: Ctx) -> Reply:
    return Reply(200, {"data": list(COLIVING_TYPES)})


@ops("listAmenities")
def list_amenities(_ctx: Ctx) -> Reply:
    return Reply(200, {"data": list(AMENITIES)})
