#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""bench/dnssec.py [RUNS]: what --dnssec (our own DNSSEC validation,
issue 19) costs, in queries, round trips and CPU, against the signed
hierarchy of tests/lib/signedzones.py, with drill -S (ldnsutils: the
same ldns code chasing signatures) beside it. Not part of make check.

Run from the top of a built tree (BUILDDIR to override). Every tool asks
through bench/dnsfwd.py's forwarder, which counts queries and round
trips from the server's side (with 20 ms each way, so the bursts of a
client stay apart); CPU (user+sys of the child, getrusage) is the median
of RUNS runs (default 31) straight at NSD. Prints a Markdown table.
"""
import os
import statistics
import subprocess
import sys
import time

here = os.path.dirname(os.path.abspath(__file__))
top = os.path.dirname(here)
sys.path.insert(0, os.path.join(top, 'tests', 'lib'))
sys.path.insert(0, here)
import harness  # noqa: E402
from signedzones import SignedHierarchy  # noqa: E402
from dnsfwd import Forwarder, round_trips  # noqa: E402

BUILDDIR = os.environ.get('BUILDDIR', os.getcwd())
RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 31


def cpu_of(cmd):
    """user+sys seconds of one run of cmd, its stdout discarded."""
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _pid, _st, ru = os.wait4(p.pid, 0)
    return ru.ru_utime + ru.ru_stime


def tools(h, host, port):
    mx = os.path.join(BUILDDIR, 'plugins', 'check_mx')
    spf = os.path.join(BUILDDIR, 'plugins', 'check_spf')
    srv = ['-s', host, '-p', str(port)]
    ta = ['--dnssec', '--trust-anchor', h.anchor]
    rows = [
        ('check_mx -D sec.test (no DNSSEC)', [mx, '-D', 'sec.test'] + srv),
        ('check_mx -D sec.test --dnssec', [mx, '-D', 'sec.test'] + ta + srv),
        ('check_spf -D ec.test (no DNSSEC)', [spf, '-D', 'ec.test'] + srv),
        ('check_spf -D ec.test --dnssec', [spf, '-D', 'ec.test'] + ta + srv),
        ('check_spf -D plain.test --dnssec (insecure)',
         [spf, '-D', 'plain.test'] + ta + srv),
    ]
    drill = harness._find_prog('drill') if hasattr(harness, '_find_prog') else None
    if drill:
        rows.append(('drill -S MX sec.test (chase from the root key)',
                     [drill, '-S', '-k', h.anchor_dnskey, '-p', str(port), '@' + host,
                      'MX', 'sec.test']))
    return rows


def main():
    with SignedHierarchy() as h:
        fwd_port = harness.free_port()
        fwd = Forwarder(('127.0.0.1', fwd_port), (h.nsd.host, h.nsd.port), delay=0.020).start()
        out = ['| tool | queries | round trips | CPU ms (median of %d) |' % RUNS,
               '|---|---:|---:|---:|']
        for (name, cmd), (_n, direct) in zip(tools(h, '127.0.0.1', fwd_port),
                                              tools(h, h.nsd.host, h.nsd.port)):
            fwd.clear()
            subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           timeout=60)
            time.sleep(0.1)
            log = fwd.entries()
            cpu = statistics.median(cpu_of(direct) for _ in range(RUNS))
            out.append('| %s | %d | %d | %.2f |' % (name, len(log), round_trips(log),
                                                   cpu * 1000))
        fwd.stop()
    print('\n'.join(out))


if __name__ == '__main__':
    main()
