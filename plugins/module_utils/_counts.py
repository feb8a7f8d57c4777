# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Which numbers from a server or an inventory may go into sums: the one place that decides it.

Private to the collection: the leading underscore means no compatibility promise.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import math

# Accelerators one version may hold. The largest ModelArts flavors have 8 GPUs or NPUs per node (the 8xlarge pool
# flavors, api/v2.md) and a distributed job a few hundred nodes at most: 1,000,000 leaves a margin of more than
# a hundred times over any real job, while keeping every sum small enough for floats: 250,000 versions (the most
# one query receives) x 1,000,000 accelerators x ten thousand years of milliseconds stays far below 1e308.
MAX_ACCELERATORS = 1000000
# How many versions with unknown accelerators one warning names (the count is always given in full).
WARNING_EXAMPLES = 3


def bounded_number(value, maximum, whole=True):
    """Give back `value` as a number from 0 to `maximum` (an int when `whole`), or None when it is not one.

    Numbers and text of ASCII digits are read (text with a decimal point or exponent only when not `whole`; a float
    only when whole, such as 4.0 from a template, when `whole`). A bool, NaN, an infinity, a negative number,
    one above `maximum` (10**400 is valid JSON), and anything else are no such number: None.
    """
    if value.__class__ is int:  # what checked API versions hold (exact: a bool is never a count)
        return value if 0 <= value <= maximum else None
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str):
        text = value.strip()
        if not text.isascii() or not (text.isdigit() or (not whole and text)):
            return None
        try:
            value = int(text) if text.isdigit() else float(text)
        except (ValueError, OverflowError):  # 'abc', or more digits than int() reads (4300 on Python 3.11)
            return None
    elif isinstance(value, int):
        value = int(value)
    elif isinstance(value, float):
        if not math.isfinite(value) or (whole and not value.is_integer()):
            return None
    else:
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None  # '1e400' and 'nan' as text
    if not 0 <= value <= maximum:
        return None
    return int(value) if whole else value


def accelerator_count(value):
    """Give back gpu_num or npu_num as an int from 0 to MAX_ACCELERATORS; 0 when absent; None when invalid.

    Absent (None or empty text) is 0 as it always was: CPU versions may omit the field. Invalid (negative, above the
    bound, fractional, a bool, text other than digits) is None: unknown, never summed, never 0.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return 0
    return bounded_number(value, MAX_ACCELERATORS)


def shown_value(value):
    """Give back a short, one-line text of a hostile value for a warning (10**400 is not printed in full)."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10 ** 12:
        # repr() of an int above 4300 digits raises on Python 3.11; the size is what matters to a reader.
        return '%san integer of about %d digits' % ('-' if value < 0 else '', int(value.bit_length() * math.log10(2)) + 1)
    text = repr(value)
    return text if len(text) <= 40 else text[:36] + '...'


class UnknownAccelerators(object):
    """Collects the versions whose gpu_num or npu_num is invalid, for one warning per summary."""

    def __init__(self):
        self.count = 0
        self.examples = []
        # Versions whose flavor no source told the accelerators of (v2 jobs), and the first flavors, for the warning.
        self.flavor_count = 0
        self.flavors = []
        self.more_flavors = False

    def note(self, version_id, gpus, npus, gpu_count, npu_count):
        """Count one version whose counts (gpu_count, npu_count: accelerator_count() of gpus, npus) hold a None."""
        self.count += 1
        if len(self.examples) < WARNING_EXAMPLES:
            fields = ['%s=%s' % (name, shown_value(raw)) for name, raw, count in
                      (('gpu_num', gpus, gpu_count), ('npu_num', npus, npu_count)) if count is None]
            self.examples.append('version_id %s: %s' % (shown_value(version_id), ', '.join(fields)))

    def note_flavor(self, flavor_code):
        """Count one version whose gpu_num and npu_num are null: no source told its flavor's accelerators (v2)."""
        self.flavor_count += 1
        shown = shown_value(flavor_code)
        if shown not in self.flavors:
            if len(self.flavors) < WARNING_EXAMPLES:
                self.flavors.append(shown)
            else:
                self.more_flavors = True

    def warning(self, subject):
        """Give back the warning for `subject` (who computed the sums), or None when every count was known."""
        parts = []
        if self.count:
            parts.append('%d version%s carr%s a gpu_num or npu_num that is not a whole number from 0 to %d (%s%s): '
                         'those accelerators are unknown, counted in accelerators_unknown and not summed' % (
                             self.count, '' if self.count == 1 else 's', 'ies' if self.count == 1 else 'y',
                             MAX_ACCELERATORS, '; '.join(self.examples),
                             '; ...' if self.count > len(self.examples) else ''))
        if self.flavor_count:
            parts.append('%d version%s run%s on a flavor whose accelerators neither the job, nor the flavors list, nor '
                         'the documented pool flavors tell (flavor_id %s%s): gpu_num and npu_num are null, counted in '
                         'accelerators_unknown and not summed' % (
                             self.flavor_count, '' if self.flavor_count == 1 else 's',
                             's' if self.flavor_count == 1 else '', ', '.join(self.flavors),
                             ', ...' if self.more_flavors else ''))
        if not parts:
            return None
        return '%s: %s' % (subject, '; '.join(parts))
