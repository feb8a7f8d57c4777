# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""TLS: the emulator serves HTTPS with a certificate from a CA made here (server certificate for IP 127.0.0.1).

An unknown CA fails clearly by default, ca_path makes it work, validate_certs=false works with a warning, and none
of this depends on REQUESTS_CA_BUNDLE, which requests would otherwise let override ca_path and validate_certs.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import datetime
import ipaddress
import json
import os
import sys

import pytest

from conftest import REPO_ROOT

from tests.emulator.harness import DEFAULT_DOMAIN, DEFAULT_PASSWORD, DEFAULT_PROJECT_NAME, DEFAULT_TOKEN, DEFAULT_USER, Emulator

for _entry in reversed((os.environ.get('ANSIBLE_COLLECTIONS_PATH') or os.path.join(REPO_ROOT, 'build', 'collections')).split(os.pathsep)):
    if _entry and _entry not in sys.path:
        sys.path.insert(0, _entry)

import certifi  # noqa: E402  (a dependency of requests)
from cryptography import x509  # noqa: E402  (a dependency of ansible-core)
from cryptography.hazmat.primitives import hashes, serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec  # noqa: E402
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID  # noqa: E402

from ansible_collections.mlops.modelarts.plugins.module_utils._errors import ModelArtsError  # noqa: E402
from ansible_collections.mlops.modelarts.plugins.module_utils._options import run_query  # noqa: E402

BUNDLE_VARIABLES = ('REQUESTS_CA_BUNDLE', 'CURL_CA_BUNDLE')


def _name(common_name):
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _certificate(subject, issuer, public_key, signing_key, extensions):
    now = datetime.datetime.now(datetime.timezone.utc)
    builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(public_key)
               .serial_number(x509.random_serial_number())
               .not_valid_before(now - datetime.timedelta(hours=1)).not_valid_after(now + datetime.timedelta(days=1)))
    for extension, critical in extensions:
        builder = builder.add_extension(extension, critical=critical)
    return builder.sign(signing_key, hashes.SHA256())


def make_pki(directory):
    """Write ca.pem, cert.pem (for IP 127.0.0.1 only, signed by the CA) and key.pem; give back their paths."""
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_usage = x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                             data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
                             encipher_only=False, decipher_only=False)
    ca = _certificate(_name('mlops.modelarts test CA'), _name('mlops.modelarts test CA'), ca_key.public_key(), ca_key, [
        (x509.BasicConstraints(ca=True, path_length=None), True), (ca_usage, True),
        (x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)])
    key = ec.generate_private_key(ec.SECP256R1())
    cert = _certificate(_name('127.0.0.1'), ca.subject, key.public_key(), ca_key, [
        (x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address('127.0.0.1'))]), False),
        (x509.BasicConstraints(ca=False, path_length=None), True),
        (x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), False),
        (x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False)])
    paths = dict((name, os.path.join(str(directory), name + '.pem')) for name in ('ca', 'cert', 'key'))
    with open(paths['ca'], 'wb') as handle:
        handle.write(ca.public_bytes(serialization.Encoding.PEM))
    with open(paths['cert'], 'wb') as handle:
        handle.write(cert.public_bytes(serialization.Encoding.PEM))
    with open(paths['key'], 'wb') as handle:
        handle.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))
    return paths


@pytest.fixture(scope='module')
def pki(tmp_path_factory):
    return make_pki(tmp_path_factory.mktemp('pki'))


@pytest.fixture(scope='module')
def https_emulator(pki):
    with Emulator(versions=40, tls_cert=pki['cert'], tls_key=pki['key']) as running:
        yield running


@pytest.fixture
def system_bundle(monkeypatch):
    """The environment names the public CA bundle (certifi's), which does not hold the test CA."""
    for name in BUNDLE_VARIABLES:
        monkeypatch.setenv(name, certifi.where())


def options(emulator, **extra):
    params = dict(endpoint=emulator.url, region='eu-de', token=DEFAULT_TOKEN, project_id=emulator.project_id, retries=1,
                  timeout=5.0)
    params.update(extra)
    return params


