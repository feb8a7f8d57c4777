#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
module: training_job_version_info
short_description: List ModelArts training job versions with their statuses and GPU/NPU counts
version_added: 0.1.0
description:
  - Asks ModelArts (Open Telekom Cloud or Huawei Cloud) for the training job versions of a project
    (C(GET /v1/{project_id}/training-jobs/versions)), fetching every page, and returns them with readable statuses,
    ISO times and a summary of the GPUs and NPUs they hold.
  - Several statuses, status names and groups can be asked for at once although the API takes one status per request.
  - "Read-only; C(changed) is always false. Usually run on the controller (C(delegate_to: localhost))."
  - Use M(mlops.modelarts.training_job_version_facts) to get the same answer as facts.
  - With O(wait_for) the module is a gate. It fails unless the conditions hold, and with O(wait=true) it polls
    until they do (or O(wait_timeout) runs out). See RV(wait) for what it waited for and how long.
author:
  - mlops.modelarts maintainers (@mlops-modelarts)
options:
  wait:
    description:
      - Poll the query every O(wait_sleep) seconds until every condition in O(wait_for) holds, for at most
        O(wait_timeout) seconds. A timeout fails the task with a message naming the conditions that did not hold and
        what was last seen, and returns the last answer.
      - Requires O(wait_for).
      - With O(wait=false) and O(wait_for) given, the conditions are checked once and the task fails if they do not
        hold (a gate without waiting).
    type: bool
    default: false
  wait_timeout:
    description:
      - Seconds to wait at most for O(wait_for) to hold when O(wait=true). V(0) checks once.
    type: int
    default: 600
  wait_sleep:
    description:
      - Seconds between two polls when O(wait=true); 1 or greater.
    type: int
    default: 10
  wait_for:
    description:
      - The gate conditions, checked on the versions the query matches (after O(status), O(pool_id), O(names),
        O(offset) and O(limit)). Every condition given must hold; give at least one.
      - A matching version that has finished (status group V(succeeded), V(failed) or V(canceled)) in a status that
        O(wait_for.status) does not accept will never change again, so the task fails at once instead of waiting
        out O(wait_timeout), unless O(wait_for.fail_fast=false).
    type: dict
    suboptions:
      status:
        description:
          - Every matching version is in one of these statuses. Same values as O(status) (codes, names, groups
            such as V(succeeded)).
          - Holds when no version matches; add O(wait_for.min_versions=1) to require the version to exist.
        type: list
        elements: str
      max_active_gpus:
        description:
          - The matching versions in the V(active) status group hold at most this many GPUs.
          - Combine with O(pool_id) to wait for capacity in one pool.
        type: int
      min_versions:
        description:
          - At least this many versions match (for example V(1) to wait for a version to appear).
        type: int
      fail_fast:
        description:
          - Fail at once when a matching version has finished in a status that O(wait_for.status) does not accept
            (for example it V(failed) while V(succeeded) is wanted).
          - V(false) keeps polling until O(wait_timeout).
        type: bool
        default: true
extends_documentation_fragment:
  - mlops.modelarts.connection
  - mlops.modelarts.query
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target.
    support: full
    details: The query only reads, so check mode runs it unchanged, and the gate polls and waits as usual.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
    support: none
