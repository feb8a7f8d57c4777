# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""clouds.yaml and secure.yaml as hostile input: what anyone who can write to the search path could plant there.

Each refused file fails with an OptionError naming the file and the limit, never a traceback, a hang or all the
memory of the controller.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os
import re
import resource
import threading

import pytest

from ansible_collections.mlops.modelarts.plugins.module_utils._auth import ConnectionSettings
from ansible_collections.mlops.modelarts.plugins.module_utils._clouds import resolve_cloud
from ansible_collections.mlops.modelarts.plugins.module_utils._errors import OptionError

PROJECT_ID = '0a1b2c3d4e5f60718293a4b5c6d7e8f9'
PASSWORD = 'pass-word-secret'
ENTRY = 'clouds:\n  x:\n    region_name: eu-de\n    auth: {token: t, project_id: %s}\n' % PROJECT_ID
# Seconds a test waits for a read that must not block; the FIFO test fails (instead of hanging) beyond it.
READ_GUARD_SECONDS = 20
# The limits docs/authentication.md promises.
MAX_FILE_BYTES = 1024 * 1024
MAX_DEPTH = 64
MAX_NODES = 100000


@pytest.fixture
def folder(tmp_path):
    """~/.config/openstack (HOME is tmp_path, see tests/unit/conftest.py)."""
    path = tmp_path / '.config' / 'openstack'
    path.mkdir(parents=True)
    return path


def billion_laughs(levels=9, width=9):
    """Give back YAML of `levels` mappings, each holding `width` aliases of the one before: width**levels mappings."""
    lines = ['  l0: &l0 {k: v}']
    for level in range(1, levels + 1):
        lines.append('  l%d: &l%d {%s}' % (level, level, ', '.join('k%d: *l%d' % (key, level - 1)
                                                                   for key in range(width))))
    return 'bombs:\n%s\n%s    extra: *l%d\n' % ('\n'.join(lines), ENTRY, levels)


def resolve_within_a_gibibyte(name):
    """Give back resolve_cloud(name) or the OptionError it raised, with the address space capped 1 GiB above now.

    Without the limits, resolving an alias bomb takes every byte of the machine; with the cap the old code fails
    the test instead (once the memory it took is freed and the cap lifted, so that pytest can report it).
    """
    with open('/proc/self/statm') as handle:
        size = int(handle.read().split()[0]) * resource.getpagesize()
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = size + 1024 ** 3
    exhausted = False
    resource.setrlimit(resource.RLIMIT_AS, (cap if hard == resource.RLIM_INFINITY else min(cap, hard), hard))
    try:
        return resolve_cloud(name)
    except OptionError as exc:
        return exc
    except (MemoryError, SystemError):  # SystemError: CPython failing an allocation deep in a recursion
        exhausted = True
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
    if exhausted:
        pytest.fail('resolving the entry took more than 1 GiB of memory')


def test_an_alias_bomb_fails_naming_the_file_and_the_limit(folder):
    (folder / 'clouds.yaml').write_text(billion_laughs())
    outcome = resolve_within_a_gibibyte('x')
    assert isinstance(outcome, OptionError)
    message = str(outcome)
    assert message.startswith('cloud: %s (line ' % (folder / 'clouds.yaml'))
    assert 'holds more than %d values once its aliases are expanded' % MAX_NODES in message


def test_an_alias_inside_its_own_anchor_fails_naming_the_file(folder):
    # PyYAML builds this as a mapping that contains itself; normalize_keys would recurse into it for ever.
    (folder / 'clouds.yaml').write_text(ENTRY + '    extra: &loop {again: *loop}\n')
    with pytest.raises(OptionError, match=r'^cloud: %s \(line 5\) has an alias \(\*loop\) inside the node it refers '
                                          r'to' % re.escape(str(folder / 'clouds.yaml'))):
        resolve_cloud('x')


def test_anchors_and_merge_keys_of_an_ordinary_clouds_yaml_still_work(folder):
    (folder / 'clouds.yaml').write_text(
        'defaults: &defaults\n  region_name: eu-de\n  auth: &auth {token: t, project_id: %s}\n'
        'clouds:\n  x:\n    <<: *defaults\n  y:\n    <<: *defaults\n    auth: *auth\n' % PROJECT_ID)
    assert resolve_cloud('x').config['region_name'] == 'eu-de'
    assert resolve_cloud('y').auth['project_id'] == PROJECT_ID


