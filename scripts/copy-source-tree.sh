#!/usr/bin/env bash
# Copy the collection's source tree to DEST for ansible-test.
#
# ansible-test must run from .../ansible_collections/<namespace>/<name>; a
# symlink does not do, because it resolves the real path. The copy holds what
# git would commit: tracked files plus untracked files that are not ignored,
# so .venv/, build/ and caches stay out. DEST is replaced, so files deleted
# from the checkout disappear from the copy too.
#
# ansible-test lists content with git when it finds a .git directory at the
# content root or any parent: without one of its own, a copy under build/
# would be listed by the enclosing checkout, which ignores build/, and every
# sanity test would be skipped ("All targets skipped"). So the copy gets an
# empty repository of its own; untracked files count as content.
#
# Usage: scripts/copy-source-tree.sh DEST
set -euo pipefail

dest="${1:?usage: $0 DEST}"
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

rm -rf "${dest}"
mkdir -p "${dest}"
cd "${repo_root}"
# ls-files -c still lists tracked files deleted from the work tree: skip those.
git ls-files -z --cached --others --exclude-standard \
    | while IFS= read -r -d '' path; do
        if [[ -e "${path}" || -L "${path}" ]]; then
            printf '%s\0' "${path}"
        fi
    done \
    | tar --null --no-recursion -T - -cf - \
    | tar -xf - -C "${dest}"
git init --quiet "${dest}"
