# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""ConnectionSettings: endpoints per region, credential checks and clouds.yaml entries."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.mlops.modelarts.plugins.module_utils._auth import ConnectionSettings
from ansible_collections.mlops.modelarts.plugins.module_utils._errors import OptionError

PROJECT_ID = '0a1b2c3d4e5f60718293a4b5c6d7e8f9'


def token_settings(**options):
    params = dict(token='a-token', project_id=PROJECT_ID)
    params.update(options)
    return ConnectionSettings(params)


def password_options(**options):
    params = dict(region='eu-de', username='user', password='pass', domain_name='domain', project_name='eu-de_demo')
    params.update(options)
    return params


@pytest.mark.parametrize('region, endpoint, auth_url', [
    ('eu-de', 'https://modelarts.eu-de.otc.t-systems.com', 'https://iam.eu-de.otc.t-systems.com/v3'),
    ('eu-nl', 'https://modelarts.eu-nl.otc.t-systems.com', 'https://iam.eu-nl.otc.t-systems.com/v3'),
    ('cn-north-4', 'https://modelarts.cn-north-4.myhuaweicloud.com', 'https://iam.cn-north-4.myhuaweicloud.com/v3'),
    ('ap-southeast-2', 'https://modelarts.ap-southeast-2.myhuaweicloud.com', 'https://iam.ap-southeast-2.myhuaweicloud.com/v3'),
    ('ap-southeast-1', 'https://modelarts.ap-southeast-1.myhuaweicloud.cn', 'https://iam.ap-southeast-1.myhuaweicloud.cn/v3'),
    ('eu-west-101', 'https://modelarts.eu-west-101.myhuaweicloud.eu', 'https://iam.eu-west-101.myhuaweicloud.eu/v3'),
])
def test_endpoints_are_derived_from_the_region(region, endpoint, auth_url):
    settings = token_settings(region=region)
    assert (settings.endpoint, settings.auth_url) == (endpoint, auth_url)


def test_explicit_endpoint_and_auth_url_win_over_the_region():
    settings = token_settings(region='eu-de', endpoint='https://modelarts.example.test/', auth_url='https://iam.example.test/v3/')
    assert settings.endpoint == 'https://modelarts.example.test'
    assert settings.auth_url == 'https://iam.example.test/v3'


def test_unknown_region_fails_naming_region_and_the_known_ones():
    with pytest.raises(OptionError) as caught:
        token_settings(region='mars-north-1')
    message = str(caught.value)
    assert message.startswith("region: 'mars-north-1' is not a known region")
    assert 'eu-de' in message and 'set endpoint' in message


def test_unknown_region_with_an_endpoint_is_fine():
    assert token_settings(region='mars-north-1', endpoint='https://modelarts.example.test').endpoint == \
        'https://modelarts.example.test'


def test_neither_region_nor_endpoint_fails_saying_to_set_one():
    with pytest.raises(OptionError, match='set region .* or endpoint'):
        token_settings()


def test_password_login_with_an_unknown_region_needs_auth_url():
    with pytest.raises(OptionError, match='^auth_url is required'):
        ConnectionSettings(password_options(region='mars-north-1'))


def test_endpoint_must_be_an_http_url():
    with pytest.raises(OptionError, match='^endpoint must be an http'):
        token_settings(endpoint='modelarts.example.test')


@pytest.mark.parametrize('options, named', [
    (dict(token='t', access_key='ak', secret_key='sk'), ['token', 'access_key/secret_key']),
    (dict(token='t', username='u', password='p'), ['token', 'username/password']),
    (dict(access_key='ak', secret_key='sk', password='p'), ['access_key/secret_key', 'username/password']),
])
def test_conflicting_credentials_fail_naming_both_methods(options, named):
    with pytest.raises(OptionError) as caught:
        ConnectionSettings(dict(options, region='eu-de', project_id=PROJECT_ID))
    message = str(caught.value)
    assert message.startswith('conflicting credentials')
    for name in named:
        assert name in message


def test_no_credentials_fail_listing_the_ways_to_give_them():
    with pytest.raises(OptionError) as caught:
        ConnectionSettings(dict(region='eu-de', project_id=PROJECT_ID))
    for name in ('token', 'access_key', 'secret_key', 'username', 'password', 'cloud'):
        assert name in str(caught.value)


@pytest.mark.parametrize('options, message', [
    (dict(access_key='ak'), 'access_key and secret_key must be given together'),
    (dict(secret_key='sk'), 'access_key and secret_key must be given together'),
    (dict(token='t', security_token='sts'), 'security_token is only used with access_key and secret_key'),
    (dict(token='t', project_id=None), 'project_id is required with token authentication'),
    (dict(token='t', project_id='  '), 'project_id must not be empty'),
])
def test_incomplete_credentials_fail_naming_what_is_missing(options, message):
    params = dict(region='eu-de', project_id=PROJECT_ID)
    params.update(options)
    with pytest.raises(OptionError) as caught:
        ConnectionSettings(params)
    assert str(caught.value).startswith(message)


@pytest.mark.parametrize('missing, message', [
    ('password', 'username and password must be given together'),
    ('username', 'username and password must be given together'),
    ('domain_name', 'domain_name or domain_id is required'),
    ('project_name', 'project_id or project_name is required'),
])
def test_incomplete_password_login_fails_naming_what_is_missing(missing, message):
    params = password_options()
    del params[missing]
    with pytest.raises(OptionError) as caught:
        ConnectionSettings(params)
    assert str(caught.value).startswith(message)


