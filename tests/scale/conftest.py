"""The scale tests reuse the open-data tests' chain (a public project through planning and
procurement's services) and their warm jieba."""

from govbuy.disclosure.tests.conftest import _warm_jieba  # noqa: F401 - fixtures
