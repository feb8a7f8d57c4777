# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The clouds.yaml loader resolves every set-up of the table exactly as openstacksdk's own loader does.

openstacksdk is the oracle (test-only): for each set-up (files in the places openstacksdk searches, environment,
cloud name, region) both resolve the entry, and the region, auth_type, auth block, interface, endpoint override,
ak/sk and the TLS verification they lead to must be equal; a set-up openstacksdk refuses, ours refuses too.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import importlib
import textwrap
import warnings

import pytest

from ansible_collections.mlops.modelarts.plugins.module_utils._clouds import options_from_cloud, resolve_cloud
from ansible_collections.mlops.modelarts.plugins.module_utils._clouds_files import candidate_files
from ansible_collections.mlops.modelarts.plugins.module_utils._errors import OptionError

openstack_loader = pytest.importorskip('openstack.config.loader')
openstack_exceptions = pytest.importorskip('openstack.exceptions')
# What openstacksdk raises for a set-up it refuses (an empty entry makes it fail on None.get).
REFUSALS = (openstack_exceptions.ConfigException, AttributeError)

PASSWORD_ENTRY = '''
clouds:
  otc:
    region_name: eu-de
    auth:
      auth_url: https://iam.eu-de.otc.t-systems.com/v3
      username: robot
      user_domain_name: OTC-EU-DE-0001
      project_name: eu-de_ml
'''
SECURE_PASSWORD = '''
clouds:
  otc:
    auth:
      password: secret-from-secure
'''

