# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
name: json_results
type: stdout
short_description: Test-only stdout callback printing every task result as one JSON document
description:
  - Used by the integration tests so that they can read results without ansible.posix's json callback.
author: mlops.modelarts maintainers (@mlops-modelarts)
'''

import json

from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'stdout'
    CALLBACK_NAME = 'json_results'

    def __init__(self, *args, **kwargs):
        super(CallbackModule, self).__init__(*args, **kwargs)
        self.plays = []

    def v2_playbook_on_play_start(self, play):
        self.plays.append({'play': {'name': play.get_name()}, 'tasks': []})

    def v2_playbook_on_task_start(self, task, is_conditional):
        self.plays[-1]['tasks'].append({'task': {'name': task.get_name()}, 'hosts': {}})

    def _record(self, result, **flags):
        data = dict(self._clean(result._result), **flags)
        self.plays[-1]['tasks'][-1]['hosts'][result._host.get_name()] = data

    def _clean(self, value):
        # Round-trip through JSON: ansible-core 2.19 wraps values in tagged types that json cannot dump directly.
        return json.loads(json.dumps(value, cls=_Encoder))

    def v2_runner_on_ok(self, result):
        self._record(result)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._record(result, failed=True)

    def v2_runner_on_skipped(self, result):
        self._record(result, skipped=True)

    def v2_runner_on_unreachable(self, result):
        self._record(result, unreachable=True)

    def v2_playbook_on_stats(self, stats):
        hosts = sorted(stats.processed.keys())
        summary = dict((host, stats.summarize(host)) for host in hosts)
        self._display.display(json.dumps({'plays': self.plays, 'stats': summary}))


class _Encoder(json.JSONEncoder):
    def default(self, o):
        if isinstance(o, (set, frozenset, tuple)):
            return list(o)
        return str(o)
