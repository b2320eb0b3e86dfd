# SPDX-License-Identifier: GPL-3.0-or-later
"""Internal addresses are reported but not contacted unless
--allow-internal (implied: the plugins run on a monitoring host, and a
hostile zone must not make them talk to that host's own services).

  example.com  MX mail.example.com at 127.0.0.1, where an SMTP fake
               listens; NS ns1 127.0.0.1 (the -s server) and ns2
               127.0.0.2 (a DNS server that logs what it is asked), both
               on the same port (an NS record cannot name one)
  example.org  MX at 10.0.0.1 (RFC 1918) and NS at 10.0.0.1

Nothing may leave loopback: the 10.0.0.1 cases run only in a network
namespace of their own (as root, like test_smtp_postfix.py), where
10.0.0.1 is unreachable, so even a contact there sends nothing; a
contact shows as "network unreachable". Elsewhere they are skipped.
"""

import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.environ.get('top_srcdir', '.'), 'tests', 'lib'))
INNER = 'MAILDNS_INTERNAL_NETNS'


def outer():
    """Run this file again inside a fresh network namespace when we can;
    return when we cannot (then without the 10.0.0.1 cases)."""
    ip = shutil.which('ip', path='/usr/sbin:/sbin:/usr/bin')
    if os.geteuid() != 0 or ip is None:
        return
    ns = 'maildns-internal-%d' % os.getpid()
    if subprocess.run([ip, 'netns', 'add', ns], stdout=subprocess.DEVNULL,
                      stderr=subprocess.DEVNULL).returncode != 0:
        return
    try:
        env = dict(os.environ, **{INNER: ns})
        rc = subprocess.run([ip, 'netns', 'exec', ns, sys.executable,
                             os.path.abspath(__file__)], env=env,
                            timeout=600).returncode
    finally:
        subprocess.run([ip, 'netns', 'del', ns])
    sys.exit(rc)


if not os.environ.get(INNER):
    outer()
ISOLATED = bool(os.environ.get(INNER))
if ISOLATED:
    subprocess.run(['ip', 'link', 'set', 'lo', 'up'], check=True)

from harness import TAP, run_plugin  # noqa: E402
from dnsserver import DnsServer  # noqa: E402
from smtpfake import SmtpFake  # noqa: E402

tap = TAP()
T = 3
NO_CONTACT = 'not contacted: internal addresses are probed only with --allow-internal'
NOT_ASKED = 'not asked (internal addresses are asked only with --allow-internal)'

ZONE = {
    'example.com': [('SOA', 'ns1.example.com', 'hostmaster.example.com', 1),
                    ('MX', 10, 'mail.example.com'), ('NS', 'ns1.example.com'),
                    ('NS', 'ns2.example.com')],
    'mail.example.com': [('A', '127.0.0.1')],
    'ns1.example.com': [('A', '127.0.0.1')],
    'ns2.example.com': [('A', '127.0.0.2')],
    'example.org': [('SOA', 'ns.example.org', 'hostmaster.example.org', 1),
                    ('MX', 10, 'mail.example.org'), ('NS', 'ns.example.org')],
    'mail.example.org': [('A', '10.0.0.1')],
    'ns.example.org': [('A', '10.0.0.1')],
}


def FixedDns(host, port, **kw):
    """DnsServer on a given address and port."""
    return DnsServer(host=host, port=port, **kw)


def servers():
    """The -s server on 127.0.0.1 and ns2 on 127.0.0.2, same port."""
    for _ in range(20):
        dns = DnsServer(ZONE, lifetime=600)
        dns.start()
        ns2 = FixedDns('127.0.0.2', dns.port, zone=ZONE, lifetime=600)
        try:
            ns2.start()
            return dns, ns2
        except OSError:
            dns.stop()
    raise RuntimeError('no port free on 127.0.0.1 and 127.0.0.2')


def has(r, state, text):
    return any(l.startswith('[%s]' % state) and text in l for l in r.long)


def sends(r):
    """Servers the -vvv trace shows queries sent to."""
    return set(re.findall(r'^dns: send \S+ \S+ (\S+?)#', r.err, re.M))


