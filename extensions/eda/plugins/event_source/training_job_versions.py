# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

# Imports first, as in ansible.eda's sources: ansible-rulebook runs this file as a script (runpy), not as a plugin.
import asyncio
import copy
import logging
import os
import sys

DOCUMENTATION = r'''
---
short_description: Turn ModelArts training job version status changes into events
version_added: 0.2.0
description:
  - An ansible-rulebook event source that polls the training job versions query of
    M(mlops.modelarts.training_job_version_info) every O(interval) seconds and puts one event on the queue for each
    change it sees, in the order seen, never twice for the same change.
  - "C({modelarts: {type: status_changed, version: ..., previous_status: running, project_id: ..., region: ...}})
    when a version's status changed; C(type: appeared) (C(previous_status) null) for a version matched for the first
    time; C(type: disappeared) (C(version) as last seen, C(previous_status) its last status) for a version no longer
    matched (deleted, or out of the query: a O(status) filter makes a version that leaves those statuses disappear)."
  - "C({modelarts: {type: summary_changed, gpu_summary: ..., previous: ..., project_id: ..., region: ...}}) when the
    C(gpu_summary) of the matched versions changed (for capacity rules)."
  - C(version) is the enriched version of the modules (the API's fields plus C(status_name), C(status_group),
    C(create_time_iso), C(start_time_iso), C(end_time_iso), C(duration_seconds)).
  - "From 0.3.0 the source reads new-version (v2) training jobs too (the modules' C(training_api), default C(all)):
    C(version.api_version) says which API a version came from (C(v1) or C(v2)). A v2 job's C(version_id) is its ID
    (a string), its C(status) the phase (C(Running)), C(status_name) the phase in lower case (C(running)), and it
    carries C(secondary_phase), C(node_count), C(user_name) and C(outputs) (a list of C({name, obs_url}): where the
    trained model is, what a deployment needs). C(previous_status) is always a status name, so one condition such as
    C(event.modelarts.version.status_name == \"completed\") serves jobs of both APIs. A version is tracked by its API
    and C(version_id) together: a v1 version 7 and a v2 job C(\"7\") are two versions."
  - Within one poll, C(appeared) and C(status_changed) events come in the query's order (O(sort_by), O(order)), then
    C(disappeared), then C(summary_changed).
  - The connection and query options are those of the modules, with the same names, meanings, defaults, environment
    variables and C(clouds.yaml) support (see M(mlops.modelarts.training_job_version_info)); they are checked before
    any request, with the modules' messages.
  - The query runs in a thread, never in the event loop. One HTTP session and one IAM token serve every poll (a
    password login happens once and is renewed only when the token expires).
  - A poll that fails (after the connection's own O(retries)) is logged without any secret and retried after the
    connection's capped, jittered backoff; after O(max_failures) consecutive failed polls the source raises, so that
    ansible-rulebook reports the error. Before the first successful poll, an answer that no retry can change (HTTP
    400, 401, 403 or 404, for example wrong credentials) raises at once, so that an IAM user is not locked out by
    repeated failed logins.
  - Secrets (password, token, keys) never appear in an event or a log line.
  - "Every text in an event comes from the API, and anyone who can create a training job chooses some of it
    (C(version_name), C(version_desc), C(pool_id), C(flavor_code), and whatever other field or key the API sends):
    it is hostile. ansible-rulebook hands the event to a playbook as extra vars, which ansible-core takes for
    templates, so a version named C(x{{ lookup('pipe', 'id') }}) would run a command. Any text (a value or a key, at
    any depth) holding a Jinja start sequence (C({{), C({%), C({#)) or a C(#jinja2:) header therefore has its C(%),
    C(+), C({), C(}) and C(#) percent-encoded (C(x%7B%7B lookup('pipe', 'id') %7D%7D); ansible's C(urldecode) filter
    gives the original back), and the event lists where in C(modelarts.escaped_fields), paths relative to
    C(modelarts) such as C(version/version_name); a warning is logged. C(escaped_fields) is absent when nothing was
    encoded; other texts (every name ModelArts itself allows) arrive unchanged. Treat event text as data all the
    same: see C(Event text is data) in C(docs/eda.md)."
author:
  - mlops.modelarts maintainers (@mlops-modelarts)
options:
  interval:
    description: Seconds between the end of one poll and the start of the next.
    type: float
    default: 30
  initial:
    description:
      - V(false) sends only changes seen after the first poll.
      - V(true) also sends one C(appeared) event per version found by the first poll, and one C(summary_changed)
        event (C(previous) null) for its C(gpu_summary).
    type: bool
    default: false
  max_failures:
    description: Consecutive failed polls after which the source raises (and ansible-rulebook stops it).
    type: int
    default: 10
  cloud:
    description: C(clouds.yaml) entry, as in the modules. Environment variable E(OS_CLOUD).
    type: str
  region:
    description: Region of the project, as in the modules. Environment variable E(OS_REGION_NAME).
    type: str
  endpoint:
    description: ModelArts base URL, as in the modules. Environment variable E(MODELARTS_ENDPOINT).
    type: str
  auth_url:
    description: IAM v3 URL for password logins, as in the modules. Environment variable E(OS_AUTH_URL).
    type: str
  project_id:
    description: Project ID, as in the modules. Environment variables E(OS_PROJECT_ID), E(HUAWEICLOUD_SDK_PROJECT_ID).
    type: str
  project_name:
    description: Project name for password logins, as in the modules. Environment variable E(OS_PROJECT_NAME).
    type: str
  domain_name:
    description: IAM domain of O(username), as in the modules. Environment variables E(OS_USER_DOMAIN_NAME), E(OS_DOMAIN_NAME).
    type: str
  domain_id:
    description: IAM domain ID of O(username), instead of O(domain_name), as in the modules. Environment variables E(OS_USER_DOMAIN_ID), E(OS_DOMAIN_ID).
    type: str
  interface:
    description: Interface of the catalog endpoint (public, internal, admin), as in the modules. Environment variable E(OS_INTERFACE).
    type: str
  username:
    description: IAM user name, as in the modules. Environment variable E(OS_USERNAME).
    type: str
  password:
    description: IAM password, as in the modules. Environment variable E(OS_PASSWORD).
    type: str
  token:
    description: IAM token, as in the modules. Environment variable E(OS_AUTH_TOKEN).
    type: str
  access_key:
    description: AK, as in the modules. Environment variables E(HUAWEICLOUD_SDK_AK), E(OS_ACCESS_KEY).
    type: str
  secret_key:
    description: SK, as in the modules. Environment variables E(HUAWEICLOUD_SDK_SK), E(OS_SECRET_KEY).
    type: str
  security_token:
    description: Temporary security token with AK/SK, as in the modules. Environment variable E(HUAWEICLOUD_SDK_SECURITY_TOKEN).
    type: str
  validate_certs:
    description: Verify TLS certificates, as in the modules (true unless the C(clouds.yaml) entry says C(verify=false)).
    type: bool
  ca_path:
    description: CA bundle, as in the modules.
    type: path
  timeout:
    description: Seconds to wait for each HTTP answer, as in the modules.
    type: float
    default: 30
  retries:
    description: Retries of one request within a poll, as in the modules.
    type: int
    default: 4
  max_concurrent_requests:
    description: Requests of one poll in flight at once (1 to 16), as in the modules. Environment variable E(MODELARTS_MAX_CONCURRENT_REQUESTS).
    type: int
    default: 4
  status:
    description: Statuses, names or groups to match, as in the modules (all when not set).
    type: list
    elements: str
  pool_id:
    description: Only versions of this pool, as in the modules.
    type: str
  workspace_id:
    description: Workspace, as in the modules.
    type: str
    default: "0"
  sort_by:
    description: Sort field, as in the modules; also the order of the events of one poll.
    type: str
    default: create_time
  order:
    description: Sort order, as in the modules.
    type: str
    default: desc
  offset:
    description: Versions to skip, as in the modules.
    type: int
    default: 0
  limit:
    description: At most this many versions (0 = all), as in the modules.
    type: int
    default: 0
  page_size:
    description: Page size (0 = one request), as in the modules.
    type: int
    default: 0
  offset_unit:
    description: What the API's offset counts, as in the modules.
    type: str
    default: auto
  names:
    description: Shell-style globs on C(version_name), as in the modules.
    type: list
    elements: str
  version_ids:
    description:
      - Exact version ids (texts or integers, compared as text), as in the modules; with O(names), a version must
        match both.
    type: list
    elements: raw
    version_added: 0.3.0
  include_versions:
    description:
      - V(false) sends only C(summary_changed) events (the versions are still fetched, but no per-version state is
        kept), as in the modules where V(false) returns counts and C(gpu_summary) only.
    type: bool
    default: true
  paging_timeout:
    description: Seconds all the requests of one poll may take together, as in the modules.
    type: float
    default: 600
  training_api:
    description:
      - Which training API to read, as in the modules. V(all) reads the old-version (v1) and the new-version (v2)
        API at once and merges their jobs; V(v1) or V(v2) reads only one. Events of v2 jobs carry a string
        C(version_id) and C(api_version=v2).
    type: str
    choices: [all, v1, v2]
    default: all
    version_added: 0.3.0
notes:
  - The modules' O(mlops.modelarts.training_job_version_info#module:usage_since) and
    O(mlops.modelarts.training_job_version_info#module:usage_until) are refused, since a usage window that ends now
    changes on every poll. The playbook a rule runs can ask for usage (the lookup's C(result=usage)).
  - Needs C(requests) and C(ansible-core) next to ansible-rulebook (a decision environment built with this collection
    has both); see C(docs/eda.md) of the collection.
'''

