# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The execution environment: the build context `ansible-builder create` makes from meta/execution-environment.yml.

Run by `make ee`, which stages meta/execution-environment.yml with requirements.txt and bindep.txt, runs
`ansible-builder create`, and points EE_CONTEXT at the result and EE_COLLECTIONS at the installed collection.
No image is built (that needs a container engine): the tests check that the Containerfile would install the
collection and its Python and system dependencies.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os
import subprocess
import sys

import pytest
import yaml

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
CONTEXT = os.environ.get('EE_CONTEXT', os.path.join(REPO_ROOT, 'build', 'ee', 'context'))
COLLECTIONS = os.environ.get('EE_COLLECTIONS', os.path.join(REPO_ROOT, 'build', 'collections'))

pytestmark = pytest.mark.skipif(not os.path.isfile(os.path.join(CONTEXT, 'Containerfile')),
                                reason='no build context in %s: run make ee' % CONTEXT)


def read(*parts):
    with open(os.path.join(*parts)) as handle:
        return handle.read()


def requirement_lines(text):
    """Give back the requirement lines of a requirements.txt or bindep.txt text, comments dropped."""
    lines = (line.split('#', 1)[0].strip() for line in text.splitlines())
    return [line for line in lines if line]


@pytest.fixture(scope='module')
def containerfile():
    return read(CONTEXT, 'Containerfile')


def test_the_collection_is_installed_from_the_galaxy_requirements(containerfile):
    requirements = yaml.safe_load(read(CONTEXT, '_build', 'requirements.yml'))
    assert 'mlops.modelarts' in [collection['name'] for collection in requirements['collections']]
    assert 'ansible-galaxy collection install' in containerfile
    assert '-r requirements.yml' in containerfile


def test_the_python_dependencies_are_the_collections_requirements(containerfile):
    staged = requirement_lines(read(CONTEXT, '_build', 'requirements.txt'))
    assert staged == requirement_lines(read(REPO_ROOT, 'requirements.txt'))
    assert any(line.startswith('requests') for line in staged)
    assert '--user-pip=requirements.txt' in containerfile
    assert '/output/scripts/assemble' in containerfile


def test_the_system_dependencies_are_the_collections_bindep(containerfile):
    staged = requirement_lines(read(CONTEXT, '_build', 'bindep.txt'))
    assert staged == requirement_lines(read(REPO_ROOT, 'bindep.txt'))
    assert '--user-bindep=bindep.txt' in containerfile
    assert 'install-from-bindep' in containerfile


def test_ansible_core_and_runner_are_installed(containerfile):
    assert 'ansible-core>=2.17.0' in containerfile
    assert 'ansible-runner' in containerfile


def test_introspection_finds_the_dependencies_of_the_installed_collection():
    # What the Containerfile's introspect step does once the collection is in the image: read the collection's
    # meta/execution-environment.yml and collect requirements.txt and bindep.txt from the collection root.
    builder = os.path.join(os.path.dirname(sys.executable), 'ansible-builder')
    output = subprocess.run([builder, 'introspect', '--sanitize', COLLECTIONS], check=True,
                            stdout=subprocess.PIPE, universal_newlines=True).stdout
    found = yaml.safe_load(output.split('\n', 1)[1])
    python = [line for line in found['python'] if 'from collection mlops.modelarts' in line]
    system = [line for line in found['system'] if 'from collection mlops.modelarts' in line]
    assert [line.split('#')[0].strip() for line in python] == requirement_lines(read(REPO_ROOT, 'requirements.txt'))
    assert [line.split('#')[0].strip() for line in system] == requirement_lines(read(REPO_ROOT, 'bindep.txt'))


def test_the_decision_environment_installs_the_collection_requests_and_java(tmp_path):
    # extensions/eda/decision-environment.yml (docs/eda.md): what an Event-Driven Ansible controller runs the
    # rulebooks in. Its build context must install the collection, the event source's Python dependency and Java.
    builder = os.path.join(os.path.dirname(sys.executable), 'ansible-builder')
    definition = os.path.join(REPO_ROOT, 'extensions', 'eda', 'decision-environment.yml')
    context = str(tmp_path / 'context')
    subprocess.run([builder, 'create', '-f', definition, '--context', context, '--output-filename', 'Containerfile'],
                   check=True, stdout=subprocess.PIPE)
    containerfile = read(context, 'Containerfile')
    assert 'de-minimal-rhel9' in containerfile
    assert 'install-from-bindep' in containerfile
    assert 'requests>=2.25.0' in read(context, '_build', 'requirements.txt')
    assert 'java-17-openjdk-headless [platform:rpm]' in read(context, '_build', 'bindep.txt')
    assert yaml.safe_load(read(context, '_build', 'requirements.yml'))['collections'][0]['name'] == 'mlops.modelarts'
