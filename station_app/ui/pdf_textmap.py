"""Searchable text in the PDFs we write: correct the ToUnicode maps Qt emits.

Noto CJK draws several code points with one glyph: a radical (U+2F3E ⼾), a traditional or
rare form (U+6236 戶, U+3B35 㬵) and the simplified character (U+6237 户, U+80F6 胶).  Qt's
PDF ToUnicode map names the lowest code point, so copied or extracted text reads "64⼾".
The map is rebuilt from the font itself (works for whatever font Qt really used): for
every glyph shared by several code points, the name becomes the GB 2312 character, or
else the unified ideograph rather than a radical.
"""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from PySide6.QtGui import QFont

from .theme import FONT_FAMILY, MONO_FAMILY

_CMAP = re.compile(rb"begincmap.*?endcmap", re.S)
_BLOCK = re.compile(rb"(beginbfchar|beginbfrange)(.*?)(endbfchar|endbfrange)", re.S)
_HEX = re.compile(rb"<([0-9A-Fa-f]{4})>")
_RANGES = ((0x2E80, 0x2FE0), (0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00))
_preferred: dict[int, int] | None = None


def _is_gb2312(cp: int) -> bool:
    try:
        chr(cp).encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def preferred_code_points() -> dict[int, int]:
    """{code point Qt would name → the one the text means}, computed once per process."""
    global _preferred
    if _preferred is not None:
        return _preferred
    from PySide6.QtGui import QRawFont

    table: dict[int, int] = {}
    cps = [cp for lo, hi in _RANGES for cp in range(lo, hi)]
    text = "".join(chr(cp) for cp in cps)
    for family in (FONT_FAMILY, MONO_FAMILY):
        font = QFont(family)
        font.setPixelSize(16)
        glyphs = QRawFont.fromFont(font).glyphIndexesForString(text)
        if len(glyphs) != len(cps):
            continue
        shared: dict[int, list[int]] = {}
        for cp, g in zip(cps, glyphs, strict=True):
            if g:
                shared.setdefault(g, []).append(cp)
        for group in shared.values():
            if len(group) < 2:
                continue
            lowest = min(group)
            best = ([c for c in group if _is_gb2312(c)]
                    or [c for c in group if c >= 0x3400] or [lowest])[0]
            if best != lowest:
                table.setdefault(lowest, best)
    for cp in range(0x2F00, 0x2FD6):  # radicals the font did not share: NFKC as a fallback
        table.setdefault(cp, ord(unicodedata.normalize("NFKC", chr(cp))))
    _preferred = table
    return table


def _fix_block(kind: bytes, body: bytes, table: dict[int, int]) -> bytes:
    out = []
    for line in body.split(b"\n"):
        tokens = list(_HEX.finditer(line))
        if kind == b"beginbfchar" and len(tokens) == 2:
            targets = tokens[1:]
        elif kind == b"beginbfrange" and b"[" in line:
            targets = [t for t in tokens if t.start() > line.index(b"[")]
        elif (kind == b"beginbfrange" and len(tokens) == 3
              and tokens[0].group(1) == tokens[1].group(1)):
            targets = tokens[2:]
        else:
            targets = []
        buf = bytearray(line)
        for t in targets:
            cp = int(t.group(1), 16)
            buf[t.start(1):t.end(1)] = b"%04X" % table.get(cp, cp)
        out.append(bytes(buf))
    return b"\n".join(out)


def fix_text_map(path: Path) -> None:
    """Rewrite shared-glyph code points in the PDF's ToUnicode maps to the characters the
    text means.  Every replacement has the same length, so the xref offsets stay valid."""
    data = path.read_bytes()
    table = preferred_code_points()

    def cmap(m: re.Match[bytes]) -> bytes:
        return _BLOCK.sub(lambda b: b.group(1) + _fix_block(b.group(1), b.group(2), table)
                          + b.group(3), m.group(0))

    fixed = _CMAP.sub(cmap, data)
    if fixed != data:
        if len(fixed) != len(data):
            raise RuntimeError("ToUnicode rewrite changed the PDF length")
        path.write_bytes(fixed)
