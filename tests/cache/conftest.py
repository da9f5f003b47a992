"""The page cache's tests reuse the open-data tests' chain (a public project through planning and
procurement's services) and their warm jieba."""

from govbuy.disclosure.tests.conftest import _warm_jieba  # noqa: F401
from govbuy.disclosure.tests.portal_fixtures import (  # noqa: F401
    approved,
    budget,
    catalog,
    line,
    planned,
    propose,
    providers,
)
