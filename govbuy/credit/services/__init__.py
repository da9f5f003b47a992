"""Every write of the credit system, one module per subdomain: records (facts), objections,
bans, lists (external lists and the three-list check)."""
