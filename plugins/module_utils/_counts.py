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

from ansible_collections.mlops.modelarts.plugins.module_utils._errors import OptionError

# Accelerators one version may hold. The largest ModelArts flavors have 8 GPUs or NPUs per node (the 8xlarge pool
# flavors, api/v2.md) and a distributed job a few hundred nodes at most: 1,000,000 leaves a margin of more than
# a hundred times over any real job, while keeping every sum small enough for floats: 250,000 versions (the most
# one query receives) x 1,000,000 accelerators x ten thousand years of milliseconds stays far below 1e308.
MAX_ACCELERATORS = 1000000
# How many versions with unknown accelerators one warning names (the count is always given in full).
WARNING_EXAMPLES = 3


def read_number(value, whole=True):
    """Give back the number `value` holds, or None when it holds none: the one reader of numbers from outside.

    An int as it is (any size or sign); a finite float (only an integral one when `whole`); text of ASCII digits,
    with a sign when not `whole`, as an int; other number text (a decimal point, an exponent) as a float when not
    `whole`. A bool, None, NaN, an infinity (also as text: '1e400'), more digits than int() reads (4300 on Python
    3.11), other text and anything else are no number: None. Bounds are the caller's (bounded_number, or none for
    a total_count 10**400 that must still be paged and shown).
    """
    if value.__class__ is int:
        return value
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str):
        text = value.strip()
        if not text.isascii() or not text or (whole and not text.isdigit()):
            return None
        try:
            if text.isdigit() or (text[0] in '+-' and text[1:].isdigit()):
                return int(text)
            value = float(text)
        except (ValueError, OverflowError):  # 'abc', or more digits than int() reads
            return None
        return value if math.isfinite(value) else None  # '1e400' and 'nan' as text
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float) and math.isfinite(value) and not (whole and not value.is_integer()):
        return value
    return None


def bounded_number(value, maximum, whole=True):
    """Give back `value` as a number from 0 to `maximum` (an int when `whole`), or None when it is not one.

    read_number() decides what is a number (a float or text with a decimal point only when not `whole`; a float
    such as 4.0 from a template when `whole`). A negative number, one above `maximum` (10**400 is valid JSON) and
    anything read_number() refuses are no such number: None.
    """
    if value.__class__ is int:  # what checked API versions hold (exact: a bool is never a count)
        return value if 0 <= value <= maximum else None
    number = read_number(value, whole)
    if number is None or not 0 <= number <= maximum:
        return None
    return int(number) if whole else number


def option_integer(name, value, minimum=0, default=None):
    """Give back an integer option's value (`default` when it is None), or raise OptionError naming the option.

    int() reads it, as AnsibleModule's type='int' does for a module ('5' is 5); a bool is a mistake in the
    playbook, not a count (int(True) would be 1).
    """
    if value is None:
        return default
    if isinstance(value, bool):
        raise OptionError('%s must be an integer, %d or greater; got %r' % (name, minimum, value))
    if not isinstance(value, int):
        try:
            value = int(value)
        except (TypeError, ValueError, OverflowError):  # OverflowError: int(float('inf'))
            raise OptionError('%s must be an integer, %d or greater; got %r' % (name, minimum, value))
    if value < minimum:
        raise OptionError('%s must be %d or greater; got %d' % (name, minimum, value))
    return value


def accelerator_count(value):
    """Give back gpu_num or npu_num as an int from 0 to MAX_ACCELERATORS; 0 when absent; None when invalid.

    Absent (None or empty text) is 0 as it always was: CPU versions may omit the field. Invalid (negative, above the
    bound, fractional, a bool, text other than digits) is None: unknown, never summed, never 0.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return 0
    return bounded_number(value, MAX_ACCELERATORS)


def record_accelerators(gpus, npus, api_version=None):
    """Give back a record's (GPUs, NPUs) as accelerator_count() reads them, but a v2 record's null as None (unknown).

    A v1 version may omit gpu_num on a CPU flavor (0, as always); a v2 record says null only when no source told
    its flavor's accelerators (_v2_jobs.record_from_job), which must count as unknown, never as 0.
    """
    if api_version == 'v2':
        return (None if gpus is None else accelerator_count(gpus)), (None if npus is None else accelerator_count(npus))
    return accelerator_count(gpus), accelerator_count(npus)


def note_unknown(unknown, version_id, gpus, npus, gpu_count, npu_count, api_version=None, flavor_code=None):
    """Note one record whose counts hold a None in `unknown` (an UnknownAccelerators): a v2 null names its flavor."""
    if api_version == 'v2' and (gpus is None or npus is None):
        unknown.note_flavor(flavor_code)
    else:
        unknown.note(version_id, gpus, npus, gpu_count, npu_count)


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
