"""Pages of oversight: staff.py (monitoring cases, risk flags) and public.py (published checkpoints)."""
