# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The gpu_report's one-pass query: every project of the play asked from one controller task, folded as it arrives.

The per-host path runs training_job_version_facts once per host (a worker process per host and task); this runs the
same module body (the in-process runner, so the same validation, messages and facts) for every host in threads of
one process, and keeps of each project only what the report shows (filter/report.py fold_project()): its row, its
longest-running active versions, its wait times. See docs/reporting.md, "Two paths".
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import time
from concurrent.futures import ThreadPoolExecutor, as_completed

from ansible.errors import AnsibleActionFail
from ansible.module_utils.parsing.convert_bool import boolean

from ansible_collections.mlops.modelarts.plugins.filter.report import fold_project, gpu_report
from ansible_collections.mlops.modelarts.plugins.module_utils._entry_points import FACTS_EXTRA_SPEC, run_facts_module
from ansible_collections.mlops.modelarts.plugins.plugin_utils._in_process import (
    RUN_IN_PROCESS_VARIABLE, plain_arguments, run_in_process_setting, run_module_in_process,
)

MODULE_NAME = 'mlops.modelarts.training_job_version_facts'
PER_HOST_VARIABLE = 'modelarts_report_per_host'

# The query options the per-host path (roles/gpu_report/tasks/query.yml) passes from the host's modelarts_*
# variables, in its order; an unset variable is left out, as `default(omit)` leaves it out there. training_api is
# passed only where a host (or the play) sets modelarts_training_api, so that releases without it are unaffected.
HOST_OPTIONS = (
    'cloud', 'region', 'endpoint', 'auth_url', 'project_id', 'project_name', 'domain_name', 'username', 'password',
    'token', 'access_key', 'secret_key', 'security_token', 'validate_certs', 'ca_path', 'timeout', 'retries',
    'status', 'pool_id', 'workspace_id', 'page_size', 'training_api',
)
# The host variables the report shows besides the answer (filter/report.py _project()).
REPORT_VARIABLES = ('inventory_hostname', 'modelarts_report_label', 'modelarts_region', 'modelarts_project_name',
                    'modelarts_project_id')


def per_host_reason(host_vars_of, hosts, per_host, task_has_module_defaults):
    """Give back why the play's hosts must be queried one task per host, or None when one pass gives the same.

    `host_vars_of(host)` gives a host's variables (a mapping, templated on access). One pass cannot give the same
    where the per-host task would not run the module body in the controller's process with the host's variables
    alone: the task's module_defaults (which the one pass does not read), a host that asks for module processes
    (modelarts_run_in_process false), or one that asks for the per-host path.
    """
    if per_host:
        return '%s is true' % PER_HOST_VARIABLE
    if task_has_module_defaults:
        return 'the play sets module_defaults, which only the per-host query reads'
    for host in hosts:
        host_vars = host_vars_of(host)
        if boolean_variable(host_vars.get(PER_HOST_VARIABLE), PER_HOST_VARIABLE, False):
            return 'host %s sets %s' % (host, PER_HOST_VARIABLE)
        if not run_in_process_setting(host_vars.get(RUN_IN_PROCESS_VARIABLE)):
            return 'host %s sets %s false (its query runs the module)' % (host, RUN_IN_PROCESS_VARIABLE)
    return None


def boolean_variable(value, name, default):
    """Give back the boolean of variable `name` (`default` when unset), or raise AnsibleActionFail naming it."""
    if value is None:
        return default
    try:
        return boolean(value, strict=True)
    except TypeError:
        raise AnsibleActionFail('%s must be a boolean; got %r' % (name, value))


def host_query_args(host_vars, include_versions, usage_since, usage_until):
    """Give back the module arguments of one host's query: the per-host task's, from the same variables."""
    args = {}
    for option in HOST_OPTIONS:
        value = host_vars.get('modelarts_' + option)
        if value is not None:
            args[option] = value
    args.update(include_versions=include_versions, usage_since=usage_since, usage_until=usage_until)
    return plain_arguments(args)


def query_project(host, host_vars, args, environment, top):
    """Give back (host name, the folded report entry, error or None, warnings, seconds) of one project's query."""
    started = time.monotonic()
    result = run_module_in_process(run_facts_module, args, extra_spec=FACTS_EXTRA_SPEC, environment=environment,
                                   module_name=MODULE_NAME, with_invocation=False)
    entry = dict((name, host_vars.get(name)) for name in REPORT_VARIABLES)
    entry['inventory_hostname'] = host
    error = (result.get('msg') or 'query failed') if result.get('failed') else None
    warnings = [] if error else list(result.get('warnings') or [])
    entry['modelarts_report_error'] = error or ''
    entry['modelarts_report_fetched_at'] = time.time()
    entry.update(result.get('ansible_facts') or {})
    result = None  # the project's versions go with it, once folded
    project, longest, waits, window = fold_project(entry, entry['modelarts_report_fetched_at'], top)
    folded = dict(project=project, longest=longest, waits=waits, window=list(window) if window else None)
    return host, dict(modelarts_report_folded=folded), error, warnings, time.monotonic() - started


def run_one_pass(hosts, host_vars_of, include_versions, usage_since, usage_until, top, concurrency, environment,
                 progress_every, display):
    """Give back the result of the one-pass query: the report of `hosts` (in their order) and the failed hosts.

    At most `concurrency` projects are asked at a time (each with its own max_concurrent_requests inside); one
    project's failure is its entry's error, never the others'. A line per `progress_every` projects answered goes to
    `display` on stderr, and each project's time at -v.
    """
    jobs = []
    for host in hosts:
        host_vars = host_vars_of(host)
        jobs.append((host, host_vars, host_query_args(host_vars, include_versions, usage_since, usage_until)))
    entries, errors, warnings = {}, {}, []
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=max(1, min(concurrency, len(jobs)))) as pool:
        futures = [pool.submit(query_project, host, host_vars, args, environment, top)
                   for host, host_vars, args in jobs]
        jobs = None
        for done, future in enumerate(as_completed(futures), 1):
            host, entry, error, project_warnings, seconds = future.result()
            entries[host] = entry
            if error:
                errors[host] = error
            warnings.extend('%s: %s' % (host, warning) for warning in project_warnings)
            display.v('gpu_report: %s answered in %.2f s%s' % (host, seconds, ' (failed)' if error else ''))
            if progress_every and (done % progress_every == 0 or done == len(hosts)):
                # stderr: stdout belongs to the callback (a json or yaml callback's output stays parseable).
                display.display('gpu_report: %d of %d projects queried (%d failed) in %.1f s' % (
                    done, len(hosts), len(errors), time.monotonic() - started), stderr=True)
    return dict(
        one_pass=True,
        # Built here, not by a set_fact with the filter: the same function, without handing every project's entry
        # back through a task result and templating it again.
        report=gpu_report([entries[host] for host in hosts], top=top),
        failed_hosts=[host for host in hosts if host in errors],
        projects=len(hosts),
        seconds=round(time.monotonic() - started, 3),
    ), warnings
