#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every source file of the tree carries the project's SPDX line, and the
licence texts are where contrib/debian/copyright says they are (run by
contrib/harden-ci.sh's static phase; exit 1 with the offending files).

Source files: the tracked files that git lists, less prose, data and
fixtures (zones, keys, fuzz corpora, the RFC 7208 suite under its own
licence) and the Debian control files that have no comment syntax.
"""
import os
import subprocess
import sys

TAG = 'SPDX-License-Identifier: GPL-3.0-or-later'
DATA_DIRS = ('tests/fuzz/corpus/', 'tests/fixtures/', 'tests/conformance/')
NOT_SOURCE = {'NEWS', 'COPYING', 'contrib/debian/changelog',
              'contrib/debian/control', 'contrib/debian/copyright',
              'contrib/debian/docs', 'contrib/debian/source/format',
              'm4/.gitkeep'}

top = os.environ.get('top_srcdir') or os.path.dirname(
    os.path.dirname(os.path.abspath(__file__)))


def main():
    try:
        files = subprocess.run(['git', 'ls-files'], cwd=top, check=True,
                               capture_output=True, text=True).stdout.split()
    except (OSError, subprocess.CalledProcessError) as e:
        print('check-licence: not a git checkout (%s)' % e)
        return 1
    bad = []
    for f in files:
        if (f in NOT_SOURCE or f.startswith(DATA_DIRS) or f.endswith('.md')
                or os.path.basename(f) == 'README'):
            continue
        with open(os.path.join(top, f), 'rb') as fh:
            head = fh.read(400)
        if TAG.encode() not in head:
            bad.append(f)
    for need in ('COPYING', 'tests/conformance/spf/rfc7208-tests.LICENSE'):
        if not os.path.isfile(os.path.join(top, need)):
            bad.append(need + ' (missing)')
    for f in bad:
        print('error: no SPDX line near the top of ' + f)
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
