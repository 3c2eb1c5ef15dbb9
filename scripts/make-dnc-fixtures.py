#!/usr/bin/env python3
"""Writes the DNC upload test files into domain/tests/fixtures/dnc/.

The outputs are committed: the tests in domain/src/dnc/parse/tests read them and do not run
this script. Run it again only to change a fixture (the workbooks then differ byte for byte but
not in content). Needs `pip install xlsxwriter odfpy xlwt msoffcrypto-tool`.

XLSX files are written with XlsxWriter because it stores a formula's cached value (openpyxl does
not), which is what a reader sees without recalculating.
"""
import pathlib
import subprocess
import sys

import xlsxwriter
import xlwt
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import Table, TableCell, TableRow
from odf.text import P

out = pathlib.Path(__file__).resolve().parent.parent / "domain" / "tests" / "fixtures" / "dnc"
out.mkdir(parents=True, exist_ok=True)

# Five phone rows and one e-mail: two spellings of one UK number (duplicates once normalised with
# country code 44), one too short, one with letters, one empty cell.
ROWS = [
    ("Ann", "+44 7700 900123"),
    ("Bob", "07700900123"),
    ("Cy", "12345"),
    ("Di", "call me"),
    ("Ed", ""),
    ("Flo", "Flo@Example.com"),
]


def text(name, content, encoding="utf-8", bom=b""):
    (out / name).write_bytes(bom + content.encode(encoding))


def delimited(sep, newline, header=("name", "phone")):
    lines = [sep.join(header)] + [sep.join(row) for row in ROWS]
    return newline.join(lines) + newline


text("utf8.csv", delimited(",", "\n"))
text("utf8_bom.csv", delimited(",", "\r\n"), bom=b"\xef\xbb\xbf")
text("utf16le.txt", delimited("\t", "\r\n"), "utf-16-le", b"\xff\xfe")
text("utf16be.csv", delimited(",", "\n"), "utf-16-be", b"\xfe\xff")
text("semicolon.csv", delimited(";", "\r\n"))
text("tab.txt", delimited("\t", "\n"))
text("cr.csv", delimited(",", "\r"))
# Excel's "CSV" on Western Windows: semicolons, Windows-1252, accented names.
text("windows1252.csv",
     "nom;téléphone\r\nJosé Müller;+33 6 12 34 56 78\r\nRenée;06 12 34 56 79\r\n", "cp1252")
# A quoted name over two lines: the next record starts on line 4.
text("quoted_newline.csv",
     'name,phone\n"Smith,\nJohn",+447700900123\nAnn,+447700900124\n')
text("header_only.csv", "name,phone\r\n")
text("empty.csv", "")
text("contact_ids.csv", "userContactId,name\nC0001,Ann\n C0002 ,Bob\nC0001,Ann again\n,Nobody\n")
# A PNG header and some bytes: binary content with a .csv name.
(out / "binary.csv").write_bytes(
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)

# Two sheets: phones first, e-mails second.
book = xlsxwriter.Workbook(str(out / "two_sheets.xlsx"))
phones = book.add_worksheet("Phones")
phones.write_row(0, 0, ["Name", "Phone"])
phones.write_row(1, 0, ["Ann", "+447700900123"])
phones.write_row(2, 0, ["Bob", "+447700900124"])
emails = book.add_worksheet("Emails")
emails.write_row(0, 0, ["E-mail"])
emails.write_row(1, 0, ["ann@example.com"])
emails.write_row(2, 0, ["BOB@example.com"])
emails.write_row(3, 0, ["not-an-address@"])
book.close()

# Phone numbers stored as numbers, and a formula whose saved result is a phone number.
book = xlsxwriter.Workbook(str(out / "numbers.xlsx"))
sheet = book.add_worksheet("Numbers")
sheet.write_row(0, 0, ["Customer", "Mobile"])
sheet.write(1, 0, "Ann")
sheet.write_number(1, 1, 447700900123.0)
sheet.write(2, 0, "Bob")
sheet.write_number(2, 1, 4.477009e11)
sheet.write(3, 0, "Cy")
sheet.write_formula(3, 1, "=447700900000+125", None, 447700900125)
sheet.write(4, 0, "Di")
sheet.write_number(4, 1, 7700900126)
book.close()

# The password-protected copy: an OOXML workbook encrypted into a compound file.
subprocess.run([sys.executable, "-m", "msoffcrypto", str(out / "numbers.xlsx"),
                str(out / "protected.xlsx"), "-e", "-p", "secret"], check=True)

# A workbook cut off halfway: the zip's central directory is missing.
whole = (out / "two_sheets.xlsx").read_bytes()
(out / "corrupt.xlsx").write_bytes(whole[: len(whole) // 2])

# ODS: contact ids, one as a number.
doc = OpenDocumentSpreadsheet()
table = Table(name="Contacts")
for values in [("userContactId", "Name"), ("C0001", "Ann"), (17, "Bob"), ("C0001", "Ann again")]:
    row = TableRow()
    for value in values:
        if isinstance(value, int):
            cell = TableCell(valuetype="float", value=value)
        else:
            cell = TableCell(valuetype="string")
        cell.addElement(P(text=str(value)))
        row.addElement(cell)
    table.addElement(row)
doc.spreadsheet.addElement(table)
doc.save(str(out / "contacts.ods"))

# XLS (BIFF8): phone numbers as text and as a number.
book = xlwt.Workbook()
sheet = book.add_sheet("Sheet1")
for r, (name, phone) in enumerate([("Name", "Telephone"), ("Ann", "+44 7700 900123"),
                                   ("Bob", 447700900124.0)]):
    sheet.write(r, 0, name)
    sheet.write(r, 1, phone)
book.save(str(out / "phones.xls"))

print(f"wrote {len(list(out.iterdir()))} files to {out}")
