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
# ansible-test integration gets a copy of its own, so that it never replaces the tree a sanity run is reading.
TARGETS_TREE := $(BUILD_DIR)/targets/src/ansible_collections/mlops/modelarts
# Extra arguments for ansible-test integration, e.g. TARGETS_ARGS='training_job_version_info -v'.
TARGETS_ARGS ?=

# The venv first on PATH: ansible-test finds python$(SANITY_PYTHON) and
# shellcheck there, and playbooks find ansible-playbook there.
VENV_PATH := PATH="$(VENV_BIN):$$PATH"

.PHONY: help venv build sanity units integration integration-targets changelog-lint test demo bench clean distclean
.PHONY: tools-venv changelog changelog-check docs lint ruff typecheck galaxy-check ee runner-demo matrix matrix-2.17 matrix-2.21
.PHONY: eda-venv eda eda-demo

# --- Release gates (issue 5): their tools live in .venv-tools (tests/requirements-tools.txt), apart from .venv,
# so that their pins (ansible-lint excludes ansible-core 2.17, galaxy-importer pins ansible-lint) never move the
# ansible-core the tests run on.
TOOLS_VENV := $(REPO_ROOT)/.venv-tools
TOOLS_BIN := $(TOOLS_VENV)/bin
TOOLS_STAMP := $(TOOLS_VENV)/.installed
TOOLS_PATH := PATH="$(TOOLS_BIN):$$PATH"
TARBALL = $(firstword $(wildcard $(BUILD_DIR)/mlops-modelarts-*.tar.gz))

# --- Event-Driven Ansible (issue 15): ansible-rulebook and its dependencies (drools_jpy, aiohttp, ansible-runner, ...)
# live in .venv-eda (tests/requirements-eda.txt), apart from .venv, so that they never move the ansible-core the tests
# run on. ansible-rulebook also needs Java 17 (.ci/run installs Debian's openjdk-17-jre-headless when java is missing).
EDA_VENV := $(REPO_ROOT)/.venv-eda
EDA_BIN := $(EDA_VENV)/bin
EDA_STAMP := $(EDA_VENV)/.installed

# --- Version matrix: the oldest ansible-core meta/runtime.yml claims (2.17, Python 3.11) and the newest on the
# registry (2.21, which needs Python 3.12+), each in its own venv (.venv-2.17, .venv-2.21) from
# tests/requirements-<version>.txt plus requirements.txt and test-requirements.txt less its ansible-core pin.
# .venv (2.19) runs everything; each end runs every unit test, the integration tests that go through the parts of
# ansible-core that change between versions (module execution and argument validation, the lookup and filter
# loaders, templating of results, facts), and the sanity tests whose verdict depends on the ansible-core version
# (validate-modules, ansible-doc, import, compile, yamllint): the rest of sanity (pep8, pylint, shellcheck, ...)
# lints our files the same way whatever the version and already runs in `make sanity`. A full second and third
# integration run (8-10 min each) would not fit in the 20-minute budget of `make test`. test_playbooks.py runs every
# shipped playbook once (demo, gate_on_training, wait_for_capacity, gpu_report on hostile version texts) with the
# default, non-native Jinja; test_hostile.py is one playbook run of hostile servers and options.
MATRIX_PYTHON_2.17 ?= $(PYTHON)
MATRIX_PYTHON_2.21 ?= $(firstword $(wildcard $(HOME)/.pyenv/versions/3.13.*/bin/python3.13) python3.13)
MATRIX_SANITY_PYTHON_2.17 ?= 3.11
MATRIX_SANITY_PYTHON_2.21 ?= 3.13
MATRIX_SANITY_TESTS ?= validate-modules ansible-doc import compile yamllint
MATRIX_INTEGRATION ?= tests/integration/test_facts_module.py tests/integration/test_lookup.py tests/integration/test_filters.py \
	tests/integration/test_playbooks.py tests/integration/test_hostile.py tests/integration/test_inventory.py \
	tests/integration/test_in_process_parity.py tests/integration/test_usage_accounting.py \
	tests/integration/test_inventory_hosts.py tests/integration/test_report_one_pass.py
