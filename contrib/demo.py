#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Serve the demo domain (tests/fixtures/demo/) from a real NSD on a free
loopback port and run every built plugin against it, showing each command,
its output and its exit code. Run by `contrib/setup.sh demo`, which builds
first; run from the top of the tree.

The DKIM key is made once (RSA 2048, build/demo/dkim-default.pem) and
reused, so check_dkim -k can show that the published key matches it.
NSD's pid goes to build/demo/nsd.pid while it runs, for setup.sh's trap.

With --serve, NSD keeps serving the demo domain after the runs, until
interrupted (Ctrl-C, SIGTERM), and its port is written to
build/demo/port: the README's Icinga 2, Nagios, cron and shell examples
run against it.
"""

import os
import shlex
import signal
import subprocess
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(TOP, 'tests', 'lib'))
os.environ.setdefault('top_srcdir', TOP)
os.environ.setdefault('top_builddir', TOP)
from harness import Nsd, run_plugin, pubkey_b64, dkim_txt, txt_rdata, zone_text, plugin_path  # noqa: E402

DOMAIN = 'example.com'
STATES = {0: 'OK', 1: 'WARNING', 2: 'CRITICAL', 3: 'UNKNOWN'}


def demo_dir():
    d = os.path.join(os.environ['top_builddir'], 'build', 'demo')
    os.makedirs(d, exist_ok=True)
    return d


def dkim_key(d):
    key = os.path.join(d, 'dkim-default.pem')
    if not os.path.exists(key):
        tmp = key + '.new'
        old = os.umask(0o077)
        try:
            subprocess.run(['openssl', 'genpkey', '-algorithm', 'RSA', '-pkeyopt',
                            'rsa_keygen_bits:2048', '-quiet', '-out', tmp], check=True)
        finally:
            os.umask(old)
        os.rename(tmp, key)
        print('made the demo DKIM key %s' % os.path.relpath(key))
    return key


def demo_zone(dkim_p):
    """The demo zone's records (no SOA/NS) with this DKIM public key."""
    with open(os.path.join(TOP, 'tests', 'fixtures', 'demo', DOMAIN + '.zone')) as f:
        return f.read().replace('@DKIM_TXT@', txt_rdata(dkim_txt(dkim_p)))


def plugins(key):
    """(name, args) of the plugins to show, in the guide's order."""
    return [('check_mx', ['-D', DOMAIN]),
            ('check_spf', ['-D', DOMAIN]),
            ('check_dkim', ['-D', DOMAIN, '-S', 'default', '-k', key]),
            ('check_dmarc', ['-D', DOMAIN])]


def _stop(signum, _frame):
    raise SystemExit(128 + signum)


def serve(d, ns):
    """Keep NSD up until a signal; its port in build/demo/port."""
    portfile = os.path.join(d, 'port')
    with open(portfile, 'w') as f:
        f.write('%d\n' % ns.port)
    print('Serving %s on %s port %d (also in %s) until interrupted.' % (
        DOMAIN, ns.host, ns.port, os.path.relpath(portfile)))
    sys.stdout.flush()
    try:
        while True:
            signal.pause()
    except SystemExit:
        pass
    finally:
        os.unlink(portfile)


def main():
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, _stop)
    d = demo_dir()
    key = dkim_key(d)
    body = demo_zone(pubkey_b64(key))
    zone_file = os.path.join(d, DOMAIN + '.zone')
    with open(zone_file, 'w') as f:
        f.write(zone_text(DOMAIN, body))

    pidfile = os.path.join(d, 'nsd.pid')
    ran = []
    with Nsd({DOMAIN: body}) as ns:
        with open(pidfile, 'w') as f:
            f.write('%d\n' % ns.pid)
        try:
            print('NSD serves %s (zone: %s) on %s port %d\n' % (
                DOMAIN, os.path.relpath(zone_file), ns.host, ns.port))
            for name, args in plugins(os.path.relpath(key)):
                if not os.access(plugin_path(name), os.X_OK):
                    print('(%s is not built yet: skipped)\n' % name)
                    continue
                r = run_plugin(name, *args, server=ns)
                shown = [os.path.relpath(r.cmd[0])] + r.cmd[1:]
                print('$ ' + ' '.join(shlex.quote(c) for c in shown))
                sys.stdout.write(r.out)
                if r.err:
                    sys.stdout.write(''.join('stderr: %s\n' % l for l in r.err.splitlines()))
                print('exit %s (%s)\n' % (r.rc, STATES.get(r.rc, 'abnormal')))
                ran.append((name, r.rc))
            if '--serve' in sys.argv[1:]:
                serve(d, ns)
        finally:
            os.unlink(pidfile)
    print('NSD stopped.')
    if not ran:
        print('No plugin is built yet.')
    for name, rc in ran:
        print('%-12s exit %s (%s)' % (name, rc, STATES.get(rc, 'abnormal')))
    return 0


if __name__ == '__main__':
    sys.exit(main())
