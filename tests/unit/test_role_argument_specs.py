# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Each role's meta/argument_specs.yml declares every variable its tasks and templates read, with its default."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import glob
import os
import re

import pytest
import yaml

ROLES_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), 'roles')
ROLES = sorted(os.path.basename(path) for path in glob.glob(os.path.join(ROLES_DIR, '*')))


def _load(role, *parts):
    path = os.path.join(ROLES_DIR, role, *parts)
    if not os.path.exists(path):
        return {}
    with open(path) as handle:
        return yaml.safe_load(handle) or {}


def _options(role, entry_point='main'):
    return _load(role, 'meta', 'argument_specs.yml')['argument_specs'][entry_point]['options']


def _all_options(role):
    """Give back the options of every entry point of the role (tasks_from: <entry point> reads its own)."""
    options = {}
    for entry_point in _load(role, 'meta', 'argument_specs.yml')['argument_specs']:
        options.update(_options(role, entry_point))
    return options


def _read_and_set(role):
    """Give back (modelarts_* names the role's files mention, names the role itself sets)."""
    mentioned = set()
    set_here = set(_load(role, 'vars', 'main.yml'))
    for path in glob.glob(os.path.join(ROLES_DIR, role, 'tasks', '*.yml')) + \
            glob.glob(os.path.join(ROLES_DIR, role, 'templates', '*')):
        with open(path) as handle:
            text = handle.read()
        mentioned.update(re.findall(r'\bmodelarts_\w+', text))
        if path.endswith('.yml'):
            for task in yaml.safe_load(text) or []:
                set_here.update([task['register']] if 'register' in task else [])
                set_here.update(task.get('ansible.builtin.set_fact', {}))
    return mentioned, set_here


def test_there_are_roles():
    assert ROLES == ['gate_on_training', 'gpu_report', 'wait_for_capacity']


@pytest.mark.parametrize('role', ROLES)
def test_every_variable_a_role_reads_is_in_its_argument_spec(role):
    mentioned, set_here = _read_and_set(role)
    assert sorted(mentioned - set_here - set(_all_options(role))) == []


def test_the_one_pass_entry_point_takes_every_option_of_the_main_one_and_its_hosts():
    main, one_pass = _options('gpu_report'), _options('gpu_report', 'one_pass')
    assert dict((name, one_pass[name]) for name in main) == main
    assert sorted(set(one_pass) - set(main)) == ['modelarts_report_per_host_play_follows', 'modelarts_report_project_hosts']
    assert one_pass['modelarts_report_project_hosts']['required'] is True


@pytest.mark.parametrize('role', ROLES)
def test_the_argument_spec_gives_the_defaults_of_defaults_main(role):
    options = _options(role)
    assert dict((name, options[name].get('default')) for name in _load(role, 'defaults', 'main.yml')) == \
        _load(role, 'defaults', 'main.yml')
