# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""gpu_report_files: write the gpu_report's files on the controller, in this process (plugin_utils/_report_files.py)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible.plugins.action import ActionBase

from ansible_collections.mlops.modelarts.plugins.modules.gpu_report_files import ARGUMENT_SPEC
from ansible_collections.mlops.modelarts.plugins.plugin_utils._report_files import write_report


class ActionModule(ActionBase):

    TRANSFERS_FILES = False
    _supports_check_mode = True

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        del tmp
        dummy, args = self.validate_argument_spec(ARGUMENT_SPEC)
        changed = write_report(args['report'], args['dest'], args['html_template'], bool(self._task.check_mode))
        result.update(changed=changed, dest=args['dest'])
        return result
