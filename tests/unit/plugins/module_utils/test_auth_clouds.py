# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""ConnectionSettings from clouds.yaml set-ups users have, domain_id, and the endpoint rules of keystoneauth."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.mlops.modelarts.plugins.module_utils._auth import (
    ConnectionSettings, PasswordAuthenticator, modelarts_url_from_catalog, params_with_cloud,
)
from ansible_collections.mlops.modelarts.plugins.module_utils._answers import hint as _hint
from ansible_collections.mlops.modelarts.plugins.module_utils._errors import ModelArtsError, OptionError

PROJECT_ID = '0a1b2c3d4e5f60718293a4b5c6d7e8f9'
PASSWORD = 'pass-word-secret'


@pytest.fixture
def clouds(tmp_path, monkeypatch):
    """Write ~/.config/openstack/clouds.yaml (and secure.yaml) for a test."""
    folder = tmp_path / '.config' / 'openstack'
    folder.mkdir(parents=True)
    for name in ('OS_CLIENT_SECURE_FILE', 'XDG_CONFIG_HOME'):
        monkeypatch.delenv(name, raising=False)

    def write(clouds_yaml, secure_yaml=None):
        (folder / 'clouds.yaml').write_text(clouds_yaml)
        if secure_yaml is not None:
            (folder / 'secure.yaml').write_text(secure_yaml)
        return folder
    return write


OTC_SAMPLE = '''
clouds:
  otc:
    profile: otc
    auth:
      username: robot
      project_name: eu-de_ml
      user_domain_name: OTC00000000001000000xxx
    ak: OBSACCESSKEY
    sk: OBSSECRETKEY
'''


def test_password_in_secure_yaml_completes_the_login(clouds):
    clouds(OTC_SAMPLE, 'clouds:\n  otc:\n    auth:\n      password: %s\n' % PASSWORD)
    settings = ConnectionSettings(dict(cloud='otc'))
    assert (settings.auth_method, settings.username, settings.password) == ('password', 'robot', PASSWORD)


def test_the_auth_block_credentials_win_over_top_level_ak_sk(clouds):
    clouds(OTC_SAMPLE.replace('username: robot', 'username: robot\n      password: %s' % PASSWORD))
    settings = ConnectionSettings(dict(cloud='otc'))
    assert settings.auth_method == 'password'
    assert (settings.access_key, settings.secret_key) == (None, None)


def test_top_level_ak_sk_are_used_when_the_auth_block_has_no_credentials(clouds):
    clouds('clouds:\n  obs:\n    region_name: eu-de\n    ak: AK1\n    sk: SK1\n    auth:\n      project_id: %s\n'
           % PROJECT_ID)
    settings = ConnectionSettings(dict(cloud='obs'))
    assert (settings.auth_method, settings.access_key, settings.secret_key) == ('aksk', 'AK1', 'SK1')


def test_profile_otc_gives_region_auth_url_and_endpoint(clouds):
    clouds(OTC_SAMPLE, 'clouds: {otc: {auth: {password: p}}}')
    settings = ConnectionSettings(dict(cloud='otc'))
    assert settings.region == 'eu-de'
    assert settings.auth_url == 'https://iam.eu-de.otc.t-systems.com/v3'
    assert settings.endpoint == 'https://modelarts.eu-de.otc.t-systems.com'


def test_profile_otc_swiss_gets_an_https_auth_url(clouds):
    clouds('clouds: {ch: {profile: otc-swiss, auth: {username: u, password: p, user_domain_name: D, '
           'project_name: eu-ch2_x}}}')
    settings = ConnectionSettings(dict(cloud='ch'))
    assert (settings.region, settings.auth_url) == ('eu-ch2', 'https://iam-pub.eu-ch2.sc.otc.t-systems.com/v3')
    assert settings.endpoint == 'https://modelarts.eu-ch2.sc.otc.t-systems.com'


def test_user_domain_id_is_enough(clouds):
    clouds('clouds: {x: {region_name: eu-de, auth: {username: u, password: p, user_domain_id: d1, '
           'project_name: eu-de_x}}}')
    settings = ConnectionSettings(dict(cloud='x'))
    assert (settings.domain_id, settings.domain_name) == ('d1', None)


