# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""New-version (v2) training jobs for the emulator: the search, the flavors, one job, and their control API.

``modelarts_emulator.py`` routes ``/v2/{project_id}/training-job-searches``, ``/v2/{project_id}/training-job-flavors``,
``/v2/{project_id}/training-jobs/{id}`` and ``/_emulator/v2/...`` here. Standard library only. This module never
imports the emulator: the server runs as ``__main__`` (a second import would make second copies of its classes, and
its ``ApiError`` would no longer be the one it catches), so the emulator's own module is looked up from the handler or
state object that calls in (``_emu``).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import hashlib
import json
import random
import re
import sys
import threading
import time
import uuid

from urllib.parse import parse_qs

SEARCH_RE = re.compile(r"^/v2/([^/]+)/training-job-searches/?$")
FLAVORS_RE = re.compile(r"^/v2/([^/]+)/training-job-flavors/?$")
JOB_RE = re.compile(r"^/v2/([^/]+)/training-jobs/([^/]+)/?$")
# Fault targets of the v2 endpoints (v1's are "versions" and "iam"): a fault queued for one API never hits the other,
# so a client that reads both at once (training_api: all) can be faulted on one side.
FAULT_TARGETS = ("v2_search", "v2_flavors", "v2_job")

PHASES = ("Creating", "Pending", "Running", "Failed", "Completed", "Terminating", "Terminated", "Abnormal")
SECONDARY_PHASE = {"Creating": "Creating", "Pending": "Queuing", "Running": "Running", "Failed": "Failed",
                   "Completed": "Completed", "Terminating": "Terminating", "Terminated": "Terminated",
                   "Abnormal": "CreateFailed"}
PHASE_WEIGHTS = {"Running": 26, "Completed": 30, "Failed": 12, "Pending": 10, "Creating": 2, "Terminating": 1,
                 "Terminated": 4, "Abnormal": 2}
NOT_STARTED = frozenset(["Creating", "Pending", "Abnormal"])
TERMINAL = frozenset(["Failed", "Completed", "Terminated", "Abnormal"])

# Public flavors (GET training-job-flavors lists them; a public-pool job carries one as spec.resource.flavor_detail):
# id -> (name, type, cpu arch, cores, memory GB, gpu (unit_num int, product, memory) or None,
#        npu (unit_num STRING, product, memory) or None, max_num)
PUBLIC_FLAVORS = {
    "modelarts.vm.cpu.8u": ("Computing CPU(8U) instance", "CPU", "x86", 8, 32, None, None, 16),
    "modelarts.vm.pnt1.large.eco": ("Computing GPU(Pnt1) instance", "GPU", "x86", 8, 64, (1, "GP-Pnt1", "8GB"), None, 1),
    "modelarts.vm.gpu.v100nv32": ("GPU: 1*NVIDIA-V100-nv32(32GB) | CPU: 8 vCPUs 64GB", "GPU", "x86", 8, 64,
                                  (1, "NVIDIA-V100-nv32", "32GB"), None, 8),
    "modelarts.vm.gpu.8v100nv32": ("GPU: 8*NVIDIA-V100-nv32(32GB) | CPU: 64 vCPUs 512GB", "GPU", "x86", 64, 512,
                                   (8, "NVIDIA-V100-nv32", "32GB"), None, 8),
    "modelarts.vm.npu.arm.1snt9b3": ("Ascend: 1*ascend-snt9b(64GB) | ARM: 24 vCPUs 192GB", "Ascend", "aarch64", 24, 192,
                                     None, ("1", "Ascend-snt9b", "64GB"), 8),
    "modelarts.bm.npu.arm.8snt9b3.d": ("Ascend: 8*ascend-snt9b(64GB) | ARM: 192 vCPUs 1536GB", "Ascend", "aarch64", 192,
                                       1536, None, ("8", "Ascend-snt9b", "64GB"), 8),
}
# Dedicated-pool flavors the API page documents (GPUs per node); jobs on them have no flavor_detail, and the flavors
# endpoint does not list them.
DEDICATED_FLAVORS = {"modelarts.pool.visual.xlarge": 1, "modelarts.pool.visual.2xlarge": 2,
                     "modelarts.pool.visual.4xlarge": 4, "modelarts.pool.visual.8xlarge": 8}
GPU_PUBLIC = ("modelarts.vm.pnt1.large.eco", "modelarts.vm.gpu.v100nv32", "modelarts.vm.gpu.8v100nv32")
NPU_PUBLIC = ("modelarts.vm.npu.arm.1snt9b3", "modelarts.bm.npu.arm.8snt9b3.d")
FLAVOR_TYPES = ("CPU", "GPU", "Ascend")
ENGINES = (("PyTorch", "pytorch_1.8.0-cuda_10.2-py_3.7-ubuntu_18.04-x86_64"),
           ("TensorFlow", "tensorflow_2.1.0-cuda_10.1-py_3.7-ubuntu_18.04-x86_64"),
           ("MindSpore", "mindspore_2.2.0-cann_7.0.1-py_3.9-euler_2.10.7-aarch64"))

# The search body: what the SDK's JobSearches model knows (the API page lists fewer: see README.md).
SEARCH_KEYS = ("offset", "limit", "sort_by", "order", "group_by", "filters", "workspace_id", "train_type", "tags",
               "host_ips")