# The in-process parity suite runs its subset of tasks (MATRIX_SUBSET in the file) at both ends: in-process and module
# runs go through the parts of ansible-core that change (action plugins, module_defaults, results, no_log, warnings).
MATRIX_PARITY ?= MODELARTS_PARITY_TASKS=matrix
# The 200-host lookup tests measure the cache across forks (the same on every version) and take 35 s; the inventory's
# gpu_report comparison runs two playbooks (the report itself is covered by the facts module's tests).
MATRIX_INTEGRATION_ARGS ?= -k 'not 200_hosts and not gpu_report_over'
# Before 2.19, ansible-core renders a template that is one expression to a string ("40") unless jinja2_native is
# on; 2.19+ keeps the native type (40), which is what the integration tests assert. 2.17 runs them with
# jinja2_native so that they check our plugins, not that templating difference (users of 2.17 get strings where
# they template a lookup's count into a string field, as with any lookup). test_playbooks.py turns it off again for
# the shipped playbooks, which must work on a default configuration.
MATRIX_ENV_2.17 ?= ANSIBLE_JINJA2_NATIVE=true
MATRIX_ENV_2.21 ?=

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

integration: build  ## integration tests (pytest) against the installed collection and the emulator, and the emulator's own checks
	@if [ ! -d tests/integration ]; then echo "tests/integration does not exist yet: no integration tests to run"; exit 0; fi; \
	$(VENV_PATH) ANSIBLE_COLLECTIONS_PATH="$(COLLECTIONS_DIR)" "$(VENV_BIN)/python" -m pytest -q $(PYTEST_ARGS) tests/integration tests/emulator

# --local runs the targets with .venv's Python (ansible-core, requests) on this machine; each target starts the
# emulator from the copied tree (setup_modelarts_emulator) and stops it when it ends. ansible-test reads the
# collection from the copy, not from build/collections, so no `make build` is needed.
integration-targets: $(VENV_STAMP)  ## ansible-test integration --local: the targets in tests/integration/targets, against the emulator
	scripts/copy-source-tree.sh "$(TARGETS_TREE)"
	cd "$(TARGETS_TREE)" && $(VENV_PATH) ansible-test integration --local --python $(SANITY_PYTHON) $(TARGETS_ARGS)

changelog-lint: $(VENV_STAMP)  ## check the changelog fragments
	"$(VENV_BIN)/antsibull-changelog" lint

# The release gates come after the original stages; all of them together take about 4 minutes once their venvs
# exist (see README.md, Contributing).
test: build sanity units integration integration-targets changelog-lint changelog-check ruff typecheck docs lint galaxy-check ee runner-demo matrix eda  ## everything CI runs

tools-venv: $(TOOLS_STAMP)  ## create .venv-tools (antsibull-docs, ansible-lint, galaxy-importer, ansible-builder/-runner, ruff, mypy)

$(TOOLS_STAMP): tests/requirements-tools.txt
	@if [ ! -x "$(TOOLS_BIN)/python" ]; then $(PYTHON) -m venv "$(TOOLS_VENV)"; fi
	"$(TOOLS_BIN)/python" -m pip install --quiet --upgrade pip
	"$(TOOLS_BIN)/python" -m pip install --quiet -r tests/requirements-tools.txt
	touch "$@"

changelog: $(TOOLS_STAMP)  ## regenerate CHANGELOG.rst from changelogs/ (the fragments stay where they are)
	$(TOOLS_PATH) scripts/changelog-build.sh "$(REPO_ROOT)/CHANGELOG.rst"

