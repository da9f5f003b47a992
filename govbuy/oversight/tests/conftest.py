"""Fixtures of monitoring: procurement's published tender of purchaser A (district A), made
through the services below."""

from __future__ import annotations

from govbuy.procurement.tests.conftest import (  # noqa: F401 - fixtures used by the tests here
    _english_messages,
    budget,
    catalog,
    line,
    make_tender,
    project,
    propose,
    providers,
    published,
)