SORT_FIELDS = ("create_time", "name", "phase", "duration", "start_time", "description")
FILTER_KEYS = ("name", "create_time", "phase", "algorithm_name", "kind", "user_id", "runtime_type")
OPERATORS = ("between", "like", "in", "not")
DEFAULT_LIMIT = 10
COUNT_MODES = ("page", "matching")
JOB_SPEC_KEYS = ("id", "name", "description", "create_time", "workspace_id", "user_name", "phase", "secondary_phase",
                 "start_time", "duration", "flavor_id", "node_count", "pool_id", "algorithm_name", "flavor_detail",
                 "patch")
_NO_DETAIL = object()  # an explicit job asked for no flavor_detail


def _emu(obj):
    """Give back the emulator module that `obj` (its handler or state) belongs to."""
    return sys.modules[type(obj).__module__]


class V2Error(Exception):
    """An error answer of the v2 API: HTTP status and {error_code, error_msg} (v2 has no is_success)."""

    def __init__(self, status, code, message):
        super(V2Error, self).__init__(message)
        self.status = status
        self.body = {"error_code": code, "error_msg": message}


def as_v2_body(body):
    """A v1-shaped error body (error_message, is_success) in v2's shape; APIGW's error_msg bodies stay as they are."""
    if "error_message" in body:
        return {"error_code": body.get("error_code"), "error_msg": body["error_message"]}
    return body


# ---------------------------------------------------------------- data ----

def add_arguments(parser):
    parser.add_argument("--v2-jobs", type=int, default=0,
                        help="new-version (v2) training jobs to generate per project (default 0)")
    parser.add_argument("--v2-count", choices=COUNT_MODES, default="page",
                        help="what a v2 search answer's count means: page (the jobs on the page, as the API page's "
                             "example shows) or matching (every job the filters match, as its text says)")


def _uuid(rng):
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _job_core(**fields):
    """A job as the emulator keeps it: the few values every other field of the rendered job is derived from."""
    core = {"id": None, "name": None, "description": "", "create_time": 0, "workspace_id": "0", "user_name": "",
            "phase": "Completed", "secondary_phase": None, "start_time": 0, "duration": 0,
            "flavor_id": "modelarts.vm.gpu.v100nv32", "node_count": 1, "pool_id": None, "algorithm_name": "",
            "flavor_detail": None, "patch": None}
    core.update(fields)
    if core["secondary_phase"] is None:
        core["secondary_phase"] = SECONDARY_PHASE.get(core["phase"], "Unknown")
    return core


def generate_jobs(count, seed, pools, user_name, job_names, epoch_ms):
    """Deterministic job cores from (count, seed, pools): create_time distinct, 60 days before the fixed epoch."""
    count = int(count)
    if count <= 0:
        return []
    rng = random.Random("v2:%s" % seed)
    span = 60 * 86400 * 1000
    offsets = sorted(rng.sample(range(span), count))
    phases = list(PHASES)
    statuses = rng.choices(phases, weights=[PHASE_WEIGHTS[p] for p in phases], k=count)
    missing = [p for p in phases if p not in set(statuses)]
    common = [i for i, p in enumerate(statuses) if PHASE_WEIGHTS[p] >= 10]
    rng.shuffle(common)
    for phase, idx in zip(missing, common):
        statuses[idx] = phase
    counters = {}
    jobs = []
    rand, randint = rng.random, rng.randint
    pools = list(pools)
    for i in range(count):
        base = job_names[int(rand() * len(job_names))]
        n = counters.get(base, 0) + 1
        counters[base] = n
        phase = statuses[i]
        create_time = epoch_ms - span + offsets[i]
        start_time = duration = 0
        if phase not in NOT_STARTED:
            start_time = create_time + randint(1000, 1800000)
            duration = randint(30, 43200) * 1000
        pool = None
        if pools and rand() < 0.5:
            pool = pools[int(rand() * len(pools))]
        if pool is None:
            flavor = ("modelarts.vm.cpu.8u",) + GPU_PUBLIC + NPU_PUBLIC
        elif "npu" in pool:
            flavor = NPU_PUBLIC
        else:
            flavor = tuple(DEDICATED_FLAVORS) + GPU_PUBLIC
        flavor_id = flavor[int(rand() * len(flavor))]
        nodes = (1, 1, 1, 1, 1, 1, 2, 4)[int(rand() * 8)]
        jobs.append(_job_core(
            id=_uuid(rng), name="%s-%04d" % (base, n),
            description="" if rand() < 0.3 else "run %d of %s" % (n, base),
            create_time=create_time, user_name=user_name, phase=phase, start_time=start_time, duration=duration,
            flavor_id=flavor_id, node_count=nodes, pool_id=pool, algorithm_name="%s-algo" % base))
    return jobs


