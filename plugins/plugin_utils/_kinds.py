# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What a value is, in the words of a message to a user (controller side: the filters)."""

from __future__ import absolute_import, annotations, division, print_function
__metaclass__ = type

from collections.abc import Mapping, Sequence, Set
from typing import Any


def kind_of(value: Any) -> str:
    """Give back 'a mapping', 'a list', 'a string', 'a number', 'a boolean', 'null' or 'a value of another kind'.

    Never a class name: ansible-core 2.19 hands filters its own containers (_AnsibleLazyTemplateDict,
    _AnsibleLazyTemplateList, tagged strings), whose names mean nothing to a user and change between releases.
    """
    if value is None:
        return 'null'
    if isinstance(value, bool):
        return 'a boolean'
    if isinstance(value, (int, float)):
        return 'a number'
    if isinstance(value, (str, bytes)):
        return 'a string'
    if isinstance(value, Mapping):
        return 'a mapping'
    if isinstance(value, (Sequence, Set)):
        return 'a list'
    return 'a value of another kind'
