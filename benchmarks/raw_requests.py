#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The floor's HTTP half: the same requests as the playbooks, with plain `requests`, and the same sums.

Usage: raw_requests.py URL PROJECT_NAME [PAGE_SIZE]   (prints the sums as one JSON line)
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import sys

import requests


def main():
    url, project_name = sys.argv[1], sys.argv[2]
    page_size = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    session = requests.Session()
    body = {'auth': {'identity': {'methods': ['password'], 'password': {'user': {
        'name': 'demo-user', 'password': 'demo-password', 'domain': {'name': 'demo-domain'}}}},
        'scope': {'project': {'name': project_name}}}}
    login = session.post(url + '/v3/auth/tokens?nocatalog=true', json=body)
    login.raise_for_status()
    session.headers['X-Auth-Token'] = login.headers['X-Subject-Token']
    path = url + '/v1/%s/training-jobs/versions' % login.json()['token']['project']['id']
    if page_size:
        versions = []
        total = None
        while total is None or len(versions) < total:
            page = json.loads(session.get(path, params={'limit': page_size, 'offset': len(versions)}).content)
            total = page['total_count']
            if not page['versions']:
                break
            versions.extend(page['versions'])
    else:
        versions = json.loads(session.get(path, params={'limit': 0}).content)['versions']
    by_status = {}
    for version in versions:
        bucket = by_status.setdefault(version['status'], [0, 0, 0])
        bucket[0] += 1
        bucket[1] += version['gpu_num']
        bucket[2] += version['npu_num']
    print(json.dumps({'versions': len(versions), 'gpu_num': sum(b[1] for b in by_status.values()),
                      'by_status': by_status}))


if __name__ == '__main__':
    main()
