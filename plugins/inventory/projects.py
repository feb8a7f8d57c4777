# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
name: projects
short_description: Every ModelArts project the credentials reach, as an inventory host
version_added: 0.2.0
description:
  - Asks IAM (C(GET /v3/auth/projects)) which projects the credentials can reach and makes every enabled project a
    host named after the project, with the host variables C(modelarts_project_id), C(modelarts_project_name),
    C(modelarts_region) and C(ansible_connection=local) (projects are API scopes, not machines).
  - Each host joins the group C(modelarts_region_<region>) (C(-) written as C(_), for example
    C(modelarts_region_eu_de)). A project's region is its name up to the first C(_), so V(eu-de) and V(eu-de_ml) are
    both in V(eu-de).
  - A host name keeps ASCII letters, digits, C(.), C(-) and C(_); any other character of the project's name is
    written as C(_) (region groups keep letters, digits and C(_)). A project whose name is taken (a host or group of an
    inventory source read before this one, V(all), V(ungrouped), V(localhost), V(127.0.0.1), or the host of another
    project of the same name) gets the first free host name C(<name>-2), C(<name>-3), ... and a warning naming the
    project, its id, its host and what holds the name. C(modelarts_project_name) is always the project's name.
    Projects of one name are taken in the order of their ids, so each keeps its host from run to run.
  - Every host variable from IAM or ModelArts is marked unsafe, so a project name such as
    V(p{{ lookup('pipe', 'id'\) }}) stays text wherever it is used, also on ansible-core 2.17 and 2.18; O(compose),
    O(groups) and O(keyed_groups) see it as text too.
  - With O(username)/O(password) and no project, the plugin logs in with a token scoped to the domain
    (O(domain_name)), which can list projects, as Open Telekom Cloud and Huawei Cloud document; O(token) is sent as it
    is; O(access_key)/O(secret_key) sign the request for the IAM endpoint (O(auth_url), else the IAM endpoint of
    O(region)).
  - Should a private IAM (an O(auth_url) that is not a public IAM of O(region)) refuse the domain-scoped login, as
    OpenStack Keystone does to users without a role on the domain, the plugin logs in once more without a scope and
    lists the user's projects with that unscoped token, so that an ordinary project member gets their projects.
  - Every key of the file must be an option of this plugin (its own, the connection options, and those of
    C(constructed) and C(inventory_cache) below); any other key fails the inventory, naming the key and the option it
    resembles. An entry of O(regions) or O(projects) that selects no listed project is a warning naming it and what
    exists (a few names at most).
  - With O(gpu_summary=true) each project's training job versions are queried too, several projects at a time
    (O(max_concurrent_requests)), and the summary becomes the host variable C(modelarts_gpu_summary).
  - The file must end in C(modelarts.yml) or C(modelarts.yaml). Options are read from the file, else from the
    environment variables given below; host and group variables do not set them (no host exists yet).
  - No password, key or token ends up in host variables, group variables, warnings or the inventory cache.
author:
  - mlops.modelarts maintainers (@mlops-modelarts)
extends_documentation_fragment:
  - mlops.modelarts.connection
  - mlops.modelarts.connection.inventory
  - ansible.builtin.constructed
  - ansible.builtin.inventory_cache
