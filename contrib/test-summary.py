#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Summarise one `make check` run from automake's per-test .trs/.log files.

usage: test-summary.py BUILDDIR LOG... [--extra NAME=PASS|FAIL[:LOGFILE]]

LOG... are the test logs of the run (`make -s rig-test-logs`), so stale
logs of tests that no longer exist are not counted. Every TAP case counts
once: passed = PASS + XFAIL, failed = FAIL + XPASS + ERROR; SKIP counts
in neither. A test whose .trs is missing (it never ran, e.g. it did not
build) counts as one ERROR. --extra adds one pseudo-case (make distcheck).
Prints the failed cases with the lines of their logs that explain them;
the very last line is `N passed, M failed`. Exit status 1 when M > 0.
"""

import os
import re
import sys

PASSED = ('PASS', 'XFAIL')
FAILED = ('FAIL', 'XPASS', 'ERROR')
MAX_DIAG = 25          # lines shown per failed case
MAX_TAIL = 40          # lines shown of a log without TAP detail


def read(path):
    try:
        with open(path, encoding='utf-8', errors='replace') as f:
            return f.read().splitlines()
    except OSError:
        return None


def case_excerpt(log, number):
    """The `not ok N` line of case `number` and the `#` lines after it."""
    out = []
    pat = re.compile(r'^(not ok|ok) %d\b' % number)
    for i, line in enumerate(log):
        if pat.match(line):
            out.append(line)
            for nxt in log[i + 1:]:
                if not nxt.startswith('#') or len(out) > MAX_DIAG:
                    break
                out.append(nxt)
            break
    return out


def error_lines(log):
    """What explains a failed make run: its error lines, else its tail."""
    hits = [l for l in log if re.search(r'\berror\b|^(FAIL|ERROR|XPASS):|\*\*\*', l, re.I)]
    return hits[-MAX_TAIL:] or log[-MAX_TAIL:]


def main(argv):
    extras = []
    args = []
    i = 0
    while i < len(argv):
        if argv[i] == '--extra':
            extras.append(argv[i + 1])
            i += 2
        else:
            args.append(argv[i])
            i += 1
    builddir, logs = args[0], args[1:]
    passed = failed = skipped = 0
    failures = []   # (title, excerpt lines)
    for rel in logs:
        log_path = os.path.join(builddir, rel)
        trs_path = re.sub(r'\.log$', '.trs', log_path)
        test = re.sub(r'\.log$', '', rel)
        trs = read(trs_path)
        log = read(log_path) or []
        if trs is None:
            failed += 1
            failures.append(('ERROR: %s (did not run: no %s)' % (test, os.path.basename(trs_path)),
                             log[-MAX_TAIL:]))
            continue
        for line in trs:
            m = re.match(r'^:test-result:\s*(\S+)\s*(.*)$', line)
            if not m:
                continue
            res, desc = m.group(1), m.group(2)
            if res in PASSED:
                passed += 1
            elif res in FAILED:
                failed += 1
                num = re.match(r'^(\d+)\b', desc)
                excerpt = case_excerpt(log, int(num.group(1))) if num else []
                if not excerpt:
                    # Not a TAP case: exit status, missing plan, Bail out!
                    excerpt = [l for l in log if l.startswith(('Bail out!', 'ERROR', '#'))][-MAX_TAIL:] \
                        or log[-MAX_TAIL:]
                failures.append(('%s: %s %s' % (res, test, desc), excerpt))
            else:
                skipped += 1
    for extra in extras:
        name, _, rest = extra.partition('=')
        res, _, logfile = rest.partition(':')
        if res == 'PASS':
            passed += 1
        else:
            failed += 1
            failures.append(('FAIL: %s' % name, error_lines(read(logfile) or [])))

    if failures:
        print('=' * 72)
        print('Failed test cases (%d):' % len(failures))
        for title, excerpt in failures:
            print('-' * 72)
            print(title)
            for line in excerpt:
                print('    ' + line)
        print('=' * 72)
    if skipped:
        print('(%d skipped)' % skipped)
    print('%d passed, %d failed' % (passed, failed))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