def test_an_explicit_domain_name_replaces_the_entry_domain_id(clouds):
    clouds('clouds: {x: {region_name: eu-de, auth: {username: u, password: p, user_domain_id: d1, '
           'project_name: eu-de_x}}}')
    settings = ConnectionSettings(dict(cloud='x', domain_name='D'))
    assert (settings.domain_id, settings.domain_name) == (None, 'D')


def test_an_explicit_token_replaces_the_entry_password_login(clouds):
    clouds(OTC_SAMPLE.replace('project_name: eu-de_ml', 'project_id: %s' % PROJECT_ID),
           'clouds: {otc: {auth: {password: p}}}')
    settings = ConnectionSettings(dict(cloud='otc', token='tok'))
    assert (settings.auth_method, settings.username, settings.password) == ('token', None, None)


def test_clouds_yaml_verify_false_applies_when_validate_certs_is_unset(clouds):
    clouds('clouds: {x: {region_name: eu-de, verify: false, auth: {token: t, project_id: %s}}}' % PROJECT_ID)
    assert ConnectionSettings(dict(cloud='x', validate_certs=None)).tls_verify() is False
    assert ConnectionSettings(dict(cloud='x', validate_certs=True)).tls_verify() is True


def test_an_unsupported_auth_type_fails_naming_the_supported_ones(clouds):
    clouds('clouds: {x: {auth_type: v3applicationcredential, auth: {username: u, password: p}}}')
    with pytest.raises(OptionError, match=r"^cloud 'x': auth_type 'v3applicationcredential' is not supported"):
        ConnectionSettings(dict(cloud='x'))


@pytest.mark.parametrize('auth_type', ['[password]', '{password: 1}'])
def test_an_auth_type_that_is_not_text_fails_naming_the_supported_ones(clouds, auth_type):
    clouds('clouds: {x: {auth_type: %s, auth: {username: u, password: p}}}' % auth_type)
    with pytest.raises(OptionError, match=r"^cloud 'x': auth_type .* is not supported \(supported: password, "):
        ConnectionSettings(dict(cloud='x'))


def test_an_incomplete_entry_names_the_files_and_keys_but_no_secret(clouds):
    folder = clouds(OTC_SAMPLE)  # no password anywhere
    with pytest.raises(OptionError) as caught:
        ConnectionSettings(dict(cloud='otc'))
    message = str(caught.value)
    assert message.startswith('username and password must be given together')
    assert "cloud 'otc': read %s" % (folder / 'clouds.yaml') in message
    assert 'auth.username' in message and 'auth.password' not in message
    assert 'OBSSECRETKEY' not in message and 'OBSACCESSKEY' not in message


def test_an_unknown_entry_names_the_entries_there(clouds):
    clouds(OTC_SAMPLE)
    with pytest.raises(OptionError, match=r"^cloud: no entry 'other' in clouds.yaml \(read .*entries there: otc\)"):
        ConnectionSettings(dict(cloud='other'))


def test_xdg_config_home_is_searched(tmp_path, monkeypatch):
    folder = tmp_path / 'xdg' / 'openstack'
    folder.mkdir(parents=True)
    (folder / 'clouds.yml').write_text('clouds: {x: {region_name: eu-nl, auth: {token: t, project_id: %s}}}'
                                       % PROJECT_ID)
    monkeypatch.setenv('XDG_CONFIG_HOME', str(tmp_path / 'xdg'))
    assert ConnectionSettings(dict(cloud='x')).region == 'eu-nl'


# -- domain_id

def password_settings(**options):
    params = dict(region='eu-de', username='user', password=PASSWORD, domain_name='domain', project_name='eu-de_x')
    params.update(options)
    return ConnectionSettings(params)


def test_domain_name_and_domain_id_are_mutually_exclusive():
    with pytest.raises(OptionError, match='^domain_name and domain_id are mutually exclusive'):
        password_settings(domain_id='d1')


class RecordingSend(object):
    def __init__(self, catalog=None):
        self.bodies = []
        self.urls = []
        self.catalog = catalog or []

    def __call__(self, method, url, headers, body, authenticate=True):
        self.bodies.append(body)
        self.urls.append(url)

        class Response(object):
            status_code = 201
            headers = {'X-Subject-Token': 'issued-token'}
        return Response(), {'token': {'project': {'id': PROJECT_ID}, 'catalog': self.catalog}}


