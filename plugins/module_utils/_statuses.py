# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""ModelArts job statuses: v1 status codes, v2 phases, their names and the groups users filter by.

Private to the collection: the leading underscore means no compatibility promise.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.mlops.modelarts.plugins.module_utils._counts import shown_value
from ansible_collections.mlops.modelarts.plugins.module_utils._errors import OptionError


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

# The new-version (v2) training API gives a job's status as a phase (api/v2.md), spelled as here.
V2_PHASES = ('Creating', 'Pending', 'Running', 'Failed', 'Completed', 'Terminating', 'Terminated', 'Abnormal')
PHASE_GROUPS = {
    'active': ('Creating', 'Pending', 'Running', 'Terminating'),
    'succeeded': ('Completed',),
    'failed': ('Failed', 'Abnormal'),
    'canceled': ('Terminated',),
    # No documented phase is unknown; a phase the table does not know is (status_group).
    'unknown': (),
}
PHASE_GROUPS['terminal'] = PHASE_GROUPS['succeeded'] + PHASE_GROUPS['failed'] + PHASE_GROUPS['canceled']
_PHASE_BY_NAME = dict((phase.lower(), phase) for phase in V2_PHASES)

# Records of both APIs carry their status in `status`: a v1 code (an int: the v1 source checks it) or a v2 phase
# (text). One table each for names and groups lets enrich(), the summary, the gate and usage, which look a status up
# here, treat both alike; a v1 code and a v2 phase are never equal, so neither API's lookups change.
for _phase in V2_PHASES:
    STATUS_NAMES[_phase] = _phase.lower()
for _group in BASE_GROUPS:
    for _phase in PHASE_GROUPS[_group]:
        GROUP_OF_STATUS[_phase] = _group

TRAINING_APIS = ('all', 'v1', 'v2')
APIS_OF_TRAINING_API = {'all': ('v1', 'v2'), 'v1': ('v1',), 'v2': ('v2',)}


class StatusValueError(ValueError):
    """A status value that is neither a code, a status name nor a group."""


def allowed_status_values_text(training_api='v1'):
    """Give back a short sentence listing what `status` accepts with `training_api`, for error messages."""
    if training_api == 'v1':
        return ('status codes 0-21, status names such as running or JOBSTAT_RUNNING (any case), '
                'or groups: %s' % ', '.join(sorted(STATUS_GROUPS)))
    v2_groups = ', '.join(sorted(group for group, phases in PHASE_GROUPS.items() if phases))
    if training_api == 'v2':
        return 'v2 phases %s (any case), or groups: %s' % (', '.join(V2_PHASES), v2_groups)
    return ('v1 status codes 0-21 and names such as running or JOBSTAT_RUNNING, v2 phases %s (any case), '
            'or groups: %s (unknown: v1 only)' % (', '.join(V2_PHASES), ', '.join(sorted(STATUS_GROUPS))))


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
    """Give back the short lower-case name of a v1 code or v2 phase ('unknown_<status>' if the API invents one)."""
    name = STATUS_NAMES.get(code)
    return name if name is not None else 'unknown_%s' % (code,)


def status_group(code):
    """Give back the base group of a v1 code or v2 phase (unknown for statuses the tables do not know)."""
    return GROUP_OF_STATUS.get(code, 'unknown')


def phases_for(value):
    """Give back the tuple of v2 phases one user-supplied status value stands for (empty: none, e.g. a v1 code).

    Groups and the short names the v2 phases share (running, completed, any case) apply to v2; codes and the
    JOBSTAT_ names are v1's own. A group wins over a phase of the same name, as it does for v1: `failed` is the
    group (Failed and Abnormal), as it is codes 3, 5, 6, 11, 14, 16, 17 and 21 on v1.
    """
    if not isinstance(value, str):
        return ()
    lowered = value.strip().lower()
    if lowered in PHASE_GROUPS:
        return PHASE_GROUPS[lowered]
    phase = _PHASE_BY_NAME.get(lowered)
    return (phase,) if phase is not None else ()


class StatusSelection(object):
    """What one query asks of each API for its `status` values: v1 codes, v2 phases, and which APIs to ask at all.

    `codes` (sorted v1 codes) and `phases` (v2 phases in table order) are None when every status of that API is
    wanted (no filter is sent) and empty when none is; `apis` lists the APIs to ask, in the order v1, v2: an API in
    which none of the values exists is left out, so that a query for `pending` never asks v1.
    """

    __slots__ = ('codes', 'phases', 'apis')

    def __init__(self, codes, phases, apis):
        self.codes = codes
        self.phases = phases
        self.apis = apis

    def asks(self, api):
        """Say whether the API ('v1' or 'v2') is to be asked at all."""
        return api in self.apis

    def accepts(self, status):
        """Say whether a record's status (a v1 code or a v2 phase) is one of the statuses selected."""
        if isinstance(status, str):
            return 'v2' in self.apis and (self.phases is None or status in self.phases)
        return 'v1' in self.apis and (self.codes is None or status in self.codes)


def select_statuses(values, training_api='all', option='status'):
    """Give back the StatusSelection of the `status` option's values for `training_api` (all, v1 or v2).

    No values (None or empty) select every status of every selected API. Raises OptionError naming `option` for a
    value that exists in none of the selected APIs (a code under v2, `pending` under v1, a typo anywhere), before
    any request; with `training_api: v1` the codes are exactly resolve_statuses()'s.
    """
    if training_api not in APIS_OF_TRAINING_API:
        raise OptionError('training_api: %r is not one of %s' % (training_api, ', '.join(TRAINING_APIS)))
    selected = APIS_OF_TRAINING_API[training_api]
    if values is not None and not isinstance(values, (list, tuple)):
        values = [values]
    if not values:
        return StatusSelection(None if 'v1' in selected else [], None if 'v2' in selected else [], selected)
    codes = set()
    phases = set()
    for value in values:
        try:
            value_codes = status_codes_for(value)
            v1_problem = None
        except StatusValueError as exc:
            value_codes = ()
            v1_problem = exc
        value_phases = phases_for(value)
        if 'v1' in selected:
            codes.update(value_codes)
        if 'v2' in selected:
            phases.update(value_phases)
        if ('v1' in selected and value_codes) or ('v2' in selected and value_phases):
            continue
        if value_codes or value_phases:
            problem = '%s exists only in the %s API, and training_api is %s' % (
                shown_value(value), 'v1' if value_codes else 'v2', training_api)
        else:
            problem = str(v1_problem)
        raise OptionError('%s: %s; allowed are %s' % (option, problem, allowed_status_values_text(training_api)))
    apis = tuple(api for api in selected if (codes if api == 'v1' else phases))
    return StatusSelection(None if len(codes) == len(ALL_STATUS_CODES) else sorted(codes),
                           None if len(phases) == len(V2_PHASES) else [phase for phase in V2_PHASES if phase in phases],
                           apis)
