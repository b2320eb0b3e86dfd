#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""`make install DESTDIR=...` installs the plugins into libexecdir, their
man pages into mandir/man1, the cron report into bindir (pointing at
libexecdir) and the Icinga 2 / Nagios definitions into pkgdatadir, and
nothing outside the configured prefix; `make uninstall` removes it all,
the directories it made included. Every man page passes `mandoc -T lint`
(Debian's mandoc; skipped without it).
"""

import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.join(os.environ.get('top_srcdir', '.'), 'tests', 'lib'))
from harness import TAP, tmpdir, top_builddir  # noqa: E402

tap = TAP()


def make(*args):
    env = dict(os.environ)
    # Run as a make of its own, not as a job of the make check around us.
    for k in ('MAKEFLAGS', 'MFLAGS', 'MAKELEVEL', 'MAKEOVERRIDES'):
        env.pop(k, None)
    return subprocess.run(['make', '-C', top_builddir()] + list(args), stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, env=env, timeout=300)


def files_under(root):
    out = []
    for d, _dirs, files in os.walk(root):
        for f in files:
            out.append(os.path.join(d, f)[len(root):])
    return sorted(out)


def main():
    r = make('-s', 'eco-print-dirs')
    dirs = dict(l.split('=', 1) for l in r.stdout.decode().splitlines() if '=' in l)
    progs = [os.path.basename(p) for p in dirs.get('programs', '').split()]
    tap.ok(r.returncode == 0 and progs, 'the build names its plugins (%s)' % ' '.join(progs), r.stdout)
    dest = tmpdir()
    r = make('install', 'DESTDIR=' + dest)
    tap.ok(r.returncode == 0, 'make install DESTDIR=... succeeds', r.stdout.decode('utf-8', 'replace')[-3000:])
    got = files_under(dest)
    prefix = dirs['prefix'].rstrip('/') + '/'
    outside = [f for f in got if not f.startswith(prefix)]
    tap.ok(not outside, 'nothing installed outside the prefix %s' % prefix, outside)

    want = []
    for p in progs:
        want += [os.path.join(dirs['libexecdir'], p), os.path.join(dirs['mandir'], 'man1', p + '.1')]
    want += [os.path.join(dirs['bindir'], 'maildns-report'), os.path.join(dirs['mandir'], 'man1', 'maildns-report.1')]
    want += [os.path.join(dirs['pkgdatadir'], x) for x in
             ('icinga2/maildns.conf', 'icinga2/services.conf', 'icinga2/services-optional.conf',
              'icinga2/distributed.conf',
              'nagios/maildns.cfg', 'nagios/services.cfg')]
    tap.is_(got, sorted(want), 'exactly the plugins, man pages, report and definitions are installed')
    for p in progs:
        exe = dest + os.path.join(dirs['libexecdir'], p)
        tap.ok(os.access(exe, os.X_OK) and subprocess.run([exe, '--version'], stdout=subprocess.PIPE).returncode == 0,
               'installed %s runs' % p)
        man = dest + os.path.join(dirs['mandir'], 'man1', p + '.1')
        text = open(man, errors='replace').read() if os.path.exists(man) else ''
        help_text = subprocess.run([exe, '--help'], stdout=subprocess.PIPE).stdout.decode() if os.path.exists(exe) else ''
        opts = [l.split(',')[0].split('=')[0].split()[0] for l in help_text.splitlines() if l.startswith(' -')]
        missing = [o for o in opts if o.replace('-', '\\-') not in text]
        tap.ok(text.startswith('.TH %s 1 ' % p.upper()) and opts and not missing,
               'man page of %s (section 1) names every option of its --help' % p, missing or text[:300])
        r = subprocess.run(['man', '--warnings', '-l', man], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           env=dict(os.environ, MANPAGER='cat', PAGER='cat', LC_ALL='C.UTF-8', MANWIDTH='80'))
        if r.returncode == 127 or not os.path.exists('/usr/bin/man'):
            tap.skip('man renders %s' % p, 'man-db not installed')
        else:
            tap.ok(r.returncode == 0 and not r.stderr.strip() and b'OPTIONS' in r.stdout,
                   'man renders the page of %s without warnings' % p, r.stderr.decode('utf-8', 'replace'))
    for man in [f for f in got if f.startswith(os.path.join(dirs['mandir'], 'man1') + '/')]:
        if not shutil.which('mandoc'):
            tap.skip('mandoc -T lint %s' % os.path.basename(man), 'mandoc not installed')
            continue
        r = subprocess.run(['mandoc', '-T', 'lint', dest + man], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        tap.ok(r.returncode == 0 and not r.stdout.strip(), 'mandoc -T lint: %s is clean' % os.path.basename(man),
               r.stdout.decode('utf-8', 'replace'))
    report = dest + os.path.join(dirs['bindir'], 'maildns-report')
    text = open(report).read() if os.path.exists(report) else ''
    tap.ok("\nPLUGINDIR = '%s'\n" % dirs['libexecdir'] in text and os.access(report, os.X_OK),
           'the installed report looks for the plugins in libexecdir', text[:400])

    r = make('uninstall', 'DESTDIR=' + dest)
    left = files_under(dest)
    tap.ok(r.returncode == 0 and not left, 'make uninstall removes every file', left)
    dirs_left = sorted(os.path.join(d, x)[len(dest):] for d, ds, _f in os.walk(dest) for x in ds)
    tap.ok(not dirs_left, 'make uninstall leaves no directory it made', dirs_left)


main()
tap.done()