def test_domain_id_is_sent_as_the_user_and_project_domain():
    send = RecordingSend()
    PasswordAuthenticator(password_settings(domain_name=None, domain_id='d1'), send).resolve_project(None)
    auth = send.bodies[0]['auth']
    assert auth['identity']['password']['user']['domain'] == {'id': 'd1'}
    assert auth['scope']['project'] == {'name': 'eu-de_x', 'domain': {'id': 'd1'}}


def test_a_project_domain_from_clouds_yaml_scopes_the_project(clouds):
    clouds('clouds: {x: {region_name: eu-de, auth: {username: u, password: p, user_domain_name: U, '
           'project_domain_name: P, project_name: eu-de_x}}}')
    send = RecordingSend()
    PasswordAuthenticator(ConnectionSettings(dict(cloud='x')), send).resolve_project(None)
    assert send.bodies[0]['auth']['scope']['project'] == {'name': 'eu-de_x', 'domain': {'name': 'P'}}


# -- endpoints as keystoneauth finds them

def catalog(*endpoints):
    return [{'type': 'modelarts', 'name': 'modelarts', 'endpoints': [
        dict(interface=interface, region=region, region_id=region, url=url) for interface, region, url in endpoints]}]


def test_the_standard_iam_of_the_region_keeps_the_region_endpoint():
    settings = password_settings(auth_url='https://iam.eu-de.otc.t-systems.com/v3/')
    assert settings.endpoint == 'https://modelarts.eu-de.otc.t-systems.com'


@pytest.mark.parametrize('region, auth_url, endpoint', [
    ('eu-de', 'https://iam.eu-nl.otc.t-systems.com/v3', 'https://modelarts.eu-de.otc.t-systems.com'),
    ('cn-north-4', 'https://iam.myhuaweicloud.com/v3', 'https://modelarts.cn-north-4.myhuaweicloud.com'),
    ('eu-ch2', 'https://iam-pub.eu-ch2.sc.otc.t-systems.com/v3', 'https://modelarts.eu-ch2.sc.otc.t-systems.com'),
    ('eu-de', 'http://iam.eu-de.otc.t-systems.com/v3', None),
    ('eu-de', 'https://iam.cn-north-4.myhuaweicloud.com/v3', None),
])
def test_only_a_public_iam_of_the_region_cloud_keeps_the_region_endpoint(region, auth_url, endpoint):
    assert password_settings(region=region, auth_url=auth_url).endpoint == endpoint


def test_a_token_with_a_private_auth_url_needs_an_endpoint():
    options = dict(region='eu-de', token='tok', project_id=PROJECT_ID, auth_url='https://iam.private.example/v3')
    with pytest.raises(OptionError, match=r"^auth_url 'https://iam.private.example/v3' is not a public IAM of region "
                                          r"'eu-de' .*set endpoint"):
        ConnectionSettings(options)
    assert ConnectionSettings(dict(options, endpoint='https://ma.private.example')).endpoint == \
        'https://ma.private.example'


def test_another_auth_url_for_a_known_region_takes_the_endpoint_from_the_catalog():
    settings = password_settings(auth_url='https://iam.private.example/v3')
    assert settings.endpoint is None
    send = RecordingSend(catalog(('public', 'eu-de', 'https://modelarts.private.example')))
    authenticator = PasswordAuthenticator(settings, send)
    authenticator.resolve_project(settings)
    assert 'nocatalog' not in send.urls[0]
    assert authenticator.catalog_endpoint == 'https://modelarts.private.example'


def test_a_catalog_without_modelarts_fails_naming_the_iam_host_and_never_falls_back():
    settings = password_settings(auth_url='https://iam.private.example/v3')
    authenticator = PasswordAuthenticator(settings, RecordingSend(catalog(('public', 'eu-nl', 'https://other'))))
    with pytest.raises(ModelArtsError) as caught:
        authenticator.resolve_project(settings)
    assert str(caught.value).startswith("the IAM at iam.private.example listed no public modelarts endpoint for "
                                        "region 'eu-de'")


def test_an_https_iam_listing_modelarts_over_plain_http_fails_naming_the_scheme_and_the_way_out():
    settings = password_settings(auth_url='https://iam.private.example/v3')
    authenticator = PasswordAuthenticator(settings, RecordingSend(catalog(
        ('public', 'eu-de', 'http://modelarts.private.example/v1/$(project_id)s'))))
    with pytest.raises(ModelArtsError) as caught:
        authenticator.headers_for('GET', 'http://modelarts.private.example/v1', {})
    assert str(caught.value) == (
        'the IAM at iam.private.example (reached over https) lists the modelarts endpoint '
        'http://modelarts.private.example, whose scheme is http://, not https: the token it issued is not sent there '
        'in clear. Set endpoint to the https URL of ModelArts, or to that URL to accept plain http')


