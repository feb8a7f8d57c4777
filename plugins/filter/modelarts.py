# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Filters mlops.modelarts.gpu_summary, gpu_usage and job_status (documented in gpu_summary.yml, gpu_usage.yml, job_status.yml)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from collections.abc import Mapping, Sequence

from ansible.errors import AnsibleFilterError
from ansible.utils.display import Display

from ansible_collections.mlops.modelarts.plugins.module_utils._statuses import (
    GROUP_OF_STATUS, STATUS_API_NAMES, STATUS_GROUPS, STATUS_NAMES, StatusValueError, allowed_status_values_text,
    status_codes_for,
)
from ansible_collections.mlops.modelarts.plugins.module_utils._counts import UnknownAccelerators
from ansible_collections.mlops.modelarts.plugins.module_utils._errors import OptionError
from ansible_collections.mlops.modelarts.plugins.module_utils._usage import UsageWindow
from ansible_collections.mlops.modelarts.plugins.module_utils._versions import summarize
from ansible_collections.mlops.modelarts.plugins.plugin_utils._kinds import kind_of

display = Display()
JOB_STATUS_OUTPUTS = ('auto', 'code', 'name', 'api_name', 'group')


def _status_code(value):
    """Give back a version's status as an int when it is one written as text (for example from a CSV)."""
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return value


def _version_records(versions, filter_name):
    """Give back a list of version dicts (status written as digits read as its code), or raise AnsibleFilterError."""
    if versions is None:
        versions = []
    if isinstance(versions, (str, bytes, Mapping)) or not isinstance(versions, Sequence):
        raise AnsibleFilterError('mlops.modelarts.%s expects a list of versions (dicts with status, gpu_num, '
                                 'npu_num, pool_id, flavor_code); got %s' % (filter_name, kind_of(versions)))
    records = []
    for index, version in enumerate(versions):
        if not isinstance(version, Mapping):
            raise AnsibleFilterError('mlops.modelarts.%s: item %d is %s, not a version (a dict); '
                                     'flatten lists of lists first' % (filter_name, index, kind_of(version)))
        record = dict(version)
        record['status'] = _status_code(record.get('status'))
        records.append(record)
    return records


def _warn_unknown(unknown, filter_name):
    """Show the warning of versions whose accelerators were invalid, once per call, as the modules warn."""
    warning = unknown.warning('mlops.modelarts.%s' % filter_name)
    if warning:
        display.warning(warning)


def gpu_summary(versions):
    """Give back the gpu_summary dict of a list of versions, as the modules and the lookup compute it."""
    unknown = UnknownAccelerators()
    summary = summarize(_version_records(versions, 'gpu_summary'), unknown)
    _warn_unknown(unknown, 'gpu_summary')
    return summary


def gpu_usage(versions, since=None, until=None):
    """Give back the gpu_usage dict of a list of versions in the window since..until, as the modules compute it."""
    records = _version_records(versions, 'gpu_usage')
    if since is None or (isinstance(since, str) and not since.strip()):
        raise AnsibleFilterError("mlops.modelarts.gpu_usage needs since, the start of the window (for example "
                                 "since='30d' or since='2026-11-01')")
    unknown = UnknownAccelerators()
    try:
        usage = UsageWindow(since, until, since_name='since', until_name='until').usage(records, unknown=unknown)
    except OptionError as exc:
        raise AnsibleFilterError('mlops.modelarts.gpu_usage: %s' % exc)
    _warn_unknown(unknown, 'gpu_usage')
    return usage


def _is_code(value):
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    return isinstance(value, str) and value.strip().isdigit()


def _convert_code(code, output):
    if output in ('auto', 'name'):
        return STATUS_NAMES[code]
    if output == 'code':
        return code
    if output == 'api_name':
        return STATUS_API_NAMES[code]
    return GROUP_OF_STATUS[code]


def job_status(value, output='auto'):
    """Give back the name of a status code, the code of a status name, or the codes of a group."""
    if output not in JOB_STATUS_OUTPUTS:
        raise AnsibleFilterError('mlops.modelarts.job_status: output %r is not one of %s'
                                 % (output, ', '.join(JOB_STATUS_OUTPUTS)))
    if isinstance(value, (list, tuple)):
        raise AnsibleFilterError("mlops.modelarts.job_status converts one value; got a list: use "
                                 "map('mlops.modelarts.job_status')")
    if not isinstance(value, (int, str)) or isinstance(value, bool):
        raise AnsibleFilterError('mlops.modelarts.job_status: %r is not a status; allowed are %s'
                                 % (value, allowed_status_values_text()))
    try:
        codes = status_codes_for(value)
    except StatusValueError as exc:
        raise AnsibleFilterError('mlops.modelarts.job_status: %s; allowed are %s' % (exc, allowed_status_values_text()))
    text = value.strip().lower() if isinstance(value, str) else None
    if text in STATUS_GROUPS:
        if output == 'group':
            return text
        return [code if output in ('auto', 'code') else _convert_code(code, output) for code in codes]
    code = codes[0]
    if output == 'auto':
        # A code gives its name, a name gives its code.
        return STATUS_NAMES[code] if _is_code(value) else code
    return _convert_code(code, output)


class FilterModule(object):
    """ModelArts filters."""

    def filters(self):
        return {
            'gpu_summary': gpu_summary,
            'gpu_usage': gpu_usage,
            'job_status': job_status,
        }
