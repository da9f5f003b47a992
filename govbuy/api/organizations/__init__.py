"""The organisations API: `serializers`, `views`, `urls`.

`StrictInputSerializer` and `VersionSerializer` were imported from `govbuy.api.organizations`
(the module this package replaced) before `govbuy.api.base` existed; they are the base's classes
and stay importable here. New code imports them from `govbuy.api.base`.
"""

from govbuy.api.base import StrictInputSerializer, VersionSerializer

__all__ = ["StrictInputSerializer", "VersionSerializer"]
