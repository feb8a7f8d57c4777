# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""gpu_report_query: the gpu_report role's one-pass query of every play host's project (plugin_utils/_one_pass.py)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os

from ansible import constants as C
from ansible.errors import AnsibleActionFail
from ansible.utils.display import Display

from ansible_collections.mlops.modelarts.plugins.modules.gpu_report_query import ARGUMENT_SPEC
from ansible_collections.mlops.modelarts.plugins.plugin_utils._in_process import (
    InProcessModuleAction, environment_applied,
)
from ansible_collections.mlops.modelarts.plugins.plugin_utils._one_pass import per_host_reason, run_one_pass
from ansible_collections.mlops.modelarts.plugins.plugin_utils._report_files import write_report

display = Display()


class ActionModule(InProcessModuleAction):

    _supports_check_mode = True
    _supports_async = False

    def run(self, tmp=None, task_vars=None):
        result = super(InProcessModuleAction, self).run(tmp, task_vars)  # ActionBase.run: no module here
        del tmp
        dummy, args = self.validate_argument_spec(ARGUMENT_SPEC)
        for name in ('project_concurrency', 'progress_every'):
            if args[name] < (1 if name == 'project_concurrency' else 0):
                raise AnsibleActionFail('%s must be at least %d; got %d' % (
                    name, 1 if name == 'project_concurrency' else 0, args[name]))
        hostvars = (task_vars or {}).get('hostvars') or {}

        def host_vars_of(host):
            return hostvars[host]

        in_process, reason = self.where_to_run(task_vars)
        if in_process:
            reason = per_host_reason(host_vars_of, args['hosts'], args['per_host'], bool(self._task.module_defaults))
            if reason is None and C.CACHE_PLUGIN != 'memory':
                # The per-host path caches each project's facts for a later modelarts_report_from_cache run; one pass does not.
                reason = 'a fact cache (%s) is configured, which the per-host query fills' % C.CACHE_PLUGIN
        if reason:
            display.v('gpu_report: querying one task per host (%s)' % reason)
            result.update(changed=False, one_pass=False, reason=reason)
            return result
        with environment_applied(self.task_environment()):
            answer, warnings = run_one_pass(
                args['hosts'], host_vars_of, args['include_versions'], args['usage_since'], args['usage_until'],
                args['top'], args['project_concurrency'], dict(os.environ), args['progress_every'], display)
        changed = False
        if args['dest']:
            # The files are written here: the report stays in this process (a task result and a template around it
            # cost more than building it).
            report = answer.pop('report')
            changed = write_report(report, args['dest'], args['html_template'], bool(self._task.check_mode))
            answer.update(totals=report['totals'], dest=args['dest'])
        result.update(answer, changed=changed)
        if warnings:
            result['warnings'] = warnings
        return result
