# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The gate: poll the versions query until the wait_for conditions hold, a finished version rules them out, or time runs out.

Modelled on kubernetes.core's waiter (polling on time.monotonic()), with conditions on the query's answer.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import time

from ansible.module_utils.basic import missing_required_lib

from ansible_collections.mlops.modelarts.plugins.module_utils._auth import UNVERIFIED_TLS_WARNING, ConnectionSettings
from ansible_collections.mlops.modelarts.plugins.module_utils._client import HAS_REQUESTS, REQUESTS_IMPORT_ERROR, ApiClient
from ansible_collections.mlops.modelarts.plugins.module_utils._counts import option_integer
from ansible_collections.mlops.modelarts.plugins.module_utils._errors import ModelArtsError, OptionError
from ansible_collections.mlops.modelarts.plugins.module_utils._options import query_for_module, query_result
from ansible_collections.mlops.modelarts.plugins.module_utils._statuses import (
    GROUP_OF_STATUS, select_statuses, status_name,
)
from ansible_collections.mlops.modelarts.plugins.module_utils._versions import Query

DEFAULT_WAIT_TIMEOUT = 600
DEFAULT_WAIT_SLEEP = 10
# A version in one of these groups never changes status again.
FINISHED_GROUPS = ('succeeded', 'failed', 'canceled')
# How many offending versions a message names before it says "and N more".
NAMED_IN_MESSAGES = 5
# How many of the versions that decided a failed gate its result returns: the module prints a failed result whole, on
# one line (every matching version made 42 KB for 83 versions); wait.deciding_versions counts them all.
DECIDING_VERSIONS_RETURNED = 10

WAIT_ARGUMENT_SPEC = dict(
    wait=dict(type='bool', default=False),
    wait_timeout=dict(type='int', default=DEFAULT_WAIT_TIMEOUT),
    wait_sleep=dict(type='int', default=DEFAULT_WAIT_SLEEP),
    wait_for=dict(type='dict', options=dict(
        status=dict(type='list', elements='str'),
        max_active_gpus=dict(type='int'),
        min_versions=dict(type='int'),
        fail_fast=dict(type='bool', default=True),
    )),
)


def _version_label(version):
    return str(version.get('version_name') or 'version_id %s' % version.get('version_id'))


def counted(number, noun, plural=None):
    """Give back '1 poll', '2 polls', '0 polls' (`plural` for nouns that do not just take an s)."""
    return '%d %s' % (number, noun if number == 1 else (plural or noun + 's'))


def _names_text(labels):
    shown = ', '.join(labels[:NAMED_IN_MESSAGES])
    if len(labels) > NAMED_IN_MESSAGES:
        shown += ' and %d more' % (len(labels) - NAMED_IN_MESSAGES)
    return shown


class ConditionState(object):
    """Whether one condition held on one answer, what was seen, and what to tell the user."""

    def __init__(self, holds, wanted, seen, detail):
        self.holds = holds
        self.wanted = wanted
        self.seen = seen
        self.detail = detail

    def as_dict(self):
        return dict(holds=self.holds, wanted=self.wanted, seen=self.seen, detail=self.detail)


class StatusCondition(object):
    """Every matching version is in one of the wanted statuses (vacuously true when none match)."""

    name = 'status'

    def __init__(self, values, training_api='all'):
        self.values = list(values)
        # v1 codes and v2 phases alike; a value that exists in none of the APIs of training_api fails here.
        self.selection = select_statuses(self.values, training_api or 'all', option='wait_for.status')
        self.wanted_text = '[%s]' % ', '.join(str(value) for value in self.values)

    def accepts(self, status):
        """Say whether a record's status (a v1 code or a v2 phase) is one of the wanted ones."""
        return self.selection.accepts(status)

    def evaluate(self, versions):
        seen = {}
        others = []
        for version in versions:
            name = status_name(version.get('status'))
            seen[name] = seen.get(name, 0) + 1
            if not self.accepts(version.get('status')):
                others.append('%s is %s' % (_version_label(version), name))
        holds = not others
        if holds:
            detail = '%s, all in %s' % (counted(len(versions), 'matching version'), self.wanted_text)
        else:
            detail = '%d of %d matching versions not in %s: %s' % (
                len(others), len(versions), self.wanted_text, _names_text(others))
        return ConditionState(holds, self.values, seen, detail)

    def deciding(self, versions):
        """Give back the versions that keep this condition from holding (those not in a wanted status)."""
        return [version for version in versions if not self.accepts(version.get('status'))]

    def finished_elsewhere(self, versions):
        """Give back the versions that finished in a status this condition does not accept (they never will)."""
        return [version for version in versions
                if GROUP_OF_STATUS.get(version.get('status')) in FINISHED_GROUPS and not self.accepts(version.get('status'))]