EXAMPLES = r'''
- name: Deploy a model the moment its training completes
  hosts: all
  sources:
    - mlops.modelarts.training_job_versions:
        region: eu-de
        project_id: 0a1b2c3d4e5f60718293a4b5c6d7e8f9
        names:
          - resnet50-train-*
        interval: 60
  rules:
    - name: Deploy a completed version
      condition: event.modelarts.type == "status_changed" and event.modelarts.version.status_name == "completed"
      action:
        run_playbook:
          name: mlops.modelarts.deploy_on_completion
'''


def _put_collection_on_path():
    """Put the collections root holding this file first on sys.path, so that the shared layer imports from it.

    ansible-rulebook runs an event source with runpy.run_path: the file is not imported as part of its collection,
    and another copy of the collection elsewhere on sys.path must not serve this one's imports.
    """
    root = os.path.abspath(__file__)
    for dummy in range(7):  # event_source, plugins, eda, extensions, modelarts, mlops, ansible_collections
        root = os.path.dirname(root)
    if os.path.basename(root) == 'ansible_collections' and os.path.dirname(root) not in sys.path:
        sys.path.insert(0, os.path.dirname(root))


_put_collection_on_path()

# pylint: disable=wrong-import-position
from ansible_collections.mlops.modelarts.plugins.module_utils._auth import ConnectionSettings
from ansible_collections.mlops.modelarts.plugins.module_utils._client import HAS_REQUESTS, ApiClient, backoff_delay
from ansible_collections.mlops.modelarts.plugins.module_utils._errors import ModelArtsError, OptionError, redact, redact_data
from ansible_collections.mlops.modelarts.plugins.module_utils._options import argument_spec, query_result
from ansible_collections.mlops.modelarts.plugins.module_utils._statuses import status_name
from ansible_collections.mlops.modelarts.plugins.module_utils._versions import Query
from ansible_collections.mlops.modelarts.plugins.plugin_utils._controller_base import (
    checked_options, errors_as, warn_unverified_tls,
)
from ansible_collections.mlops.modelarts.plugins.plugin_utils._option_adapter import OptionAdapter

