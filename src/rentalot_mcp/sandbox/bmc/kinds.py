"""Record kinds of the BookMyColiving API in the shared store (namespaced beside Rentalot's)."""

PROPERTY = "bmc.property"
LEAD = "bmc.lead"
THREAD = "bmc.thread"
"""A conversation with one tenant; its id is the tenant's partner user id."""
MESSAGE = "bmc.message"
WEBHOOK = "bmc.webhook"
"""One record per account, whose id is the account id: the dashboard's webhook URL and secret."""