# id -> (files {place: text}, environment {name: place-relative value}, cloud, region option, openstacksdk refuses)
# Places: cwd (the working directory), home (~/.config/openstack), xdg ($XDG_CONFIG_HOME/openstack), site
# ($XDG_CONFIG_DIRS/openstack), snap ($SNAP_REAL_HOME/.config/openstack), other (a folder named by OS_CLIENT_*).
SETUPS = {
    'password in secure.yaml beside clouds.yaml': (
        {'home/clouds.yaml': PASSWORD_ENTRY, 'home/secure.yaml': SECURE_PASSWORD}, {}, 'otc', None, False),
    'secure.yaml named by OS_CLIENT_SECURE_FILE': (
        {'home/clouds.yaml': PASSWORD_ENTRY, 'other/my-secure.yaml': SECURE_PASSWORD},
        {'OS_CLIENT_SECURE_FILE': 'other/my-secure.yaml'}, 'otc', None, False),
    'OS_CLIENT_SECURE_FILE wins over a secure.yaml in the search path': (
        {'home/clouds.yaml': PASSWORD_ENTRY, 'home/secure.yaml': SECURE_PASSWORD,
         'other/s.yaml': 'clouds: {otc: {auth: {password: from-env-file}}}'},
        {'OS_CLIENT_SECURE_FILE': 'other/s.yaml'}, 'otc', None, False),
    'secure.yaml in cwd merged over clouds.yaml in home': (
        {'home/clouds.yaml': PASSWORD_ENTRY, 'cwd/secure.yaml': SECURE_PASSWORD}, {}, 'otc', None, False),
    'secure.yaml overrides a key of clouds.yaml': (
        {'home/clouds.yaml': PASSWORD_ENTRY,
         'home/secure.yaml': 'clouds: {otc: {region_name: eu-nl, auth: {password: p, username: other}}}'},
        {}, 'otc', None, False),
    'secure.yaml alone holds the entry': (
        {'home/secure.yaml': PASSWORD_ENTRY}, {}, 'otc', None, False),
    'clouds.yml instead of clouds.yaml': ({'home/clouds.yml': PASSWORD_ENTRY}, {}, 'otc', None, False),
    'clouds.json': ({'home/clouds.json': '{"clouds": {"otc": {"region_name": "eu-nl", "auth": {"username": "u", '
                                         '"password": "p"}}}}'}, {}, 'otc', None, False),
    'clouds.yaml beats clouds.yml in one folder': (
        {'home/clouds.yaml': PASSWORD_ENTRY, 'home/clouds.yml': PASSWORD_ENTRY.replace('robot', 'yml-robot')},
        {}, 'otc', None, False),
    'cwd beats home': (
        {'cwd/clouds.yaml': PASSWORD_ENTRY.replace('robot', 'cwd-robot'), 'home/clouds.yaml': PASSWORD_ENTRY},
        {}, 'otc', None, False),
    'XDG_CONFIG_HOME is searched': (
        {'xdg/clouds.yaml': PASSWORD_ENTRY}, {'XDG_CONFIG_HOME': 'xdg-root'}, 'otc', None, False),
    'XDG_CONFIG_HOME beats ~/.config': (
        {'xdg/clouds.yaml': PASSWORD_ENTRY.replace('robot', 'xdg-robot'), 'home/clouds.yaml': PASSWORD_ENTRY},
        {'XDG_CONFIG_HOME': 'xdg-root'}, 'otc', None, False),
    'XDG_CONFIG_HOME set, ~/.config still searched': (
        {'home/clouds.yaml': PASSWORD_ENTRY}, {'XDG_CONFIG_HOME': 'xdg-root'}, 'otc', None, False),
    'XDG_CONFIG_DIRS site folder': (
        {'site/clouds.yaml': PASSWORD_ENTRY}, {'XDG_CONFIG_DIRS': 'site-root'}, 'otc', None, False),
    'snap real home': ({'snap/clouds.yaml': PASSWORD_ENTRY}, {'SNAP_REAL_HOME': 'snap-home'}, 'otc', None, False),
    'OS_CLIENT_CONFIG_FILE first': (
        {'other/c.yaml': PASSWORD_ENTRY.replace('robot', 'env-robot'), 'cwd/clouds.yaml': PASSWORD_ENTRY},
        {'OS_CLIENT_CONFIG_FILE': 'other/c.yaml'}, 'otc', None, False),
    'the first file found is the only one read': (
        {'cwd/clouds.yaml': 'clouds: {other: {auth: {token: t}}}', 'home/clouds.yaml': PASSWORD_ENTRY},
        {}, 'otc', None, True),
    'a file that does not parse is skipped': (
        {'cwd/clouds.yaml': 'clouds: [unclosed\n', 'home/clouds.yaml': PASSWORD_ENTRY}, {}, 'otc', None, False),
    'unknown entry': ({'home/clouds.yaml': PASSWORD_ENTRY}, {}, 'nowhere', None, True),
    'a file that is not a mapping': ({'home/clouds.yaml': '- a\n- b\n'}, {}, 'otc', None, True),
    'profile otc without region takes its first region': (
        {'home/clouds.yaml': 'clouds: {otc: {profile: otc, auth: {username: u, password: p, '
                             'user_domain_name: D, project_name: eu-de_x}}}'}, {}, 'otc', None, False),
    'profile otc with region eu-nl': (
        {'home/clouds.yaml': 'clouds: {otc: {profile: otc, region_name: eu-nl, auth: {username: u, password: p, '
                             'user_domain_name: D, project_name: eu-nl_x}}}'}, {}, 'otc', None, False),
    'profile otc, region option eu-nl': (
        {'home/clouds.yaml': 'clouds: {otc: {profile: otc, auth: {username: u, password: p}}}'},
        {}, 'otc', 'eu-nl', False),
    'profile otc, region option not among its regions': (
        {'home/clouds.yaml': 'clouds: {otc: {profile: otc, auth: {username: u, password: p}}}'},
        {}, 'otc', 'eu-ch2', True),
    'profile otc-swiss': (
        {'home/clouds.yaml': 'clouds: {ch: {profile: otc-swiss, auth: {username: u, password: p, '
                             'user_domain_name: D, project_name: eu-ch2_x}}}'}, {}, 'ch', None, False),
    'legacy cloud: key for the profile': (
        {'home/clouds.yaml': 'clouds: {otc: {cloud: otc, auth: {username: u, password: p}}}'}, {}, 'otc', None, False),
    'entry auth_url wins over the profile': (
        {'home/clouds.yaml': 'clouds: {otc: {profile: otc, auth: {auth_url: "https://iam.example.test/v3", '
                             'username: u, password: p}}}'}, {}, 'otc', None, False),
    'profile from clouds-public.yaml': (
        {'home/clouds.yaml': 'clouds: {p: {profile: private, auth: {username: u, password: p}}}',
         'home/clouds-public.yaml': 'public-clouds: {private: {auth: {auth_url: "https://iam.private.test/v3"}, '
                                    'regions: [private-1, private-2]}}'}, {}, 'p', None, False),
    'clouds-public.yaml overrides a built-in profile': (
        {'home/clouds.yaml': 'clouds: {o: {profile: otc, auth: {username: u, password: p}}}',
         'cwd/clouds-public.yaml': 'public-clouds: {otc: {auth: {auth_url: "https://iam.mirror.test/v3"}, '
                                   'region_name: eu-nl}}'}, {}, 'o', None, False),
    'unknown profile is ignored': (
        {'home/clouds.yaml': 'clouds: {x: {profile: no-such-vendor, region_name: r1, auth: {username: u, '
                             'password: p}}}'}, {}, 'x', None, False),
    'regions list takes the first': (
        {'home/clouds.yaml': 'clouds: {otc: {regions: [eu-de, eu-nl], auth: {username: u, password: p}}}'},
        {}, 'otc', None, False),
    'regions list and region option': (
        {'home/clouds.yaml': 'clouds: {otc: {regions: [eu-de, eu-nl], auth: {username: u, password: p}}}'},
        {}, 'otc', 'eu-nl', False),
    'regions list of dicts with values': (
        {'home/clouds.yaml': textwrap.dedent('''
            clouds:
              otc:
                auth: {username: u, password: p, auth_url: "https://iam.{region_name}.otc.t-systems.com/v3"}
                regions:
                  - name: eu-de
                  - name: eu-nl
                    values:
                      interface: internal
                      auth: {project_name: eu-nl_special}
            ''')}, {}, 'otc', 'eu-nl', False),
    'a regions dict without name is refused': (
        {'home/clouds.yaml': 'clouds: {otc: {regions: [{values: {}}], auth: {username: u, password: p}}}'},
        {}, 'otc', None, True),
    'regions beat region_name': (
        {'home/clouds.yaml': 'clouds: {otc: {regions: [eu-nl], region_name: eu-de, auth: {username: u, '
                             'password: p}}}'}, {}, 'otc', None, False),
    'comma-separated region_name': (
        {'home/clouds.yaml': 'clouds: {otc: {region_name: "eu-nl,eu-de", auth: {username: u, password: p}}}'},
        {}, 'otc', None, False),
    'region option not in region_name': (
        {'home/clouds.yaml': PASSWORD_ENTRY}, {}, 'otc', 'eu-nl', True),
    'region option with no region in the entry': (
        {'home/clouds.yaml': 'clouds: {x: {auth: {username: u, password: p}}}'}, {}, 'x', 'cn-north-4', False),
    'no region anywhere': ({'home/clouds.yaml': 'clouds: {x: {auth: {token: t}}}'}, {}, 'x', None, False),
    'entry region_name beats the profile regions': (
        {'home/clouds.yaml': 'clouds: {o: {profile: otc, region_name: eu-nl, auth: {token: t}}}'}, {}, 'o', None,
        False),
    'user_domain_id instead of a name': (
        {'home/clouds.yaml': 'clouds: {x: {region_name: eu-de, auth: {username: u, password: p, '
                             'user_domain_id: 0123abcd, project_id: 0a1b2c}}}'}, {}, 'x', None, False),
    'domain_id shared by user and project': (
        {'home/clouds.yaml': 'clouds: {x: {region_name: eu-de, auth: {username: u, password: p, domain_id: d1, '
                             'project_name: eu-de_p}}}'}, {}, 'x', None, False),
    'domain_name shared, project_domain_name given': (
        {'home/clouds.yaml': 'clouds: {x: {auth: {username: u, password: p, domain_name: D, '
                             'project_domain_name: PD, project_name: pn}}}'}, {}, 'x', None, False),
    'domain_id without a project scope stays': (
        {'home/clouds.yaml': 'clouds: {x: {domain_id: d1, auth: {username: u, password: p}}}'}, {}, 'x', None,
        False),
    'domain keys at the top level': (
        {'home/clouds.yaml': 'clouds: {x: {user_domain_name: D, project_name: pn, auth: {username: u, '
                             'password: p}}}'}, {}, 'x', None, False),
    'hyphenated keys': (
        {'home/clouds.yaml': 'clouds: {x: {region-name: eu-de, auth: {user-domain-name: D, project-name: pn, '
                             'username: u, password: p}}}'}, {}, 'x', None, False),
    'legacy tenant_name and tenant_id': (
        {'home/clouds.yaml': 'clouds: {x: {auth: {username: u, password: p, user_domain_name: D, '
                             'tenant_name: tn, tenant_id: ti}}}'}, {}, 'x', None, False),
    'project_id beats tenant_id': (
        {'home/clouds.yaml': 'clouds: {x: {auth: {username: u, password: p, tenant_id: old, project_id: new}}}'},
        {}, 'x', None, False),
    'top-level project_id beats the auth block one': (
        {'home/clouds.yaml': 'clouds: {x: {project_id: top, auth: {username: u, password: p, project_id: inner}}}'},
        {}, 'x', None, False),
    'auth block username beats a top-level one': (
        {'home/clouds.yaml': 'clouds: {x: {username: top, auth: {username: inner, password: p}}}'},
        {}, 'x', None, False),
    'user_name legacy key': (
        {'home/clouds.yaml': 'clouds: {x: {auth: {user_name: legacy, password: p}}}'}, {}, 'x', None, False),
    'numbers become strings': (
        {'home/clouds.yaml': 'clouds: {x: {auth: {username: 12345, password: 987654, project_id: 42}}}'},
        {}, 'x', None, False),
    'auth_type v3password': (
        {'home/clouds.yaml': 'clouds: {x: {auth_type: v3password, auth: {username: u, password: p, '
                             'user_domain_name: D, tenant_name: tn}}}'}, {}, 'x', None, False),
    'auth_type token': (
        {'home/clouds.yaml': 'clouds: {x: {auth_type: token, region_name: eu-de, auth: {token: tok, '
                             'project_id: pid}}}'}, {}, 'x', None, False),
    'auth_type v3token': (
        {'home/clouds.yaml': 'clouds: {x: {auth_type: v3token, auth: {token: tok, project_name: pn, '
                             'project_domain_name: PD}}}'}, {}, 'x', None, False),
    'auth_plugin is the old name of auth_type': (
        {'home/clouds.yaml': 'clouds: {x: {auth_plugin: token, auth: {token: tok}}}'}, {}, 'x', None, False),
    'top-level auth_token': (
        {'home/clouds.yaml': 'clouds: {x: {auth_type: token, auth_token: tok, auth: {project_id: pid}}}'},
        {}, 'x', None, False),
    'password auth block with top-level ak/sk (the otcextensions sample)': (
        {'home/clouds.yaml': textwrap.dedent('''
            clouds:
              otc:
                profile: otc
                auth:
                  username: robot
                  password: p
                  project_name: eu-de_ml
                  user_domain_name: OTC00000000001000000xxx
                ak: AKVALUE
                sk: SKVALUE
            ''')}, {}, 'otc', None, False),
    'ak/sk only': (
        {'home/clouds.yaml': 'clouds: {x: {region_name: eu-de, ak: AK1, sk: SK1, auth: {project_id: pid}}}'},
        {}, 'x', None, False),
    'verify false': ({'home/clouds.yaml': 'clouds: {x: {verify: false, auth: {token: t}}}'}, {}, 'x', None, False),
    'cacert': ({'home/clouds.yaml': 'clouds: {x: {cacert: /etc/ca.pem, auth: {token: t}}}'}, {}, 'x', None, False),
    'cacert with ~': ({'home/clouds.yaml': 'clouds: {x: {cacert: ~/ca.pem, auth: {token: t}}}'}, {}, 'x', None, False),
    'verify false wins over cacert': (
        {'home/clouds.yaml': 'clouds: {x: {verify: false, cacert: /etc/ca.pem, auth: {token: t}}}'}, {}, 'x', None,
        False),
    'insecure true': ({'home/clouds.yaml': 'clouds: {x: {insecure: "True", auth: {token: t}}}'}, {}, 'x', None, False),
    'interface and endpoint override for modelarts': (
        {'home/clouds.yaml': 'clouds: {x: {interface: internal, modelarts_endpoint_override: "https://ma.test", '
                             'auth: {token: t}}}'}, {}, 'x', None, False),
    'modelarts_interface beats interface': (
        {'home/clouds.yaml': 'clouds: {x: {interface: internal, modelarts_interface: admin, auth: {token: t}}}'},
        {}, 'x', None, False),
    'endpoint_type is the old name of interface': (
        {'home/clouds.yaml': 'clouds: {x: {endpoint_type: internal, auth: {token: t}}}'}, {}, 'x', None, False),
    'auth_url with a placeholder': (
        {'home/clouds.yaml': 'clouds: {x: {region_name: eu-nl, auth: {auth_url: "https://iam.{region_name}.'
                             'otc.t-systems.com/v3", token: t}}}'}, {}, 'x', None, False),
    'an empty entry': ({'home/clouds.yaml': 'clouds: {x: }'}, {}, 'x', None, True),
}