changelog-check: $(TOOLS_STAMP)  ## check that CHANGELOG.rst is what `make changelog` generates now
	@mkdir -p "$(BUILD_DIR)"
	$(TOOLS_PATH) scripts/changelog-build.sh "$(BUILD_DIR)/CHANGELOG.rst"
	@diff -u CHANGELOG.rst "$(BUILD_DIR)/CHANGELOG.rst" || { echo "CHANGELOG.rst is out of date with changelogs/: run make changelog and commit it"; exit 1; }

ruff: $(TOOLS_STAMP)  ## ruff check on every Python file (rules in ruff.toml)
	"$(TOOLS_BIN)/ruff" check --no-cache .

# mypy imports the collection as ansible_collections.mlops.modelarts: build/typecheck holds that path as links to
# plugins/ and extensions/, so mypy reads (and names) the checkout's files with no `make build`. Settings: mypy.ini.
TYPECHECK_ROOT := $(BUILD_DIR)/typecheck
TYPECHECK_COLLECTION := $(TYPECHECK_ROOT)/ansible_collections/mlops/modelarts
TYPECHECK_PATHS := plugins/module_utils plugins/plugin_utils plugins/action plugins/filter plugins/lookup plugins/inventory \
	plugins/modules extensions/eda/plugins/event_source

typecheck: $(TOOLS_STAMP)  ## mypy on the shared layer (module_utils, plugin_utils) and the plugins' entry points (mypy.ini)
	@mkdir -p "$(TYPECHECK_COLLECTION)"
	@ln -sfn "$(REPO_ROOT)/plugins" "$(TYPECHECK_COLLECTION)/plugins"
	@ln -sfn "$(REPO_ROOT)/extensions" "$(TYPECHECK_COLLECTION)/extensions"
	"$(TOOLS_BIN)/mypy" --config-file "$(REPO_ROOT)/mypy.ini" $(addprefix "$(TYPECHECK_COLLECTION)"/,$(TYPECHECK_PATHS))

docs: build $(TOOLS_STAMP)  ## lint the plugin and extra docs, build the docs site in build/docs (warnings are errors)
	cd "$(INSTALLED_COLLECTION)" && $(TOOLS_PATH) ANSIBLE_COLLECTIONS_PATH="$(COLLECTIONS_DIR)" antsibull-docs lint-collection-docs --plugin-docs .
	$(TOOLS_PATH) scripts/docs-build.sh "$(COLLECTIONS_DIR)" "$(BUILD_DIR)/docs"

lint: build $(TOOLS_STAMP)  ## ansible-lint --profile production on playbooks/, roles/, the rulebooks and every plugin's EXAMPLES
	rm -rf "$(BUILD_DIR)/lint-examples"
	$(TOOLS_PATH) ANSIBLE_COLLECTIONS_PATH="$(COLLECTIONS_DIR)" scripts/lint-examples.py "$(BUILD_DIR)/lint-examples"
	$(TOOLS_PATH) ANSIBLE_COLLECTIONS_PATH="$(COLLECTIONS_DIR)" ansible-lint --offline --profile production --nocolor playbooks/ roles/ extensions/eda/rulebooks/
	cd "$(BUILD_DIR)/lint-examples" && $(TOOLS_PATH) ANSIBLE_COLLECTIONS_PATH="$(COLLECTIONS_DIR)" ansible-lint --offline --profile production --nocolor .

