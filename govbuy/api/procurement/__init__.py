"""The procurement API: `serializers`, `views` (tenders, bids, the opening, evaluation),
`clarifications` and `awards` (each its serializers and views), `urls`.

`_tender`, `_valid` and `_paginate` are the names that modules written before `govbuy.api.base`
imported from `govbuy.api.procurement` (the module this package replaced); they stay importable
here. New code imports `govbuy.api.base` and `govbuy.api.procurement.views.tender_in_scope`.
"""

from govbuy.api.base import paginate as _paginate
from govbuy.api.base import parse as _valid
from govbuy.api.procurement.views import tender_in_scope as _tender

__all__ = ["_paginate", "_tender", "_valid"]
