# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The gpu_report's files (JSON, CSV, Prometheus, HTML), written on the controller in this process.

The same text the role's copy tasks and its template task write (the same filters, the same template), without a
module process per file: five copy modules cost more than querying a hundred projects in one pass, and Ansible's
templating of the HTML page took longer than the queries (docs/performance.md). Each file is written to a temporary
file beside it and renamed over it, mode 0644, and only when its content changed. Used by the actions
gpu_report_files and gpu_report_query (which writes the files of its one pass itself, so that the report never goes
through a task result and a template).
"""

from __future__ import absolute_import, annotations, division, print_function
__metaclass__ = type

import os
import tempfile
from typing import Any, Dict, Mapping, Optional

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from ansible.errors import AnsibleActionFail
from ansible.plugins.filter.core import to_nice_json

from ansible_collections.mlops.modelarts.plugins.filter.report import FilterModule as ReportFilters, gpu_report_csv, gpu_report_prom


def report_files(report: Mapping[str, Any]) -> Dict[str, str]:
    """Give back {file name: text} of the report's files but the HTML page (html_page() renders that)."""
    return {
        'gpu_report.json': to_nice_json(report, indent=2) + '\n',
        'gpu_report.csv': gpu_report_csv(report, 'counts'),
        'gpu_report_longest_running.csv': gpu_report_csv(report, 'longest_running'),
        'gpu_usage.csv': gpu_report_csv(report, 'usage'),
        'gpu_report.prom': gpu_report_prom(report),
    }


def html_environment() -> SandboxedEnvironment:
    """Give back the Jinja environment of the HTML page: the template module's settings, the report filters.

    trim_blocks and keep_trailing_newline as ansible.builtin.template sets them; an undefined name fails as in
    Ansible; None renders as nothing, as Ansible's finalize does. Sandboxed: the page's template is the role's file,
    and the report's text (from the API) only ever reaches it as data.
    """
    environment = SandboxedEnvironment(trim_blocks=True, keep_trailing_newline=True, undefined=jinja2.StrictUndefined,
                                       finalize=lambda value: '' if value is None else value)
    environment.filters.update(('mlops.modelarts.' + name, function) for name, function in ReportFilters().filters().items())
    return environment


def html_page(template_path: str, report: Mapping[str, Any]) -> str:
    """Give back the HTML page of `report` rendered from the template file at `template_path`."""
    try:
        with open(template_path, 'rb') as handle:
            source = handle.read().decode('utf-8')
    except (IOError, OSError, UnicodeDecodeError) as exc:
        raise AnsibleActionFail('cannot read the HTML template %s: %s' % (template_path, exc))
    try:
        return html_environment().from_string(source).render(modelarts_report=report)
    except jinja2.TemplateError as exc:
        raise AnsibleActionFail('cannot render the HTML page from %s: %s' % (template_path, exc))


def write_if_changed(path: str, text: str, check_mode: bool) -> bool:
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
    descriptor, temporary = tempfile.mkstemp(dir=os.path.dirname(path), prefix='.' + os.path.basename(path) + '.')
    try:
        with os.fdopen(descriptor, 'wb') as output:
            output.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
    return True


def write_report(report: Mapping[str, Any], dest: str, html_template: Optional[str], check_mode: bool) -> bool:
    """Write the files of `report` into `dest` (created, mode 0755), the HTML page when `html_template` is given.

    Give back whether anything changed (would change, in check mode).
    """
    changed = False
    try:
        if not os.path.isdir(dest):
            changed = True
            if not check_mode:
                os.makedirs(dest, 0o755)
        files = report_files(report)
        if html_template:
            files['gpu_report.html'] = html_page(html_template, report)
        for name, text in sorted(files.items()):
            changed = write_if_changed(os.path.join(dest, name), text, check_mode) or changed
    except (IOError, OSError) as exc:
        raise AnsibleActionFail('cannot write the report in %s: %s' % (dest, exc))
    return changed
