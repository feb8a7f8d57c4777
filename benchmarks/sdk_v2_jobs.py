#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The v2 baseline (issue 23): what a Python user writes instead of the collection, with Huawei's own SDK.

`huaweicloudsdkmodelarts`' `list_training_jobs`, AK/SK-signed by the SDK, pages of 50 (the API's most), `offset`
the page index, until the first short page; the GPUs summed from each job's `flavor_detail` (per node x
`node_count`), as the SDK's models give them. Jobs without `flavor_detail` (dedicated pools) add nothing: the lean
script does not look their flavors up (the collection does, with one more request).

Usage: sdk_v2_jobs.py ENDPOINT ACCESS_KEY SECRET_KEY PROJECT_ID   (prints the sums as one JSON line)
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import sys

from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkmodelarts.v1 import JobSearches, ListTrainingJobsRequest, ModelArtsClient

PAGE = 50


def main():
    endpoint, access_key, secret_key, project_id = sys.argv[1:5]
    client = (ModelArtsClient.new_builder()
              .with_credentials(BasicCredentials(access_key, secret_key, project_id))
              .with_endpoint(endpoint).build())
    jobs = gpus = 0
    page = 0
    while True:
        answer = client.list_training_jobs(ListTrainingJobsRequest(body=JobSearches(offset=page, limit=PAGE)))
        items = answer.items or []
        for job in items:
            resource = job.spec.resource
            detail = resource.flavor_detail
            if detail and detail.flavor_info and detail.flavor_info.gpu:
                gpus += (detail.flavor_info.gpu.unit_num or 0) * (resource.node_count or 1)
        jobs += len(items)
        if len(items) < PAGE:
            break
        page += 1
    print(json.dumps({'jobs': jobs, 'pages': page + 1, 'gpu_num': gpus}))


if __name__ == '__main__':
    main()
