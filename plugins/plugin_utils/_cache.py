# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A small file cache on the controller, shared by every fork worker: one query's answer per key and lifetime.

Entries are JSON files named by a SHA-256 hash of non-secret key material; they are written atomically
(temporary file + os.replace) with mode 0600 in a 0700 directory. A directory of another user, or one others can
write to, is refused; files are opened without following symlinks and must be regular files of the user. A per-key lock file taken with an exclusive
fcntl.flock makes concurrent first requests wait for the one process that computes the answer.
"""

from __future__ import absolute_import, annotations, division, print_function
__metaclass__ = type

import errno
import hashlib
import json
import os
import stat
import tempfile
import time
from typing import Any, Callable, Dict, Iterable, Optional, Tuple, Type, Union

try:
    import fcntl
    HAS_FCNTL = True
except ImportError:  # pragma: no cover (not POSIX)
    HAS_FCNTL = False

ENTRY_FORMAT = 1
ENTRY_SUFFIX = '.json'
LOCK_SUFFIX = '.lock'
DIRECTORY_MODE = 0o700
FILE_MODE = 0o600
# Every file of the cache is opened without following a symlink (POSIX; elsewhere 0, and no such attack).
NOFOLLOW = getattr(os, 'O_NOFOLLOW', 0)


class CacheError(Exception):
    """The cache directory cannot be used safely; the message says why and what to change."""


class SharedFailure(Exception):
    """A failure that a concurrent process met while computing the answer this process waited for."""

    def __init__(self, failure: Dict[str, Any]) -> None:
        super(SharedFailure, self).__init__(failure.get('message', 'the query failed'))
        self.failure = failure


# A stored entry: {format, created, and value (with ttl) or failure}.
Entry = Dict[str, Any]
# What get_or_compute() may share: exception classes, as an except clause takes them.
Shareable = Union[Type[BaseException], Tuple[Type[BaseException], ...]]


def default_cache_dir() -> str:
    """Give back the per-user default directory: $XDG_CACHE_HOME/mlops.modelarts or ~/.cache/mlops.modelarts."""
    base = os.environ.get('XDG_CACHE_HOME') or os.path.join(os.path.expanduser('~'), '.cache')
    return os.path.join(base, 'mlops.modelarts')


def cache_key(material: Any) -> str:
    """Give back the hex SHA-256 of key material (a JSON-serialisable dict that must hold no secret)."""
    text = json.dumps(material, sort_keys=True, separators=(',', ':'), default=str)
    return hashlib.sha256(text.encode('utf-8')).hexdigest()


SALT_FILE = 'credential-salt'
# Slow enough to make guessing a weak password from a key expensive, fast enough for one lookup per host.
FINGERPRINT_ITERATIONS = 20000


class FileCache(object):
    """Entries by key in one directory; `ttl` seconds of life (0 or less: off, every call computes)."""

    def __init__(self, directory: Optional[str], ttl: Optional[float], clock: Callable[[], float] = time.time) -> None:
        self.directory = os.path.abspath(os.path.expanduser(directory or default_cache_dir()))
        self.ttl = float(ttl or 0)
        self.clock = clock

    @property
    def enabled(self) -> bool:
        return self.ttl > 0

    def entry_path(self, key: str) -> str:
        return os.path.join(self.directory, key + ENTRY_SUFFIX)

    def lock_path(self, key: str) -> str:
        return os.path.join(self.directory, key + LOCK_SUFFIX)

    def ensure_directory(self) -> None:
        """Create the directory (0700) or check that an existing one is ours, and give it mode 0700."""
        try:
            os.makedirs(self.directory, DIRECTORY_MODE)
        except OSError as exc:
            if exc.errno != errno.EEXIST:
                raise CacheError('cache_dir %s cannot be created: %s' % (self.directory, exc.strerror or exc))
        if not os.path.isdir(self.directory):
            raise CacheError('cache_dir %s is not a directory' % self.directory)
        info = os.stat(self.directory)
        if hasattr(os, 'getuid') and info.st_uid != os.getuid():
            # Another user's directory could feed us forged answers or read ours.
            raise CacheError('cache_dir %s belongs to another user; choose a directory of your own' % self.directory)
        if info.st_mode & 0o022:
            # Anyone else could have planted entries, a salt or symlinks in it already: closing it now is too late.
            raise CacheError('cache_dir %s is writable by other users (mode %04o); use a directory only you can write '
                             'to (the default one is created with mode 0700)' % (self.directory, info.st_mode & 0o7777))
        if info.st_mode & 0o777 != DIRECTORY_MODE:
            os.chmod(self.directory, DIRECTORY_MODE)

    def _open_own_file(self, path: str, flags: int) -> int:
        """Give back a descriptor of path opened without following a symlink, refusing anything but our regular file."""
        try:
            descriptor = os.open(path, flags | NOFOLLOW, FILE_MODE)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise CacheError('cache_dir %s: %s is a symbolic link; remove it' % (self.directory, os.path.basename(path)))
            raise
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode) or (hasattr(os, 'getuid') and info.st_uid != os.getuid()):
            os.close(descriptor)
            raise CacheError('cache_dir %s: %s is not a regular file of yours; remove it'
                             % (self.directory, os.path.basename(path)))
        return descriptor

    def credential_fingerprint(self, secrets: Iterable[str]) -> str:
        """Give back a salted PBKDF2 digest of the credentials, so that another (or a wrong) credential never
        shares an answer, while neither the key nor any file holds the credential itself.

        The salt is random per cache directory (a 0600 file there), so a digest is no use anywhere else.
        """
        self.ensure_directory()
        salt_path = os.path.join(self.directory, SALT_FILE)
        try:
            descriptor = os.open(salt_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
        except OSError as exc:
            if exc.errno != errno.EEXIST:
                raise CacheError('cache_dir %s: cannot create its salt: %s' % (self.directory, exc.strerror or exc))
        else:
            with os.fdopen(descriptor, 'w') as stream:
                stream.write(os.urandom(32).hex())
        salt = ''
        for dummy in range(50):
            # A concurrent first writer may not have written the salt yet.
            with os.fdopen(self._open_own_file(salt_path, os.O_RDONLY), 'r') as stream:
                salt = stream.read()
            if len(salt) == 64:
                break
            time.sleep(0.01)
        if len(salt) != 64:
            raise CacheError('cache_dir %s: its salt file is damaged; delete %s' % (self.directory, salt_path))
        material = '\0'.join(secrets).encode('utf-8')
        return hashlib.pbkdf2_hmac('sha256', material, salt.encode('ascii'), FINGERPRINT_ITERATIONS).hex()

    def read(self, key: str) -> Optional[Entry]:
        """Give back the stored entry (dict) of a key, or None when there is none or it is unreadable."""
        try:
            with os.fdopen(self._open_own_file(self.entry_path(key), os.O_RDONLY), 'r') as handle:
                entry = json.load(handle)
        except (IOError, OSError, ValueError, CacheError):
            # Missing, unreadable, or not our regular file: computed again, and replaced by an entry of ours.
            return None
        if not isinstance(entry, dict) or entry.get('format') != ENTRY_FORMAT:
            return None
        return entry

    def is_fresh(self, entry: Optional[Entry]) -> bool:
        """Say whether an entry holds an answer younger than this cache's ttl."""
        if entry is None or 'value' not in entry:
            return False
        created = entry.get('created')
        if not isinstance(created, (int, float)):
            return False
        age = self.clock() - created
        # A clock that jumped back makes an entry look as if from the future: do not trust it.
        return -1.0 <= age < self.ttl

    def write(self, key: str, entry: Entry) -> None:
        """Store an entry atomically: readers see the old file or the new one, never a part."""
        handle, temporary = tempfile.mkstemp(prefix='.' + key[:16] + '.', suffix='.tmp', dir=self.directory)
        try:
            os.fchmod(handle, FILE_MODE)
            with os.fdopen(handle, 'w') as stream:
                json.dump(entry, stream, sort_keys=True, separators=(',', ':'))
                stream.flush()
                os.fsync(stream.fileno())
            os.replace(temporary, self.entry_path(key))
        except BaseException:
            try:
                os.unlink(temporary)
            except OSError:
                pass
            raise

    def _lock(self, key: str) -> int:
        descriptor = self._open_own_file(self.lock_path(key), os.O_RDWR | os.O_CREAT)
        try:
            os.fchmod(descriptor, FILE_MODE)
            fcntl.flock(descriptor, fcntl.LOCK_EX)
        except BaseException:
            os.close(descriptor)
            raise
        return descriptor

    @staticmethod
    def _unlock(descriptor: int) -> None:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_UN)
        finally:
            os.close(descriptor)

    def get_or_compute(self, key: str, compute: Callable[[], Any], shareable_errors: Shareable = ()) -> Tuple[Any, bool]:
        """Give back (value, hit): the stored value while fresh, else compute() stored for the others.

        Only one process computes a key at a time; the others wait on its lock and then read its answer.
        An exception of `shareable_errors` raised by compute() is shared with the processes that were already
        waiting (as SharedFailure, built from the exception's `cache_failure()` dict), so that a failing API is
        asked once per wave of concurrent requests, not once per waiting process; a later call asks again.
        """
        if not self.enabled:
            return compute(), False
        self.ensure_directory()
        entry = self.read(key)
        if entry is not None and self.is_fresh(entry):
            return entry['value'], True
        if not HAS_FCNTL:  # pragma: no cover
            return self._compute_and_store(key, compute, shareable_errors), False
        waiting_since = self.clock()
        descriptor = self._lock(key)
        try:
            entry = self.read(key)
            if entry is not None and self.is_fresh(entry):
                return entry['value'], True
            if entry is not None and 'failure' in entry and entry.get('created', 0) >= waiting_since:
                raise SharedFailure(entry['failure'])
            return self._compute_and_store(key, compute, shareable_errors), False
        finally:
            self._unlock(descriptor)

    def _compute_and_store(self, key: str, compute: Callable[[], Any], shareable_errors: Shareable) -> Any:
        try:
            value = compute()
        except shareable_errors as exc:
            failure = exc.cache_failure() if hasattr(exc, 'cache_failure') else {'message': str(exc)}
            self.write(key, {'format': ENTRY_FORMAT, 'created': self.clock(), 'failure': failure})
            raise
        self.write(key, {'format': ENTRY_FORMAT, 'created': self.clock(), 'ttl': self.ttl, 'value': value})
        return value
