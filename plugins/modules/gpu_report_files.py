#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
module: gpu_report_files
short_description: Write a GPU report's JSON, CSV and Prometheus files on the controller (the gpu_report role's one pass)
version_added: 0.3.0
description:
  - Writes C(gpu_report.json), C(gpu_report.csv), C(gpu_report_longest_running.csv), C(gpu_usage.csv),
    C(gpu_report.prom) and, from O(html_template), C(gpu_report.html) of a report that P(mlops.modelarts.gpu_report#filter) built into O(dest) (created, mode
    C(0755)), each mode C(0644), by its action plugin on the controller, with the text the role's per-host path writes
    (the filters P(mlops.modelarts.gpu_report_csv#filter) and P(mlops.modelarts.gpu_report_prom#filter)).
  - A file is replaced (atomically) only when its content changed.
  - Internal to the role C(mlops.modelarts.gpu_report); see docs/reporting.md, "Two paths".
author:
  - mlops.modelarts maintainers (@mlops-modelarts)
options:
  report:
    description: The report (the dict P(mlops.modelarts.gpu_report#filter) gives).
    type: dict
    required: true
  dest:
    description: The report directory.
    type: path
    required: true
  html_template:
    description:
      - A Jinja template of the HTML page (the role's C(templates/gpu_report.html.j2)), written as C(gpu_report.html)
        beside the other files. Its one variable is C(modelarts_report), the O(report).
      - It is rendered in this process by a sandboxed Jinja environment set as C(ansible.builtin.template) sets
        its own (C(trim_blocks), no C(lstrip_blocks), an undefined variable is an error, C(None) renders as
        nothing), with Jinja's filters and this collection's report filters (C(mlops.modelarts.svg_bar_chart) and
        the others of P(mlops.modelarts.gpu_report#filter)'s file), not Ansible's. The page is the one the template
        module writes, at a fortieth of the cost over a hundred projects (docs/performance.md). API text in the report
        is data to this environment, never a template.
      - Omitted, no HTML page is written.
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
- name: Write the report's files
  mlops.modelarts.gpu_report_files:
    report: "{{ modelarts_report }}"
    dest: /srv/reports/gpu
    html_template: "{{ role_path }}/templates/gpu_report.html.j2"
  run_once: true
  delegate_to: localhost
'''

RETURN = r'''
dest:
  description: The report directory.
  returned: always
  type: str
'''

from ansible.module_utils.basic import AnsibleModule


# Also the action plugin's (plugins/action/gpu_report_files.py), which does the work.
ARGUMENT_SPEC = dict(
    report=dict(type='dict', required=True),
    dest=dict(type='path', required=True),
    html_template=dict(type='path'),
)


def main():
    module = AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    module.fail_json(msg='mlops.modelarts.gpu_report_files runs on the controller only, as an action plugin')


if __name__ == '__main__':
    main()
