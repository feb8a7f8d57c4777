# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The versions the guides tell users to install admit the collection's own version (galaxy.yml)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import glob
import operator
import os
import re

import yaml

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
COMPARISONS = {'>=': operator.ge, '>': operator.gt, '<=': operator.le, '<': operator.lt, '==': operator.eq,
               '!=': operator.ne}


def _version(text):
    return tuple(int(part) for part in text.split('.'))


def _guides():
    for path in [os.path.join(REPO_ROOT, 'README.md')] + sorted(glob.glob(os.path.join(REPO_ROOT, 'docs', '*.md'))):
        with open(path) as handle:
            yield os.path.relpath(path, REPO_ROOT), handle.read()


def _own_version():
    with open(os.path.join(REPO_ROOT, 'galaxy.yml')) as handle:
        return _version(yaml.safe_load(handle)['version'])


def test_every_version_pin_in_the_guides_admits_the_collection_version():
    own = _own_version()
    refused = []
    for name, text in _guides():
        for pin in re.findall(r'name: mlops\.modelarts\s+version: "([^"]+)"', text):
            for clause in pin.split(','):
                wanted = re.match(r'\s*(>=|<=|==|!=|>|<)\s*([0-9.]+)\s*$', clause)
                if not COMPARISONS[wanted.group(1)](own, _version(wanted.group(2))):
                    refused.append((name, pin))
    assert refused == []


def test_no_guide_names_the_tarball_of_another_version():
    own = '.'.join(str(part) for part in _own_version())
    named = [(name, version) for name, text in _guides()
             for version in re.findall(r'mlops-modelarts-([0-9][0-9.]*[0-9])\.tar\.gz', text) if version != own]
    assert named == []
