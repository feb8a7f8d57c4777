#!/usr/bin/env bash
# The mlops.modelarts.projects inventory as users run it: ansible-inventory on a *.modelarts.yml file, then a play
# over the hosts it makes, against an emulated account. The emulator runs from start.yml to stop.yml (on exit, also
# when a step fails). ansible-test passes its verbosity as arguments, and sets OUTPUT_DIR and INVENTORY_PATH (the
# controller as testhost, with its Python as ansible_python_interpreter).
set -eux

export ANSIBLE_ROLES_PATH=..
# A source the plugin cannot parse fails the command instead of leaving an empty inventory and a warning.
export ANSIBLE_INVENTORY_UNPARSED_FAILED=true

state="${OUTPUT_DIR}/emulator"
source_file="${OUTPUT_DIR}/account.modelarts.yml"

stop_emulator() {
    ansible-playbook -i "${INVENTORY_PATH}" stop.yml -e "modelarts_emulator_dir=${state}" "$@"
}
trap 'stop_emulator "$@"' EXIT

ansible-playbook -i "${INVENTORY_PATH}" start.yml \
    -e "modelarts_emulator_dir=${state}" -e "inventory_source=${source_file}" -e "output_dir=${OUTPUT_DIR}" "$@"

ansible-inventory -i "${source_file}" --list --output "${OUTPUT_DIR}/listing.json" "$@" 2> "${OUTPUT_DIR}/inventory.stderr"

# The project hosts have ansible_connection=local but no interpreter: interpreter discovery could pick a broken
# pyenv shim, so the controller's Python is named.
ansible-playbook -i "${source_file}" check.yml -e "@${OUTPUT_DIR}/emulator.json" -e "output_dir=${OUTPUT_DIR}" \
    -e '{"ansible_python_interpreter": "{{ ansible_playbook_python }}"}' "$@"