options:
  plugin:
    description: The name of this plugin; the file is read by this plugin only when it says so.
    type: str
    required: true
    choices: [mlops.modelarts.projects]
  regions:
    description:
      - Only projects in these regions (for example V(eu-de)). Empty or unset means every region.
      - A region in which no project is listed is a warning that names the regions of the listed projects.
    type: list
    elements: str
    default: []
  projects:
    description:
      - Only projects whose name matches one of these shell-style globs (for example V(eu-de_*)). Empty or unset means
        every project.
      - A glob that matches no listed project (of the selected O(regions)) is a warning that names some of those
        projects.
    type: list
    elements: str
    default: []
  gpu_summary:
    description:
      - Query each project's training job versions and set the host variable C(modelarts_gpu_summary) to their
        C(gpu_summary) dict (as RV(mlops.modelarts.training_job_version_info#module:gpu_summary); all statuses,
        workspace V(0)).
      - With O(username)/O(password) each project gets its own login (a token scoped to it); AK/SK signs each
        project's requests; a O(token) is scoped to one project and only that project's query can succeed.
      - A project whose query fails gets C(modelarts_gpu_summary=null), the host variable C(modelarts_error) with the
        reason, and a warning; with O(strict=true) the inventory fails instead.
    type: bool
    default: false
  training_api:
    description:
      - With O(gpu_summary=true), which training API each project's summary reads, as the modules'
        O(mlops.modelarts.training_job_version_info#module:training_api): V(all) sums the old-version (v1) versions
        and the new-version (v2) jobs, V(v1) or V(v2) one API only. Under V(all) a project whose v1 API answers 404
        gets the v2 jobs' summary and a warning.
    type: str
    choices: [all, v1, v2]
    default: all
    env:
      - name: MODELARTS_TRAINING_API
    version_added: 0.3.0
  max_concurrent_requests:
    description:
      - With O(gpu_summary=true), how many projects are queried at the same time, from 1 to 16; each project's query
        sends one request at a time, so this is also how many requests are in flight at most.
  strict:
    description:
      - Fail on errors in O(compose), O(groups) and O(keyed_groups), and when a project's O(gpu_summary) query fails.
notes:
  - The plugin does not know the hosts of inventory sources read after it; give such sources before it (C(-i) order,
    or file names in an inventory directory) so that no project's host merges with one of theirs.
  - Listing needs an IAM endpoint, O(auth_url), or O(region) (or clouds.yaml's C(region_name)) to derive it.
  - Each project's ModelArts endpoint is O(endpoint) when set (the same for every project), else derived from the
    project's region; with O(username)/O(password) the IAM catalog of the project's login is the last resort.
  - The cache (O(cache=true)) holds project ids, names, regions and summaries only; its key is the file's path. A
    cached inventory is used whatever credentials are set, until O(cache_timeout) expires or C(--flush-cache).
seealso:
  - module: mlops.modelarts.training_job_version_facts
  - plugin: mlops.modelarts.gpu_summary
    plugin_type: filter
'''

EXAMPLES = r'''
# demo.modelarts.yml: every project of the account, credentials from the environment (OS_USERNAME, OS_PASSWORD,
# OS_USER_DOMAIN_NAME, OS_REGION_NAME); try it with: ansible-inventory -i demo.modelarts.yml --graph
plugin: mlops.modelarts.projects

---
# team.modelarts.yml: two regions, the team projects only, with their GPU summaries, cached for an hour
plugin: mlops.modelarts.projects
cloud: otc
regions: [eu-de, eu-nl]
projects: ['*_*']
gpu_summary: true
cache: true
cache_plugin: ansible.builtin.jsonfile
cache_connection: ~/.cache/ansible-inventory
cache_timeout: 3600
compose:
  busy_gpus: modelarts_gpu_summary.active_gpu_num | default(0)
groups:
  gpus_in_use: (modelarts_gpu_summary.active_gpu_num | default(0)) > 0
keyed_groups:
  - key: modelarts_project_name.split('_')[1] | default('default')
    prefix: team
'''

import re

from ansible.errors import AnsibleParserError
from ansible.plugins.inventory import BaseInventoryPlugin, Cacheable, Constructable
from ansible.utils.display import Display
# On ansible-core 2.17/2.18 only text marked unsafe is never templated (a host var's value is templated whenever it is
# used); from 2.19 an inventory plugin's values are never templated and wrap_var just returns them (it is not
# deprecated up to 2.21; community.general's inventories mark their values the same way).
from ansible.utils.unsafe_proxy import wrap_var

from ansible_collections.mlops.modelarts.plugins.module_utils._client import HAS_REQUESTS
from ansible_collections.mlops.modelarts.plugins.plugin_utils._controller_base import (
    SHARED_LAYER_ERRORS, ControllerPlugin, warn_unverified_tls,
)
from ansible_collections.mlops.modelarts.plugins.plugin_utils._projects import (
    gpu_summaries, host_names, list_projects, quoted, select_projects,
)
from ansible_collections.mlops.modelarts.plugins.plugin_utils._inventory_checks import (
    unknown_keys_message, unmatched_filter_warnings,
)

display = Display()

CACHE_FORMAT = 'mlops.modelarts.projects/1'


def region_group(region):
    """Give back the group of a region's projects: modelarts_region_eu_de for eu-de (anything but [A-Za-z0-9_] as _).

    A region is IAM text (a project's name up to its first _); the groups of compose, groups and keyed_groups are
    made safe by Constructable itself (everything but letters, digits and _ written as _).
    """
    return 'modelarts_region_' + re.sub(r'[^A-Za-z0-9_]', '_', region)


class InventoryModule(ControllerPlugin, BaseInventoryPlugin, Constructable, Cacheable):

    NAME = 'mlops.modelarts.projects'
    plugin_error = AnsibleParserError
    error_prefix = NAME + ': '

    def verify_file(self, path):
        return super(InventoryModule, self).verify_file(path) and path.endswith(('modelarts.yml', 'modelarts.yaml'))

    def parse(self, inventory, loader, path, cache=True):
        super(InventoryModule, self).parse(inventory, loader, path, cache)
        self._check_keys(self._read_config_data(path))
        params = self._connection_params()
        key = self.get_cache_key(path)
        use_cache = self.get_option('cache') and cache
        records = None
        if use_cache:
            records = self._cached(key)
        if records is None:
            records = self._discover(params)
            if self.get_option('cache'):
                self._cache[key] = records
        self._populate(records)

    def _check_keys(self, config):
        """Fail on a key of the file that is no option (ansible-core would drop it silently: `regoins:`)."""
        # set_options (called by _read_config_data) holds every documented option, set or not: this plugin's own and
        # its doc fragments' (connection; constructed: compose, groups, keyed_groups, strict, leading_separator,
        # use_extra_vars; inventory_cache: cache, cache_plugin, ...), on every supported ansible-core.
        message = unknown_keys_message(list(config), list(self._options), self.NAME)
        if message:
            raise AnsibleParserError(message)

    def _connection_params(self):
        """Give back the connection options, checked by the modules' rules (same messages)."""
        return self.checked_params()

    def _cached(self, key):
        try:
            cached = self._cache[key]
        except KeyError:
            return None
        if not isinstance(cached, dict) or cached.get('format') != CACHE_FORMAT:
            return None
        return cached

    def _discover(self, params):
        """Give back what the hosts are made of (no secret in it: it may go to the cache)."""
        if not HAS_REQUESTS:
            raise AnsibleParserError('the mlops.modelarts.projects inventory needs the Python library requests')
        warn_unverified_tls(params, display.warning)
        try:
            listed = list_projects(params)
            regions, patterns = self.get_option('regions'), self.get_option('projects')
            for warning in unmatched_filter_warnings(listed, regions, patterns):
                display.warning('%s: %s' % (self.NAME, warning))
            projects = select_projects(listed, regions, patterns)
            summaries = gpu_summaries(params, projects) if self.get_option('gpu_summary') else None
        except SHARED_LAYER_ERRORS as exc:
            raise self.plugin_error_for(exc)
        for project in projects:
            if summaries is not None:
                project['gpu_summary'], project['error'], project['warnings'] = summaries[project['id']]
        return {'format': CACHE_FORMAT, 'gpu_summary': summaries is not None, 'projects': projects}

    def _populate(self, records):
        strict = self.get_option('strict')
        failed = [project for project in records['projects'] if project.get('error')]
        if failed and strict:
            raise AnsibleParserError('mlops.modelarts.projects: the query failed for %s' % '; '.join(
                '%s: %s' % (project['name'], project['error']) for project in failed))
        projects = records['projects']
        for project, (host, why) in zip(projects, host_names(projects, self._taken_names(projects))):
            if why:
                display.warning('mlops.modelarts.projects: project %s (id %s) is the host %s: %s' % (
                    quoted(project['name']), quoted(project['id']), host, why))
            self._add_project(host, project, records['gpu_summary'], strict)

    def _taken_names(self, projects):
        """Give back the names a project's host must not take: hosts and groups of the sources read before, ours."""
        taken = dict((name, 'a group of the inventory') for name in self.inventory.groups)
        taken.update((region_group(project['region']), 'a group of this inventory') for project in projects)
        taken.update((name, 'a host of another inventory source') for name in self.inventory.hosts)
        return taken

    def _add_project(self, host, project, gpu_summary, strict):
        """Add the host of one project, its variables (IAM and API text marked unsafe) and its groups."""
        host = self.inventory.add_host(wrap_var(host))
        self.inventory.set_variable(host, 'ansible_connection', 'local')
        self.inventory.set_variable(host, 'modelarts_project_id', wrap_var(project['id']))
        self.inventory.set_variable(host, 'modelarts_project_name', wrap_var(project['name']))
        self.inventory.set_variable(host, 'modelarts_region', wrap_var(project['region']))
        if gpu_summary:
            self.inventory.set_variable(host, 'modelarts_gpu_summary', wrap_var(project.get('gpu_summary')))
        if project.get('error'):
            self.inventory.set_variable(host, 'modelarts_error', wrap_var(project['error']))
            display.warning('mlops.modelarts.projects: no GPU summary for project %s: %s' % (host, project['error']))
        for warning in project.get('warnings') or []:
            display.warning('mlops.modelarts.projects: project %s: %s' % (host, warning))
        group = self.inventory.add_group(region_group(project['region']))
        self.inventory.add_child(group, host)
        hostvars = self.inventory.get_host(host).get_vars()
        self._set_composite_vars(self.get_option('compose'), hostvars, host, strict=strict)
        self._add_host_to_composed_groups(self.get_option('groups'), hostvars, host, strict=strict)
        self._add_host_to_keyed_groups(self.get_option('keyed_groups'), hostvars, host, strict=strict)
