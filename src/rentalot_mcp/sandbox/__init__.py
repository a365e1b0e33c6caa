"""An embedded, local imitation of the Rentalot v1 API on SQLite, for demos and end-to-end tests.

`create_app(db)` builds the ASGI app; `serve(...)` runs it in the foreground (`rentalot-mcp sandbox`);
`start_background(db)` runs it on a thread and returns its URL (`rentalot-mcp --sandbox`, tests).
"""

from rentalot_mcp.sandbox.app import create_app
from rentalot_mcp.sandbox.rentalot import DEMO_KEYS
from rentalot_mcp.sandbox.runner import RunningSandbox, banner, default_db_path, serve, start_background

__all__ = ["DEMO_KEYS", "RunningSandbox", "banner", "create_app", "default_db_path", "serve", "start_background"]
