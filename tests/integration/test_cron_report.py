#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""contrib/cron/maildns-report against a real NSD on loopback: the demo
domain (every check OK) and a domain with no records (every check
CRITICAL), run under dash (POSIX sh) as a crontab would.

One line per check `DOMAIN CHECK STATE FIRST-LINE` (no perfdata), the
worst state as exit status, -q printing only what is not OK, comments
and blank lines skipped, the selector and mail-host columns reaching the
plugins, a missing plugin reported as UNKNOWN, bad usage as exit 3.
"""

import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.join(os.environ.get('top_srcdir', '.'), 'tests', 'lib'))
from harness import TAP, Nsd, tmpdir, top_srcdir, top_builddir  # noqa: E402
import ecofix  # noqa: E402

tap = TAP()
SCRIPT = os.path.join(top_srcdir(), 'contrib', 'cron', 'maildns-report')
PLUGINS = os.path.join(top_builddir(), 'plugins')
SH = shutil.which('dash') or '/bin/sh'
STATES = ['OK', 'WARNING', 'CRITICAL', 'UNKNOWN']
CHECKS = [('mx', 'check_mx', 'MX'), ('spf', 'check_spf', 'SPF'),
          ('dkim', 'check_dkim', 'DKIM'), ('dmarc', 'check_dmarc', 'DMARC')]


def report(*args, stdin=None):
    r = subprocess.run([SH, SCRIPT] + list(args), input=stdin, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=120)
    return r.returncode, r.stdout.decode('utf-8', 'replace'), r.stderr.decode('utf-8', 'replace')


def expected_state(plugin, domain):
    """A plugin not built in this tree is reported UNKNOWN."""
    if not os.access(os.path.join(PLUGINS, plugin), os.X_OK):
        return 3
    return ecofix.EXPECTED[domain]


def main():
    d = tmpdir()
    lst = os.path.join(d, 'domains')
    with open(lst, 'w') as f:
        f.write('# mail domains checked every night\n\n'
                '%s  default  %s   # the demo domain\n'
                '   %s\n' % (ecofix.GOOD, ecofix.MAILHOST, ecofix.BAD))
    zones, _key = ecofix.zones()
    with Nsd(zones) as ns:
        dns = ['-s', ns.host, '-p', str(ns.port)]
        rc, out, err = report('-d', PLUGINS, lst, *dns)
        lines = out.splitlines()
        tap.is_(len(lines), 8, 'one line per check: 4 checks x 2 domains', out + err)
        worst = 0
        for domain in (ecofix.GOOD, ecofix.BAD):
            for check, plugin, prefix in CHECKS:
                st = expected_state(plugin, domain)
                worst = max(worst, st)
                mine = [l for l in lines if l.startswith('%s %s ' % (domain, check))]
                want = '%s %s %s ' % (domain, check, STATES[st])
                ok = len(mine) == 1 and mine[0].startswith(want)
                if ok and st != 3:
                    ok = mine[0][len(want):].startswith('%s %s - %s' % (prefix, STATES[st], domain))
                tap.ok(ok and '|' not in (mine or [''])[0],
                       'line "%s..." with the plugin\'s first line, no perfdata' % want.strip(), out)
        tap.is_(rc, worst, 'exit status is the worst state (%d)' % worst, out + err)

        # -q: only what is not OK; a clean list is silent and exits 0.
        rc, out, err = report('-q', '-d', PLUGINS, lst, *dns)
        tap.ok(out and all(' OK ' not in l.split(' - ')[0] for l in out.splitlines())
               and not any(l.startswith(ecofix.GOOD + ' ') and expected_state(p, ecofix.GOOD) == 0
                           for l in out.splitlines() for _c, p, _x in CHECKS if l.split()[1] == _c),
               '-q prints only the checks that are not OK', out)
        built = [(c, p) for c, p, _x in CHECKS if os.access(os.path.join(PLUGINS, p), os.X_OK)]
        if len(built) == len(CHECKS):
            rc, out, err = report('-q', '-d', PLUGINS, '-', *dns, stdin=(ecofix.GOOD + '\n').encode())
            tap.ok(rc == 0 and out == '', 'all OK with -q: no output (no cron mail), exit 0', out + err)
        else:
            rc, out, err = report('-q', '-d', PLUGINS, '-', *dns, stdin=(ecofix.GOOD + '\n').encode())
            tap.ok(rc == 3 and all(' UNKNOWN plugin not found' in l for l in out.splitlines()),
                   'the list from stdin; with -q only the missing plugins show (UNKNOWN)', out + err)

        # The selector and mail-host columns reach the plugins: a selector
        # with no key and a mail host that is not the MX fail.
        rc, out, err = report('-d', PLUGINS, '-', *dns,
                              stdin=('%s nokey mail.elsewhere.example\n' % ecofix.GOOD).encode())
        dkim = [l for l in out.splitlines() if l.split()[1] == 'dkim']
        tap.ok(dkim and ('nokey' in dkim[0] and ' CRITICAL ' in dkim[0]
                         or expected_state('check_dkim', ecofix.GOOD) == 3),
               'the selector column is passed as -S', out)
        mx = [l for l in out.splitlines() if l.split()[1] == 'mx']
        tap.ok(mx and (' CRITICAL ' in mx[0] or expected_state('check_mx', ecofix.GOOD) == 3),
               'the mail-host column is passed to check_mx as -e (not the MX: CRITICAL)', out)

    # No DNS server at all is not our concern here; a missing plugin is.
    rc, out, err = report('-d', os.path.join(d, 'nowhere'), '-', stdin=b'example.com\n')
    tap.ok(rc == 3 and len(out.splitlines()) == 4 and
           all(re.match(r'^example\.com \w+ UNKNOWN plugin not found: ', l) for l in out.splitlines()),
           'a missing plugin is an UNKNOWN line', out + err)
    rc, out, err = report()
    tap.ok(rc == 3 and 'usage:' in err, 'no list: usage on stderr, exit 3', out + err)
    rc, out, err = report(os.path.join(d, 'no-such-list'))
    tap.ok(rc == 3 and 'cannot read' in err, 'unreadable list: exit 3', out + err)


main()
tap.done()
