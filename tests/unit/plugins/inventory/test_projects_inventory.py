# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The projects inventory reads only its own files, names region groups as documented, templates no IAM text."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest
from ansible.inventory.data import InventoryData
from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar

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


def test_region_groups_of_names_with_other_characters_keep_letters_digits_and_underscores():
    assert region_group("{{ lookup('pipe', 'id') }}") == 'modelarts_region____lookup__pipe____id_____'


def populated(records, hosts=()):
    """Give back the InventoryData the plugin fills from `records` (as fetched or as read from the cache)."""
    plugin = InventoryModule()
    plugin.inventory = InventoryData()
    for host in hosts:
        plugin.inventory.add_host(host)
    plugin.loader = DataLoader()
    options = dict(strict=False, compose={}, groups={}, keyed_groups=[])
    plugin.get_option = options.__getitem__
    plugin._populate(records)
    return plugin.inventory


def strings(value):
    if isinstance(value, dict):
        return [text for key, item in value.items() for text in strings(key) + strings(item)]
    if isinstance(value, list):
        return [text for item in value for text in strings(item)]
    return [value] if isinstance(value, str) else []


def test_iam_and_api_text_in_host_vars_is_never_templated():
    template = 'x{{ 6 * 7 }}'
    records = dict(format='mlops.modelarts.projects/1', gpu_summary=True, projects=[
        dict(id='a' * 32, name='eu-de_' + template, region='eu-de', gpu_summary=None, error='HTTP 500: ' + template),
        dict(id=template, name=template, region=template, error=None, warnings=[],
             gpu_summary={'versions': 1, 'by_flavor': {template: {'versions': 1, 'gpu_num': 1}}, 'by_pool': {}}),
    ])
    inventory = populated(records)
    templar = Templar(loader=DataLoader())
    values = []
    for host in inventory.hosts.values():
        values += [text for name, value in host.get_vars().items() if name.startswith('modelarts_') for text in strings(value)]
    assert sum(template in value for value in values) == 6  # a name and an error; an id, a name, a region, a flavor
    assert [templar.template(value) for value in values] == values  # as given: not 'x42'
