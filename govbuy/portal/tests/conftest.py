"""The portal's tests search the public index: jieba loads its dictionary once per process
(~0.8 s), paid once, not in a timed test. The public project chain is tests/builders/."""

import pytest


@pytest.fixture(scope="session", autouse=True)
def _warm_jieba():
    from govbuy.disclosure.text import document_tokens

    document_tokens("预热")
