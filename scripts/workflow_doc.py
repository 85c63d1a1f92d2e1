"""Write (or check) the permission tables in docs/WORKFLOW.md from petition_core.permissions.

    .venv/bin/python scripts/workflow_doc.py            # --check: exit 1 when the doc differs
    .venv/bin/python scripts/workflow_doc.py --update   # rewrite the generated part
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from petition_core.permissions_doc import render_into  # noqa: E402

DOC = ROOT / "docs" / "WORKFLOW.md"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update", action="store_true", help="rewrite the generated part")
    args = parser.parse_args(argv)
    text = DOC.read_text(encoding="utf-8")
    wanted = render_into(text)
    if args.update:
        if wanted != text:
            DOC.write_text(wanted, encoding="utf-8")
            print(f"updated {DOC}")
        return 0
    if wanted != text:
        print(f"{DOC} differs from petition_core.permissions: "
              "run scripts/workflow_doc.py --update", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
