"""The short-term search index ``case_gram``: every 2-character substring of a case's short
text columns, so a 1- or 2-character search (低保, 路) is an index lookup, not a LIKE scan.

Also the first one and two letters of each pinyin spelling of the petitioner's name.

Why a side table: the FTS5 trigram table ``case_fts`` cannot match terms shorter than 3
characters, and ``LIKE '%低保%'`` reads every row (about 40-70 ms at 100,000 cases, and
the count reads them again).  Here each case's ``case_no``, ``petitioner_name`` and
``summary`` (the columns the short-term search has always covered) become a bag of
bigram tokens for an FTS5 ``unicode61`` table:

* every pair of adjacent "word" characters (letters, digits, Han characters) is a token:
  ``低保户`` → ``低保 保户``;
* a word character followed by a non-word character or the end of the text also makes a
  token with :data:`END` appended (``户\\ue000``), so a 1-character search is the prefix
  query ``户*`` and still finds a character that ends a text.

So a 2-character term is found exactly where ``LIKE`` finds it, and a 1-character term
likewise (case folding is the tokenizer's, like LIKE's ASCII folding).  A term holding a
non-word character (``3-``) is not indexable and the caller falls back to LIKE.

The table is contentless (``content=''``, ``detail=none``): only which cases hold which
bigram is stored, a few bytes per token (about 7 MB at 100,000 cases, with the
one-character prefix index that makes ``户*`` one doclist instead of a merge of
hundreds).  The price: a row is deleted by handing FTS5 the exact tokens it was inserted
with, so :func:`grams_of` must stay deterministic; changing it needs a migration that
rebuilds the table (:func:`rebuild`).
"""
from __future__ import annotations

import logging
from collections.abc import Iterable

from sqlalchemy import Connection, text

log = logging.getLogger(__name__)

GRAM_TABLE = "case_gram"
GRAM_CREATE = (f"CREATE VIRTUAL TABLE IF NOT EXISTS {GRAM_TABLE} USING fts5(grams,"
               " content='', detail=none, prefix='1',"
               " tokenize='unicode61 remove_diacritics 0')")
GRAM_COLUMNS = ("case_no", "petitioner_name", "summary", "name_keys")
END = "\ue000"   # private use: never typed; unicode61 treats it as a token character
KEY = "\ue001"   # marks a pinyin-key prefix token (see grams_of)

_INSERT = text(f"INSERT INTO {GRAM_TABLE} (rowid, grams) VALUES (:r, :g)")
_DELETE = text(f"INSERT INTO {GRAM_TABLE} ({GRAM_TABLE}, rowid, grams)"
               " VALUES ('delete', :r, :g)")


def is_word(ch: str) -> bool:
    """Letters, digits and Han characters: what a bigram token is made of."""
    return ch.isalnum()


def grams_of(values: Iterable[str]) -> str:
    """The space-joined, sorted, de-duplicated tokens of one case (deterministic: the same
    input always gives the same string, which contentless deletes rely on).

    ``values`` are the :data:`GRAM_COLUMNS` in order: bigrams of the first three, and of
    the last (``name_keys``, space-separated pinyin spellings ``zhangsan zs``) the first one
    and two letters of each spelling marked with :data:`KEY`, so a one- or two-letter name
    search ("z", "zh") is an index lookup too."""
    *texts, keys = list(values)
    out: set[str] = set()
    for word in (keys or "").lower().split():
        out.add(KEY + word[:1])
        out.add(KEY + word[:2])
    for value in texts:
        s = (value or "").lower()
        for i, ch in enumerate(s):
            if not is_word(ch):
                continue
            nxt = s[i + 1] if i + 1 < len(s) else ""
            out.add(ch + nxt if nxt and is_word(nxt) else ch + END)
    return " ".join(sorted(out))


def match_expr(term: str) -> str | None:
    """The FTS5 query for a 1- or 2-character ``term``; None when it is not indexable (a
    non-word character, or longer than 2: those go to the trigram table or LIKE)."""
    t = term.lower()
    if not 1 <= len(t) <= 2 or not all(is_word(c) for c in t):
        return None
    return f'"{t}"' if len(t) == 2 else f'"{t}" *'


def key_prefix_expr(key: str) -> str | None:
    """The FTS5 query for a one- or two-letter pinyin name search (``zh``, ``z``)."""
    k = key.lower()
    if not 1 <= len(k) <= 2 or not (k.isascii() and k.isalpha()):
        return None
    return f'"{KEY}{k}"'


def has_table(conn: Connection) -> bool:
    return conn.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = ?",
                                (GRAM_TABLE,)).first() is not None


def replace(conn: Connection, old: tuple[int, str] | None, new: tuple[int, str]) -> None:
    """Swap a case's tokens: ``old``/``new`` are ``(doc_id, grams_of(...))``."""
    if old is not None:
        conn.execute(_DELETE, {"r": old[0], "g": old[1]})
    conn.execute(_INSERT, {"r": new[0], "g": new[1]})


def rebuild(conn: Connection) -> int:
    """(Re)create the table from case_index (migration backfill, repair)."""
    conn.exec_driver_sql(f"DROP TABLE IF EXISTS {GRAM_TABLE}")
    conn.exec_driver_sql(GRAM_CREATE)
    cols = ", ".join(GRAM_COLUMNS)
    rows = conn.exec_driver_sql(f"SELECT doc_id, {cols} FROM case_index").all()
    if rows:
        conn.execute(_INSERT, [{"r": r[0], "g": grams_of(r[1:])} for r in rows])
    log.info("short-term index built for %d cases", len(rows))
    return len(rows)
