# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Generated projects for the emulator: an account of 1,000 projects whose versions and v2 jobs are made on demand.

``generated_projects`` (config file) or ``--generated-projects N`` (command line) appends N projects to the account.
Each is an ordinary project as IAM and the inventory see it (its id, name, region, credentials are held: about a
kilobyte each), but its versions and v2 jobs are not held: they are generated from the project's own seed when a
request needs them and kept in a small LRU of recently used projects, so the same request always gets the same
answer and the emulator's memory does not grow with the number of projects. A control call that changes a generated
project's data (replace/add/remove, transitions) makes it hold its data from then on, as a configured project does.

Like ``_v2_training.py``, this module never imports the emulator (it runs as ``__main__``): the emulator's classes
are looked up from the state object that calls in.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import collections
import random
import re
import sys
import threading
import types

# Regions the generated projects are spread over, round robin; the name's part before "_" is the region.
DEFAULT_REGIONS = ("eu-de", "eu-nl", "cn-north-4", "ap-southeast-1")
DEFAULT_VERSIONS = (50, 200)
DEFAULT_CACHED_PROJECTS = 16
SETTING_KEYS = ("count", "versions_per_project", "v2_jobs_per_project", "seed", "regions", "cached_projects")
MAX_COUNT = 100000
RANGE_RE = re.compile(r"^(\d+)(?:-(\d+))?$")
# What a project that holds no data of its own answers for its workspaces: every generated version is in "0".
_NO_WORKSPACE_OVERRIDES = types.MappingProxyType({})


class SettingError(ValueError):
    pass


def add_arguments(parser):
    parser.add_argument("--generated-projects", type=int, default=None, metavar="N",
                        help="append N generated projects to the account (versions and v2 jobs made on demand, "
                             "not held in memory); config file: generated_projects")
    parser.add_argument("--generated-versions", default=None, metavar="N|LOW-HIGH",
                        help="versions per generated project (default 50-200)")
    parser.add_argument("--generated-v2-jobs", default=None, metavar="N|LOW-HIGH",
                        help="v2 jobs per generated project (default 0)")


def parse_range(value, name):
    """Give back (low, high) from an int N, a list [low, high] or a string "N" / "LOW-HIGH"."""
    if isinstance(value, bool):
        raise SettingError("%s must be a count N or a range [low, high]" % name)
    if isinstance(value, int):
        low = high = value
    elif isinstance(value, list) and len(value) == 2 and all(isinstance(v, int) and not isinstance(v, bool)
                                                             for v in value):
        low, high = value
    elif isinstance(value, str) and RANGE_RE.match(value.strip()):
        m = RANGE_RE.match(value.strip())
        low = int(m.group(1))
        high = int(m.group(2)) if m.group(2) is not None else low
    else:
        raise SettingError("%s must be a count N or a range [low, high]" % name)
    if low < 0 or high < low or high > MAX_COUNT:
        raise SettingError("%s must be 0 <= low <= high <= %d" % (name, MAX_COUNT))
    return low, high