# galaxy-importer exits 0 on warnings: any WARNING or ERROR line in its log fails the target.
galaxy-check: build $(TOOLS_STAMP)  ## galaxy-importer on the built tarball (settings: galaxy-importer.cfg), no errors or warnings
	rm -rf "$(BUILD_DIR)/galaxy-importer" && mkdir -p "$(BUILD_DIR)/galaxy-importer"
	cd "$(BUILD_DIR)/galaxy-importer" && $(TOOLS_PATH) GALAXY_IMPORTER_CONFIG="$(REPO_ROOT)/galaxy-importer.cfg" \
		python -m galaxy_importer.main "$(TARBALL)" > importer.log 2>&1 || { cat importer.log; exit 1; }
	@if grep -E '^(WARNING|ERROR|CRITICAL)' "$(BUILD_DIR)/galaxy-importer/importer.log"; then \
		echo "galaxy-importer: warnings or errors above (full log: build/galaxy-importer/importer.log)"; exit 1; fi
	@grep -q 'Importer processing completed successfully' "$(BUILD_DIR)/galaxy-importer/importer.log"
	@echo "galaxy-importer: accepted $(notdir $(TARBALL)) with no warnings"

ee: build $(TOOLS_STAMP)  ## ansible-builder create from meta/execution-environment.yml (build/ee/context), and tests/ee on it
	rm -rf "$(BUILD_DIR)/ee" && mkdir -p "$(BUILD_DIR)/ee"
	cp meta/execution-environment.yml requirements.txt bindep.txt "$(BUILD_DIR)/ee/"
	"$(TOOLS_BIN)/ansible-builder" create -f "$(BUILD_DIR)/ee/execution-environment.yml" --context "$(BUILD_DIR)/ee/context" --output-filename Containerfile
	EE_CONTEXT="$(BUILD_DIR)/ee/context" EE_COLLECTIONS="$(COLLECTIONS_DIR)" "$(TOOLS_BIN)/python" -m pytest -q -p no:cacheprovider tests/ee

runner-demo: build $(TOOLS_STAMP)  ## playbooks/demo.yml through ansible-runner (as AWX runs it), against the emulator
	$(TOOLS_PATH) scripts/runner-demo.sh "$(TARBALL)" "$(BUILD_DIR)/runner-demo"

eda-venv: $(EDA_STAMP)  ## create .venv-eda (ansible-rulebook, ansible-core, ansible-runner, requests; needs Java 17)

$(EDA_STAMP): tests/requirements-eda.txt
	@if [ ! -x "$(EDA_BIN)/python" ]; then $(PYTHON) -m venv "$(EDA_VENV)"; fi
	"$(EDA_BIN)/python" -m pip install --quiet --upgrade pip
	"$(EDA_BIN)/python" -m pip install --quiet -r tests/requirements-eda.txt
	touch "$@"

eda: build $(EDA_STAMP) $(REPO_ROOT)/.venv-2.17/.installed  ## the rulebook end to end: real ansible-rulebook runs deploy_on_completion against the emulator (its playbook on the ansible-core of .venv-eda, and a hostile version's also on 2.17)
	ANSIBLE_COLLECTIONS_PATH="$(COLLECTIONS_DIR)" EDA_ANSIBLE_2_17_BIN="$(REPO_ROOT)/.venv-2.17/bin" \
		"$(EDA_BIN)/python" -m pytest -q -p no:cacheprovider tests/eda

eda-demo: build $(EDA_STAMP)  ## watch ansible-rulebook deploy a version the moment it completes (emulator; output in build/eda-demo)
	ANSIBLE_COLLECTIONS_PATH="$(COLLECTIONS_DIR)" "$(EDA_BIN)/python" scripts/eda-demo.py --out "$(BUILD_DIR)/eda-demo"

matrix: matrix-2.17 matrix-2.21  ## units, an integration subset and the version-dependent sanity tests on ansible-core 2.17 and 2.21

$(REPO_ROOT)/.venv-%/.installed: tests/requirements-%.txt $(REQUIREMENTS)
	@if [ ! -x "$(REPO_ROOT)/.venv-$*/bin/python" ]; then $(MATRIX_PYTHON_$*) -m venv "$(REPO_ROOT)/.venv-$*"; fi
	@mkdir -p "$(BUILD_DIR)/matrix-$*"
	grep -v '^ansible-core' test-requirements.txt > "$(BUILD_DIR)/matrix-$*/test-requirements.txt"
	"$(REPO_ROOT)/.venv-$*/bin/python" -m pip install --quiet --upgrade pip
	"$(REPO_ROOT)/.venv-$*/bin/python" -m pip install --quiet -r requirements.txt \
		-r "$(BUILD_DIR)/matrix-$*/test-requirements.txt" -r tests/requirements-$*.txt
	touch "$@"