def test_https_endpoint_signed_by_an_unknown_ca_fails_clearly(https_emulator, system_bundle):
    with pytest.raises(ModelArtsError) as caught:
        run_query(options(https_emulator))
    assert str(caught.value) == (
        'TLS verification failed for GET /v1/%s/training-jobs/versions at %s: certificate verify failed: unable to '
        'get local issuer certificate (set ca_path to the CA bundle that signed the endpoint certificate)'
        % (https_emulator.project_id, https_emulator.url.split('://', 1)[1]))


def test_https_endpoint_without_bundle_variables_fails_on_an_unknown_ca(https_emulator, monkeypatch):
    for name in BUNDLE_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(ModelArtsError, match='certificate verify failed: unable to get local issuer certificate'):
        run_query(options(https_emulator))


def test_ca_path_makes_the_https_endpoint_work(https_emulator, pki, system_bundle):
    result, warnings = run_query(options(https_emulator, ca_path=pki['ca']))
    assert len(result['versions']) == 40
    assert warnings == []


def test_ca_path_wins_over_requests_ca_bundle(https_emulator, pki, system_bundle):
    # REQUESTS_CA_BUNDLE is set on many hosts; requests would let it replace the session's CA bundle.
    result, dummy = run_query(options(https_emulator, ca_path=pki['ca']))
    assert result['total_count'] == 40


def test_validate_certs_false_works_even_with_requests_ca_bundle_set(https_emulator, system_bundle):
    result, dummy = run_query(options(https_emulator, validate_certs=False))
    assert len(result['versions']) == 40


def test_password_login_to_https_iam_uses_ca_path(https_emulator, pki, system_bundle):
    params = dict(endpoint=https_emulator.url, auth_url=https_emulator.auth_url, username=DEFAULT_USER,
                  password=DEFAULT_PASSWORD, domain_name=DEFAULT_DOMAIN, project_name=DEFAULT_PROJECT_NAME,
                  ca_path=pki['ca'], retries=1, timeout=5.0)
    result, dummy = run_query(params)
    assert len(result['versions']) == 40


def test_password_login_to_https_iam_with_an_unknown_ca_fails_clearly(https_emulator, system_bundle):
    params = dict(endpoint=https_emulator.url, auth_url=https_emulator.auth_url, username=DEFAULT_USER,
                  password=DEFAULT_PASSWORD, domain_name=DEFAULT_DOMAIN, project_name=DEFAULT_PROJECT_NAME,
                  retries=1, timeout=5.0)
    with pytest.raises(ModelArtsError, match=r'^TLS verification failed for POST /v3/auth/tokens at 127\.0\.0\.1:\d+: '
                                             r'certificate verify failed'):
        run_query(params)


def test_certificate_for_another_host_name_fails_clearly(https_emulator, pki):
    endpoint = https_emulator.url.replace('127.0.0.1', 'localhost')
    with pytest.raises(ModelArtsError) as caught:
        run_query(options(https_emulator, endpoint=endpoint, ca_path=pki['ca']))
    assert str(caught.value) == (
        "TLS verification failed for GET /v1/%s/training-jobs/versions at %s: certificate verify failed: Hostname "
        "mismatch, certificate is not valid for 'localhost' (the certificate was issued for another host name: use the "
        "name it was issued for)" % (https_emulator.project_id, endpoint.split('://', 1)[1]))


# -- through ansible-playbook: one run, three tasks -----------------------------------------------------------------

PLAYBOOK = '''
- hosts: localhost
  gather_facts: false
  tasks:
    - name: default
      mlops.modelarts.training_job_version_info: %(default)s
      ignore_errors: true
    - name: ca_path
      mlops.modelarts.training_job_version_info: %(ca_path)s
    - name: no validation
      mlops.modelarts.training_job_version_info: %(no_validation)s
    - name: lookup, default
      ansible.builtin.debug:
        msg: "{{ lookup('mlops.modelarts.training_job_versions', result='count', **tls_default) }}"
      ignore_errors: true
    - name: lookup, ca_path
      ansible.builtin.debug:
        msg: "{{ lookup('mlops.modelarts.training_job_versions', result='count', **tls_ca_path) }}"
    - name: lookup, no validation
      ansible.builtin.debug:
        msg: "{{ lookup('mlops.modelarts.training_job_versions', result='count', **tls_no_validation) }}"
    - name: catalog over http
      mlops.modelarts.training_job_version_info: %(catalog_over_http)s
      ignore_errors: true
'''


