# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type


class ModuleDocFragment(object):
    """Query options of GET /v1/{project_id}/training-jobs/versions, shared by every plugin."""

    DOCUMENTATION = r'''
options:
  status:
    description:
      - Only versions in these statuses. Each item is a status code (V(0) to V(21)), a status name in any case
        (V(running), V(JOBSTAT_RUNNING)) or a group.
      - "Groups: V(active) (1, 2, 4, 7, 8, 9, 15, 18, 19: not finished, holds or will soon hold accelerators),
        V(succeeded) (10, 20), V(failed) (3, 5, 6, 11, 14, 16, 17, 21), V(canceled) (12, 13),
        V(terminal) (succeeded, failed and canceled) and V(unknown) (0)."
      - V(failed), V(canceled) and V(unknown) are both a group and the short name of one status; the group wins.
        Use the code or the C(JOBSTAT_) name (V(11), V(JOBSTAT_FAILED)) for the single status.
      - The API takes one status per request, so several statuses mean one request (or one series of pages) each.
      - "On the new-version API (O(training_api)) the values are its phases (V(Creating), V(Pending), V(Running),
        V(Failed), V(Completed), V(Terminating), V(Terminated), V(Abnormal), any case) and the groups (V(active):
        Creating, Pending, Running, Terminating; V(succeeded): Completed; V(failed): Failed, Abnormal; V(canceled):
        Terminated; V(terminal)), all in one request. Codes and C(JOBSTAT_) names are v1 only."
      - Omit for every status.
    type: list
    elements: str
  pool_id:
    description:
      - Only versions that run in this resource pool.
    type: str
  workspace_id:
    description:
      - Workspace whose versions are listed.
    type: str
    default: '0'
  sort_by:
    description:
      - Field the API sorts by. V(job_name) sorts by version name and V(job_desc) by description.
    type: str
    choices: [create_time, duration, job_desc, job_name, status]
    default: create_time
  order:
    description:
      - Sort order.
    type: str
    choices: [asc, desc]
    default: desc
  offset:
    description:
      - Number of matching versions to skip, counted in versions (records) whatever O(offset_unit) the API uses.
      - With several O(status) values or with O(names), skipping is done on the merged, filtered result.
      - Must be 0 or greater.
    type: int
    default: 0
  limit:
    description:
      - Return at most this many versions. V(0) returns every matching version.
      - Must be 0 or greater.
    type: int
    default: 0
  page_size:
    description:
      - V(0) asks the API once with its documented C(limit=0) (all records in one answer).
      - A positive number pages through the API that many versions at a time, on one kept-alive connection.
      - Must be 0 or greater.
    type: int
    default: 0
  offset_unit:
    description:
      - What the API's undocumented C(offset) parameter counts when paging (only used when O(page_size) is positive).
      - V(auto) sends one probe request (C(offset=1)) after the first page and tells records, 0-based page
        indexes and 1-based page indexes apart by what comes back; the result's C(query.offset_unit_used) says
        what was found.
      - V(records) (offset counts versions), V(pages) (offset is a page index from 0) and V(pages_one_based)
        (offset is a page index from 1) skip the probe.
    type: str
    choices: [auto, records, pages, pages_one_based]
    default: auto
  names:
    description:
      - Shell-style globs (V(resnet50-*), V(*-V000?)) matched against C(version_name), case-sensitively, on the
        controller. A version matches if any glob matches.
      - C([), C(*) and C(?) are glob characters. To match one literally, put it in brackets, as Python's C(fnmatch)
        reads them. V(exp[[]2]-V0001) matches the name C(exp[2]-V0001), V(a[*]b) matches C(a*b) and V(why[?])
        matches C(why?). To select one version whatever its name, give its id in O(version_ids).
    type: list
    elements: str
  version_ids:
    description:
      - Only the versions with one of these ids (C(version_id)), compared exactly, as text, on the controller.
      - Each id is a text or an integer. Old-version (v1) ids are integers, new-version (v2) ids are texts (UUIDs);
        V(7) and V('7') are the same id, and V('07') is another one. Duplicates count once; at most 1000 ids of at
        most 128 characters each. Anything else (an empty text, a boolean, a mapping, a list, a decimal number)
        fails before any request, naming O(version_ids).
      - With O(names) as well, a version must match both, one of the ids and one of the globs.
      - Like O(names), it is applied after the API's answer, so O(offset) and O(limit) count the selected versions,
        the usage of O(usage_since) and the C(gpu_summary) count only them, and the gate's
        O(mlops.modelarts.training_job_version_info#module:wait_for) conditions judge only them. An empty list is
        the same as leaving it out.
    type: list
    elements: raw
    version_added: 0.3.0
  include_versions:
    description:
      - Return the list of versions. V(false) returns only the counts and the GPU summary, which stays small
        however many versions match.
    type: bool
    default: true
  usage_since:
    description:
      - Start of the usage accounting window. Giving it adds C(gpu_usage) to the result, the GPU-hours and
        NPU-hours the matching versions held in the window (per pool, flavor and status group) and the queue of
        versions waiting for accelerators. See the C(gpu_usage) return value and C(docs/reporting.md) for the
        definitions.
      - "Accepted: an ISO 8601 date or date-time (V(2026-11-01), V(2026-11-01T08:30:00Z),
        V(2026-11-01T09:30:00+01:00); UTC unless an offset is given), epoch milliseconds (V(1761985800000)), an
        age before now in minutes, hours, days or weeks (V(90m), V(12h), V(30d), V(2w)), or V(now)."
      - Checked before any request; it must lie before O(usage_until).
      - Only the versions the query matches are counted, so O(status), O(pool_id), O(names), O(offset) and
        O(limit) narrow the usage too.
    type: str
    version_added: 0.2.0
  usage_until:
    description:
      - End of the usage accounting window, in the forms O(usage_since) accepts. Defaults to now.
      - Requires O(usage_since).
    type: str
    version_added: 0.2.0
  paging_timeout:
    description:
      - Seconds that all the requests of one query (every status, every page, retries included) may take together,
        waiting for and reading each answer included. A request that would start later, a retry that would start
        later, or an answer still arriving then (a server sending it a byte at a time, each byte within O(timeout))
        fails the query with a message saying so, instead of paging a server that keeps sending new pages for ever
        or waiting for an answer that never ends.
      - Each wait for data is bounded by O(timeout) and by the time left, whichever ends first. One answer may hold
        at most 128 MiB, as sent and once decompressed; a larger one fails the query naming that limit.
      - Paging is also bounded by what the first page promises, at most twice the pages its C(total_count) needs
        plus two (then a warning, and C(complete) is false), and one query never receives more than 250,000 versions.
      - Must be greater than 0.
    type: float
    default: 600
    version_added: 0.2.0
  training_api:
    description:
      - Which training API to read. V(all) reads the old-version (v1) training API,
        C(GET /v1/{project_id}/training-jobs/versions), and the new-version (v2) one,
        C(POST /v2/{project_id}/training-job-searches), at the same time (their requests bounded together by
        O(max_concurrent_requests)) and merges them into one list sorted by O(sort_by) and O(order), each job once,
        so a job is found whichever console created it. Training jobs created in the console today are v2 jobs.
      - V(v1) reads only the old-version API and sends exactly the requests of release 0.2.0; should that API answer
        404 (retired in the region), the query fails with a hint to set V(v2). Under V(all) such a 404 is a warning
        and the v2 jobs are returned.
      - V(v2) reads only the new-version API. Each v2 job becomes one record of the same shape as a v1 version
        (C(version_id) is the job's id, a string; C(status) its phase, such as V(Running)); every record says
        which API it came from in C(api_version).
      - O(status) values are codes (v1 only), names and groups (both APIs); an API in which none of them exists is
        not asked, and a value that exists in none of the selected APIs fails before any request.
      - On v2, O(offset), O(limit), O(pool_id) and O(names) apply to the merged result on the controller,
        O(page_size) is 1 to 50 jobs per request (V(0) and larger values mean 50), and paging stops at the first
        page shorter than asked. Under V(all) the merged records sort v1 before v2 where the sort field ties (ids
        within each API ascending), and by O(sort_by=status) v1 codes (by number) come before v2 phases (by name)
        in ascending order.
    type: str
    choices: [all, v1, v2]
    default: all
    version_added: 0.3.0
'''

    # Lookup plugins read the query options from keyword arguments, Ansible variables and the environment.
    PLUGINS = r'''
options:
  status:
    env:
      - name: MODELARTS_STATUS
    vars:
      - name: modelarts_status
  pool_id:
    env:
      - name: MODELARTS_POOL_ID
    vars:
      - name: modelarts_pool_id
  workspace_id:
    env:
      - name: MODELARTS_WORKSPACE_ID
    vars:
      - name: modelarts_workspace_id
  sort_by:
    env:
      - name: MODELARTS_SORT_BY
    vars:
      - name: modelarts_sort_by
  order:
    env:
      - name: MODELARTS_ORDER
    vars:
      - name: modelarts_order
  offset:
    env:
      - name: MODELARTS_OFFSET
    vars:
      - name: modelarts_offset
  limit:
    env:
      - name: MODELARTS_LIMIT
    vars:
      - name: modelarts_limit
  page_size:
    env:
      - name: MODELARTS_PAGE_SIZE
    vars:
      - name: modelarts_page_size
  offset_unit:
    env:
      - name: MODELARTS_OFFSET_UNIT
    vars:
      - name: modelarts_offset_unit
  names:
    env:
      - name: MODELARTS_NAMES
    vars:
      - name: modelarts_names
  version_ids:
    env:
      - name: MODELARTS_VERSION_IDS
    vars:
      - name: modelarts_version_ids
  include_versions:
    env:
      - name: MODELARTS_INCLUDE_VERSIONS
    vars:
      - name: modelarts_include_versions
  usage_since:
    env:
      - name: MODELARTS_USAGE_SINCE
    vars:
      - name: modelarts_usage_since
  usage_until:
    env:
      - name: MODELARTS_USAGE_UNTIL
    vars:
      - name: modelarts_usage_until
  paging_timeout:
    env:
      - name: MODELARTS_PAGING_TIMEOUT
    vars:
      - name: modelarts_paging_timeout
  training_api:
    env:
      - name: MODELARTS_TRAINING_API
    vars:
      - name: modelarts_training_api
'''