class MaxActiveGpusCondition(object):
    """The matching versions in the active group hold at most N GPUs."""

    name = 'max_active_gpus'

    def __init__(self, limit):
        self.limit = limit

    def evaluate(self, summary):
        active = summary.get('active_gpu_num', 0)
        holds = active <= self.limit
        detail = '%s, %s %d wanted' % (counted(active, 'active GPU'), 'at most' if holds else 'more than the', self.limit)
        return ConditionState(holds, self.limit, active, detail)

    def deciding(self, versions):
        """Give back the versions that hold the active GPUs."""
        return [version for version in versions
                if version.get('status_group') == 'active' and isinstance(version.get('gpu_num'), int)
                and not isinstance(version.get('gpu_num'), bool) and version.get('gpu_num') > 0]


class MinVersionsCondition(object):
    """At least N versions match the query."""

    name = 'min_versions'

    def __init__(self, minimum):
        self.minimum = minimum

    def evaluate(self, summary):
        count = summary.get('versions', 0)
        holds = count >= self.minimum
        detail = '%s, at least %d wanted' % (counted(count, 'version matches', 'versions match'), self.minimum)
        return ConditionState(holds, self.minimum, count, detail)

    def deciding(self, versions):
        """Give back the versions that match (too few of them)."""
        return list(versions)


