#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Hardening round 2, the DNS transport: a deadline no server can stretch,
datagrams that are not replies ignored, and failover between servers.

Against tests/lib/dnsserver.py on loopback (several servers share one port
on 127.0.0.1, 127.0.0.2, ...: -p is one for all). Through the real
plugins (check_mx) and the resolver driver tests/tools/dnsq:

- implied (deadline rule, N-TCP-*): UDP answers TC=1, TCP then streams
  valid-looking replies with a wrong ID without pause. The connection
  carries one query, so the first wrong reply is a protocol violation:
  the run ends at once with the DNS error naming the server, not with
  "plugin timed out", also when the plugin was started with SIGALRM
  blocked, and with little CPU;
- implied (N-ID-01): a flood of wrong-ID datagrams over UDP: the plugin
  still ends by -t with the DNS error, with little CPU;
- N-WIRE-01 (round 2): a datagram shorter than a DNS header is ignored
  like a wrong ID; the real reply after it is used;
- N-RC-01 (round 2): REFUSED, SERVFAIL and NOTIMP from one server are that
  server's failure: the next server answers, the refusing one is named in
  the long output; when all fail, every server is named;
- implied: NXDOMAIN and NODATA stay final (the next server is not asked).
"""
import os
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.environ.get('top_srcdir', '.'),
                                'tests', 'lib'))
from harness import (TAP, run_cmd, run_plugin, plugin_path,  # noqa: E402
                     top_builddir, valgrind_prefix)
from dnsserver import DnsServer, Flood, message  # noqa: E402

tap = TAP()
DNSQ = os.path.join(top_builddir(), 'tests', 'tools', 'dnsq')
ZONE = {
    'example.com': [('MX', 10, 'mail.example.com')],
    'mail.example.com': [('A', '192.0.2.25')],
}
VG = bool(valgrind_prefix())


def timed_run(args, block_alarm=False, timeout=30):
    """Run a plugin, returning (rc, stdout, wall, cpu seconds): CPU from
    wait4(), so a busy loop shows. block_alarm: start it with SIGALRM
    blocked, as some schedulers and wrappers do."""
    def pre():
        if block_alarm:
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
    t0 = time.monotonic()
    p = subprocess.Popen(args, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, preexec_fn=pre,
                         env=dict(os.environ, LC_ALL='C'))
    deadline = t0 + timeout
    while True:
        pid, status, ru = os.wait4(p.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() > deadline:
            p.kill()
            pid, status, ru = os.wait4(p.pid, 0)
            break
        time.sleep(0.01)
    wall = time.monotonic() - t0
    out = p.stdout.read().decode('utf-8', 'replace')
    p.stdout.close()
    rc = os.waitstatus_to_exitcode(status)
    return rc, out, wall, ru.ru_utime + ru.ru_stime


def rcode_reply(rc):
    """A fault: the query's question, no records, rcode rc."""
    return lambda q: message(id=q.id, questions=[q.question()], rd=q.rd,
                             ra=1, rcode=rc)


def wrong_id(q):
    """A complete, valid-looking reply to q with another ID."""
    return message(id=(q.id + 1) & 0xffff, questions=[q.question()], rd=q.rd,
                   ra=1)


# ------------------------------------------------ TCP flood after TC=1
def tc_then_flood(q):
    if q.transport == 'udp':
        return 'tc'
    return Flood(wrong_id(q), sec=8)


for blocked in (False, True):
    with DnsServer(ZONE, faults=tc_then_flood, lifetime=30) as s:
        name = 'implied: TC=1 then a TCP flood of wrong-ID replies%s' % (
            ', SIGALRM blocked' if blocked else '')
        if VG:
            tap.skip(name, 'timing and CPU are not measured under valgrind')
            continue
        rc, out, wall, cpu = timed_run(
            [plugin_path('check_mx'), '-D', 'example.com', '-t', '4', '-s',
             '127.0.0.1', '-p', str(s.port)], block_alarm=blocked)
        first = out.splitlines()[0] if out else ''
        tap.ok(rc == 2 and 'plugin timed out' not in first and
               '127.0.0.1#%d' % s.port in first and
               'protocol violation' in first and wall < 4.0 and cpu < 1.5,
               name + ': DNS error naming the server within -t 4, '
               'under 1.5 s CPU',
               'rc=%r wall=%.2fs cpu=%.2fs\n%s' % (rc, wall, cpu, out))