def job_from_spec(raw, fallback_id, fallback_user, epoch_ms):
    """An explicit job object (JOB_SPEC_KEYS, all optional) -> a job core. Unknown keys are refused."""
    if not isinstance(raw, dict):
        raise ValueError("a v2 job must be an object")
    unknown = sorted(set(raw) - set(JOB_SPEC_KEYS))
    if unknown:
        raise ValueError("unknown v2 job keys %s (known: %s)" % (", ".join(unknown), ", ".join(JOB_SPEC_KEYS)))
    spec = dict(raw)
    phase = spec.setdefault("phase", "Completed")
    create_time = spec.setdefault("create_time", epoch_ms)
    started = phase not in NOT_STARTED
    spec.setdefault("start_time", create_time + 60000 if started else 0)
    spec.setdefault("duration", 3600000 if phase in TERMINAL and started else 0)
    spec.setdefault("id", fallback_id)
    spec.setdefault("name", "custom-job-%s" % str(spec["id"])[:8])
    spec.setdefault("user_name", fallback_user)
    spec.setdefault("algorithm_name", "custom-algo")
    if "flavor_detail" in spec:
        spec["flavor_detail"] = _NO_DETAIL if spec["flavor_detail"] in (None, False) else spec["flavor_detail"]
    if spec.get("patch") is not None and not isinstance(spec["patch"], dict):
        raise ValueError("a v2 job's patch must be an object")
    if spec.get("workspace_id") is not None:
        spec["workspace_id"] = str(spec["workspace_id"])
    return _job_core(**spec)


def _disk(size_as_string):
    # flavor_detail's Disk has a string size, the flavors endpoint's DiskResponse an integer (page and SDK agree).
    return {"size": "50" if size_as_string else 50, "unit": "GB"}


_SHARED = {}  # constant parts of rendered jobs, built once (never mutated: a patched job is copied first)


def _shared(key, build):
    value = _SHARED.get(key)
    if value is None:
        value = _SHARED[key] = build()
    return value


def flavor_info(flavor_id, detail):
    name, ftype, arch, cores, memory, gpu, npu, max_num = PUBLIC_FLAVORS[flavor_id]
    info = {"max_num": max_num, "cpu": {"arch": arch, "core_num": cores}}
    if gpu:
        info["gpu"] = {"unit_num": gpu[0], "product_name": gpu[1], "memory": gpu[2]}
    if npu:
        info["npu"] = {"unit_num": npu[0], "product_name": npu[1], "memory": npu[2]}
    info["memory"] = {"size": memory, "unit": "GB"}
    info["disk"] = _disk(detail)
    return info


def flavor_entry(flavor_id):
    """One flavor as GET training-job-flavors lists it."""
    name, ftype = PUBLIC_FLAVORS[flavor_id][:2]
    return {"flavor_id": flavor_id, "flavor_name": name, "flavor_type": ftype,
            "billing": {"code": flavor_id, "unit_num": 1}, "flavor_info": flavor_info(flavor_id, False)}


def flavor_detail(core):
    """spec.resource.flavor_detail: only public-pool jobs on a known flavor have one (unless given explicitly)."""
    given = core["flavor_detail"]
    if given is _NO_DETAIL:
        return None
    if given is not None:
        return given
    if core["pool_id"] is not None or core["flavor_id"] not in PUBLIC_FLAVORS:
        return None
    flavor_id = core["flavor_id"]
    return _shared(("detail", flavor_id), lambda: {
        "flavor_type": PUBLIC_FLAVORS[flavor_id][1], "billing": {"code": flavor_id, "unit_num": 1},
        "flavor_info": flavor_info(flavor_id, True)})


def _flavor_name(flavor_id):
    if flavor_id in PUBLIC_FLAVORS:
        return PUBLIC_FLAVORS[flavor_id][0]
    if flavor_id in DEDICATED_FLAVORS:
        return "GPU: %d*NVIDIA-V100(32GB) (dedicated)" % DEDICATED_FLAVORS[flavor_id]
    return flavor_id


def _merge(target, patch):
    """Deep-merge `patch` into `target`; a None value removes the key."""
    for key, value in patch.items():
        if value is None:
            target.pop(key, None)
        elif isinstance(value, dict) and isinstance(target.get(key), dict):
            _merge(target[key], value)
        else:
            target[key] = value
    return target


