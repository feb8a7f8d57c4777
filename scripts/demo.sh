#!/usr/bin/env bash
# Run playbooks/demo.yml with the collection installed by `make build`.
#
# Without cloud credentials in the environment, a local ModelArts + IAM
# emulator is started on a free port, pointed at with demo credentials, and
# always stopped at the end. With credentials (OS_CLOUD, OS_AUTH_TOKEN,
# OS_USERNAME, OS_ACCESS_KEY or HUAWEICLOUD_SDK_AK, e.g. from a sourced openrc)
# it names the endpoint they lead to and runs only when that is a loopback
# address (an emulator started with `make emulator`) or DEMO_REAL=1 is set:
# a demo must not query a real cloud by accident. DEMO_EMULATOR=1 ignores the
# credentials of the environment and uses a fresh emulator.
#
# Usage: [DEMO_REAL=1 | DEMO_EMULATOR=1] scripts/demo.sh [extra ansible-playbook arguments]
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
emulator_config="${build_dir}/demo-emulator.json"
report_inventory="${build_dir}/demo-projects.ini"
# The projects inventory plugin reads files whose name ends in modelarts.yml.
discovered_inventory="${build_dir}/demo.modelarts.yml"
report_dir="${build_dir}/demo-report"

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
    # The first project keeps every default; more projects in two regions (one of them disabled, so never a host)
    # feed the inventory of discovered projects and the multi-project GPU report.
    cat > "${emulator_config}" <<'JSON'
{"projects": [{},
              {"project_name": "eu-nl_research", "region": "eu-nl", "versions": 60, "seed": 2},
              {"project_name": "eu-de_vision", "versions": 50, "seed": 3},
              {"project_name": "eu-nl", "region": "eu-nl", "versions": 30, "seed": 4},
              {"project_name": "eu-de_archive", "versions": 10, "seed": 5, "enabled": false}]}
JSON
    # --v2-jobs: every project also has new-version (v2) training jobs, which the default training_api (all) reads
    # beside the v1 versions; demo.yml and demo_gate.yml also ask v2 alone (training_api: v2).
    "${python}" tests/emulator/modelarts_emulator.py --port 0 --versions 200 --v2-jobs 40 --config "${emulator_config}" \
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
    export MODELARTS_DEMO_EMULATOR_URL="${url}"
    export MODELARTS_ENDPOINT="${url}"
    export OS_AUTH_URL="${url}/v3"
    export OS_USERNAME="demo-user"
    export OS_PASSWORD="demo-password"
    export OS_USER_DOMAIN_NAME="demo-domain"
    export OS_PROJECT_NAME="eu-de_demo"
    export OS_REGION_NAME="eu-de"
}

# What makes the collection leave the emulator: a credential or a cloud choice of the environment.
credential_variables=(OS_CLOUD OS_AUTH_TOKEN OS_USERNAME OS_PASSWORD OS_ACCESS_KEY OS_SECRET_KEY HUAWEICLOUD_SDK_AK
                      HUAWEICLOUD_SDK_SK HUAWEICLOUD_SDK_SECURITY_TOKEN)
# Every variable of the collection, cleared for the emulator's own demo credentials.
collection_variables=("${credential_variables[@]}" MODELARTS_ENDPOINT OS_AUTH_URL OS_REGION_NAME OS_PROJECT_ID
                      OS_PROJECT_NAME OS_USER_DOMAIN_NAME OS_USER_DOMAIN_ID OS_DOMAIN_NAME OS_DOMAIN_ID OS_INTERFACE
                      HUAWEICLOUD_SDK_PROJECT_ID)
found_variables=()
for name in "${credential_variables[@]}"; do
    if [[ -n "${!name:-}" ]]; then found_variables+=("${name}"); fi
done
if [[ "${DEMO_EMULATOR:-}" == 1 && ${#found_variables[@]} -gt 0 ]]; then
    echo "demo: DEMO_EMULATOR=1: ignoring ${found_variables[*]} of the environment"
    unset "${collection_variables[@]}"
    found_variables=()
fi

if (( ${#found_variables[@]} == 0 )); then
    start_emulator
    echo "demo: using the endpoint ${MODELARTS_ENDPOINT} (the emulator this demo started)"
else
    # Decided before any request: the endpoint these credentials lead to, as the modules resolve it.
    if ! IFS=$'\t' read -r endpoint_kind endpoint_text < <(
            PYTHONPATH="${ANSIBLE_COLLECTIONS_PATH%%:*}${PYTHONPATH:+:${PYTHONPATH}}" "${python}" scripts/demo-endpoint.py); then
        endpoint_kind=real
        endpoint_text="of the cloud of these credentials (scripts/demo-endpoint.py could not name it: see above)"
    fi
    if [[ "${endpoint_kind}" == local ]]; then
        echo "demo: using the endpoint ${endpoint_text} (${found_variables[*]} of the environment; a loopback address)"
    elif [[ "${DEMO_REAL:-}" == 1 ]]; then
        echo "demo: DEMO_REAL=1: using the real endpoint ${endpoint_text} (${found_variables[*]} of the environment)"
    else
        cat >&2 <<EOF
demo: refusing to run: ${found_variables[*]} in the environment would make the demo use the real endpoint
  ${endpoint_text}
Nothing was sent. To run the demo against it anyway:   DEMO_REAL=1 make demo
To run it against the local emulator instead:          DEMO_EMULATOR=1 make demo
  (or unset ${found_variables[*]} first)
EOF
        exit 1
    fi
fi

ansible-playbook -i localhost, -c local playbooks/demo.yml -e "ansible_python_interpreter=${python}" "$@"

# The gate: against the emulator, or against the cloud with DEMO_GATE_VERSION=<a version_name of yours>.
if [[ -n "${emulator_pid}" ]]; then
    ansible-playbook -i localhost, -c local playbooks/demo_gate.yml -e "ansible_python_interpreter=${python}" "$@"
elif [[ -n "${DEMO_GATE_VERSION:-}" ]]; then
    ansible-playbook -i localhost, -c local playbooks/demo_gate.yml -e "ansible_python_interpreter=${python}" \
        -e "demo_gate_version_name=${DEMO_GATE_VERSION}" "$@"
fi

# The projects the credentials reach, discovered by the inventory plugin (a domain-scoped login: no project given).
printf 'plugin: mlops.modelarts.projects\n' > "${discovered_inventory}"
echo "demo: ansible-inventory -i ${discovered_inventory} --graph"
env -u OS_PROJECT_NAME -u OS_PROJECT_ID ansible-inventory -i "${discovered_inventory}" --graph

# The GPU report, as a user runs it: the collection playbook over the discovered projects (against the emulator) or
# over a hand-written inventory (the cloud's one project of the environment).
if [[ -n "${emulator_pid}" ]]; then
    report_inventory="${discovered_inventory}"
    report_env=(env -u OS_PROJECT_NAME -u OS_PROJECT_ID)
else
    # One project: the credentials of the environment.
    printf '[modelarts_projects]\nthis-project ansible_connection=local\n' > "${report_inventory}"
    report_env=(env)
fi
# No fact cache: the report runs in one pass, the default (a persistent fact cache would make it query one task per
# host, to fill the cache for modelarts_report_from_cache; docs/reporting.md, "Two paths").
"${report_env[@]}" ansible-playbook -i "${report_inventory}" mlops.modelarts.gpu_report --forks 3 \
    -e "ansible_python_interpreter=${python}" -e "modelarts_report_dir=${report_dir}" "$@"
echo "demo: GPU report written to ${report_dir}/gpu_report.html (also gpu_report.json, gpu_report.csv)"
