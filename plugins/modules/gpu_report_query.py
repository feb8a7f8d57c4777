#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
module: gpu_report_query
short_description: Query the projects of every host of the play in one controller task (the gpu_report role's one pass)
version_added: 0.3.0
description:
  - The one-pass query of the role C(mlops.modelarts.gpu_report), run by its action plugin on the controller,
    once (C(run_once)). For each host in O(hosts) it runs the query of M(mlops.modelarts.training_job_version_facts)
    with the options the role's per-host task would pass (the host's C(modelarts_*) variables), in threads of one
    process, at most O(project_concurrency) projects at a time, and keeps of each project only what the report shows.
  - One project's failure is that project's C(error) in the report, never another's.
  - When one pass could not give what the per-host tasks give (O(per_host), the play's C(module_defaults), a host
    with C(modelarts_run_in_process=false) or C(modelarts_report_per_host=true), a controller connection that is not
    local, C(become), async), it queries nothing and returns RV(one_pass=false) with the reason.
  - Internal to the role; see docs/reporting.md, "Two paths".
author:
  - mlops.modelarts maintainers (@mlops-modelarts)
options:
  hosts:
    description: The hosts whose projects to query (the play's hosts), in report order.
    type: list
    elements: str
    required: true
  include_versions:
    description: Whether to fetch the versions (for the longest-running list and the per-pool rows).
    type: bool
    default: true
  usage_since:
    description: Start of the usage window, as the facts module's O(mlops.modelarts.training_job_version_facts#module:usage_since).
    type: str
    required: true
  usage_until:
    description: End of the usage window.
    type: str
    required: true
  top:
    description: How many longest-running active versions each project keeps (the report's C(modelarts_report_top)).
    type: int
    default: 10
  per_host:
    description: V(true) queries nothing and returns RV(one_pass=false).
    type: bool
    default: false
  project_concurrency:
    description: How many projects are asked at a time (each with its own C(max_concurrent_requests)).
    type: int
    default: 8
  progress_every:
    description: Display a line after every this many projects answered (V(0) never).
    type: int
    default: 100
  dest:
    description:
      - The report directory. Given, one pass writes the report's files there itself (as
        M(mlops.modelarts.gpu_report_files) does) and returns RV(totals) instead of RV(report), so the report is
        never handed through a task result and a template.
    type: path
  html_template:
    description: With O(dest), the template of the HTML page (M(mlops.modelarts.gpu_report_files)'s O(mlops.modelarts.gpu_report_files#module:html_template)).
    type: path
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target.
    support: full
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
    support: none
  action:
    description: Indicates this has a corresponding action plugin so some parts of the options can be executed on the controller.
    support: full
'''

EXAMPLES = r'''
- name: Query every project of the play in one task
  mlops.modelarts.gpu_report_query:
    hosts: "{{ ansible_play_hosts_all }}"
    usage_since: "2026-11-01T00:00:00Z"
    usage_until: "2026-12-01T00:00:00Z"
  run_once: true
  register: modelarts_report_pass
'''

RETURN = r'''
one_pass:
  description: Whether the projects were queried (false when the role must query one task per host).
  returned: always
  type: bool
reason:
  description: Why one pass could not be used.
  returned: when one_pass is false
  type: str
report:
  description:
    - The report of the projects of O(hosts), in that order, as P(mlops.modelarts.gpu_report#filter) builds it
      (O(top) longest-running versions), from what was kept of each project as it answered.
  returned: when one_pass is true and O(dest) is not given
  type: dict
totals:
  description: The report's C(totals) (its files are in O(dest)).
  returned: when one_pass is true and O(dest) is given
  type: dict
dest:
  description: The report directory.
  returned: when one_pass is true and O(dest) is given
  type: str
failed_hosts:
  description: The hosts whose project could not be queried.
  returned: when one_pass is true
  type: list
  elements: str
projects:
  description: How many projects were queried.
  returned: when one_pass is true
  type: int
'''

from ansible.module_utils.basic import AnsibleModule

# Also the action plugin's (plugins/action/gpu_report_query.py), which does the work.
ARGUMENT_SPEC = dict(
    hosts=dict(type='list', elements='str', required=True),
    include_versions=dict(type='bool', default=True),
    usage_since=dict(type='str', required=True),
    usage_until=dict(type='str', required=True),
    top=dict(type='int', default=10),
    per_host=dict(type='bool', default=False),
    project_concurrency=dict(type='int', default=8),
    progress_every=dict(type='int', default=100),
    dest=dict(type='path'),
    html_template=dict(type='path'),
)


def main():
    module = AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    module.fail_json(msg='mlops.modelarts.gpu_report_query runs on the controller only, as an action plugin')


if __name__ == '__main__':
    main()
