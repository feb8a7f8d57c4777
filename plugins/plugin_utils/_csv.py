# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The one CSV writer of the collection: every CSV file it writes goes through csv_text() (or csv_row()).

Text in a report comes from the API, and anyone who can create a training job chooses its name (pools and flavors
too). A spreadsheet opening the file evaluates a cell starting with =, +, - or @ as a formula (and tab or CR as the
start of one); so such a cell gets a leading apostrophe, as OWASP's "CSV injection" page advises, and every field
is quoted so that a CR or LF inside a name never starts a forged row. Numbers stay numbers.
"""

from __future__ import absolute_import, annotations, division, print_function
__metaclass__ = type

import csv
import io
import re
from typing import Any, Iterable

FORMULA_STARTS = ('=', '+', '-', '@', '\t', '\r')
# A plain decimal number written as text ("-3", "1.5") is no formula: it stays as it is, so that it reads as a number.
_PLAIN_NUMBER = re.compile(r'\A[+-]?[0-9]+(\.[0-9]+)?\Z')


def csv_cell(value: Any) -> str:
    """Give back the text a CSV cell holds for value: '' for None, numbers as they are, formulas neutralised."""
    if value is None:
        return ''
    if isinstance(value, bool):
        return 'true' if value else 'false'
    if isinstance(value, (int, float)):
        return str(value)
    text = value if isinstance(value, str) else str(value)
    if text.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.match(text):
        return "'" + text
    return text


def csv_row(values: Iterable[Any]) -> str:
    """Give back one CSV line (every field quoted, newline-terminated) for a list of values."""
    return csv_text([values])


def csv_text(rows: Iterable[Iterable[Any]]) -> str:
    """Give back CSV text for rows (lists of values; the header is the first row): cells neutralised, all quoted."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator='\n', quoting=csv.QUOTE_ALL)
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
    return out.getvalue()
