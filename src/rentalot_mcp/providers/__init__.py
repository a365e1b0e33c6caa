"""The platforms this server speaks to."""

from rentalot_mcp.providers.base import Plan, Provider
from rentalot_mcp.providers.bookmycoliving import BOOKMYCOLIVING
from rentalot_mcp.providers.rentalot import RENTALOT

PROVIDERS: tuple[Provider, ...] = (RENTALOT, BOOKMYCOLIVING)

__all__ = ["BOOKMYCOLIVING", "PROVIDERS", "RENTALOT", "Plan", "Provider"]
