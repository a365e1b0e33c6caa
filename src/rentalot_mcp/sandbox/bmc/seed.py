"""Demo operators and their listings, leads and conversations, so an assistant has something to work with.

Listing ids are fixed (`ALFAMA_PROPERTY_ID`) so docs and tests can name them; times are relative to
the moment the database is seeded.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from rentalot_mcp.sandbox.accounts import create_account
from rentalot_mcp.sandbox.bmc.leads import new_lead
from rentalot_mcp.sandbox.bmc.messages import OPERATOR, TENANT, add_message
from rentalot_mcp.sandbox.bmc.properties import APPROVED, DRAFT, PENDING_REVIEW, REJECTED, new_property
from rentalot_mcp.sandbox.store import Tx
from rentalot_mcp.sandbox.times import iso

PLATFORM = "bookmycoliving"
PLAN = "Operator"
OPERATOR_KEY = "bmc_demo_operator"
RIVAL_KEY = "bmc_demo_rival"
DEMO_KEYS = {
    OPERATOR_KEY: "operator with listings, leads and conversations",
    RIVAL_KEY: "another operator (its listings answer 403 to the first)",
}
OPERATOR_ACCOUNT_ID = "bmc_acct_nomad_nest"
RIVAL_ACCOUNT_ID = "bmc_acct_casa_roma"
ALFAMA_PROPERTY_ID = "prop_demo_alfama"
"""Approved, in Lisbon, with leads."""
CANGGU_PROPERTY_ID = "prop_demo_canggu"
"""Waiting for moderation."""
RIVAL_PROPERTY_ID = "prop_demo_roma"

_ROOMS = [{"type": "PRIVATE", "priceMonthly": 85000}, {"type": "SHARED", "priceMonthly": 52000}]
_LISTINGS: list[tuple[str, str, dict[str, Any], float]] = [
    (
        ALFAMA_PROPERTY_ID,
        APPROVED,
        {
            "name": "Alfama Sunrise House",
            "description": "Twelve rooms in a restored 1900s building, five minutes from the river.",
            "cityId": "city_lisbon",
            "address": "Rua de São Miguel 21, 1100-544 Lisboa",
            "amenities": ["wifi", "coworking", "kitchen", "rooftop", "cleaning"],
            "contactEmail": "hello@nomadnest.example.com",
            "colivingTypeIds": ["ct_digital_nomads", "ct_professionals"],
            "roomOptions": _ROOMS,
            "externalId": "pms-1001",
            "photos": [{"url": "https://images.example.com/alfama/rooftop.jpg"}],
        },
        40,
    ),
    (
        CANGGU_PROPERTY_ID,
        PENDING_REVIEW,
        {
            "name": "Canggu Surf & Work",
            "description": "Eight bungalows around a pool, a coworking shala and a surf rack.",
            "cityId": "city_canggu",
            "address": "Jl. Pantai Batu Bolong 88, Canggu, Bali",
            "amenities": ["wifi", "coworking", "pool", "air-conditioning"],
            "contactEmail": "bali@nomadnest.example.com",
            "colivingTypeIds": ["ct_digital_nomads", "ct_wellness"],
            "roomOptions": [{"type": "PRIVATE", "priceMonthly": 95000}],
            "externalId": "pms-1002",
        },
        3,
    ),
    (
        "prop_demo_kreuzberg",
        DRAFT,
        {
            "name": "Kreuzberg Makers Loft",
            "cityId": "city_berlin",
            "address": "Oranienstraße 170, 10999 Berlin",
            "amenities": ["wifi", "bike-storage", "laundry"],
            "colivingTypeIds": ["ct_creatives"],
            "roomOptions": [{"type": "PRIVATE", "priceMonthly": 78000}],
            "externalId": "pms-1003",
        },
        12,
    ),
    (
        "prop_demo_gracia",
        REJECTED,
        {
            "name": "Gràcia Garden Coliving",
            "cityId": "city_barcelona",
            "address": "Carrer de Verdi 54, 08012 Barcelona",
            "amenities": ["wifi", "kitchen"],
            "colivingTypeIds": ["ct_professionals"],
            "roomOptions": [{"type": "SHARED", "priceMonthly": 48000}],
            "externalId": "pms-1004",
            "adminNotes": "Add at least three photos of the rooms and the shared spaces.",
        },
        8,
    ),
]
_LEADS: list[tuple[str, dict[str, Any], float, list[tuple[str, float, str]]]] = [
    (
        ALFAMA_PROPERTY_ID,
        {
            "guestName": "Ines Duarte",
            "guestEmail": "ines.duarte@example.com",
            "message": "Hi! Is a private room free from the 1st of next month, for three months?",
        },
        50,
        [(OPERATOR, 49, "Hi Ines, yes: a private room is free then, $850.00 a month with cleaning included.")],
    ),
    (
        ALFAMA_PROPERTY_ID,
        {"guestName": "Tom Becker", "guestEmail": "tom.becker@example.com", "message": "Do you have a quiet room?"},
        20,
        [],
    ),
    (
        CANGGU_PROPERTY_ID,
        {"guestName": "Aiko Tanaka", "guestEmail": "aiko.tanaka@example.com", "guestPhone": "+819055501234"},
        5,
        [(TENANT, 4, "Also, is there a yoga class included?")],
    ),
]


def seed(tx: Tx, now: datetime) -> None:
    create_account(
        tx,
        account_id=OPERATOR_ACCOUNT_ID,
        platform=PLATFORM,
        name="Nomad Nest Coliving",
        plan=PLAN,
        api_key=OPERATOR_KEY,
    )
    create_account(
        tx, account_id=RIVAL_ACCOUNT_ID, platform=PLATFORM, name="Casa Roma Coliving", plan=PLAN, api_key=RIVAL_KEY
    )
    listings = {}
    for record_id, status, values, days_ago in _LISTINGS:
        stamp = iso(now - timedelta(days=days_ago))
        listings[record_id] = new_property(
            tx,
            OPERATOR_ACCOUNT_ID,
            stamp,
            values,
            status=status,
            record_id=record_id,
            photos=values.get("photos"),
            admin_notes=values.get("adminNotes"),
        )
    for property_id, guest, hours_ago, follow_ups in _LEADS:
        prop = listings[property_id]
        _lead, thread, _first = new_lead(tx, OPERATOR_ACCOUNT_ID, prop, guest, iso(now - timedelta(hours=hours_ago)))
        for sender, later_hours_ago, content in follow_ups:
            stamp = iso(now - timedelta(hours=later_hours_ago))
            add_message(tx, OPERATOR_ACCOUNT_ID, thread, sender, content, prop["id"], stamp)
    rival = {
        "name": "Trastevere Courtyard House",
        "cityId": "city_rome",
        "roomOptions": [{"type": "PRIVATE", "priceMonthly": 99000}],
    }
    new_property(
        tx, RIVAL_ACCOUNT_ID, iso(now - timedelta(days=30)), rival, status=APPROVED, record_id=RIVAL_PROPERTY_ID
    )