matrix-2.17 matrix-2.21: matrix-%: build $(REPO_ROOT)/.venv-%/.installed
	@echo "== ansible-core $$("$(REPO_ROOT)/.venv-$*/bin/python" -c 'import ansible; print(ansible.__version__)') on $$("$(REPO_ROOT)/.venv-$*/bin/python" -V)"
	PYTHONPATH="$(COLLECTIONS_DIR)" "$(REPO_ROOT)/.venv-$*/bin/python" -m pytest -q -p no:cacheprovider -n $(UNIT_WORKERS) tests/unit
	PATH="$(REPO_ROOT)/.venv-$*/bin:$$PATH" ANSIBLE_COLLECTIONS_PATH="$(COLLECTIONS_DIR)" $(MATRIX_ENV_$*) $(MATRIX_PARITY) \
		"$(REPO_ROOT)/.venv-$*/bin/python" -m pytest -q -p no:cacheprovider $(MATRIX_INTEGRATION_ARGS) $(MATRIX_INTEGRATION)
	scripts/seed-get-pip.sh "$(REPO_ROOT)/.venv-$*/bin/python"
	scripts/copy-source-tree.sh "$(BUILD_DIR)/matrix-$*/src/ansible_collections/mlops/modelarts"
	cd "$(BUILD_DIR)/matrix-$*/src/ansible_collections/mlops/modelarts" && PATH="$(REPO_ROOT)/.venv-$*/bin:$$PATH" \
		ansible-test sanity --venv --python $(MATRIX_SANITY_PYTHON_$*) $(addprefix --test ,$(MATRIX_SANITY_TESTS))

demo: build  ## run playbooks/demo.yml (against the emulator unless cloud credentials are set)
	$(VENV_PATH) scripts/demo.sh

# The emulator needs the Python standard library only: no venv, no build. EMULATOR_ARGS adds options, e.g.
# EMULATOR_ARGS='--versions 200 --config my.json' (tests/emulator/README.md lists them).
EMULATOR_PORT ?= 8080
EMULATOR_ARGS ?=
.PHONY: emulator
emulator:  ## start the ModelArts + IAM emulator in the foreground (prints its URL and credentials; Ctrl-C stops it)
	@$(firstword $(wildcard $(VENV_BIN)/python) python3) tests/emulator/modelarts_emulator.py --port $(EMULATOR_PORT) --print-env $(EMULATOR_ARGS)

bench: build  ## run benchmarks/run.py when it exists (table in build/bench/results.md; see docs/performance.md)
	@if [ -f benchmarks/run.py ]; then \
		if [ -f benchmarks/requirements.txt ]; then "$(VENV_BIN)/python" -m pip install --quiet -r benchmarks/requirements.txt; fi; \
		$(VENV_PATH) ANSIBLE_COLLECTIONS_PATH="$(COLLECTIONS_DIR)" "$(VENV_BIN)/python" benchmarks/run.py; \
	else echo "benchmarks/run.py does not exist yet: nothing to run"; fi

clean:  ## remove build output and test caches (keeps .venv)
	rm -rf "$(BUILD_DIR)" tests/output .pytest_cache .hypothesis
	find . -path ./.venv -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean  ## clean, and remove .venv too (and .venv-tools, .venv-2.17, .venv-2.21, .venv-eda)
	rm -rf "$(VENV)" "$(TOOLS_VENV)" "$(REPO_ROOT)"/.venv-2.17 "$(REPO_ROOT)"/.venv-2.21 "$(EDA_VENV)"
