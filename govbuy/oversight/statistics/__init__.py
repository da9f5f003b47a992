"""Statistics of purchases of services (issue 15 item 4): pure rules (rules.py), the worker's
aggregation from the lower apps (compute.py), the refresh service and its task (services.py),
scoped reads of the pre-aggregated figures (selectors.py) and the streamed exports (exports.py)."""
