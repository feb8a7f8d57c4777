# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What `ansible-doc` shows of the roles and the inventory (the filters' docs: test_filters.py)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os
import re
import subprocess
import sys

import pytest

ROLES = ('gate_on_training', 'wait_for_capacity', 'gpu_report')


def ansible_doc(*args):
    command = [os.path.join(os.path.dirname(sys.executable), 'ansible-doc')] + list(args)
    completed = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False,
                               env=dict(os.environ, ANSIBLE_NOCOLOR='1'))
    # ansible-core 2.21 may warn about its own internal collection here: only a word on ours is a failure.
    assert completed.returncode == 0 and 'mlops' not in completed.stderr, completed.stderr
    return completed.stdout


@pytest.mark.parametrize('role', ROLES)
def test_ansible_doc_shows_each_role_with_its_variables(role):
    shown = ansible_doc('-t', 'role', 'mlops.modelarts.' + role)
    assert re.search(r'ENTRY POINT: \W*main\W* - ', shown) and 'modelarts_token' in shown


def test_the_inventory_documents_no_variable_that_it_does_not_read():
    """Its description says host variables do not set its options: no option may list `vars` then."""
    options = json.loads(ansible_doc('--json', '-t', 'inventory', 'mlops.modelarts.projects'))[
        'mlops.modelarts.projects']['doc']['options']
    assert [name for name, option in options.items() if option.get('vars')] == []
    assert options['region']['env'] == [{'name': 'OS_REGION_NAME'}]
