# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Where the code lives (design.md, "0.3.0 layout"): module_utils holds only what a module imports on a target.

AnsiballZ ships a module with the module_utils files it imports; a file there that no module imports is controller
code in the wrong place (it belongs in plugin_utils), and a module_utils file that imports plugin_utils would fail
on a target, where plugin_utils is not shipped.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import ast
import os

COLLECTION_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PACKAGE = 'ansible_collections.mlops.modelarts.plugins'


def _python_files(folder):
    """Give back {name without .py: path} of the Python files in plugins/<folder>."""
    directory = os.path.join(COLLECTION_ROOT, 'plugins', folder)
    return dict((name[:-3], os.path.join(directory, name)) for name in sorted(os.listdir(directory))
                if name.endswith('.py') and name != '__init__.py')


def collection_imports(path, folder):
    """Give back the names of the files of plugins/<folder> that the Python file at `path` imports."""
    with open(path) as source:
        tree = ast.parse(source.read(), path)
    prefix = '%s.%s' % (PACKAGE, folder)
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            # `from ...module_utils import _x` names the file in the alias; `from ..._x import y` in the module.
            modules = [node.module] + ['%s.%s' % (node.module, alias.name) for alias in node.names]
        else:
            continue
        for module in modules:
            if module.startswith(prefix + '.'):
                names.add(module[len(prefix) + 1:].split('.')[0])
    return names


def module_utils_imported_by_modules():
    """Give back the names of the module_utils files a module imports, directly or through other module_utils files."""
    module_utils = _python_files('module_utils')
    reached = set()
    pending = set()
    for path in _python_files('modules').values():
        pending |= collection_imports(path, 'module_utils')
    while pending:
        name = pending.pop()
        if name in reached or name not in module_utils:
            continue
        reached.add(name)
        pending |= collection_imports(module_utils[name], 'module_utils')
    return reached


def test_every_module_utils_file_is_imported_by_a_module():
    unused = sorted(set(_python_files('module_utils')) - module_utils_imported_by_modules())
    assert not unused, ('plugins/module_utils/ holds what a module imports on a target; no module imports %s: '
                        'controller-only code goes to plugins/plugin_utils/' % ', '.join('%s.py' % name for name in unused))


def test_no_module_utils_file_imports_plugin_utils():
    importing = sorted(name for name, path in _python_files('module_utils').items()
                       if collection_imports(path, 'plugin_utils'))
    assert not importing, ('%s import plugins/plugin_utils/, which a module does not have on a target'
                           % ', '.join('%s.py' % name for name in importing))


# "No file over about 500 lines" (issue 22): a shared file past this is doing more than one thing; split it by what
# it does (as _versions.py became _api_source, _v1_source, _paging, _folding and the query). "About": 500 plus a
# small margin; _client.py and _paging.py stand at about 505 after the v2 source and are the next to split.
MAX_SHARED_FILE_LINES = 520


def test_no_shared_file_passes_the_size_bound():
    too_long = []
    for folder in ('module_utils', 'plugin_utils'):
        for name, path in _python_files(folder).items():
            with open(path) as source:
                lines = sum(1 for _line in source)
            if lines > MAX_SHARED_FILE_LINES:
                too_long.append('plugins/%s/%s.py (%d lines)' % (folder, name, lines))
    assert not too_long, 'split by what it does; over %d lines: %s' % (MAX_SHARED_FILE_LINES, ', '.join(too_long))
