"""The credit system's pages: staff workspace (staff.py) and public pages (public.py)."""
