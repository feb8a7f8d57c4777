# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Credentials and endpoints: clouds.yaml, region tables, IAM tokens and AK/SK request signing."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import datetime
import hashlib
import hmac
import re
import threading

from urllib.parse import quote, unquote, urlsplit

from ansible_collections.mlops.modelarts.plugins.module_utils._clouds import options_from_cloud, resolve_cloud
from ansible_collections.mlops.modelarts.plugins.module_utils._errors import ModelArtsError, OptionError


# Open Telekom Cloud: region -> domain suffix shared by ModelArts and IAM.
OTC_REGION_DOMAINS = {
    'eu-de': 'otc.t-systems.com',
    'eu-nl': 'otc.t-systems.com',
    'eu-ch2': 'sc.otc.t-systems.com',
}
# Huawei Cloud: the documented exceptions to myhuaweicloud.com.
HUAWEI_REGION_DOMAINS = {
    'ap-southeast-1': 'myhuaweicloud.cn',
    'eu-west-101': 'myhuaweicloud.eu',
}
HUAWEI_REGIONS = (
    'af-north-1', 'af-south-1', 'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4',
    'cn-east-2', 'cn-east-3', 'cn-east-4', 'cn-north-1', 'cn-north-2', 'cn-north-4', 'cn-north-9',
    'cn-south-1', 'cn-south-2', 'cn-southwest-2', 'eu-west-0', 'eu-west-101', 'la-north-2', 'la-south-2',
    'me-east-1', 'na-mexico-1', 'sa-brazil-1', 'tr-west-1',
)

# A project id is a path segment of every request: letters, digits, - and _ only (IAM ids are 32 hex digits).
PROJECT_ID_PATTERN = re.compile(r'\A[A-Za-z0-9_-]+\Z')
# Options sent in an HTTP header: a header carries visible ASCII (and inner spaces) only; anything else would be
# refused by the HTTP library with a message quoting the value.
HEADER_OPTIONS = ('token', 'access_key', 'security_token')
_HEADER_SAFE = re.compile(r'\A[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?\Z')


def check_header_value(name, value):
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


# Options that belong to one authentication method: a clouds.yaml entry fills them only when no option of another
# method is given explicitly (an explicit token replaces the entry's password login instead of conflicting with it).
METHOD_OPTIONS = {'token': ('token',), 'aksk': ('access_key', 'secret_key', 'security_token'),
                  'password': ('username', 'password')}
# Options given together by the user stand for one choice: the entry does not add the other of a pair.
EXCLUSIVE_PAIRS = (('domain_name', 'domain_id'), ('project_domain_name', 'project_domain_id'))
INTERFACES = ('public', 'internal', 'admin')


def region_domain(region):
    """Give back the DNS suffix of a region's public endpoints, or None when the region is unknown."""
    if region in OTC_REGION_DOMAINS:
        return OTC_REGION_DOMAINS[region]
    if region in HUAWEI_REGION_DOMAINS:
        return HUAWEI_REGION_DOMAINS[region]
    if region in HUAWEI_REGIONS:
        return 'myhuaweicloud.com'
    return None


def known_regions_text():
    """Give back the known regions as a sentence for error messages."""
    return ', '.join(sorted(set(OTC_REGION_DOMAINS) | set(HUAWEI_REGIONS)))


def modelarts_endpoint_for_region(region):
    """Give back https://modelarts.<region>.<domain> for a known region, else None."""
    domain = region_domain(region)
    return 'https://modelarts.%s.%s' % (region, domain) if domain else None


def iam_url_for_region(region):
    """Give back the IAM v3 URL of a known region, else None."""
    domain = region_domain(region)
    if not domain:
        return None
    if region == 'eu-ch2':
        return 'https://iam-pub.eu-ch2.sc.otc.t-systems.com/v3'
    return 'https://iam.%s.%s/v3' % (region, domain)


# Huawei Cloud's global IAM, valid for every Huawei region.
HUAWEI_GLOBAL_IAM_HOST = 'iam.myhuaweicloud.com'