def parse_setting(config, args):
    """Give back the generated-projects setting as a dict (None when there are none): the config's
    `generated_projects`, with the command line's --generated-* flags taking precedence."""
    raw = config.get("generated_projects")
    if raw is None:
        raw = {}
    elif not isinstance(raw, dict):
        raise SettingError("generated_projects must be an object {count, versions_per_project, ...}")
    unknown = sorted(set(raw) - set(SETTING_KEYS))
    if unknown:
        raise SettingError("generated_projects: unknown key %s (known: %s)" % (unknown[0], ", ".join(SETTING_KEYS)))
    raw = dict(raw)
    for key, flag in (("count", "generated_projects"), ("versions_per_project", "generated_versions"),
                      ("v2_jobs_per_project", "generated_v2_jobs")):
        if getattr(args, flag, None) is not None:
            raw[key] = getattr(args, flag)
    count = raw.get("count", 0)
    if isinstance(count, bool) or not isinstance(count, int) or not 0 <= count <= MAX_COUNT:
        raise SettingError("generated_projects count must be an integer from 0 to %d" % MAX_COUNT)
    if count == 0:
        ignored = sorted(k for k in raw if k != "count")
        if ignored and "count" not in raw:  # a range or seed alone would be silently ignored: say what is missing
            raise SettingError("generated_projects: %s without a count (--generated-projects N or count: N)"
                               % ", ".join(ignored))
        return None
    regions = raw.get("regions", list(DEFAULT_REGIONS))
    if (not isinstance(regions, list) or not regions
            or not all(isinstance(r, str) and re.match(r"^[a-z0-9-]+$", r) for r in regions)):
        raise SettingError("generated_projects regions must be a non-empty list of region names (a-z, 0-9, -)")
    seed = raw.get("seed", args.seed)
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise SettingError("generated_projects seed must be an integer")
    cached = raw.get("cached_projects", DEFAULT_CACHED_PROJECTS)
    if isinstance(cached, bool) or not isinstance(cached, int) or not 1 <= cached <= 1000:
        raise SettingError("generated_projects cached_projects must be an integer from 1 to 1000")
    return {"count": count, "versions_per_project": parse_range(raw.get("versions_per_project", list(DEFAULT_VERSIONS)),
                                                                "versions_per_project"),
            "v2_jobs_per_project": parse_range(raw.get("v2_jobs_per_project", 0), "v2_jobs_per_project"),
            "seed": seed, "regions": regions, "cached_projects": cached}


def project_plan(setting, number):
    """Give back (name, region, versions, v2 jobs, seed) of generated project `number` (1-based): a function of
    the setting and the number alone, so a restart with the same setting serves the same account."""
    rng = random.Random("generated-project:%d:%d" % (setting["seed"], number))
    region = setting["regions"][(number - 1) % len(setting["regions"])]
    versions = rng.randint(*setting["versions_per_project"])
    v2_jobs = rng.randint(*setting["v2_jobs_per_project"])
    return "%s_gen%05d" % (region, number), region, versions, v2_jobs, rng.getrandbits(32)


class DataCache(object):
    """The generated data of the few projects used last (an LRU): what a generated project answers from."""

    def __init__(self, limit):
        self.limit = limit
        self.lock = threading.Lock()
        self.entries = collections.OrderedDict()  # (kind, project id) -> data

    def get(self, key, build):
        with self.lock:
            data = self.entries.get(key)
            if data is not None:
                self.entries.move_to_end(key)
                return data
        data = build()  # outside the lock: two threads may build the same data, which is the same data
        with self.lock:
            data = self.entries.setdefault(key, data)
            self.entries.move_to_end(key)
            while len(self.entries) > self.limit:
                self.entries.popitem(last=False)
        return data

    def drop(self, key):
        with self.lock:
            self.entries.pop(key, None)


_CLASSES = {}


def generated_classes(emu, v2):
    """Give back (project class, v2 project class) of generated projects, made once per emulator module."""
    key = (emu.__name__, v2.__name__)
    if key not in _CLASSES:
        _CLASSES[key] = (_project_class(emu), _v2_project_class(v2))
    return _CLASSES[key]


def _project_class(emu):
    class GeneratedProject(emu.Project):
        """A project whose versions are generated when asked for, until a change makes it hold them."""

        def __init__(self, spec, index, defaults, count, cache):
            self.held = None  # (versions, workspace_of) once the project holds its data
            self.count = count
            self.cache = cache
            emu.Project.__init__(self, dict(spec, versions=0), index, defaults)
            self.held = None  # Project.__init__ stored the empty list of versions=0: drop it

        @property
        def versions(self):
            if self.held is not None:
                return self.held[0]
            return self.cache.get(("v1", self.id), lambda: emu.generate_versions(self.count, self.seed, self.pools))

        @versions.setter
        def versions(self, value):
            self.held = (value, self.held[1] if self.held is not None else {})

        @property
        def workspace_of(self):
            return self.held[1] if self.held is not None else _NO_WORKSPACE_OVERRIDES

        @workspace_of.setter
        def workspace_of(self, value):
            self.held = (self.held[0] if self.held is not None else [], value)

        def hold_versions(self):
            if self.held is None:
                # Copies: the cached dicts are shared by every request that read them.
                versions = [dict(v) for v in self.versions]
                self.held = (versions, dict.fromkeys((v["version_id"] for v in versions), "0"))
                self.cache.drop(("v1", self.id))

        def add_versions(self, items):
            self.hold_versions()
            emu.Project.add_versions(self, items)

        def remove_versions(self, ids):
            self.hold_versions()
            emu.Project.remove_versions(self, ids)

    return GeneratedProject


