#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A ModelArts + IAM emulator for tests (Python standard library only).

Serves ``GET /v1/{project_id}/training-jobs/versions``, the v2 training jobs (``_v2_training.py``),
``POST /v3/auth/tokens``, ``GET /v3/auth/projects`` and a control API under ``/_emulator/``. See README.md beside
this file.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import argparse
import datetime
import hashlib
import hmac
import json
import math
import os
import random
import re
import select
import shlex
import signal
import socket
import ssl
import struct
import sys
import threading
import time
import uuid
import zlib

from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, quote, unquote, urlsplit

try:
    from . import _generated_projects, _v2_training  # imported as tests.emulator.modelarts_emulator (the harness, tests)
except ImportError:
    import _generated_projects  # run as a script: this file's directory is on sys.path
    import _v2_training

FIXED_EPOCH_MS = 1767225600000  # 2026-01-01T00:00:00Z: generated data is relative to this
DAY_MS = 86400 * 1000

DEFAULT_PROJECT_ID = "0a1b2c3d4e5f60718293a4b5c6d7e8f9"
DEFAULT_PROJECT_NAME = "eu-de_demo"
DEFAULT_REGION = "eu-de"
DEFAULT_DOMAIN = "demo-domain"
DEFAULT_USER = "demo-user"
DEFAULT_PASSWORD = "demo-password"
DEFAULT_AK = "DEMOACCESSKEY0000001"
DEFAULT_SK = "demo-secret-key-0001"
DEFAULT_TOKEN = "demo-static-token"
DEFAULT_WORKSPACES = ["0", "ws-research"]
DEFAULT_POOLS = ["pool-gpu-a", "pool-npu-b"]

VERSION_FIELDS = ("version_id", "version_name", "status", "create_time", "start_time", "end_time",
                  "duration", "version_desc", "pool_id", "flavor_code", "npu_num", "gpu_num")

FLAVORS = [
    ("modelarts.p3.large.8", 8, 0),
    ("modelarts.p3.large.4", 4, 0),
    ("modelarts.p1.2xlarge", 1, 0),
    ("modelarts.vm.cpu.8u", 0, 0),
    ("modelarts.kat1.xlarge", 0, 1),
    ("modelarts.kat1.8xlarge", 0, 8),
]
JOB_NAMES = ["resnet50-train", "bert-base-finetune", "yolov5-detect", "llama2-7b-sft",
             "vit-large-pretrain", "wav2vec-asr", "unet-segmentation", "gpt2-distill"]
DESCRIPTIONS = ["baseline run", "lr sweep 3e-4", "more epochs", "mixed precision",
                "bigger batch", "ablation: no augmentation", "nightly retrain"]

# status code -> weight in generated data (mostly running, completed, failed, waiting)
STATUS_WEIGHTS = {8: 26, 10: 30, 11: 12, 7: 10}
NOT_STARTED = frozenset([0, 1, 2, 4, 7])
FAILED_BEFORE_START = frozenset([3, 5])
STARTED_NOT_ENDED = frozenset([8, 9, 15, 18, 19])
ENDED_AFTER_START = frozenset([6, 10, 11, 12, 13, 14, 16, 17, 20, 21])

SORT_KEYS = {"create_time": "create_time", "job_desc": "version_desc", "status": "status",
             "duration": "duration", "job_name": "version_name"}
OFFSET_UNITS = ("records", "pages", "pages1")
FAULT_KINDS = ("status", "html", "drop", "malformed_json", "truncated", "is_success_false",
               "short_page", "slow", "expire_tokens", "echo_headers", "endless_pages", "deep_json",
               "huge_body", "gzip_bomb", "trickle")
# Request headers a hostile gateway echoes back in an error (echo_headers): every credential a client sends.
ECHOED_HEADERS = ("X-Auth-Token", "Authorization", "X-Security-Token", "X-Project-Id")
DEEP_JSON_DEPTH = 100000
# huge_body and gzip_bomb: a 200 JSON answer whose one string member pads it to the size asked for.
PADDED_HEAD = b'{"is_success": true, "total_count": 0, "versions": [], "padding": "'
PADDED_TAIL = b'"}'
MIB = 1 << 20
STATUS_REASONS = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
                  429: "Too Many Requests", 500: "Internal Server Error", 502: "Bad Gateway",
                  503: "Service Unavailable", 504: "Gateway Timeout"}
FAULT_STATUS_CODES = {400: "ModelArts.0104", 401: "ModelArts.0203", 403: "ModelArts.0108", 404: "ModelArts.0015",
                      429: "ModelArts.0011", 500: "ModelArts.0010", 502: "ModelArts.0010", 503: "ModelArts.0010",
                      504: "ModelArts.0010"}
PROJECT_ID_RE = re.compile(r"^[0-9a-f]{32}$")
CATALOG_KEYS = ("catalog_path", "catalog_region", "catalog_url")
VERSIONS_PATH_RE = re.compile(r"^/v1/([^/]+)/training-jobs/versions/?$")
PROJECTS_PATH = "/v3/auth/projects"
AUTH_RE = re.compile(r"^SDK-HMAC-SHA256\s+Access=([^,\s]+)\s*,\s*SignedHeaders=([^,\s]+)\s*,\s*Signature=([0-9a-fA-F]+)\s*$")
SDK_DATE_FORMAT = "%Y%m%dT%H%M%SZ"
SDK_DATE_SKEW = 15 * 60


class ConfigError(Exception):
    pass


class ApiError(Exception):
    """An error answer: HTTP status and a JSON body."""

    def __init__(self, status, body, headers=None):
        super(ApiError, self).__init__(status)
        self.status = status
        self.body = body
        self.headers = headers or {}


def ma_error(status, code, message):
    return ApiError(status, {"is_success": False, "error_code": code, "error_message": message})


def apigw_error(message):
    return ApiError(401, {"error_code": "APIGW.0301", "error_msg": message, "request_id": uuid.uuid4().hex})


def iam_error(status, message):
    title = STATUS_REASONS.get(status, "Error")
    return ApiError(status, {"error": {"code": status, "message": message, "title": title}})


def md5_hex(text):
    return hashlib.md5(text.encode("utf-8")).hexdigest()  # not for security: stable ids


