#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Print where the collection would send requests with the credentials of the environment, without sending any.

Used by scripts/demo.sh before it runs anything: one line, `local<TAB>URL` when that is a loopback address (an
emulator the user started) or `real<TAB>description` otherwise. It resolves the options as the modules do
(environment variables, a clouds.yaml entry, the region table) through the installed collection, so the endpoint
named is the one the demo would use; where the options are incomplete it names what it can and says why.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import ipaddress
import os
import sys
from urllib.parse import urlsplit, urlunsplit


def without_userinfo(url):
    """Give back url with any user:password@ part removed: the line is printed."""
    parts = urlsplit(url)
    if '@' not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rsplit('@', 1)[1]))


def is_loopback(url):
    """Say whether url names this machine (127.0.0.0/8, ::1 or localhost)."""
    host = urlsplit(url).hostname or ''
    if host == 'localhost':
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def from_environment(spec):
    """Give back the connection options the environment sets, through the spec's environment fallbacks."""
    params = {}
    for name, option in spec.items():
        fallback = option.get('fallback')
        if not fallback:
            continue
        for variable in fallback[1]:
            if os.environ.get(variable):
                params[name] = os.environ[variable]
                break
    return params


def describe():
    """Give back (kind, text) for the endpoint the environment's options lead to."""
    try:
        from ansible_collections.mlops.modelarts.plugins.module_utils import _auth, _options
        from ansible_collections.mlops.modelarts.plugins.module_utils._errors import OptionError
    except ImportError as exc:
        # Without the built collection only the plain variables can say where the demo would go.
        url = os.environ.get('MODELARTS_ENDPOINT') or os.environ.get('OS_AUTH_URL')
        if url:
            return ('local' if is_loopback(url) else 'real'), without_userinfo(url)
        return 'real', 'the cloud of the credentials in the environment (collection not importable: %s)' % exc
    params = from_environment(_options.CONNECTION_ARGUMENT_SPEC)
    try:
        settings = _auth.ConnectionSettings(params)
    except OptionError as exc:  # an incomplete setup still gets a name, and why
        endpoint = params.get('endpoint') or _auth.modelarts_endpoint_for_region(params.get('region'))
        if endpoint:
            url = without_userinfo(endpoint)
            return ('local' if is_loopback(url) else 'real'), url
        where = 'the cloud %r of clouds.yaml' % params['cloud'] if params.get('cloud') else 'the real cloud'
        return 'real', '%s (the options are not complete yet: %s)' % (where, exc)
    if settings.endpoint:
        url = without_userinfo(settings.endpoint)
        return ('local' if is_loopback(url) else 'real'), url
    # A password login at a private IAM: the endpoint comes from that IAM's catalog.
    auth_url = without_userinfo(settings.auth_url)
    kind = 'local' if is_loopback(auth_url) else 'real'
    return kind, 'the ModelArts endpoint in the catalog of the IAM at %s' % auth_url


def main():
    kind, text = describe()
    sys.stdout.write('%s\t%s\n' % (kind, text))
    return 0


if __name__ == '__main__':
    sys.exit(main())