SOURCE_NAME = 'mlops.modelarts.training_job_versions'
logger = logging.getLogger(SOURCE_NAME)

SOURCE_ARGUMENT_SPEC = dict(
    interval=dict(type='float', default=30.0),
    initial=dict(type='bool', default=False),
    max_failures=dict(type='int', default=10),
)
# Arguments ansible-rulebook itself adds to some sources (eda_feedback_queue, ...): not options of ours.
RULEBOOK_ARGUMENT_PREFIX = 'eda_'
# Query options of the modules that make no sense for a stream of changes: a usage window ending now changes on
# every poll. The playbook a rule runs can ask for usage (the lookup's result=usage).
NOT_FOR_EVENTS = ('usage_since', 'usage_until')
# Answers no retry can change; before a first successful poll they mean the configuration is wrong.
PERMANENT_STATUSES = frozenset((400, 401, 403, 404))
# What makes ansible-core's templar (2.17 to 2.19) take a string for a template: a Jinja start sequence anywhere, or
# a '#jinja2:' header, which can choose other start sequences. ansible-rulebook hands the event to ansible-playbook
# as extra vars, which ansible-core templates (2.19 trusts them as templates; 2.17 and 2.18 template every string of
# ansible_eda the moment any part of it is read), so such a string from the API would run in the playbook.
TEMPLATE_MARKERS = ('{{', '{%', '{#', '#jinja2:')
# Percent-encoded in a string that has a marker: '{', '}' and '#' so that no marker is left; '%' and '+' so that
# ansible's urldecode filter (urllib's unquote_plus) gives the original text back.
_NEUTRAL_CHARACTERS = str.maketrans({'%': '%25', '+': '%2B', '{': '%7B', '}': '%7D', '#': '%23'})


