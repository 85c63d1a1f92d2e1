"""petition_core.pinyin reads pypinyin's single-character table itself (start-up speed):
its readings must equal pypinyin's own ``Style.NORMAL`` heteronym output, character by
character, and importing it must not import pypinyin (whose phrase dictionary is slow)."""
from __future__ import annotations

import subprocess
import sys
import unicodedata

from petition_core.pinyin import char_readings, strip_tone


def test_every_character_reads_as_pypinyin_reads_it():
    from pypinyin import Style, pinyin
    from pypinyin.pinyin_dict import pinyin_dict

    checked = 0
    for cp in pinyin_dict:
        ch = chr(cp)
        if ch.isascii() or not unicodedata.category(ch).startswith("L"):
            continue
        got = pinyin(ch, style=Style.NORMAL, heteronym=True, errors="ignore")
        want: list[str] = []
        for r in got[0] if got else []:
            r = r.strip().lower()
            if r and r.isascii() and r not in want:
                want.append(r)
        assert char_readings(ch) == tuple(want), ch
        checked += 1
    assert checked > 20_000


def test_strip_tone():
    assert strip_tone("zēng") == "zeng"
    assert strip_tone("lǘ") == "lv"
    assert strip_tone("nǚ") == "nv"
    assert strip_tone("ḿ") == "m"
    assert strip_tone("ế") == "ê"          # not ASCII: dropped by char_readings, as pypinyin
    assert set(char_readings("曾")) >= {"zeng", "ceng"}
    assert char_readings("，") == ()
    assert char_readings("\U0010ffff") == ()


def test_import_and_first_lookup_do_not_load_pypinyin():
    code = ("import sys; from petition_core.pinyin import name_keys;"
            " assert 'zengxiaoming' in name_keys('曾小明');"
            " print(sorted(m for m in sys.modules if m.startswith('pypinyin')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "[]"
