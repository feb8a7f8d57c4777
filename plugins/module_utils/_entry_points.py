# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What each module does once its AnsibleModule exists: one body, run by the module and by its action plugin.

The action plugins (plugins/action/) hand these functions an in-process stand-in for AnsibleModule
(plugins/plugin_utils/_in_process.py), so that a task gives the same result whichever runs it.
"""

from __future__ import absolute_import, annotations, division, print_function
__metaclass__ = type

import ctypes
from typing import Any, Dict, cast

from ansible_collections.mlops.modelarts.plugins.module_utils._gate import WAIT_ARGUMENT_SPEC, gate_for_module
from ansible_collections.mlops.modelarts.plugins.module_utils._module_exit import exit_query
from ansible_collections.mlops.modelarts.plugins.module_utils._options import query_for_module

# The options each module adds to the shared argument spec of _options.py.
INFO_EXTRA_SPEC = cast(Dict[str, Dict[str, Any]], WAIT_ARGUMENT_SPEC)  # (_gate.py, annotated next, leaves it untyped)
FACTS_EXTRA_SPEC: Dict[str, Dict[str, Any]] = {}
M_ARENA_MAX = -8  # glibc's malloc.h


def share_one_malloc_arena() -> None:
    """In a module's own process: let the request threads allocate from glibc's main arena instead of one each.

    glibc gives every thread that allocates an arena of its own and keeps up to M_TRIM_THRESHOLD (128 KB) of freed
    memory in each; with 4 requests in flight that was most of what a summary-only query cost above the
    module's footprint (docs/performance.md, issue 11). The threads allocate while they hold the GIL, so one arena
    costs them no waiting. Called only where the process is ours: the controller's keep their allocator settings.
    Elsewhere than glibc it does nothing (macOS has no mallopt; musl's ignores the setting).
    """
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError, TypeError):
        return
    mallopt(M_ARENA_MAX, 1)


def run_info_module(module: Any) -> None:
    """End `module` with the result of training_job_version_info (the query, through the gate when wait_for is given)."""
    result = gate_for_module(module)
    exit_query(module, changed=False, **result)


def facts_of(result: Dict[str, Any]) -> Dict[str, Any]:
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


def run_facts_module(module: Any) -> None:
    """End `module` with the result of training_job_version_facts (the query's answer as ansible_facts only)."""
    result = query_for_module(module)
    exit_query(module, changed=False, ansible_facts=facts_of(result))
