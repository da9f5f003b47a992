"""Every write of contracts, one module per subdomain: drafting (drawing a contract, its schedule,
payee and template), signing (signatures, publication, filing), delivery (deliverables,
acceptance, monitoring), payments, changes (amendments, suspension, termination, completion) and
subcontracting (roster, flags, findings)."""