def is_public_iam(auth_url, region):
    """Say whether auth_url is a public IAM of the cloud the region belongs to (its tokens work in the region table)."""
    if not region_domain(region):
        return False
    parts = urlsplit(auth_url or '')
    same_cloud = [known for known in list(OTC_REGION_DOMAINS) + list(HUAWEI_REGIONS)
                  if (known in OTC_REGION_DOMAINS) == (region in OTC_REGION_DOMAINS)]
    hosts = set(urlsplit(iam_url_for_region(known)).hostname for known in same_cloud)
    if region not in OTC_REGION_DOMAINS:
        hosts.add(HUAWEI_GLOBAL_IAM_HOST)
    return parts.scheme == 'https' and parts.hostname in hosts


def _in_range(name, value, default, lowest, highest):
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not lowest <= value <= highest:
        raise OptionError('%s must be a number from %s to %s; got %r' % (name, lowest, highest, value))
    return value


def _fill_from_cloud(params, cloud_options):
    """Fill the options still empty in params from a clouds.yaml entry; explicit options (and env) win."""
    def given(name):
        return params.get(name) not in (None, '')
    explicit_methods = set(method for method, names in METHOD_OPTIONS.items() if any(given(n) for n in names))
    for method, names in METHOD_OPTIONS.items():
        if explicit_methods and method not in explicit_methods:
            for name in names:
                cloud_options.pop(name, None)
    for pair in EXCLUSIVE_PAIRS:
        if any(given(name) for name in pair):
            for name in pair:
                cloud_options.pop(name, None)
    for option, value in cloud_options.items():
        if not given(option):
            params[option] = value


def _whole_in_range(name, value, default, lowest, highest):
    if value is None:
        return default
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)  # from an environment variable or an untyped plugin option
    if isinstance(value, bool) or not isinstance(value, int) or not lowest <= value <= highest:
        raise OptionError('%s must be a whole number from %d to %d; got %r' % (name, lowest, highest, value))
    return value


