#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""plugins/plugin.c through check_core_stub (tests/unit/plugin_stub.c):
help/version/usage errors, the -t backstop, plugin_die, plugin_dns_error,
the resolver deadline and SIGPIPE (O-03). Prints TAP."""
import os
import re
import signal
import subprocess
import time

BUILD = os.environ.get('top_builddir', '.')
STUB = os.path.join(BUILD, 'tests', 'unit', 'plugin_stub')

n = 0
failed = 0


def ok(cond, name, detail=None):
    global n, failed
    n += 1
    if cond:
        print('ok %d - %s' % (n, name))
    else:
        failed += 1
        print('not ok %d - %s' % (n, name))
        if detail is not None:
            for line in str(detail).splitlines():
                print('#   ' + line)


class Run:
    def __init__(self, *args, timeout=20, block_alarm=False):
        t0 = time.monotonic()
        pre = None
        if block_alarm:
            def pre():
                signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        try:
            p = subprocess.run([STUB] + list(args), capture_output=True, timeout=timeout,
                               preexec_fn=pre)
        except subprocess.TimeoutExpired as e:
            p = subprocess.CompletedProcess(e.cmd, -9, e.stdout or b'', e.stderr or b'')
        self.wall = time.monotonic() - t0
        self.rc = p.returncode
        self.out = p.stdout.decode('utf-8', 'replace')
        self.lines = self.out.split('\n')
        self.first = self.lines[0]

    def __str__(self):
        return 'rc=%d wall=%.2f\n%s' % (self.rc, self.wall, self.out)


# --help and --version exit 0 on stdout
r = Run('--help')
ok(r.rc == 0 and r.first == 'check_core_stub v0.1.0 (maildns-plugins 0.1.0)', '--help exits 0 with the version line', r)
ok('\nUsage: check_core_stub -D DOMAIN [-s SERVER]...' in r.out and ' --mode=MODE\n' in r.out
   and '\nOptions:\n' in r.out and '\nNotes:\n' in r.out, '--help has usage, options, notes', r)
r = Run('-V')
ok(r.rc == 0 and r.out == 'check_core_stub v0.1.0 (maildns-plugins 0.1.0)\n', '--version', r)

# bad input: "prog: reason - value", usage line, exit 3
r = Run('-D', 'example.com', '-p', '0')
ok(r.rc == 3 and r.first == 'check_core_stub: invalid port (1-65535) - 0'
   and r.lines[1].startswith('Usage: check_core_stub -D DOMAIN'), 'bad -p: UNKNOWN with usage', r)
r = Run('-s', '127.0.0.1')
ok(r.rc == 3 and r.first == 'check_core_stub: no domain given (-D)', 'missing -D: UNKNOWN', r)
# X-03 IDN domain: converted with libidn2, shown once with its A-label;
# one IDNA2008 disallows is UNKNOWN naming why
r = Run('-D', 'b\u00fccher.example')
ok(r.rc == 0 and r.first.startswith('CORE OK - b\u00fccher.example (xn--bcher-kva.example): all fine'),
   'X-03 IDN domain: U-label and A-label in the subject', r)
r = Run('-D', '\u2603.example')
ok(r.rc == 3 and r.first == 'check_core_stub: invalid domain: IDN: string contains a disallowed character - \u2603.example',
   'X-03 disallowed IDN: UNKNOWN naming why', r)
r = Run('-D', 'a' * 64 + '.example')
ok(r.rc == 3 and r.first.startswith('check_core_stub: invalid domain: label longer than 63 bytes - aaaa'),
   'X-01 64-byte label: UNKNOWN', r)
r = Run('-D', 'example.com', '--mode')
ok(r.rc == 3 and r.first == 'check_core_stub: option requires an argument - --mode', 'missing plugin option argument', r)

# a normal run: subject, finding, perfdata time with min 0
r = Run('-D', 'example.com')
ok(r.rc == 0 and re.fullmatch(r'CORE OK - example\.com: all fine \| time=\d+(\.\d+)?s;;;0', r.first)
   and r.lines[1] == '[OK] all fine', 'OK run with time perfdata', r)

# the backstop: exactly -t, the -t state, the stage named
r = Run('-D', 'example.com', '--mode=sleep', '-t', '1')
ok(r.rc == 2 and r.out == 'CORE CRITICAL - plugin timed out after 1 s (stage: waiting for a silent server)\n',
   'backstop: CRITICAL by default', r)
ok(r.wall < 2.0, 'backstop: finished within -t + 1 s', r)
# implied (hardening round 2): a parent that starts us with SIGALRM blocked
# (an inherited signal mask) must not disarm the backstop
r = Run('-D', 'example.com', '--mode=sleep', '-t', '1', block_alarm=True, timeout=5)
ok(r.rc == 2 and r.first.startswith('CORE CRITICAL - plugin timed out after 1 s') and r.wall < 2.0,
   'backstop: fires with SIGALRM blocked by the parent', r)
r = Run('-D', 'example.com', '--mode=sleep', '-t', '1:unknown')
ok(r.rc == 3 and r.first == 'CORE UNKNOWN - plugin timed out after 1 s (stage: waiting for a silent server)',
   'backstop: -t 1:unknown', r)
r = Run('-D', 'example.com', '--mode=sleep', '-t', '0.5:WaRnInG')
ok(r.rc == 1 and r.first == 'CORE WARNING - plugin timed out after 0.5 s (stage: waiting for a silent server)'
   and r.wall < 1.5, 'backstop: -t 0.5:warning', r)

# plugin_die: UNKNOWN, text escaped
r = Run('-D', 'example.com', '--mode=die')
ok(r.rc == 3 and r.out == 'CORE UNKNOWN - cannot read key file /tmp/x\\x7cy\\x0a\n', 'plugin_die escapes and exits 3', r)

# plugin_dns_error: at --dns-error-state, prefixed by what
r = Run('-D', 'example.com', '--mode=dnserror')
ok(r.rc == 2 and r.first.startswith('CORE CRITICAL - example.com: DMARC record: DNS timeout for _dmarc.example.com/TXT via 127.0.0.1#5300')
   and r.lines[2] == '[CRITICAL] DNS timeout for _dmarc.example.com/TXT via 127.0.0.1#5300 after 2.0s',
   'DNS error CRITICAL by default', r)
r = Run('-D', 'example.com', '--mode=dnserror', '--dns-error-state=warning')
ok(r.rc == 1 and r.first.startswith('CORE WARNING - example.com: DMARC record: DNS timeout'), '--dns-error-state=warning', r)

# implied: -t SEC:STATE is also the DNS-error state (nrpe habit), unless
# --dns-error-state says otherwise
r = Run('-D', 'example.com', '--mode=dnserror', '-t', '10:unknown')
ok(r.rc == 3 and r.first.startswith('CORE UNKNOWN - example.com: DMARC record: DNS timeout'),
   '-t 10:unknown: a DNS timeout is UNKNOWN', r)
r = Run('-D', 'example.com', '--mode=dnserror', '--dns-error-state=warning', '-t', '10:unknown')
ok(r.rc == 1 and r.first.startswith('CORE WARNING - example.com: DMARC record: DNS timeout'),
   '--dns-error-state wins over -t STATE', r)
r = Run('-D', 'example.com', '--mode=dnserror', '-t', '10')
ok(r.rc == 2, 'plain -t 10: a DNS timeout stays CRITICAL', r)

# plugin_resolver: failure is UNKNOWN naming why; dns_queries perfdata
r = Run('-D', 'example.com', '--mode=resolver')
ok(r.rc == 3 and r.out == 'CORE UNKNOWN - no nameserver in /etc/resolv.conf\n', 'resolver_new failure: UNKNOWN', r)
r = Run('-D', 'example.com', '--mode=resolver', '-s', '127.0.0.1')
ok(r.rc == 0 and re.search(r' \| time=[0-9.]+s;;;0 dns_queries=3;;;0$', r.first), 'dns_queries perfdata', r)
# N-RC-01 (round 2): a server left for the next one is named in the long output
ok('[OK] DNS server 127.0.0.1#5301 answered REFUSED to 1 question; the next server was asked'
   in r.lines, 'failover note in the long output', r)

# the resolver deadline leaves a margin before the backstop
for t, lo, hi in (('10', 8.9, 9.0), ('1', 0.7, 0.8), ('0.2', 0.0, 0.1), ('100:warning', 89.9, 90.0)):
    r = Run('-D', 'example.com', '--mode=deadline', '-t', t, '-vv')
    m = re.search(r'deadline in ([0-9.]+) s, verbose (\d+)', r.first)
    ok(r.rc == 0 and m and lo < float(m.group(1)) <= hi and m.group(2) == '2',
       'resolver deadline for -t %s in (%g, %g], verbose copied' % (t, lo, hi), r)

# O-03: the reader closes the pipe: a state, not death by SIGPIPE
p = subprocess.Popen([STUB, '-D', 'example.com', '--mode=bigout'], stdout=subprocess.PIPE)
p.stdout.close()
rc = p.wait(timeout=20)
ok(rc == 0, 'O-03 SIGPIPE ignored: exit %d' % rc)

print('1..%d' % n)
