# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""clouds.yaml, secure.yaml and clouds-public.yaml read the way openstacksdk's loader reads them.

openstacksdk (openstack/config/loader.py, OpenStackConfig.get_one) defines the format; this module follows its
rules for the part that concerns ModelArts users (search path, secure.yaml merge, vendor profiles, regions,
auth_type and the option names of keystoneauth's password and token plugins, legacy keys, verify/cacert), with
ansible-core's PyYAML only. tests/unit/plugins/module_utils/test_clouds_oracle.py checks it against openstacksdk.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import copy
import errno
import json
import os
import posixpath
import stat

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

# openstack/config/vendors/otc.json and otc-swiss.json (the profiles that concern ModelArts users).
VENDOR_PROFILES = {
    'otc': {
        'auth': {'auth_url': 'https://iam.{region_name}.otc.t-systems.com/v3'},
        'regions': ['eu-de', 'eu-nl'],
        'identity_api_version': '3',
        'interface': 'public',
        'image_format': 'qcow2',
        'vendor_hook': 'otcextensions.sdk:load',
    },
    'otc-swiss': {
        'auth': {'auth_url': 'iam-pub.eu-ch2.sc.otc.t-systems.com/v3'},
        'regions': ['eu-ch2'],
        'identity_api_version': '3',
        'interface': 'public',
        'image_format': 'qcow2',
        'vendor_hook': 'otcextensions.sdk:load',
    },
}

# openstacksdk's defaults.json, the keys that matter here.
DEFAULTS = {'auth_type': 'password', 'interface': 'public', 'verify': True, 'cacert': None}

# keystoneauth's plugin options: (name, deprecated names). `password`/`token` are the generic plugins.
_SCOPE_OPTIONS = (('auth_url', ()), ('system_scope', ()), ('domain_id', ()), ('domain_name', ()))
_PROJECT_OPTIONS_V3 = (('project_id', ()), ('project_name', ()), ('project_domain_id', ()),
                       ('project_domain_name', ()), ('trust_id', ()))
_PROJECT_OPTIONS_GENERIC = (('project_id', ('tenant_id',)), ('project_name', ('tenant_name',)),
                            ('project_domain_id', ()), ('project_domain_name', ()), ('trust_id', ()),
                            ('default_domain_id', ()), ('default_domain_name', ()))
_USER_OPTIONS = (('user_id', ()), ('username', ('user_name',)), ('user_domain_id', ()), ('user_domain_name', ()),
                 ('password', ()))
PLUGIN_OPTIONS = {
    'password': _SCOPE_OPTIONS + _PROJECT_OPTIONS_GENERIC + _USER_OPTIONS,
    'v3password': _SCOPE_OPTIONS + _PROJECT_OPTIONS_V3 + _USER_OPTIONS,
    'token': _SCOPE_OPTIONS + _PROJECT_OPTIONS_GENERIC + (('token', ()),),
    'v3token': _SCOPE_OPTIONS + _PROJECT_OPTIONS_V3 + (('token', ()),),
}
PASSWORD_AUTH_TYPES = ('password', 'v3password')
TOKEN_AUTH_TYPES = ('token', 'v3token')

# openstacksdk's _fix_backwards_auth: target key -> keys (hyphenated too) moved into auth, the last found wins.
_BACKWARDS_AUTH = (
    ('domain_id', ('domain_id', 'domain-id')),
    ('domain_name', ('domain_name', 'domain-name')),
    ('user_domain_id', ('user_domain_id', 'user-domain-id')),
    ('user_domain_name', ('user_domain_name', 'user-domain-name')),
    ('project_domain_id', ('project_domain_id', 'project-domain-id')),
    ('project_domain_name', ('project_domain_name', 'project-domain-name')),
    ('token', ('auth-token', 'auth_token', 'token')),
    ('passcode', ('passcode',)),
)
_BACKWARDS_PROJECT = (
    ('project_id', ('tenant_id', 'tenant-id', 'project_id', 'project-id')),
    ('project_name', ('tenant_name', 'tenant-name', 'project_name', 'project-name')),
)
_BACKWARDS_TENANT = (
    ('tenant_id', ('project_id', 'project-id', 'tenant_id', 'tenant-id')),
    ('tenant_name', ('project_name', 'project-name', 'tenant_name', 'tenant-name')),
)
# Keys whose values openstacksdk keeps as integers; every other int or float becomes a string.
_INTEGER_KEYS = ('verbose_level', 'api_timeout')


def _absolute_environ(name):
    value = os.environ.get(name, '')
    return value if posixpath.isabs(value) else None


def search_directories():
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


def candidate_files(stem, override_variable=None):
    """Give back the files openstacksdk tries for `stem` (clouds, secure, clouds-public), first one first."""
    files = [os.path.join(directory, stem + suffix) for directory in search_directories() for suffix in SUFFIXES]
    override = os.environ.get(override_variable) if override_variable else None
    if override:
        files.insert(0, override)
    return files


def _file_error(path, text, line=None):
    where = ' (line %d)' % line if line is not None else ''
    return OptionError('cloud: %s%s %s' % (path, where, text))


class _LimitExceeded(Exception):
    """A limit on a clouds.yaml file was reached: the words of the message and the line (or None)."""

    def __init__(self, text, line=None):
        super(_LimitExceeded, self).__init__(text)
        self.text = text
        self.line = line


def _depth_text():
    return 'nests deeper than %d levels, the most a clouds.yaml may nest' % MAX_DEPTH


def _nodes_text():
    return ('holds more than %d values once its aliases are expanded, the most a clouds.yaml may hold (an alias '
            'bomb? each alias counts as the whole node it refers to)' % MAX_NODES)


if HAS_YAML:
    class _BoundedLoader(yaml.SafeLoader):
        """yaml.SafeLoader that refuses documents nesting deeper than MAX_DEPTH or expanding beyond MAX_NODES.

        The composer is the first stage that recurses and the one that resolves aliases, so it is where both are
        measured: an alias adds the expanded size of the node it refers to, and an alias inside its own anchor (a
        recursive structure, which normalize_keys would follow for ever) is refused.
        """

        def __init__(self, stream):
            yaml.SafeLoader.__init__(self, stream)
            self._heights = []  # for each node being composed, the height of what is below it so far
            self._nodes = 0
            self._measured = {}  # id(anchored node) -> (expanded size, height), once composed

        def _line(self):
            return self.peek_event().start_mark.line + 1

        def _grow(self, size, height):
            self._nodes += size
            if self._nodes > MAX_NODES:
                raise _LimitExceeded(_nodes_text(), self._line())
            if len(self._heights) + height > MAX_DEPTH:
                raise _LimitExceeded(_depth_text(), self._line())
            if self._heights:
                self._heights[-1] = max(self._heights[-1], height)

        def compose_node(self, parent, index):
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


def _check_json_shape(data):
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


def _read_regular_file(path, warnings, private):
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


def _size_text(size):
    return 'is larger than %d bytes (1 MiB), the most a clouds.yaml may hold (it has %s%d bytes)' % (
        MAX_FILE_BYTES, 'at least ' if size == MAX_FILE_BYTES + 1 else '', size)


def _file_kind(mode):
    for test, kind in ((stat.S_ISFIFO, 'a FIFO'), (stat.S_ISDIR, 'a directory'), (stat.S_ISCHR, 'a character device'),
                       (stat.S_ISBLK, 'a block device'), (stat.S_ISSOCK, 'a socket')):
        if test(mode):
            return kind
    return 'not a regular file'


def _parse(path, content):
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


def _load_first(paths, skipped, warnings=None, private=False):
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


def merge_clouds(old, new):
    """Give back old updated with new, nested dicts merged (openstacksdk's _util.merge_clouds)."""
    result = old.copy()
    for key, value in new.items():
        if isinstance(value, dict):
            result[key] = merge_clouds(result[key], value) if key in result and isinstance(result[key], dict) \
                else value.copy()
        else:
            result[key] = value
    return result


def _auth_update(old, new):
    """dict.update, except that the nested `auth` dict is updated instead of replaced."""
    new = copy.deepcopy(new)
    for key, value in new.items():
        if key == 'auth' and key in old and isinstance(old[key], dict) and isinstance(value, dict):
            old[key].update(value)
        elif key == 'auth' and isinstance(value, dict):
            old[key] = value.copy()
        else:
            old[key] = value
    return old


def normalize_keys(config):
    """Give back config with `-` in keys turned into `_`, numbers into strings (openstacksdk's normalize_keys)."""
    result = {}
    for key, value in config.items():
        key = key.replace('-', '_')
        if isinstance(value, dict):
            result[key] = normalize_keys(value)
        elif isinstance(value, bool):
            result[key] = value
        elif isinstance(value, int) and key not in _INTEGER_KEYS:
            result[key] = str(value)
        elif isinstance(value, float):
            result[key] = str(value)
        else:
            result[key] = value
    return result


def _boolean(value):
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    return str(value).lower() == 'true'


class CloudsFiles(object):
    """The clouds.yaml and secure.yaml that openstacksdk would read now, merged, and the files looked at."""

    def __init__(self):
        if not HAS_YAML:
            raise OptionError('cloud: reading clouds.yaml needs PyYAML')
        self.skipped = []
        # For the plugins to show: a secure.yaml others can read (never a value from it).
        self.warnings = []
        self.config_path, config = _load_first(candidate_files('clouds', 'OS_CLIENT_CONFIG_FILE'), self.skipped)
        self._check_mapping(self.config_path, config)
        self.secure_path, secure = _load_first(candidate_files('secure', 'OS_CLIENT_SECURE_FILE'), self.skipped,
                                               self.warnings, private=True)
        self._check_mapping(self.secure_path, secure)
        if self.secure_path and secure:
            config = merge_clouds(config or {}, secure)
        self.document = config or {}
        clouds = self.document.get('clouds')
        self.clouds = clouds if isinstance(clouds, dict) else {}
        self._vendor = None

    @staticmethod
    def _check_mapping(path, data):
        if path and data and not isinstance(data, dict):
            raise OptionError('cloud: %s is empty or not a valid mapping' % path)

    def files_read(self):
        """Give back the files the settings came from, for messages."""
        return [path for path in (self.config_path, self.secure_path) if path]

    def describe(self):
        """Give back which files were read (or that none was found) and which were skipped, for messages."""
        read = self.files_read()
        words = 'read %s' % ' and '.join(read) if read else 'no clouds.yaml found (searched %s)' % ', '.join(
            candidate_files('clouds', 'OS_CLIENT_CONFIG_FILE'))
        if self.skipped:
            words += '; skipped %s' % ', '.join(self.skipped)
        return words

    def vendor_document(self):
        """Give back the parsed clouds-public.yaml (openstacksdk's vendor file), or {}."""
        if self._vendor is None:
            dummy, vendor = _load_first(candidate_files('clouds-public'), [])
            self._vendor = vendor if isinstance(vendor, dict) else {}
        return self._vendor


class ResolvedCloud(object):
    """One clouds.yaml entry resolved as openstacksdk's get_one(cloud, region_name) resolves it."""

    def __init__(self, name, config, files):
        self.name = name
        self.config = config
        self.files = files

    @property
    def auth(self):
        return self.config.get('auth') or {}

    def describe(self):
        """Give back where the entry came from, and the keys it resolved to (never a value), for messages."""
        keys = sorted('auth.%s' % key for key, value in self.auth.items() if value not in (None, ''))
        keys += sorted(key for key in ('ak', 'sk', 'access_key', 'secret_key', 'security_token')
                       if self.config.get(key) not in (None, ''))
        return 'cloud %r: %s; its keys: %s' % (self.name, self.files.describe(), ', '.join(keys) or 'none')


def _expand_vendor_profile(files, cloud, entry):
    profile_name = entry.get('profile', entry.get('cloud'))
    if not profile_name:
        return
    public = files.vendor_document().get('public-clouds')
    if isinstance(public, dict) and profile_name in public:
        _auth_update(cloud, public[profile_name])
    elif profile_name in VENDOR_PROFILES:
        _auth_update(cloud, VENDOR_PROFILES[profile_name])
    # Any other profile name: openstacksdk warns and goes on without it; so do we (the docs say which we know).


def _expand_regions(name, regions):
    expanded = []
    for region in regions:
        if isinstance(region, dict):
            if 'name' not in region or not {'name', 'values'} >= set(region):
                raise OptionError('cloud %r: each entry of regions is a name or a mapping with name (and values); '
                                  'got one with the keys %s' % (name, ', '.join(sorted(str(k) for k in region))))
            expanded.append({'name': region['name'], 'values': copy.deepcopy(region.get('values') or {})})
        else:
            expanded.append({'name': region, 'values': {}})
    return expanded


def _known_regions(files, name, entry):
    config = normalize_keys(entry)
    if 'regions' in config:
        return _expand_regions(name, config['regions'] or [])
    if 'region_name' in config:
        regions = config['region_name']
        if not isinstance(regions, list):
            regions = str(regions).split(',')
        return _expand_regions(name, regions)
    profile = {}
    _expand_vendor_profile(files, profile, entry)
    if profile.get('regions'):
        return _expand_regions(name, profile['regions'])
    if profile.get('region_name'):
        return _expand_regions(name, [profile['region_name']])
    return []


def _select_region(files, name, entry, region_name):
    regions = _known_regions(files, name, entry)
    if not regions:
        return {'name': region_name or '', 'values': {}}
    if not region_name:
        return regions[0]
    for region in regions:
        if region['name'] == region_name:
            return region
    raise OptionError('region: %r is not a region of cloud %r (its regions: %s); region names are case sensitive'
                      % (region_name, name, ', '.join(str(r['name']) for r in regions)))


def _fix_backwards_auth(cloud):
    mappings = _BACKWARDS_AUTH + (_BACKWARDS_TENANT if cloud.get('auth_type') == 'v2password' else _BACKWARDS_PROJECT)
    auth = cloud['auth']
    for target_key, possible in mappings:
        target = None
        for key in possible:
            if key in auth:
                target = str(auth.pop(key))
            # Values outside auth win: they may be overrides (openstacksdk story 2010784).
            if key in cloud:
                target = str(cloud.pop(key))
        if target:
            auth[target_key] = target


def _handle_domain_id(cloud):
    auth = cloud['auth']
    scoped = any(key in cloud or key in auth for key in ('project_id', 'project_name'))
    for target_key, possible in (('domain_id', ('user_domain_id', 'project_domain_id')),
                                 ('domain_name', ('user_domain_name', 'project_domain_name'))):
        if not scoped:
            if target_key in cloud and target_key not in auth:
                auth[target_key] = cloud.pop(target_key)
            continue
        for key in possible:
            if target_key in auth and key not in auth:
                auth[key] = auth[target_key]
        cloud.pop(target_key, None)
        auth.pop(target_key, None)


def _format(name, key, text, values):
    try:
        return text.format(**values)
    except (KeyError, IndexError, ValueError) as exc:
        raise OptionError('cloud %r: %s has a {placeholder} that cannot be filled (%s)' % (name, key, exc))


def _magic_fixes(name, cloud):
    for key in [k for k in cloud if k.endswith('timeout') and k not in ('timeout', 'api_timeout')]:
        cloud['api_timeout'] = cloud.pop(key)
    auth_type = None
    for key in ('auth_plugin', 'auth_type'):
        if key in cloud:
            auth_type = cloud.pop(key)
    cloud['auth_type'] = auth_type
    _fix_backwards_auth(cloud)
    for key in [k for k in cloud if k.endswith('endpoint_type')]:
        cloud[key.replace('endpoint_type', 'interface')] = cloud.pop(key)
    _handle_domain_id(cloud)
    if 'insecure' in cloud:
        cloud['insecure'] = _boolean(cloud['insecure'])
    auth_url = cloud['auth'].get('auth_url')
    if isinstance(auth_url, str):
        cloud['auth']['auth_url'] = _format(name, 'auth_url', auth_url, cloud)
    return cloud


def _validate_auth(cloud):
    """Move each option of the auth plugin into auth, the value in auth winning over one beside it."""
    options = PLUGIN_OPTIONS.get(cloud.get('auth_type'))
    if options is None:
        return cloud
    auth = cloud['auth']
    for option, deprecated in options:
        names = (option,) + deprecated
        winning = next((auth[n] for n in names if n in auth), None) or next((cloud[n] for n in names if n in cloud), None)
        for other in names:
            cloud.pop(other, None)
            auth.pop(other, None)
        if winning:
            auth[option] = winning
    return cloud


def resolve_cloud(name, region_name=None, files=None):
    """Give back the ResolvedCloud for entry `name`, the region being `region_name` or the entry's first one."""
    files = files or CloudsFiles()
    if name not in files.clouds:
        known = ', '.join(sorted(str(n) for n in files.clouds)) or 'none'
        raise OptionError('cloud: no entry %r in clouds.yaml (%s; entries there: %s)' % (name, files.describe(), known))
    entry = files.clouds.get(name)
    if not isinstance(entry, dict):
        raise OptionError('cloud %r: the entry is empty or not a mapping (%s)' % (name, files.describe()))
    entry = copy.deepcopy(entry)
    cloud = dict(DEFAULTS)
    _expand_vendor_profile(files, cloud, entry)
    cloud.setdefault('auth', {})
    _auth_update(cloud, entry)
    cloud.pop('cloud', None)
    if not isinstance(cloud.get('auth'), dict):
        raise OptionError('cloud %r: auth must be a mapping (%s)' % (name, files.describe()))
    region = _select_region(files, name, entry, region_name)
    cloud.pop('regions', None)
    if not isinstance(region['values'], dict):
        raise OptionError('cloud %r: the values of region %r must be a mapping' % (name, region['name']))
    for key, value in list(region['values'].items()) + [('region_name', region['name'])]:
        if value is None:
            continue
        if key == 'auth' and isinstance(value, dict):
            cloud['auth'].update(copy.deepcopy(value))
        else:
            cloud[key] = value
    cloud = normalize_keys(_magic_fixes(name, cloud))
    cloud = _validate_auth(cloud)
    for key, value in cloud.items():
        # openstacksdk fills {placeholders} in every top-level string but the password; secrets stay as written.
        if isinstance(value, str) and key not in ('password', 'sk', 'secret_key', 'security_token', 'ak', 'access_key'):
            cloud[key] = _format(name, key, value, cloud)
    return ResolvedCloud(name, cloud, files)


def _text(value):
    return None if value in (None, '') else str(value)


def _first(mapping, *keys):
    for key in keys:
        value = _text(mapping.get(key))
        if value is not None:
            return value
    return None


def options_from_cloud(resolved):
    """Give back the collection's options (names as keys) that a resolved clouds.yaml entry gives.

    The credentials rule: an entry whose auth block has credentials (username, user_id, password, token) uses
    them, as openstacksdk does; top-level (or auth-block) ak/sk are used only when it has none.
    """
    config, auth = resolved.config, resolved.auth
    values = {}
    region = _text(config.get('region_name')) or _text(config.get('region'))  # `region`: read by 0.1.0 too
    if region:
        values['region'] = region
    auth_url = _text(auth.get('auth_url'))
    if auth_url:
        # otc-swiss's profile has no scheme; keystoneauth could not use it as written.
        values['auth_url'] = auth_url if '://' in auth_url else 'https://' + auth_url
    auth_type = config.get('auth_type') or 'password'
    has_password = any(_text(auth.get(key)) for key in ('username', 'user_id', 'password'))
    has_token = _text(auth.get('token')) is not None
    if has_password or has_token:
        if auth_type not in PASSWORD_AUTH_TYPES + TOKEN_AUTH_TYPES:
            raise OptionError('cloud %r: auth_type %r is not supported (supported: %s)' % (
                resolved.name, auth_type, ', '.join(PASSWORD_AUTH_TYPES + TOKEN_AUTH_TYPES)))
        # The default auth_type (password) with only a token is the token login, as 0.1.0 read such entries.
        if auth_type in TOKEN_AUTH_TYPES or (has_token and not has_password):
            values['token'] = _text(auth.get('token'))
        else:
            if _text(auth.get('user_id')) and not _text(auth.get('username')):
                raise OptionError('cloud %r: user_id is not supported, give username (and the domain) instead'
                                  % resolved.name)
            values.update(username=_text(auth.get('username')), password=_text(auth.get('password')),
                          domain_name=_text(auth.get('user_domain_name')), domain_id=_text(auth.get('user_domain_id')),
                          project_domain_name=_text(auth.get('project_domain_name')),
                          project_domain_id=_text(auth.get('project_domain_id')))
    else:
        values.update(access_key=_first(config, 'ak', 'access_key') or _first(auth, 'ak', 'access_key'),
                      secret_key=_first(config, 'sk', 'secret_key') or _first(auth, 'sk', 'secret_key'),
                      security_token=_first(config, 'security_token') or _first(auth, 'security_token'))
    values.update(project_id=_text(auth.get('project_id')), project_name=_text(auth.get('project_name')))
    endpoint = _first(config, 'modelarts_endpoint_override', 'modelarts_endpoint')
    if endpoint:
        values['endpoint'] = endpoint
    interface = config.get('modelarts_interface', config.get('interface'))
    if isinstance(interface, str) and interface:
        values['interface'] = interface
    insecure = config.get('insecure', False)
    verify = config.get('verify', True)
    if insecure or verify is False or (isinstance(verify, str) and verify.lower() == 'false'):
        values['validate_certs'] = False
    elif isinstance(verify, str) and verify.lower() != 'true':
        values['ca_path'] = os.path.expanduser(verify)  # requests takes a CA bundle path as verify
    if _text(config.get('cacert')):
        values['ca_path'] = os.path.expanduser(str(config['cacert']))
    return dict((key, value) for key, value in values.items() if value is not None)
