#!/usr/bin/env bash
# Seed ansible-test's pip bootstrap cache from a local get-pip.py.
#
# ansible-test downloads get-pip.py from ci-files.testing.ansible.com to
# bootstrap each virtual environment it creates (`--venv`). Machines without
# internet access ship a copy in ../shared/tools/get-pip.py (relative to the
# repository); when that file exists we place it where ansible-test looks
# for it: ~/.ansible/test/cache/get_pip_<pip version with _>.py. Without it,
# this script does nothing and ansible-test downloads as usual.
#
# Usage: scripts/seed-get-pip.sh [PYTHON]
#   PYTHON: an interpreter with ansible-test installed; its pinned pip version
#   names the cache file. Without one (or before ansible-core is installed)
#   the version pinned by ansible-core 2.17-2.19 is used.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source_script="${repo_root}/../shared/tools/get-pip.py"
default_pip_version="24.2"

if [[ ! -f "${source_script}" ]]; then
    exit 0
fi

pip_versions=()
python="${1:-}"
if [[ -n "${python}" && -x "${python}" ]]; then
    # python_requirements.py pins the pip that ansible-test bootstraps: pip='24.2'
    requirements_module="$("${python}" -c 'import ansible_test, os; print(os.path.join(os.path.dirname(ansible_test.__file__), "_internal", "python_requirements.py"))' 2>/dev/null || true)"
    if [[ -n "${requirements_module}" && -f "${requirements_module}" ]]; then
        while IFS= read -r version; do
            pip_versions+=("${version}")
        done < <(sed -n "s/^[[:space:]]*pip='\([0-9][0-9.]*\)',.*$/\1/p" "${requirements_module}" | sort -u)
    fi
fi
if [[ ${#pip_versions[@]} -eq 0 ]]; then
    pip_versions=("${default_pip_version}")
fi

cache_dir="${HOME}/.ansible/test/cache"
mkdir -p "${cache_dir}"
for version in "${pip_versions[@]}"; do
    target="${cache_dir}/get_pip_${version//./_}.py"
    if ! cmp -s "${source_script}" "${target}"; then
        cp -f "${source_script}" "${target}.tmp"
        mv "${target}.tmp" "${target}"
        echo "seeded ${target} from ${source_script}"
    fi
done
