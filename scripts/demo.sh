#!/usr/bin/env bash
# Run playbooks/demo.yml with the collection installed by `make build`.
#
# With cloud credentials in the environment (OS_CLOUD, OS_AUTH_TOKEN,
# OS_USERNAME or HUAWEICLOUD_SDK_AK), the playbook talks to the real cloud.
# Without them, a local ModelArts + IAM emulator is started on a free port,
# pointed at with demo credentials, and always stopped at the end.
#
# Usage: scripts/demo.sh [extra ansible-playbook arguments]
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "${repo_root}"

python="${DEMO_PYTHON:-${repo_root}/.venv/bin/python}"
if [[ ! -x "${python}" ]]; then
    echo "demo: ${python} not found; run 'make demo' (or 'make venv build') first" >&2
    exit 1
fi
venv_bin="$(dirname "${python}")"
export PATH="${venv_bin}:${PATH}"
export ANSIBLE_COLLECTIONS_PATH="${ANSIBLE_COLLECTIONS_PATH:-${repo_root}/build/collections}"

emulator_pid=""
build_dir="${repo_root}/build"
emulator_log="${build_dir}/emulator.log"
pid_file="${build_dir}/emulator.pid"

stop_emulator() {
    if [[ -n "${emulator_pid}" ]] && kill -0 "${emulator_pid}" 2>/dev/null; then
        kill "${emulator_pid}" 2>/dev/null || true
        wait "${emulator_pid}" 2>/dev/null || true
    fi
    rm -f "${pid_file}"
}

start_emulator() {
    mkdir -p "${build_dir}"
    : > "${emulator_log}"
    "${python}" tests/emulator/modelarts_emulator.py --port 0 --versions 200 \
        --pid-file "${pid_file}" > "${emulator_log}" 2>&1 &
    emulator_pid=$!
    trap stop_emulator EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM

    local url="" waited=0
    # The emulator prints its URL once it listens; give it up to 30 s.
    while [[ -z "${url}" ]]; do
        if ! kill -0 "${emulator_pid}" 2>/dev/null; then
            echo "demo: the emulator exited before it was ready:" >&2
            cat "${emulator_log}" >&2
            exit 1
        fi
        if (( waited >= 300 )); then
            echo "demo: the emulator printed no URL within 30 s:" >&2
            cat "${emulator_log}" >&2
            exit 1
        fi
        sleep 0.1
        waited=$((waited + 1))
        url="$(sed -n 's/^MODELARTS_EMULATOR_URL=//p' "${emulator_log}" | head -n 1)"
    done

    echo "demo: ModelArts emulator at ${url} (log: ${emulator_log})"
    export MODELARTS_ENDPOINT="${url}"
    export OS_AUTH_URL="${url}/v3"
    export OS_USERNAME="demo-user"
    export OS_PASSWORD="demo-password"
    export OS_USER_DOMAIN_NAME="demo-domain"
    export OS_PROJECT_NAME="eu-de_demo"
    export OS_REGION_NAME="eu-de"
}

if [[ -n "${OS_CLOUD:-}" || -n "${OS_AUTH_TOKEN:-}" || -n "${OS_USERNAME:-}" || -n "${HUAWEICLOUD_SDK_AK:-}" ]]; then
    echo "demo: cloud credentials found in the environment: using the real cloud"
else
    start_emulator
fi

ansible-playbook playbooks/demo.yml -e "ansible_python_interpreter=${python}" "$@"