class SourceError(Exception):
    """The source cannot go on; ansible-rulebook reports the message (it holds no secret)."""


def _source_spec():
    """Give back the source's argument spec: the modules' options (but NOT_FOR_EVENTS) and its own."""
    spec = argument_spec()
    for name in NOT_FOR_EVENTS:
        spec.pop(name, None)
    spec.update(copy.deepcopy(SOURCE_ARGUMENT_SPEC))
    return spec


def resolve_options(args):
    """Give back (validated params, no_log values) for the source's arguments, or raise OptionError.

    The modules' argument spec, mutual exclusions and required pairs through the shared option adapter (so the
    messages are the modules' ones), their environment fallbacks, and the source's own interval, initial and
    max_failures.
    """
    given = dict((name, value) for name, value in (args or {}).items()
                 if not str(name).startswith(RULEBOOK_ARGUMENT_PREFIX) and value is not None)
    for name in NOT_FOR_EVENTS:
        if name in given:
            raise OptionError('%s is not supported by the event source: a usage window ending now would change on every '
                              'poll; ask for usage in the playbook a rule runs (the lookup with result=usage)' % name)
    spec = _source_spec()
    unknown = sorted(name for name in given if name not in spec)
    if unknown:
        raise OptionError('unsupported argument(s): %s; supported are %s' % (', '.join(unknown), ', '.join(sorted(spec))))
    params, no_log_values = checked_options(OptionAdapter.from_dict(given), extra_spec=copy.deepcopy(SOURCE_ARGUMENT_SPEC),
                                            module_name=SOURCE_NAME, kind='event source', every_error=False)
    if params['interval'] <= 0:
        raise OptionError('interval must be a number of seconds greater than 0; got %r' % (params['interval'],))
    if params['max_failures'] < 1:
        raise OptionError('max_failures must be 1 or greater; got %r' % (params['max_failures'],))
    return params, no_log_values


def looks_like_template(text):
    """Give back whether ansible-core could take the string for a template (it holds a TEMPLATE_MARKERS entry)."""
    return any(marker in text for marker in TEMPLATE_MARKERS)


def _neutral_text(text):
    return text.translate(_NEUTRAL_CHARACTERS)


def _pointer_segment(key):
    return str(key).replace('~', '~0').replace('/', '~1')  # as in a JSON pointer (RFC 6901)


def _neutral_keys(keys):
    """Give back {key: key as it goes into the event} for the keys of one mapping.

    A key that looks like a template is percent-encoded; so is a plain key that equals the encoded form of another
    (a key '%7B%7Bx%7D%7D' beside a key '{{x}}'), so that no entry overwrites another and each decodes back to its key.
    """
    escaped = set(key for key in keys if isinstance(key, str) and looks_like_template(key))
    while True:
        taken = set(_neutral_text(key) for key in escaped)
        clashing = set(key for key in keys if key not in escaped and key in taken)
        if not clashing:
            return dict((key, _neutral_text(key) if key in escaped else key) for key in keys)
        escaped |= clashing


def neutralise_templates(data, path=''):
    """Give back (data with no string that could be a template, the paths of the strings percent-encoded, in order).

    Every string (a value or a mapping's key, at any depth) holding a Jinja start sequence or a '#jinja2:' header
    has its '%', '+', '{', '}' and '#' percent-encoded: 'x{{ a }}' becomes 'x%7B%7B a %7D%7D', which ansible's
    urldecode filter turns back into the original. Other strings, numbers, booleans and nulls are unchanged. A path
    names an entry whose key, value or both were encoded, as its keys and list indexes now are in the result,
    joined by '/' ('version/version_name'; '~' and '/' in a key as '~0' and '~1'). The data given is not changed.
    """
    escaped_paths = []
    result = _neutralise(data, path, escaped_paths)
    return result, list(dict.fromkeys(escaped_paths))  # once each, in order (an entry whose key and value were both)