notes:
  - "Inventory hosts drive the query (added in 0.3.0): when the task names none of O(project_id), O(project_name),
    O(region) and O(endpoint) (in its arguments or C(module_defaults)), the host's variables C(modelarts_project_id),
    C(modelarts_project_name), C(modelarts_region) and C(modelarts_endpoint) give them, as the
    P(mlops.modelarts.projects#inventory) inventory sets them. They win over the environment variables
    (E(OS_PROJECT_NAME) of an exported openrc does not replace a host's project); a host that gives its project
    gives it alone, and E(OS_REGION_NAME) and E(MODELARTS_ENDPOINT) fill what the host leaves unset."
  - The result's RV(complete) is false (and a warning says why) when fewer versions arrived than the API reported.
seealso:
  - module: mlops.modelarts.training_job_version_facts
  - plugin: mlops.modelarts.training_job_versions
    plugin_type: lookup
'''

EXAMPLES = r'''
- name: List every running version in the project (credentials from clouds.yaml entry "otc")
  mlops.modelarts.training_job_version_info:
    cloud: otc
    status: [running]
  delegate_to: localhost
  register: running

- name: Show how many GPUs are busy
  ansible.builtin.debug:
    msg: "{{ running.gpu_summary.active_gpu_num }} GPUs in {{ running.total_count }} running versions"

- name: Count failed and canceled versions of one pool, with AK/SK credentials, summary only
  mlops.modelarts.training_job_version_info:
    region: eu-de
    project_id: "{{ modelarts_project_id }}"
    access_key: "{{ vault_modelarts_ak }}"
    secret_key: "{{ vault_modelarts_sk }}"
    status: [failed, canceled]
    pool_id: pool-gpu-a
    include_versions: false
  delegate_to: localhost
  register: broken

- name: Log in with a password, page 500 versions at a time, newest first, only resnet versions
  mlops.modelarts.training_job_version_info:
    region: eu-de
    domain_name: my-account
    project_name: eu-de_ml
    username: ml-robot
    password: "{{ vault_ml_robot_password }}"
    names: ["resnet50-*"]
    page_size: 500
    sort_by: create_time
    order: desc
  delegate_to: localhost
  register: resnet

- name: Wait up to 2 hours for the version to complete; fail at once if it fails
  mlops.modelarts.training_job_version_info:
    cloud: otc
    names: [resnet50-train-V0004]
    wait: true
    wait_timeout: 7200
    wait_sleep: 30
    wait_for:
      min_versions: 1
      status: [succeeded]
  delegate_to: localhost
  register: trained

- name: Wait until at most 16 GPUs are busy in a pool
  mlops.modelarts.training_job_version_info:
    cloud: otc
    pool_id: pool-gpu-a
    status: [active]
    include_versions: false
    wait: true
    wait_for:
      max_active_gpus: 16
  delegate_to: localhost

- name: Stop unless version V0003 of the job completed
  ansible.builtin.assert:
    that:
      - resnet.versions | selectattr('version_name', 'equalto', 'resnet50-train-V0003')
        | map(attribute='status_name') | list == ['completed']
    fail_msg: resnet50-train-V0003 has not completed
'''

RETURN = r'''
versions:
  description:
    - The matching versions with the API's fields unchanged, plus the fields the collection adds.
    - Only returned when O(include_versions=true).
    - When the gate fails (O(wait_for)), only the versions that decided the failure, at most 10
      (RV(wait.deciding_versions) counts them all). These are the versions that finished in a status
      O(wait_for.status) rules out, or on a timeout (or a single check) those that kept a condition from holding.
  returned: when include_versions is true
  type: list
  elements: dict
  contains:
    version_id:
      description:
        - Version ID; for a new-version (v2) job its id, a string (a UUID).
      type: raw
      sample: 10
    version_name:
      description: Version name.
      type: str
      sample: resnet50-train-V0003
    status:
      description:
        - Job status code; for a v2 job its phase as the API gives it (V(Running), V(Completed), ...).
      type: raw
      sample: 10
    status_name:
      description: Status name in lower case without the C(JOBSTAT_) prefix.
      type: str
      sample: completed
    status_group:
      description: V(active), V(succeeded), V(failed), V(canceled) or V(unknown).
      type: str
      sample: succeeded
    create_time:
      description: Creation time in epoch milliseconds.
      type: int
      sample: 1767225600000
    create_time_iso:
      description: RV(versions[].create_time) in ISO 8601 UTC, null when 0 or absent.
      type: str
      sample: '2026-01-01T00:00:00.000Z'
    start_time:
      description: Start time in epoch milliseconds (0 or absent when not started).
      type: int
    start_time_iso:
      description: Start time in ISO 8601 UTC, null when not started.
      type: str
    end_time:
      description: End time in epoch milliseconds (0 or absent when not ended).
      type: int
    end_time_iso:
      description: End time in ISO 8601 UTC, null when not ended.
      type: str
    duration:
      description: Run time in milliseconds.
      type: int
      sample: 53000
    duration_seconds:
      description: Run time in seconds.
      type: float
      sample: 53.0
    version_desc:
      description: Description (may be null).
      type: str
    pool_id:
      description: Resource pool (may be null).
      type: str
    flavor_code:
      description: Resource flavor.
      type: str
      sample: modelarts.p3.large.8
    gpu_num:
      description:
        - GPUs the version uses. For a v2 job, the GPUs per node (from the job's C(flavor_detail), the flavors list or
          the documented dedicated-pool flavors) times its RV(versions[].node_count); null when no source tells the
          flavor's accelerators (counted in RV(gpu_summary.accelerators_unknown), never as 0).
      type: int
      sample: 8
    npu_num:
      description: NPUs the version uses; for a v2 job as RV(versions[].gpu_num), null when unknown.
      type: int
      sample: 0
    api_version:
      description: The training API the record came from, V(v1) (old-version versions) or V(v2) (new-version jobs).
      type: str
      sample: v1
      version_added: 0.3.0
    secondary_phase:
      description: v2 jobs only (absent on v1 versions). The job's C(status.secondary_phase) (V(Queuing), ...).
      type: str
      sample: Running
      version_added: 0.3.0
    node_count:
      description: v2 jobs only. Nodes the job runs on (distributed training); 1 unless the job says more.
      type: int
      sample: 1
      version_added: 0.3.0
    user_name:
      description: v2 jobs only. The user who created the job.
      type: str
      version_added: 0.3.0
    outputs:
      description: v2 jobs only. Where the job writes its results (the trained model), from C(algorithm.outputs).
      type: list
      elements: dict
      sample: [{"name": "train_url", "obs_url": "/bucket/models/resnet50/"}]
      version_added: 0.3.0
total_count:
  description:
    - What the API reports as matching, summed over the statuses asked (before O(names), O(offset), O(limit)).
    - v2 jobs count as found (the v2 search reports no total of the jobs matching), before O(names), O(pool_id),
      O(offset) and O(limit).
  returned: success
  type: int
  sample: 2500
complete:
  description: False when fewer versions arrived than the API reported (a warning says which); the answer is then partial.
  returned: success
  type: bool
  sample: true
requests:
  description: HTTP requests sent, retries and IAM login included.
  returned: success
  type: int
  sample: 1
gpu_summary:
  description: Accelerators held by the returned versions.
  returned: success
  type: dict
  contains:
    versions:
      description: Number of versions counted.
      type: int
    gpu_num:
      description: GPUs of all counted versions.
      type: int
    npu_num:
      description: NPUs of all counted versions.
      type: int
    active_gpu_num:
      description: GPUs of versions in the V(active) status group (not finished).
      type: int
    active_npu_num:
      description: NPUs of versions in the V(active) status group.
      type: int
    accelerators_unknown:
      description:
        - Versions whose C(gpu_num) or C(npu_num) is not a whole number from 0 to 1,000,000 (a negative number,
          10**400, a fraction); such a count is unknown and added to no sum (the version's other, valid count is),
          and one warning names up to three of these versions. 0 when none.
        - An absent or null count is 0, not unknown. Digits as text and whole floats (V(4.0)) count as numbers.
        - v2 jobs whose C(gpu_num) or C(npu_num) is null (no source tells their flavor's accelerators) count here
          too, and one warning names their flavors.
      type: int
      version_added: 0.2.0
    by_status:
      description: Status name -> C({versions, gpu_num, npu_num}).
      type: dict
      sample: {"running": {"versions": 3, "gpu_num": 24, "npu_num": 0}}
    by_pool:
      description: Pool ID (V(none) for no pool) -> C({versions, gpu_num, npu_num}).
      type: dict
    by_flavor:
      description: Flavor code -> C({versions, gpu_num, npu_num}).
      type: dict
gpu_usage:
  description:
    - Accelerator-hours the returned versions held in the window O(usage_since) to O(usage_until), and the queue of
      versions waiting for accelerators.
    - A version holds C(gpu_num) GPUs and C(npu_num) NPUs from C(start_time) to C(end_time); one that started and has
      no C(end_time) holds them up to the end of the window if its status is in the V(active) group, and not at all
      otherwise; one that never started holds none. Hours are accelerators times the overlap of that interval with
      the window, summed and rounded to 3 decimals.
  returned: when usage_since is given
  type: dict
  version_added: 0.2.0
  contains:
    since:
      description: Start of the window, ISO 8601 UTC.
      type: str
      sample: '2026-11-01T00:00:00.000Z'
    until:
      description: End of the window, ISO 8601 UTC.
      type: str
      sample: '2026-12-01T00:00:00.000Z'
    gpu_hours:
      description: GPU-hours held in the window.
      type: float
      sample: 1234.5
    npu_hours:
      description: NPU-hours held in the window.
      type: float
      sample: 0.0
    versions:
      description: Versions that held at least one GPU or NPU during the window.
      type: int
    accelerators_unknown:
      description:
        - Versions that held time in the window, or wait in the queue, with an unknown C(gpu_num) or C(npu_num)
          (as in RV(gpu_summary.accelerators_unknown)); their unknown accelerators add no hours and nothing to
          C(queue.waiting_gpu_num) or C(queue.waiting_npu_num). 0 when none.
      type: int
    by_pool:
      description: Pool ID (V(none) for no pool) -> C({gpu_hours, npu_hours, versions}).
      type: dict
      sample: {"pool-gpu-a": {"gpu_hours": 96.0, "npu_hours": 0.0, "versions": 2}}
    by_flavor:
      description: Flavor code -> C({gpu_hours, npu_hours, versions}).
      type: dict
    by_status_group:
      description: Status group (V(active), V(succeeded), V(failed), V(canceled), V(unknown)) -> C({gpu_hours, npu_hours, versions}).
      type: dict
    queue:
      description: Versions waiting for accelerators, and how long started versions waited.
      type: dict
      contains:
        waiting:
          description: Versions in the V(active) group that have not started (no C(start_time)), created by the end of the window.
          type: int
        waiting_gpu_num:
          description: GPUs the waiting versions ask for.
          type: int
        waiting_npu_num:
          description: NPUs the waiting versions ask for.
          type: int
        longest_wait_seconds:
          description: End of the window minus C(create_time) of the oldest waiting version; null when none waits.
          type: float
        started:
          description: Versions whose C(start_time) lies in the window.
          type: int
        wait_seconds_p50:
          description: Median of C(start_time - create_time) of the started versions (nearest rank); null when none started.
          type: float
        wait_seconds_p95:
          description: 95th percentile (nearest rank) of the same waits; null when none started.
          type: float
wait:
  description:
    - What the gate checked, how often and how long; also returned when the gate fails.
  returned: when wait_for is given
  type: dict
  contains:
    satisfied:
      description: Whether every condition held on the last poll.
      type: bool
      sample: true
    outcome:
      description:
        - V(satisfied), V(timeout), V(finished_version) (a version finished in a status the gate rules out) or
          V(not_satisfied) (checked once with O(wait=false)).
      type: str
      sample: satisfied
    polls:
      description: Number of times the query ran.
      type: int
      sample: 4
    elapsed:
      description: Seconds from the first poll to the end (monotonic clock).
      type: float
      sample: 31.2
    timeout:
      description: O(wait_timeout), null when O(wait=false).
      type: int
    sleep:
      description: O(wait_sleep), null when O(wait=false).
      type: int
    matching_versions:
      description: How many versions the last poll matched.
      type: int
      sample: 83
      version_added: 0.3.0
    deciding_versions:
      description:
        - On a failed gate, how many versions decided the failure; RV(versions) holds the first 10 of them. Null
          when the gate passed.
      type: int
      sample: 1
      version_added: 0.3.0
    conditions:
      description:
        - Condition name (V(status), V(max_active_gpus), V(min_versions)) -> C({holds, wanted, seen, detail}) on the
          last poll; C(seen) is the status name -> count for V(status), a number otherwise.
      type: dict
      sample: {"status": {"holds": true, "wanted": ["succeeded"], "seen": {"completed": 1},
               "detail": "1 matching version, all in [succeeded]"}}
query:
  description: The effective query (no credentials); RV(query.offset_unit_used) says how paging counted offsets.
  returned: success
  type: dict
  contains:
    status:
      description: v1 status codes asked for, null for all, empty when v1 is not asked.
      type: list
      elements: int
    phases:
      description: v2 phases asked for, null for all, empty when v2 is not asked.
      type: list
      elements: str
      version_added: 0.3.0
    training_api:
      description: The O(training_api) option.
      type: str
      version_added: 0.3.0
    apis:
      description: The APIs asked (V(v1), V(v2)); an API in which none of the O(status) values exists is not asked.
      type: list
      elements: str
      version_added: 0.3.0
    offset_unit_used:
      description: V(records), V(pages), V(pages_one_based), or a note that no paging was needed; null without paging.
      type: str
  sample: {"status": [8], "sort_by": "create_time", "order": "desc", "page_size": 0, "offset_unit": "auto"}
'''

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.mlops.modelarts.plugins.module_utils._credentials import apply_environment_credentials
from ansible_collections.mlops.modelarts.plugins.module_utils._entry_points import INFO_EXTRA_SPEC, run_info_module, share_one_malloc_arena
from ansible_collections.mlops.modelarts.plugins.module_utils._options import module_kwargs


def main():
    share_one_malloc_arena()  # before any thread starts: see _entry_points
    module = AnsibleModule(**module_kwargs(INFO_EXTRA_SPEC))
    apply_environment_credentials(module)  # the env fallbacks of the credentials, once the task's method is known
    run_info_module(module)


if __name__ == '__main__':
    main()
