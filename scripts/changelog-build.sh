#!/usr/bin/env bash
# Generate CHANGELOG.rst for the version in galaxy.yml from changelogs/ WITHOUT
# consuming the fragments: `antsibull-changelog release` runs on a copy of the
# collection in a temporary directory (where it may move fragments into
# changelog.yaml as it likes), and only the CHANGELOG.rst it writes is kept.
#
# Usage: scripts/changelog-build.sh OUTPUT [RELEASE_DATE]
#   OUTPUT: where to write the CHANGELOG.rst (make changelog: ./CHANGELOG.rst;
#   make changelog-check: a temporary file compared with ./CHANGELOG.rst).
# antsibull-changelog and ansible-doc must be on PATH (make uses .venv-tools).
set -euo pipefail

output="${1:?usage: $0 OUTPUT [RELEASE_DATE]}"
release_date="${2:-}"
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "${work}"' EXIT

collection="${work}/ansible_collections/mlops/modelarts"
mkdir -p "${collection}"
# What the release reads: the changelog config and fragments, galaxy.yml (version),
# meta/ and the plugins (for the "New Modules/Plugins" sections).
cp -r "${repo_root}/changelogs" "${repo_root}/galaxy.yml" "${repo_root}/meta" "${repo_root}/plugins" "${collection}/"
rm -f "${collection}/changelogs/.plugin-cache.yaml"
cd "${collection}"
ANSIBLE_COLLECTIONS_PATH="${work}" antsibull-changelog release ${release_date:+--date "${release_date}"} > /dev/null
cp "${collection}/CHANGELOG.rst" "${output}"
