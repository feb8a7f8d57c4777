# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The projects inventory reads only its own files and names region groups as documented."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.mlops.modelarts.plugins.inventory.projects import InventoryModule, region_group


@pytest.mark.parametrize('name, accepted', [
    ('account.modelarts.yml', True), ('modelarts.yaml', True), ('prod-modelarts.yml', True),
    ('account.yml', False), ('modelarts.yml.bak', False), ('hosts.ini', False),
])
def test_only_files_ending_in_modelarts_yml_or_yaml_are_read(tmp_path, name, accepted):
    path = tmp_path / name
    path.write_text('plugin: mlops.modelarts.projects\n')
    assert InventoryModule().verify_file(str(path)) is accepted


def test_region_groups_write_dashes_as_underscores():
    assert region_group('eu-de') == 'modelarts_region_eu_de'
    assert region_group('cn-north-4') == 'modelarts_region_cn_north_4'
