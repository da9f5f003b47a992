"""Contracts and service delivery (seed §三.四, §三.五; Order 102 Art. 23–29; Law 46–49)."""