def iso_utc(epoch):
    return datetime.datetime.fromtimestamp(epoch, tz=datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f") + "Z"


_GZIP_BOMBS = {}
_GZIP_BOMBS_LOCK = threading.Lock()


def gzip_bomb(size):
    """A gzip body (a valid one, checksum included) inflating to a padded JSON answer of about `size` bytes.

    Built from one compressed 1 MiB block repeated (a full flush resets the compressor, so each block compresses to
    the same bytes): 1 GiB costs about 1 MiB and half a second (the checksum), once per size.
    """
    blocks = max(size // MIB, 1)
    with _GZIP_BOMBS_LOCK:
        if blocks not in _GZIP_BOMBS:
            block = b" " * MIB
            compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
            first = compressor.compress(PADDED_HEAD) + compressor.flush(zlib.Z_FULL_FLUSH)
            repeated = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
            last = compressor.compress(PADDED_TAIL) + compressor.flush()
            crc = zlib.crc32(PADDED_HEAD)
            for _dummy in range(blocks):
                crc = zlib.crc32(block, crc)
            crc = zlib.crc32(PADDED_TAIL, crc)
            inflated = len(PADDED_HEAD) + blocks * MIB + len(PADDED_TAIL)
            _GZIP_BOMBS[blocks] = (b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff" + first + repeated * blocks + last
                                   + struct.pack("<II", crc, inflated & 0xFFFFFFFF))
        return _GZIP_BOMBS[blocks]


def dumps(obj):
    return json.dumps(obj, separators=(",", ":")).encode("utf-8")


# ---------------------------------------------------------------- data ----

def generate_versions(count, seed, pools):
    """Deterministic versions from (count, seed, pools), newest last."""
    rng = random.Random(seed)
    count = int(count)
    if count <= 0:
        return []
    span = 60 * DAY_MS
    offsets = sorted(rng.sample(range(span), count))
    codes = list(range(22))
    weights = [STATUS_WEIGHTS.get(c, 1) for c in codes]
    statuses = rng.choices(codes, weights=weights, k=count)
    # every code appears at least once (when count allows), replacing some of the common ones
    missing = [c for c in codes if c not in set(statuses)]
    common = [i for i, c in enumerate(statuses) if c in STATUS_WEIGHTS]
    rng.shuffle(common)
    for code, idx in zip(missing, common):
        statuses[idx] = code
    pool_choices = list(pools) + [None]
    job_counters = {}
    versions = []
    version_id = 10000 + rng.randint(0, 999)
    rand = rng.random
    randint = rng.randint
    for i in range(count):
        version_id += randint(1, 7)
        job = JOB_NAMES[int(rand() * len(JOB_NAMES))]
        n = job_counters.get(job, 0) + 1
        job_counters[job] = n
        status = statuses[i]
        create_time = FIXED_EPOCH_MS - span + offsets[i]
        start_time = end_time = duration = 0
        if status in FAILED_BEFORE_START:
            end_time = create_time + randint(5000, 600000)
        elif status in STARTED_NOT_ENDED:
            start_time = create_time + randint(1000, 1800000)
        elif status in ENDED_AFTER_START:
            start_time = create_time + randint(1000, 1800000)
            duration = randint(30, 43200) * 1000
            end_time = start_time + duration
        flavor, gpu, npu = FLAVORS[int(rand() * len(FLAVORS))]
        desc = None if rand() < 0.3 else DESCRIPTIONS[int(rand() * len(DESCRIPTIONS))]
        pool = pool_choices[int(rand() * len(pool_choices))]
        versions.append({
            "version_id": version_id,
            "version_name": "%s-V%04d" % (job, n),
            "status": status,
            "create_time": create_time,
            "start_time": start_time,
            "end_time": end_time,
            "duration": duration,
            "version_desc": desc,
            "pool_id": pool,
            "flavor_code": flavor,
            "npu_num": npu,
            "gpu_num": gpu,
        })
    return versions


def normalize_version(raw, fallback_id):
    """An explicit version dict -> (public dict, workspace). Missing fields get defaults; extra fields pass through."""
    if not isinstance(raw, dict):
        raise ConfigError("a version must be an object")
    ver = dict(raw)
    workspace = str(ver.pop("workspace_id", "0"))
    ver.setdefault("version_id", fallback_id)
    ver.setdefault("version_name", "custom-job-V%04d" % (int(ver["version_id"]) % 10000))
    ver.setdefault("status", 10)
    ver.setdefault("create_time", FIXED_EPOCH_MS)
    ver.setdefault("start_time", 0)
    ver.setdefault("end_time", 0)
    ver.setdefault("duration", 0)
    ver.setdefault("version_desc", None)
    ver.setdefault("pool_id", None)
    ver.setdefault("flavor_code", "modelarts.p1.2xlarge")
    gpu = {f[0]: f[1] for f in FLAVORS}.get(ver["flavor_code"], 0)
    npu = {f[0]: f[2] for f in FLAVORS}.get(ver["flavor_code"], 0)
    ver.setdefault("npu_num", npu)
    ver.setdefault("gpu_num", gpu)
    ordered = {k: ver[k] for k in VERSION_FIELDS}
    for k, v in ver.items():
        if k not in ordered:
            ordered[k] = v
    return ordered, workspace


class Project(object):
    def __init__(self, spec, index, defaults):
        first = index == 0
        n = index + 1
        self.region = str(spec.get("region", DEFAULT_REGION))
        self.name = str(spec.get("project_name", DEFAULT_PROJECT_NAME if first else "%s_demo%d" % (self.region, n)))
        self.id = str(spec.get("project_id", DEFAULT_PROJECT_ID if first else md5_hex("project:" + self.name)))
        self.domain = str(spec.get("domain", DEFAULT_DOMAIN))
        self.domain_id = md5_hex("domain:" + self.domain)
        self.users = [{"name": str(u["name"]), "password": str(u["password"]), "id": md5_hex("user:%s:%s" % (self.domain, u["name"]))}
                      for u in spec.get("users", [{"name": DEFAULT_USER, "password": DEFAULT_PASSWORD}])]
        default_aksk = [{"access_key": DEFAULT_AK if first else "DEMOACCESSKEY%07d" % n,
                         "secret_key": DEFAULT_SK if first else "demo-secret-key-%04d" % n}]
        self.aksk = [dict(a) for a in spec.get("aksk", default_aksk)]
        self.tokens = [str(t) for t in spec.get("tokens", [DEFAULT_TOKEN if first else "%s-%d" % (DEFAULT_TOKEN, n)])]
        self.workspaces = [str(w) for w in spec.get("workspaces", DEFAULT_WORKSPACES)]
        self.pools = [str(p) for p in spec.get("pools", DEFAULT_POOLS)]
        self.enabled = bool(spec.get("enabled", True))
        self.modelarts = bool(spec.get("modelarts", True))  # false: ModelArts is not authorized in this project
        self.seed = spec.get("seed", defaults["seed"])
        self.generation = 0
        self.versions = []
        self.workspace_of = {}
        self.set_versions(spec.get("versions", defaults["versions"]))

    def set_versions(self, spec):
        if isinstance(spec, bool) or not isinstance(spec, (int, list)):
            raise ConfigError("versions must be an integer or a list of version objects")
        self.versions = []
        self.workspace_of = {}
        if isinstance(spec, int):
            self.versions = generate_versions(spec, self.seed, self.pools)
            self.workspace_of = dict.fromkeys((v["version_id"] for v in self.versions), "0")
        else:
            self.add_versions(spec)
        self.generation += 1

    def add_versions(self, items):
        next_id = max([v["version_id"] for v in self.versions] + [10000]) + 1
        for raw in items:
            ver, workspace = normalize_version(raw, next_id)
            next_id = max(next_id, int(ver["version_id"])) + 1
            self.versions = [v for v in self.versions if v["version_id"] != ver["version_id"]]
            self.versions.append(ver)
            self.workspace_of[ver["version_id"]] = workspace
        self.generation += 1

    def remove_versions(self, ids):
        gone = set(ids)
        self.versions = [v for v in self.versions if v["version_id"] not in gone]
        for vid in gone:
            self.workspace_of.pop(vid, None)
        self.generation += 1

    def hold_versions(self):
        """Keep the versions in memory from now on: a no-op here (a generated project's are made on demand)."""

    def summary(self):
        by_status = {}
        for v in self.versions:
            by_status[str(v.get("status"))] = by_status.get(str(v.get("status")), 0) + 1
        return {"project_id": self.id, "project_name": self.name, "region": self.region, "domain": self.domain,
                "enabled": self.enabled, "versions": len(self.versions), "by_status": by_status, "workspaces": self.workspaces,
                "pools": self.pools, "generation": self.generation}


# --------------------------------------------------------------- state ----

class State(object):
    def __init__(self, config, args):
        self.lock = threading.RLock()
        self.log_lock = threading.Lock()
        # Requests being answered: a client can read its answer before the handler thread has logged it, so
        # reading or resetting the log first waits for them (bounded), and a test sees every request it got.
        self.answering = 0
        self.all_logged = threading.Condition(self.log_lock)
        self.offset_unit = config.get("offset_unit", args.offset_unit)
        if self.offset_unit not in OFFSET_UNITS:
            raise ConfigError("offset_unit must be one of %s" % ", ".join(OFFSET_UNITS))
        self.token_ttl = float(config.get("token_ttl", args.token_ttl))
        self.latency = parse_latency(config.get("latency", args.latency))
        self.set_catalog(config)
        # null: every user gets a domain-scoped token (OTC, Huawei Cloud); a list of user names: only they do, as
        # Keystone grants one only to a user with a role on the domain (the others get 401).
        self.domain_role_users = config.get("domain_role_users")
        if self.domain_role_users is not None and not isinstance(self.domain_role_users, list):
            raise ConfigError("domain_role_users must be a list of user names or null")
        defaults = {"versions": args.versions, "seed": args.seed}
        specs = config.get("projects")
        if specs is None:
            specs = [{k: v for k, v in config.items()
                      if k not in ("offset_unit", "token_ttl", "latency", "domain_role_users", "generated_projects")
                      + CATALOG_KEYS}]
        if not isinstance(specs, list) or not specs:
            raise ConfigError("projects must be a non-empty list")
        self.projects = {}
        self.project_order = []
        for i, spec in enumerate(specs):
            proj = Project(spec, i, defaults)
            if proj.id in self.projects:
                raise ConfigError("duplicate project_id %s" % proj.id)
            self.projects[proj.id] = proj
            self.project_order.append(proj.id)
        self.static_tokens = {}
        self.access_keys = {}
        for proj in self.projects.values():
            for tok in proj.tokens:
                if tok in self.static_tokens:
                    raise ConfigError("a static token is used by two projects")
                self.static_tokens[tok] = proj.id
            for a in proj.aksk:
                if a.get("access_key") in self.access_keys:
                    raise ConfigError("access key %s is used by two projects" % a.get("access_key"))
                self.access_keys[a["access_key"]] = (proj.id, a)
        self.issued = {}  # token -> {"project_id", "expires"}
        self.faults = []
        self.endless_next_id = 10 ** 9  # ids of endless_pages versions: never those of the real data
        self.records = []
        self.seq = 0
        self.conn_seq = 0
        self.log_file = None
        self.transitions = []
        self.started = time.time()
        for proj_spec, pid in zip(specs, self.project_order):
            self.add_transitions(pid, proj_spec.get("transitions", []), self.started)
        self.list_cache = {}
        self.body_cache = {}
        self.v2 = _v2_training.V2State(self, specs, config, args)
        _generated_projects.add_to(self, config, args)  # generated_projects / --generated-projects: appended last

    def set_catalog(self, config):
        """How the IAM catalog lists ModelArts: a path after the URL and a region (default: the project's)."""
        path = config.get("catalog_path", getattr(self, "catalog_path", ""))
        region = config.get("catalog_region", getattr(self, "catalog_region", None))
        # Another scheme://host:port than the emulator's own (null: its own), e.g. http:// behind an https IAM.
        url = config.get("catalog_url", getattr(self, "catalog_url", None))
        if url is not None and not (isinstance(url, str) and re.match(r"^https?://[^/]+$", url)):
            raise ConfigError("catalog_url must be scheme://host[:port] (http or https) or null")
        if not isinstance(path, str) or (path and not path.startswith("/")):
            raise ConfigError("catalog_path must be a path starting with /")
        if region is not None and not isinstance(region, str):
            raise ConfigError("catalog_region must be a string or null")
        self.catalog_path, self.catalog_region, self.catalog_url = path, region, url
        # ModelArts answers under the part of the path before /v1 too, as a gateway with a prefix would.
        self.path_prefix = path.split("/v1", 1)[0].rstrip("/")

    # -- request log
    def next_connection(self, client):
        with self.log_lock:
            self.conn_seq += 1
            return "%s:%s#%d" % (client[0], client[1], self.conn_seq)

    def begin_answer(self):
        with self.log_lock:
            self.answering += 1

    def wait_until_logged(self):
        """Wait (at most 5 s, with log_lock held on return) until every request being answered is logged."""
        self.all_logged.wait_for(lambda: self.answering == 0, timeout=5)

    def record(self, rec):
        with self.log_lock:
            self.answering -= 1
            self.all_logged.notify_all()
            self.seq += 1
            rec["seq"] = self.seq
            self.records.append(rec)
            if self.log_file is not None:
                self.log_file.write(json.dumps(rec, sort_keys=True) + "\n")
                self.log_file.flush()

    # -- faults
    def take_fault(self, target):
        with self.lock:
            for fault in self.faults:
                if fault["target"] != target:
                    continue
                if fault["after_requests"] > 0:
                    fault["after_requests"] -= 1
                    return None
                fault["times"] -= 1
                if fault["times"] <= 0:
                    self.faults.remove(fault)
                return dict(fault)
            return None

    def add_faults(self, faults):
        parsed = []
        for f in faults:
            if not isinstance(f, dict) or f.get("kind") not in FAULT_KINDS:
                raise ConfigError("fault kind must be one of %s" % ", ".join(FAULT_KINDS))
            target = f.get("target", "versions")
            if target not in ("versions", "iam") + _v2_training.FAULT_TARGETS:
                raise ConfigError("fault target must be one of versions, iam, %s" % ", ".join(_v2_training.FAULT_TARGETS))
            parsed.append({
                "kind": f["kind"], "target": target,
                "times": int(f.get("times", 1)),
                "status": int(f.get("status", 503 if f["kind"] in ("status", "html") else 200)),
                "retry_after": f.get("retry_after"),
                "delay": float(f.get("delay", 1.0)),
                "after_requests": int(f.get("after_requests", 0)),
                "size": int(f.get("size", 1 << 30)),  # huge_body: bytes sent; gzip_bomb: bytes once inflated
                "chunked": bool(f.get("chunked", False)),  # huge_body: no Content-Length
                "interval": float(f.get("interval", 0.5)),  # trickle: seconds between two bytes
                "duration": float(f.get("duration", 30.0)),  # trickle: then the connection is closed
            })
        with self.lock:
            self.faults.extend(parsed)

    # -- transitions
    def add_transitions(self, pid, items, base):
        proj = self.projects.get(pid)
        if proj is None:
            raise ConfigError("unknown project_id %s" % pid)
        with self.lock:
            if items:
                proj.hold_versions()  # a transition changes a version in place: it must be the project's own
            for t in items:
                self.transitions.append({"project_id": pid, "version_id": t["version_id"], "status": int(t["status"]),
                                         "due": base + float(t.get("after_seconds", 0))})

    def apply_transitions(self):
        now = time.time()
        with self.lock:
            if not self.transitions:
                return
            due = [t for t in self.transitions if t["due"] <= now]
            if not due:
                return
            self.transitions = [t for t in self.transitions if t["due"] > now]
            now_ms = int(now * 1000)
            for t in sorted(due, key=lambda x: x["due"]):
                proj = self.projects[t["project_id"]]
                for ver in proj.versions:
                    if ver["version_id"] != t["version_id"]:
                        continue
                    status = t["status"]
                    ver["status"] = status
                    if status in STARTED_NOT_ENDED or status in ENDED_AFTER_START:
                        if not ver.get("start_time"):
                            ver["start_time"] = now_ms
                    if status in ENDED_AFTER_START or status in FAILED_BEFORE_START:
                        if not ver.get("end_time"):
                            ver["end_time"] = now_ms
                        if ver.get("start_time"):
                            ver["duration"] = max(0, ver["end_time"] - ver["start_time"])
                    proj.generation += 1

    # -- tokens
    def issue_token(self, pid, domain=None, user=None):
        """A new token scoped to project `pid`, or to the domain when `pid` is None."""
        token = "MIIE" + uuid.uuid4().hex + uuid.uuid4().hex
        now = time.time()
        with self.lock:
            self.issued[token] = {"project_id": pid, "domain": domain, "user": user, "expires": now + self.token_ttl}
        return token, now, now + self.token_ttl

    def visible_projects(self, domain, user=None):
        """The projects of `domain` that `user` is a member of (every project of the domain when user is None)."""
        return [self.projects[p] for p in self.project_order if self.projects[p].domain == domain
                and (user is None or any(u["name"] == user for u in self.projects[p].users))]

    def expire_tokens(self):
        now = time.time()
        with self.lock:
            for info in self.issued.values():
                info["expires"] = min(info["expires"], now - 1)

    # -- query
    def sorted_list(self, proj, status, pool_id, workspace_id, sort_by, order):
        key = (proj.id, proj.generation, status, pool_id, workspace_id, sort_by, order)
        with self.lock:
            cached = self.list_cache.get(key)
        if cached is not None:
            return cached
        ws_of = proj.workspace_of
        items = [v for v in proj.versions
                 if (status is None or v.get("status") == status)
                 and (pool_id is None or v.get("pool_id") == pool_id)
                 and ws_of.get(v["version_id"], "0") == workspace_id]
        items.sort(key=lambda v: v["version_id"])
        field = SORT_KEYS[sort_by]
        if field in ("version_desc", "version_name"):
            items.sort(key=lambda v: v.get(field) or "", reverse=(order == "desc"))
        else:
            items.sort(key=lambda v: v.get(field) or 0, reverse=(order == "desc"))
        with self.lock:
            if len(self.list_cache) > 64:
                self.list_cache.clear()
            self.list_cache[key] = items
        return items


def parse_latency(value):
    """Seconds every IAM and ModelArts answer waits before it is sent (a float, 0 or more)."""
    if isinstance(value, bool):
        raise ConfigError("latency must be a number of seconds, 0 or more")
    latency = float(value)
    if math.isnan(latency) or latency < 0:
        raise ConfigError("latency must be a number of seconds, 0 or more")
    return latency


def first_value(query, name):
    vals = query.get(name)
    return vals[0] if vals else None


def parse_nonneg(query, name, default):
    raw = first_value(query, name)
    if raw is None:
        return default, None
    if not raw.isdigit() or not raw.isascii():
        raise ma_error(400, "ModelArts.2764", "Invalid query parameter: %s must be a non-negative integer" % name)
    return int(raw), raw


# ------------------------------------------------------------- handler ----

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "ModelArtsEmulator/1.0"
    sys_version = ""
    timeout = 300

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        pass

    @property
    def state(self):
        return self.server.state

    def setup(self):
        BaseHTTPRequestHandler.setup(self)
        try:
            # An answer is written as headers, then body: without this the body waits for the client's delayed ACK
            # of the headers (about 40 ms on Linux) on every request of a keep-alive connection but the first.
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except (OSError, AttributeError):  # not TCP (a test's socket pair): nothing to wait for
            pass
        self.conn_id = self.server.state.next_connection(self.client_address)

    # -- plumbing
    def read_body(self):
        length = self.headers.get("Content-Length")
        if length:
            try:
                n = int(length)
            except ValueError:
                n = 0
            return self.rfile.read(n) if n > 0 else b""
        return b""

    def send_bytes(self, status, body, content_type="application/json", headers=None, partial=None):
        self.send_response(status, STATUS_REASONS.get(status))
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if partial is not None:
            self.wfile.write(body[:partial])
            self.wfile.flush()
            self.close_connection = True
            return
        self.wfile.write(body)

    def send_padded(self, size, chunked):
        """Send a 200 JSON answer of `size` bytes, 1 MiB at a time, as the client reads it; stop when it goes away."""
        size = max(size, len(PADDED_HEAD) + len(PADDED_TAIL))
        self.send_response(200, "OK")
        self.send_header("Content-Type", "application/json")
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Content-Length", str(size))
        self.end_headers()
        left = size - len(PADDED_HEAD) - len(PADDED_TAIL)
        block = b" " * MIB
        try:
            self.write_part(PADDED_HEAD, chunked)
            while left > 0:
                self.write_part(block[:left], chunked)
                left -= MIB
            self.write_part(PADDED_TAIL, chunked)
            if chunked:
                self.wfile.write(b"0\r\n\r\n")
        except OSError:  # the client refused the answer: normal for this fault
            self.close_connection = True

    def write_part(self, data, chunked):
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data) if chunked else data)

    def send_trickle(self, status, body, headers, interval, duration):
        """Send the headers of an answer at once, then its body one byte every `interval` seconds.

        After `duration` seconds the connection is closed (the body cut), so that the fault ends even if no client
        gives up; a client that goes away ends it at once (and it is logged then).
        """
        self.send_response(status, STATUS_REASONS.get(status))
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.flush()
        end = time.monotonic() + duration
        self.close_connection = True  # whatever happens, this connection carries no further request
        try:
            for index in range(len(body)):
                if time.monotonic() >= end:
                    break
                self.wfile.write(body[index:index + 1])
                self.wfile.flush()
                if isinstance(self.connection, ssl.SSLSocket):  # no peeking under TLS: a later write fails instead
                    time.sleep(interval)
                    continue
                # Wait, but wake up when the client closes its end (readable, and nothing to read but the end).
                readable, _w, _x = select.select([self.connection], [], [], interval)
                if readable and not self.connection.recv(1, socket.MSG_PEEK):
                    break
        except OSError:
            pass

    def send_json(self, status, obj, headers=None):
        self.send_bytes(status, dumps(obj), headers=headers)

    def auth_kind(self):
        if self.headers.get("Authorization"):
            return "aksk"
        if self.headers.get("X-Auth-Token"):
            return "token"
        return "none"

    def new_record(self, split, query):
        return {"seq": 0, "time": round(time.time(), 6), "method": self.command, "path": split.path,
                "query": query, "status": None, "connection": self.conn_id, "auth": self.auth_kind(),
                "project_id": None, "fault": None}

    def dispatch(self):
        split = urlsplit(self.path)
        body = self.read_body()
        if split.path.startswith("/_emulator/") or split.path == "/_emulator":
            self.control(split, body)
            return
        pairs = parse_qsl(split.query, keep_blank_values=True)
        query = {}
        for k, v in pairs:
            query.setdefault(k, []).append(v)
        with self.state.lock:
            prefix = self.state.path_prefix
        if prefix and split.path.startswith(prefix + "/"):
            split = split._replace(path=split.path[len(prefix):])
        rec = self.new_record(split, query)
        with self.state.lock:
            latency = self.state.latency
        if latency:
            # Each request sleeps in its own thread: parallel requests overlap as on a distant endpoint.
            time.sleep(latency)
        self.state.begin_answer()
        try:
            v2_route = _v2_training.route(split.path, self.command)
            if VERSIONS_PATH_RE.match(split.path) and self.command == "GET":
                self.versions(split, pairs, query, body, rec)
            elif v2_route is not None:
                _v2_training.serve(self, *v2_route, split=split, pairs=pairs, query=query, body=body, rec=rec)
            elif split.path.rstrip("/") == "/v3/auth/tokens" and self.command == "POST":
                rec["auth"] = "password"
                self.iam(split, query, body, rec)
            elif split.path.rstrip("/") == PROJECTS_PATH and self.command == "GET":
                self.iam(split, query, body, rec, answer=lambda: self.iam_projects(split, pairs, body))
            else:
                self.answer(rec, ma_error(404, "ModelArts.0015", "Resource not found"))
        finally:
            self.state.record(rec)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = dispatch

    def answer(self, rec, err):
        rec["status"] = err.status
        self.send_json(err.status, err.body, headers=err.headers)

    # -- faults
    def apply_fault(self, fault, rec, normal, shapes=None):
        """Run a fault. ``normal`` returns (status, body bytes, headers, versions-page info) of the normal answer.

        ``shapes`` (v2) sends the faults whose answer has an API shape in its own API's shape.
        """
        kind = fault["kind"]
        rec["fault"] = kind
        if shapes is not None and shapes.answer(self, fault, rec, normal):
            return True
        if kind == "slow":
            time.sleep(fault["delay"])
            return False
        if kind == "expire_tokens":
            self.state.expire_tokens()
            return False
        if kind == "drop":
            rec["status"] = None
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return True
        if kind == "status":
            status = fault["status"]
            headers = {}
            if fault.get("retry_after") is not None:
                headers["Retry-After"] = str(fault["retry_after"])
            if rec["path"].startswith("/v3"):
                err = iam_error(status, STATUS_REASONS.get(status, "Error"))
            else:
                err = ma_error(status, FAULT_STATUS_CODES.get(status, "ModelArts.0010"),
                               "Too many requests" if status == 429 else "Internal error")
            rec["status"] = status
            self.send_json(status, err.body, headers=headers)
            return True
        if kind == "html":
            status = fault["status"] if fault["status"] >= 400 else 502
            reason = STATUS_REASONS.get(status, "Bad Gateway")
            page = ("<html>\r\n<head><title>%d %s</title></head>\r\n<body>\r\n<center><h1>%d %s</h1></center>\r\n"
                    "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n" % (status, reason, status, reason)).encode("ascii")
            rec["status"] = status
            self.send_bytes(status, page, content_type="text/html")
            return True
        if kind == "malformed_json":
            rec["status"] = 200
            self.send_bytes(200, b'{"is_success": true, "versions": [')
            return True
        if kind == "is_success_false":
            rec["status"] = 200
            self.send_json(200, {"is_success": False, "error_code": "ModelArts.0010", "error_message": "Internal error"})
            return True
        if kind == "truncated":
            status, body, headers, _page = normal()
            rec["status"] = status
            self.send_bytes(status, body, headers=headers, partial=len(body) // 2)
            return True
        if kind == "echo_headers":
            # A gateway that puts the request's credentials into its error: the token as error_code, all in the message.
            status = fault["status"] if fault["status"] >= 400 else 400
            echoed = dict((name, self.headers.get(name)) for name in ECHOED_HEADERS if self.headers.get(name))
            first = next(iter(echoed.values()), "none")
            rec["status"] = status
            self.send_json(status, {"error_code": first, "error_message": "rejected request headers: %s" % json.dumps(echoed)})
            return True
        if kind == "endless_pages":
            # total_count 10**12 and as many never-seen versions as asked for, on every request.
            limit, _raw = parse_nonneg(rec["query"], "limit", 20)
            with self.state.lock:
                first_id = self.state.endless_next_id
                self.state.endless_next_id += max(limit, 1)
            versions = [normalize_version({"version_id": first_id + i, "status": 10}, first_id + i)[0]
                        for i in range(max(limit, 1))]
            rec["status"] = 200
            self.send_json(200, {"is_success": True, "total_count": 10 ** 12, "versions": versions})
            return True
        if kind == "deep_json":
            rec["status"] = 200
            self.send_bytes(200, b"[" * DEEP_JSON_DEPTH + b"]" * DEEP_JSON_DEPTH)
            return True
        if kind == "huge_body":
            rec["status"] = 200
            self.send_padded(fault["size"], fault["chunked"])
            return True
        if kind == "gzip_bomb":
            rec["status"] = 200
            self.send_bytes(200, gzip_bomb(fault["size"]), headers={"Content-Encoding": "gzip"})
            return True
        if kind == "trickle":
            status, body, headers, _page = normal()
            rec["status"] = status
            self.send_trickle(status, body, headers, fault["interval"], fault["duration"])
            return True
        if kind == "short_page":
            status, body, headers, page = normal()
            rec["status"] = status
            if page is not None:
                page = dict(page)
                page["versions"] = page["versions"][:len(page["versions"]) // 2]
                body = dumps(page)
            self.send_bytes(status, body, headers=headers)
            return True
        return False

    # -- IAM
    def iam(self, split, query, body, rec, answer=None):
        fault = self.state.take_fault("iam")

        def normal():
            try:
                status, obj, headers = answer() if answer else self.iam_login(split, query, body, rec)
            except ApiError as err:
                return err.status, dumps(err.body), err.headers, None
            return status, dumps(obj), headers, None

        if fault is not None and self.apply_fault(fault, rec, normal):
            return
        status, data, headers, _page = normal()
        rec["status"] = status
        self.send_bytes(status, data, headers=headers)

    def iam_login(self, split, query, body, rec):
        try:
            req = json.loads(body.decode("utf-8"))
            ident = req["auth"]["identity"]
            if "password" not in ident.get("methods", []):
                raise ValueError("methods")
            user = ident["password"]["user"]
            name, password = user["name"], user["password"]
            domain = user.get("domain") or {}
            if not isinstance(name, str) or not isinstance(password, str) or not isinstance(domain, dict):
                raise ValueError("user")
            unscoped = "scope" not in req["auth"]  # Keystone: a token of the user alone, for GET /v3/auth/projects
            scope = req["auth"].get("scope", {}).get("project")
            domain_scope = req["auth"].get("scope", {}).get("domain")
            if unscoped or (scope is None and isinstance(domain_scope, dict)
                            and (domain_scope.get("name") or domain_scope.get("id"))):
                scope = None
            elif not isinstance(scope, dict) or not (scope.get("name") or scope.get("id")):
                raise ValueError("scope")
        except (ValueError, KeyError, TypeError, AttributeError):
            raise iam_error(400, "The request body is malformed: a password identity and a project or domain scope "
                                 "are required.")
        rec["scope"] = "unscoped" if unscoped else "project" if scope is not None else "domain"
        dom_name, dom_id = domain.get("name"), domain.get("id")
        member_of = []
        for proj in self.state.projects.values():
            if (dom_name is not None and proj.domain != dom_name) or (dom_id is not None and proj.domain_id != dom_id):
                continue
            if dom_name is None and dom_id is None:
                continue
            for u in proj.users:
                if u["name"] == name and hmac.compare_digest(u["password"], password):
                    member_of.append((proj, u))
        if not member_of:
            raise iam_error(401, "The username or password is wrong.")
        if unscoped:
            return self.unscoped_token(member_of)
        if scope is None:
            return self.domain_token(domain_scope, member_of, rec)
        chosen = None
        for proj, u in member_of:
            if (scope.get("id") and proj.id == scope["id"]) or (not scope.get("id") and proj.name == scope.get("name")):
                chosen = (proj, u)
        if chosen is None:
            raise iam_error(401, "The project is not found or the user has no access to it.")
        proj, u = chosen
        if not proj.enabled:
            raise iam_error(401, "The project is disabled.")
        rec["project_id"] = proj.id
        token, issued, expires = self.state.issue_token(proj.id, proj.domain, u["name"])
        dom = {"id": proj.domain_id, "name": proj.domain}
        tok = {
            "expires_at": iso_utc(expires),
            "issued_at": iso_utc(issued),
            "methods": ["password"],
            "project": {"id": proj.id, "name": proj.name, "domain": dom},
            "user": {"id": u["id"], "name": u["name"], "domain": dom, "password_expires_at": ""},
            "roles": [{"id": md5_hex("role:te_admin"), "name": "te_admin"}],
        }
        if query.get("nocatalog", [""])[0].lower() != "true":
            base = self.server.base_url
            with self.state.lock:
                ma_url = (self.state.catalog_url or base) + self.state.catalog_path.replace("$(project_id)s", proj.id)
                ma_region = self.state.catalog_region or proj.region
            tok["catalog"] = [
                {"type": "modelarts", "name": "modelarts", "id": md5_hex("svc:modelarts"),
                 "endpoints": [{"id": md5_hex("ep:modelarts:" + ma_region), "interface": "public", "region": ma_region,
                                "region_id": ma_region, "url": ma_url}]},
                {"type": "identity", "name": "iam", "id": md5_hex("svc:iam"),
                 "endpoints": [{"id": md5_hex("ep:iam:" + proj.region), "interface": "public", "region": proj.region,
                                "region_id": proj.region, "url": base + "/v3"}]},
            ]
        return 201, {"token": tok}, {"X-Subject-Token": token}

    def domain_token(self, domain_scope, member_of, rec):
        """A domain-scoped token: it lists projects (GET /v3/auth/projects) but ModelArts refuses it."""
        proj, u = member_of[0]
        if domain_scope.get("id", proj.domain_id) != proj.domain_id or domain_scope.get("name", proj.domain) != proj.domain:
            raise iam_error(401, "The user has no access to the domain.")
        with self.state.lock:
            role_users = self.state.domain_role_users
        if role_users is not None and u["name"] not in role_users:
            # Keystone's answer to a user without a role on the domain: the same as to a wrong password.
            raise iam_error(401, "The request you have made requires authentication.")
        token, issued, expires = self.state.issue_token(None, proj.domain, u["name"])
        dom = {"id": proj.domain_id, "name": proj.domain}
        tok = {"expires_at": iso_utc(expires), "issued_at": iso_utc(issued), "methods": ["password"], "domain": dom,
               "user": {"id": u["id"], "name": u["name"], "domain": dom, "password_expires_at": ""},
               "roles": [{"id": md5_hex("role:te_admin"), "name": "te_admin"}]}
        return 201, {"token": tok}, {"X-Subject-Token": token}

    def unscoped_token(self, member_of):
        """An unscoped token (Keystone): it lists the user's projects (GET /v3/auth/projects), ModelArts refuses it."""
        proj, u = member_of[0]
        token, issued, expires = self.state.issue_token(None, proj.domain, u["name"])
        dom = {"id": proj.domain_id, "name": proj.domain}
        tok = {"expires_at": iso_utc(expires), "issued_at": iso_utc(issued), "methods": ["password"],
               "user": {"id": u["id"], "name": u["name"], "domain": dom, "password_expires_at": ""}}
        return 201, {"token": tok}, {"X-Subject-Token": token}

    def iam_projects(self, split, pairs, body):
        """GET /v3/auth/projects: the projects the credential's user can scope to, disabled ones included."""
        kind, principal = self.authenticate(split, pairs, body, iam=True)
        if principal["user"] is None and not principal["all_projects"]:
            visible = [self.state.projects[principal["project_id"]]]
        else:
            visible = self.state.visible_projects(principal["domain"], principal["user"])
        base = self.server.base_url + PROJECTS_PATH
        projects = [{"id": p.id, "name": p.name, "domain_id": p.domain_id, "enabled": p.enabled, "is_domain": False,
                     "parent_id": p.domain_id, "description": "", "links": {"self": base + "/" + p.id}} for p in visible]
        return 200, {"projects": projects, "links": {"self": base, "previous": None, "next": None}}, {}

    # -- ModelArts
    def authenticate(self, split, pairs, body, iam=False):
        """-> (kind, principal): the credential's project (None for a domain-scoped token), domain and user.

        A static token acts for the first user of its project; an access key for no user in particular (its own
        project, or with `all_projects` every project of its domain). IAM answers errors in its own shape.
        """
        try:
            return self.principal(split, pairs, body)
        except ApiError as err:
            if iam and err.body.get("error_code", "").startswith("ModelArts."):
                raise iam_error(err.status, err.body["error_message"])
            raise

    def principal(self, split, pairs, body):
        state = self.state
        auth = self.headers.get("Authorization")
        token = self.headers.get("X-Auth-Token")
        if auth:
            pid = self.verify_aksk(auth, split, pairs, body)
            cred = state.access_keys[AUTH_RE.match(auth.strip()).group(1)][1]
            return "aksk", {"project_id": pid, "domain": state.projects[pid].domain, "user": None,
                            "all_projects": bool(cred.get("all_projects"))}
        if token:
            pid = state.static_tokens.get(token)
            if pid is not None:
                proj = state.projects[pid]
                user = proj.users[0]["name"] if proj.users else None
                return "token", {"project_id": pid, "domain": proj.domain, "user": user, "all_projects": False}
            with state.lock:
                info = state.issued.get(token)
            if info is None:
                raise ma_error(401, "ModelArts.0203", "Invalid token")
            if info["expires"] <= time.time():
                raise ma_error(401, "ModelArts.0202", "The token has expired")
            return "token", {"project_id": info["project_id"], "domain": info["domain"], "user": info["user"],
                             "all_projects": False}
        raise ma_error(401, "ModelArts.0205", "No authorization header: send X-Auth-Token or an AK/SK signature")

    def verify_aksk(self, auth, split, pairs, body):
        m = AUTH_RE.match(auth.strip())
        if not m:
            raise ma_error(401, "ModelArts.0206", "Bad authorization header format")
        access, signed, signature = m.group(1), m.group(2), m.group(3).lower()
        entry = self.state.access_keys.get(access)
        if entry is None:
            raise apigw_error("Incorrect IAM authentication information: unknown access key")
        pid, cred = entry
        signed_list = signed.split(";")
        if signed_list != sorted(h.lower() for h in signed_list):
            raise apigw_error("Incorrect IAM authentication information: signed headers must be lower case and sorted")
        if "x-sdk-date" not in signed_list:
            raise apigw_error("Incorrect IAM authentication information: x-sdk-date must be signed")
        sdk_date = self.headers.get("X-Sdk-Date")
        if not sdk_date:
            raise apigw_error("Incorrect IAM authentication information: X-Sdk-Date is missing")
        try:
            when = datetime.datetime.strptime(sdk_date.strip(), SDK_DATE_FORMAT).replace(tzinfo=datetime.timezone.utc)
        except ValueError:
            raise apigw_error("Incorrect IAM authentication information: X-Sdk-Date format is invalid")
        if abs(time.time() - when.timestamp()) > SDK_DATE_SKEW:
            raise apigw_error("Incorrect IAM authentication information: X-Sdk-Date is expired")
        if cred.get("security_token"):
            sent = self.headers.get("X-Security-Token")
            if not sent or not hmac.compare_digest(sent, cred["security_token"]) or "x-security-token" not in signed_list:
                raise apigw_error("Incorrect IAM authentication information: a valid, signed X-Security-Token is required")
        headers_part = []
        for name in signed_list:
            value = self.headers.get(name)
            if value is None:
                raise apigw_error("Incorrect IAM authentication information: signed header %s is missing" % name)
            headers_part.append("%s:%s\n" % (name, value.strip()))
        segments = [quote(seg, safe="~") for seg in unquote(split.path).split("/")]
        uri = "/".join(segments)
        if not uri.endswith("/"):
            uri += "/"
        canon_query = "&".join("%s=%s" % kv for kv in sorted((quote(k, safe="~"), quote(v, safe="~")) for k, v in pairs))
        payload_hash = hashlib.sha256(body).hexdigest()
        declared = (self.headers.get("X-Sdk-Content-Sha256") or "").strip()
        if body and declared:
            # UNSIGNED-PAYLOAD (as the reference signer sends for non-JSON bodies) leaves the body out of the
            # signature; a declared hash must be the body's, or a changed body would pass under the original hash.
            if declared != "UNSIGNED-PAYLOAD" and declared.lower() != payload_hash:
                raise apigw_error("Incorrect IAM authentication information: the body does not match X-Sdk-Content-Sha256")
            payload_hash = declared
        canonical = "\n".join([self.command.upper(), uri, canon_query, "".join(headers_part), signed, payload_hash])
        to_sign = "SDK-HMAC-SHA256\n%s\n%s" % (sdk_date, hashlib.sha256(canonical.encode("utf-8")).hexdigest())
        expected = hmac.new(cred["secret_key"].encode("utf-8"), to_sign.encode("utf-8"), hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, signature):
            raise apigw_error("Incorrect IAM authentication information: verify aksk signature fail")
        return pid

    def versions(self, split, pairs, query, body, rec):
        pid = VERSIONS_PATH_RE.match(split.path).group(1)
        rec["project_id"] = pid
        fault = self.state.take_fault("versions")

        def normal():
            try:
                return self.versions_answer(split, pairs, query, body, pid, rec)
            except ApiError as err:
                return err.status, dumps(err.body), err.headers, None

        if fault is not None and self.apply_fault(fault, rec, normal):
            return
        status, data, headers, _page = normal()
        rec["status"] = status
        self.send_bytes(status, data, headers=headers)

    def authorized_project(self, split, pairs, body, pid, rec):
        """Give back the project of a ModelArts request once its credential may use it (else raise ApiError)."""
        state = self.state
        kind, principal = self.authenticate(split, pairs, body)
        rec["auth"] = kind
        if not PROJECT_ID_RE.match(pid):
            raise ma_error(400, "ModelArts.0210", "Invalid project ID")
        proj = state.projects.get(pid)
        if proj is None:
            raise ma_error(404, "ModelArts.0015", "Resource not found: project %s" % pid)
        if principal["project_id"] is None:
            raise ma_error(403, "ModelArts.0108", "Not authorized: a domain-scoped or unscoped token cannot call "
                                                  "ModelArts; use a token scoped to the project")
        if principal["project_id"] != pid and not (principal["all_projects"] and principal["domain"] == proj.domain):
            raise ma_error(403, "ModelArts.0210", "The project ID in the URL does not match the credential")
        if not proj.enabled:
            raise ma_error(403, "ModelArts.0108", "Not authorized: the project is disabled")
        if not proj.modelarts:
            raise ma_error(403, "ModelArts.2785", "ModelArts is not authorized in this project")
        return proj

    def versions_answer(self, split, pairs, query, body, pid, rec):
        state = self.state
        proj = self.authorized_project(split, pairs, body, pid, rec)
        for name, vals in query.items():
            if len(vals) > 1:
                raise ma_error(400, "ModelArts.2764", "Invalid query parameter: %s is given more than once" % name)
        offset, offset_raw = parse_nonneg(query, "offset", 0)
        limit, _limit_raw = parse_nonneg(query, "limit", 20)
        status = first_value(query, "status")
        if status is not None:
            if not (status.isdigit() and status.isascii() and 0 <= int(status) <= 21):
                raise ma_error(400, "ModelArts.0107", "Invalid request parameter value: status must be an integer from 0 to 21")
            status = int(status)
        sort_by = first_value(query, "sort_by")
        sort_by = "create_time" if sort_by is None else sort_by
        if sort_by not in SORT_KEYS:
            raise ma_error(400, "ModelArts.2790", "UnsupportedSortBy: sort_by must be one of create_time, job_desc, status, duration, job_name")
        order = first_value(query, "order")
        order = "desc" if order is None else order
        if order not in ("asc", "desc"):
            raise ma_error(400, "ModelArts.2788", "InvalidParam: order must be asc or desc")
        workspace_id = first_value(query, "workspace_id")
        workspace_id = "0" if workspace_id is None else workspace_id
        if workspace_id not in proj.workspaces:
            raise ma_error(400, "ModelArts.0102", "The workspace does not exist")
        pool_id = first_value(query, "pool_id")
        if pool_id is not None and pool_id not in proj.pools:
            raise ma_error(404, "ModelArts.2890", "PoolNotFound: the resource pool does not exist")
        state.apply_transitions()
        with state.lock:
            unit = state.offset_unit
            generation = proj.generation
        key = (pid, generation, unit, status, pool_id, workspace_id, sort_by, order, offset, limit)
        items = state.sorted_list(proj, status, pool_id, workspace_id, sort_by, order)
        if limit == 0:
            page_items = items
        else:
            if unit == "records":
                start = offset
            elif unit == "pages":
                start = offset * limit
            else:
                start = max(offset - 1, 0) * limit
            page_items = items[start:start + limit]
        page = {"is_success": True, "total_count": len(items), "offset": offset if offset_raw is not None else 0,
                "limit": limit, "versions": page_items}
        with state.lock:
            data = state.body_cache.get(key)
        if data is None:
            data = dumps(page)
            with state.lock:
                if len(state.body_cache) > 256:
                    state.body_cache.clear()
                state.body_cache[key] = data
        return 200, data, {}, page

    # -- control API
    def control(self, split, body):
        state = self.state
        path = split.path.rstrip("/")
        method = self.command
        try:
            payload = json.loads(body.decode("utf-8")) if body.strip() else {}
        except ValueError:
            self.send_json(400, {"error": "body is not JSON"})
            return
        try:
            if path == "/_emulator/log" and method == "GET":
                with state.log_lock:
                    state.wait_until_logged()
                    out = list(state.records)
                self.send_json(200, out)
            elif path == "/_emulator/log/reset" and method == "POST":
                with state.log_lock:
                    state.wait_until_logged()
                    state.records = []
                self.send_json(200, {"ok": True})
            elif path == "/_emulator/faults" and method == "POST":
                state.add_faults(payload.get("faults", []))
                with state.lock:
                    self.send_json(200, {"ok": True, "faults": list(state.faults)})
            elif path == "/_emulator/faults" and method == "GET":
                with state.lock:
                    self.send_json(200, {"faults": list(state.faults)})
            elif path == "/_emulator/faults" and method == "DELETE":
                with state.lock:
                    state.faults = []
                self.send_json(200, {"ok": True})
            elif path == "/_emulator/config" and method == "POST":
                with state.lock:
                    if "offset_unit" in payload:
                        if payload["offset_unit"] not in OFFSET_UNITS:
                            raise ConfigError("offset_unit must be one of %s" % ", ".join(OFFSET_UNITS))
                        state.offset_unit = payload["offset_unit"]
                    if "token_ttl" in payload:
                        state.token_ttl = float(payload["token_ttl"])
                    if "latency" in payload:
                        state.latency = parse_latency(payload["latency"])
                    state.set_catalog(payload)
                    self.send_json(200, {"offset_unit": state.offset_unit, "token_ttl": state.token_ttl,
                                         "latency": state.latency, "catalog_path": state.catalog_path,
                                         "catalog_region": state.catalog_region,
                                         "catalog_url": state.catalog_url})
            elif path == "/_emulator/versions" and method == "POST":
                proj = state.projects.get(payload.get("project_id") or state.project_order[0])
                if proj is None:
                    raise ConfigError("unknown project_id")
                with state.lock:
                    if "replace" in payload:
                        proj.set_versions(payload["replace"])
                    if "remove" in payload:
                        proj.remove_versions(payload["remove"])
                    if "add" in payload:
                        proj.add_versions(payload["add"])
                    self.send_json(200, proj.summary())
            elif path == "/_emulator/transitions" and method == "POST":
                pid = payload.get("project_id") or state.project_order[0]
                state.add_transitions(pid, payload.get("transitions", []), time.time())
                self.send_json(200, {"ok": True, "pending": len(state.transitions)})
            elif path.startswith("/_emulator/v2/"):  # the v2 jobs' data, phase changes and settings
                out = _v2_training.control(self, path, method, payload, split.query)
                self.send_json(200 if out is not None else 404,
                               out if out is not None else {"error": "unknown control endpoint %s %s" % (method, path)})
            elif path == "/_emulator/state" and method == "GET":
                state.apply_transitions()
                with state.lock:
                    self.send_json(200, {
                        "projects": [state.projects[p].summary() for p in state.project_order],
                        "offset_unit": state.offset_unit, "token_ttl": state.token_ttl, "latency": state.latency,
                        "pending_transitions": len(state.transitions), "faults": len(state.faults),
                        "requests": len(state.records), "base_url": self.server.base_url})
            else:
                self.send_json(404, {"error": "unknown control endpoint %s %s" % (method, path)})
        except (ConfigError, KeyError, TypeError, ValueError) as exc:
            self.send_json(400, {"error": "%s: %s" % (type(exc).__name__, exc)})


class EmulatorServer(ThreadingHTTPServer):
    daemon_threads = True  # one thread per connection: requests on parallel connections are answered concurrently
    allow_reuse_address = True
    request_queue_size = 128  # the default 5 can drop SYNs when many clients connect at once

    def __init__(self, address, state):
        ThreadingHTTPServer.__init__(self, address, Handler)
        self.state = state
        self.base_url = ""

    def handle_error(self, request, client_address):
        # A client that goes away mid-answer is normal in fault tests: stay quiet.
        pass


# ---------------------------------------------------------------- main ----

def parse_args(argv):
    p = argparse.ArgumentParser(description="ModelArts + IAM emulator for tests")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--config", help="JSON file with projects and settings")
    p.add_argument("--versions", type=int, default=40, help="versions to generate per project (default 40)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--offset-unit", choices=OFFSET_UNITS, default="records")
    p.add_argument("--token-ttl", type=float, default=86400.0, help="lifetime of issued tokens in seconds")
    p.add_argument("--latency", type=float, default=0.0,
                   help="seconds every IAM and ModelArts answer is delayed (default 0)")
    p.add_argument("--log-file", help="append each request record as a JSON line")
    p.add_argument("--pid-file", help="write the process id here (removed on exit)")
    p.add_argument("--tls-cert", help="PEM certificate: serve https")
    p.add_argument("--tls-key", help="PEM private key for --tls-cert")
    _v2_training.add_arguments(p)
    _generated_projects.add_arguments(p)
    p.add_argument("--print-env", action="store_true",
                   help="after the URL line, print the shell lines that point mlops.modelarts at this emulator "
                        "(its credentials as export lines) and a curl call that completes a version")
    return p.parse_args(argv)


# Variables of the collection that would mix another login, project or cloud into the emulator's token login: an
# openrc or clouds.yaml entry left in the shell must not turn the pasted lines into a "conflicting credentials" error.
FOREIGN_VARIABLES = ("OS_CLOUD", "OS_USERNAME", "OS_PASSWORD", "OS_PROJECT_NAME", "OS_USER_DOMAIN_NAME",
                     "OS_USER_DOMAIN_ID", "OS_DOMAIN_NAME", "OS_DOMAIN_ID", "OS_INTERFACE", "OS_ACCESS_KEY",
                     "OS_SECRET_KEY", "HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_SK", "HUAWEICLOUD_SDK_SECURITY_TOKEN",
                     "HUAWEICLOUD_SDK_PROJECT_ID")
PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")
COMPLETED, FAILED, RUNNING = 10, 11, 8


def _example_version(proj):
    """Give back the version the printed curl call completes: the newest running one, else the newest one, or None."""
    newest_first = sorted(proj.versions, key=lambda v: v["create_time"], reverse=True)
    running = [v for v in newest_first if v.get("status") == RUNNING]
    return (running or newest_first or [None])[0]


def env_lines(state, base_url, environ):
    """Give back the lines --print-env prints: shell code (comments, unset, export) for the first project."""
    proj = state.projects[state.project_order[0]]
    settings = [("MODELARTS_ENDPOINT", base_url), ("OS_AUTH_URL", base_url + "/v3")]
    if proj.tokens:
        settings.append(("OS_AUTH_TOKEN", proj.tokens[0]))
    elif proj.aksk:
        settings += [("HUAWEICLOUD_SDK_AK", proj.aksk[0]["access_key"]), ("HUAWEICLOUD_SDK_SK", proj.aksk[0]["secret_key"])]
        if proj.aksk[0].get("security_token"):
            settings.append(("HUAWEICLOUD_SDK_SECURITY_TOKEN", proj.aksk[0]["security_token"]))
    settings += [("OS_PROJECT_ID", proj.id), ("OS_REGION_NAME", proj.region)]
    if any(environ.get(name) for name in PROXY_VARIABLES):
        # A proxy would be asked for a loopback URL (requests honours no_proxy before NO_PROXY).
        host = base_url.split("://", 1)[1].rsplit(":", 1)[0].strip("[]")
        kept = environ.get("no_proxy") or environ.get("NO_PROXY")
        bypass = ",".join([host, "localhost"] + ([kept] if kept else []))
        settings += [("no_proxy", bypass), ("NO_PROXY", bypass)]
    exported = {name for name, dummy in settings}
    lines = [
        "# ModelArts + IAM emulator at %s (project %s, region %s); Ctrl-C stops it." % (base_url, proj.name, proj.region),
        "# Point mlops.modelarts at it: paste the next two lines into the shell that runs ansible.",
        "unset " + " ".join(name for name in FOREIGN_VARIABLES if name not in exported),
        "export " + " ".join("%s=%s" % (name, shlex.quote(value)) for name, value in settings),
    ]
    if proj.users:
        lines.append("# A password login instead of the token: OS_USERNAME=%s OS_PASSWORD=%s OS_USER_DOMAIN_NAME=%s "
                     "OS_PROJECT_NAME=%s (unset OS_AUTH_TOKEN)" % tuple(
                         shlex.quote(x) for x in (proj.users[0]["name"], proj.users[0]["password"], proj.domain,
                                                  proj.name)))
    example = _example_version(proj)
    if example is not None:
        body = json.dumps({"transitions": [{"version_id": example["version_id"], "status": COMPLETED}]})
        lines += [
            # json.dumps: a name from a config file stays on its comment line, whatever it holds.
            "# Make %s (version_id %s) complete now; status %d makes it fail, after_seconds delays the change:"
            % (json.dumps(example["version_name"]), example["version_id"], FAILED),
            "#   curl -s -X POST %s/_emulator/transitions -d %s" % (base_url, shlex.quote(body)),
        ]
    lines.append("# More control calls (faults, data, request log): tests/emulator/README.md beside this script.")
    return lines


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    config = {}
    if args.config:
        with open(args.config) as f:
            config = json.load(f)
    try:
        state = State(config, args)
    except (ConfigError, KeyError, TypeError, ValueError) as exc:
        sys.stderr.write("modelarts_emulator: bad configuration: %s\n" % exc)
        return 2
    try:
        server = EmulatorServer((args.host, args.port), state)
    except OSError as exc:
        sys.stderr.write("modelarts_emulator: cannot listen on %s port %d: %s (choose another with --port; "
                         "--port 0 picks a free one)\n" % (args.host, args.port, exc.strerror or exc))
        return 2
    scheme = "http"
    if args.tls_cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(args.tls_cert, args.tls_key)
        server.socket = ctx.wrap_socket(server.socket, server_side=True, do_handshake_on_connect=False)
        scheme = "https"
    host, port = server.server_address[:2]
    if ":" in host:
        host = "[%s]" % host
    server.base_url = "%s://%s:%d" % (scheme, host, port)
    if args.log_file:
        state.log_file = open(args.log_file, "a")
    if args.pid_file:
        with open(args.pid_file, "w") as f:
            f.write("%d\n" % os.getpid())

    stop = threading.Event()

    def on_signal(signum, frame):
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    worker = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2})
    worker.daemon = True
    worker.start()
    sys.stdout.write("MODELARTS_EMULATOR_URL=%s\n" % server.base_url)
    if args.print_env:
        sys.stdout.write("".join(line + "\n" for line in env_lines(state, server.base_url, os.environ)))
    sys.stdout.flush()
    while not stop.wait(0.5):
        pass
    server.shutdown()
    server.server_close()
    if state.log_file is not None:
        with state.log_lock:
            state.log_file.close()
            state.log_file = None
    if args.pid_file:
        try:
            os.remove(args.pid_file)
        except OSError:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
