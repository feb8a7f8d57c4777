# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The projects an account's credentials reach (IAM GET /v3/auth/projects), and their GPU summaries."""

from __future__ import absolute_import, annotations, division, print_function
__metaclass__ = type

import fnmatch
import json
import re
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, Collection, Dict, Iterable, List, Mapping, Optional, Tuple, cast
from urllib.parse import urlsplit

from ansible_collections.mlops.modelarts.plugins.module_utils._auth import ConnectionSettings, params_with_cloud
from ansible_collections.mlops.modelarts.plugins.module_utils._client import ApiClient
from ansible_collections.mlops.modelarts.plugins.module_utils._errors import ModelArtsError, OptionError
from ansible_collections.mlops.modelarts.plugins.module_utils._options import run_query
from ansible_collections.mlops.modelarts.plugins.plugin_utils._unscoped_listing import (
    domain_login_refused, projects_answer_with_unscoped_token,
)

PROJECTS_PATH = '/auth/projects'
DEFAULT_CONCURRENCY = 4

# A host name from a project name keeps ASCII letters, digits, '.', '-' and '_' (ordinary project names such as
# eu-de_ml stay as they are): nothing Jinja, a host pattern (',', ':', '!', '&', '*', '[', '~') or a shell would read.
NOT_IN_HOST_NAMES = re.compile(r'[^A-Za-z0-9._-]')
# Names that mean something to Ansible: the implicit groups, and the names that make a host the controller
# (a project named localhost would take over every `delegate_to: localhost`).
RESERVED_HOST_NAMES = {
    'all': 'a group every inventory has', 'ungrouped': 'a group every inventory has',
    'localhost': 'the name of the controller', '127.0.0.1': 'the name of the controller',
}


# A project as list_projects() gives it back: {id, name, region}.
Project = Dict[str, str]
# Per project: (gpu_summary or None, error message or None, warnings), as gpu_summaries() gives it back.
ProjectSummary = Tuple[Optional[Dict[str, Any]], Optional[str], List[str]]


def project_region(name: str) -> str:
    """Give back a project's region: its name up to the first underscore (eu-de for both eu-de and eu-de_ml)."""
    return name.split('_', 1)[0]


def list_projects(params: Mapping[str, Any], session: Any = None) -> List[Project]:
    """Give back the enabled projects the credentials reach, as [{id, name, region}] sorted by name.

    A password login without a project is scoped to the domain (such a token lists projects but cannot call
    ModelArts; should a private IAM refuse it, as Keystone does to users without a role on the domain, an unscoped
    token lists them); a token is sent as it is; AK/SK signs the request for the IAM endpoint.
    """
    settings = ConnectionSettings(params, account=True)
    client = ApiClient(settings, session=session)
    url = cast(str, settings.auth_url) + PROJECTS_PATH  # account settings always have one: ConnectionSettings raised otherwise
    try:
        try:
            dummy, data = client.send('GET', url, {}, None)
        except ModelArtsError as refused:
            if not domain_login_refused(settings, refused):
                raise
            data = projects_answer_with_unscoped_token(settings, client, url, refused)
    finally:
        client.close()
    listed = data.get('projects') if isinstance(data, dict) else None
    if not isinstance(listed, list):
        path = urlsplit(url).path
        raise ModelArtsError('GET %s answered without a list of projects' % path, method='GET', path=path)
    projects = []
    for item in listed:
        # Disabled projects accept no login and no ModelArts call: they are not hosts.
        if not isinstance(item, dict) or item.get('enabled', True) is not True:
            continue
        name, project_id = item.get('name'), item.get('id')
        if isinstance(name, str) and isinstance(project_id, str) and name and project_id:
            projects.append(dict(id=project_id, name=name, region=project_region(name)))
    # Name, then id: should IAM list two projects of one name, each keeps its host name from run to run.
    return sorted(projects, key=lambda project: (project['name'], project['id']))


def safe_host_name(name: str) -> str:
    """Give back `name` with every character but ASCII letters, digits, '.', '-' and '_' written as '_'."""
    return NOT_IN_HOST_NAMES.sub('_', name)