def render_job(core, pool_names):
    """Give back the full job object (about 3-4 KB of JSON) the API would answer for a job core."""
    jid, name, phase = core["id"], core["name"], core["phase"]
    nodes = core["node_count"] if isinstance(core["node_count"], int) else 1
    start, duration, create = core["start_time"], core["duration"], core["create_time"]
    tasks = ["worker-%d" % i for i in range(max(min(nodes, 64), 1))]
    digest = hashlib.md5(str(jid).encode("utf-8")).hexdigest()
    engine_name, engine_id = ENGINES[int(digest[0], 16) % len(ENGINES)]
    bucket = "/ml-bucket-%s" % digest[:6]
    safe = re.sub(r"[^A-Za-z0-9_-]", "_", str(name))[:64]
    code_dir = "obs:/%s/code/%s/" % (bucket, safe)
    data_url = "%s/datasets/%s/" % (bucket, safe)
    out_url = "%s/output/%s/" % (bucket, safe)
    metrics = [[create, 0]]
    records = []
    if start:
        metrics.append([start, nodes])
        record = {"start_at": start // 1000, "start_type": "init_or_smc"}
        if phase in TERMINAL:
            metrics.append([start + duration, 0])
            record.update(end_at=(start + duration) // 1000, end_reason=phase.lower(), end_related_task="worker-0",
                          end_recover="", end_recover_before_downgrade="")
        records.append(record)
    status = {"phase": phase, "secondary_phase": core["secondary_phase"], "duration": duration,
              "start_time": start, "node_count_metrics": metrics, "tasks": tasks}
    if phase in TERMINAL:
        code = 0 if phase == "Completed" else 1
        status["task_statuses"] = [{"task": t, "exit_code": code, "message": "" if code == 0 else "exit code 1"}
                                   for t in tasks[:8]]
    status["running_records"] = records
    parameters = _shared(("parameters", digest[1:3]), lambda: [
        {"name": "epochs", "value": str(10 + int(digest[1], 16)), "description": "training epochs",
         "constraint": {"type": "Integer", "editable": True, "required": False, "sensitive": False}},
        {"name": "learning_rate", "value": "0.000%d" % (1 + int(digest[2], 16) % 9), "description": "initial lr",
         "constraint": {"type": "Float", "editable": True, "required": False, "sensitive": False}},
    ])
    engine = _shared(("engine", engine_id), lambda: {
        "engine_id": engine_id, "engine_name": engine_name, "engine_version": engine_id, "image_url": "",
        "install_sys_packages": False})
    task_engine = _shared(("task_engine", engine_id), lambda: {
        "engine_id": engine_id, "engine_name": engine_name, "engine_version": engine_id, "v1_compatible": False,
        "run_user": "1000"})
    algorithm = {
        "id": str(uuid.UUID(digest)), "name": core["algorithm_name"], "code_dir": code_dir,
        "boot_file": code_dir + "train.py", "parameters": parameters,
        "inputs": [{"name": "data_url", "description": "training data",
                    "local_dir": "/home/ma-user/modelarts/inputs/data_url_0",
                    "remote": {"obs": {"obs_url": data_url}}}],
        "outputs": [{"name": "train_url", "description": "trained model",
                     "local_dir": "/home/ma-user/modelarts/outputs/train_url_0",
                     "remote": {"obs": {"obs_url": out_url}}}],
        "engine": engine, "local_code_dir": "/home/ma-user/modelarts/user-job-dir",
        "working_dir": "/home/ma-user/modelarts/user-job-dir/code",
        "environments": [{"PYTHONUNBUFFERED": "1"}, {"MA_JOB_NAME": safe}],
    }
    detail = flavor_detail(core)
    resource = {"policy": "regular", "flavor_id": core["flavor_id"], "flavor_name": _flavor_name(core["flavor_id"]),
                "node_count": core["node_count"]}
    if core["pool_id"] is not None:
        resource["pool_id"] = core["pool_id"]
        resource["pool_name"] = pool_names.get(core["pool_id"], core["pool_id"])
    if detail is not None:
        resource["flavor_detail"] = detail
    task_resource = {"flavor_id": core["flavor_id"], "flavor_name": resource["flavor_name"], "max_num": nodes}
    if core["flavor_id"] in PUBLIC_FLAVORS:
        task_resource.update(flavor_type=PUBLIC_FLAVORS[core["flavor_id"]][1],
                             billing={"code": core["flavor_id"], "unit_num": 1},
                             flavor_info=_shared(("info", core["flavor_id"]),
                                                 lambda: flavor_info(core["flavor_id"], False)))
    spec = {"resource": resource,
            "log_export_path": {"obs_url": "%s/logs/%s/" % (bucket, safe)},
            "schedule_policy": {"priority": 1, "preemptible": False}}
    if core["pool_id"] is not None:
        spec["volumes"] = [{"nfs": {"nfs_server_path": "192.168.0.%d:/sfs/data" % (int(digest[4:6], 16) % 250 + 2),
                                    "local_path": "/mnt/sfs_turbo", "read_only": False}}]
    job = {
        "kind": "job",
        "metadata": {"id": jid, "name": name, "description": core["description"], "create_time": create,
                     "workspace_id": core["workspace_id"], "user_name": core["user_name"],
                     "annotations": {"job_template": "Template DL", "key_task": "worker"}},
        "status": status,
        "algorithm": algorithm,
        "tasks": [{"role": "worker",
                   "algorithm": {"code_dir": code_dir, "boot_file": code_dir + "train.py",
                                 "inputs": {"name": "data_url", "local_dir": "/home/ma-user/modelarts/inputs/data_url_0",
                                            "remote": {"obs": {"obs_url": data_url}}},
                                 "outputs": {"name": "train_url",
                                             "local_dir": "/home/ma-user/modelarts/outputs/train_url_0",
                                             "remote": {"obs": {"obs_url": out_url}}, "mode": "upload_periodically",
                                             "period": "30s"},
                                 "engine": task_engine,
                                 "local_code_dir": "/home/ma-user/modelarts/user-job-dir",
                                 "working_dir": "/home/ma-user/modelarts/user-job-dir/code"},
                   "task_resource": task_resource}],
        "spec": spec,
    }
    if phase == "Running":
        job["endpoints"] = {"ssh": {"key_pair_names": ["KeyPair-ml"], "task_urls": [
            {"task": t, "url": "ssh://ma-user@10.0.%d.%d:22" % (i // 250, i % 250 + 2)} for i, t in enumerate(tasks[:8])]}}
    if core["patch"]:
        job = _merge(json.loads(json.dumps(job)), json.loads(json.dumps(core["patch"])))
    return job


class V2Project(object):
    """One project's v2 jobs: cores in a list, their rendered JSON cached per job until it changes."""

    warm = True  # serialised in the background (start_warming); a generated project's jobs are not held

    def __init__(self, proj, spec, defaults):
        self.proj = proj
        self.seed = spec.get("v2_seed", spec.get("seed", defaults["seed"]))
        self.epoch_ms, self.job_names = defaults["epoch_ms"], defaults["job_names"]
        self.generation = 0
        self.jobs = []
        self.by_id = {}
        self.rendered = {}  # id -> bytes
        self.set_jobs(spec.get("v2_jobs", defaults["v2_jobs"]))

    def user_name(self):
        return self.proj.users[0]["name"] if self.proj.users else "ma-user"

    def set_jobs(self, spec):
        if isinstance(spec, bool) or not isinstance(spec, (int, list)):
            raise ValueError("v2_jobs must be an integer or a list of job objects")
        self.jobs, self.by_id, self.rendered = [], {}, {}
        if isinstance(spec, int):
            self.jobs = generate_jobs(spec, self.seed, self.proj.pools, self.user_name(), self.job_names, self.epoch_ms)
            self.by_id = {j["id"]: j for j in self.jobs}
        else:
            self.add_jobs(spec)
        self.generation += 1

    def add_jobs(self, items):
        for index, raw in enumerate(items):
            fallback = str(uuid.UUID(hashlib.md5(("%s:%d:%d" % (self.proj.id, self.generation, index + len(self.jobs)))
                                                 .encode("utf-8")).hexdigest()))
            core = job_from_spec(raw, fallback, self.user_name(), self.epoch_ms)
            if core["id"] in self.by_id:
                self.jobs = [j for j in self.jobs if j["id"] != core["id"]]
            self.jobs.append(core)
            self.by_id[core["id"]] = core
            self.rendered.pop(core["id"], None)
        self.generation += 1

    def remove_jobs(self, ids):
        gone = set(ids)
        self.jobs = [j for j in self.jobs if j["id"] not in gone]
        for jid in gone:
            self.by_id.pop(jid, None)
            self.rendered.pop(jid, None)
        self.generation += 1

    def job_bytes(self, core):
        data = self.rendered.get(core["id"])
        if data is None:
            data = json.dumps(render_job(core, {p: p for p in self.proj.pools}), separators=(",", ":")).encode("utf-8")
            self.rendered[core["id"]] = data
        return data

    def hold_jobs(self):
        """Keep the jobs in memory from now on: a no-op here (a generated project's are made on demand)."""

    def summary(self):
        by_phase = {}
        for j in self.jobs:
            by_phase[j["phase"]] = by_phase.get(j["phase"], 0) + 1
        return {"project_id": self.proj.id, "jobs": len(self.jobs), "by_phase": by_phase, "generation": self.generation}


class V2State(object):
    """The v2 side of the emulator's state: per-project jobs, pending phase changes, settings, caches."""

    def __init__(self, state, specs, config, args):
        emu = _emu(state)
        self.state = state
        self.epoch_ms = emu.FIXED_EPOCH_MS
        self.count_mode = config.get("v2_count", getattr(args, "v2_count", "page"))
        if self.count_mode not in COUNT_MODES:
            raise ValueError("v2_count must be one of %s" % ", ".join(COUNT_MODES))
        defaults = {"v2_jobs": getattr(args, "v2_jobs", 0), "seed": args.seed, "epoch_ms": emu.FIXED_EPOCH_MS,
                    "job_names": emu.JOB_NAMES}
        self.projects = {}
        for spec, pid in zip(specs, state.project_order):
            self.projects[pid] = V2Project(state.projects[pid], spec, defaults)
        self.transitions = []
        for spec, pid in zip(specs, state.project_order):
            self.add_transitions(pid, spec.get("v2_transitions", []), state.started)
        self.list_cache = {}
        self.body_cache = {}
        self.warming = None

    def start_warming(self):
        """Serialise every job once, in the background, from the first v2 request on (not at the start, which it
        would slow down): a 10,000-job account soon answers every page from bytes already made."""
        with self.state.lock:
            if self.warming is not None:
                return
            self.warming = threading.Thread(target=self.render_all, name="v2-warm")
        self.warming.daemon = True
        self.warming.start()

    def render_all(self):
        for v2proj in [p for p in list(self.projects.values()) if p.warm]:
            jobs = list(v2proj.jobs)
            for start in range(0, len(jobs), 100):
                with self.state.lock:  # a batch at a time: requests get the lock in between
                    if v2proj.jobs and v2proj.by_id.get(jobs[start]["id"]) is jobs[start]:
                        for core in jobs[start:start + 100]:
                            if v2proj.by_id.get(core["id"]) is core:
                                v2proj.job_bytes(core)

    def project(self, pid):
        v2proj = self.projects.get(pid or self.state.project_order[0])
        if v2proj is None:
            raise ValueError("unknown project_id %s" % pid)
        return v2proj

    def add_transitions(self, pid, items, base):
        v2proj = self.project(pid)
        parsed = []
        for t in items:
            if not isinstance(t, dict) or not isinstance(t.get("job_id"), str) or not isinstance(t.get("phase"), str):
                raise ValueError("a v2 transition needs job_id and phase (strings)")
            parsed.append({"project_id": v2proj.proj.id, "job_id": t["job_id"], "phase": t["phase"],
                           "secondary_phase": t.get("secondary_phase"),
                           "due": base + float(t.get("after_seconds", 0))})
        with self.state.lock:
            if parsed:
                v2proj.hold_jobs()  # a transition changes a job in place: it must be the project's own
            self.transitions.extend(parsed)

    def apply_transitions(self):
        """Make the phase changes that are due (start_time and duration follow the phase, from wall-clock now)."""
        now = time.time()
        with self.state.lock:
            due = [t for t in self.transitions if t["due"] <= now]
            if not due:
                return
            self.transitions = [t for t in self.transitions if t["due"] > now]
            now_ms = int(now * 1000)
            for t in sorted(due, key=lambda x: x["due"]):
                v2proj = self.projects[t["project_id"]]
                core = v2proj.by_id.get(t["job_id"])
                if core is None:
                    continue
                core["phase"] = t["phase"]
                core["secondary_phase"] = t["secondary_phase"] or SECONDARY_PHASE.get(t["phase"], "Unknown")
                if t["phase"] not in NOT_STARTED and not core["start_time"]:
                    core["start_time"] = now_ms
                if t["phase"] in TERMINAL and core["start_time"]:
                    core["duration"] = max(0, now_ms - core["start_time"])
                v2proj.rendered.pop(core["id"], None)
                v2proj.generation += 1

    def matching(self, v2proj, workspace_id, filters, sort_by, order):
        """The jobs of a workspace that every filter matches, sorted (ties by id, ascending); cached per generation."""
        key = (v2proj.proj.id, v2proj.generation, workspace_id, json.dumps(filters, sort_keys=True), sort_by, order)
        with self.state.lock:
            cached = self.list_cache.get(key)
        if cached is not None:
            return cached
        jobs = [j for j in v2proj.jobs if j["workspace_id"] == workspace_id and all(_matches(j, f) for f in filters)]
        jobs.sort(key=lambda j: str(j["id"]))
        if sort_by in ("name", "phase", "description"):
            jobs.sort(key=lambda j: str(j[sort_by]), reverse=(order == "desc"))
        else:
            jobs.sort(key=lambda j: j[sort_by] if isinstance(j[sort_by], int) else 0, reverse=(order == "desc"))
        with self.state.lock:
            if len(self.list_cache) > 64:
                self.list_cache.clear()
            self.list_cache[key] = jobs
        return jobs


def _filter_field(job, key, user_ids):
    if key == "kind":
        return "job"
    if key == "user_id":
        return user_ids.get(job["user_name"], "")
    if key == "runtime_type":
        return None  # accepted, no effect: see README.md
    return job[key]


def _matches(job, filt):
    key, operator, values = filt["key"], filt["operator"], filt["value"]
    field = _filter_field(job, key, filt.get("_users", {}))
    if field is None:
        return True
    if operator == "between":
        low, high = (values + ["", ""])[:2]
        return (not low or field >= int(low)) and (not high or field <= int(high))
    if operator == "like":
        return any(v in str(field) for v in values)
    if operator == "in":
        return str(field) in values
    return str(field) not in values


# ---------------------------------------------------------- validation ----

def _int_param(body, name, default, low, high):
    value = body.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int):
        raise V2Error(400, "ModelArts.2825", "The parameter (%s) value type error." % name)
    if value < low or (high is not None and value > high):
        raise V2Error(400, "ModelArts.2816", "The parameter(%s) must be from %d%s." % (
            name, low, " to %d" % high if high is not None else " on"))
    return value


def _str_param(body, name, default, choices=None):
    value = body.get(name, default)
    if not isinstance(value, str):
        raise V2Error(400, "ModelArts.2825", "The parameter (%s) value type error." % name)
    if choices is not None and value not in choices:
        raise V2Error(400, "ModelArts.2788", "Invalid parameter(%s): must be one of %s." % (name, ", ".join(choices)))
    return value


def parse_filters(raw):
    """The body's filters -> [{key, operator, value}] with empty values dropped; a filter left with none is no filter.

    The API page's own example sends `{"key": "phase", "operator": "in", "value": [""]}` and gets jobs back: an empty
    string is no constraint.
    """
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise V2Error(400, "ModelArts.2826", "The search parameters error: filters must be a list.")
    out = []
    for filt in raw:
        if not isinstance(filt, dict) or set(filt) - {"key", "operator", "value"}:
            raise V2Error(400, "ModelArts.2826", "The search parameters error: a filter has key, operator, value.")
        key, operator, values = filt.get("key"), filt.get("operator"), filt.get("value", [])
        if key not in FILTER_KEYS:
            raise V2Error(400, "ModelArts.2826", "The search parameters error: unknown filter key %s."
                          % json.dumps(key)[:80])
        if operator not in OPERATORS:
            raise V2Error(400, "ModelArts.2826", "The search parameters error: operator must be one of %s."
                          % ", ".join(OPERATORS))
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise V2Error(400, "ModelArts.2826", "The search parameters error: value must be a list of strings.")
        if operator == "between":
            if key != "create_time" or len(values) > 2 or not all(v == "" or v.isdigit() for v in values):
                raise V2Error(400, "ModelArts.2826", "The search parameters error: between takes create_time and "
                                                     "two epoch-ms values.")
            if any(values):
                out.append({"key": key, "operator": operator, "value": list(values)})
            continue
        if key == "create_time":
            raise V2Error(400, "ModelArts.2826", "The search parameters error: create_time takes between.")
        kept = [v for v in values if v != ""]
        if kept:
            out.append({"key": key, "operator": operator, "value": kept})
    return out


def parse_search(body, workspaces):
    """The search body -> its settings; anything the API refuses raises V2Error (400)."""
    if not body.strip():
        req = {}
    else:
        try:
            req = json.loads(body.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            raise V2Error(400, "ModelArts.2787", "Invalid JSON request body.")
    if not isinstance(req, dict):
        raise V2Error(400, "ModelArts.2787", "Invalid JSON request body: an object is expected.")
    unknown = sorted(set(req) - set(SEARCH_KEYS))
    if unknown:
        raise V2Error(400, "ModelArts.2788", "Invalid parameter(%s)." % json.dumps(unknown[0])[:80])
    search = {
        "offset": _int_param(req, "offset", 0, 0, None),
        "limit": _int_param(req, "limit", DEFAULT_LIMIT, 1, 50),
        "sort_by": _str_param(req, "sort_by", "create_time", SORT_FIELDS),
        "order": _str_param(req, "order", "desc", ("asc", "desc")),
        "group_by": _str_param(req, "group_by", ""),
        "workspace_id": _str_param(req, "workspace_id", "0"),
        "filters": parse_filters(req.get("filters")),
    }
    if search["workspace_id"] not in workspaces:
        raise V2Error(400, "ModelArts.0102", "The workspace does not exist.")
    return search


# ------------------------------------------------------------ serving ----

def route(path, method):
    """-> (fault target, project id, job id) when `path` is a v2 endpoint this module answers, else None."""
    m = SEARCH_RE.match(path)
    if m and method == "POST":
        return "v2_search", m.group(1), None
    m = FLAVORS_RE.match(path)
    if m and method == "GET":
        return "v2_flavors", m.group(1), None
    m = JOB_RE.match(path)
    if m and method == "GET":
        return "v2_job", m.group(1), m.group(2)
    return None


def serve(handler, target, pid, job_id, split, pairs, query, body, rec):
    """Answer one v2 request through the emulator's auth and fault machinery."""
    emu = _emu(handler)
    rec["project_id"] = pid
    if target == "v2_search":
        try:
            rec["body"] = json.loads(body.decode("utf-8")) if body.strip() and len(body) < 65536 else None
        except (ValueError, UnicodeDecodeError):
            rec["body"] = None
    fault = handler.state.take_fault(target)

    def normal():
        try:
            return answer(handler, emu, target, pid, job_id, split, pairs, query, body, rec)
        except emu.ApiError as err:
            return err.status, emu.dumps(as_v2_body(err.body)), err.headers, None
        except V2Error as err:
            return err.status, emu.dumps(err.body), {}, None

    if fault is not None and handler.apply_fault(fault, rec, normal, shapes=FaultShapes):
        return
    status, data, headers, _page = normal()
    rec["status"] = status
    handler.send_bytes(status, data, headers=headers)


def answer(handler, emu, target, pid, job_id, split, pairs, query, body, rec):
    state = handler.state
    proj = handler.authorized_project(split, pairs, body, pid, rec)
    v2 = state.v2
    v2.start_warming()
    v2.apply_transitions()
    v2proj = v2.projects[proj.id]
    if target == "v2_flavors":
        flavor_type = query.get("flavor_type", [None])[0]
        if flavor_type is not None and flavor_type not in FLAVOR_TYPES:
            raise V2Error(400, "ModelArts.2788", "Invalid parameter(flavor_type): must be one of %s."
                          % ", ".join(FLAVOR_TYPES))
        flavors = [flavor_entry(f) for f in PUBLIC_FLAVORS if flavor_type in (None, PUBLIC_FLAVORS[f][1])]
        return 200, emu.dumps({"total_count": len(flavors), "flavors": flavors}), {}, None
    if target == "v2_job":
        with state.lock:
            core = v2proj.by_id.get(job_id)
            if core is None:
                raise V2Error(404, "ModelArts.2775", "Training job %s not found." % json.dumps(job_id)[:80])
            return 200, v2proj.job_bytes(core), {}, None
    search = parse_search(body, proj.workspaces)
    user_ids = {u["name"]: u["id"] for u in proj.users}
    filters = [dict(f, _users=user_ids) if f["key"] == "user_id" else f for f in search["filters"]]
    with state.lock:
        key = (proj.id, v2proj.generation, json.dumps(search, sort_keys=True), v2.count_mode)
        cached = v2.body_cache.get(key)
    if cached is not None:
        return 200, cached[0], {}, cached[1]
    jobs = v2.matching(v2proj, search["workspace_id"], filters, search["sort_by"], search["order"])
    start = search["offset"] * search["limit"]
    page_jobs = jobs[start:start + search["limit"]]
    total = sum(1 for j in v2proj.jobs if j["workspace_id"] == search["workspace_id"])
    head = {"total": total, "count": len(page_jobs) if key[3] == "page" else len(jobs),
            "limit": search["limit"], "offset": search["offset"], "sort_by": search["sort_by"],
            "order": search["order"], "group_by": search["group_by"], "workspace_id": search["workspace_id"],
            "ai_project": "default-ai-project"}
    with state.lock:
        data = page_bytes(head, [v2proj.job_bytes(j) for j in page_jobs])
        if len(v2.body_cache) > 256:
            v2.body_cache.clear()
        v2.body_cache[key] = (data, head)
    return 200, data, {}, head


def page_bytes(head, items):
    """A search answer from its header fields and already-serialised jobs (joined, never parsed again)."""
    return json.dumps(head, separators=(",", ":")).encode("utf-8")[:-1] + b',"items":[' + b",".join(items) + b"]}"


class FaultShapes(object):
    """The faults whose answer has an API shape, in v2's shape (error_msg, no is_success, items); the emulator's
    fault machinery runs every other fault kind (drop, html, truncated, slow, trickle, huge bodies, ...) as for v1."""

    @staticmethod
    def answer(handler, fault, rec, normal):
        """Send the v2-shaped answer of `fault` and give back True, or False when the shared machinery sends it."""
        kind = fault["kind"]
        emu = _emu(handler)
        if kind == "status":
            status = fault["status"]
            headers = {} if fault.get("retry_after") is None else {"Retry-After": str(fault["retry_after"])}
            code = emu.FAULT_STATUS_CODES.get(status, "ModelArts.0010")
            rec["status"] = status
            handler.send_json(status, {"error_code": code, "error_msg": "Too many requests" if status == 429
                                       else "Internal error"}, headers=headers)
            return True
        if kind == "is_success_false":
            # v2 has no is_success: the nearest lie is a 200 that carries an error body and no items.
            rec["status"] = 200
            handler.send_json(200, {"error_code": "ModelArts.0010", "error_msg": "Internal error"})
            return True
        if kind == "malformed_json":
            rec["status"] = 200
            handler.send_bytes(200, b'{"total": 1, "count": 1, "items": [')
            return True
        if kind == "endless_pages" and rec["path"].endswith("training-job-searches"):
            limit = (rec.get("body") or {}).get("limit", DEFAULT_LIMIT) if isinstance(rec.get("body"), dict) else DEFAULT_LIMIT
            limit = limit if isinstance(limit, int) and not isinstance(limit, bool) and 1 <= limit <= 50 else DEFAULT_LIMIT
            with handler.state.lock:
                first = handler.state.endless_next_id
                handler.state.endless_next_id += limit
            epoch = handler.state.v2.epoch_ms
            items = [emu.dumps(render_job(_job_core(id=str(uuid.UUID(int=first + i)), name="endless-%d" % (first + i),
                                                    create_time=epoch, start_time=epoch, duration=60000), {}))
                     for i in range(limit)]
            head = {"total": 10 ** 12, "count": 10 ** 12, "limit": limit, "offset": 0, "sort_by": "create_time",
                    "order": "desc", "group_by": "", "workspace_id": "0", "ai_project": "default-ai-project"}
            rec["status"] = 200
            handler.send_bytes(200, page_bytes(head, items))
            return True
        if kind == "short_page":
            status, data, headers, head = normal()
            rec["status"] = status
            if head is not None:  # a search page: half its jobs, the header fields unchanged
                items = json.loads(data.decode("utf-8"))["items"]
                data = page_bytes(head, [emu.dumps(j) for j in items[:len(items) // 2]])
            handler.send_bytes(status, data, headers=headers)
            return True
        return False


# ------------------------------------------------------------ control ----

def control(handler, path, method, payload, raw_query):
    """Give back the answer of a /_emulator/v2/... control call (None: no such call); errors raise ValueError."""
    query = parse_qs(raw_query)
    state = handler.state
    v2 = state.v2
    if path == "/_emulator/v2/jobs" and method == "POST":
        v2proj = v2.project(payload.get("project_id"))
        with state.lock:
            if "replace" in payload:
                v2proj.set_jobs(payload["replace"])
            if "remove" in payload:
                v2proj.remove_jobs(payload["remove"])
            if "add" in payload:
                v2proj.add_jobs(payload["add"])
            return v2proj.summary()
    if path == "/_emulator/v2/jobs" and method == "GET":
        v2.apply_transitions()
        v2proj = v2.project(query.get("project_id", [None])[0])
        with state.lock:
            return {"jobs": [{k: j[k] for k in ("id", "name", "phase", "secondary_phase", "create_time", "start_time",
                                                "duration", "flavor_id", "node_count", "pool_id", "workspace_id")}
                             for j in v2proj.jobs]}
    if path == "/_emulator/v2/transitions" and method == "POST":
        v2.add_transitions(payload.get("project_id"), payload.get("transitions", []), time.time())
        v2.apply_transitions()
        return {"ok": True, "pending": len(v2.transitions)}
    if path == "/_emulator/v2/config" and method == "POST":
        with state.lock:
            if "count" in payload:
                if payload["count"] not in COUNT_MODES:
                    raise ValueError("count must be one of %s" % ", ".join(COUNT_MODES))
                v2.count_mode = payload["count"]
                v2.body_cache.clear()
            return {"count": v2.count_mode}
    if path == "/_emulator/v2/state" and method == "GET":
        v2.apply_transitions()
        with state.lock:
            return {"projects": [v2.projects[p].summary() for p in state.project_order], "count": v2.count_mode,
                    "pending_transitions": len(v2.transitions)}
    return None
