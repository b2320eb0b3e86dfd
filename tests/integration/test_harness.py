#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Self-test of the rig: NSD comes up with the generated zone, answers what
the zone says (asked with drill, not with the rig's own client), two
instances serve the same zone, stop() leaves no process behind, and the
helpers give what the plugin tests rely on."""

import base64
import os
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.environ.get('top_srcdir', '.'), 'tests', 'lib'))
from harness import (TAP, Nsd, run_cmd, run_plugin, parse_perfdata, free_port,  # noqa: E402
                     genkey_rsa, genkey_ed25519, dkim_txt, txt_rdata, tmpdir,
                     dns_query, maxrss_helper)

tap = TAP()

ZONE = '''
@       MX   10 mail
mail    A    192.0.2.1
mail    AAAA 2001:db8::1
@       TXT  "v=spf1 mx a ~all"
_dmarc  TXT  "v=DMARC1; p=none; rua=mailto:dmarc@example.com"
'''


def drill(ns, name, qtype, *extra):
    return run_cmd(['drill'] + list(extra) + ['-p', str(ns.port), '@' + ns.host, name, qtype],
                   timeout=10)


def answers(r, qtype):
    """RR lines of the ANSWER section of a drill reply with this type."""
    out, sect = [], None
    for line in r.out.splitlines():
        if line.startswith(';;'):
            sect = line
            continue
        if sect and 'ANSWER SECTION' in sect and line.strip():
            f = line.split(None, 4)
            if len(f) == 5 and f[3] == qtype:
                out.append(f[4])
    return out


def group_alive(pgid):
    """Live (non-zombie) processes in NSD's process group."""
    live = []
    for pid in os.listdir('/proc'):
        if not pid.isdigit():
            continue
        try:
            with open('/proc/%s/stat' % pid) as f:
                st = f.read()
        except OSError:
            continue
        fields = st.rsplit(')', 1)[1].split()
        state, pg = fields[0], int(fields[2])
        if pg == pgid and state != 'Z':
            live.append(int(pid))
    return live


with Nsd({'example.com': ZONE}) as ns:
    tap.ok(ns.host == '127.0.0.1' and 1024 <= ns.port <= 65535, 'Nsd has a loopback host and a port')
    r = drill(ns, 'example.com', 'MX')
    tap.ok(r.rc == 0 and 'rcode: NOERROR' in r.out and 'flags: qr aa' in r.out,
           'NSD answers authoritatively over UDP', r)
    tap.ok(answers(r, 'MX') == ['10 mail.example.com.'], 'MX from the fixture zone', r)
    r = drill(ns, 'example.com', 'SOA')
    tap.ok(len(answers(r, 'SOA')) == 1, 'rig added an SOA', r)
    r = drill(ns, 'example.com', 'NS')
    tap.ok(answers(r, 'NS') == ['ns.example.com.'], 'rig added an apex NS', r)
    r = drill(ns, '_dmarc.example.com', 'TXT', '-t')
    tap.ok(answers(r, 'TXT') == ['"v=DMARC1; p=none; rua=mailto:dmarc@example.com"'],
           'TXT over TCP', r)
    r = drill(ns, 'nothere.example.com', 'A')
    tap.ok('rcode: NXDOMAIN' in r.out, 'NXDOMAIN for a name not in the zone', r)
    tap.ok(os.path.dirname(ns.logfile) == ns.dir and os.path.isfile(ns.zones['example.com']),
           'logfile and zone file live in the instance directory')

    # The same zone from a second instance on another port.
    with Nsd({'example.com': ZONE}) as ns2:
        r2 = drill(ns2, 'mail.example.com', 'AAAA')
        tap.ok(ns2.port != ns.port and answers(r2, 'AAAA') == ['2001:db8::1'],
               'second Nsd serves the same zone on its own port', r2)
    pgid = ns.pid
    port = ns.port

gone = False
for _ in range(100):
    if not group_alive(pgid):
        gone = True
        break
    time.sleep(0.02)
tap.ok(gone, 'stop leaves no NSD process', 'still alive: %r' % group_alive(pgid))
tap.ok(dns_query('example.com', 'SOA', port, timeout=0.3) is None,
       'stopped NSD no longer answers')

# A port taken between free_port() and NSD's bind: the rig tries another.
import harness  # noqa: E402
busy = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
busy.bind(('127.0.0.1', 0))
ports = [busy.getsockname()[1]]
real_free_port = harness.free_port
harness.free_port = lambda host='127.0.0.1': ports.pop() if ports else real_free_port(host)
try:
    with Nsd({'example.com': ZONE}) as ns:
        r = drill(ns, 'example.com', 'MX')
        tap.ok(ns.port != busy.getsockname()[1] and not ports and answers(r, 'MX'),
               'NSD start retries on another port when its port is taken', r)
finally:
    harness.free_port = real_free_port
    busy.close()

# The test's own NS records replace the rig's.
with Nsd({'example.net': '@ NS ns1.example.org.\n@ NS ns2.example.org.\nwww A 192.0.2.7\n',
          'example.org': 'ns1 A 127.0.0.1\n'}) as ns:
    r = drill(ns, 'example.net', 'NS')
    tap.ok(sorted(answers(r, 'NS')) == ['ns1.example.org.', 'ns2.example.org.'],
           'NS given by the test replaces the rig NS', r)
    r = drill(ns, 'ns1.example.org', 'A')
    tap.ok(answers(r, 'A') == ['127.0.0.1'], 'second zone in the same instance', r)

# A bad zone is refused with nsd-checkzone's message.
try:
    Nsd({'bad.example': 'www CNAME a\nwww A 192.0.2.1\n'})
    tap.ok(False, 'bad zone raises')
except ValueError as e:
    tap.ok('bad.example' in str(e) and 'CNAME' in str(e), 'bad zone raises with the checkzone message', str(e))

# A DKIM key split over several strings comes back intact.
priv, pub = genkey_rsa(2048)
strings = dkim_txt(pub)
tap.ok(all(len(s.encode()) <= 255 for s in strings) and len(strings) >= 2,
       'dkim_txt splits a 2048-bit key into strings of <= 255 bytes', strings)
with Nsd({'example.com': 'default._domainkey TXT ' + txt_rdata(strings) + '\n'}) as ns:
    r = drill(ns, 'default._domainkey.example.com', 'TXT')
    got = ''.join(p.strip('"') for p in answers(r, 'TXT')[0].split('" "')) if answers(r, 'TXT') else ''
    tap.ok(got == ''.join(strings), 'split DKIM record served and rejoined', r)
der = subprocess.run(['openssl', 'pkey', '-in', priv, '-pubout', '-outform', 'DER'],
                     stdout=subprocess.PIPE).stdout
tap.ok(base64.b64decode(pub) == der and 'p=' + pub in ''.join(strings),
       'genkey_rsa public key is the private key\'s SPKI')
epriv, epub = genkey_ed25519()
tap.ok(len(base64.b64decode(epub)) == 32 and os.path.isfile(epriv), 'ed25519 public key is 32 raw bytes')

# run_plugin/run_cmd details the plugin tests rely on.
FAKE = ("import sys; sys.stdout.write(\"X OK - fine | a=1s;2;3 'b c'=5%;;;0\\nline one\\n"
        "line two\\n| more=1\\n\"); sys.stderr.write('err\\n'); sys.exit(1)")
r = run_cmd([sys.executable, '-c', FAKE])
tap.ok(r.rc == 1 and r.status == 'X OK - fine' and r.long == ['line one', 'line two']
       and r.perf == {'a': '1s', 'b c': '5%'} and r.err == 'err\n',
       'run_cmd splits status, long output and perfdata', r)
tap.ok(r.maxrss_kb > 0 and r.wall > 0, 'wall time and peak RSS measured', r)
if maxrss_helper():
    small = run_cmd(['/bin/true'])
    big = run_cmd([sys.executable, '-c', 'x = bytearray(80 * 1024 * 1024); x[::4096] = b"1" * len(x[::4096])'])
    tap.ok(small.maxrss_kb < 8 * 1024 and big.maxrss_kb > 80 * 1024,
           'peak RSS is the child\'s own (true: %d kB, 80 MB alloc: %d kB)' % (small.maxrss_kb, big.maxrss_kb))
else:
    tap.skip('peak RSS is the child\'s own', 'tests/rig/maxrss not built')
r = run_cmd(['sleep', '5'], timeout=0.3)
tap.ok(r.timed_out and r.rc is None and r.wall < 3, 'a run over its timeout is killed', r)
r = run_plugin('check_no_such_plugin', '-V')
tap.ok(r.rc == 127 and 'not built' in r.err, 'missing plugin gives rc 127, not a crash', r)
tap.ok(parse_perfdata("'it''s'=3 x=1;;;; junk y=2ms") == {"it's": '3', 'x': '1', 'y': '2ms'},
       'perfdata parser: quoted labels and junk')
# A crash or a missing done() in a test file is counted as a failure.
LIB = os.path.dirname(os.path.abspath(sys.modules['harness'].__file__))
PRE = 'import sys; sys.path.insert(0, %r); from harness import TAP; t = TAP(); t.ok(1, "a"); ' % LIB
r = run_cmd([sys.executable, '-c', PRE + 'raise KeyError("boom")'])
tap.ok(r.lines[:2] == ['ok 1 - a', "not ok 2 - test script crashed: KeyError: 'boom'"]
       and r.lines[-1] == '1..2' and r.rc != 0, 'a crash in a test file is a not ok with a plan', r)
r = run_cmd([sys.executable, '-c', PRE + 'import threading; th = threading.Thread(target=lambda: 1 / 0, name="srv"); '
             'th.start(); th.join(); t.done()'])
tap.ok(r.lines[:2] == ['ok 1 - a', 'not ok 2 - exception in thread srv: ZeroDivisionError: division by zero']
       and r.lines[-1] == '1..2', 'an exception in a helper thread is a not ok', r)
r = run_cmd([sys.executable, '-c', PRE + 'sys.exit(0)'])
tap.ok(r.lines == ['ok 1 - a', 'not ok 2 - test script ended without done()', '1..2'],
       'a test file that ends without done() fails', r)
r = run_cmd([sys.executable, '-c', PRE + 't.ok(0, "b # not a directive", "why\\nnot"); t.done()'])
tap.ok(r.lines == ['ok 1 - a', 'not ok 2 - b not a directive', '# why', '# not', '1..2'] and r.rc == 0,
       'not ok with diagnostics, hash sign kept out of the name, exit 0', r)
p = free_port()
tap.ok(1024 <= p <= 65535, 'free_port gives a port')
d = tmpdir()
tap.ok(os.path.isdir(d), 'tmpdir gives a directory')

tap.done()
