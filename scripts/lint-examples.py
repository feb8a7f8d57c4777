#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Write the EXAMPLES of every plugin of the collection as playbooks, for ansible-lint.

Usage: lint-examples.py DEST_DIR

The EXAMPLES are read with ansible-doc (Ansible's own plugin docs loader), so
what is linted is exactly what users see; the collection must be installed
where ANSIBLE_COLLECTIONS_PATH points (make build). Each plugin's EXAMPLES
(a list of tasks) become DEST_DIR/<type>_<name>.yml, one play on localhost
that runs them: `make lint` then runs `ansible-lint --profile production` on
DEST_DIR. A plugin without EXAMPLES, or EXAMPLES that are not a list of tasks,
is an error. The EXAMPLES of an inventory plugin are inventory files (YAML documents, each a dict naming the
plugin): they are checked to be that, and not given to ansible-lint.

The EXAMPLES of the Event-Driven Ansible sources (extensions/eda/plugins/event_source/*.py, which ansible-doc does not
know) are rulebooks: each becomes DEST_DIR/rulebooks/event_source_<name>.yml, which ansible-lint checks as a rulebook.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import ast
import glob
import json
import os
import subprocess
import sys

import yaml

COLLECTION = 'mlops.modelarts'
INCLUDE_ACTIONS = ('ansible.builtin.include_tasks', 'ansible.builtin.import_tasks', 'include_tasks', 'import_tasks')
PLUGIN_TYPES = ('module', 'lookup', 'filter', 'test', 'inventory', 'callback', 'connection', 'become', 'cache', 'vars')


def ansible_doc(*args):
    """Give back the parsed JSON output of ansible-doc called with args."""
    output = subprocess.run(['ansible-doc', '--json'] + list(args), check=True, stdout=subprocess.PIPE).stdout
    return json.loads(output or b'{}')


def plugin_examples():
    """Give back (plugin type, FQCN, EXAMPLES text or None) for every plugin of the collection."""
    found = []
    for plugin_type in PLUGIN_TYPES:
        names = sorted(ansible_doc('-t', plugin_type, '--list', COLLECTION))
        if not names:
            continue
        docs = ansible_doc('-t', plugin_type, *names)
        for name in names:
            found.append((plugin_type, name, (docs.get(name) or {}).get('examples')))
    return found


def event_source_examples():
    """Give back (FQCN, EXAMPLES text or None) for every event source of the installed collection."""
    found = []
    for root in os.environ.get('ANSIBLE_COLLECTIONS_PATH', '').split(os.pathsep):
        pattern = os.path.join(root, 'ansible_collections', 'mlops', 'modelarts', 'extensions', 'eda', 'plugins',
                               'event_source', '*.py')
        for path in sorted(glob.glob(pattern)):
            with open(path) as handle:
                tree = ast.parse(handle.read(), path)
            examples = None
            for node in tree.body:
                if isinstance(node, ast.Assign) and [getattr(t, 'id', None) for t in node.targets] == ['EXAMPLES']:
                    examples = ast.literal_eval(node.value)
            found.append(('%s.%s' % (COLLECTION, os.path.basename(path)[:-3]), examples))
        if found:
            break
    return found


def as_playbook(fqcn, examples):
    """Give back the text of a playbook that runs the EXAMPLES' tasks, or raise ValueError."""
    tasks = yaml.safe_load(examples)
    if not isinstance(tasks, list) or not all(isinstance(task, dict) for task in tasks):
        raise ValueError('EXAMPLES of %s are not a list of tasks' % fqcn)
    header = ('---\n# The EXAMPLES of %s, as ansible-doc shows them (written by scripts/lint-examples.py).\n'
              '- name: EXAMPLES of %s\n  hosts: localhost\n  gather_facts: false\n  tasks:\n' % (fqcn, fqcn))
    body = ''.join('    ' + line if line.strip() else '\n' for line in examples.strip('\n').splitlines(True))
    return header + body.rstrip('\n') + '\n'


def inventory_example_errors(fqcn, examples):
    """Give back what is wrong with an inventory plugin's EXAMPLES (each document an inventory file for it)."""
    try:
        documents = list(yaml.safe_load_all(examples))
    except yaml.YAMLError as exc:
        return ['EXAMPLES of %s are not YAML: %s' % (fqcn, exc)]
    if not documents or any(not isinstance(doc, dict) or doc.get('plugin') != fqcn for doc in documents):
        return ['EXAMPLES of %s must be inventory files, each a dict with plugin: %s' % (fqcn, fqcn)]
    return []


def included_files(tasks):
    """Give back the relative file names the tasks include or import (include_tasks, import_tasks)."""
    names = []
    for task in tasks:
        for key in INCLUDE_ACTIONS:
            value = task.get(key)
            if isinstance(value, dict):
                value = value.get('file')
            if isinstance(value, str) and '{{' not in value and not os.path.isabs(value):
                names.append(value)
        for block_key in ('block', 'rescue', 'always'):
            if isinstance(task.get(block_key), list):
                names.extend(included_files([t for t in task[block_key] if isinstance(t, dict)]))
    return names


def write_stand_in(dest, name):
    """Write a task file that stands in for one the EXAMPLES include (ansible-lint loads included files)."""
    path = os.path.join(dest, name)
    if os.path.exists(path):
        return
    if not os.path.isdir(os.path.dirname(path)):
        os.makedirs(os.path.dirname(path))
    with open(path, 'w') as handle:
        handle.write('---\n- name: Stand in for %s, which the EXAMPLES include\n'
                     '  ansible.builtin.debug:\n    msg: stand-in\n' % name)


def main(argv):
    if len(argv) != 2:
        sys.stderr.write('usage: %s DEST_DIR\n' % argv[0])
        return 2
    dest = argv[1]
    if not os.path.isdir(dest):
        os.makedirs(dest)
    errors = []
    written = 0
    for plugin_type, fqcn, examples in plugin_examples():
        if not examples or not examples.strip():
            errors.append('%s %s has no EXAMPLES' % (plugin_type, fqcn))
            continue
        if plugin_type == 'inventory':
            errors.extend(inventory_example_errors(fqcn, examples))
            continue
        try:
            text = as_playbook(fqcn, examples)
        except (ValueError, yaml.YAMLError) as exc:
            errors.append(str(exc))
            continue
        for name in included_files(yaml.safe_load(examples)):
            write_stand_in(dest, name)
        path = os.path.join(dest, '%s_%s.yml' % (plugin_type, fqcn.split('.')[-1]))
        with open(path, 'w') as handle:
            handle.write(text)
        written += 1
    for fqcn, examples in event_source_examples():
        rulebook = yaml.safe_load(examples or '')
        if not isinstance(rulebook, list) or not all(isinstance(ruleset, dict) and 'rules' in ruleset for ruleset in rulebook):
            errors.append('event_source %s: EXAMPLES are not a rulebook (a list of rulesets)' % fqcn)
            continue
        if not os.path.isdir(os.path.join(dest, 'rulebooks')):
            os.makedirs(os.path.join(dest, 'rulebooks'))
        with open(os.path.join(dest, 'rulebooks', 'event_source_%s.yml' % fqcn.split('.')[-1]), 'w') as handle:
            handle.write('---\n# The EXAMPLES of the event source %s (written by scripts/lint-examples.py).\n%s'
                         % (fqcn, examples.strip('\n') + '\n'))
        written += 1
    for error in errors:
        sys.stderr.write('lint-examples: %s\n' % error)
    if not written:
        errors.append('no plugin found: is %s installed where ANSIBLE_COLLECTIONS_PATH points?' % COLLECTION)
        sys.stderr.write('lint-examples: %s\n' % errors[-1])
    print('lint-examples: %d plugins\' EXAMPLES written to %s' % (written, dest))
    return 1 if errors else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
