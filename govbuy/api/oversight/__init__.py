"""API of oversight: monitoring cases (every screen of govbuy/oversight has its endpoint here)."""
