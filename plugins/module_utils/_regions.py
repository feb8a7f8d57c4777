# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Where the public clouds are: region tables, the endpoints they imply, and which IAM hosts are public."""

from __future__ import absolute_import, annotations, division, print_function
__metaclass__ = type

from typing import Optional
from urllib.parse import urlsplit


# Open Telekom Cloud: region -> domain suffix shared by ModelArts and IAM.
OTC_REGION_DOMAINS = {
    'eu-de': 'otc.t-systems.com',
    'eu-nl': 'otc.t-systems.com',
    'eu-ch2': 'sc.otc.t-systems.com',
}
# Huawei Cloud: the documented exceptions to myhuaweicloud.com.
HUAWEI_REGION_DOMAINS = {
    'ap-southeast-1': 'myhuaweicloud.cn',
    'eu-west-101': 'myhuaweicloud.eu',
}
HUAWEI_REGIONS = (
    'af-north-1', 'af-south-1', 'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4',
    'cn-east-2', 'cn-east-3', 'cn-east-4', 'cn-north-1', 'cn-north-2', 'cn-north-4', 'cn-north-9',
    'cn-south-1', 'cn-south-2', 'cn-southwest-2', 'eu-west-0', 'eu-west-101', 'la-north-2', 'la-south-2',
    'me-east-1', 'na-mexico-1', 'sa-brazil-1', 'tr-west-1',
)


def region_domain(region: Optional[str]) -> Optional[str]:
    """Give back the DNS suffix of a region's public endpoints, or None when the region is unknown."""
    if region in OTC_REGION_DOMAINS:
        return OTC_REGION_DOMAINS[region]
    if region in HUAWEI_REGION_DOMAINS:
        return HUAWEI_REGION_DOMAINS[region]
    if region in HUAWEI_REGIONS:
        return 'myhuaweicloud.com'
    return None


def known_regions_text() -> str:
    """Give back the known regions as a sentence for error messages."""
    return ', '.join(sorted(set(OTC_REGION_DOMAINS) | set(HUAWEI_REGIONS)))


def modelarts_endpoint_for_region(region: Optional[str]) -> Optional[str]:
    """Give back https://modelarts.<region>.<domain> for a known region, else None."""
    domain = region_domain(region)
    return 'https://modelarts.%s.%s' % (region, domain) if domain else None


def iam_url_for_region(region: Optional[str]) -> Optional[str]:
    """Give back the IAM v3 URL of a known region, else None."""
    domain = region_domain(region)
    if not domain:
        return None
    if region == 'eu-ch2':
        return 'https://iam-pub.eu-ch2.sc.otc.t-systems.com/v3'
    return 'https://iam.%s.%s/v3' % (region, domain)


# Huawei Cloud's global IAM, valid for every Huawei region.
HUAWEI_GLOBAL_IAM_HOST = 'iam.myhuaweicloud.com'


def is_public_iam(auth_url: Optional[str], region: Optional[str]) -> bool:
    """Say whether auth_url is a public IAM of the cloud the region belongs to (its tokens work in the region table)."""
    if not region_domain(region):
        return False
    parts = urlsplit(auth_url or '')
    same_cloud = [known for known in list(OTC_REGION_DOMAINS) + list(HUAWEI_REGIONS)
                  if (known in OTC_REGION_DOMAINS) == (region in OTC_REGION_DOMAINS)]
    hosts = set(urlsplit(iam_url_for_region(known)).hostname for known in same_cloud)
    if region not in OTC_REGION_DOMAINS:
        hosts.add(HUAWEI_GLOBAL_IAM_HOST)
    return parts.scheme == 'https' and parts.hostname in hosts
