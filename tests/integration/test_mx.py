#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""check_mx (DNS part) against a real NSD on loopback, and against the
in-process fault server for DNS failures.

Every finding of issue 2's "check_mx (DNS part)" and every MX row of
doc/output-contract.md 8 (default states) has a case here; catalogue IDs
(doc/hostile-inputs.md) are named in the test names.
"""
import os
import re
import sys

sys.path.insert(0, os.path.join(os.environ.get('top_srcdir', '.'), 'tests', 'lib'))
from harness import wall_slack, TAP, Nsd, run_plugin  # noqa: E402
from dnsserver import DnsServer, SERVFAIL, Alter  # noqa: E402

tap = TAP()

# The seed guide's records (summary table): MX 10 mail, A 192.0.2.1,
# AAAA 2001:db8::1.
EXAMPLE_COM = """
@       IN MX 10 mail.example.com.
mail    IN A    192.0.2.1
mail    IN AAAA 2001:db8::1
other   IN A    192.0.2.99
"""

# One subdomain of t.example per scenario, so one NSD serves them all.
# Listed most preferred last, so a plugin that took the first 100 RRs of
# the answer would check the wrong ones.
many_mx = ''.join('many IN MX %d m%d.t.example.\nm%d IN A 198.51.100.%d\n'
                  % (i, i, i, i % 250 + 1) for i in reversed(range(120)))
LABEL63 = 'x' * 63
# Three hosts with 20 + 16 + 16 addresses: 16 kept per host, 48 distinct,
# of which --ptr checks 32.
bigaddr = ''.join('bigaddr IN MX %d b%d.t.example.\n' % (h, h) for h in range(3))
bigaddr += ''.join('b%d IN A 198.51.100.%d\n' % (h, h * 20 + i + 1)
                   for h in range(3) for i in range(20 if h == 0 else 16))
T_EXAMPLE = r"""
nomx      IN A    192.0.2.10
nomxnoa   IN TXT  "exists, no MX, no address"
null      IN MX 0 .
nullmix   IN MX 0 .
nullmix   IN MX 10 mail.example.com.
cname     IN MX 10 alias.t.example.
alias     IN CNAME mail.example.com.
iplit     IN MX 10 192.0.2.1.
brlit     IN MX 10 [192.0.2.1].
lhost     IN MX 10 localhost.
single    IN MX 10 mailhost.
some      IN MX 10 mail.example.com.
some      IN MX 20 noaddr.t.example.
all       IN MX 10 noaddr.t.example.
all       IN MX 20 nx.t.example.
nxtarget  IN MX 10 nx.t.example.
noaddr    IN TXT  "no address here"
v4only    IN MX 10 v4.t.example.
v4        IN A    192.0.2.20
priv      IN MX 10 h-priv.t.example.
h-priv    IN A    10.1.2.3
loop      IN MX 10 h-loop.t.example.
h-loop    IN A    127.0.0.1
ll        IN MX 10 h-ll.t.example.
h-ll      IN A    169.254.1.1
ula       IN MX 10 h-ula.t.example.
h-ula     IN A    192.0.2.21
h-ula     IN AAAA fd00::1
unspec    IN MX 10 h-unspec.t.example.
h-unspec  IN A    0.0.0.0
unspec6   IN MX 10 h-unspec6.t.example.
h-unspec6 IN AAAA ::
doc       IN MX 10 h-doc.t.example.
h-doc     IN A    198.51.100.7
h-doc     IN A    203.0.113.7
h-doc     IN AAAA 2001:db8::7
dup       IN MX 10 mail.example.com.
dup       IN MX 20 mail.example.com.
shared    IN MX 10 s1.t.example.
shared    IN MX 20 s2.t.example.
s1        IN A    192.0.2.30
s2        IN A    192.0.2.30
ptrbad    IN MX 10 pb.t.example.
ptrbad    IN MX 20 pm.t.example.
pb        IN A    192.0.2.50
pm        IN A    192.0.2.51
weird     IN MX 10 a\|b.t.example.
weird     IN MX 20 c\000d.t.example.
weird     IN MX 30 %(l63)s.t.example.
a\|b      IN A    192.0.2.60
c\000d    IN A    192.0.2.61
%(l63)s   IN A    192.0.2.62
longname  IN MX 10 %(lp)s.%(lp)s.%(lp)s.t.example.
%(lp)s.%(lp)s.%(lp)s IN A 192.0.2.63
sorted    IN MX 30 s2.t.example.
sorted    IN MX 5  v4.t.example.
sorted    IN MX 20 s1.t.example.
""" % {'l63': LABEL63, 'lp': '\\|' * 63} + many_mx + bigaddr

REV4 = """
1   IN PTR mail.example.com.
51  IN PTR other.example.com.
"""
# 2001:db8::1 in 8.b.d.0.1.0.0.2.ip6.arpa.
REV6 = '1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0 IN PTR mail.example.com.\n'

ZONES = {
    'example.com': EXAMPLE_COM,
    't.example': T_EXAMPLE,
    '2.0.192.in-addr.arpa': REV4,
    '8.b.d.0.1.0.0.2.ip6.arpa': REV6,
    '100.51.198.in-addr.arpa': '',          # no PTR at all
}


def mx(*args, server=None):
    return run_plugin('check_mx', *args, server=server)


def has(r, text):
    return any(text in l for l in r.lines)


with Nsd(ZONES) as ns:
    def run(domain, *args):
        return mx('-D', domain, *args, server=ns)

    # --- the seed guide's domain
    r = run('example.com')
    tap.ok(r.rc == 0 and r.first.startswith('MX OK - ')
           and 'example.com' in r.first and '1 MX host' in r.first
           and '2 addresses' in r.first, 'good domain: OK, 1 host, 2 addresses', r)
    tap.ok(has(r, 'MX 10 mail.example.com: 192.0.2.1, 2001:db8::1'),
           'long output: preference, host, its addresses', r)
    tap.ok(r.perf.get('mx') == '1' and 'time' in r.perf and 'dns_queries' in r.perf,
           'perfdata mx=1, time, dns_queries', r)
    tap.ok(r.perf.get('dns_queries') == '3', 'good domain: 3 queries (MX, A, AAAA)', r)
    tap.ok(not any(l.startswith('[WARNING]') or l.startswith('[CRITICAL]')
                   for l in r.long), 'documentation addresses not flagged', r)

    # --- no MX
    r = run('nomx.t.example')
    tap.ok(r.rc == 2 and 'no MX' in r.first and '192.0.2.10' in r.first,
           'no MX with an A: CRITICAL, names the fallback address', r)
    # No mail.DOMAIN made up (a fix that fixes nothing): the long output
    # says what to publish; --mail-host gives the record (test_parked.py).
    tap.ok(not any(l.startswith('fix:') for l in r.long) and
           any('publish "nomx.t.example. IN MX 10 <your mail server' in l for l in r.long),
           'no MX: says which record to publish, no invented host', r)
    r = run('nomxnoa.t.example')
    tap.ok(r.rc == 2 and 'no MX' in r.first and 'no A/AAAA' in r.first,
           'no MX and no A: CRITICAL, says there is nothing to fall back to', r)
    r = run('nothere.t.example')
    tap.ok(r.rc == 2 and 'NXDOMAIN' in r.first
           and any('--mail-host' in l for l in r.long),
           'no MX, domain NXDOMAIN: CRITICAL, says what to publish', r)

    # --- null MX (RFC 7505), T-01
    r = run('null.t.example')
    tap.ok(r.rc == 2 and 'accepts no mail (null MX' in r.first,
           'T-01 null MX alone: CRITICAL', r)
    r = run('null.t.example', '--null-mx-ok')
    tap.ok(r.rc == 0 and 'accepts no mail' in r.first,
           'T-01 null MX with --null-mx-ok: OK', r)
    tap.ok(r.perf.get('mx') == '0', 'null MX: perfdata mx=0', r)
    # Review finding 4: the Icinga example sets mx_critical="1:"; an
    # accepted null MX alone must not then be "0 usable MX hosts".
    r = run('null.t.example', '--null-mx-ok', '-c', '1:', '-w', '2:')
    tap.ok(r.rc == 0 and r.first.startswith('MX OK - ') and 'accepts no mail' in r.first
           and not has(r, 'usable MX'),
           'T-01 null MX with --null-mx-ok -c 1: -w 2: stays OK', r)
    r = run('null.t.example', '-c', '1:')
    tap.ok(r.rc == 2, 'T-01 null MX without --null-mx-ok and -c 1: is CRITICAL', r)
    r = run('nullmix.t.example')
    tap.ok(r.rc == 2 and 'null MX mixed' in r.first, 'T-01 null MX mixed: CRITICAL', r)
    r = run('nullmix.t.example', '--null-mx-ok')
    tap.ok(r.rc == 2, 'null MX mixed stays CRITICAL with --null-mx-ok', r)

    # --- bad targets, T-01
    r = run('cname.t.example')
    tap.ok(r.rc == 1 and 'CNAME' in r.first and 'alias.t.example' in r.first,
           'T-01 MX -> CNAME: WARNING', r)
    r = run('cname.t.example', '-v')
    tap.ok(has(r, 'CNAME hop 1: mail.example.com'), '-v shows the CNAME chain', r)
    r = run('iplit.t.example')
    tap.ok(r.rc == 2 and 'IP address' in r.first, 'T-01 MX -> IP literal: CRITICAL', r)
    tap.ok(r.perf.get('dns_queries') == '1', 'IP literal target is not looked up', r)
    r = run('brlit.t.example')
    tap.ok(r.rc == 2 and 'IP address' in r.first, 'T-01 MX -> [address literal]: CRITICAL', r)
    r = run('lhost.t.example')
    tap.ok(r.rc == 2 and 'localhost' in r.first, 'MX -> localhost: CRITICAL', r)
    r = run('single.t.example')
    tap.ok(r.rc == 2 and 'single-label' in r.first, 'MX -> single-label name: CRITICAL', r)
    r = run('some.t.example')
    tap.ok(r.rc == 1 and 'noaddr.t.example' in r.first and 'no A or AAAA' in r.first,
           'some targets without address: WARNING', r)
    tap.ok(r.perf.get('mx') == '1', 'some unusable: mx counts usable hosts only', r)
    r = run('all.t.example')
    tap.ok(r.rc == 2 and 'no usable MX host' in r.first,
           'all targets unusable: CRITICAL', r)
    tap.ok(has(r, 'nx.t.example does not exist (NXDOMAIN)')
           and has(r, 'noaddr.t.example has no A or AAAA'),
           'all unusable: each target with its reason', r)
    r = run('nxtarget.t.example')
    tap.ok(r.rc == 2 and 'nx.t.example does not exist (NXDOMAIN)' in r.first
           and has(r, '[CRITICAL] MX 10 nx.t.example does not exist (NXDOMAIN)'),
           'T-01 MX target NXDOMAIN: CRITICAL', r)

    # --- IPv6
    r = run('v4only.t.example')
    tap.ok(r.rc == 0 and has(r, 'no MX host has an IPv6'),
           'no AAAA: OK with a note', r)
    r = run('v4only.t.example', '--require-ipv6')
    tap.ok(r.rc == 1 and 'IPv6' in r.first, 'no AAAA with --require-ipv6: WARNING', r)
    r = run('example.com', '--require-ipv6')
    tap.ok(r.rc == 0, '--require-ipv6 with an AAAA: OK', r)

    # --- -e/--expect
    r = run('example.com', '-e', 'mail.example.com', '--expect=MAIL.example.com.')
    tap.ok(r.rc == 0, '-e present (any case, trailing dot): OK', r)
    r = run('example.com', '-e', 'mail.example.com', '-e', 'mx2.example.com')
    tap.ok(r.rc == 2 and 'expected MX host mx2.example.com is missing' in r.first,
           '-e missing: CRITICAL', r)

    # --- address ranges
    for dom, what in (('priv', 'private'), ('loop', 'loopback'), ('ll', 'link-local'),
                      ('ula', 'unique local'), ('unspec', 'unspecified'),
                      ('unspec6', 'unspecified')):
        r = run(dom + '.t.example')
        tap.ok(r.rc == 1 and what in r.first, '%s address: WARNING' % what, r)
    r = run('doc.t.example')
    tap.ok(r.rc == 0 and '3 addresses' in r.first,
           'documentation ranges 198.51.100/24, 203.0.113/24, 2001:db8::/32: OK', r)

    # --- duplicates
    r = run('dup.t.example')
    tap.ok(r.rc == 1 and 'more than once' in r.first, 'duplicate target: WARNING', r)
    tap.ok(r.perf.get('mx') == '1', 'duplicate target counted once', r)
    r = run('shared.t.example')
    tap.ok(r.rc == 1 and 'share the address 192.0.2.30' in r.first,
           'duplicate address across targets: WARNING', r)

    # --- sorting by preference
    r = run('sorted.t.example')
    hl = [l for l in r.long if l.startswith('[OK] MX ')]
    tap.ok(len(hl) == 3 and ' 5 v4.t.example' in hl[0] and ' 20 s1' in hl[1]
           and ' 30 s2' in hl[2], 'hosts listed by preference', r)

    # --- --ptr (forward-confirmed reverse DNS)
    r = run('example.com', '--ptr')
    tap.ok(r.rc == 0 and has(r, 'reverse DNS of 2 addresses forward-confirmed'),
           '--ptr good (in-addr.arpa and ip6.arpa): OK', r)
    r = run('ptrbad.t.example', '--ptr')
    tap.ok(r.rc == 1 and has(r, '[WARNING] MX address 192.0.2.50 has no PTR')
           and has(r, '[WARNING] MX address 192.0.2.51 has PTR other.example.com, '
                      'which does not resolve back'),
           '--ptr: no PTR and unconfirmed PTR: WARNING', r)
    r = run('ptrbad.t.example')
    tap.ok(r.rc == 0, 'without --ptr no reverse lookups', r)
    r = run('bigaddr.t.example', '--ptr')
    tap.ok(r.rc == 1 and has(r, '[WARNING] --ptr checked only the first 32 addresses; 16 more')
           and len([l for l in r.long if 'has no PTR' in l]) == 32,
           '--ptr bounded: 32 addresses checked, the rest named', r)
    tap.ok(has(r, '(more not checked)') and int(r.perf.get('dns_queries', '999')) <= 1 + 6 + 32,
           '16 addresses kept per host; queries bounded (1 + 6 + 32)', r)

    # --- thresholds on usable hosts
    r = run('example.com', '-w', '2:', '-c', '1:')
    tap.ok(r.rc == 1 and '1 usable MX host (warning range 2:)' in r.first,
           '-w 2: with 1 host: WARNING', r)
    # The thresholds in range syntax (check_perf_ranges(): 'N:' has no
    # plain-number form; Icinga 2 keeps the item, the fields empty).
    tap.ok(re.match(r'mx=1;2:;1:;0( |$)', r.perfdata) is not None,
           'perfdata mx=1;2:;1:;0', r)
    r = run('example.com', '-c', '2:')
    tap.ok(r.rc == 2, '-c 2: with 1 host: CRITICAL', r)
    r = run('example.com', '-c', '1:')
    tap.ok(r.rc == 0, '-c 1: with 1 host: OK', r)
    r = run('all.t.example', '-c', '1:')
    tap.ok(r.rc == 2 and r.perf.get('mx') == '0', '-c 1: with none usable: CRITICAL, mx=0', r)

    # --- T-01 100+ MX records: bounded
    r = run('many.t.example')
    tap.ok(r.rc == 1 and '120 MX records; only the 100 most preferred' in r.first,
           'T-01 120 MX records: WARNING, 100 checked', r)
    hl = [l for l in r.long if l.startswith('[OK] MX ')]
    tap.ok(len(hl) == 100 and hl[0].startswith('[OK] MX 0 m0.t.example')
           and hl[-1].startswith('[OK] MX 99 m99.t.example'),
           'T-01 120 MX records: the 100 most preferred, in order', r)
    tap.ok(r.perf.get('mx') == '100' and int(r.perf.get('dns_queries', '999')) <= 205,
           'T-01 120 MX records: queries bounded (1 MX + 2 x 100)', r)
    r = run('many.t.example', '-e', 'm119.t.example')
    tap.ok(r.rc == 1 and not has(r, 'missing'),
           'T-01 -e finds a host past the 100 checked', r)

    # --- T-01 / O-01 names with '|', NUL, 63-byte label, escaped
    r = run('weird.t.example')
    tap.ok(r.rc == 0 and r.first.count('|') == 1, 'T-01 weird MX names: one | (perfdata)', r)
    tap.ok(all('|' not in l for l in r.long) and has(r, 'a\\124b.t.example')
           and has(r, 'c\\000d.t.example') and has(r, LABEL63 + '.t.example'),
           'T-01 O-01 | and NUL escaped in long output, 63-byte label intact', r)
    tap.ok(r.perf.get('mx') == '3', 'T-01 weird names resolved as given', r)
    # 189 '|' bytes in the name, each printed as \124: the status line
    # stays within LIMIT_STATUS_TEXT and the perfdata survives.
    r = run('longname.t.example')
    tap.ok(r.rc == 0 and r.first.count('|') == 1 and len(r.status.encode()) <= 260
           and r.perf.get('mx') == '1',
           'O-01 T-01 MX name of 189 escaped | bytes: status line capped, perfdata intact', r)
    tap.ok(all('|' not in l for l in r.long) and has(r, '\\124' * 63),
           'O-01 long output escaped', r)

    # --- our own inputs
    r = mx('-h')
    tap.ok(r.rc == 0 and '--expect' in r.out and '--ptr' in r.out
           and '--require-ipv6' in r.out and '--null-mx-ok' in r.out, '-h exits 0', r)
    tap.ok('--smtp' in r.out and '--dane' in r.out, '-h: the SMTP options, now they work', r)
    r = mx('-V')
    tap.ok(r.rc == 0 and 'check_mx' in r.first, '-V exits 0', r)
    r = run('example.com', '--bogus')
    tap.ok(r.rc == 3, 'unknown option: UNKNOWN', r)
    r = run('example.com', '-e', 'bad host!')
    tap.ok(r.rc == 3 and 'check_mx: invalid --expect host: invalid character - bad host!'
           in (r.out + r.err).splitlines(), 'bad -e: UNKNOWN, check_mx: reason - value', r)
    r = run('example.com', '-e', 'x' * 64 + '.example.com')
    tap.ok(r.rc == 3, 'bad -e (64-byte label): UNKNOWN', r)
    r = run('example.com', '-w', 'abc')
    tap.ok(r.rc == 3 and 'check_mx: ' in r.out + r.err, 'bad -w: UNKNOWN', r)
    r = mx('-s', '127.0.0.1', '-p', str(ns.port))
    tap.ok(r.rc == 3, 'no -D: UNKNOWN', r)
    r = run('example.com', '-t', '5:bogus')
    tap.ok(r.rc == 3, 'bad -t state: UNKNOWN', r)

# --- invalid -D is UNKNOWN and no query is sent
with DnsServer({'example.com': [('MX', 10, 'mail.example.com')]}) as s:
    for xid, dom in (('X-01', 'a' * 64 + '.example.com'),
                     ('X-01', '.'.join(['abcdefghi'] * 26) + '.com'),
                     ('X-03', '\u2603.example'),  # an IDN IDNA2008 disallows
                     ('X-05', 'a..example'), ('X-05', '.example'), ('X-05', '.'),
                     ('X-05', ''),
                     ('X-06', 'exa mple.com'), ('X-06', 'ex(a).com'),
                     ('X-06', 'a/b.com'), ('X-06', 'a;b.com'), ('X-06', 'a@b.com')):
        r = mx('-D', dom, server=s)
        tap.ok(r.rc == 3 and not s.queries, '%s invalid -D %r: UNKNOWN, no query sent'
               % (xid, dom[:20]), r)

# --- DNS failures: never "record missing"
ZONE = {
    'example.com': [('MX', 10, 'mail.example.com'), ('MX', 20, 'mx2.example.com')],
    'mail.example.com': [('A', '192.0.2.1'), ('AAAA', '2001:db8::1')],
    'mx2.example.com': [('A', '192.0.2.2')],
}


def fail_on(name, qtype, action):
    def faults(q):
        if q.name == name and q.type == qtype:
            return action
        return None
    return faults


with DnsServer(ZONE, faults=fail_on('example.com', 'MX', 'drop')) as s:
    r = mx('-D', 'example.com', '-t', '3', server=s)
    tap.ok(r.rc == 2 and r.first.startswith('MX CRITICAL')
           and 'timeout' in r.first and 'example.com/MX' in r.first
           and r.first.startswith('MX CRITICAL - example.com: DNS timeout for example.com/MX via 127.0.0.1#%d after ' % s.port)
           and 'no MX' not in r.first,
           'N-TO-01 MX query timeout: CRITICAL naming server and query', r)
    tap.ok(r.wall <= 4.0 + wall_slack(), 'N-TO-01 finished within -t + 1 s', r)
    r = mx('-D', 'example.com', '-t', '3', '--dns-error-state=warning', server=s)
    tap.ok(r.rc == 1 and 'timeout' in r.first, '--dns-error-state=warning: WARNING', r)
    # The per-query timeouts are cut from -t, so a silent server is a DNS
    # error before the plugin's deadline; -t's STATE is also the DNS-error
    # state (the nrpe habit) unless --dns-error-state says otherwise.
    r = mx('-D', 'example.com', '-t', '2:unknown', server=s)
    tap.ok(r.rc == 3 and r.first.startswith('MX UNKNOWN - ') and 'DNS timeout' in r.first
           and r.wall <= 3.0 + wall_slack(),
           'N-TO-01 -t 2:unknown: the DNS timeout comes first (UNKNOWN), within -t + 1 s', r)
    r = mx('-D', 'example.com', '-t', '2:unknown', '--dns-error-state=critical', server=s)
    tap.ok(r.rc == 2 and 'DNS timeout' in r.first,
           'N-TO-01 -t 2:unknown --dns-error-state=critical: CRITICAL', r)
    r = mx('-D', 'example.com', '-t', '2:unknown', '--dns-error-state=unknown', server=s)
    tap.ok(r.rc == 3 and r.first.startswith('MX UNKNOWN - ') and 'DNS timeout' in r.first,
           'N-TO-01 --dns-error-state=unknown: UNKNOWN', r)

with DnsServer(ZONE, faults=fail_on('example.com', 'MX', Alter(rcode=SERVFAIL))) as s:
    r = mx('-D', 'example.com', server=s)
    tap.ok(r.rc == 2 and 'SERVFAIL' in r.first and 'no MX' not in r.first,
           'N-RC-01 MX SERVFAIL: CRITICAL, not "no MX"', r)

with DnsServer(ZONE, faults=fail_on('mx2.example.com', 'A', Alter(rcode=SERVFAIL))) as s:
    r = mx('-D', 'example.com', server=s)
    tap.ok(r.rc == 2 and 'MX 20 mx2.example.com: DNS SERVFAIL for mx2.example.com/A via'
           in r.first, 'N-RC-01 target A SERVFAIL: DNS error named at the DNS-error state', r)
    tap.ok(r.perf.get('mx') == '1' and not has(r, 'no A or AAAA'),
           'target A SERVFAIL: that target unusable, not "no address"', r)
    r = mx('-D', 'example.com', '--dns-error-state=warning', server=s)
    tap.ok(r.rc == 1, 'target SERVFAIL with --dns-error-state=warning: WARNING', r)

# Review finding 5a: an AAAA SERVFAIL is a DNS error, not "no IPv6".
V4ZONE = {
    'example.com': [('MX', 10, 'mail.example.com')],
    'mail.example.com': [('A', '192.0.2.1')],
}
with DnsServer(V4ZONE, faults=fail_on('mail.example.com', 'AAAA', Alter(rcode=SERVFAIL))) as s:
    r = mx('-D', 'example.com', server=s)
    tap.ok(r.rc == 2 and 'DNS SERVFAIL for mail.example.com/AAAA' in r.out
           and not has(r, 'no MX host has an IPv6'),
           'N-RC-01 target AAAA SERVFAIL: DNS error, not "no IPv6 (AAAA) address"', r)
    r = mx('-D', 'example.com', '--require-ipv6', '--dns-error-state=ok', server=s)
    tap.ok(r.rc == 0 and not has(r, 'no MX host has an IPv6'),
           'N-RC-01 AAAA SERVFAIL, --require-ipv6 --dns-error-state=ok: not "no IPv6"', r)
with DnsServer(V4ZONE) as s:
    r = mx('-D', 'example.com', '--require-ipv6', server=s)
    tap.ok(r.rc == 1 and has(r, 'no MX host has an IPv6'),
           'no AAAA at all with --require-ipv6: WARNING "no IPv6"', r)

NOMX = {'nomx.example': [('A', '192.0.2.10')]}
with DnsServer(NOMX, faults=fail_on('nomx.example', 'A', Alter(rcode=SERVFAIL))) as s:
    r = mx('-D', 'nomx.example', server=s)
    tap.ok(r.rc == 2 and 'no MX record; senders fall back' in r.first
           and has(r, 'fallback address: DNS SERVFAIL for nomx.example/A')
           and not has(r, 'no A/AAAA'),
           'no MX, fallback A SERVFAIL: no MX first, the A lookup named as a DNS error', r)

# T-01: an MX target with a 64-byte label cannot be a name (c-ares
# CVE-2021-3672 lesson): the reply is malformed, never a crash.
BAD = {'example.com': [('RAW', 15, b'\x00\x0a\x40' + b'x' * 64 + b'\x07example\x00')]}
with DnsServer(BAD) as s:
    r = mx('-D', 'example.com', server=s)
    tap.ok(r.rc == 2 and r.first.startswith('MX CRITICAL - ') and 'malformed' in r.first,
           'T-01 N-WIRE-05 MX target with a 64-byte label: malformed reply, CRITICAL', r)

tap.done()