def _v2_project_class(v2):
    class GeneratedV2Project(v2.V2Project):
        """A project's v2 jobs generated when asked for (rendered JSON cached with them), until a change holds them."""

        warm = False  # the background serialisation of every job would generate and hold them all

        def __init__(self, proj, spec, defaults, count, cache):
            self.held = None  # [jobs, by_id, rendered] once the project holds its jobs
            self.count = count
            self.cache = cache
            v2.V2Project.__init__(self, proj, dict(spec, v2_jobs=0), defaults)
            self.held = None

        def _data(self):
            if self.held is not None:
                return self.held

            def build():
                jobs = v2.generate_jobs(self.count, self.seed, self.proj.pools, self.user_name(), self.job_names,
                                        self.epoch_ms)
                return [jobs, {j["id"]: j for j in jobs}, {}]

            return self.cache.get(("v2", self.proj.id), build)

        def _set(self, index, value):
            if self.held is None:
                self.held = [[], {}, {}]
            self.held[index] = value

        jobs = property(lambda self: self._data()[0], lambda self, value: self._set(0, value))
        by_id = property(lambda self: self._data()[1], lambda self, value: self._set(1, value))
        rendered = property(lambda self: self._data()[2], lambda self, value: self._set(2, value))

        def hold_jobs(self):
            if self.held is None:
                jobs = [dict(j) for j in self.jobs]
                self.held = [jobs, {j["id"]: j for j in jobs}, {}]
                self.cache.drop(("v2", self.proj.id))

        def add_jobs(self, items):
            self.hold_jobs()
            v2.V2Project.add_jobs(self, items)

        def remove_jobs(self, ids):
            self.hold_jobs()
            v2.V2Project.remove_jobs(self, ids)

    return GeneratedV2Project


def add_to(state, config, args):
    """Append the generated projects (if the config or the command line asks for any) to the emulator's state."""
    setting = parse_setting(config, args)
    state.generated = setting
    if setting is None:
        return
    emu = sys.modules[type(state).__module__]
    v2 = sys.modules[type(state.v2).__module__]
    project_class, v2_class = generated_classes(emu, v2)
    cache = DataCache(2 * setting["cached_projects"])  # v1 versions and v2 jobs of that many projects
    state.generated_cache = cache
    v1_defaults = {"versions": 0, "seed": args.seed}
    v2_defaults = {"v2_jobs": 0, "seed": args.seed, "epoch_ms": emu.FIXED_EPOCH_MS, "job_names": emu.JOB_NAMES}
    first = len(state.project_order)
    for number in range(1, setting["count"] + 1):
        name, region, versions, v2_jobs, seed = project_plan(setting, number)
        index = first + number - 1
        spec = {"project_name": name, "region": region, "seed": seed}
        proj = project_class(spec, index, v1_defaults, versions, cache)
        if proj.id in state.projects:
            raise emu.ConfigError("duplicate project_id %s (generated project %s)" % (proj.id, name))
        for tok in proj.tokens:
            if tok in state.static_tokens:
                raise emu.ConfigError("a static token is used by two projects")
            state.static_tokens[tok] = proj.id
        for cred in proj.aksk:
            if cred["access_key"] in state.access_keys:
                raise emu.ConfigError("access key %s is used by two projects" % cred["access_key"])
            state.access_keys[cred["access_key"]] = (proj.id, cred)
        state.projects[proj.id] = proj
        state.project_order.append(proj.id)
        state.v2.projects[proj.id] = v2_class(proj, {"seed": seed}, v2_defaults, v2_jobs, cache)
