#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
module: training_job_version_facts
short_description: Set facts about ModelArts training job versions and their GPU/NPU counts
version_added: 0.1.0
description:
  - Runs the same query as M(mlops.modelarts.training_job_version_info) and returns the answer only as
    C(ansible_facts), so that it lands in C(hostvars) and in the fact cache (for reports over many projects).
  - Read-only; C(changed) is always false.
author:
  - mlops.modelarts maintainers (@mlops-modelarts)
extends_documentation_fragment:
  - mlops.modelarts.connection
  - mlops.modelarts.query
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target.
    support: full
    details: The query only reads, so check mode runs it unchanged.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
    support: none
  facts:
    description: Action returns an C(ansible_facts) dictionary that will update existing host facts.
    support: full
notes:
  - "Inventory hosts drive the query (added in 0.3.0): when the task names none of O(project_id), O(project_name),
    O(region) and O(endpoint) (in its arguments or C(module_defaults)), the host's variables C(modelarts_project_id),
    C(modelarts_project_name), C(modelarts_region) and C(modelarts_endpoint) give them, as the
    P(mlops.modelarts.projects#inventory) inventory sets them. They win over the environment variables
    (E(OS_PROJECT_NAME) of an exported openrc does not replace a host's project); a host that gives its project
    gives it alone, and E(OS_REGION_NAME) and E(MODELARTS_ENDPOINT) fill what the host leaves unset."
seealso:
  - module: mlops.modelarts.training_job_version_info
'''

EXAMPLES = r'''
# Each inventory host is a project; its credentials live in host_vars.
- name: Gather training job version facts for every project
  mlops.modelarts.training_job_version_facts:
    region: "{{ modelarts_region }}"
    project_id: "{{ modelarts_project_id }}"
    token: "{{ modelarts_token }}"
    include_versions: false
  delegate_to: localhost

- name: Report the active GPUs of each project
  ansible.builtin.debug:
    msg: "{{ inventory_hostname }}: {{ ansible_facts.modelarts_gpu_summary.active_gpu_num }} active GPUs"
'''

RETURN = r'''
ansible_facts:
  description: Facts about the matching training job versions.
  returned: always
  type: complex
  contains:
    modelarts_training_job_versions:
      description:
        - The versions, as RV(mlops.modelarts.training_job_version_info#module:versions) returns them.
        - An empty list when O(include_versions=false).
      type: list
      elements: dict
    modelarts_gpu_summary:
      description: The GPU/NPU summary, as RV(mlops.modelarts.training_job_version_info#module:gpu_summary) returns it.
      type: dict
    modelarts_total_count:
      description: What the API reports as matching, summed over the statuses asked.
      type: int
    modelarts_query:
      description: The effective query (no credentials) and whether the answer was complete.
      type: dict
    modelarts_gpu_usage:
      description:
        - Accelerator-hours in the window and the queue, as RV(mlops.modelarts.training_job_version_info#module:gpu_usage)
          returns them.
      returned: when usage_since is given
      type: dict
      version_added: 0.2.0
'''

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.mlops.modelarts.plugins.module_utils._credentials import apply_environment_credentials
from ansible_collections.mlops.modelarts.plugins.module_utils._entry_points import FACTS_EXTRA_SPEC, run_facts_module, share_one_malloc_arena
from ansible_collections.mlops.modelarts.plugins.module_utils._options import module_kwargs


def main():
    share_one_malloc_arena()  # before any thread starts: see _entry_points
    module = AnsibleModule(**module_kwargs(FACTS_EXTRA_SPEC))
    apply_environment_credentials(module)  # the env fallbacks of the credentials, once the task's method is known
    run_facts_module(module)


if __name__ == '__main__':
    main()
