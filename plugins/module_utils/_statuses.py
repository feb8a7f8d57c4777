# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""ModelArts job status codes, their names and the groups users filter by.

Private to the collection: the leading underscore means no compatibility promise.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type


# The Job Statuses page (modelarts_03_0074), code -> API name.
STATUS_API_NAMES = {
    0: 'JOBSTAT_UNKNOWN',
    1: 'JOBSTAT_INIT',
    2: 'JOBSTAT_IMAGE_CREATING',
    3: 'JOBSTAT_IMAGE_FAILED',
    4: 'JOBSTAT_SUBMIT_TRYING',
    5: 'JOBSTAT_SUBMIT_FAILED',
    6: 'JOBSTAT_DELETE_FAILED',
    7: 'JOBSTAT_WAITING',
    8: 'JOBSTAT_RUNNING',
    9: 'JOBSTAT_KILLING',
    10: 'JOBSTAT_COMPLETED',
    11: 'JOBSTAT_FAILED',
    12: 'JOBSTAT_KILLED',
    13: 'JOBSTAT_CANCELED',
    14: 'JOBSTAT_LOST',
    15: 'JOBSTAT_SCALING',
    16: 'JOBSTAT_SUBMIT_MODEL_FAILED',
    17: 'JOBSTAT_DEPLOY_SERVICE_FAILED',
    18: 'JOBSTAT_CHECK_INIT',
    19: 'JOBSTAT_CHECK_RUNNING',
    20: 'JOBSTAT_CHECK_RUNNING_COMPLETED',
    21: 'JOBSTAT_CHECK_FAILED',
}

ALL_STATUS_CODES = tuple(sorted(STATUS_API_NAMES))

# Short names as returned in `status_name`: lower case, no JOBSTAT_ prefix.
STATUS_NAMES = dict((code, name[len('JOBSTAT_'):].lower()) for code, name in STATUS_API_NAMES.items())

# Groups are ordered so that `terminal` (a union) comes after its parts.
STATUS_GROUPS = {
    # Not finished: holds accelerators now or will soon.
    'active': (1, 2, 4, 7, 8, 9, 15, 18, 19),
    'succeeded': (10, 20),
    'failed': (3, 5, 6, 11, 14, 16, 17, 21),
    'canceled': (12, 13),
    'unknown': (0,),
}
STATUS_GROUPS['terminal'] = tuple(sorted(STATUS_GROUPS['succeeded'] + STATUS_GROUPS['failed'] + STATUS_GROUPS['canceled']))

# Every code belongs to exactly one of these; `terminal` is only a filter alias.
BASE_GROUPS = ('active', 'succeeded', 'failed', 'canceled', 'unknown')
GROUP_OF_STATUS = dict((code, group) for group in BASE_GROUPS for code in STATUS_GROUPS[group])

_CODE_BY_NAME = {}
for _code, _api_name in STATUS_API_NAMES.items():
    _CODE_BY_NAME[_api_name.lower()] = _code
    _CODE_BY_NAME[STATUS_NAMES[_code]] = _code


class StatusValueError(ValueError):
    """A status value that is neither a code, a status name nor a group."""


def allowed_status_values_text():
    """Give back a short sentence listing what `status` accepts, for error messages."""
    return ('status codes 0-21, status names such as running or JOBSTAT_RUNNING (any case), '
            'or groups: %s' % ', '.join(sorted(STATUS_GROUPS)))


def status_codes_for(value):
    """Give back the tuple of status codes that one user-supplied status value stands for."""
    if isinstance(value, bool):
        raise StatusValueError('%r is not a status' % (value,))
    if isinstance(value, int):
        code = value
    else:
        text = str(value).strip()
        lowered = text.lower()
        if lowered in STATUS_GROUPS:
            return STATUS_GROUPS[lowered]
        if lowered in _CODE_BY_NAME:
            return (_CODE_BY_NAME[lowered],)
        try:
            code = int(text)
        except ValueError:
            raise StatusValueError('unknown status %r' % (text,))
    if code not in STATUS_API_NAMES:
        raise StatusValueError('unknown status code %r' % (code,))
    return (code,)


def resolve_statuses(values):
    """Give back the sorted status codes for a list of codes, names and groups (None for all)."""
    if not values:
        return None
    codes = set()
    for value in values:
        codes.update(status_codes_for(value))
    if len(codes) == len(ALL_STATUS_CODES):
        # Asking for every status is asking for no filter: one API call instead of 22.
        return None
    return sorted(codes)


def status_name(code):
    """Give back the short lower-case name of a status code ('unknown_<code>' if the API invents one)."""
    name = STATUS_NAMES.get(code)
    return name if name is not None else 'unknown_%s' % (code,)


def status_group(code):
    """Give back the base group of a status code (unknown for codes the table does not know)."""
    return GROUP_OF_STATUS.get(code, 'unknown')
