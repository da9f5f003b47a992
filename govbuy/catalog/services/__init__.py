"""Every write to the catalog, one module per subdomain: versions (drafts, publication, comments),
draft items, the negative list, district filings and spreadsheet imports (common: what they share).

Each service locks the row it changes, checks rules.py, changes, and records the audit event in
the same transaction. Draft items are guarded by the draft's own `version`: every edit names the
version it read, so two staff editing one draft cannot overwrite each other (409). `actor=None`
is the system (data loaders and tasks acting for a recorded requester).
"""
