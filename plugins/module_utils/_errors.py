# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The two error types every plugin turns into a failed task or an AnsibleError."""

from __future__ import absolute_import, annotations, division, print_function
__metaclass__ = type

from typing import Any, Dict, Iterable, Optional, Set, overload


class ModelArtsError(Exception):
    """Something went wrong talking to ModelArts or IAM; the message is meant for the user."""

    def __init__(self, message: str, status: Optional[int] = None, error_code: Optional[str] = None,
                 method: Optional[str] = None, path: Optional[str] = None) -> None:
        super(ModelArtsError, self).__init__(message)
        self.message = message
        self.status = status
        self.error_code = error_code
        self.method = method
        self.path = path

    def __str__(self) -> str:
        return self.message

    def as_dict(self) -> Dict[str, Any]:
        """Give back the error's facts as plain data, for a module's fail_json."""
        return dict(status=self.status, error_code=self.error_code, method=self.method, path=self.path)


class OptionError(ValueError):
    """User input that cannot work; raised before any request is sent. The message names the option."""


REDACTED = '********'


@overload
def redact(text: str, secrets: Iterable[Optional[str]]) -> str:
    ...


@overload
def redact(text: None, secrets: Iterable[Optional[str]]) -> None:
    ...


def redact(text: Optional[str], secrets: Iterable[Optional[str]]) -> Optional[str]:
    """Give back text with every secret value replaced, so that no server echo or exception leaks one."""
    if not text:
        return text
    for secret in secrets:
        if secret and len(secret) >= 4 and secret in text:
            text = text.replace(secret, REDACTED)
    return text


def redact_data(value: Any, secrets: Iterable[Optional[str]]) -> Any:
    """Give back plain data (a server's parsed answer) with every secret inside its texts replaced."""
    if isinstance(value, str):
        return redact(value, secrets)
    if isinstance(value, list):
        return [redact_data(item, secrets) for item in value]
    if isinstance(value, dict):
        return dict((redact_data(key, secrets), redact_data(item, secrets)) for key, item in value.items())
    return value


def register_secrets(no_log_values: Optional[Set[str]], secrets: Iterable[Optional[str]]) -> None:
    """Add secrets to a set of no_log values, so that Ansible blanks them in every result and message.

    Ansible knows the secrets passed as no_log options; not those the collection reads itself (a clouds.yaml entry)
    or receives (a token IAM issued). `no_log_values` is an AnsibleModule's `no_log_values`, or the set an
    in-process action plugin blanks its result with; None does nothing.
    """
    if no_log_values is None:
        return
    for secret in secrets:
        if secret:
            no_log_values.add(secret)
