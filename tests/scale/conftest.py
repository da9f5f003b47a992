"""The scale tests reuse the open-data tests' chain (a public project through planning and
procurement's services) and warm jieba the same way."""

import pytest


@pytest.fixture(scope="session", autouse=True)
def _warm_jieba():
    # jieba loads its dictionary once per process (~0.8 s); pay it once, not in a timed test.
    from govbuy.disclosure.text import document_tokens

    document_tokens("预热")