@pytest.mark.parametrize('options, method', [
    (dict(token='t', project_id=PROJECT_ID), 'token'),
    (dict(access_key='ak', secret_key='sk', project_id=PROJECT_ID), 'aksk'),
    (password_options(), 'password'),
])
def test_one_complete_method_is_chosen(options, method):
    assert ConnectionSettings(dict(options, region='eu-de')).auth_method == method


@pytest.mark.parametrize('option, value', [('timeout', 0), ('timeout', 'soon'), ('retries', -1), ('retries', 21),
                                           ('retries', True)])
def test_timeout_and_retries_out_of_range_fail_naming_the_option(option, value):
    with pytest.raises(OptionError, match='^%s must be a number' % option):
        token_settings(region='eu-de', **{option: value})


def test_secrets_are_listed_for_redaction():
    settings = ConnectionSettings(dict(region='eu-de', project_id=PROJECT_ID, access_key='ak-value',
                                       secret_key='sk-value', security_token='sts-value'))
    assert set(settings.secrets()) == {'ak-value', 'sk-value', 'sts-value'}


def test_tls_verification_follows_validate_certs_and_ca_path():
    assert token_settings(region='eu-de').tls_verify() is True
    assert token_settings(region='eu-de', validate_certs=False).tls_verify() is False
    assert token_settings(region='eu-de', ca_path='/etc/ca.pem').tls_verify() == '/etc/ca.pem'


# -- clouds.yaml

CLOUDS_YAML = '''
clouds:
  otc:
    region_name: eu-nl
    verify: false
    cacert: /etc/otc-ca.pem
    auth:
      auth_url: https://iam.eu-nl.otc.t-systems.com/v3
      username: cloud-user
      password: cloud-password
      user_domain_name: OTC-EU-NL-000000000010000
      project_name: eu-nl_project
  aksk:
    region_name: eu-de
    auth:
      ak: CLOUDSAK
      sk: CLOUDSSK
      project_id: 0a1b2c3d4e5f60718293a4b5c6d7e8f9
    modelarts_endpoint_override: https://modelarts.example.test
'''


@pytest.fixture
def clouds_yaml(tmp_path, monkeypatch):
    path = tmp_path / 'my-clouds.yaml'
    path.write_text(CLOUDS_YAML)
    monkeypatch.setenv('OS_CLIENT_CONFIG_FILE', str(path))
    return path


def test_clouds_yaml_entry_gives_credentials_and_region(clouds_yaml):
    settings = ConnectionSettings(dict(cloud='otc'))
    assert settings.auth_method == 'password'
    assert (settings.username, settings.password, settings.domain_name) == (
        'cloud-user', 'cloud-password', 'OTC-EU-NL-000000000010000')
    assert settings.project_name == 'eu-nl_project'
    assert settings.region == 'eu-nl'
    assert settings.endpoint == 'https://modelarts.eu-nl.otc.t-systems.com'


def test_clouds_yaml_entry_gives_tls_settings(clouds_yaml):
    settings = ConnectionSettings(dict(cloud='otc'))
    assert settings.validate_certs is False
    assert settings.ca_path == '/etc/otc-ca.pem'


def test_clouds_yaml_ak_sk_and_endpoint_override_are_read(clouds_yaml):
    settings = ConnectionSettings(dict(cloud='aksk'))
    assert settings.auth_method == 'aksk'
    assert (settings.access_key, settings.secret_key) == ('CLOUDSAK', 'CLOUDSSK')
    assert settings.endpoint == 'https://modelarts.example.test'


def test_explicit_options_win_over_the_clouds_yaml_entry(clouds_yaml):
    settings = ConnectionSettings(dict(cloud='otc', region='eu-nl', password='explicit-password', project_name=None))
    assert settings.region == 'eu-nl'
    assert settings.password == 'explicit-password'
    assert settings.project_name == 'eu-nl_project'


def test_a_region_the_entry_does_not_have_fails_naming_its_regions(clouds_yaml):
    # openstacksdk refuses it too: the entry's region_name lists the regions it is valid for.
    with pytest.raises(OptionError, match=r"^region: 'eu-de' is not a region of cloud 'otc' \(its regions: eu-nl\)"):
        ConnectionSettings(dict(cloud='otc', region='eu-de'))


def test_missing_clouds_yaml_entry_fails_naming_cloud_and_the_files_searched(clouds_yaml):
    with pytest.raises(OptionError) as caught:
        ConnectionSettings(dict(cloud='nowhere'))
    message = str(caught.value)
    assert message.startswith("cloud: no entry 'nowhere' in clouds.yaml")
    assert str(clouds_yaml) in message


def test_a_clouds_yaml_that_does_not_parse_is_skipped_and_named(tmp_path, monkeypatch):
    # openstacksdk skips it with a warning and reads the next file; the message says why it was left out.
    path = tmp_path / 'broken.yaml'
    path.write_text('clouds: [unclosed\n')
    monkeypatch.setenv('OS_CLIENT_CONFIG_FILE', str(path))
    with pytest.raises(OptionError) as caught:
        ConnectionSettings(dict(cloud='otc'))
    assert str(caught.value).startswith("cloud: no entry 'otc' in clouds.yaml")
    assert '%s (not valid YAML at line 2)' % path in str(caught.value)


def test_clouds_yaml_in_the_working_directory_is_found(tmp_path):
    # The test runs in an empty temporary folder (see conftest.py).
    (tmp_path / 'clouds.yaml').write_text(CLOUDS_YAML)
    assert ConnectionSettings(dict(cloud='aksk')).access_key == 'CLOUDSAK'


def test_a_password_login_without_region_or_auth_url_does_not_call_a_missing_region_unknown():
    with pytest.raises(OptionError) as caught:
        ConnectionSettings(password_options(region=None))
    assert str(caught.value).startswith('auth_url is required with username/password when no region or an unknown region is set')