PLACES = {'cwd': 'work', 'home': 'home/.config/openstack', 'xdg': 'xdg-root/openstack', 'site': 'site-root/openstack',
          'snap': 'snap-home/.config/openstack', 'other': 'other'}


@pytest.fixture
def lay_out(tmp_path, monkeypatch):
    """Write a set-up's files and environment under tmp_path; the working directory is tmp_path/work."""
    for name in ('OS_CLIENT_SECURE_FILE', 'XDG_CONFIG_HOME', 'XDG_CONFIG_DIRS', 'SNAP_REAL_HOME'):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv('HOME', str(tmp_path / 'home'))
    # The real /etc/xdg/openstack must not take part: a site folder that exists nowhere stands in for it.
    monkeypatch.setenv('XDG_CONFIG_DIRS', str(tmp_path / 'no-site'))
    (tmp_path / 'work').mkdir()
    monkeypatch.chdir(tmp_path / 'work')

    def lay_out_setup(files, environment):
        for place_file, text in files.items():
            place, name = place_file.split('/', 1)
            path = tmp_path / PLACES[place] / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
        for name, value in environment.items():
            monkeypatch.setenv(name, str(tmp_path / value))
    return lay_out_setup


class _PluginNotBuilt(object):
    """keystoneauth's loader with the plugin's options, but no plugin built (no auth_url check, no network)."""

    def __init__(self, real):
        self._real = real

    def get_options(self):
        return self._real.get_options()

    def load_from_options(self, **kwargs):
        return None