def _neutralise(data, path, escaped_paths):
    if isinstance(data, str):
        if looks_like_template(data):
            escaped_paths.append(path)
            return _neutral_text(data)
        return data
    if isinstance(data, dict):
        keys = _neutral_keys(list(data))
        result = {}
        for key, value in data.items():
            item_path = '%s/%s' % (path, _pointer_segment(keys[key])) if path else _pointer_segment(keys[key])
            if keys[key] != key:
                escaped_paths.append(item_path)
            result[keys[key]] = _neutralise(value, item_path, escaped_paths)
        return result
    if isinstance(data, (list, tuple)):
        return [_neutralise(item, '%s/%d' % (path, index) if path else str(index), escaped_paths)
                for index, item in enumerate(data)]
    return data


def neutral_event(event):
    """Give back the event with every string that could be a template encoded, listed in modelarts.escaped_fields.

    escaped_fields is there only when something was encoded (so an event of plainly named versions is the same as
    it always was); its paths are relative to 'modelarts', for example 'version/version_name'.
    """
    body, escaped = neutralise_templates(event['modelarts'])
    if escaped:
        body['escaped_fields'] = escaped
    return dict(event, modelarts=body)


def _event(kind, **fields):
    body = {'type': kind}
    body.update(fields)
    return {'modelarts': body}


class VersionWatch(object):
    """What the previous polls saw, and the events that one new answer makes of it."""

    def __init__(self, project_id, region, initial, per_version=True):
        self.project_id = project_id
        self.region = region
        self.initial = initial
        self.per_version = per_version
        self.baseline_taken = False
        self.versions = {}  # version_key() -> the version as last seen (enriched)
        self.order = []  # version keys in the order last seen
        self.gpu_summary = None

    def _version_event(self, kind, version, previous_status):
        return _event(kind, version=copy.deepcopy(version), previous_status=previous_status,
                      project_id=self.project_id, region=self.region)

    def events_for(self, result):
        """Give back the events (in order) for one poll's result, and remember what it showed."""
        first = not self.baseline_taken
        emit = self.initial or not first
        events = []
        if self.per_version:
            events.extend(self._version_events(result, emit, complete=result.get('complete', True)))
        summary = result.get('gpu_summary')
        if summary != self.gpu_summary and emit:
            events.append(_event('summary_changed', gpu_summary=copy.deepcopy(summary),
                                 previous=copy.deepcopy(self.gpu_summary), project_id=self.project_id,
                                 region=self.region))
        self.gpu_summary = summary
        self.baseline_taken = True
        return events

    def _version_events(self, result, emit, complete):
        events = []
        seen = {}
        order = []
        for version in result.get('versions') or []:
            key = version_key(version)
            if key in seen:
                continue
            seen[key] = version
            order.append(key)
            before = self.versions.get(key)
            if before is None:
                if emit:
                    events.append(self._version_event('appeared', version, None))
            elif before.get('status') != version.get('status') and emit:
                events.append(self._version_event('status_changed', version, _status_label(before)))
        for key in self.order:
            if key in seen:
                continue
            if not complete:
                # A short answer (the API sent fewer versions than it counted) proves nothing about a missing
                # version: keep it, rather than report it gone now and back on the next poll.
                seen[key] = self.versions[key]
                order.append(key)
                continue
            gone = self.versions[key]
            events.append(self._version_event('disappeared', gone, _status_label(gone)))
        self.versions = seen
        self.order = order
        return events


def version_key(version):
    """Give back what identifies a version across polls: (its training API, its version_id).

    A v1 version_id is a number and a v2 one the job's ID text; under training_api all both come in one answer, and
    the API in the key keeps a v1 version 7 and a v2 job "7" apart (records without api_version are v1's).
    """
    return (version.get('api_version') or 'v1', version.get('version_id'))


def _status_label(version):
    label = version.get('status_name')
    if label is None:
        label = status_name(version.get('status'))
    return label


async def _in_thread(function, *args):
    """Give back function(*args) run in a worker thread, so that a slow API never blocks the event loop."""
    to_thread = getattr(asyncio, 'to_thread', None)
    if to_thread is not None:
        return await to_thread(function, *args)
    return await asyncio.get_event_loop().run_in_executor(None, function, *args)  # Python 3.8


