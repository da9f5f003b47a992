"""Every write of procurement, split by subdomain: tenders (methods, drafting, publication),
bids (sealed submission and withdrawal) and opening (four eyes, decryption, record)."""