def openstacksdk_view(cloud, region_name):
    """Give back what openstacksdk resolves, as the view compared."""
    # Its search path is computed when the module is imported: reimport it in the set-up's cwd and environment.
    loader = importlib.reload(openstack_loader)

    class Oracle(loader.OpenStackConfig):
        def _get_auth_loader(self, config):
            return _PluginNotBuilt(super(Oracle, self)._get_auth_loader(config))

    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        region = Oracle().get_one(cloud=cloud, region_name=region_name)
        config = region.config
        return dict(
            region_name=region.region_name or '', auth_type=config.get('auth_type'),
            auth=dict((k, v) for k, v in config['auth'].items() if v not in (None, '')),
            interface=region.get_interface('modelarts'), endpoint=region.get_endpoint('modelarts'),
            ak=config.get('ak'), sk=config.get('sk'), verify=region.get_requests_verify_args()[0])


def collection_view(cloud, region_name):
    """Give back what the collection's loader resolves, as the view compared."""
    resolved = resolve_cloud(cloud, region_name=region_name)
    config = resolved.config
    options = options_from_cloud(resolved)
    verify = False if options.get('validate_certs') is False else options.get('ca_path', True)
    return dict(
        region_name=config.get('region_name') or '', auth_type=config.get('auth_type'),
        auth=dict((k, v) for k, v in resolved.auth.items() if v not in (None, '')),
        interface=config.get('modelarts_interface', config.get('interface')),
        endpoint=config.get('modelarts_endpoint_override') or config.get('modelarts_endpoint'),
        ak=config.get('ak'), sk=config.get('sk'), verify=verify)