class Gate(object):
    """The validated wait options; run() polls a query until they are decided.

    Built before any request so that bad wait options never reach the API.
    """

    def __init__(self, params, clock=time.monotonic, sleep=time.sleep):
        self.wait = params.get('wait') is True
        wait_timeout = params.get('wait_timeout')
        wait_sleep = params.get('wait_sleep')
        self.timeout = option_integer('wait_timeout', DEFAULT_WAIT_TIMEOUT if wait_timeout is None else wait_timeout)
        self.sleep_seconds = option_integer('wait_sleep', DEFAULT_WAIT_SLEEP if wait_sleep is None else wait_sleep, 1)
        wait_for = params.get('wait_for')
        if wait_for is not None and not isinstance(wait_for, dict):
            raise OptionError('wait_for must be a dict with status, max_active_gpus and/or min_versions')
        wait_for = wait_for or {}
        self.status = None
        statuses = wait_for.get('status')
        if statuses is not None:
            if not isinstance(statuses, (list, tuple)):
                statuses = [statuses]
            if not statuses:
                raise OptionError('wait_for.status: give at least one status, name or group (or leave it out)')
            self.status = StatusCondition(statuses, params.get('training_api'))
        self.summary_conditions = []
        max_active_gpus = option_integer('wait_for.max_active_gpus', wait_for.get('max_active_gpus'))
        if max_active_gpus is not None:
            self.summary_conditions.append(MaxActiveGpusCondition(max_active_gpus))
        min_versions = option_integer('wait_for.min_versions', wait_for.get('min_versions'))
        if min_versions is not None:
            self.summary_conditions.append(MinVersionsCondition(min_versions))
        self.fail_fast = wait_for.get('fail_fast', True) is not False
        if wait_for and not self.has_conditions():
            raise OptionError('wait_for: give at least one of status, max_active_gpus, min_versions')
        if self.wait and not self.has_conditions():
            raise OptionError('wait: true needs wait_for with at least one of status, max_active_gpus, min_versions')
        self.clock = clock
        self.sleep = sleep

    def has_conditions(self):
        """Say whether there is anything to check (wait_for given); without it the module runs a plain query."""
        return self.status is not None or bool(self.summary_conditions)

    def evaluate(self, result):
        """Give back (ordered condition states, versions that finished in a status the gate rules out)."""
        versions = result.get('versions') or []
        states = []
        finished = []
        if self.status is not None:
            states.append((self.status.name, self.status.evaluate(versions)))
            finished = self.status.finished_elsewhere(versions)
        for condition in self.summary_conditions:
            states.append((condition.name, condition.evaluate(result['gpu_summary'])))
        return states, finished

    def run(self, params, session=None, no_log_values=None):
        """Poll the query of `params` with one client; give back a GateOutcome (secrets join `no_log_values`)."""
        include_versions = params.get('include_versions', True) is not False
        # The status condition needs the versions even when the user asked for counts only.
        query = Query(dict(params, include_versions=True))
        settings = ConnectionSettings(params)
        client = ApiClient(settings, session=session, no_log_values=no_log_values)
        try:
            outcome = self.poll(lambda: query_result(client, query))
        finally:
            client.close()
        outcome.warnings[:0] = settings.warnings
        outcome.result['query']['include_versions'] = include_versions
        if not include_versions:
            outcome.result.pop('versions', None)
        return outcome

    def poll(self, fetch):
        """Call fetch() (-> (result, warnings)) until the conditions are decided; give back a GateOutcome."""
        start = self.clock()
        deadline = start + (self.timeout if self.wait else 0)
        polls = 0
        warnings = []
        while True:
            result, new_warnings = fetch()
            polls += 1
            for warning in new_warnings:
                if warning not in warnings:
                    warnings.append(warning)
            states, finished = self.evaluate(result)
            if all(state.holds for dummy, state in states):
                kind = 'satisfied'
            elif finished and self.fail_fast:
                kind = 'finished_version'
            elif not self.wait:
                kind = 'not_satisfied'
            else:
                remaining = deadline - self.clock()
                if remaining <= 0:
                    kind = 'timeout'
                else:
                    self.sleep(min(self.sleep_seconds, remaining))
                    continue
            break
        elapsed = round(max(0.0, self.clock() - start), 3)
        wait = dict(
            satisfied=kind == 'satisfied',
            outcome=kind,
            polls=polls,
            elapsed=elapsed,
            timeout=self.timeout if self.wait else None,
            sleep=self.sleep_seconds if self.wait else None,
            conditions=dict((name, state.as_dict()) for name, state in states),
        )
        result['wait'] = wait
        versions = result.get('versions')
        wait['matching_versions'] = None if versions is None else len(versions)
        wait['deciding_versions'] = None
        if kind == 'satisfied':
            return GateOutcome(result, warnings, None)
        if versions is not None:
            deciding = finished if kind == 'finished_version' else self._deciding(states, versions)
            wait['deciding_versions'] = len(deciding)
            result['versions'] = deciding[:DECIDING_VERSIONS_RETURNED]
        return GateOutcome(result, warnings, self._failure_message(kind, states, finished, polls, elapsed))

    def _deciding(self, states, versions):
        """Give back the versions that kept the conditions that failed from holding, in the answer's order."""
        failed = set(name for name, state in states if not state.holds)
        conditions = ([self.status] if self.status is not None else []) + self.summary_conditions
        chosen = set()
        for condition in conditions:
            if condition.name in failed:
                chosen.update(id(version) for version in condition.deciding(versions))
        return [version for version in versions if id(version) in chosen]

    def _failure_message(self, kind, states, finished, polls, elapsed):
        failing = '; '.join('%s: %s' % (name, state.detail) for name, state in states if not state.holds)
        if kind == 'finished_version':
            labels = ['%s is %s (%s)' % (_version_label(version), status_name(version.get('status')),
                                         GROUP_OF_STATUS.get(version.get('status')))
                      for version in finished]
            return ('wait_for.status %s can no longer hold: %s, and a finished version never changes status; stopped '
                    'after %s in %.1fs instead of waiting out wait_timeout (set wait_for.fail_fast=false to '
                    'keep waiting)' % (self.status.wanted_text, _names_text(labels), counted(polls, 'poll'), elapsed))
        if kind == 'timeout':
            return 'wait_for did not hold within wait_timeout=%ds (%s in %.1fs); last seen: %s' % (
                self.timeout, counted(polls, 'poll'), elapsed, failing)
        return 'wait_for does not hold (checked once; set wait=true to wait for it): %s' % failing


class GateOutcome(object):
    """The last query result (with its `wait` key), the warnings of every poll, and a failure message or None."""

    def __init__(self, result, warnings, failure):
        self.result = result
        self.warnings = warnings
        self.failure = failure


def gate_for_module(module):
    """Give back the query result of an AnsibleModule after the gate passed, or end the module with a clear failure.

    Without wait_for this is the plain query. Check mode polls the same way: it only reads.
    """
    try:
        gate = Gate(module.params)
    except OptionError as exc:
        module.fail_json(msg=str(exc), changed=False)
    if not gate.has_conditions():
        return query_for_module(module)
    if not HAS_REQUESTS:
        module.fail_json(msg=missing_required_lib('requests'), exception=REQUESTS_IMPORT_ERROR)
    if module.params.get('validate_certs') is False:
        module.warn(UNVERIFIED_TLS_WARNING)
    try:
        outcome = gate.run(module.params, no_log_values=module.no_log_values)
    except OptionError as exc:
        module.fail_json(msg=str(exc), changed=False)
    except ModelArtsError as exc:
        module.fail_json(msg=str(exc), changed=False, api_error=exc.as_dict())
    for warning in outcome.warnings:
        module.warn(warning)
    if outcome.failure:
        module.fail_json(msg=outcome.failure, changed=False, **outcome.result)
    return outcome.result
