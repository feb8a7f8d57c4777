#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What each returned version field costs on its way back to the controller (10,000 versions, in-process).

Usage: field_costs.py [N]   (needs ANSIBLE_COLLECTIONS_PATH or PYTHONPATH with the collection, and the repo)

Builds N enriched versions from the emulator's generator, then times the steps whose cost grows with the
result: remove_values() (AnsibleModule.exit_json's scrub of no_log values), the module-side JSON encoder
of ansible-core's module profile, the controller-side decoder, and a pickle round trip (worker -> main
process). For each field it times the same steps on N one-field dicts, minus the same on N empty dicts: that
is what the field costs. CPU time of this process (time.process_time), best of 3, so that other processes on
a shared machine disturb it less; compare the shares rather than the absolute times.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os
import pickle
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

from ansible.module_utils.common import json as module_json  # noqa: E402
from ansible.module_utils.common.parameters import remove_values  # noqa: E402

from ansible_collections.mlops.modelarts.plugins.module_utils._versions import enrich, parse_page  # noqa: E402
from tests.emulator import modelarts_emulator  # noqa: E402

ENCODER = module_json.get_module_encoder('legacy', module_json.Direction.MODULE_TO_CONTROLLER)
DECODER = module_json.get_module_decoder('legacy', module_json.Direction.MODULE_TO_CONTROLLER)
NO_LOG = ['demo-password']


def best(function, rounds=3):
    fastest = None
    for dummy in range(rounds):
        started = time.process_time()
        function()
        elapsed = time.process_time() - started
        fastest = elapsed if fastest is None else min(fastest, elapsed)
    return fastest


def steps(versions):
    """Give back {step: seconds} and the byte size for one result holding `versions`."""
    result = {'changed': False, 'versions': versions}
    times = {'remove_values': best(lambda: remove_values(result, NO_LOG))}
    text = json.dumps(result, cls=ENCODER)
    times['module encode'] = best(lambda: json.dumps(result, cls=ENCODER))
    times['controller decode'] = best(lambda: json.loads(text, cls=DECODER))
    decoded = json.loads(text, cls=DECODER)
    times['pickle round trip'] = best(lambda: pickle.loads(pickle.dumps(decoded, protocol=pickle.HIGHEST_PROTOCOL)))
    return times, len(text)


def generated(count):
    generator = getattr(modelarts_emulator, 'generate_versions', None)
    if generator is None:
        raise SystemExit('tests/emulator/modelarts_emulator.py has no generate_versions(); update field_costs.py')
    records = generator(count, 1, ['pool-gpu-a', 'pool-npu-b'])
    versions = [dict((k, v) for k, v in record.items() if k != 'workspace_id') for record in records]
    return enrich(parse_page({'versions': versions}, 'bench')[0])


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
    versions = generated(count)
    fields = list(versions[0])
    full, full_bytes = steps(versions)
    full_total = sum(full.values())
    print('%d versions, %d fields, %d bytes of module JSON' % (count, len(fields), full_bytes))
    print('| step | ms |')
    print('|---|---|')
    for step, seconds in full.items():
        print('| %s | %.0f |' % (step, seconds * 1000))
    print('| total | %.0f |' % (full_total * 1000))
    print('')
    empty, empty_bytes = steps([{} for dummy in versions])
    empty_total = sum(empty.values())
    print('| field | bytes | ms (all steps) | share of the total |')
    print('|---|---|---|---|')
    for field in fields:
        alone = [{field: version[field]} for version in versions]
        times, size = steps(alone)
        cost = sum(times.values()) - empty_total
        print('| %s | %d | %.0f | %.0f%% |' % (field, size - empty_bytes, cost * 1000, 100.0 * cost / full_total))
    print('| (the %d dicts themselves) | %d | %.0f | %.0f%% |' % (
        count, empty_bytes, empty_total * 1000, 100.0 * empty_total / full_total))


if __name__ == '__main__':
    main()
