# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A clouds.yaml entry resolved the way openstacksdk resolves it, and the collection's options it gives.

openstacksdk (openstack/config/loader.py, OpenStackConfig.get_one) defines the format; this module follows its
rules for the part that concerns ModelArts users (vendor profiles, regions,
auth_type and the option names of keystoneauth's password and token plugins, legacy keys, verify/cacert), with
ansible-core's PyYAML only (reading the files, the search path and the secure.yaml merge are _clouds_files.py's
part). tests/unit/plugins/module_utils/test_clouds_oracle.py checks it against openstacksdk.
"""

from __future__ import absolute_import, annotations, division, print_function
__metaclass__ = type

import copy
import os
from typing import Any, Dict, List, Mapping, Optional

from ansible_collections.mlops.modelarts.plugins.module_utils._clouds_files import CloudsFiles
from ansible_collections.mlops.modelarts.plugins.module_utils._errors import OptionError

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


# A clouds.yaml entry or document as YAML gives it: keys and values of any kind (checked where they are used).
Config = Dict[str, Any]
# A region of an entry: {'name': ..., 'values': {...}}.
Region = Dict[str, Any]


def _auth_update(old: Config, new: Mapping[str, Any]) -> Config:
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


def normalize_keys(config: Mapping[str, Any]) -> Config:
    """Give back config with `-` in keys turned into `_`, numbers into strings (openstacksdk's normalize_keys)."""
    result: Config = {}
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


def _boolean(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    return str(value).lower() == 'true'


class ResolvedCloud(object):
    """One clouds.yaml entry resolved as openstacksdk's get_one(cloud, region_name) resolves it."""

    def __init__(self, name: str, config: Config, files: CloudsFiles) -> None:
        self.name = name
        self.config = config
        self.files = files

    @property
    def auth(self) -> Config:
        return self.config.get('auth') or {}

    def describe(self) -> str:
        """Give back where the entry came from, and the keys it resolved to (never a value), for messages."""
        keys = sorted('auth.%s' % key for key, value in self.auth.items() if value not in (None, ''))
        keys += sorted(key for key in ('ak', 'sk', 'access_key', 'secret_key', 'security_token')
                       if self.config.get(key) not in (None, ''))
        return 'cloud %r: %s; its keys: %s' % (self.name, self.files.describe(), ', '.join(keys) or 'none')


def _expand_vendor_profile(files: CloudsFiles, cloud: Config, entry: Config) -> None:
    profile_name = entry.get('profile', entry.get('cloud'))
    if not profile_name:
        return
    public = files.vendor_document().get('public-clouds')
    if isinstance(public, dict) and profile_name in public:
        _auth_update(cloud, public[profile_name])
    elif profile_name in VENDOR_PROFILES:
        _auth_update(cloud, VENDOR_PROFILES[profile_name])
    # Any other profile name: openstacksdk warns and goes on without it; so do we (the docs say which we know).


def _expand_regions(name: str, regions: List[Any]) -> List[Region]:
    expanded: List[Region] = []
    for region in regions:
        if isinstance(region, dict):
            if 'name' not in region or not {'name', 'values'} >= set(region):
                raise OptionError('cloud %r: each entry of regions is a name or a mapping with name (and values); '
                                  'got one with the keys %s' % (name, ', '.join(sorted(str(k) for k in region))))
            expanded.append({'name': region['name'], 'values': copy.deepcopy(region.get('values') or {})})
        else:
            expanded.append({'name': region, 'values': {}})
    return expanded


def _known_regions(files: CloudsFiles, name: str, entry: Config) -> List[Region]:
    config = normalize_keys(entry)
    if 'regions' in config:
        return _expand_regions(name, config['regions'] or [])
    if 'region_name' in config:
        regions = config['region_name']
        if not isinstance(regions, list):
            regions = str(regions).split(',')
        return _expand_regions(name, regions)
    profile: Config = {}
    _expand_vendor_profile(files, profile, entry)
    if profile.get('regions'):
        return _expand_regions(name, profile['regions'])
    if profile.get('region_name'):
        return _expand_regions(name, [profile['region_name']])
    return []


def _select_region(files: CloudsFiles, name: str, entry: Config, region_name: Optional[str]) -> Region:
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


def _fix_backwards_auth(cloud: Config) -> None:
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


def _handle_domain_id(cloud: Config) -> None:
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


def _format(name: str, key: str, text: str, values: Mapping[str, Any]) -> str:
    try:
        return text.format(**values)
    except (KeyError, IndexError, ValueError) as exc:
        raise OptionError('cloud %r: %s has a {placeholder} that cannot be filled (%s)' % (name, key, exc))


def _magic_fixes(name: str, cloud: Config) -> Config:
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


def _validate_auth(cloud: Config) -> Config:
    """Move each option of the auth plugin into auth, the value in auth winning over one beside it."""
    auth_type = cloud.get('auth_type')
    # YAML may give any value (a list is unhashable): one that is not text has no plugin options here, and
    # options_from_cloud() refuses it naming the supported ones.
    options = PLUGIN_OPTIONS.get(auth_type) if isinstance(auth_type, str) else None
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


def resolve_cloud(name: str, region_name: Optional[str] = None, files: Optional[CloudsFiles] = None) -> ResolvedCloud:
    """Give back the ResolvedCloud for entry `name`, the region being `region_name` or the entry's first one."""
    files = files or CloudsFiles()
    if name not in files.clouds:
        known = ', '.join(sorted(str(n) for n in files.clouds)) or 'none'
        raise OptionError('cloud: no entry %r in clouds.yaml (%s; entries there: %s)' % (name, files.describe(), known))
    entry = files.clouds.get(name)
    if not isinstance(entry, dict):
        raise OptionError('cloud %r: the entry is empty or not a mapping (%s)' % (name, files.describe()))
    entry = copy.deepcopy(entry)
    cloud: Config = dict(DEFAULTS)
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


def _text(value: Any) -> Optional[str]:
    return None if value in (None, '') else str(value)


def _first(mapping: Mapping[str, Any], *keys: str) -> Optional[str]:
    for key in keys:
        value = _text(mapping.get(key))
        if value is not None:
            return value
    return None


def options_from_cloud(resolved: ResolvedCloud) -> Dict[str, Any]:
    """Give back the collection's options (names as keys) that a resolved clouds.yaml entry gives.

    The credentials rule: an entry whose auth block has credentials (username, user_id, password, token) uses
    them, as openstacksdk does; top-level (or auth-block) ak/sk are used only when it has none.
    """
    config, auth = resolved.config, resolved.auth
    values: Dict[str, Any] = {}
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
