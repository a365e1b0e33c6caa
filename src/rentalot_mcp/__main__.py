"""`python -m rentalot_mcp` is the `rentalot-mcp` command."""

from rentalot_mcp.cli import main

raise SystemExit(main())