def test_an_http_catalog_endpoint_named_in_endpoint_is_accepted_without_asking_the_catalog():
    settings = password_settings(auth_url='https://iam.private.example/v3', endpoint='http://modelarts.private.example')
    send = RecordingSend(catalog(('public', 'eu-de', 'http://modelarts.private.example')))
    assert PasswordAuthenticator(settings, send).headers_for('GET', 'x', {})['X-Auth-Token'] == 'issued-token'
    assert send.urls[0].endswith('?nocatalog=true')


def test_a_plain_http_iam_may_list_a_plain_http_catalog_endpoint():
    # The password itself went in clear already; refusing would protect nothing (the emulator's default set-up).
    settings = password_settings(auth_url='http://iam.private.example/v3')
    authenticator = PasswordAuthenticator(settings, RecordingSend(catalog(('public', 'eu-de', 'http://ma.example'))))
    authenticator.resolve_project(settings)
    assert authenticator.catalog_endpoint == 'http://ma.example'


@pytest.mark.parametrize('url, base', [
    ('https://ma.example/v1/%s' % PROJECT_ID, 'https://ma.example'),
    ('https://ma.example/v1/%s/' % PROJECT_ID, 'https://ma.example'),
    ('https://ma.example/v1/$(project_id)s', 'https://ma.example'),
    ('https://ma.example/v1', 'https://ma.example'),
    ('https://ma.example/prefix/', 'https://ma.example/prefix'),
    ('https://ma.example', 'https://ma.example'),
])
def test_a_catalog_url_with_the_api_path_is_used_as_its_base(url, base):
    assert modelarts_url_from_catalog(catalog(('public', 'eu-de', url)), 'eu-de', 'public', PROJECT_ID) == base


def test_the_catalog_endpoint_follows_interface_and_region():
    listed = catalog(('internal', 'eu-de', 'https://internal'), ('public', 'eu-nl', 'https://nl'),
                     ('public', 'eu-de', 'https://de'))
    assert modelarts_url_from_catalog(listed, 'eu-de', 'public', PROJECT_ID) == 'https://de'
    assert modelarts_url_from_catalog(listed, 'eu-de', 'internal', PROJECT_ID) == 'https://internal'
    assert modelarts_url_from_catalog(listed, 'eu-ch2', 'public', PROJECT_ID) is None


def test_interface_must_be_a_keystone_interface():
    with pytest.raises(OptionError, match='^interface must be one of public, internal, admin'):
        password_settings(interface='private')


# -- login failures

def test_a_refused_login_has_its_own_hint():
    hint = _hint(401, None, 'POST', '/v3/auth/tokens')
    for word in ('username', 'password', 'domain_name', 'domain_id', 'project_name', 'project_id', 'role'):
        assert word in hint
    assert 'expired' not in hint


def test_a_refused_api_call_keeps_the_token_hint():
    assert 'expired token' in _hint(401, 'ModelArts.0203', 'GET', '/v1/p/training-jobs/versions')


def test_params_with_cloud_read_the_entry_once_for_per_project_regions(clouds):
    # The inventory asks each project in its own region; the entry names one region only.
    clouds(OTC_SAMPLE.replace('profile: otc', 'region_name: eu-de'), 'clouds: {otc: {auth: {password: p}}}')
    params = params_with_cloud(dict(cloud='otc', region=None))
    assert (params['cloud'], params['username'], params['region']) == (None, 'robot', 'eu-de')
    params.update(region='eu-nl', project_id=PROJECT_ID, project_name=None)
    assert ConnectionSettings(params).region == 'eu-nl'


def test_verify_false_from_clouds_yaml_is_warned_about(clouds):
    clouds('clouds: {x: {region_name: eu-de, verify: false, auth: {token: t, project_id: %s}}}' % PROJECT_ID)
    assert ConnectionSettings(dict(cloud='x')).warnings == [
        "validate_certs is false (verify or insecure in the clouds.yaml entry 'x'): the TLS certificate of the "
        "endpoints is not verified"]
    # An explicit validate_certs=false is warned about by the plugins themselves, once.
    assert ConnectionSettings(dict(cloud='x', validate_certs=False)).warnings == []
