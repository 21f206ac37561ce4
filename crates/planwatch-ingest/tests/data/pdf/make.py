#!/usr/bin/env python3
"""Makes the PDF fixtures from the shipped plans, as an office would: each plan typeset
on A4 with a page number in the foot ("— 3 —"), the 专栏 indicator tables as real
tables, converted by LibreOffice ("save as PDF"). Needs libreoffice-writer-nogui and
fonts-noto-cjk (Debian). Run from this folder:

    python3 make.py ../../../../../assets/plans/*.txt

Each NNN_*.txt gives NNN.pdf here.

`002-women-chrome.pdf` is another typesetter's copy: the first 417 lines of 石柱's plan (the
women's plan) made into a .fodt by body() below, converted to HTML by LibreOffice
(`soffice --headless --convert-to html`) and printed by Chrome (`chromium --headless
--print-to-pdf`), with its header and footer (the date, the file's address, "4/35"). Its
fonts map many characters onto the Kangxi radicals ("妇⼥"), and it cuts a table row at the
foot of a page without drawing its border. With --repeat-heading first, each table's first row is
repeated at the top of every page the table goes on to (Word's 重复标题行), and the files
are named NNN-heading.pdf. Rows may break across pages in both (the default of Word and
LibreOffice).

With --official, the plan is set as a government office sets its documents: a serif face at
16pt (三号), paragraphs indented two characters, a running head ("某某县人民政府行政规范性文件")
and "第 N 页 共 M 页" in the foot; punctuation that ends a line hangs past the margin, and
narrow table columns wrap their heading so that the page can cut it. Files NNN-official.pdf.
With --lines N only the first N lines of each plan are set (003-official.pdf: --lines 170,
the women's plan's first two domains).
"""
import html
import os
import subprocess
import sys
import tempfile

HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
<office:font-face-decls>
 <style:font-face style:name="Noto Sans CJK SC" svg:font-family="'Noto Sans CJK SC'"
  xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"/>
</office:font-face-decls>
<office:styles>
 <style:style style:name="Standard" style:family="paragraph">
  <style:paragraph-properties fo:margin-bottom="0.1cm" fo:text-align="justify"/>
  <style:text-properties style:font-name="Noto Sans CJK SC" fo:font-size="12pt"
   style:font-name-asian="Noto Sans CJK SC" style:font-size-asian="12pt"/>
 </style:style>
 <style:style style:name="Footer" style:family="paragraph" style:parent-style-name="Standard">
  <style:paragraph-properties fo:text-align="center"/>
 </style:style>
</office:styles>
<office:automatic-styles>
 <style:page-layout style:name="pm1">
  <style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm"
   fo:margin-top="2.5cm" fo:margin-bottom="2cm" fo:margin-left="2.8cm" fo:margin-right="2.6cm"/>
  <style:footer-style><style:header-footer-properties fo:min-height="0.8cm"/></style:footer-style>
 </style:page-layout>
 <style:style style:name="Cell" style:family="table-cell">
  <style:table-cell-properties fo:border="0.5pt solid #000000" fo:padding="0.05cm"/>
 </style:style>
</office:automatic-styles>
<office:master-styles>
 <style:master-page style:name="Standard" style:page-layout-name="pm1">
  <style:footer><text:p text:style-name="Footer">— <text:page-number text:select-page="current"/> —</text:p></style:footer>
 </style:master-page>
</office:master-styles>
<office:body><office:text>
"""
TAIL = "</office:text></office:body></office:document>\n"


def para(text):
    return '<text:p text:style-name="Standard">%s</text:p>\n' % html.escape(text)


REPEAT_HEADING = False


def table(rows):
    width = max(len(r) for r in rows)
    out = ['<table:table table:name="T%d">' % id(rows)]
    out.append('<table:table-column table:number-columns-repeated="%d"/>' % width)
    for n, r in enumerate(rows):
        heading = REPEAT_HEADING and n == 0
        if heading:
            out.append("<table:table-header-rows>")
        out.append("<table:table-row>")
        for k in range(width):
            cell = r[k] if k < len(r) else ""
            out.append('<table:table-cell table:style-name="Cell" office:value-type="string">')
            out.append(para(cell))
            out.append("</table:table-cell>")
        out.append("</table:table-row>")
        if heading:
            out.append("</table:table-header-rows>")
    out.append("</table:table>")
    return "".join(out)


def body(lines):
    """Paragraphs, and the one-cell-a-line tables (rows separated by blank lines, a line
    without a tab continuing the cell before) as real tables."""
    out = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.startswith("\t"):
            if line.strip():
                out.append(para(line.strip()))
            i += 1
            continue
        rows, row = [], []
        while i < len(lines):
            l = lines[i]
            if l.startswith("\t"):
                row.append(l[1:].strip())
            elif not l.strip():
                if row:
                    rows.append(row)
                row = []
                # A blank line followed by no cell ends the table.
                if i + 1 < len(lines) and not lines[i + 1].startswith("\t"):
                    break
            elif len(l.strip()) <= 24 and row:
                row[-1] += l.strip()
            else:
                break
            i += 1
        if row:
            rows.append(row)
        out.append(table(rows))
    return "".join(out)


def official(head):
    """The document's head in an office's typesetting (see --official)."""
    head = head.replace("Noto Sans CJK SC", "Noto Serif CJK SC")
    head = head.replace('fo:font-size="12pt"', 'fo:font-size="16pt"')
    head = head.replace('style:font-size-asian="12pt"', 'style:font-size-asian="16pt"')
    head = head.replace(
        '<style:paragraph-properties fo:margin-bottom="0.1cm" fo:text-align="justify"/>',
        '<style:paragraph-properties fo:margin-bottom="0cm" fo:text-align="justify"'
        ' fo:text-indent="1.13cm"/>',
    )
    head = head.replace(
        "<style:footer-style>",
        '<style:header-style><style:header-footer-properties fo:min-height="0.8cm"/>'
        "</style:header-style><style:footer-style>",
    )
    head = head.replace(
        '<style:footer><text:p text:style-name="Footer">— <text:page-number'
        ' text:select-page="current"/> —</text:p></style:footer>',
        '<style:header><text:p text:style-name="Footer">某某县人民政府行政规范性文件</text:p>'
        '</style:header><style:footer><text:p text:style-name="Footer">第 <text:page-number'
        ' text:select-page="current"/> 页 共 <text:page-count/> 页</text:p></style:footer>',
    )
    return head


def main():
    global REPEAT_HEADING
    paths = sys.argv[1:]
    suffix, head, keep = "", HEAD, None
    while paths and paths[0].startswith("--"):
        option = paths.pop(0)
        if option == "--repeat-heading":
            REPEAT_HEADING = True
            suffix = "-heading"
        elif option == "--official":
            suffix, head = "-official", official(HEAD)
        elif option == "--lines":
            keep = int(paths.pop(0))
    for path in paths:
        prefix = os.path.basename(path)[:3] + suffix
        with open(path, encoding="utf-8") as f:
            lines = f.read().split("\n")[:keep]
        with tempfile.TemporaryDirectory() as tmp:
            fodt = os.path.join(tmp, prefix + ".fodt")
            with open(fodt, "w", encoding="utf-8") as f:
                f.write(head + body(lines) + TAIL)
            subprocess.run(
                ["soffice", "--headless", "--convert-to", "pdf", "--outdir", ".", fodt],
                check=True,
            )


if __name__ == "__main__":
    main()
