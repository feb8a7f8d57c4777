# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Reading clouds.yaml, secure.yaml and clouds-public.yaml as openstacksdk's loader finds and merges them.

The files are hostile input (anyone who can write to the search path controls them): each is read within a size,
depth and node limit. What an entry then means is _clouds.py's part.
"""

from __future__ import absolute_import, annotations, division, print_function
__metaclass__ = type

import errno
import json
import os
import posixpath
import stat
from typing import Any, Dict, List, Optional, Tuple

from ansible_collections.mlops.modelarts.plugins.module_utils._errors import OptionError

try:
    import yaml
    from yaml.events import AliasEvent
    HAS_YAML = True
except ImportError:  # pragma: no cover - ansible-core depends on PyYAML
    HAS_YAML = False

# Limits on the files read: they are input anyone who can write to the search path (a shared working directory,
# /etc/openstack) controls. A real clouds.yaml, even one with an entry for each project of a large account, is tens
# of KB (4,500 entries are 1 MiB); a MiB bounds what is held in memory and the time PyYAML's pure-Python loader
# (yaml.safe_load's, the one whose composer can count aliases) takes, a few seconds.
MAX_FILE_BYTES = 1024 * 1024
# openstacksdk's format nests four levels (clouds, entry, auth or regions, values); 64 leaves room for any
# extension and stays far below Python's recursion limit, which the loader, the merge and normalize_keys recurse
# into.
MAX_DEPTH = 64
# Nodes (mappings, sequences, scalars) counted as if every alias were written out in full: PyYAML shares an alias's
# node, but normalize_keys copies a mapping for each path to it and a list turned into text is written out, so nine
# nested levels of nine aliases ("billion laughs": under 1 KB of YAML) would ask for 9**9 mappings. A clouds.yaml
# of a thousand entries of thirty keys is about 60,000 nodes.
MAX_NODES = 100000

SUFFIXES = ('.yaml', '.yml', '.json')


def _absolute_environ(name: str) -> Optional[str]:
    value = os.environ.get(name, '')
    return value if posixpath.isabs(value) else None


def search_directories() -> List[str]:
    """Give back the directories searched for clouds.yaml, secure.yaml and clouds-public.yaml, in order.

    openstacksdk's CONFIG_SEARCH_PATH on Linux: the working directory, the user config directory
    ($XDG_CONFIG_HOME/openstack, else ~/.config/openstack), ~/.config/openstack (under $SNAP_REAL_HOME in a
    snap), the site config directory ($XDG_CONFIG_DIRS/openstack, else /etc/xdg/openstack) and /etc/openstack.
    """
    home_config = os.path.expanduser(os.path.join('~', '.config'))
    user_config = os.path.join(_absolute_environ('XDG_CONFIG_HOME') or home_config, 'openstack')
    snap_home = os.environ.get('SNAP_REAL_HOME')
    unix_config = os.path.join(os.path.join(snap_home, '.config') if snap_home else home_config, 'openstack')
    site_dirs = [path for path in os.environ.get('XDG_CONFIG_DIRS', '').split(os.pathsep) if posixpath.isabs(path)]
    # platformdirs (multipath=True) joins several site directories with os.pathsep into one string.
    site_config = os.pathsep.join(os.path.join(path, 'openstack') for path in site_dirs or ['/etc/xdg'])
    return [os.getcwd(), user_config, unix_config, site_config, '/etc/openstack']


def candidate_files(stem: str, override_variable: Optional[str] = None) -> List[str]:
    """Give back the files openstacksdk tries for `stem` (clouds, secure, clouds-public), first one first."""
    files = [os.path.join(directory, stem + suffix) for directory in search_directories() for suffix in SUFFIXES]
    override = os.environ.get(override_variable) if override_variable else None
    if override:
        files.insert(0, override)
    return files


def _file_error(path: str, text: str, line: Optional[int] = None) -> OptionError:
    where = ' (line %d)' % line if line is not None else ''
    return OptionError('cloud: %s%s %s' % (path, where, text))


class _LimitExceeded(Exception):
    """A limit on a clouds.yaml file was reached: the words of the message and the line (or None)."""

    def __init__(self, text: str, line: Optional[int] = None) -> None:
        super(_LimitExceeded, self).__init__(text)
        self.text = text
        self.line = line


def _depth_text() -> str:
    return 'nests deeper than %d levels, the most a clouds.yaml may nest' % MAX_DEPTH


def _nodes_text() -> str:
    return ('holds more than %d values once its aliases are expanded, the most a clouds.yaml may hold (an alias '
            'bomb? each alias counts as the whole node it refers to)' % MAX_NODES)


if HAS_YAML:
    class _BoundedLoader(yaml.SafeLoader):
        """yaml.SafeLoader that refuses documents nesting deeper than MAX_DEPTH or expanding beyond MAX_NODES.

        The composer is the first stage that recurses and the one that resolves aliases, so it is where both are
        measured: an alias adds the expanded size of the node it refers to, and an alias inside its own anchor (a
        recursive structure, which normalize_keys would follow for ever) is refused.
        """

        def __init__(self, stream: bytes) -> None:
            yaml.SafeLoader.__init__(self, stream)
            self._heights: List[int] = []  # for each node being composed, the height of what is below it so far
            self._nodes = 0
            self._measured: Dict[int, Tuple[int, int]] = {}  # id(anchored node) -> (expanded size, height), once composed

        def _line(self) -> int:
            return self.peek_event().start_mark.line + 1

        def _grow(self, size: int, height: int) -> None:
            self._nodes += size
            if self._nodes > MAX_NODES:
                raise _LimitExceeded(_nodes_text(), self._line())
            if len(self._heights) + height > MAX_DEPTH:
                raise _LimitExceeded(_depth_text(), self._line())
            if self._heights:
                self._heights[-1] = max(self._heights[-1], height)

        def compose_node(self, parent: Any, index: Any) -> Any:
            event = self.peek_event()
            if isinstance(event, AliasEvent):
                node = self.anchors.get(event.anchor)
                if node is not None:  # an undefined alias is the composer's own error
                    if id(node) not in self._measured:
                        raise _LimitExceeded('has an alias (*%s) inside the node it refers to, a recursive structure '
                                             'a clouds.yaml cannot hold' % event.anchor, self._line())
                    self._grow(*self._measured[id(node)])
                return yaml.SafeLoader.compose_node(self, parent, index)
            nodes_before = self._nodes
            self._grow(1, 1)
            self._heights.append(0)
            node = yaml.SafeLoader.compose_node(self, parent, index)
            height = self._heights.pop() + 1
            if self._heights:
                self._heights[-1] = max(self._heights[-1], height)
            if event.anchor is not None:
                self._measured[id(node)] = (self._nodes - nodes_before, height)
            return node


def _check_json_shape(data: Any) -> None:
    """Raise _LimitExceeded when parsed JSON nests deeper than MAX_DEPTH or holds more than MAX_NODES values."""
    nodes = 0
    pending = [(data, 1)]
    while pending:
        value, depth = pending.pop()
        nodes += 1
        if nodes > MAX_NODES:
            raise _LimitExceeded(_nodes_text())
        if depth > MAX_DEPTH:
            raise _LimitExceeded(_depth_text())
        if isinstance(value, dict):
            pending.extend((item, depth + 1) for pair in value.items() for item in pair)
        elif isinstance(value, list):
            pending.extend((item, depth + 1) for item in value)


def _read_regular_file(path: str, warnings: List[str], private: bool) -> bytes:
    """Give back the bytes of `path` after checking that it is a regular file of at most MAX_FILE_BYTES.

    Opened without blocking, so that a FIFO (or a device) planted under a searched name is refused instead of
    waiting for a writer for ever; symbolic links are followed, as users link their clouds.yaml from elsewhere.
    With `private`, a file readable by its group or by others (secure.yaml) adds a warning, as ssh does for keys.
    """
    descriptor = os.open(path, os.O_RDONLY | getattr(os, 'O_NONBLOCK', 0) | getattr(os, 'O_CLOEXEC', 0))
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise _file_error(path, 'is not a regular file (it is %s): only regular files are read'
                              % _file_kind(status.st_mode))
        if status.st_size > MAX_FILE_BYTES:
            raise _file_error(path, _size_text(status.st_size))
        handle = os.fdopen(descriptor, 'rb')
    except BaseException:
        os.close(descriptor)
        raise
    with handle:
        content = handle.read(MAX_FILE_BYTES + 1)
    if len(content) > MAX_FILE_BYTES:  # it grew since fstat
        raise _file_error(path, _size_text(len(content)))
    mode = stat.S_IMODE(status.st_mode)
    if private and mode & (stat.S_IRGRP | stat.S_IROTH):
        readers = {stat.S_IRGRP: 'its group', stat.S_IROTH: 'other users'}
        warnings.append('%s is readable by %s (mode %04o) although it holds credentials: restrict it with chmod 600'
                        % (path, ' and '.join(who for bit, who in sorted(readers.items(), reverse=True)
                                              if mode & bit), mode))
    return content


def _size_text(size: int) -> str:
    return 'is larger than %d bytes (1 MiB), the most a clouds.yaml may hold (it has %s%d bytes)' % (
        MAX_FILE_BYTES, 'at least ' if size == MAX_FILE_BYTES + 1 else '', size)


def _file_kind(mode: int) -> str:
    for test, kind in ((stat.S_ISFIFO, 'a FIFO'), (stat.S_ISDIR, 'a directory'), (stat.S_ISCHR, 'a character device'),
                       (stat.S_ISBLK, 'a block device'), (stat.S_ISSOCK, 'a socket')):
        if test(mode):
            return kind
    return 'not a regular file'


def _parse(path: str, content: bytes) -> Any:
    """Give back the parsed JSON or YAML document `content` of `path`, within MAX_DEPTH and MAX_NODES."""
    try:
        if path.endswith('json'):
            try:
                data = json.loads(content)
            except RecursionError:
                raise _LimitExceeded(_depth_text())
            _check_json_shape(data)
            return data
        loader = _BoundedLoader(content)
        try:
            return loader.get_single_data()
        finally:
            loader.dispose()
    except _LimitExceeded as exc:
        raise _file_error(path, exc.text, exc.line)


def _load_first(paths: List[str], skipped: List[str], warnings: Optional[List[str]] = None,
                private: bool = False) -> Tuple[Optional[str], Any]:
    """Give back (path, parsed document) of the first file of `paths` that exists and parses, else (None, None).

    Files are hostile input: a file that is not a regular file, is larger than MAX_FILE_BYTES or nests or expands
    beyond the limits fails with an OptionError naming it and the limit.
    """
    for path in paths:
        if not os.path.exists(path):
            continue
        try:
            return path, _parse(path, _read_regular_file(path, [] if warnings is None else warnings, private))
        except OptionError:
            raise  # a limit: the file is refused, not skipped as openstacksdk skips a file it cannot parse
        except (IOError, OSError) as exc:
            if exc.errno == errno.EACCES:
                skipped.append('%s (not readable)' % path)
                continue
            raise OptionError('cloud: cannot read %s: %s' % (path, exc.strerror or type(exc).__name__))
        except (ValueError, yaml.YAMLError) as exc:
            # openstacksdk logs a warning and skips the file; the reason (never its content) helps the user.
            mark = getattr(exc, 'problem_mark', None)
            where = ' at line %d' % (mark.line + 1) if mark is not None else ''
            skipped.append('%s (not valid %s%s)' % (path, 'JSON' if path.endswith('json') else 'YAML', where))
    return None, None


def merge_clouds(old: Dict[str, Any], new: Dict[str, Any]) -> Dict[str, Any]:
    """Give back old updated with new, nested dicts merged (openstacksdk's _util.merge_clouds)."""
    result = old.copy()
    for key, value in new.items():
        if isinstance(value, dict):
            result[key] = merge_clouds(result[key], value) if key in result and isinstance(result[key], dict) \
                else value.copy()
        else:
            result[key] = value
    return result


class CloudsFiles(object):
    """The clouds.yaml and secure.yaml that openstacksdk would read now, merged, and the files looked at."""

    def __init__(self) -> None:
        if not HAS_YAML:
            raise OptionError('cloud: reading clouds.yaml needs PyYAML')
        self.skipped: List[str] = []
        # For the plugins to show: a secure.yaml others can read (never a value from it).
        self.warnings: List[str] = []
        self.config_path, config = _load_first(candidate_files('clouds', 'OS_CLIENT_CONFIG_FILE'), self.skipped)
        self._check_mapping(self.config_path, config)
        self.secure_path, secure = _load_first(candidate_files('secure', 'OS_CLIENT_SECURE_FILE'), self.skipped,
                                               self.warnings, private=True)
        self._check_mapping(self.secure_path, secure)
        if self.secure_path and secure:
            config = merge_clouds(config or {}, secure)
        self.document = config or {}
        clouds = self.document.get('clouds')
        self.clouds: Dict[str, Any] = clouds if isinstance(clouds, dict) else {}
        self._vendor: Optional[Dict[str, Any]] = None

    @staticmethod
    def _check_mapping(path: Optional[str], data: Any) -> None:
        if path and data and not isinstance(data, dict):
            raise OptionError('cloud: %s is empty or not a valid mapping' % path)

    def files_read(self) -> List[str]:
        """Give back the files the settings came from, for messages."""
        return [path for path in (self.config_path, self.secure_path) if path]

    def describe(self) -> str:
        """Give back which files were read (or that none was found) and which were skipped, for messages."""
        read = self.files_read()
        words = 'read %s' % ' and '.join(read) if read else 'no clouds.yaml found (searched %s)' % ', '.join(
            candidate_files('clouds', 'OS_CLIENT_CONFIG_FILE'))
        if self.skipped:
            words += '; skipped %s' % ', '.join(self.skipped)
        return words

    def vendor_document(self) -> Dict[str, Any]:
        """Give back the parsed clouds-public.yaml (openstacksdk's vendor file), or {}."""
        if self._vendor is None:
            dummy, vendor = _load_first(candidate_files('clouds-public'), [])
            self._vendor = vendor if isinstance(vendor, dict) else {}
        return self._vendor
