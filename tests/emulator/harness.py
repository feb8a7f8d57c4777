# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Start, stop and steer the ModelArts emulator from tests (standard library only).

    with Emulator(versions=40) as emu:
        emu.inject({"kind": "status", "status": 503})
        ...  # point the code under test at emu.url / emu.auth_url
        assert len(emu.versions_requests()) == 2
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os
import ssl
import subprocess
import sys
import tempfile
import threading
import urllib.error
import urllib.request

# The server's own defaults, so that tests and the emulator can never disagree on a credential.
from .modelarts_emulator import (
    DEFAULT_AK, DEFAULT_DOMAIN, DEFAULT_PASSWORD, DEFAULT_POOLS as _SERVER_POOLS, DEFAULT_PROJECT_ID,
    DEFAULT_PROJECT_NAME, DEFAULT_REGION, DEFAULT_SK, DEFAULT_TOKEN, DEFAULT_USER,
    DEFAULT_WORKSPACES as _SERVER_WORKSPACES, FIXED_EPOCH_MS,
)

__all__ = [
    'DEFAULT_AK', 'DEFAULT_DOMAIN', 'DEFAULT_PASSWORD', 'DEFAULT_POOLS', 'DEFAULT_PROJECT_ID', 'DEFAULT_PROJECT_NAME',
    'DEFAULT_REGION', 'DEFAULT_SK', 'DEFAULT_TOKEN', 'DEFAULT_USER', 'DEFAULT_WORKSPACES', 'FIXED_EPOCH_MS',
    'Emulator', 'EmulatorError', 'ACCOUNT_PROJECTS', 'account_config',
]

HERE = os.path.dirname(os.path.abspath(__file__))
SERVER = os.path.join(HERE, "modelarts_emulator.py")

DEFAULT_WORKSPACES = tuple(_SERVER_WORKSPACES)
DEFAULT_POOLS = tuple(_SERVER_POOLS)
URL_PREFIX = "MODELARTS_EMULATOR_URL="

# An account as IAM lists it: per region a default project named after the region and team projects
# (`<region>_<team>`), each with its own data; one disabled project; one project of another account.
ACCOUNT_PROJECTS = (
    ("eu-de", 40, 1), ("eu-de_ml", 30, 11), ("eu-de_vision", 25, 12), ("eu-nl", 20, 13),
    ("eu-nl_research", 35, 14), ("cn-north-4", 15, 15), ("cn-north-4_nlp", 30, 16),
)
DISABLED_PROJECT = "eu-de_archive"
OTHER_DOMAIN_PROJECT = "eu-de_elsewhere"


def account_config(extra_projects=(), **settings):
    """Give back an emulator config of ACCOUNT_PROJECTS (enabled), a disabled one and another domain's project.

    The first project (`eu-de`) keeps the default id, static token and AK/SK; its AK/SK is valid for every project
    of the domain, as a user's permanent access key is. `extra_projects` are appended (region from the name).
    """
    projects = []
    for name, versions, seed in ACCOUNT_PROJECTS:
        projects.append({"project_name": name, "region": name.split("_", 1)[0], "versions": versions, "seed": seed})
    projects[0]["aksk"] = [{"access_key": DEFAULT_AK, "secret_key": DEFAULT_SK, "all_projects": True}]
    projects.append({"project_name": DISABLED_PROJECT, "versions": 10, "seed": 17, "enabled": False})
    projects.append({"project_name": OTHER_DOMAIN_PROJECT, "versions": 5, "seed": 18, "domain": "other-domain",
                     "users": [{"name": "other-user", "password": "other-password"}]})
    for extra in extra_projects:
        projects.append(dict({"region": extra["project_name"].split("_", 1)[0]}, **extra))
    return dict(settings, projects=projects)


class EmulatorError(Exception):
    pass


