#!/usr/bin/env bash
# Run playbooks/demo.yml the way AWX runs a job: through ansible-runner, with a
# private data directory whose project/ holds the playbook and, in
# project/collections/, the collection installed from the built tarball (as an
# AWX project update installs collections/requirements.yml). Against the
# ModelArts emulator; fails unless the job ends "successful" and its events
# carry the demo's totals.
#
# Usage: scripts/runner-demo.sh TARBALL DEST
# ansible-runner, ansible-galaxy and a Python with requests must be on PATH
# (make runner-demo uses .venv-tools).
set -euo pipefail

tarball="$(cd "$(dirname "${1:?usage: $0 TARBALL DEST}")" && pwd)/$(basename "$1")"
dest="${2:?usage: $0 TARBALL DEST}"
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
python="$(command -v python)"

rm -rf "${dest}"
mkdir -p "${dest}"/{project,inventory,env,empty-collections}
dest="$(cd "${dest}" && pwd)"

# The project, as AWX checks it out: the playbook, and the collection next to it.
cp "${repo_root}/playbooks/demo.yml" "${dest}/project/demo.yml"
ansible-galaxy collection install --force -p "${dest}/project/collections" "${tarball}" > /dev/null

emulator_log="${dest}/emulator.log"
"${python}" "${repo_root}/tests/emulator/modelarts_emulator.py" --port 0 --versions 120 > "${emulator_log}" 2>&1 &
emulator_pid=$!
trap 'kill "${emulator_pid}" 2>/dev/null || true; wait "${emulator_pid}" 2>/dev/null || true' EXIT
url=""
for _ in $(seq 1 300); do
    url="$(sed -n 's/^MODELARTS_EMULATOR_URL=//p' "${emulator_log}" | head -n 1)"
    if [[ -n "${url}" ]] || ! kill -0 "${emulator_pid}" 2>/dev/null; then
        break
    fi
    sleep 0.1
done
if [[ -z "${url}" ]]; then
    echo "runner-demo: the emulator did not start:" >&2
    cat "${emulator_log}" >&2
    exit 1
fi

printf 'localhost ansible_connection=local ansible_python_interpreter=%s\n' "${python}" > "${dest}/inventory/hosts"
# What a custom credential type would inject in AWX (docs/awx.md). ANSIBLE_COLLECTIONS_PATH points at an
# empty directory so that only the project's own collections/ can provide mlops.modelarts.
cat > "${dest}/env/envvars" <<YAML
---
MODELARTS_ENDPOINT: "${url}"
OS_AUTH_URL: "${url}/v3"
OS_USERNAME: demo-user
OS_PASSWORD: demo-password
OS_USER_DOMAIN_NAME: demo-domain
OS_PROJECT_NAME: eu-de_demo
OS_REGION_NAME: eu-de
ANSIBLE_COLLECTIONS_PATH: "${dest}/empty-collections"
ANSIBLE_NOCOLOR: "1"
YAML

status=0
ansible-runner run "${dest}" -p demo.yml --ident demo || status=$?
artifacts="${dest}/artifacts/demo"
echo "runner-demo: status $(cat "${artifacts}/status"), rc $(cat "${artifacts}/rc") (artifacts: ${artifacts})"
if [[ "${status}" != 0 || "$(cat "${artifacts}/status")" != successful ]]; then
    exit 1
fi
if ! grep -lq 'training job versions hold' "${artifacts}"/job_events/*.json; then
    echo "runner-demo: no job event carries the demo's totals" >&2
    exit 1
fi