def params_with_cloud(params):
    """Give back a copy of params with the clouds.yaml entry's options filled in and `cloud` cleared.

    For callers that derive several settings from one set of options (the inventory's per-project queries, in
    another region each): the entry is read once, for the region the user gave.
    """
    params = dict(params)
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

    def __init__(self, params, account=False):
        self.account = account
        params = dict(params)
        explicit_validate_certs = params.get('validate_certs')
        cloud = params.get('cloud')
        self.cloud = None
        if cloud:
            self.cloud = resolve_cloud(cloud, region_name=params.get('region') or None)
            _fill_from_cloud(params, options_from_cloud(self.cloud))
        self.region = params.get('region')
        self.project_id = params.get('project_id')
        self.project_name = params.get('project_name')
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
        self.ca_path = params.get('ca_path')
        self.interface = params.get('interface') or 'public'
        self.timeout = _in_range('timeout', params.get('timeout'), 30.0, 0.1, 3600)
        self.retries = _in_range('retries', params.get('retries'), 4, 0, 20)
        self.max_concurrent_requests = _whole_in_range('max_concurrent_requests', params.get('max_concurrent_requests'),
                                                       4, 1, 16)
        try:
            self.auth_method = self._choose_auth_method()
            self.auth_url_given = bool(params.get('auth_url'))
            self.auth_url = (params.get('auth_url') or '').rstrip('/') or iam_url_for_region(self.region)
            self.endpoint = (params.get('endpoint') or '').rstrip('/') or None
            self.endpoint_given = self.endpoint is not None
            if not self.endpoint and not self.endpoint_from_catalog():
                self.endpoint = modelarts_endpoint_for_region(self.region)
            self._check_complete()
        except OptionError as exc:
            if self.cloud is None:
                raise
            raise OptionError('%s (%s)' % (exc, self.cloud.describe()))

    def endpoint_from_catalog(self):
        """Say whether the ModelArts endpoint must come from the IAM catalog, as keystoneauth would take it.

        A password login at an IAM that is not a public one of the region's cloud (a dedicated or private cloud) is
        answered with that cloud's catalog: the public region table would send its token to a host the user never
        named.
        """
        return self.auth_method == 'password' and not is_public_iam(self.auth_url, self.region)

    def _choose_auth_method(self):
        given = []
        if self.token:
            given.append(('token', 'token'))
        if self.access_key or self.secret_key:
            given.append(('aksk', 'access_key/secret_key'))
        if self.username or self.password:
            given.append(('password', 'username/password'))
        if not given:
            raise OptionError('no credentials: set one of token, access_key and secret_key, or username and password '
                              '(or their environment variables, or cloud for a clouds.yaml entry)')
        if len(given) > 1:
            raise OptionError('conflicting credentials: %s are set together; use exactly one authentication method'
                              % ' and '.join(label for dummy, label in given))
        return given[0][0]

    def _check_complete(self):
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
                raise OptionError('auth_url is required with username/password when no region or an unknown region is set '
                                  '(known: %s)' % known_regions_text())
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
        if (self.auth_method == 'token' and self.endpoint and not self.endpoint_given and self.auth_url_given
                and not is_public_iam(self.auth_url, self.region)):
            # keystoneauth would exchange the token at that IAM for its catalog; the collection does not, and the
            # region's public endpoint is not where a dedicated or private cloud's token belongs.
            raise OptionError('auth_url %r is not a public IAM of region %r (a dedicated or private cloud?): with a '
                              'token, set endpoint to the ModelArts URL of that cloud' % (self.auth_url, self.region))
        for name in ('endpoint', 'auth_url'):
            url = getattr(self, name)
            if url and urlsplit(url).scheme not in ('http', 'https'):
                raise OptionError('%s must be an http:// or https:// URL, got %r' % (name, url))
        if self.interface not in INTERFACES:
            raise OptionError('interface must be one of %s; got %r' % (', '.join(INTERFACES), self.interface))

    def secrets(self):
        """Give back every secret value these settings hold, for redaction."""
        return [value for value in (self.password, self.token, self.secret_key, self.security_token, self.access_key) if value]

    def tls_verify(self):
        """Give back what requests expects for `verify`."""
        if not self.validate_certs:
            return False
        return self.ca_path or True


# ---------------------------------------------------------------------------------------------------------------
# AK/SK signing (SDK-HMAC-SHA256, as huaweicloudsdkcore's Signer and the API gateway do it)

SIGNING_ALGORITHM = 'SDK-HMAC-SHA256'
EMPTY_BODY_SHA256 = hashlib.sha256(b'').hexdigest()


def _encode(text):
    return quote(text, safe='~')


def canonical_query_string(pairs):
    """Give back the query string the gateway signs; the URL sent must carry exactly this string."""
    # Sorted on the raw (key, value) pairs as the reference signer does, then each part encoded.
    return '&'.join('%s=%s' % (_encode(key), _encode(value)) for key, value in sorted((str(k), str(v)) for k, v in pairs))


def canonical_uri(path):
    """Give back the canonical path: each segment encoded, always ending in a slash."""
    # Decoded first, as the reference signer and the gateway do: a URL whose path is already
    # percent-encoded must not be encoded twice.
    encoded = '/'.join(_encode(segment) for segment in unquote(path).split('/'))
    return encoded if encoded.endswith('/') else encoded + '/'


