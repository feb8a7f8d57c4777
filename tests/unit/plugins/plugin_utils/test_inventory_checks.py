# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The projects inventory's checks of its own file: unknown keys fail, filters that select nothing warn."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.mlops.modelarts.plugins.plugin_utils._inventory_checks import (
    NAMES_SHOWN, unknown_keys_message, unmatched_filter_warnings,
)

KNOWN = ['plugin', 'regions', 'projects', 'compose', 'keyed_groups', 'cache', 'cache_timeout']
NAME = 'mlops.modelarts.projects'


def project(name):
    return dict(id='0' * 32, name=name, region=name.split('_', 1)[0])


def test_known_keys_give_no_message():
    assert unknown_keys_message(['plugin', 'regions', 'cache_timeout'], KNOWN, NAME) is None


def test_each_unknown_key_is_named_with_the_option_it_resembles():
    message = unknown_keys_message(['regoins', 'cache_timout', 'zzz', 'plugin'], KNOWN, NAME)
    assert message == ('mlops.modelarts.projects: unknown options "cache_timout" (did you mean "cache_timeout"?), '
                       '"regoins" (did you mean "regions"?), "zzz" in the inventory file; '
                       'ansible-doc -t inventory mlops.modelarts.projects lists the options')


def test_filters_that_select_something_give_no_warning():
    projects = [project('eu-de'), project('eu-de_ml'), project('eu-nl')]
    assert unmatched_filter_warnings(projects, ['eu-de', 'eu-nl'], ['*_ml', 'eu-nl']) == []
    assert unmatched_filter_warnings(projects, [], []) == []


def test_a_glob_is_matched_against_the_projects_of_the_selected_regions():
    warnings = unmatched_filter_warnings([project('eu-de'), project('eu-nl_ml')], ['eu-de'], ['*_ml'])
    assert warnings == ['projects: "*_ml" matches no listed project in the selected regions; the listed projects in '
                        'the selected regions are "eu-de"']


def test_an_empty_listing_warns_once():
    assert unmatched_filter_warnings([], ['eu-de'], ['x']) == [
        'IAM listed no enabled project for these credentials: the inventory is empty']


def test_a_warning_shows_a_bounded_number_of_names_each_quoted_and_cut():
    hostile = "{{ lookup('pipe', 'id') }}\n\x1b[31m" + 'x' * 500
    projects = [project('eu-de_%04d' % number) for number in range(3000)] + [project('eu-de_' + hostile)]
    warning, = unmatched_filter_warnings(projects, None, ['nothing*'])
    assert warning.count('"eu-de_') == NAMES_SHOWN and warning.endswith(' and %d more' % (3001 - NAMES_SHOWN))
    warning, = unmatched_filter_warnings([project(hostile)], [hostile + 'y'], None)
    assert '\n' not in warning and '\x1b' not in warning and '\\u001b' in warning
    assert len(warning) < 400 and '... (' in warning