def host_names(projects: List[Project], taken: Optional[Mapping[str, str]] = None) -> List[Tuple[str, Optional[str]]]:
    """Give back, per project in order, (host name, why it is not the project's name, or None).

    The host names are distinct, safe (safe_host_name) and none of `taken` (name: what it already is, for the
    reason) nor RESERVED_HOST_NAMES. A project keeps its name when that name is safe, free and the first of its
    name in `projects`; any other gets its safe name if free, else the first free `<safe name>-N` (N from 2).
    Names that need no change are given first, so that a renamed project never takes an ordinary project's name.
    """
    used = dict(taken or {})
    used.update(RESERVED_HOST_NAMES)
    names: List[Optional[Tuple[str, Optional[str]]]] = [None] * len(projects)
    for index, project in enumerate(projects):
        name = project['name']
        if safe_host_name(name) == name and name not in used:
            names[index] = (name, None)
            used[name] = 'the host of project %s' % quoted(project['id'])
    for index, project in enumerate(projects):
        if names[index] is not None:
            continue
        name = project['name']
        wanted = safe_host_name(name)
        if wanted != name:
            why = 'a host name has only letters, digits, ".", "-" and "_"'
        else:
            why = '%s is %s' % (quoted(name), used[name])
        host, number = wanted, 2
        while host in used:
            host, number = '%s-%d' % (wanted, number), number + 1
        if wanted != name and host != wanted:
            why += '; %s is %s' % (quoted(wanted), used[wanted])
        names[index] = (host, why)
        used[host] = 'the host of project %s' % quoted(project['id'])
    return names  # type: ignore[return-value]  # every slot is filled by the second loop


def quoted(text: str) -> str:
    """Give back `text` in double quotes with quotes, control and non-ASCII characters escaped (for messages)."""
    return json.dumps(text)


def select_projects(projects: Iterable[Project], regions: Optional[Collection[str]] = None,
                    patterns: Optional[Iterable[str]] = None) -> List[Project]:
    """Give back the projects in one of `regions` whose name matches one of the globs `patterns` (None: any)."""
    return [project for project in projects
            if (not regions or project['region'] in regions)
            and (not patterns or any(fnmatch.fnmatchcase(project['name'], pattern) for pattern in patterns))]


def project_query_params(params: Mapping[str, Any], project: Project, auth_url: Optional[str]) -> Dict[str, Any]:
    """Give back the query options of one project's summary: the account's credentials, scoped to the project."""
    scoped = dict(params)
    # The project's id scopes a password login (one token per project) and signs AK/SK requests (X-Project-Id);
    # its region gives the ModelArts endpoint unless one is set; IAM stays the account's.
    # One request at a time inside a project (a summary of all statuses is one GET anyway): projects run
    # max_concurrent_requests at a time, so that many requests are in flight at most.
    scoped.update(project_id=project['id'], project_name=None, region=project['region'], auth_url=auth_url,
                  include_versions=False, max_concurrent_requests=1)
    return scoped


def gpu_summaries(params: Mapping[str, Any], projects: List[Project],
                  run: Callable[[Dict[str, Any]], Tuple[Dict[str, Any], Iterable[str]]] = run_query
                  ) -> Dict[str, ProjectSummary]:
    """Give back, per project id, (gpu_summary or None, error message or None, warnings).

    At most `max_concurrent_requests` projects are asked at a time, each with its own client and connection.
    """
    if not projects:
        return {}
    # Each project has its own region: the clouds.yaml entry is read once, for the region the user gave.
    params = params_with_cloud(params)
    auth_url = ConnectionSettings(params, account=True).auth_url
    workers = min(int(params.get('max_concurrent_requests') or DEFAULT_CONCURRENCY), len(projects))

    def summary(project: Project) -> ProjectSummary:
        try:
            result, warnings = run(project_query_params(params, project, auth_url))
        except (OptionError, ModelArtsError) as exc:
            return None, str(exc), []
        return result['gpu_summary'], None, list(warnings)

    with ThreadPoolExecutor(max_workers=max(workers, 1)) as pool:
        answers = list(pool.map(summary, projects))
    return dict((project['id'], answer) for project, answer in zip(projects, answers))
