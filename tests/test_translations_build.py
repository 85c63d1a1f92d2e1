"""scripts/build_translations.py replaces the compiled catalogue by renaming a new file into
place: a process that has the old .qm mapped (the app, or another test worker under
pytest-xdist) keeps its old file.  Rewritten in place, the mapping changed under Qt's feet
and a worker died of SIGBUS (seen with -n 2)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QM = ROOT / "petition_core" / "resources" / "translations" / "suqiu_en.qm"


def test_the_catalogue_is_replaced_not_rewritten_in_place():
    subprocess.run([sys.executable, str(ROOT / "scripts" / "build_translations.py")],
                   check=True, capture_output=True)
    with open(QM, "rb") as held:            # as a process that has it loaded
        before = held.read()
        inode = QM.stat().st_ino
        subprocess.run([sys.executable, str(ROOT / "scripts" / "build_translations.py")],
                       check=True, capture_output=True)
        assert QM.stat().st_ino != inode     # a new file took the name
        held.seek(0)
        assert held.read() == before          # the open one is untouched
    assert QM.read_bytes() == before          # same content
    assert not list(QM.parent.glob(".*.tmp"))
