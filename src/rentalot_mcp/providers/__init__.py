"""The platforms this server speaks to."""

from rentalot_mcp.providers.base import Provider
from rentalot_mcp.providers.rentalot import RENTALOT

PROVIDERS: tuple[Provider, ...] = (RENTALOT,)

__all__ = ["PROVIDERS", "RENTALOT", "Provider"]
