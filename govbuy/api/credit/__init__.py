"""The credit system's API: one endpoint per credit screen."""
