# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type


class ModuleDocFragment(object):
    """Connection and credential options shared by every plugin of the collection."""

    DOCUMENTATION = r'''
options:
  cloud:
    description:
      - Name of an entry in C(clouds.yaml) that holds credentials, project and region, read as openstacksdk reads it
        (E(OS_CLIENT_CONFIG_FILE), then C(clouds.yaml), C(clouds.yml) or C(clouds.json) in the working directory,
        C($XDG_CONFIG_HOME/openstack), C(~/.config/openstack), C(/etc/openstack)), with C(secure.yaml)
        (E(OS_CLIENT_SECURE_FILE) or the same folders) merged over it, and the vendor profiles C(otc) and
        C(otc-swiss). See the authentication guide for the supported keys.
      - Options given explicitly (or through their environment variables) win over the entry.
      - If not set, the environment variable E(OS_CLOUD) is used.
    type: str
  region:
    description:
      - Region of the project, for example V(eu-de) (Open Telekom Cloud) or V(cn-north-4) (Huawei Cloud).
      - Used to derive O(endpoint) and O(auth_url) when they are not given.
      - If not set, the environment variable E(OS_REGION_NAME) is used.
    type: str
  endpoint:
    description:
      - Base URL of the ModelArts API, for example V(https://modelarts.eu-de.otc.t-systems.com).
      - Defaults to the endpoint of O(region). With O(username)/O(password), the IAM catalog's endpoint for the
        region is used instead when O(auth_url) is not a public IAM of the region's cloud (a dedicated or private cloud)
        or the region is not one the collection knows; the token is never sent to a host that was neither given nor
        listed. With O(token) or O(access_key)/O(secret_key), such an O(auth_url) needs O(endpoint).
      - If not set, the environment variable E(MODELARTS_ENDPOINT) is used.
    type: str
  auth_url:
    description:
      - IAM v3 URL used by O(username)/O(password) logins, for example V(https://iam.eu-de.otc.t-systems.com/v3).
      - Defaults to the IAM endpoint of O(region).
      - If not set, the environment variable E(OS_AUTH_URL) is used.
    type: str
  project_id:
    description:
      - ID of the project whose training job versions are listed.
      - Required with O(token) and with O(access_key)/O(secret_key). With O(username)/O(password),
        O(project_name) can be given instead and the ID is taken from the IAM login.
      - If not set, the environment variables E(OS_PROJECT_ID) or E(HUAWEICLOUD_SDK_PROJECT_ID) are used.
    type: str
  project_name:
    description:
      - Name of the project (for example V(eu-de_myproject)) for O(username)/O(password) logins.
      - If not set, the environment variable E(OS_PROJECT_NAME) is used.
    type: str
  domain_name:
    description:
      - IAM domain (account) name of O(username). O(domain_name) or O(domain_id) is required with
        O(username)/O(password).
      - Mutually exclusive with O(domain_id).
      - If not set, the environment variables E(OS_USER_DOMAIN_NAME) or E(OS_DOMAIN_NAME) are used.
    type: str
  domain_id:
    description:
      - IAM domain (account) ID of O(username), sent to IAM as the user's domain ID instead of a name.
      - Mutually exclusive with O(domain_name).
      - If not set, the environment variables E(OS_USER_DOMAIN_ID) or E(OS_DOMAIN_ID) are used.
    type: str
    version_added: 0.2.0
  interface:
    description:
      - Which endpoint of the IAM catalog's C(modelarts) service to use when the endpoint comes from the catalog
        (a password login at an O(auth_url) that is not the region's public IAM, or a region the collection does not
        know).
      - Defaults to the clouds.yaml entry's C(modelarts_interface) or C(interface), else V(public).
      - If not set, the environment variable E(OS_INTERFACE) is used.
    type: str
    choices: [public, internal, admin]
    version_added: 0.2.0
  username:
    description:
      - IAM user name; logs in at O(auth_url) and sends the issued token.
      - Mutually exclusive with O(token) and O(access_key).
      - If not set, the environment variable E(OS_USERNAME) is used.
    type: str
  password:
    description:
      - Password of O(username).
      - If not set, the environment variable E(OS_PASSWORD) is used.
    type: str
  token:
    description:
      - A ready IAM token, sent as C(X-Auth-Token). It cannot be renewed when it expires.
      - Mutually exclusive with O(username) and O(access_key).
      - If not set, the environment variable E(OS_AUTH_TOKEN) is used.
    type: str
  access_key:
    description:
      - Access key (AK) for signing requests with the SDK-HMAC-SHA256 algorithm.
      - Mutually exclusive with O(token) and O(username).
      - If not set, the environment variables E(HUAWEICLOUD_SDK_AK) or E(OS_ACCESS_KEY) are used.
    type: str
  secret_key:
    description:
      - Secret key (SK) that belongs to O(access_key).
      - If not set, the environment variables E(HUAWEICLOUD_SDK_SK) or E(OS_SECRET_KEY) are used.
    type: str
  security_token:
    description:
      - Security token of temporary AK/SK credentials; sent and signed as C(X-Security-Token).
      - If not set, the environment variable E(HUAWEICLOUD_SDK_SECURITY_TOKEN) is used.
    type: str
  validate_certs:
    description:
      - Verify the TLS certificate of the endpoints. Turn off only for tests; a warning says so.
      - Defaults to the clouds.yaml entry's C(verify) (and C(insecure)), else V(true).
    type: bool
  ca_path:
    description:
      - PEM file with the CA certificates that signed the endpoints' certificates.
      - Defaults to the clouds.yaml entry's C(cacert).
    type: path
  timeout:
    description:
      - Seconds to wait for data (to connect, then for each read of an answer), from 0.1 to 3600. The requests of one
        query together, however slowly an answer arrives, are bounded by the query option C(paging_timeout).
    type: float
    default: 30.0
  retries:
    description:
      - How many times a request is retried after HTTP 429, 500, 502, 503, 504, a dropped connection, a timeout or
        an unreadable answer, from 0 to 20. Retries wait with capped exponential backoff and jitter, and honour
        C(Retry-After).
    type: int
    default: 4
  max_concurrent_requests:
    description:
      - How many requests may be in flight at once, from 1 to 16. The API takes one status per request, so several
        statuses are asked for concurrently; once the first page of a status has told the total (and the offset
        unit is known), its remaining pages are asked for concurrently too.
      - Results, their order, duplicate handling, count checks and warnings are exactly those of a sequential run.
        Each request in flight has its own keep-alive connection (never more connections than this number); a
        C(429) with C(Retry-After) pauses every request; an expired token is renewed once for all.
      - V(1) is strictly sequential (one request at a time, one connection). Lower it for an API with a strict
        request quota.
      - If not set, the environment variable E(MODELARTS_MAX_CONCURRENT_REQUESTS) is used.
    type: int
    default: 4
    version_added: 0.2.0
notes:
  - Exactly one authentication method is used at a time; conflicting or incomplete credentials fail before any request.
  - The method the options name (O(token), O(access_key)/O(secret_key) or O(username)/O(password), given explicitly)
    wins over the environment variables of the other methods, which are then ignored, as a C(clouds.yaml) entry's
    credentials are. Variables of the named method still complete it.
  - A clouds.yaml entry whose C(auth) block has credentials (a user or a token) uses them; its C(ak)/C(sk) (meant for
    OBS in python-otcextensions' sample) are used only when the entry has none.
  - Secrets (O(password), O(token), O(access_key), O(secret_key), O(security_token)) never appear in results,
    warnings or error messages.
requirements:
  - requests >= 2.25.0
'''

    # Lookup plugins read the same options from keyword arguments, Ansible variables and the environment.
    PLUGINS = r'''
options:
  cloud:
    env:
      - name: OS_CLOUD
    vars:
      - name: modelarts_cloud
  region:
    env:
      - name: OS_REGION_NAME
    vars:
      - name: modelarts_region
  endpoint:
    env:
      - name: MODELARTS_ENDPOINT
    vars:
      - name: modelarts_endpoint
  auth_url:
    env:
      - name: OS_AUTH_URL
    vars:
      - name: modelarts_auth_url
  project_id:
    env:
      - name: OS_PROJECT_ID
      - name: HUAWEICLOUD_SDK_PROJECT_ID
    vars:
      - name: modelarts_project_id
  project_name:
    env:
      - name: OS_PROJECT_NAME
    vars:
      - name: modelarts_project_name
  domain_name:
    env:
      - name: OS_USER_DOMAIN_NAME
      - name: OS_DOMAIN_NAME
    vars:
      - name: modelarts_domain_name
  domain_id:
    env:
      - name: OS_USER_DOMAIN_ID
      - name: OS_DOMAIN_ID
    vars:
      - name: modelarts_domain_id
    version_added: 0.2.0
  interface:
    env:
      - name: OS_INTERFACE
    vars:
      - name: modelarts_interface
    version_added: 0.2.0
  username:
    env:
      - name: OS_USERNAME
    vars:
      - name: modelarts_username
  password:
    env:
      - name: OS_PASSWORD
    vars:
      - name: modelarts_password
  token:
    env:
      - name: OS_AUTH_TOKEN
    vars:
      - name: modelarts_token
  access_key:
    env:
      - name: HUAWEICLOUD_SDK_AK
      - name: OS_ACCESS_KEY
    vars:
      - name: modelarts_access_key
  secret_key:
    env:
      - name: HUAWEICLOUD_SDK_SK
      - name: OS_SECRET_KEY
    vars:
      - name: modelarts_secret_key
  security_token:
    env:
      - name: HUAWEICLOUD_SDK_SECURITY_TOKEN
    vars:
      - name: modelarts_security_token
  validate_certs:
    env:
      - name: MODELARTS_VALIDATE_CERTS
    vars:
      - name: modelarts_validate_certs
  ca_path:
    env:
      - name: MODELARTS_CA_PATH
    vars:
      - name: modelarts_ca_path
  timeout:
    env:
      - name: MODELARTS_TIMEOUT
    vars:
      - name: modelarts_timeout
  retries:
    env:
      - name: MODELARTS_RETRIES
    vars:
      - name: modelarts_retries
  max_concurrent_requests:
    env:
      - name: MODELARTS_MAX_CONCURRENT_REQUESTS
    vars:
      - name: modelarts_max_concurrent_requests
'''

    # The projects inventory reads its options from its file and the environment only (no host whose variables could
    # set them exists yet): PLUGINS without its `vars` entries.
    # (Written out: ansible-test's yamllint reads each fragment as a string literal.)
    INVENTORY = r'''
options:
  cloud:
    env:
      - name: OS_CLOUD
  region:
    env:
      - name: OS_REGION_NAME
  endpoint:
    env:
      - name: MODELARTS_ENDPOINT
  auth_url:
    env:
      - name: OS_AUTH_URL
  project_id:
    env:
      - name: OS_PROJECT_ID
      - name: HUAWEICLOUD_SDK_PROJECT_ID
  project_name:
    env:
      - name: OS_PROJECT_NAME
  domain_name:
    env:
      - name: OS_USER_DOMAIN_NAME
      - name: OS_DOMAIN_NAME
  domain_id:
    env:
      - name: OS_USER_DOMAIN_ID
      - name: OS_DOMAIN_ID
    version_added: 0.2.0
  interface:
    env:
      - name: OS_INTERFACE
    version_added: 0.2.0
  username:
    env:
      - name: OS_USERNAME
  password:
    env:
      - name: OS_PASSWORD
  token:
    env:
      - name: OS_AUTH_TOKEN
  access_key:
    env:
      - name: HUAWEICLOUD_SDK_AK
      - name: OS_ACCESS_KEY
  secret_key:
    env:
      - name: HUAWEICLOUD_SDK_SK
      - name: OS_SECRET_KEY
  security_token:
    env:
      - name: HUAWEICLOUD_SDK_SECURITY_TOKEN
  validate_certs:
    env:
      - name: MODELARTS_VALIDATE_CERTS
  ca_path:
    env:
      - name: MODELARTS_CA_PATH
  timeout:
    env:
      - name: MODELARTS_TIMEOUT
  retries:
    env:
      - name: MODELARTS_RETRIES
  max_concurrent_requests:
    env:
      - name: MODELARTS_MAX_CONCURRENT_REQUESTS
'''
