"""Every write of the provider registry, one module per subdomain: registration, dossiers,
standing (verified, suspended, reinstated), expiry_notices, project_conditions and related_parties
(common: what they share).

Each locks what it changes, checks rules.py, changes the rows and writes the audit event in the
same transaction. `actor=None` is the system (demo data, the credit system's jobs).
"""
