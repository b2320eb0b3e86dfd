#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""List the rows of the hostile-input catalogue that no test names.

usage: check-hostile-ids.py [-v] [CATALOGUE]

Reads every row ID (N-TO-01, S-MAC-03, K-05, ...) from the catalogue:
CATALOGUE, else doc/hostile-inputs.md of the source tree ($top_srcdir,
else the directory above this script's). The catalogue ships in the
tree and the tarball, so a missing one is an error (exit 2).

A row counts as covered when a text file under tests/ names its ID (in a
test name or a comment). Not counted: this script (it names the rows it
excuses), tests/fuzz/ (its targets and seeds name rows, but show only
that no input crashes, not the row's expected result), and binary
files. Rows
that do not apply to this project are excused in NOT_APPLICABLE below,
each with the reason.

Prints one uncovered ID per line (nothing when all are covered); exit
status 1 when any is uncovered. -v also prints, per covered ID, the files
that name it.
"""

import os
import re
import sys

# Rows of the catalogue that do not apply, with the reason. Keep short:
# every entry is a claim that a reviewer should be able to check.
NOT_APPLICABLE = {
    # A catalogue row whose feature is not in the tree yet, with the
    # reason; remove it in the commit that brings the feature, together
    # with its test. Every row has a feature today.
}

ID_RE = re.compile(r'^\|\s*([A-Z]+(?:-[A-Z]+)?-\d+)\s*\|')
SKIP_DIRS = {'fuzz', '__pycache__'}


def catalogue_path(argv):
    if argv:
        return argv[0]
    top = os.environ.get('top_srcdir') or os.path.dirname(
        os.path.dirname(os.path.abspath(__file__)))
    return os.path.join(top, 'doc', 'hostile-inputs.md')


def row_ids(path):
    ids = []
    with open(path, encoding='utf-8') as f:
        for line in f:
            m = ID_RE.match(line)
            if m and m.group(1) != 'ID' and m.group(1) not in ids:
                ids.append(m.group(1))
    return ids


def test_texts(tests_dir):
    me = os.path.abspath(__file__)
    for root, dirs, files in os.walk(tests_dir):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS)
        for name in sorted(files):
            path = os.path.join(root, name)
            if os.path.abspath(path) == me:
                continue
            try:
                with open(path, 'rb') as f:
                    data = f.read()
            except OSError:
                continue
            if b'\0' in data[:8192]:
                continue        # binary (a built test program)
            yield path, data.decode('utf-8', 'replace')


def main(argv):
    verbose = False
    if argv and argv[0] == '-v':
        verbose = True
        argv = argv[1:]
    cat = catalogue_path(argv)
    if not os.path.isfile(cat):
        print('check-hostile-ids: no catalogue at %s' % cat, file=sys.stderr)
        return 2
    ids = row_ids(cat)
    if not ids:
        print('check-hostile-ids: no row IDs in %s' % cat, file=sys.stderr)
        return 1
    unknown = sorted(set(NOT_APPLICABLE) - set(ids))
    for i in unknown:
        print('check-hostile-ids: excused ID %s is not in the catalogue' % i,
              file=sys.stderr)
    tests_dir = os.path.dirname(os.path.abspath(__file__))
    pats = {i: re.compile(r'(?<![A-Za-z0-9-])%s(?![0-9])' % re.escape(i))
            for i in ids}
    where = {i: [] for i in ids}
    for path, text in test_texts(tests_dir):
        for i, p in pats.items():
            if p.search(text):
                where[i].append(os.path.relpath(path, tests_dir))
    missing = [i for i in ids if not where[i] and i not in NOT_APPLICABLE]
    if verbose:
        for i in ids:
            if where[i]:
                print('# %s: %s' % (i, ', '.join(where[i])))
            elif i in NOT_APPLICABLE:
                print('# %s: not applicable: %s' % (i, NOT_APPLICABLE[i]))
    for i in missing:
        print(i)
    return 1 if missing or unknown else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
