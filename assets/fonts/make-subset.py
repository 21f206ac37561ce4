#!/usr/bin/env python3
"""Makes NotoSansCJKsc-Regular-subset.otf, the font the chart pictures are drawn with.

Charts are rendered on servers that have no Chinese font, so planwatch bundles its own:
the Simplified Chinese face of Noto Sans CJK (SIL OFL 1.1, see OFL.txt), cut down to
ASCII, common CJK punctuation and full-width forms, and the 3755 hanzi of GB2312 level 1.

Usage: python3 assets/fonts/make-subset.py [path/to/NotoSansCJK-Regular.ttc]
(Debian package fonts-noto-cjk; needs fonttools: pip install fonttools)
"""

import os
import subprocess
import sys
import tempfile

SOURCE = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
# Index of the SC face in the Debian collection (JP, KR, SC, TC, HK; Sans then Mono).
SC_FACE = 2
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "NotoSansCJKsc-Regular-subset.otf")


def gb2312_level1():
    """The 3755 hanzi of GB2312 level 1: rows 0xB0-0xD7, cells 0xA1-0xFE."""
    chars = []
    for row in range(0xB0, 0xD8):
        for cell in range(0xA1, 0xFF):
            try:
                chars.append(bytes([row, cell]).decode("gb2312"))
            except UnicodeDecodeError:
                pass  # the five empty cells at the end of row 0xD7
    return chars


def main():
    source = sys.argv[1] if len(sys.argv) > 1 else SOURCE
    hanzi = gb2312_level1()
    assert len(hanzi) == 3755, len(hanzi)
    ranges = [
        "U+0020-007E",  # ASCII
        "U+00A0-00FF",  # Latin-1: ° ± × ÷ ·
        "U+2010-2027",  # dashes, quotes, ellipsis
        "U+2030-203B",  # ‰ ‱ ′ ″ ※
        "U+2103", "U+2116", "U+2160-216B",  # ℃ № Roman numerals
        "U+2190-2193", "U+2460-2473",  # arrows, circled numbers ①..⑳
        "U+25A0-25CF",  # ■ □ ▲ △ ◆ ○ ●
        "U+3000-303F",  # CJK symbols and punctuation
        "U+FF01-FF5E",  # full-width forms
        "U+FFE0-FFE5",  # full-width signs ￥
    ]
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as f:
        f.write("".join(hanzi))
        text_file = f.name
    try:
        subprocess.run(
            [
                sys.executable, "-m", "fontTools.subset", source,
                f"--font-number={SC_FACE}",
                f"--text-file={text_file}",
                "--unicodes=" + ",".join(ranges),
                f"--output-file={OUT}",
                "--no-hinting",
                # Kerning only: the default features pull in the vertical and the JP/KR/TC
                # forms (locl, vert), doubling the glyphs, and every feature kept is parsed
                # again for each text of each chart.
                "--layout-features=kern",
                # Plain charstrings draw faster than subroutine calls, at little size cost.
                "--desubroutinize",
                "--name-IDs=*",
                "--name-languages=*",
            ],
            check=True,
        )
    finally:
        os.unlink(text_file)
    print(f"{OUT}: {os.path.getsize(OUT)} bytes")


if __name__ == "__main__":
    main()
