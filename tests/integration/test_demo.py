#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The demo domain (the DNS guide's summary table, tests/fixtures/demo/)
is what `contrib/setup.sh demo` shows a new user: every built plugin must
find it OK, run exactly as the demo runs it. A plugin not built yet is
skipped."""

import os
import sys

TOP = os.environ.get('top_srcdir', '.')
sys.path.insert(0, os.path.join(TOP, 'tests', 'lib'))
sys.path.insert(0, os.path.join(TOP, 'contrib'))
from harness import TAP, Nsd, run_plugin, plugin_path, genkey_rsa  # noqa: E402
import demo  # noqa: E402

tap = TAP()
SERVICE = {'check_mx': 'MX', 'check_spf': 'SPF', 'check_dkim': 'DKIM', 'check_dmarc': 'DMARC'}

key, pub = genkey_rsa(2048)
with Nsd({demo.DOMAIN: demo.demo_zone(pub)}) as ns:
    for name, args in demo.plugins(key):
        if not os.access(plugin_path(name), os.X_OK):
            tap.skip('%s OK on the demo domain' % name, 'not built')
            continue
        r = run_plugin(name, *args, server=ns)
        tap.ok(r.rc == 0 and r.first.startswith(SERVICE[name] + ' OK'),
               '%s OK on the demo domain (the guide\'s records)' % name, r)
tap.done()