class TrainingJobVersionsSource(object):
    """Polls one project with one client and puts change events on the queue."""

    def __init__(self, args, session=None):
        if not HAS_REQUESTS:
            raise OptionError('%s needs the Python library requests next to ansible-rulebook' % SOURCE_NAME)
        params, self._no_log_values = resolve_options(args)
        self.interval = params['interval']
        self.max_failures = params['max_failures']
        self.query = Query(params)
        self.settings = ConnectionSettings(params)
        # The client adds the secrets it is issued or sees echoed (an IAM token, ...) to the set, for redaction.
        self.client = ApiClient(self.settings, session=session, no_log_values=self._no_log_values)
        self.watch = VersionWatch(None, self.settings.region, params['initial'], per_version=self.query.include_versions)
        self.polls = 0
        self.failures = 0
        warn_unverified_tls(params, lambda warning: logger.warning('%s: %s', SOURCE_NAME, warning))
        for warning in self.settings.warnings:  # what the settings found, such as clouds.yaml's verify
            logger.warning('%s: %s', SOURCE_NAME, warning)

    def _secrets(self):
        return sorted(self._no_log_values | set(self.client.secrets()), key=len, reverse=True)

    def _redact(self, text):
        return redact(text, self._secrets())

    def _poll(self):
        """One query, in a worker thread: give back (result, warnings, project_id)."""
        result, warnings = query_result(self.client, self.query)
        return result, warnings, self.client.project_id

    async def run(self, queue):
        logger.info('%s: polling training job versions in region %s every %s s', SOURCE_NAME,
                    self.settings.region or '(from the endpoint)', self.interval)
        try:
            while True:
                delay = await self._poll_once(queue)
                await asyncio.sleep(delay)
        finally:
            self.client.close()

    async def _poll_once(self, queue):
        """Poll once, put its events on the queue; give back the seconds to wait before the next poll."""
        self.polls += 1
        try:
            result, warnings, project_id = await _in_thread(self._poll)
        except (ModelArtsError, OptionError) as exc:
            return self._failed(exc)
        except Exception as exc:  # pylint: disable=broad-except  # a long-running source outlives odd failures
            return self._failed(exc, unexpected=True)
        if self.failures:
            logger.info('%s: poll %d succeeded after %d failed poll(s)', SOURCE_NAME, self.polls, self.failures)
        self.failures = 0
        for warning in warnings:
            logger.warning('%s: %s', SOURCE_NAME, self._redact(warning))
        self.watch.project_id = project_id
        events = self.watch.events_for(result)
        if events:
            secrets = self._secrets()
            for event in events:
                # Redacted first: a secret must be found as the API sent it, before any of its characters is encoded.
                event = neutral_event(redact_data(event, secrets))
                escaped = event['modelarts'].get('escaped_fields')
                if escaped:
                    logger.warning('%s: text that could be a template was percent-encoded in a %s event, at %s',
                                   SOURCE_NAME, event['modelarts']['type'], escaped)
                await queue.put(event)
        return self.interval

    def _failed(self, exc, unexpected=False):
        self.failures += 1
        message = self._redact(str(exc) or type(exc).__name__)
        if unexpected:
            message = '%s: %s' % (type(exc).__name__, message)
        if isinstance(exc, OptionError) or (
                not self.watch.baseline_taken and getattr(exc, 'status', None) in PERMANENT_STATUSES):
            raise SourceError('%s: %s' % (SOURCE_NAME, message))
        if self.failures >= self.max_failures:
            raise SourceError('%s: %d consecutive polls failed (max_failures=%d); the last error: %s'
                              % (SOURCE_NAME, self.failures, self.max_failures, message))
        delay = backoff_delay(self.failures - 1)
        logger.warning('%s: poll %d failed (%d of max_failures=%d in a row), retrying in %.1f s: %s', SOURCE_NAME,
                       self.polls, self.failures, self.max_failures, delay, message)
        return delay


async def main(queue, args):
    """Poll ModelArts training job versions and put one event per change on the queue (runs until cancelled)."""
    with errors_as(SourceError, SOURCE_NAME + ': '):
        source = TrainingJobVersionsSource(args)
    await source.run(queue)


if __name__ == '__main__':
    # Run directly: print the events (connection from the environment, for example OS_CLOUD or OS_AUTH_TOKEN with
    # OS_PROJECT_ID and OS_REGION_NAME).

    class MockQueue(asyncio.Queue):
        """A queue that prints what it is given."""

        async def put(self, item):
            print(item)

    logging.basicConfig(level=logging.INFO)
    asyncio.run(main(MockQueue(), {'interval': 10, 'initial': True}))