dns, ns2 = servers()
try:
    def mx(*args):
        return run_plugin('check_mx', '-t', T, *args, server=dns)

    # --- SMTP: an MX at 127.0.0.1 with a listening SMTP server
    with SmtpFake('ok') as s:
        r = mx('-D', 'example.com', '--smtp', '--smtp-port', s.port)
        time.sleep(0.2)
        tap.ok(s.connections == 0 and r.rc == 1
               and has(r, 'WARNING', 'SMTP: MX mail.example.com address 127.0.0.1 (loopback) '
                       + NO_CONTACT)
               and has(r, 'WARNING', 'MX mail.example.com has address 127.0.0.1 (loopback)')
               and not any('[127.0.0.1]:' in l for l in r.long),
               'implied --smtp, MX at 127.0.0.1: not contacted (no connection arrived), '
               'finding says so and names --allow-internal', r)
        for opt in ('--starttls', '--dane'):
            r = mx('-D', 'example.com', opt, '--smtp-port', s.port)
            time.sleep(0.2)
            tap.ok(s.connections == 0 and has(r, 'WARNING', NO_CONTACT),
                   'implied %s, MX at 127.0.0.1: not contacted' % opt, r)
        r = mx('-D', 'example.com', '--smtp', '--smtp-port', s.port, '--allow-internal')
        tap.ok(s.connections >= 1 and r.rc == 1 and not has(r, 'WARNING', NO_CONTACT)
               and has(r, 'OK', 'SMTP mail.example.com[127.0.0.1]:%d: connect' % s.port)
               and r.perf.get('smtp_ok') == '1',
               'implied --smtp --allow-internal, MX at 127.0.0.1: contacted', r)
    r = mx('-D', 'example.com', '--allow-internal')
    tap.ok(r.rc == 1 and not any('SMTP' in l for l in r.long),
           '--allow-internal alone changes nothing without --smtp', r)
    r = mx('-D', 'example.com', '--smtp', '-6', '--smtp-port', 1)
    tap.ok(not has(r, 'WARNING', NO_CONTACT),
           '-6: an IPv4 MX address is not named as left out for being internal', r)

    # --- --all-ns: NS at 127.0.0.1 and 127.0.0.2
    before = len(ns2.queries)
    r = mx('-D', 'example.com', '--all-ns', '-vvv')
    tap.ok(len(ns2.queries) == before and not {'127.0.0.2'} & sends(r)
           and has(r, 'WARNING', 'NS host ns2.example.com of example.com has the loopback '
                   'address 127.0.0.2: ' + NOT_ASKED)
           and has(r, 'WARNING', 'NS host ns1.example.com of example.com has the loopback '
                   'address 127.0.0.1: ' + NOT_ASKED)
           and r.perf.get('ns_total') == '0',
           'implied --all-ns, NS at 127.0.0.1/.2: not asked (no query arrived), '
           'findings say so and name --allow-internal', r)
    r = mx('-D', 'example.com', '--all-ns', '--allow-internal', '-vvv')
    tap.ok(len(ns2.queries) > before and '127.0.0.2' in sends(r)
           and not any(NOT_ASKED in l for l in r.long) and r.perf.get('ns_total') == '2',
           'implied --all-ns --allow-internal: both NS addresses asked', r)
    before = len(ns2.queries)
    r = run_plugin('check_dkim', '-t', T, '-D', 'example.com', '--all-ns', server=dns)
    tap.ok(len(ns2.queries) == before and any(NOT_ASKED in l for l in r.long),
           'implied check_dkim --all-ns: the shared option, same filter', r)

    # --- 10.0.0.1, only where it cannot be reached
    if not ISOLATED:
        for name in ('MX at 10.0.0.1 --smtp: not contacted', 'MX at 10.0.0.1 with '
                     '--allow-internal: contacted', 'NS at 10.0.0.1: not asked',
                     'NS at 10.0.0.1 with --allow-internal: asked'):
            tap.skip('implied ' + name, 'needs root for a network namespace')
    else:
        r = mx('-D', 'example.org', '--smtp', '--smtp-port', 25)
        tap.ok(r.rc == 1 and has(r, 'WARNING', 'SMTP: MX mail.example.org address 10.0.0.1 '
                                 '(private (RFC 1918)) ' + NO_CONTACT)
               and not any('[10.0.0.1]:' in l for l in r.long),
               'implied --smtp, MX at 10.0.0.1: not contacted', r)
        r = mx('-D', 'example.org', '--smtp', '--smtp-port', 25, '--allow-internal')
        tap.ok(any('mail.example.org[10.0.0.1]:25' in l for l in r.long)
               and not has(r, 'WARNING', NO_CONTACT),
               'implied --smtp --allow-internal, MX at 10.0.0.1: contacted '
               '(unreachable in the namespace)', r)
        r = mx('-D', 'example.org', '--all-ns', '-vvv')
        tap.ok('10.0.0.1' not in sends(r)
               and has(r, 'WARNING', 'NS host ns.example.org of example.org has the private '
                       '(RFC 1918) address 10.0.0.1: ' + NOT_ASKED),
               'implied --all-ns, NS at 10.0.0.1: not asked', r)
        r = mx('-D', 'example.org', '--all-ns', '--allow-internal', '-vvv')
        tap.ok('10.0.0.1' in sends(r) or any('ns.example.org (10.0.0.1)' in l for l in r.long),
               'implied --all-ns --allow-internal, NS at 10.0.0.1: asked', r)
finally:
    ns2.stop()
    dns.stop()
tap.done()
