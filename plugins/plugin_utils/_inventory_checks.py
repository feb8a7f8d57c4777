# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What the projects inventory says about its own file: keys it does not know, filters that select nothing.

ansible-core reads an inventory file's keys into the plugin's options and drops any other key without a word
(BaseInventoryPlugin._read_config_data); a misspelled `regoins:` would list every region. Project names and regions
come from IAM (hostile text): they are shown JSON-quoted, cut to a bounded length, a bounded number at a time, and
only in messages and warnings, never in anything templated.
"""

from __future__ import absolute_import, annotations, division, print_function
__metaclass__ = type

import difflib
import fnmatch
import json
from typing import Any, Collection, Iterable, List, Mapping, Optional

# How many existing names a warning shows, and how many characters of each: an account may hold thousands of
# projects, and IAM text of any length.
NAMES_SHOWN = 10
NAME_CHARACTERS_SHOWN = 64


def shown(text: Any) -> str:
    """Give back `text` JSON-quoted (quotes, control and non-ASCII characters escaped), cut to a bounded length."""
    text = str(text)
    if len(text) > NAME_CHARACTERS_SHOWN:
        return json.dumps(text[:NAME_CHARACTERS_SHOWN]) + '... (%d characters)' % len(text)
    return json.dumps(text)


def shown_list(names: Iterable[str]) -> str:
    """Give back at most NAMES_SHOWN of `names` (sorted, distinct), each shown(), and how many more there are."""
    distinct = sorted(set(names))
    text = ', '.join(shown(name) for name in distinct[:NAMES_SHOWN])
    if len(distinct) > NAMES_SHOWN:
        text += ' and %d more' % (len(distinct) - NAMES_SHOWN)
    return text


def unknown_keys_message(keys: Iterable[Any], known: Iterable[Any], plugin_name: str) -> Optional[str]:
    """Give back the error for the keys of an inventory file that are no option of the plugin, or None if all are.

    Each unknown key is named, with the option it most resembles when one is close (a misspelling).
    """
    known_names = [str(name) for name in known]
    unknown = sorted(set(str(key) for key in keys) - set(known_names))
    if not unknown:
        return None
    described = []
    for key in unknown:
        close = difflib.get_close_matches(key, known_names, n=1)
        described.append(shown(key) + (' (did you mean %s?)' % shown(close[0]) if close else ''))
    return '%s: unknown option%s %s in the inventory file; ansible-doc -t inventory %s lists the options' % (
        plugin_name, 's' if len(unknown) > 1 else '', ', '.join(described), plugin_name)


def unmatched_filter_warnings(projects: List[Mapping[str, str]], regions: Optional[Collection[str]] = None,
                              patterns: Optional[Iterable[str]] = None) -> List[str]:
    """Give back a warning per `regions` entry and per `projects` glob that selects no listed project.

    A region is compared with the regions of every listed project; a glob with the names of the projects in the
    selected regions (what it could have matched). Each warning names the filter entry and what exists.
    """
    if not projects:
        return ['IAM listed no enabled project for these credentials: the inventory is empty']
    warnings: List[str] = []
    listed_regions = set(project['region'] for project in projects)
    for region in regions or []:
        if region not in listed_regions:
            close = difflib.get_close_matches(str(region), sorted(listed_regions), n=1)
            warnings.append('regions: %s is the region of no listed project%s; the listed projects are in %s' % (
                shown(region), ' (did you mean %s?)' % shown(close[0]) if close else '', shown_list(listed_regions)))
    candidates = [project['name'] for project in projects if not regions or project['region'] in regions]
    if not candidates:
        return warnings
    for pattern in patterns or []:
        if not any(fnmatch.fnmatchcase(name, pattern) for name in candidates):
            where = ' in the selected regions' if regions else ''
            warnings.append('projects: %s matches no listed project%s; the listed projects%s are %s' % (
                shown(pattern), where, where, shown_list(candidates)))
    return warnings
