# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The two error types every plugin turns into a failed task or an AnsibleError."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type


class ModelArtsError(Exception):
    """Something went wrong talking to ModelArts or IAM; the message is meant for the user."""

    def __init__(self, message, status=None, error_code=None, method=None, path=None):
        super(ModelArtsError, self).__init__(message)
        self.message = message
        self.status = status
        self.error_code = error_code
        self.method = method
        self.path = path

    def __str__(self):
        return self.message

    def as_dict(self):
        """Give back the error's facts as plain data, for a module's fail_json."""
        return dict(status=self.status, error_code=self.error_code, method=self.method, path=self.path)


class OptionError(ValueError):
    """User input that cannot work; raised before any request is sent. The message names the option."""


def redact(text, secrets):
    """Give back text with every secret value replaced, so that no server echo or exception leaks one."""
    if not text:
        return text
    for secret in secrets:
        if secret and len(secret) >= 4 and secret in text:
            text = text.replace(secret, '********')
    return text
