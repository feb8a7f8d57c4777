# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""gpu_report_files: write the gpu_report's JSON, CSV and Prometheus files on the controller, in this process.

The same text the role's copy tasks write (the same filters), without a module process per file: five copy modules
cost more than querying a hundred projects in one pass (docs/performance.md). Each file is written to a temporary
file beside it and renamed over it, mode 0644, and only when its content changed.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os
import tempfile

from ansible.errors import AnsibleActionFail
from ansible.plugins.action import ActionBase
from ansible.plugins.filter.core import to_nice_json

from ansible_collections.mlops.modelarts.plugins.filter.report import gpu_report_csv, gpu_report_prom
from ansible_collections.mlops.modelarts.plugins.modules.gpu_report_files import ARGUMENT_SPEC


def report_files(report):
    """Give back {file name: text} of the report's files but the HTML page (the role's template writes that)."""
    return {
        'gpu_report.json': to_nice_json(report, indent=2) + '\n',
        'gpu_report.csv': gpu_report_csv(report, 'counts'),
        'gpu_report_longest_running.csv': gpu_report_csv(report, 'longest_running'),
        'gpu_usage.csv': gpu_report_csv(report, 'usage'),
        'gpu_report.prom': gpu_report_prom(report),
    }


def write_if_changed(path, text, check_mode):
    """Write `text` to `path` (mode 0644, atomically) unless it holds it already; give back whether it changed."""
    data = text.encode('utf-8')
    try:
        with open(path, 'rb') as handle:
            if handle.read() == data and (os.stat(path).st_mode & 0o777) == 0o644:
                return False
    except (IOError, OSError):
        pass
    if check_mode:
        return True
    handle, temporary = tempfile.mkstemp(dir=os.path.dirname(path), prefix='.' + os.path.basename(path) + '.')
    try:
        with os.fdopen(handle, 'wb') as output:
            output.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
    return True


class ActionModule(ActionBase):

    TRANSFERS_FILES = False
    _supports_check_mode = True

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        del tmp
        dummy, args = self.validate_argument_spec(ARGUMENT_SPEC)
        dest = args['dest']
        check_mode = bool(self._task.check_mode)
        changed = False
        try:
            if not os.path.isdir(dest):
                changed = True
                if not check_mode:
                    os.makedirs(dest, 0o755)
            for name, text in sorted(report_files(args['report']).items()):
                changed = write_if_changed(os.path.join(dest, name), text, check_mode) or changed
        except (IOError, OSError) as exc:
            raise AnsibleActionFail('cannot write the report in %s: %s' % (dest, exc))
        result.update(changed=changed, dest=dest)
        return result
