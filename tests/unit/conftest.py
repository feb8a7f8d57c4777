# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Unit test fixtures: no real cloud credential from the environment or a clouds.yaml ever reaches a test."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os
import sys

import pytest
from ansible.plugins.loader import init_plugin_loader
from ansible.utils.collection_loader import AnsibleCollectionConfig

# Environment variables the argument spec falls back to, and the clouds.yaml location.
CREDENTIAL_ENVIRONMENT = (
    'OS_CLOUD', 'OS_REGION_NAME', 'MODELARTS_ENDPOINT', 'OS_AUTH_URL', 'OS_PROJECT_ID', 'OS_PROJECT_NAME',
    'OS_USER_DOMAIN_NAME', 'OS_DOMAIN_NAME', 'OS_USERNAME', 'OS_PASSWORD', 'OS_AUTH_TOKEN', 'HUAWEICLOUD_SDK_AK',
    'OS_ACCESS_KEY', 'HUAWEICLOUD_SDK_SK', 'OS_SECRET_KEY', 'HUAWEICLOUD_SDK_SECURITY_TOKEN', 'HUAWEICLOUD_SDK_PROJECT_ID',
    'OS_CLIENT_CONFIG_FILE', 'OS_CLIENT_SECURE_FILE', 'OS_USER_DOMAIN_ID', 'OS_DOMAIN_ID', 'OS_INTERFACE',
    'XDG_CONFIG_HOME', 'XDG_CONFIG_DIRS', 'SNAP_REAL_HOME',
)


def _install_collection_loader():
    """Install Ansible's collection loader before any test module imports the collection.

    Tests of plugins (the lookup) need the loader; once it is installed, a collection package imported
    before it without its metadata fails to import ("collection metadata was not loaded"). Installing it
    here, first, serves every test file whatever order pytest (or an xdist worker) collects them in.
    ansible-test units installs its own loader, which is then left alone.
    """
    if AnsibleCollectionConfig.collection_finder is not None:
        return
    roots = [path for path in sys.path if os.path.isdir(os.path.join(path or '.', 'ansible_collections', 'mlops', 'modelarts'))]
    init_plugin_loader(roots)


_install_collection_loader()


@pytest.fixture(autouse=True)
def clean_credential_environment(monkeypatch, tmp_path):
    """Drop credential variables and point HOME and the working directory at an empty folder."""
    for name in CREDENTIAL_ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv('HOME', str(tmp_path))
    monkeypatch.chdir(tmp_path)
    # Loopback test servers must never be reached through a proxy.
    monkeypatch.setenv('NO_PROXY', '127.0.0.1,localhost')
    monkeypatch.setenv('no_proxy', '127.0.0.1,localhost')
