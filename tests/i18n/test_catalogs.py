"""The three message catalogs are complete: every string in the code is extracted, and every
entry is translated (not empty, not fuzzy) in Simplified Chinese, Traditional Chinese and English."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

LANGS = ("zh_Hans", "zh_Hant", "en")
DOMAINS = ("django", "djangojs")
ROOT = Path(settings.BASE_DIR)


def catalog(lang: str, domain: str, base: Path = ROOT / "locale") -> Path:
    return base / lang / "LC_MESSAGES" / f"{domain}.po"


@pytest.mark.parametrize("lang", LANGS)
def test_every_entry_is_translated(lang):
    po = polib.pofile(str(catalog(lang, "django")))
    untranslated = [e.msgid for e in po.untranslated_entries() if not e.obsolete]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not untranslated, f"{lang}: {len(untranslated)} untranslated, e.g. {untranslated[:5]}"
    assert not fuzzy, f"{lang}: {len(fuzzy)} fuzzy, e.g. {fuzzy[:5]}"
    assert len(po) > 100


def test_catalogs_contain_every_string_in_the_code(tmp_path):
    """Run makemessages on a copy of the project: it must not find a msgid the catalogs lack.

    A copy, because makemessages writes each string into the locale folder nearest its source
    file, i.e. into the real catalogs, whatever LOCALE_PATHS says."""
    copy = tmp_path / "project"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(".venv", "var", ".git", "__pycache__", ".hypothesis", "*.mo", "node_modules"),
    )
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "zh_Hans",
            "-d",
            "django",
            "--no-obsolete",
            "--ignore=tests/*",
            "--ignore=bench/*",
            "-v",
            "0",
        ],
        cwd=copy,
        env={**os.environ, "GOVBUY_LOCALE_DIR": str(copy / "locale")},
        check=True,
        capture_output=True,
    )
    before = {(e.msgctxt, e.msgid) for e in polib.pofile(str(catalog("zh_Hans", "django")))}
    after = {(e.msgctxt, e.msgid) for e in polib.pofile(str(catalog("zh_Hans", "django", copy / "locale")))}
    missing = sorted(m for _c, m in after - before)
    assert not missing, f"{len(missing)} strings are not in locale/: run makemessages. E.g. {missing[:8]}"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("zh-hans", "登录"), ("zh-hant", "登錄"), ("en", "Sign in")],
)
def test_languages_render(lang, expected):
    with translation.override(lang):
        assert translation.gettext("Sign in") == expected
