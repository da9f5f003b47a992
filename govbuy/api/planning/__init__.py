"""The planning API: `serializers`, `views`, `urls` (see `views` for what it offers)."""
