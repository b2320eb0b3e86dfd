#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""contrib/debian builds a Debian binary package (dpkg-buildpackage -us
-uc -b through contrib/debian/build-deb.sh, from this tree's release
tarball) whose files are where Debian wants them: the plugins next to
monitoring-plugins in /usr/lib/nagios/plugins, man pages, the cron
report in /usr/bin pointing there, the Icinga 2 and Nagios definitions
in /usr/share/maildns-plugins, and nothing in /etc or in the ITL's own
directory. The package's unit tests are left out here (nocheck): make
check runs them already.

Skipped without dpkg-buildpackage and debhelper (contrib/install-deps.sh
installs them), and under make distcheck (make check builds it once).
"""

import os
import re
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.environ.get('top_srcdir', '.'), 'tests', 'lib'))
from harness import TAP, tmpdir, top_srcdir, top_builddir  # noqa: E402
import ecofix  # noqa: E402

tap = TAP()


def arch():
    return subprocess.run(['dpkg', '--print-architecture'], stdout=subprocess.PIPE).stdout.decode().strip()


def main():
    if not shutil.which('dpkg-buildpackage') or not shutil.which('dh'):
        tap.skip('Debian package', 'dpkg-buildpackage or debhelper not installed')
        return
    # make distcheck makes the sources read-only (root could still write:
    # look at the mode, not at access()).
    if not os.stat(top_srcdir()).st_mode & 0o222:
        tap.skip('Debian package', 'read-only sources (make distcheck): built by make check')
        return
    out = tmpdir()
    env = dict(os.environ, DEB_BUILD_OPTIONS='nocheck')
    for k in ('MAKEFLAGS', 'MFLAGS', 'MAKELEVEL', 'MAKEOVERRIDES'):
        env.pop(k, None)
    t0 = time.monotonic()
    r = subprocess.run(['sh', os.path.join(top_srcdir(), 'contrib', 'debian', 'build-deb.sh'), out],
                       cwd=top_builddir(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       env=env, timeout=900)
    took = time.monotonic() - t0
    log = r.stdout.decode('utf-8', 'replace')
    # (and its automatic -dbgsym package of debug symbols)
    debs = [f for f in os.listdir(out) if f.endswith('.deb') and '-dbgsym_' not in f]
    tap.ok(r.returncode == 0 and len(debs) == 1 and re.match(r'^maildns-plugins_[^_]+_%s\.deb$' % arch(), debs[0]),
           'dpkg-buildpackage -us -uc -b builds the package (%.0f s)' % took, log[-3000:])
    if not debs:
        return
    deb = os.path.join(out, debs[0])
    r = subprocess.run(['dpkg-deb', '-c', deb], stdout=subprocess.PIPE)
    files = sorted(l.split()[5].lstrip('.') for l in r.stdout.decode().splitlines()
                   if not l.startswith('d'))
    plugins = [n for n, _p in ecofix.built()]
    want = ['/usr/lib/nagios/plugins/' + p for p in plugins]
    want += ['/usr/share/man/man1/%s.1.gz' % p for p in plugins]
    want += ['/usr/bin/maildns-report',
             '/usr/share/maildns-plugins/icinga2/maildns.conf',
             '/usr/share/maildns-plugins/icinga2/services.conf',
             '/usr/share/maildns-plugins/nagios/maildns.cfg',
             '/usr/share/maildns-plugins/nagios/services.cfg']
    for w in want:
        tap.ok(w in files, 'the package has %s' % w, files)
    tap.ok(not [f for f in files if f.startswith('/etc/') or f.startswith('/usr/share/icinga2/')],
           'nothing in /etc or the ITL\'s /usr/share/icinga2', files)
    extra = [f for f in files if f not in want and not f.startswith('/usr/share/doc/maildns-plugins/')]
    tap.ok(not extra, 'no other files (besides /usr/share/doc/maildns-plugins)', extra)
    x = tmpdir()
    subprocess.run(['dpkg-deb', '-x', deb, x], check=True)
    with open(os.path.join(x, 'usr/bin/maildns-report')) as f:
        tap.ok('\nplugindir=/usr/lib/nagios/plugins\n' in f.read(),
               'the packaged report looks in /usr/lib/nagios/plugins')
    for p in plugins:
        r = subprocess.run([os.path.join(x, 'usr/lib/nagios/plugins', p), '--version'],
                           stdout=subprocess.PIPE)
        tap.ok(r.returncode == 0 and r.stdout.startswith(p.encode()), 'the packaged %s runs' % p)
    r = subprocess.run(['dpkg-deb', '-f', deb, 'Package', 'Depends'], stdout=subprocess.PIPE)
    info = r.stdout.decode()
    tap.ok('Package: maildns-plugins' in info and 'libldns' in info,
           'package maildns-plugins depends on its libraries', info)
    tap.diag('package build took %.0f s' % took)


main()
tap.done()
