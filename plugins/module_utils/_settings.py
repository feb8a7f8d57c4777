# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The connection settings: options, the environment and a clouds.yaml entry resolved and checked before any request."""

from __future__ import absolute_import, annotations, division, print_function
__metaclass__ = type

import re
from typing import Any, Dict, List, Mapping, Optional, Union

from urllib.parse import urlsplit

from ansible_collections.mlops.modelarts.plugins.module_utils._clouds import options_from_cloud, resolve_cloud
from ansible_collections.mlops.modelarts.plugins.module_utils._credentials import (
    METHOD_OPTIONS, choose_method, is_given, named_methods, with_environment_credentials,
)
from ansible_collections.mlops.modelarts.plugins.module_utils._errors import OptionError
from ansible_collections.mlops.modelarts.plugins.module_utils._regions import (
    iam_url_for_region, is_public_iam, known_regions_text, modelarts_endpoint_for_region,
)


# A project id is a path segment of every request: letters, digits, - and _ only (IAM ids are 32 hex digits).
PROJECT_ID_PATTERN = re.compile(r'\A[A-Za-z0-9_-]+\Z')
# Options sent in an HTTP header: a header carries visible ASCII (and inner spaces) only; anything else would be
# refused by the HTTP library with a message quoting the value.
HEADER_OPTIONS = ('token', 'access_key', 'security_token')
_HEADER_SAFE = re.compile(r'\A[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?\Z')


def check_header_value(name: str, value: Optional[str]) -> None:
    """Raise OptionError (naming the option, never quoting the value) when value cannot go into an HTTP header."""
    if value is None or _HEADER_SAFE.match(value):
        return
    if '\r' in value or '\n' in value:
        what = 'a line break'
    elif value != value.strip():
        what = 'leading or trailing white space'
    elif any(ord(character) > 0x7e for character in value):
        what = 'a character outside ASCII'
    else:
        what = 'a control character'
    raise OptionError('%s contains %s, which an HTTP header cannot carry (check for a stray character pasted with '
                      'it; the value is not shown since it is a credential)' % (name, what))


# Options given together by the user stand for one choice: the entry does not add the other of a pair.
EXCLUSIVE_PAIRS = (('domain_name', 'domain_id'), ('project_domain_name', 'project_domain_id'))
INTERFACES = ('public', 'internal', 'admin')


def _in_range(name: str, value: Any, default: float, lowest: float, highest: float) -> float:
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not lowest <= value <= highest:
        raise OptionError('%s must be a number from %s to %s; got %r' % (name, lowest, highest, value))
    return value


def _fill_from_cloud(params: Dict[str, Any], cloud_options: Dict[str, Any]) -> None:
    """Fill the options still empty in params from a clouds.yaml entry; explicit options (and env) win."""
    named = named_methods(params)
    for method, names in METHOD_OPTIONS.items():
        if named and method not in named:
            for name in names:
                cloud_options.pop(name, None)
    for pair in EXCLUSIVE_PAIRS:
        if any(is_given(params, name) for name in pair):
            for name in pair:
                cloud_options.pop(name, None)
    for option, value in cloud_options.items():
        if not is_given(params, option):
            params[option] = value


def _whole_in_range(name: str, value: Any, default: int, lowest: int, highest: int) -> int:
    if value is None:
        return default
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)  # from an environment variable or an untyped plugin option
    if isinstance(value, bool) or not isinstance(value, int) or not lowest <= value <= highest:
        raise OptionError('%s must be a whole number from %d to %d; got %r' % (name, lowest, highest, value))
    return value


def params_with_cloud(params: Mapping[str, Any]) -> Dict[str, Any]:
    """Give back a copy of params with the credentials' environment variables and the clouds.yaml entry's options
    filled in, and `cloud` cleared.

    For callers that derive several settings from one set of options (the inventory's per-project queries, in
    another region each): the entry is read once, for the region the user gave. The environment is read first, as
    ConnectionSettings reads it, so that it wins over the entry there too.
    """
    params, dummy = with_environment_credentials(params)
    if params.get('cloud'):
        resolved = resolve_cloud(params['cloud'], region_name=params.get('region') or None)
        _fill_from_cloud(params, options_from_cloud(resolved))
        params['cloud'] = None
    return params


