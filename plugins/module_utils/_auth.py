# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Authenticators: how each auth method adds its credentials to a request, and the IAM password login and catalog."""

from __future__ import absolute_import, annotations, division, print_function
__metaclass__ = type

import threading
from typing import Any, Callable, Dict, List, Mapping, Optional, Tuple, Union, cast

from urllib.parse import urlsplit

from ansible_collections.mlops.modelarts.plugins.module_utils._errors import ModelArtsError
from ansible_collections.mlops.modelarts.plugins.module_utils._signer import sign_request

# Names the rest of the collection has imported from this file since 0.1.0, at home now in _settings, _regions and
# _signer: kept importable from here, so that the modules, plugins and scripts that use them need no change.
from ansible_collections.mlops.modelarts.plugins.module_utils._regions import modelarts_endpoint_for_region
from ansible_collections.mlops.modelarts.plugins.module_utils._settings import (
    PROJECT_ID_PATTERN, UNVERIFIED_TLS_WARNING, ConnectionSettings, params_with_cloud,
)
from ansible_collections.mlops.modelarts.plugins.module_utils._signer import canonical_query_string

# The client's retrying HTTP call: send(method, url, headers, body, authenticate=...) -> (response, parsed answer).
Send = Callable[..., Tuple[Any, Any]]

__all__ = [
    'AkSkAuthenticator', 'ConnectionSettings', 'PROJECT_ID_PATTERN', 'PasswordAuthenticator', 'TokenAuthenticator',
    'UNVERIFIED_TLS_WARNING', 'build_authenticator', 'canonical_query_string', 'check_catalog_scheme',
    'modelarts_endpoint_for_region', 'modelarts_url_from_catalog', 'params_with_cloud',
]


# ---------------------------------------------------------------------------------------------------------------
# Authenticators: each adds its credentials to a request; renew() says whether a retry can help after a 401.

class TokenAuthenticator(object):
    """A ready IAM token sent as X-Auth-Token; it cannot be renewed."""

    def __init__(self, settings: ConnectionSettings) -> None:
        self._token = cast(str, settings.token)  # ConnectionSettings chose token auth: the token is given

    def headers_for(self, method: str, url: str, headers: Mapping[str, str], body: bytes = b'') -> Dict[str, str]:
        """Give back `headers` with the token added (the body plays no part in token auth)."""
        result = dict(headers)
        result['X-Auth-Token'] = self._token
        return result

    def renew(self, stale_token: Optional[str] = None) -> bool:
        return False

    def resolve_project(self, settings: ConnectionSettings) -> Optional[str]:
        return settings.project_id


class AkSkAuthenticator(object):
    """Signs every request with the access key and secret key (and a temporary security token)."""

    def __init__(self, settings: ConnectionSettings) -> None:
        # ConnectionSettings chose AK/SK: both keys are given
        self._access_key = cast(str, settings.access_key)
        self._secret_key = cast(str, settings.secret_key)
        self._security_token = settings.security_token
        self._project_id = settings.project_id

    def headers_for(self, method: str, url: str, headers: Mapping[str, str], body: bytes = b'') -> Dict[str, str]:
        """Give back `headers` signed; the signature covers the SHA-256 of `body`, the exact bytes sent."""
        result = dict(headers)
        if self._project_id:
            result['X-Project-Id'] = self._project_id
        if self._security_token:
            result['X-Security-Token'] = self._security_token
        return sign_request(method, url, result, self._access_key, self._secret_key, body=body)

    def renew(self, stale_token: Optional[str] = None) -> bool:
        return False

    def resolve_project(self, settings: ConnectionSettings) -> Optional[str]:
        return settings.project_id


class PasswordAuthenticator(object):
    """Logs in to IAM with username/password/domain once, then sends the issued token; renews it once if it expires."""

    def __init__(self, settings: ConnectionSettings, send: Send) -> None:
        self._settings = settings
        self._send = send  # the client's retrying HTTP call, so that IAM shares its session and error handling
        self._token: Optional[str] = None
        self.project_id = settings.project_id
        self.catalog_endpoint: Optional[str] = None
        # Concurrent requests share the token: the first login and a renewal happen once, under this lock.
        self._lock = threading.Lock()

    def _login(self) -> None:
        settings = self._settings
        user_domain: Dict[str, Any] = {'id': settings.domain_id} if settings.domain_id else {'name': settings.domain_name}
        scope: Dict[str, Any]
        if settings.project_id:
            scope = {'project': {'id': settings.project_id}}
        elif settings.project_name:
            project_domain: Dict[str, Any] = (
                {'id': settings.project_domain_id} if settings.project_domain_id else
                {'name': settings.project_domain_name} if settings.project_domain_name else user_domain)
            scope = {'project': {'name': settings.project_name, 'domain': project_domain}}
        else:
            scope = {'domain': user_domain}  # account settings: a token that lists projects
        body = {'auth': {
            'identity': {'methods': ['password'], 'password': {'user': {
                'name': settings.username, 'password': settings.password, 'domain': user_domain}}},
            'scope': scope}}
        auth_url = cast(str, settings.auth_url)  # a password login always has one: ConnectionSettings raised otherwise
        url = auth_url + '/auth/tokens' + ('?nocatalog=true' if settings.endpoint else '')
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

    def _ensure_login(self) -> str:
        if self._token is None:
            with self._lock:
                if self._token is None:
                    self._login()
        return cast(str, self._token)  # _login() set it or raised

    def headers_for(self, method: str, url: str, headers: Mapping[str, str], body: bytes = b'') -> Dict[str, str]:
        """Give back `headers` with the issued token added, logging in first if no token is held yet."""
        result = dict(headers)
        result['X-Auth-Token'] = self._ensure_login()
        return result

    def renew(self, stale_token: Optional[str] = None) -> bool:
        """Log in again unless another request already replaced `stale_token` (then its new token serves)."""
        with self._lock:
            if stale_token is None or stale_token == self._token:
                self._login()
        return True

    def resolve_project(self, settings: ConnectionSettings) -> Optional[str]:
        self._ensure_login()
        return self.project_id

    def secrets(self) -> List[str]:
        return [self._token] if self._token else []


# How Keystone writes the project in a catalog URL when it did not substitute it.
PROJECT_PLACEHOLDERS = ('$(project_id)s', '%(project_id)s', '$(tenant_id)s', '%(tenant_id)s', '{project_id}')


def modelarts_url_from_catalog(catalog: Any, region: Optional[str], interface: str,
                               project_id: Optional[str]) -> Optional[str]:
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


def check_catalog_scheme(iam_url: str, catalog_url: str) -> None:
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


Authenticator = Union[TokenAuthenticator, AkSkAuthenticator, 'PasswordAuthenticator']


def build_authenticator(settings: ConnectionSettings, send: Send) -> Authenticator:
    """Give back the authenticator for the settings' one auth method."""
    if settings.auth_method == 'token':
        return TokenAuthenticator(settings)
    if settings.auth_method == 'aksk':
        return AkSkAuthenticator(settings)
    return PasswordAuthenticator(settings, send)