@pytest.fixture(scope='module')
def plain_http_modelarts():
    """A ModelArts on plain http that the https IAM's catalog lists in the task `catalog over http`."""
    with Emulator(versions=1) as running:
        yield running


@pytest.fixture(scope='module')
def playbook_run(https_emulator, pki, plain_http_modelarts, run_playbook_once):
    env = dict((name, certifi.where()) for name in BUNDLE_VARIABLES)
    default, ca_path = options(https_emulator), options(https_emulator, ca_path=pki['ca'])
    no_validation = options(https_emulator, validate_certs=False)
    # A password login at the https IAM of a private cloud (no endpoint): ModelArts comes from its catalog.
    catalog_over_http = dict(region='eu-de', auth_url=https_emulator.auth_url, username=DEFAULT_USER,
                             password=DEFAULT_PASSWORD, domain_name=DEFAULT_DOMAIN, project_name=DEFAULT_PROJECT_NAME,
                             ca_path=pki['ca'], retries=1, timeout=5.0)
    https_emulator.configure(catalog_url=plain_http_modelarts.url)
    try:
        return run_playbook_once(PLAYBOOK % dict(
            default=json.dumps(default), ca_path=json.dumps(ca_path), no_validation=json.dumps(no_validation),
            catalog_over_http=json.dumps(catalog_over_http)), env=env,
            extra_vars=dict(tls_default=default, tls_ca_path=ca_path, tls_no_validation=no_validation))
    finally:
        https_emulator.configure(catalog_url=None)


def test_playbook_fails_on_an_unknown_ca_by_default(playbook_run):
    result = playbook_run.result('default')
    assert result['failed'] is True
    assert result['msg'].startswith('TLS verification failed for GET ')
    assert 'Traceback' not in json.dumps(result)


def test_playbook_succeeds_with_ca_path(playbook_run):
    result = playbook_run.result('ca_path')
    assert result['total_count'] == 40
    assert 'warnings' not in result


def test_playbook_warns_when_validate_certs_is_false(playbook_run):
    result = playbook_run.result('no validation')
    assert result['total_count'] == 40
    assert result['warnings'] == ['validate_certs is false: the TLS certificate of the endpoints is not verified']


def test_lookup_fails_on_an_unknown_ca_by_default(playbook_run):
    result = playbook_run.result('lookup, default')
    assert result['failed'] is True
    assert 'TLS verification failed for GET ' in result['msg']
    assert 'certificate verify failed: unable to get local issuer certificate' in result['msg']


def test_lookup_succeeds_with_ca_path(playbook_run):
    assert playbook_run.result('lookup, ca_path')['msg'] == 40


def test_lookup_warns_when_validate_certs_is_false(playbook_run):
    result = playbook_run.result('lookup, no validation')
    assert result['msg'] == 40
    assert result['warnings'] == ['validate_certs is false: the TLS certificate of the endpoints is not verified']


def test_no_urllib3_noise_on_stderr_when_validate_certs_is_false(playbook_run):
    # The plugins' own warning says it once; urllib3's per-request InsecureRequestWarning would reach stderr
    # (from a lookup as "WorkerProcess ... errantly sent data directly to stderr").
    assert 'InsecureRequestWarning' not in playbook_run.stderr + playbook_run.stdout


def test_playbook_refuses_to_send_the_token_to_a_plain_http_endpoint_an_https_iam_lists(
        playbook_run, https_emulator, plain_http_modelarts):
    result = playbook_run.result('catalog over http')
    assert result['failed'] is True
    assert result['msg'] == (
        'the IAM at %s (reached over https) lists the modelarts endpoint %s, whose scheme is http://, not https: the '
        'token it issued is not sent there in clear. Set endpoint to the https URL of ModelArts, or to that URL to '
        'accept plain http' % (https_emulator.auth_url.split('://', 1)[1].split('/', 1)[0], plain_http_modelarts.url))
    assert 'Traceback' not in json.dumps(result)
    assert plain_http_modelarts.log() == []  # no request reached it, hence no token