def sign_request(method, url, headers, access_key, secret_key, body=b'', now=None):
    """Give back the headers to send, with X-Sdk-Date, Host and the Authorization signature added.

    `url` must already carry its query as produced by canonical_query_string().
    """
    parts = urlsplit(url)
    signed = dict((name.lower(), value) for name, value in headers.items())
    signed['host'] = parts.netloc
    now = now or datetime.datetime.now(datetime.timezone.utc)
    if now.tzinfo is not None:
        now = now.astimezone(datetime.timezone.utc)  # X-Sdk-Date is UTC; a local time would be off by its offset
    stamp = now.strftime('%Y%m%dT%H%M%SZ')
    signed['x-sdk-date'] = stamp
    # The reference signer leaves out header names with an underscore.
    signed_names = sorted(name for name in signed if '_' not in name)
    canonical_headers = ''.join('%s:%s\n' % (name, str(signed[name]).strip()) for name in signed_names)
    body_hash = hashlib.sha256(body).hexdigest() if body else EMPTY_BODY_SHA256
    canonical_request = '\n'.join((method.upper(), canonical_uri(parts.path), parts.query, canonical_headers,
                                   ';'.join(signed_names), body_hash))
    string_to_sign = '\n'.join((SIGNING_ALGORITHM, stamp, hashlib.sha256(canonical_request.encode('utf-8')).hexdigest()))
    signature = hmac.new(secret_key.encode('utf-8'), string_to_sign.encode('utf-8'), hashlib.sha256).hexdigest()
    result = dict(headers)
    result['Host'] = parts.netloc
    result['X-Sdk-Date'] = stamp
    result['Authorization'] = '%s Access=%s, SignedHeaders=%s, Signature=%s' % (
        SIGNING_ALGORITHM, access_key, ';'.join(signed_names), signature)
    return result


# ---------------------------------------------------------------------------------------------------------------
# Authenticators: each adds its credentials to a request; renew() says whether a retry can help after a 401.

class TokenAuthenticator(object):
    """A ready IAM token sent as X-Auth-Token; it cannot be renewed."""

    kind = 'token'

    def __init__(self, settings):
        self._token = settings.token

    def headers_for(self, method, url, headers):
        result = dict(headers)
        result['X-Auth-Token'] = self._token
        return result

    def renew(self, stale_token=None):
        return False

    def resolve_project(self, settings):
        return settings.project_id


class AkSkAuthenticator(object):
    """Signs every request with the access key and secret key (and a temporary security token)."""

    kind = 'aksk'

    def __init__(self, settings):
        self._access_key = settings.access_key
        self._secret_key = settings.secret_key
        self._security_token = settings.security_token
        self._project_id = settings.project_id

    def headers_for(self, method, url, headers):
        result = dict(headers)
        if self._project_id:
            result['X-Project-Id'] = self._project_id
        if self._security_token:
            result['X-Security-Token'] = self._security_token
        return sign_request(method, url, result, self._access_key, self._secret_key)

    def renew(self, stale_token=None):
        return False

    def resolve_project(self, settings):
        return settings.project_id


class PasswordAuthenticator(object):
    """Logs in to IAM with username/password/domain once, then sends the issued token; renews it once if it expires."""

    kind = 'password'

    def __init__(self, settings, send):
        self._settings = settings
        self._send = send  # the client's retrying HTTP call, so that IAM shares its session and error handling
        self._token = None
        self.project_id = settings.project_id
        self.catalog_endpoint = None
        # Concurrent requests share the token: the first login and a renewal happen once, under this lock.
        self._lock = threading.Lock()

    def _login(self):
        settings = self._settings
        user_domain = {'id': settings.domain_id} if settings.domain_id else {'name': settings.domain_name}
        if settings.project_id:
            scope = {'project': {'id': settings.project_id}}
        elif settings.project_name:
            project_domain = ({'id': settings.project_domain_id} if settings.project_domain_id else
                              {'name': settings.project_domain_name} if settings.project_domain_name else user_domain)
            scope = {'project': {'name': settings.project_name, 'domain': project_domain}}
        else:
            scope = {'domain': user_domain}  # account settings: a token that lists projects
        body = {'auth': {
            'identity': {'methods': ['password'], 'password': {'user': {
                'name': settings.username, 'password': settings.password, 'domain': user_domain}}},
            'scope': scope}}
        url = settings.auth_url + '/auth/tokens' + ('?nocatalog=true' if settings.endpoint else '')
        response, data = self._send('POST', url, {'Content-Type': 'application/json'}, body, authenticate=False)
        token = response.headers.get('X-Subject-Token')
        if not token:
            raise ModelArtsError('IAM login answered without an X-Subject-Token header', status=response.status_code,
                                 method='POST', path=urlsplit(url).path)
        self._token = token
        token_body = data.get('token') if isinstance(data, dict) else None
        token_body = token_body if isinstance(token_body, dict) else {}
        project_body = token_body.get('project') or {}
        self.project_id = self.project_id or project_body.get('id')
        if not self.project_id and 'project' in scope:
            raise ModelArtsError('IAM login did not say which project the token is for (no token.project.id)')
        if not settings.endpoint and 'project' in scope:
            self.catalog_endpoint = modelarts_url_from_catalog(
                token_body.get('catalog') or [], settings.region, settings.interface, self.project_id)
            if not self.catalog_endpoint:
                raise ModelArtsError(
                    'the IAM at %s listed no %s modelarts endpoint for region %r in its catalog: set endpoint to the '
                    'ModelArts URL of this cloud' % (urlsplit(url).netloc, settings.interface, settings.region or ''))
            check_catalog_scheme(url, self.catalog_endpoint)

    def _ensure_login(self):
        if self._token is None:
            with self._lock:
                if self._token is None:
                    self._login()
        return self._token

    def headers_for(self, method, url, headers):
        result = dict(headers)
        result['X-Auth-Token'] = self._ensure_login()
        return result

    def renew(self, stale_token=None):
        """Log in again unless another request already replaced `stale_token` (then its new token serves)."""
        with self._lock:
            if stale_token is None or stale_token == self._token:
                self._login()
        return True

    def resolve_project(self, settings):
        self._ensure_login()
        return self.project_id

    def secrets(self):
        return [self._token] if self._token else []


