"""Write docx_templates/reference.docx from gkxl/word/styles.py: `python docx_templates/build_reference.py`.

The bytes are deterministic, so a rebuild without a change in styles.py leaves the file unchanged. An office
that wants other fonts or sizes may edit a copy of reference.docx in Word/WPS and pass it with --reference.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without installing

from gkxl.word.reference import build_reference  # noqa: E402

TARGET = Path(__file__).resolve().parent / "reference.docx"


def main() -> int:
    data = build_reference()
    if TARGET.exists() and TARGET.read_bytes() == data:
        print(f"{TARGET} is up to date")
        return 0
    TARGET.write_bytes(data)
    print(f"wrote {TARGET} ({len(data)} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
