# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The one argument spec of every plugin, and the one entry point that runs a query from plain options."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible.module_utils.basic import env_fallback, missing_required_lib

from ansible_collections.mlops.modelarts.plugins.module_utils._auth import UNVERIFIED_TLS_WARNING, ConnectionSettings
from ansible_collections.mlops.modelarts.plugins.module_utils._client import HAS_REQUESTS, REQUESTS_IMPORT_ERROR, ApiClient
from ansible_collections.mlops.modelarts.plugins.module_utils._counts import UnknownAccelerators
from ansible_collections.mlops.modelarts.plugins.module_utils._errors import ModelArtsError, OptionError
from ansible_collections.mlops.modelarts.plugins.module_utils._statuses import TRAINING_APIS
from ansible_collections.mlops.modelarts.plugins.module_utils._versions import (
    OFFSET_UNITS, ORDERS, SORT_FIELDS, Query, enrich, list_versions, summarize,
)

# The credential options have no env fallback here: _credentials.apply_environment_credentials() reads their
# variables once the task's own options say which authentication method it uses (issue 24).
CONNECTION_ARGUMENT_SPEC = dict(
    cloud=dict(type='str', fallback=(env_fallback, ['OS_CLOUD'])),
    region=dict(type='str', fallback=(env_fallback, ['OS_REGION_NAME'])),
    endpoint=dict(type='str', fallback=(env_fallback, ['MODELARTS_ENDPOINT'])),
    auth_url=dict(type='str', fallback=(env_fallback, ['OS_AUTH_URL'])),
    project_id=dict(type='str', fallback=(env_fallback, ['OS_PROJECT_ID', 'HUAWEICLOUD_SDK_PROJECT_ID'])),
    project_name=dict(type='str', fallback=(env_fallback, ['OS_PROJECT_NAME'])),
    domain_name=dict(type='str', fallback=(env_fallback, ['OS_USER_DOMAIN_NAME', 'OS_DOMAIN_NAME'])),
    domain_id=dict(type='str', fallback=(env_fallback, ['OS_USER_DOMAIN_ID', 'OS_DOMAIN_ID'])),
    interface=dict(type='str', choices=['public', 'internal', 'admin'], fallback=(env_fallback, ['OS_INTERFACE'])),
    username=dict(type='str'),
    password=dict(type='str', no_log=True),
    token=dict(type='str', no_log=True),
    access_key=dict(type='str', no_log=True),
    secret_key=dict(type='str', no_log=True),
    security_token=dict(type='str', no_log=True),
    validate_certs=dict(type='bool'),  # unset = true, or the clouds.yaml entry's verify
    ca_path=dict(type='path'),
    timeout=dict(type='float', default=30.0),
    retries=dict(type='int', default=4),
    max_concurrent_requests=dict(type='int', default=4, fallback=(env_fallback, ['MODELARTS_MAX_CONCURRENT_REQUESTS'])),
)

QUERY_ARGUMENT_SPEC = dict(
    status=dict(type='list', elements='str'),
    pool_id=dict(type='str'),
    workspace_id=dict(type='str', default='0'),
    sort_by=dict(type='str', default='create_time', choices=sorted(SORT_FIELDS)),
    order=dict(type='str', default='desc', choices=list(ORDERS)),
    offset=dict(type='int', default=0),
    limit=dict(type='int', default=0),
    page_size=dict(type='int', default=0),
    offset_unit=dict(type='str', default='auto', choices=list(OFFSET_UNITS)),
    names=dict(type='list', elements='str'),
    # Exact ids, texts or integers (v1 ids are numbers, v2 ids UUIDs): raw elements, so that Query refuses a mapping or
    # a boolean instead of the validator turning it into a text that silently matches nothing.
    version_ids=dict(type='list', elements='raw'),
    include_versions=dict(type='bool', default=True),
    usage_since=dict(type='str'),
    usage_until=dict(type='str'),
    paging_timeout=dict(type='float', default=600.0),
)
# Which training API the query reads (issue 23): its own statement, so that other options added beside it merge.
QUERY_ARGUMENT_SPEC['training_api'] = dict(type='str', default='all', choices=list(TRAINING_APIS),
                                           fallback=(env_fallback, ['MODELARTS_TRAINING_API']))

MUTUALLY_EXCLUSIVE = [
    ('token', 'username'), ('token', 'password'), ('token', 'access_key'), ('token', 'secret_key'),
    ('access_key', 'username'), ('access_key', 'password'), ('secret_key', 'username'), ('secret_key', 'password'),
    ('domain_name', 'domain_id'),
]


def argument_spec():
    """Give back a fresh copy of the full argument spec (connection + query) for a module or the lookup."""
    spec = {}
    for name, option in list(CONNECTION_ARGUMENT_SPEC.items()) + list(QUERY_ARGUMENT_SPEC.items()):
        spec[name] = dict(option)
    return spec


def run_query(params, session=None, no_log_values=None):
    """Give back the result dict (versions, total_count, gpu_summary, gpu_usage, query, complete) plus warnings.

    Raises OptionError for unusable input before sending anything, ModelArtsError for API failures.
    `no_log_values` (a set, such as AnsibleModule.no_log_values) receives every secret the query read or was issued.
    """
    query = Query(params)
    settings = ConnectionSettings(params)
    client = ApiClient(settings, session=session, no_log_values=no_log_values)
    try:
        result, warnings = query_result(client, query)
    finally:
        client.close()
    return result, settings.warnings + list(warnings)


def query_result(client, query):
    """Give back (result dict, warnings) of one run of a validated Query on an open ApiClient.

    Polling callers (the gate) keep one client, so one IAM login and one TCP connection serve every poll.
    """
    listing = list_versions(client, query)
    versions = listing.versions
    warnings = list(listing.warnings)
    unknown = UnknownAccelerators()
    result = dict(
        total_count=listing.total_count,
        gpu_summary=listing.summary if listing.summary is not None else summarize(versions, unknown),
        query=query.as_dict(offset_unit_used=listing.offset_unit_used),
        complete=listing.complete,
        requests=client.requests_sent,
    )
    if query.usage_window is not None:
        result['gpu_usage'] = query.usage_window.usage(versions)
    if query.include_versions:
        result['versions'] = enrich(versions)
    # Folded summaries warn from list_versions(); gpu_usage sees the same versions, so one warning covers both.
    warnings.extend(filter(None, [unknown.warning('gpu_summary')]))
    return result, warnings


def module_kwargs(extra_spec=None):
    """Give back the AnsibleModule keyword arguments every module of the collection shares."""
    spec = argument_spec()
    spec.update(extra_spec or {})
    # No required_together: half of a pair may come from the environment (_credentials.check_pairs checks them).
    return dict(argument_spec=spec, mutually_exclusive=MUTUALLY_EXCLUSIVE, supports_check_mode=True)


def query_for_module(module):
    """Give back the query result for an AnsibleModule, or end the module with a clear failure.

    Nothing is written anywhere, so check mode runs the same read-only query.
    """
    if not HAS_REQUESTS:
        module.fail_json(msg=missing_required_lib('requests'), exception=REQUESTS_IMPORT_ERROR)
    if module.params.get('validate_certs') is False:
        module.warn(UNVERIFIED_TLS_WARNING)
    try:
        result, warnings = run_query(module.params, no_log_values=module.no_log_values)
    except OptionError as exc:
        module.fail_json(msg=str(exc), changed=False)
    except ModelArtsError as exc:
        module.fail_json(msg=str(exc), changed=False, api_error=exc.as_dict())
    for warning in warnings:
        module.warn(warning)
    return result
