# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The report of folded projects (the one pass keeps fold_project() of each) is the report of their whole facts."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import random

from ansible_collections.mlops.modelarts.plugins.filter.report import fold_project, gpu_report
from ansible_collections.mlops.modelarts.plugins.module_utils._usage import gpu_usage
from ansible_collections.mlops.modelarts.plugins.module_utils._versions import enrich, summarize

HOUR = 3600 * 1000
SINCE = 1764547200000  # 2025-12-01T00:00:00Z
UNTIL = SINCE + 72 * HOUR
NOW = UNTIL / 1000.0


def random_versions(seed, count):
    """Give back `count` versions of every status group, started and waiting, in and around the window."""
    rng = random.Random(seed)
    versions = []
    for number in range(count):
        created = SINCE + rng.randrange(-24 * HOUR, 72 * HOUR)
        version = dict(version_id=number, version_name='v%03d' % number, status=rng.choice((7, 8, 8, 10, 11, 12)),
                       create_time=created, gpu_num=rng.choice((0, 1, 4, 8)), npu_num=rng.choice((0, 0, 1)),
                       pool_id=rng.choice(('pool-gpu-a', 'pool-npu-b', None)), flavor_code='f%d' % rng.randrange(3))
        if version['status'] != 7:
            version['start_time'] = created + rng.randrange(0, 5 * HOUR)
        if version['status'] in (10, 11, 12):
            version['end_time'] = version['start_time'] + rng.randrange(1, 30 * HOUR)
        versions.append(version)
    return enrich(versions)


def host(name, versions):
    facts = dict(modelarts_gpu_summary=summarize(versions), modelarts_total_count=len(versions),
                 modelarts_query=dict(include_versions=True, complete=True),
                 modelarts_gpu_usage=gpu_usage(versions, SINCE, UNTIL), modelarts_training_job_versions=versions)
    return dict(inventory_hostname=name, modelarts_region='eu-de', modelarts_report_fetched_at=NOW, ansible_facts=facts)


def folded(entry, top):
    project, longest, waits, window = fold_project(entry, NOW, top)
    # As it comes back through Ansible: JSON, the window a list.
    return json.loads(json.dumps(dict(modelarts_report_folded=dict(
        project=project, longest=longest, waits=waits, window=list(window)))))


def test_the_report_of_folded_projects_is_the_report_of_their_facts():
    hosts = [host('p%d' % seed, random_versions(seed, 60 + 7 * seed)) for seed in range(5)]
    whole = gpu_report(hosts, now=NOW, top=4)
    assert whole['totals']['usage']['queue']['wait_seconds_p95'] is not None
    assert len(whole['longest_running']) == 4
    assert gpu_report([folded(entry, 4) for entry in hosts], now=NOW, top=4) == whole


def test_the_queue_percentiles_are_those_of_every_projects_versions_together():
    first, second = random_versions(1, 50), random_versions(2, 80)
    report = gpu_report([folded(host('a', first), 10), folded(host('b', second), 10)], now=NOW)
    together = gpu_usage(first + second, SINCE, UNTIL)['queue']
    queue = report['totals']['usage']['queue']
    assert (queue['wait_seconds_p50'], queue['wait_seconds_p95']) == (together['wait_seconds_p50'],
                                                                      together['wait_seconds_p95'])