@pytest.mark.parametrize('name, text', [
    ('clouds.yaml', ENTRY + '    extra: ' + '[' * 100000 + ']' * 100000 + '\n'),
    ('clouds.json', '{"clouds": {"x": {"region_name": "eu-de", "extra": ' + '[' * 100000 + ']' * 100000 + '}}}'),
])
def test_deep_nesting_fails_naming_the_file_and_the_depth(folder, monkeypatch, name, text):
    (folder / name).write_text(text)
    monkeypatch.setenv('OS_CLIENT_CONFIG_FILE', str(folder / name))
    with pytest.raises(OptionError) as caught:
        resolve_cloud('x')
    assert str(caught.value).startswith('cloud: %s' % (folder / name))
    assert 'nests deeper than %d levels' % MAX_DEPTH in str(caught.value)


def test_nesting_up_to_the_limit_is_read(folder):
    # clouds, x, extra and the lists inside: exactly MAX_DEPTH levels.
    depth = MAX_DEPTH - 3
    (folder / 'clouds.yaml').write_text(ENTRY + '    extra: ' + '[' * depth + ']' * depth + '\n')
    assert resolve_cloud('x').config['region_name'] == 'eu-de'


def test_a_file_larger_than_the_limit_fails_naming_it_and_the_limit(folder):
    padding = ('# ' + 'x' * 98 + '\n') * (MAX_FILE_BYTES // 100 + 1)
    (folder / 'clouds.yaml').write_text(ENTRY + padding)
    with pytest.raises(OptionError) as caught:
        resolve_cloud('x')
    assert str(caught.value) == 'cloud: %s is larger than 1048576 bytes (1 MiB), the most a clouds.yaml may hold ' \
                                '(it has %d bytes)' % (folder / 'clouds.yaml', len(ENTRY + padding))


def test_a_fifo_is_refused_naming_it_instead_of_waiting_for_a_writer(folder):
    fifo = folder / 'clouds.yaml'
    os.mkfifo(str(fifo))
    outcome = {}

    def read():
        try:
            resolve_cloud('x')
        except Exception as exc:  # the assertions below say which one was expected
            outcome['error'] = exc
    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(READ_GUARD_SECONDS)
    if reader.is_alive():
        # Release the reader blocked in open(): a writer that closes at once gives it an empty file.
        with open(str(fifo), 'w'):
            pass
        reader.join(READ_GUARD_SECONDS)
        pytest.fail('reading clouds.yaml blocked on a FIFO for %d seconds' % READ_GUARD_SECONDS)
    assert isinstance(outcome.get('error'), OptionError)
    assert str(outcome['error']) == ('cloud: %s is not a regular file (it is a FIFO): only regular files are read'
                                     % fifo)


def test_a_directory_named_clouds_yaml_is_refused_naming_it(folder):
    (folder / 'clouds.yaml').mkdir()
    with pytest.raises(OptionError, match=r'is not a regular file \(it is a directory\)'):
        resolve_cloud('x')


def test_a_symbolic_link_to_a_regular_file_is_read(folder, tmp_path):
    (tmp_path / 'dotfiles.yaml').write_text(ENTRY)
    (folder / 'clouds.yaml').symlink_to(tmp_path / 'dotfiles.yaml')
    assert resolve_cloud('x').config['region_name'] == 'eu-de'


@pytest.mark.parametrize('mode, readers', [(0o644, 'its group and other users'), (0o604, 'other users'),
                                           (0o640, 'its group')])
def test_a_secure_yaml_others_can_read_is_warned_about_once_without_its_secret(folder, mode, readers):
    (folder / 'clouds.yaml').write_text('clouds:\n  x:\n    region_name: eu-de\n    auth: {username: robot, '
                                        'user_domain_name: d, project_id: %s}\n' % PROJECT_ID)
    secure = folder / 'secure.yaml'
    secure.write_text('clouds:\n  x:\n    auth: {password: %s}\n' % PASSWORD)
    os.chmod(str(secure), mode)
    settings = ConnectionSettings(dict(cloud='x'))
    assert settings.password == PASSWORD
    assert settings.warnings == ['%s is readable by %s (mode %04o) although it holds credentials: restrict it with '
                                 'chmod 600' % (secure, readers, mode)]


def test_a_secure_yaml_only_its_owner_can_read_gives_no_warning(folder):
    (folder / 'clouds.yaml').write_text(ENTRY)
    (folder / 'secure.yaml').write_text('clouds:\n  x:\n    auth: {token: t2}\n')
    os.chmod(str(folder / 'secure.yaml'), 0o600)
    assert ConnectionSettings(dict(cloud='x')).warnings == []


def test_a_clouds_yaml_others_can_read_gives_no_warning(folder):
    # openstacksdk's layout: clouds.yaml is the shareable part; only secure.yaml is meant to hold secrets.
    (folder / 'clouds.yaml').write_text(ENTRY)
    os.chmod(str(folder / 'clouds.yaml'), 0o644)
    assert ConnectionSettings(dict(cloud='x')).warnings == []
