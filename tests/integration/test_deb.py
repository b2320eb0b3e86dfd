#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""contrib/debian builds a Debian binary package the standard way: in a
clean copy of the git checkout (the files git tracks or would track, as
they are in the work tree; no configure yet), `cp -r contrib/debian
debian && dpkg-buildpackage -us -uc -b` (dh_autoreconf makes configure).
Outside a git checkout (a release tarball) contrib/debian/build-deb.sh
builds it from `make dist` instead.

The package's files are where Debian wants them: the plugins next to
monitoring-plugins in /usr/lib/nagios/plugins, man pages (the plugins'
and maildns-report's), the cron report in /usr/bin pointing there, the
Icinga 2 and Nagios definitions in /usr/share/maildns-plugins, and
nothing in /etc or in the ITL's own directory. lintian finds no error
and no warning but the usual ones of Nagios plugins (executable-in-usr-lib,
spare-manual-page: the plugins are not on PATH), every man page passes
`mandoc -T lint`, the Maintainer is a role address. The package's unit
tests are left out here (nocheck): make check runs them already.

Skipped without dpkg-buildpackage and debhelper (contrib/install-deps.sh
installs them, lintian and mandoc too), and under make distcheck (make
check builds it once).
"""

import os
import gzip
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
    for k in ('MAKEFLAGS', 'MFLAGS', 'MAKELEVEL', 'MAKEOVERRIDES', 'top_srcdir', 'top_builddir'):
        env.pop(k, None)
    t0 = time.monotonic()
    tracked = subprocess.run(['git', '-C', top_srcdir(), 'ls-files', '-z', '-c', '-o', '--exclude-standard'],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL) if shutil.which('git') else None
    if tracked is not None and tracked.returncode == 0 and tracked.stdout:
        # The standard path, in a clean copy of the checkout: the .deb
        # lands in its parent directory, `out`.
        src = os.path.join(out, 'maildns-plugins')
        os.makedirs(src)
        for rel in sorted(set(tracked.stdout.decode().split('\0')) - {''}):
            from_ = os.path.join(top_srcdir(), rel)
            if not os.path.lexists(from_):
                continue        # deleted in the work tree, not yet in git
            to = os.path.join(src, rel)
            os.makedirs(os.path.dirname(to), exist_ok=True)
            shutil.copy2(from_, to, follow_symlinks=False)
        how = 'cp -r contrib/debian debian && dpkg-buildpackage -us -uc -b in a clean checkout'
        tap.ok(not os.path.exists(os.path.join(src, 'configure')), 'the clean copy has no configure script')
        r = subprocess.run('cp -r contrib/debian debian && dpkg-buildpackage -us -uc -b', shell=True,
                           cwd=src, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, timeout=900)
    else:
        how = 'contrib/debian/build-deb.sh (dpkg-buildpackage -us -uc -b on the release tarball)'
        r = subprocess.run(['sh', os.path.join(top_srcdir(), 'contrib', 'debian', 'build-deb.sh'), out],
                           cwd=top_builddir(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           env=env, timeout=900)
    took = time.monotonic() - t0
    log = r.stdout.decode('utf-8', 'replace')
    # (and its automatic -dbgsym package of debug symbols)
    debs = [f for f in os.listdir(out) if f.endswith('.deb') and '-dbgsym_' not in f]
    tap.ok(r.returncode == 0 and len(debs) == 1 and re.match(r'^maildns-plugins_[^_]+_%s\.deb$' % arch(), debs[0]),
           '%s builds the package (%.0f s)' % (how, took), log[-3000:])
    if not debs:
        return
    deb = os.path.join(out, debs[0])
    r = subprocess.run(['dpkg-deb', '-c', deb], stdout=subprocess.PIPE)
    files = sorted(l.split()[5].lstrip('.') for l in r.stdout.decode().splitlines()
                   if not l.startswith('d'))
    plugins = [n for n, _p in ecofix.built(ecofix.ALL_PLUGINS)]
    want = ['/usr/lib/nagios/plugins/' + p for p in plugins]
    want += ['/usr/share/man/man1/%s.1.gz' % p for p in plugins]
    want += ['/usr/bin/maildns-report', '/usr/share/man/man1/maildns-report.1.gz',
             '/usr/share/maildns-plugins/icinga2/maildns.conf',
             '/usr/share/maildns-plugins/icinga2/services.conf',
             '/usr/share/maildns-plugins/icinga2/services-optional.conf',
             '/usr/share/maildns-plugins/icinga2/distributed.conf',
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
        tap.ok("\nPLUGINDIR = '/usr/lib/nagios/plugins'\n" in f.read(),
               'the packaged report looks in /usr/lib/nagios/plugins')
    for p in plugins:
        r = subprocess.run([os.path.join(x, 'usr/lib/nagios/plugins', p), '--version'],
                           stdout=subprocess.PIPE)
        tap.ok(r.returncode == 0 and r.stdout.startswith(p.encode()), 'the packaged %s runs' % p)
    r = subprocess.run(['dpkg-deb', '-f', deb, 'Package', 'Depends'], stdout=subprocess.PIPE)
    info = r.stdout.decode()
    tap.ok('Package: maildns-plugins' in info and 'libldns' in info,
           'package maildns-plugins depends on its libraries', info)
    tap.ok(re.search(r'\bpython3\b', info), 'and on python3 (maildns-report)', info)
    maint = subprocess.run(['dpkg-deb', '-f', deb, 'Maintainer'], stdout=subprocess.PIPE).stdout.decode().strip()
    tap.ok(re.match(r'^maildns-plugins [a-z]+ <[a-z]+@maildns-plugins\.invalid>$', maint),
           'Maintainer is the project\'s role address, not a person or localhost', maint)

    # Every man page in the package: mandoc -T lint clean.
    pages = [f for f in files if f.startswith('/usr/share/man/')]
    if not shutil.which('mandoc'):
        tap.skip('mandoc -T lint on the package\'s man pages', 'mandoc not installed')
    else:
        for page in pages:
            with gzip.open(x + page) as f:
                roff = f.read()
            r = subprocess.run(['mandoc', '-T', 'lint'], input=roff, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT)
            tap.ok(r.returncode == 0 and not r.stdout.strip(), 'mandoc -T lint: %s is clean' % page,
                   r.stdout.decode('utf-8', 'replace'))

    # lintian: no error, no warning but the two every Nagios plugin
    # package has (executable-in-usr-lib is only shown with -E, as X:).
    if not shutil.which('lintian'):
        tap.skip('lintian on the package', 'lintian not installed')
    else:
        r = subprocess.run(['lintian', '--tag-display-limit', '0', deb], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=600)
        tags = [l for l in r.stdout.decode('utf-8', 'replace').splitlines() if re.match(r'^[EW]: ', l)]
        allowed = ('executable-in-usr-lib', 'spare-manual-page')
        bad = [l for l in tags if l.split()[2] not in allowed]
        tap.ok(r.returncode in (0, 1) and not bad,
               'lintian: no error, no warning but %s' % ', '.join(allowed),
               '\n'.join(bad) or r.stderr.decode('utf-8', 'replace'))
    tap.diag('package build took %.0f s' % took)


main()
tap.done()
