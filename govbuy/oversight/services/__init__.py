"""Writes of oversight: monitoring cases (monitoring.py) and risk flags (flagging.py)."""
