"""rentalot-mcp: an MCP server that turns rental-platform REST APIs into tools."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("rentalot-mcp")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"
