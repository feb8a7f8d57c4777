#!/usr/bin/env bash
# Build the collection's docs site with antsibull-docs and Sphinx (warnings are
# errors), from the installed collection (make build): the plugins' own
# documentation, docs/docsite/ (extra docs, links) and the Markdown guides in
# docs/*.md, which Sphinx reads with the MyST parser.
#
# Usage: scripts/docs-build.sh COLLECTIONS_DIR DEST   (the site: DEST/build/html)
# antsibull-docs, sphinx-build and myst-parser must be on PATH (make docs uses .venv-tools).
set -euo pipefail

collections_dir="$(cd "${1:?usage: $0 COLLECTIONS_DIR DEST}" && pwd)"
dest="${2:?usage: $0 COLLECTIONS_DIR DEST}"
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export ANSIBLE_COLLECTIONS_PATH="${collections_dir}"

rm -rf "${dest}"
mkdir -p "${dest}"
chmod 700 "${dest}"  # antsibull-docs wants its directories writable by their owner only
dest="$(cd "${dest}" && pwd)"

antsibull-docs sphinx-init --use-current --dest-dir "${dest}" mlops.modelarts > /dev/null
cat >> "${dest}/conf.py" <<'PY'

# --- mlops.modelarts (scripts/docs-build.sh) ---
# The guides in docs/*.md are Markdown.
extensions.append('myst_parser')
source_suffix = {'.rst': 'restructuredtext', '.md': 'markdown'}
# GitHub-style anchors for links such as gating.md#the-module-options.
myst_heading_anchors = 3
# Offline builds (CI has no internet): no intersphinx inventories to fetch.
intersphinx_mapping = {}
# performance.md jumps from ## to ####; a heading style, not a broken link.
suppress_warnings = ['myst.header']

# Without intersphinx, the ansible-core docs labels and ANSIBLE_* settings the
# generated plugin pages use become plain links to docs.ansible.com instead of warnings.
from docutils import nodes as _nodes

_ANSIBLE_DOCS = 'https://docs.ansible.com/projects/ansible/devel/'
_ANSIBLE_DOCS_LABELS = {
    'common_return_values': 'reference_appendices/common_return_values.html',
    'ansible_configuration_settings': 'reference_appendices/config.html',
    # the note antsibull-docs adds to a module with an action plugin of its name
    'action_plugins': 'plugins/action.html',
}


def _link_ansible_docs_label(app, env, node, contnode):
    target = node.get('reftarget')
    if node.get('reftype') == 'envvar' and str(target).startswith('ANSIBLE_'):
        # ansible-core's settings that the inventory_cache fragment names (ANSIBLE_CACHE_PLUGIN, ...).
        uri = _ANSIBLE_DOCS + 'reference_appendices/config.html#envvar-' + target
    elif node.get('reftype') == 'ref' and target in _ANSIBLE_DOCS_LABELS:
        uri = _ANSIBLE_DOCS + _ANSIBLE_DOCS_LABELS[target]
    else:
        return None
    reference = _nodes.reference('', '', internal=False, refuri=uri)
    reference.append(contnode)
    return reference


def setup(app):
    app.connect('missing-reference', _link_ansible_docs_label)
PY

cd "${dest}"
mkdir -p rst
chmod 700 rst
antsibull-docs --config-file antsibull-docs.cfg collection --cleanup everything --use-current \
    --dest-dir rst mlops.modelarts

# The guides: every docs/*.md (and the images they show) next to docsite/guides.rst, in its toctree.
docsite="rst/collections/mlops/modelarts/docsite"
mkdir -p "${docsite}/guides"
cp "${repo_root}"/docs/*.md "${docsite}/guides/"
if [[ -d "${repo_root}/docs/images" ]]; then
    cp -r "${repo_root}/docs/images" "${docsite}/guides/images"
fi
{
    printf '\n.. toctree::\n   :maxdepth: 1\n   :caption: The guides\n\n'
    for guide in "${repo_root}"/docs/*.md; do
        printf '   guides/%s\n' "$(basename "${guide}" .md)"
    done
} >> "${docsite}/guides.rst"

sphinx-build -M html rst build -c . -W --keep-going -q
echo "docs: ${dest}/build/html/index.html"