@pytest.mark.parametrize('setup', sorted(SETUPS))
def test_the_loader_resolves_like_openstacksdk(setup, lay_out):
    files, environment, cloud, region_name, refused = SETUPS[setup]
    lay_out(files, environment)
    if refused:
        with pytest.raises(REFUSALS):
            openstacksdk_view(cloud, region_name)
        with pytest.raises(OptionError):
            collection_view(cloud, region_name)
        return
    assert collection_view(cloud, region_name) == openstacksdk_view(cloud, region_name)


SEARCH_ENVIRONMENTS = {
    'defaults': {},
    'XDG_CONFIG_HOME': {'XDG_CONFIG_HOME': '/x/config'},
    'relative XDG_CONFIG_HOME is ignored': {'XDG_CONFIG_HOME': 'relative/config'},
    'several XDG_CONFIG_DIRS': {'XDG_CONFIG_DIRS': '/a/xdg:/b/xdg'},
    'SNAP_REAL_HOME': {'SNAP_REAL_HOME': '/snap/home'},
    'OS_CLIENT_CONFIG_FILE and OS_CLIENT_SECURE_FILE': {'OS_CLIENT_CONFIG_FILE': '/c/clouds.yaml',
                                                        'OS_CLIENT_SECURE_FILE': '/c/secure.yaml'},
}


@pytest.mark.parametrize('environment', sorted(SEARCH_ENVIRONMENTS))
def test_the_files_searched_are_openstacksdk_s_in_its_order(environment, monkeypatch, lay_out):
    # /etc/openstack and the site folder cannot be written by a test: the lists of files tried are compared instead.
    monkeypatch.delenv('XDG_CONFIG_DIRS', raising=False)
    for name, value in SEARCH_ENVIRONMENTS[environment].items():
        monkeypatch.setenv(name, value)
    config = importlib.reload(openstack_loader).OpenStackConfig()
    assert candidate_files('clouds', 'OS_CLIENT_CONFIG_FILE') == config._config_files
    assert candidate_files('secure', 'OS_CLIENT_SECURE_FILE') == config._secure_files
    assert candidate_files('clouds-public') == config._vendor_files