# How Keystone writes the project in a catalog URL when it did not substitute it.
PROJECT_PLACEHOLDERS = ('$(project_id)s', '%(project_id)s', '$(tenant_id)s', '%(tenant_id)s', '{project_id}')


def modelarts_url_from_catalog(catalog, region, interface, project_id):
    """Give back the ModelArts base URL the catalog lists for the region and interface, else None.

    A URL that already ends in /v1/{project_id} (or /v1) is cut back to its base: the client adds that path.
    """
    for service in catalog:
        if not isinstance(service, dict) or service.get('type') != 'modelarts' and service.get('name') != 'modelarts':
            continue
        for endpoint in service.get('endpoints') or []:
            if not isinstance(endpoint, dict) or endpoint.get('interface', 'public') != interface:
                continue
            if region and region not in (endpoint.get('region'), endpoint.get('region_id')):
                continue
            url = str(endpoint.get('url') or '')
            for placeholder in PROJECT_PLACEHOLDERS:
                url = url.replace(placeholder, project_id or '')
            url = url.rstrip('/')
            if project_id and url.endswith('/v1/' + project_id):
                url = url[:-len('/v1/' + project_id)]
            elif url.endswith('/v1'):
                url = url[:-len('/v1')]
            if url:
                return url
    return None


def check_catalog_scheme(iam_url, catalog_url):
    """Raise ModelArtsError when an IAM reached over https lists ModelArts at a plain http:// URL.

    The token IAM issued would travel in clear to that URL (a misconfigured or tampered catalog): only the user can
    accept that, by naming the URL in `endpoint`, which replaces the catalog.
    """
    catalog_scheme = urlsplit(catalog_url).scheme.lower()
    if urlsplit(iam_url).scheme.lower() == 'https' and catalog_scheme != 'https':
        raise ModelArtsError(
            'the IAM at %s (reached over https) lists the modelarts endpoint %s, whose scheme is %s, not https: the '
            'token it issued is not sent there in clear. Set endpoint to the https URL of ModelArts, or to that URL to '
            'accept plain http' % (urlsplit(iam_url).netloc, catalog_url,
                                   '%s://' % catalog_scheme if catalog_scheme else 'missing'))


def build_authenticator(settings, send):
    """Give back the authenticator for the settings' one auth method."""
    if settings.auth_method == 'token':
        return TokenAuthenticator(settings)
    if settings.auth_method == 'aksk':
        return AkSkAuthenticator(settings)
    return PasswordAuthenticator(settings, send)
