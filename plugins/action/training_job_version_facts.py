# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""training_job_version_facts in the controller's worker process when its module would run on the controller.

See plugins/plugin_utils/_in_process.py for when (and docs/performance.md for why); elsewhere the module runs.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.mlops.modelarts.plugins.module_utils._entry_points import FACTS_EXTRA_SPEC, run_facts_module
from ansible_collections.mlops.modelarts.plugins.plugin_utils._in_process import InProcessModuleAction


class ActionModule(InProcessModuleAction):

    module_body = staticmethod(run_facts_module)
    extra_spec = FACTS_EXTRA_SPEC
