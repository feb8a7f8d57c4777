# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What each module does once its AnsibleModule exists: one body, run by the module and by its action plugin.

The action plugins (plugins/action/) hand these functions an in-process stand-in for AnsibleModule
(plugins/plugin_utils/_in_process.py), so that a task gives the same result whichever runs it.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.mlops.modelarts.plugins.module_utils._gate import WAIT_ARGUMENT_SPEC, gate_for_module
from ansible_collections.mlops.modelarts.plugins.module_utils._options import exit_query, query_for_module

# The options each module adds to the shared argument spec of _options.py.
INFO_EXTRA_SPEC = WAIT_ARGUMENT_SPEC
FACTS_EXTRA_SPEC = {}


def run_info_module(module):
    """End `module` with the result of training_job_version_info (the query, through the gate when wait_for is given)."""
    result = gate_for_module(module)
    exit_query(module, changed=False, **result)


def facts_of(result):
    """Give back the ansible_facts of training_job_version_facts for one query result."""
    facts = dict(
        modelarts_training_job_versions=result.get('versions', []),
        modelarts_gpu_summary=result['gpu_summary'],
        modelarts_total_count=result['total_count'],
        modelarts_query=dict(result['query'], complete=result['complete']),
    )
    if 'gpu_usage' in result:
        facts['modelarts_gpu_usage'] = result['gpu_usage']
    return facts


def run_facts_module(module):
    """End `module` with the result of training_job_version_facts (the query's answer as ansible_facts only)."""
    result = query_for_module(module)
    exit_query(module, changed=False, ansible_facts=facts_of(result))