# What every plugin warns when the validate_certs option is false (clouds.yaml's verify: ConnectionSettings.warnings).
UNVERIFIED_TLS = 'the TLS certificate of the endpoints is not verified'
UNVERIFIED_TLS_WARNING = 'validate_certs is false: ' + UNVERIFIED_TLS


class ConnectionSettings(object):
    """Everything needed to reach one ModelArts project, resolved and checked before any request.

    With `account=True` the settings serve IAM calls for the whole account (listing its projects): no project
    and no ModelArts endpoint are needed, and a password login without a project is scoped to the domain.
    """

    def __init__(self, params: Mapping[str, Any], account: bool = False,
                 environment: Optional[Mapping[str, str]] = None) -> None:
        self.account = account
        # {option: environment variable} of the credentials read from `environment` (os.environ by default).
        params, self.credentials_from_environment = with_environment_credentials(params, environment)
        explicit_validate_certs = params.get('validate_certs')
        cloud = params.get('cloud')
        self.cloud = None
        if cloud:
            self.cloud = resolve_cloud(cloud, region_name=params.get('region') or None)
            _fill_from_cloud(params, options_from_cloud(self.cloud))
        self.region: Optional[str] = params.get('region')
        self.project_id: Optional[str] = params.get('project_id')
        self.project_name: Optional[str] = params.get('project_name')
        self.domain_name = params.get('domain_name')
        self.domain_id = params.get('domain_id')
        # From clouds.yaml only: the domain of project_name when it is not the user's.
        self.project_domain_name = params.get('project_domain_name')
        self.project_domain_id = params.get('project_domain_id')
        self.username = params.get('username')
        self.password = params.get('password')
        self.token = params.get('token')
        self.access_key = params.get('access_key')
        self.secret_key = params.get('secret_key')
        self.security_token = params.get('security_token')
        # No default in the argument spec, so that a clouds.yaml entry's verify can apply; unset means verify.
        self.validate_certs = params.get('validate_certs') is not False
        # Warnings the plugins cannot see in their own options (they warn about validate_certs=false themselves).
        self.warnings = list(self.cloud.files.warnings) if self.cloud is not None else []
        if self.cloud is not None and not self.validate_certs and explicit_validate_certs is not False:
            self.warnings.append('validate_certs is false (verify or insecure in the clouds.yaml entry %r): %s'
                                 % (self.cloud.name, UNVERIFIED_TLS))
        self.ca_path: Optional[str] = params.get('ca_path')
        self.interface: str = params.get('interface') or 'public'
        self.timeout = _in_range('timeout', params.get('timeout'), 30.0, 0.1, 3600)
        self.retries = _in_range('retries', params.get('retries'), 4, 0, 20)
        self.max_concurrent_requests = _whole_in_range('max_concurrent_requests', params.get('max_concurrent_requests'),
                                                       4, 1, 16)
        try:
            self.auth_method: str = choose_method(params, self.credentials_from_environment)
            self.auth_url_given = bool(params.get('auth_url'))
            self.auth_url: Optional[str] = (params.get('auth_url') or '').rstrip('/') or iam_url_for_region(self.region)
            self.endpoint: Optional[str] = (params.get('endpoint') or '').rstrip('/') or None
            self.endpoint_given = self.endpoint is not None
            if not self.endpoint and not self.endpoint_from_catalog():
                self.endpoint = modelarts_endpoint_for_region(self.region)
            self._check_complete()
        except OptionError as exc:
            if self.cloud is None:
                raise
            raise OptionError('%s (%s)' % (exc, self.cloud.describe()))

    def endpoint_from_catalog(self) -> bool:
        """Say whether the ModelArts endpoint must come from the IAM catalog, as keystoneauth would take it.

        A password login at an IAM that is not a public one of the region's cloud (a dedicated or private cloud) is
        answered with that cloud's catalog: the public region table would send its token to a host the user never
        named.
        """
        return self.auth_method == 'password' and not is_public_iam(self.auth_url, self.region)

    def endpoint_outside_named_cloud(self) -> bool:
        """Say whether the region table's public endpoint would serve a cloud that auth_url says is another one.

        A token or an AK/SK signature (with the access key id) would leave for a host the user never named, while
        auth_url names a dedicated or private cloud. keystoneauth would ask that IAM's catalog; the collection does so
        only after a password login, so a token or AK/SK needs the endpoint named. Account settings (the inventory's
        project listing) ask only the IAM at auth_url, never ModelArts.
        """
        return (self.auth_method in ('token', 'aksk') and not self.account and self.endpoint is not None
                and not self.endpoint_given and self.auth_url_given and not is_public_iam(self.auth_url, self.region))

    def _check_complete(self) -> None:
        if self.auth_method == 'aksk' and not (self.access_key and self.secret_key):
            raise OptionError('access_key and secret_key must be given together')
        if self.auth_method != 'aksk' and self.security_token:
            raise OptionError('security_token is only used with access_key and secret_key')
        if self.auth_method == 'password':
            if not (self.username and self.password):
                raise OptionError('username and password must be given together')
            if self.domain_name and self.domain_id:
                raise OptionError('domain_name and domain_id are mutually exclusive; give one of them')
            if not (self.domain_name or self.domain_id):
                raise OptionError('domain_name or domain_id is required with username/password (the IAM account)')
            if not (self.project_id or self.project_name or self.account):
                raise OptionError('project_id or project_name is required with username/password')
            if not self.auth_url:
                raise OptionError('auth_url is required with username/password when no region or an unknown region is '
                                  'set (known: %s)' % known_regions_text())
        elif not (self.project_id or self.account):
            raise OptionError('project_id is required with %s authentication (project_name can only be resolved '
                              'by an IAM login with username/password)' % self.auth_method)
        if self.project_id is not None and not self.project_id.strip():
            raise OptionError('project_id must not be empty')
        if self.project_id is not None and not PROJECT_ID_PATTERN.match(self.project_id):
            # It becomes a path segment of every request: '../' or '?' would send the token elsewhere.
            raise OptionError('project_id must be letters, digits, - and _ only (an IAM project id is 32 hex digits); '
                              'got %r' % (self.project_id,))
        for name in HEADER_OPTIONS:
            check_header_value(name, getattr(self, name))
        if self.account and not self.auth_url:
            raise OptionError('auth_url (the IAM v3 URL) is required to list the projects when no region or an '
                              'unknown region is set (known: %s)' % known_regions_text())
        if not self.endpoint and self.auth_method != 'password' and not self.account:
            if self.region:
                raise OptionError('region: %r is not a known region (known: %s); set endpoint to the ModelArts URL'
                                  % (self.region, known_regions_text()))
            raise OptionError('set region (for example eu-de) or endpoint to say which ModelArts to ask')
        if self.endpoint_outside_named_cloud():
            method = 'a token' if self.auth_method == 'token' else 'access_key/secret_key'
            raise OptionError('auth_url %r is not a public IAM of region %r (a dedicated or private cloud?): with %s, '
                              'set endpoint to the ModelArts URL of that cloud' % (self.auth_url, self.region, method))
        for name in ('endpoint', 'auth_url'):
            url = getattr(self, name)
            if url and urlsplit(url).scheme not in ('http', 'https'):
                raise OptionError('%s must be an http:// or https:// URL, got %r' % (name, url))
        if self.interface not in INTERFACES:
            raise OptionError('interface must be one of %s; got %r' % (', '.join(INTERFACES), self.interface))

    def secrets(self) -> List[str]:
        """Give back every secret value these settings hold, for redaction."""
        return [value for value in (self.password, self.token, self.secret_key, self.security_token, self.access_key) if value]

    def tls_verify(self) -> Union[bool, str]:
        """Give back what requests expects for `verify`."""
        if not self.validate_certs:
            return False
        return self.ca_path or True