class Emulator(object):
    """One emulator process. Use as a context manager or call start()/stop()."""

    def __init__(self, versions=40, seed=1, offset_unit="records", config=None, token_ttl=None,
                 tls_cert=None, tls_key=None, extra_args=(), log_file=None, start_timeout=20, latency=None,
                 v2_jobs=None, v2_count=None):
        self.versions = versions
        self.v2_jobs = v2_jobs
        self.v2_count = v2_count
        self.seed = seed
        self.offset_unit = offset_unit
        self.config = config
        self.token_ttl = token_ttl
        self.latency = latency
        self.tls_cert = tls_cert
        self.tls_key = tls_key
        self.extra_args = tuple(extra_args)
        self.log_file = log_file
        self.start_timeout = start_timeout
        self.url = None
        self.auth_url = None
        self.project_id = DEFAULT_PROJECT_ID
        self.process = None
        self._tmpdir = None
        self._stderr = None
        if config and isinstance(config.get("projects"), list) and config["projects"]:
            self.project_id = config["projects"][0].get("project_id", DEFAULT_PROJECT_ID)
        elif config and config.get("project_id"):
            self.project_id = config["project_id"]
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        self._ssl = None
        if tls_cert:
            self._ssl = ssl.create_default_context()
            self._ssl.check_hostname = False
            self._ssl.verify_mode = ssl.CERT_NONE
            self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}),
                                                       urllib.request.HTTPSHandler(context=self._ssl))

    # -- lifecycle
    def command(self):
        args = [sys.executable, SERVER, "--host", "127.0.0.1", "--port", "0",
                "--versions", str(self.versions), "--seed", str(self.seed), "--offset-unit", self.offset_unit]
        if self.config is not None:
            path = os.path.join(self._tmpdir, "config.json")
            with open(path, "w") as f:
                json.dump(self.config, f)
            args += ["--config", path]
        if self.token_ttl is not None:
            args += ["--token-ttl", str(self.token_ttl)]
        if self.latency is not None:
            args += ["--latency", str(self.latency)]
        if self.tls_cert:
            args += ["--tls-cert", self.tls_cert, "--tls-key", self.tls_key]
        if self.log_file:
            args += ["--log-file", self.log_file]
        if self.v2_jobs is not None:
            args += ["--v2-jobs", str(self.v2_jobs)]
        if self.v2_count is not None:
            args += ["--v2-count", self.v2_count]
        return args + list(self.extra_args)

    def start(self):
        if self.process is not None:
            return self
        self._tmpdir = tempfile.mkdtemp(prefix="modelarts-emulator-")
        self._stderr = open(os.path.join(self._tmpdir, "stderr.txt"), "w+")
        self.process = subprocess.Popen(self.command(), stdout=subprocess.PIPE, stderr=self._stderr,
                                        stdin=subprocess.DEVNULL, universal_newlines=True)
        found = {}

        def reader():
            for line in self.process.stdout:
                if line.startswith(URL_PREFIX):
                    found["url"] = line[len(URL_PREFIX):].strip()
                    return

        thread = threading.Thread(target=reader)
        thread.daemon = True
        thread.start()
        thread.join(self.start_timeout)
        if "url" not in found:
            self.stop()
            raise EmulatorError("the emulator did not start within %ss: %s" % (self.start_timeout, self.stderr_text()))
        self.url = found["url"]
        self.auth_url = self.url + "/v3"
        return self

    def stop(self):
        proc = self.process
        if proc is not None:
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(10)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait(10)
            if proc.stdout is not None:
                proc.stdout.close()
            self.process = None
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None
        return proc.returncode if proc is not None else None

    def stderr_text(self):
        if self._stderr is None:
            return ""
        self._stderr.flush()
        self._stderr.seek(0)
        return self._stderr.read()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
        return False

    # -- HTTP
    def request(self, method, path, headers=None, body=None):
        """Any request against the emulator -> (status, headers dict, parsed JSON body or raw text)."""
        data = None
        if body is not None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode("utf-8")
        req = urllib.request.Request(self.url + path, data=data, method=method, headers=dict(headers or {}))
        if data is not None and "Content-Type" not in req.headers:
            req.add_header("Content-Type", "application/json")
        try:
            resp = self._opener.open(req, timeout=30)
        except urllib.error.HTTPError as err:
            resp = err
        with resp:
            raw = resp.read()
            status = resp.status if hasattr(resp, "status") else resp.code
            hdrs = dict(resp.headers.items())
        try:
            parsed = json.loads(raw.decode("utf-8"))
        except ValueError:
            parsed = raw.decode("utf-8", "replace")
        return status, hdrs, parsed

    def _control(self, method, path, body=None):
        status, _headers, parsed = self.request(method, "/_emulator/" + path, body=body)
        if status != 200:
            raise EmulatorError("control %s %s -> %s %s" % (method, path, status, parsed))
        return parsed

    # -- control API
    def log(self):
        return self._control("GET", "log")

    def versions_requests(self):
        return [r for r in self.log() if r["path"].rstrip("/").endswith("/training-jobs/versions")]

    def iam_requests(self):
        return [r for r in self.log() if r["path"].rstrip("/").endswith("/auth/tokens")]

    def project_list_requests(self):
        return [r for r in self.log() if r["path"].rstrip("/").endswith("/auth/projects")]

    def connections(self, records=None):
        return sorted(set(r["connection"] for r in (self.versions_requests() if records is None else records)))

    def reset_log(self):
        return self._control("POST", "log/reset")

    def inject(self, *faults):
        return self._control("POST", "faults", {"faults": list(faults)})

    def faults(self):
        return self._control("GET", "faults")["faults"]

    def clear_faults(self):
        return self._control("DELETE", "faults")

    def configure(self, **settings):
        return self._control("POST", "config", settings)

    def set_versions(self, project_id=None, **body):
        body["project_id"] = project_id or self.project_id
        return self._control("POST", "versions", body)

    def transitions(self, items, project_id=None):
        return self._control("POST", "transitions", {"project_id": project_id or self.project_id, "transitions": list(items)})

    def state(self):
        return self._control("GET", "state")

    # -- v2 training jobs (_v2_training.py)
    def v2_requests(self):
        """Log records of the v2 search (each with the JSON `body` it was sent)."""
        return [r for r in self.log() if r["path"].rstrip("/").endswith("/training-job-searches")]

    def v2_flavor_requests(self):
        return [r for r in self.log() if r["path"].rstrip("/").endswith("/training-job-flavors")]

    def set_v2_jobs(self, project_id=None, **body):
        """POST /_emulator/v2/jobs: replace= (N or job objects), remove= (ids), add= (job objects)."""
        body["project_id"] = project_id or self.project_id
        return self._control("POST", "v2/jobs", body)

    def v2_jobs_list(self, project_id=None):
        """The project's v2 jobs in short (id, name, phase, times, flavor_id, node_count, pool_id, workspace_id)."""
        return self._control("GET", "v2/jobs?project_id=" + (project_id or self.project_id))["jobs"]

    def v2_transitions(self, items, project_id=None):
        """Phase changes: [{"job_id": .., "phase": "Completed", "after_seconds": 0}]."""
        return self._control("POST", "v2/transitions", {"project_id": project_id or self.project_id,
                                                        "transitions": list(items)})

    def configure_v2(self, **settings):
        return self._control("POST", "v2/config", settings)

    def v2_state(self):
        return self._control("GET", "v2/state")
