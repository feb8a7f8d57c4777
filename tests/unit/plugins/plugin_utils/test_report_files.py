# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The HTML page gpu_report_files renders from the role's template: API text stays data, escaped, never a template.

That the page is byte for byte the one ansible.builtin.template writes is an integration test
(tests/integration/test_report_one_pass.py), where the template module runs.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os

import pytest

from ansible.errors import AnsibleActionFail

import ansible_collections.mlops.modelarts as collection
from ansible_collections.mlops.modelarts.plugins.plugin_utils._report_files import html_page
from ansible_collections.mlops.modelarts.plugins.filter.report import gpu_report
from ansible_collections.mlops.modelarts.plugins.module_utils._versions import enrich, summarize

TEMPLATE = os.path.join(os.path.dirname(collection.__file__), 'roles', 'gpu_report', 'templates', 'gpu_report.html.j2')
HOSTILE = "<script>alert(1)</script>{{ lookup('ansible.builtin.pipe', 'touch owned') }}{% raw %}"


def hostile_report(tmp_path):
    versions = enrich([dict(version_id=1, version_name=HOSTILE, status=8, create_time=1764547200000,
                            start_time=1764547200000, gpu_num=8, npu_num=0, pool_id=HOSTILE, flavor_code=HOSTILE)])
    facts = dict(modelarts_gpu_summary=summarize(versions), modelarts_total_count=1,
                 modelarts_query=dict(include_versions=True, complete=True), modelarts_training_job_versions=versions)
    return gpu_report([dict(inventory_hostname=HOSTILE, modelarts_project_name=HOSTILE, ansible_facts=facts)],
                      now=1764550800.0)


def test_api_text_in_the_page_is_escaped_and_never_evaluated(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    page = html_page(TEMPLATE, hostile_report(tmp_path))
    assert '<script>alert(1)' not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;{{ lookup(&#39;ansible.builtin.pipe&#39;, &#39;touch owned&#39;) }}{% raw %}" in page
    assert not os.path.exists(str(tmp_path / 'owned'))
    assert page.endswith('</html>\n')


def test_a_template_that_fails_names_the_file(tmp_path):
    broken = tmp_path / 'broken.html.j2'
    broken.write_text('{{ modelarts_report.no_such_key.deeper }}')
    with pytest.raises(AnsibleActionFail, match='cannot render the HTML page from .*broken.html.j2'):
        html_page(str(broken), dict(totals={}))


def test_a_missing_template_fails_naming_it(tmp_path):
    with pytest.raises(AnsibleActionFail, match='cannot read the HTML template .*absent.html.j2'):
        html_page(str(tmp_path / 'absent.html.j2'), {})