# ------------------------------------------------ UDP flood of wrong IDs
with DnsServer(ZONE, faults=lambda q: Flood(wrong_id(q), sec=6),
               lifetime=30) as s:
    name = 'implied (N-ID-01): a flood of wrong-ID datagrams'
    if VG:
        tap.skip(name, 'timing and CPU are not measured under valgrind')
    else:
        rc, out, wall, cpu = timed_run(
            [plugin_path('check_mx'), '-D', 'example.com', '-t', '4', '-s',
             '127.0.0.1', '-p', str(s.port)], block_alarm=True)
        first = out.splitlines()[0] if out else ''
        tap.ok(rc == 2 and 'plugin timed out' not in first and
               'no matching reply (ID mismatch' in first and wall < 4.0 and
               cpu < 1.5,
               name + ': DNS timeout by -t 4, under 1.5 s CPU',
               'rc=%r wall=%.2fs cpu=%.2fs\n%s' % (rc, wall, cpu, out))

# ------------------------------------------------ a short datagram first
with DnsServer(ZONE, faults=lambda q: [b'\x00\x00\x81', None]
               if q.type == 'MX' and q.transport == 'udp' else None) as s:
    r = run_plugin('check_mx', '-D', 'example.com', '-t', '4', server=s)
    tap.ok(r.rc == 0 and r.first.startswith('MX OK'),
           'N-WIRE-01: a 3-byte datagram before the reply is ignored', r)


# ------------------------------------------------ failover
def pair(first_fault, second_zone=ZONE, second_fault=None):
    """Two servers on one port: 127.0.0.1 with first_fault, 127.0.0.2."""
    a = DnsServer(ZONE, faults=first_fault)
    a.start()
    b = DnsServer(second_zone, faults=second_fault, host='127.0.0.2',
                  port=a.port)
    try:
        b.start()
    except OSError:
        a.stop()
        raise
    return a, b


HAVE_127_2 = True
try:
    a, b = pair(None)
    a.stop()
    b.stop()
except OSError:
    HAVE_127_2 = False

for rcode, rname in ((5, 'REFUSED'), (2, 'SERVFAIL'), (4, 'NOTIMP')):
    name = 'N-RC-01: %s from the first server, the second answers' % rname
    if not HAVE_127_2:
        tap.skip(name, '127.0.0.2 cannot be bound here')
        continue
    a, b = pair(rcode_reply(rcode))
    try:
        p = str(a.port)
        r = run_plugin('check_mx', '-D', 'example.com', '-t', '4', '-s',
                       '127.0.0.1', '-s', '127.0.0.2', '-p', p)
        note = [l for l in r.long if '127.0.0.1#%s answered %s' % (p, rname)
                in l]
        tap.ok(r.rc == 0 and r.first.startswith('MX OK') and note and
               len(a.queries) == 3 and len(b.queries) == 3,
               name + '; the first is named in the long output', r)
    finally:
        a.stop()
        b.stop()

name = 'N-RC-01: every server fails: the DNS error names each'
if not HAVE_127_2:
    tap.skip(name, '127.0.0.2 cannot be bound here')
else:
    a, b = pair(rcode_reply(5), second_fault=rcode_reply(2))
    try:
        p = str(a.port)
        r = run_plugin('check_mx', '-D', 'example.com', '-t', '4', '-s',
                       '127.0.0.1', '-s', '127.0.0.2', '-p', p)
        tap.ok(r.rc == 2 and 'DNS SERVFAIL for example.com/MX via '
               '127.0.0.2#%s (before it: 127.0.0.1#%s REFUSED)' % (p, p)
               in r.first, name, r)
    finally:
        a.stop()
        b.stop()

for what, zone in (('NXDOMAIN', {}), ('NODATA', {'example.com': [
        ('A', '192.0.2.1')]})):
    name = 'implied: %s from the first server is final' % what
    if not HAVE_127_2:
        tap.skip(name, '127.0.0.2 cannot be bound here')
        continue
    a = DnsServer(zone)
    a.start()
    b = DnsServer(ZONE, host='127.0.0.2', port=a.port)
    b.start()
    try:
        q = run_cmd(valgrind_prefix() + [
            DNSQ, '-s', '127.0.0.1', '-s', '127.0.0.2', '-p', str(a.port),
            '-t', '3', 'example.com', 'MX'])
        tap.ok(q.rc == 0 and len(b.queries) == 0 and
               ('status=%s' % ('NXDOMAIN' if what == 'NXDOMAIN' else
                               'no data')) in q.out, name, q)
    finally:
        a.stop()
        b.stop()

# -t 1 against a TCP flood is the same with dnsq (the resolver alone).
with DnsServer(ZONE, faults=tc_then_flood, lifetime=30) as s:
    q = run_cmd(valgrind_prefix() + [DNSQ, '-s', '127.0.0.1', '-p',
                                     str(s.port), '-t', '3', 'example.com',
                                     'MX'])
    tap.ok(q.rc == 1 and 'malformed DNS reply for example.com/MX via '
           '127.0.0.1#%d: TCP reply not for the query (ID mismatch): '
           'protocol violation' % s.port in q.out,
           'implied: the resolver names the TCP protocol violation', q)

tap.done()
