# mlops.modelarts: developer entry points. Run `make help` for the list.
#
# Every target uses the project virtualenv .venv (created from $(PYTHON)), so
# nothing is installed outside the checkout except ansible-test's own
# per-test virtualenvs in ~/.ansible/test/venv.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3.11
# The Python version ansible-test sanity runs its tests with.
SANITY_PYTHON ?= 3.11
# Extra arguments for ansible-test sanity, e.g. SANITY_ARGS='--test pep8'.
SANITY_ARGS ?=
# pytest-xdist workers for the unit tests (a number, or auto = one per CPU).
UNIT_WORKERS ?= auto
# Extra pytest arguments, e.g. PYTEST_ARGS='-k paging -x'.
PYTEST_ARGS ?=

REPO_ROOT := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
VENV := $(REPO_ROOT)/.venv
VENV_BIN := $(VENV)/bin
VENV_STAMP := $(VENV)/.installed
REQUIREMENTS := requirements.txt test-requirements.txt

BUILD_DIR := $(REPO_ROOT)/build
COLLECTIONS_DIR := $(BUILD_DIR)/collections
INSTALLED_COLLECTION := $(COLLECTIONS_DIR)/ansible_collections/mlops/modelarts
# ansible-test needs this layout; see scripts/copy-source-tree.sh.
SANITY_TREE := $(BUILD_DIR)/src/ansible_collections/mlops/modelarts

# The venv first on PATH: ansible-test finds python$(SANITY_PYTHON) and
# shellcheck there, and playbooks find ansible-playbook there.
VENV_PATH := PATH="$(VENV_BIN):$$PATH"

.PHONY: help venv build sanity units integration changelog-lint test demo bench clean distclean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  %-15s %s\n", $$1, $$2}'

venv: $(VENV_STAMP)  ## create .venv and install requirements (again when they change)

$(VENV_STAMP): $(REQUIREMENTS)
	@if [ ! -x "$(VENV_BIN)/python" ]; then $(PYTHON) -m venv "$(VENV)"; fi
	"$(VENV_BIN)/python" -m pip install --quiet --upgrade pip
	"$(VENV_BIN)/python" -m pip install --quiet $(addprefix -r ,$(REQUIREMENTS))
	touch "$@"

build: $(VENV_STAMP)  ## build the collection tarball and install it into build/collections
	rm -f "$(BUILD_DIR)"/mlops-modelarts-*.tar.gz
	"$(VENV_BIN)/ansible-galaxy" collection build --force --output-path "$(BUILD_DIR)/" .
	ANSIBLE_COLLECTIONS_PATH="$(COLLECTIONS_DIR)" "$(VENV_BIN)/ansible-galaxy" collection install --force -p "$(COLLECTIONS_DIR)" "$(BUILD_DIR)"/mlops-modelarts-*.tar.gz

sanity: $(VENV_STAMP)  ## ansible-test sanity on a copy of the source tree
	scripts/seed-get-pip.sh "$(VENV_BIN)/python"
	scripts/copy-source-tree.sh "$(SANITY_TREE)"
	cd "$(SANITY_TREE)" && $(VENV_PATH) ansible-test sanity --venv --python $(SANITY_PYTHON) $(SANITY_ARGS)

# While another engineer has not created a test folder yet, its target passes
# with a note; once the folder exists, "no tests collected" fails like any error.
units: build  ## unit tests (pytest, in parallel) against the installed collection
	@if [ ! -d tests/unit ]; then echo "tests/unit does not exist yet: no unit tests to run"; exit 0; fi; \
	PYTHONPATH="$(COLLECTIONS_DIR)$${PYTHONPATH:+:$$PYTHONPATH}" "$(VENV_BIN)/python" -m pytest -q -n $(UNIT_WORKERS) $(PYTEST_ARGS) tests/unit

integration: build  ## integration tests (pytest) against the installed collection and the emulator
	@if [ ! -d tests/integration ]; then echo "tests/integration does not exist yet: no integration tests to run"; exit 0; fi; \
	$(VENV_PATH) ANSIBLE_COLLECTIONS_PATH="$(COLLECTIONS_DIR)" "$(VENV_BIN)/python" -m pytest -q $(PYTEST_ARGS) tests/integration

changelog-lint: $(VENV_STAMP)  ## check the changelog fragments
	"$(VENV_BIN)/antsibull-changelog" lint

test: build sanity units integration changelog-lint  ## everything CI runs

demo: build  ## run playbooks/demo.yml (against the emulator unless cloud credentials are set)
	$(VENV_PATH) scripts/demo.sh

bench: build  ## run benchmarks/run.py when it exists (table in build/bench/results.md; see docs/performance.md)
	@if [ -f benchmarks/run.py ]; then \
		if [ -f benchmarks/requirements.txt ]; then "$(VENV_BIN)/python" -m pip install --quiet -r benchmarks/requirements.txt; fi; \
		$(VENV_PATH) ANSIBLE_COLLECTIONS_PATH="$(COLLECTIONS_DIR)" "$(VENV_BIN)/python" benchmarks/run.py; \
	else echo "benchmarks/run.py does not exist yet: nothing to run"; fi

clean:  ## remove build output and test caches (keeps .venv)
	rm -rf "$(BUILD_DIR)" tests/output .pytest_cache .hypothesis
	find . -path ./.venv -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean  ## clean, and remove .venv too
	rm -rf "$(VENV)"
