# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
name: training_job_versions
short_description: Query ModelArts training job versions and their GPU/NPU counts on the controller
version_added: 0.1.0
description:
  - Runs the query of M(mlops.modelarts.training_job_version_info) on the controller, inside templates,
    C(when:) conditions and C(set_fact), without a module run.
  - Every option can be given as a keyword argument, as an Ansible variable (C(modelarts_<option>), for example
    C(modelarts_region) or C(modelarts_project_id)) or as an environment variable. Keyword arguments win over
    variables, variables over environment variables.
  - Options are checked by the same rules as the modules' options and fail with the same messages.
  - "With O(cache_ttl) set, one query's answer is kept on the controller for that many seconds and shared by
    every host and fork worker: a lookup evaluated for 500 hosts sends the request once."
  - "O(result=versions) returns a list of versions. C(lookup()) unwraps a one-element list, so use C(query())
    (or C(lookup(..., wantlist=true))) when a list is wanted whatever the number of matches."
author:
  - mlops.modelarts maintainers (@mlops-modelarts)
extends_documentation_fragment:
  - mlops.modelarts.connection
  - mlops.modelarts.connection.plugins
  - mlops.modelarts.query
  - mlops.modelarts.query.plugins
options:
  _terms:
    description:
      - Optional shell-style globs matched against C(version_name); they are added to O(names).
      - To match a name holding C([), C(*) or C(?) literally, bracket each one (V(exp[[]2]-*)); to select versions by
        their exact ids, use O(version_ids).
    type: list
    elements: str
    required: false
  result:
    description:
      - What the lookup returns.
      - V(versions) returns the list of matching versions, as RV(mlops.modelarts.training_job_version_info#module:versions).
      - V(summary) returns a one-element list holding the C(gpu_summary) dict of the matching versions, as
        RV(mlops.modelarts.training_job_version_info#module:gpu_summary) (C(lookup()) gives the dict itself).
      - V(count) returns a one-element list holding the number of matching versions (after O(names), O(offset) and
        O(limit)), that is C(gpu_summary.versions) (C(lookup()) gives the number itself).
      - V(usage) (added in 0.2.0) returns a one-element list holding the C(gpu_usage) dict (GPU-hours and
        NPU-hours in the window O(usage_since) to O(usage_until), and the queue), as
        RV(mlops.modelarts.training_job_version_info#module:gpu_usage); it requires O(usage_since).
      - V(summary), V(count) and V(usage) do not keep the versions, so the cache stays small.
    type: str
    choices: [versions, summary, count, usage]
    default: versions
    env:
      - name: MODELARTS_RESULT
    vars:
      - name: modelarts_result
  cache_ttl:
    description:
      - Seconds for which the answer of a query is kept on the controller and shared by every host, task and fork
        worker that asks the same query of the same project through the same endpoint. V(0) turns the cache off.
      - While one process asks the API, others asking the same query wait for its answer instead of asking too.
      - The cache holds the answer only (versions, counts, the effective query), never a password, key or token;
        the entry's name is a hash of the endpoint, region, project, authentication method, user and query.
    type: float
    default: 0
    env:
      - name: MODELARTS_CACHE_TTL
    vars:
      - name: modelarts_cache_ttl
  cache_dir:
    description:
      - Directory of the cache files, created with mode 0700 (files 0600); it must belong to the user running Ansible
        and no other user may write to it (an existing directory of mode 0755 is closed to 0700).
      - Defaults to C($XDG_CACHE_HOME/mlops.modelarts), or C(~/.cache/mlops.modelarts) when E(XDG_CACHE_HOME) is not set.
      - Files may be removed at any time; a missing entry is asked again.
    type: path
    env:
      - name: MODELARTS_CACHE_DIR
    vars:
      - name: modelarts_cache_dir
notes:
  - Errors fail the task with the message the modules give (for example a conflict of credentials, or the API's
    HTTP status, error code and message); C(errors=ignore) and C(errors=warn) work as for every lookup.
  - Warnings about answers that do not add up are shown as Ansible warnings.
seealso:
  - module: mlops.modelarts.training_job_version_info
  - plugin: mlops.modelarts.gpu_summary
    plugin_type: filter
  - plugin: mlops.modelarts.job_status
    plugin_type: filter
'''

EXAMPLES = r'''
# Connection options from variables (group_vars/all.yml for example):
#   modelarts_region: eu-de
#   modelarts_project_id: 0a1b2c3d4e5f60718293a4b5c6d7e8f9
# and the token from the environment (OS_AUTH_TOKEN).

- name: Show the running versions of the resnet50 jobs
  ansible.builtin.debug:
    msg: "{{ item.version_name }} runs on {{ item.gpu_num }} GPUs"
  loop: "{{ query('mlops.modelarts.training_job_versions', 'resnet50-*', status='running') }}"

- name: Deploy only while fewer than 16 GPUs are busy (one request for all hosts within 5 minutes)
  ansible.builtin.include_tasks: deploy.yml
  when: >-
    lookup('mlops.modelarts.training_job_versions', result='summary', cache_ttl=300).active_gpu_num < 16

- name: Remember how many versions failed
  ansible.builtin.set_fact:
    failed_versions: "{{ lookup('mlops.modelarts.training_job_versions', status='failed', result='count') | int }}"

- name: Keep the GPU summary of another project
  ansible.builtin.set_fact:
    other_project: >-
      {{ lookup('mlops.modelarts.training_job_versions', result='summary',
                project_id=other_project_id, region='eu-nl') }}

- name: GPU-hours of the last 30 days, per pool
  ansible.builtin.debug:
    msg: "{{ usage.gpu_hours }} GPU-hours; {{ usage.by_pool | dict2items | map(attribute='key') | join(', ') }}"
  vars:
    usage: "{{ lookup('mlops.modelarts.training_job_versions', result='usage', usage_since='30d') }}"

- name: Write a report with a template
  ansible.builtin.copy:
    dest: /tmp/modelarts-report.txt
    mode: "0644"
    content: |
      {% for v in query('mlops.modelarts.training_job_versions', status='active', cache_ttl=60) %}
      {{ v.version_name }}  {{ v.status_name }}  {{ v.pool_id or '-' }}  {{ v.gpu_num }} GPU
      {% endfor %}
  delegate_to: localhost
'''

RETURN = r'''
_raw:
  description:
    - With O(result=versions), the matching versions (each a dict with the API's fields plus C(status_name),
      C(status_group), C(create_time_iso), C(start_time_iso), C(end_time_iso) and C(duration_seconds)).
    - With O(result=summary), one element, the C(gpu_summary) dict (C(versions), C(gpu_num), C(npu_num),
      C(active_gpu_num), C(active_npu_num), C(accelerators_unknown), C(by_status), C(by_pool), C(by_flavor)).
    - With O(result=count), one element, the number of matching versions.
    - With O(result=usage), one element, the C(gpu_usage) dict (C(since), C(until), C(gpu_hours), C(npu_hours),
      C(versions), C(accelerators_unknown), C(by_pool), C(by_flavor), C(by_status_group), C(queue)).
  type: list
  elements: raw
'''

import os

from ansible.errors import AnsibleError, AnsibleLookupError
from ansible.module_utils.basic import missing_required_lib
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.plugins.lookup import LookupBase
from ansible.utils.display import Display

from ansible_collections.mlops.modelarts.plugins.module_utils._auth import ConnectionSettings
from ansible_collections.mlops.modelarts.plugins.module_utils._client import HAS_REQUESTS
from ansible_collections.mlops.modelarts.plugins.module_utils._errors import ModelArtsError, OptionError, redact
from ansible_collections.mlops.modelarts.plugins.module_utils._options import argument_spec, run_query
from ansible_collections.mlops.modelarts.plugins.module_utils._versions import Query
from ansible_collections.mlops.modelarts.plugins.plugin_utils._cache import CacheError, FileCache, SharedFailure, cache_key
from ansible_collections.mlops.modelarts.plugins.plugin_utils._controller_base import ControllerPlugin, warn_unverified_tls

display = Display()

RESULT_MODES = ('versions', 'summary', 'count', 'usage')
# The lookup's own options, checked like the shared ones when Ansible's option parsing rejects a value.
LOOKUP_ARGUMENT_SPEC = dict(
    result=dict(type='str', choices=list(RESULT_MODES)),
    cache_ttl=dict(type='float'),
    cache_dir=dict(type='path'),
)
LOOKUP_OPTIONS = tuple(LOOKUP_ARGUMENT_SPEC)
CACHE_FORMAT = 'training_job_versions/1'


class _QueryFailed(Exception):
    """A query failure in a form the cache can share with waiting processes (no secret in it)."""

    def __init__(self, message):
        super(_QueryFailed, self).__init__(message)
        self.message = message

    def cache_failure(self):
        return {'message': self.message}


def with_terms(params, terms):
    """Give back the lookup's params with its terms (version_name globs) added to `names`, or raise AnsibleLookupError."""
    globs = []
    for term in terms or []:
        if not isinstance(term, str):
            raise AnsibleLookupError('terms are version_name globs (strings); got %r' % (term,))
        globs.append(str(term))  # a plain str: ansible-core 2.19 hands over tagged strings
    if globs:
        params['names'] = list(params.get('names') or []) + globs
    return params


def module_style_errors(direct):
    """Give back the modules' messages for bad keyword arguments (empty when the spec accepts them)."""
    spec = argument_spec()
    spec.update(LOOKUP_ARGUMENT_SPEC)
    for option in spec.values():
        option.pop('fallback', None)
    params = dict((name, value) for name, value in direct.items() if name in spec and value is not None)
    validated = ArgumentSpecValidator(spec).validate(params)
    return '; '.join(validated.error_messages)


def cache_material(params, settings):
    """Give back what identifies a query's answer: endpoint, region, project, auth method, user, TLS and query.

    Never a password, key or token: these are neither part of the key nor stored (the lookup adds only a
    salted digest of them, FileCache.credential_fingerprint). The TLS settings are part of it, so that an answer
    fetched with validate_certs=false (or another CA bundle) never serves a lookup that verifies.
    """
    tls = settings.tls_verify()
    return dict(
        tls=os.path.abspath(tls) if isinstance(tls, str) else tls,
        format=CACHE_FORMAT,
        endpoint=settings.endpoint,
        auth_url=settings.auth_url if settings.auth_method == 'password' else None,
        region=settings.region,
        project_id=settings.project_id,
        project_name=settings.project_name,
        auth_method=settings.auth_method,
        domain_name=settings.domain_name if settings.auth_method == 'password' else None,
        domain_id=settings.domain_id if settings.auth_method == 'password' else None,
        interface=settings.interface,
        username=settings.username if settings.auth_method == 'password' else None,
        query=Query(params).as_dict(),
    )


def shape(result, mode):
    """Give back the lookup's list for one query result and result mode."""
    if mode == 'summary':
        return [result['gpu_summary']]
    if mode == 'count':
        return [result['gpu_summary']['versions']]
    if mode == 'usage':
        return [result['gpu_usage']]
    return list(result.get('versions') or [])


class LookupModule(ControllerPlugin, LookupBase):

    plugin_error = AnsibleLookupError

    def run(self, terms, variables=None, **kwargs):
        known = set(argument_spec()) | set(LOOKUP_OPTIONS)
        unknown = sorted(name for name in kwargs if name not in known)
        if unknown:
            raise AnsibleLookupError('unsupported option(s): %s; supported are %s'
                                     % (', '.join(unknown), ', '.join(sorted(known))))
        try:
            self.set_options(var_options=variables, direct=kwargs)
            params = with_terms(self.checked_params(), terms)
            mode = self.get_option('result')
            ttl = self.get_option('cache_ttl') or 0
            cache_dir = self.get_option('cache_dir')
        except AnsibleLookupError:
            raise
        except AnsibleError as exc:
            raise AnsibleLookupError(module_style_errors(kwargs) or str(exc))
        if mode not in RESULT_MODES:
            raise AnsibleLookupError('result: %r is not one of %s' % (mode, ', '.join(RESULT_MODES)))
        if ttl < 0:
            raise AnsibleLookupError('cache_ttl must be 0 (no cache) or a number of seconds; got %r' % (ttl,))
        if not HAS_REQUESTS:
            raise AnsibleLookupError(missing_required_lib('requests'))
        if mode == 'usage' and params.get('usage_since') is None:
            raise AnsibleLookupError('result=usage needs usage_since (the start of the usage window), for example '
                                     "usage_since='30d'")
        if mode != 'versions':
            params['include_versions'] = False
        warn_unverified_tls(params, display.warning)
        result, warnings = self._query(params, ttl, cache_dir)
        for warning in warnings:
            display.warning(warning)
        return shape(result, mode)

    def _query(self, params, ttl, cache_dir):
        with self.shared_layer_errors():
            settings = ConnectionSettings(params)  # also reads clouds.yaml: once per lookup, not once per use
            material = cache_material(params, settings)
        secrets = settings.secrets()

        def compute():
            try:
                result, warnings = run_query(params)
            except (OptionError, ModelArtsError) as exc:
                raise _QueryFailed(redact(str(exc), secrets))
            return {'result': result, 'warnings': list(warnings)}

        cache = FileCache(cache_dir, ttl)
        try:
            if cache.enabled:
                material['credential'] = cache.credential_fingerprint(secrets)
            answer, dummy = cache.get_or_compute(cache_key(material), compute, shareable_errors=(_QueryFailed,))
        except _QueryFailed as exc:
            raise AnsibleLookupError(exc.message)
        except SharedFailure as exc:
            raise AnsibleLookupError(str(exc))
        except CacheError as exc:
            raise AnsibleLookupError(str(exc))
        except (IOError, OSError) as exc:
            raise AnsibleLookupError('the lookup cache in %s cannot be used: %s' % (cache.directory, exc))
        return answer['result'], answer['warnings']
