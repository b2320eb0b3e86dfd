#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""check_spf's evaluation mode against a real NSD (and, for crafted
faults, tests/lib/dnsserver.py): the options, the states, and the
catalogue's S-* rows that the RFC 7208 suite lacks: S-LIM-01, S-LIM-04,
S-LIM-07, S-CN-01, S-IP-02, S-MAC-02 .. S-MAC-08, S-EXP-01.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.environ.get('top_srcdir', '.'),
                                'tests', 'lib'))
from harness import wall_slack, TAP, Nsd, run_plugin  # noqa: E402
from dnsserver import DnsServer, Alter  # noqa: E402

T = 5   # -t for every run; hostile rows must finish within T + 1 s

tap = TAP()


def spf(*args, server):
    return run_plugin('check_spf', '-t', T, *args, server=server)


def result_line(r):
    return next((l for l in r.lines if ': SPF ' in l), '')


def in_time(r):
    return r.wall <= T + 1 + wall_slack()


# ------------------------------------------------------------------ NSD
ZONE = r'''
@        TXT "v=spf1 ip4:192.0.2.0/28 ip6:2001:db8::/32 mx include:_inc.example.com -all exp=why.example.com"
@        MX 10 mail
mail     A 198.51.100.10
mail     AAAA 2001:db8:1::10
why      TXT "%{i} is not one of %{d}'s mail servers"
_inc     TXT "v=spf1 a:relay.example.com ~all"
relay    A 203.0.113.7
bad      TXT "v=spf1 a:foo-bar -all"
soft     TXT "v=spf1 ~all"
two      TXT "v=spf1 -all"
two      TXT "v=spf1 mx -all"
nothing  TXT "not spf"
; S-LIM-04: 15 DNS-querying terms over nested includes, at most 10 in any
; one record: the counter is global (libspf2#51)
nest     TXT "v=spf1 include:n1.example.com include:n2.example.com -all"
n1       TXT "v=spf1 a:x1.example.com a:x2.example.com a:x3.example.com a:x4.example.com a:x5.example.com a:x6.example.com include:n3.example.com"
n2       TXT "v=spf1 a:x1.example.com a:x2.example.com a:x3.example.com a:x4.example.com a:x5.example.com a:x6.example.com ip4:192.0.2.99 -all"
n3       TXT "v=spf1 a:x1.example.com"
x1       A 198.51.100.1
x2       A 198.51.100.2
x3       A 198.51.100.3
x4       A 198.51.100.4
x5       A 198.51.100.5
x6       A 198.51.100.6
; S-CN-01: include of a CNAME to a record included directly as well
cn       TXT "v=spf1 include:a.cn.example.com include:b.cn.example.com -all"
a.cn     TXT "v=spf1 ip4:192.0.2.77 -all"
b.cn     CNAME a.cn
; S-LIM-01: a loop, told as such
loop1    TXT "v=spf1 include:loop2.example.com -all"
loop2    TXT "v=spf1 include:loop1.example.com -all"
; S-IP-02
v6       TXT "v=spf1 ip6:2001:db8::/32 ip6:::1 ip6:::ffff:192.0.2.50 -all"
'''

# S-LIM-07: the worst legal record, 10 mx terms of 10 MX names each:
# 1 TXT + 10 MX + 100 A = 111 queries at most.
worst = ['@ TXT "v=spf1 %s -all"' % ' '.join('mx:m%d.worst.example' % i
                                            for i in range(10))]
for i in range(10):
    for j in range(10):
        worst.append('m%d MX %d h%d-%d' % (i, j, i, j))
        worst.append('h%d-%d A 198.51.100.%d' % (i, j, 100 + j))

with Nsd({'example.com': ZONE, 'worst.example': '\n'.join(worst) + '\n'}) as ns:
    r = spf('-D', 'example.com', '--ip=192.0.2.5', server=ns)
    tap.ok(r.rc == 0 and r.first.startswith('SPF OK') and
           'SPF pass for example.com' in result_line(r) and
           'ip4:192.0.2.0/28' in result_line(r), 'ip4 pass is OK', r)
    tap.ok('time' in r.perf and 'dns_queries' in r.perf,
           'perfdata time and dns_queries', r)

    r = spf('-D', 'example.com', '--ip=203.0.113.7', server=ns)
    tap.ok(r.rc == 0 and 'include:_inc' in result_line(r),
           'pass through include names the include', r)

    r = spf('-D', 'example.com', '--ip=192.0.2.200', server=ns)
    tap.ok(r.rc == 2 and r.first.startswith('SPF CRITICAL') and
           'SPF fail' in r.first and 'expected pass' in r.first and
           '192.0.2.200 is not one of example.com\'s mail servers' in r.out,
           'fail when pass expected is CRITICAL, with the explanation', r)

    r = spf('-D', 'example.com', '--ip=192.0.2.200', '--expect=fail,softfail',
            server=ns)
    tap.ok(r.rc == 0 and 'SPF fail' in r.out, '--expect=fail,softfail', r)

    r = spf('-D', 'example.com', '--mail-host=mail.example.com', server=ns)
    tap.ok(r.rc == 0 and '198.51.100.10: SPF pass' in r.out and
           '2001:db8:1::10: SPF pass' in r.out,
           '--mail-host evaluates every A and AAAA', r)

    r = spf('-D', 'example.com', '--mail-host=relay.example.com', server=ns)
    tap.ok(r.rc == 0, '--mail-host with an A only', r)

    r = spf('-D', 'example.com', '--mail-host=none.example.com', server=ns)
    tap.ok(r.rc == 2 and 'no A or AAAA' in r.out,
           '--mail-host without addresses is CRITICAL', r)

    r = spf('--sender=a@bad.example.com', '--ip=192.0.2.1', '--no-audit',
            server=ns)
    tap.ok(r.rc == 2 and 'SPF permerror' in r.out and "'a:foo-bar'" in r.out,
           'permerror names the term', r)

    r = spf('--sender=a@soft.example.com', '--ip=192.0.2.1',
            '--expect=softfail', '--no-audit', server=ns)
    tap.ok(r.rc == 0, '~all with --expect=softfail', r)

    r = spf('--sender=', '--helo=soft.example.com', '--ip=192.0.2.1',
            '--expect=softfail', '--no-audit', server=ns)
    tap.ok(r.rc == 0 and 'for soft.example.com' in r.out,
           'null sender is checked as postmaster@helo', r)

    r = spf('-D', 'nest.example.com', '--ip=192.0.2.99', '--expect=permerror',
            '--no-audit', server=ns)
    tap.ok(r.rc == 0 and 'more than 10 DNS-querying terms' in r.out,
           'S-LIM-04 15 terms over nested includes: permerror', r)

    r = spf('-D', 'cn.example.com', '--ip=192.0.2.77', server=ns)
    tap.ok(r.rc == 0 and 'include:a.cn.example.com' in r.out,
           'S-CN-01 include of a CNAME alias is not "two records"', r)
    r = spf('-D', 'cn.example.com', '--ip=192.0.2.78', '--expect=fail',
            server=ns)
    tap.ok(r.rc == 0, 'S-CN-01 both includes evaluate the same record', r)

    r = spf('-D', 'loop1.example.com', '--ip=192.0.2.1', '--expect=permerror',
            '--no-audit', server=ns)
    tap.ok(r.rc == 0 and 'loop loop1.example.com -> loop2.example.com -> '
           'loop1.example.com' in r.out, 'S-LIM-01 the loop is named', r)

    for ip, want in (('2001:db8:ffff::1', 'pass'), ('::1', 'pass'),
                     ('::ffff:192.0.2.50', 'fail'), ('192.0.2.50', 'fail'),
                     ('2001:db9::1', 'fail')):
        r = spf('-D', 'v6.example.com', '--ip=' + ip, '--expect=' + want,
                server=ns)
        tap.ok(r.rc == 0, 'S-IP-02 %s gives %s (mapped IPv4 never matches '
               'ip6)' % (ip, want), r)

    r = spf('-D', 'worst.example', '--ip=192.0.2.1', '--expect=fail',
            '--no-audit', server=ns)
    q = int(r.perf.get('dns_queries', '999').rstrip('c') or 999)
    tap.ok(r.rc == 0 and q <= 111 and in_time(r),
           'S-LIM-07 worst legal record: %d queries (<= 111), %.1fs' % (
               q, r.wall), r)

    # the record check that runs unless --no-audit
    r = spf('-D', 'example.com', server=ns)
    tap.ok(r.rc == 0 and 'one v=spf1 record' in r.out,
           'record check: one valid record is OK', r)
    r = spf('-D', 'bad.example.com', server=ns)
    tap.ok(r.rc == 2 and 'permerror' in r.first and "'a:foo-bar'" in r.first,
           'record check: a syntax error is CRITICAL, naming the term', r)
    r = spf('-D', 'nothing.example.com', server=ns)
    tap.ok(r.rc == 2 and 'no SPF record' in r.first,
           'record check: no record is CRITICAL', r)
    r = spf('-D', 'two.example.com', server=ns)
    tap.ok(r.rc == 2 and '2 SPF records' in r.first,
           'S-REC-01 record check: two records are CRITICAL', r)
    r = spf('-D', 'bad.example.com', '--ip=192.0.2.1', '--expect=permerror',
            server=ns)
    tap.ok(r.rc == 2, 'the exit status is the worst of record check and '
           'evaluation', r)

    # options and inputs (UNKNOWN)
    r = spf('-D', 'example.com', '--no-audit', server=ns)
    tap.ok(r.rc == 3 and 'nothing to check' in r.first,
           'no --ip/--mail-host with --no-audit: UNKNOWN', r)
    r = spf('-D', 'example.com', '--ip=192.0.2.300', server=ns)
    tap.ok(r.rc == 3, 'invalid --ip is UNKNOWN', r)
    r = spf('-D', 'example.com', '--ip=192.0.2.1', '--expect=passed',
            server=ns)
    tap.ok(r.rc == 3, 'invalid --expect is UNKNOWN', r)
    r = spf('--ip=192.0.2.1', '--no-audit', server=ns)
    tap.ok(r.rc == 3, 'no domain, sender or helo is UNKNOWN', r)
    r = spf('--ip=192.0.2.1', '--sender=a@example.com', server=ns)
    tap.ok(r.rc == 3 and '-D' in r.first, 'no -D without --no-audit is '
           'UNKNOWN', r)

# ------------------------------------------------------- crafted answers
L64 = 'l' * 64
zone = {
    'mac2.example.org': [('TXT', b'v=spf1 exists:%{d2147483648}._t.example.org'
                          b' -all')],
    'mac2.example.org._t.example.org': [('A', '127.0.0.2')],
    'mac3.example.org': [('TXT', b'v=spf1 exists:%{L}.u.example.org -all')],
    # %{L} of the local part "\xe9t\xe9" sent as UTF-8 (S-MAC-03)
    '%C3%A9t%C3%A9.u.example.org': [('A', '127.0.0.2')],
    'mac6.example.org': [('TXT', b'v=spf1 exists:%{l}.l.example.org -all')],
    'l.example.org': [('A', '127.0.0.2')],
    'zero.example.org': [('TXT', b'v=spf1 exists:%{d0}.x.example.org -all')],
    'big.example.org': [('TXT', b'v=spf1 exists:%{d99999999999999999999}.'
                         b'_t.example.org -all')],
    'd128.example.org': [('TXT', b'v=spf1 exists:%{d128}._t.example.org '
                          b'-all')],
    'd128.example.org._t.example.org': [('A', '127.0.0.2')],
    'big.example.org._t.example.org': [('A', '127.0.0.2')],
    'rev.a.bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.cc.example.org':
        [('TXT', b'v=spf1 exists:%{d3r}.r.example.org -all')],
    'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.a.rev.r.example.org':
        [('A', '127.0.0.2')],
}
# S-MAC-09: %{p} with 0, 1 and 50 PTR names; only 10 are looked at
zone['pmac.example.org'] = [('TXT', b'v=spf1 exists:%{p}.p.example.org -all')]
zone['pmech.example.org'] = [('TXT', b'v=spf1 ptr:example.org -all')]
zone['unknown.p.example.org'] = [('A', '127.0.0.2')]
zone['n0.example.org.p.example.org'] = [('A', '127.0.0.2')]
zone['1.2.0.192.in-addr.arpa'] = [('PTR', 'n0.example.org')]
zone['n0.example.org'] = [('A', '192.0.2.1')]
zone['50.2.0.192.in-addr.arpa'] = [('PTR', 'm%d.example.org' % i)
                                   for i in range(50)]
zone['m49.example.org'] = [('A', '192.0.2.50')]
# a presentation escape in a target is two plain bytes, never '.'
zone['x04.example.org'] = [('TXT', b'v=spf1 a:a\\046b.example.org -all')]
zone['a.b.example.org'] = [('A', '192.0.2.1')]
# S-MAC-07/08: domain-specs of 490..530 bytes of macros and literals
for n in (490, 507, 511, 512, 530):
    spec = ''
    pieces = ['%{d}.', '%{L}.', 'lit.', '%{ir}.', '%%.', '%{s2r+}.']
    i = 0
    while len(spec) + len(pieces[i % 6]) <= n - 12:
        spec += pieces[i % 6]
        i += 1
    spec += 'x' * (n - 12 - len(spec)) + '.example.org'
    zone['s%d.example.org' % n] = [('TXT', ('v=spf1 exists:%s -all' % spec)
                                    .encode())]
# S-EXP-01: explanations that must be ignored, or shown escaped and cut
exps = {
    'nx': None,
    'three': [('TXT', [b'one']), ('TXT', [b'two']), ('TXT', [b'three'])],
    'servfail': [('TXT', [b'never seen'])],
    'huge': [('TXT', [b'y' * 255] * 250)],
    'nul': [('TXT', [b'bad\x00text'])],
    'esc': [('TXT', [b'bad\x1b[31mtext'])],
    'crlf': [('TXT', [b'bad\r\nOK: forged'])],
    'pipe': [('TXT', [b'why | forged=1;2;3'])],
    'long': [('TXT', [b'z' * 250, b'END'])],
    'loop': [('CNAME', 'loop.exp.example.org')],
}
for k, recs in exps.items():
    zone['e-%s.example.org' % k] = [
        ('TXT', ('v=spf1 -all exp=%s.exp.example.org' % k).encode())]
    if recs:
        zone['%s.exp.example.org' % k] = recs


def faults(q):
    if q.name == 'servfail.exp.example.org':
        return Alter(rcode=2)
    return None


with DnsServer(zone, faults=faults, lifetime=300) as ds:
    def ev(domain, ip='192.0.2.1', sender=None, *extra):
        s = sender if sender is not None else 'x@' + domain
        return spf('--sender=' + s, '--ip=' + ip, '--no-audit', *extra,
                   server=ds)

    r = ev('mac2.example.org')
    tap.ok(r.rc == 0 and 'exists:%{d2147483648}' in r.out,
           'S-MAC-02 digits 2147483648 keep every label', r)
    r = ev('zero.example.org', '192.0.2.1', None, '--expect=permerror')
    tap.ok(r.rc == 0 and 'nonzero' in r.out,
           'S-MAC-02 digits 0 is a permerror', r)
    r = ev('big.example.org')
    tap.ok(r.rc == 0, 'S-MAC-02 digits 99999999999999999999 keep every '
           'label (no overflow)', r)
    r = ev('d128.example.org')
    tap.ok(r.rc == 0, 'S-MAC-02 digits 128', r)

    r = spf('--sender=\xe9t\xe9@mac3.example.org', '--ip=192.0.2.1',
            '--no-audit', server=ds)
    tap.ok(r.rc == 0 and ('%c3%a9t%c3%a9.u.example.org', 'A', 'udp') in
           [(n.lower(), t, tr) for n, t, tr in ds.queries],
           'S-MAC-03 %{L} of bytes 0xC3 0xA9 is exactly %C3%A9', r)
    r = spf('--sender=\udcff\udc80@mac3.example.org', '--ip=192.0.2.1',
            '--no-audit', '--expect=fail', server=ds)
    tap.ok(r.rc == 0, 'S-MAC-03 raw bytes 0xFF 0x80 in the local part', r)
    r = ev('rev.a.bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.cc.example.org')
    tap.ok(r.rc == 0, 'S-MAC-04 reverse over unequal label lengths', r)

    # S-MAC-06: local parts of 64, 1000 and 100,000 bytes
    r = spf('--sender=%s@mac6.example.org' % ('q' * 64), '--ip=192.0.2.1',
            '--no-audit', '--expect=fail', server=ds)
    tap.ok(r.rc == 0 and in_time(r),
           'S-MAC-06 64-byte %{l}: a label too long, no match', r)
    r = spf('--sender=%s@mac6.example.org' % ('q' * 1000), '--ip=192.0.2.1',
            '--no-audit', '--expect=pass', server=ds)
    tap.ok(r.rc == 0 and in_time(r),
           'S-MAC-06 1000-byte %{l}: left-truncated to l.example.org', r)
    r = spf('--sender=%s@mac6.example.org' % ('q' * 100000),
            '--ip=192.0.2.1', '--no-audit', '--expect=permerror', server=ds)
    tap.ok(r.rc == 0 and in_time(r) and r.maxrss_kb < 65536,
           'S-MAC-06 100,000-byte local part: bounded', r)

    for ip, want, what in (('192.0.2.77', 'pass', '0 PTR names: unknown'),
                           ('192.0.2.1', 'pass', '1 validated PTR name'),
                           ('192.0.2.50', 'pass',
                            '50 PTR names, the 50th valid: unknown')):
        before = len(ds.queries)
        r = ev('pmac.example.org', ip, None, '--expect=' + want)
        # TXT, PTR (UDP, then TCP when truncated), 10 A, the exists A
        tap.ok(r.rc == 0 and len(ds.queries) - before <= 14,
               'S-MAC-09 %%{p} with %s' % what, r)
    r = ev('pmech.example.org', '192.0.2.50', None, '--expect=fail')
    tap.ok(r.rc == 0, 'S-LIM-06 ptr: PTR names past the 10th are ignored', r)

    before = len(ds.queries)
    r = ev('x04.example.org', '192.0.2.1', None, '--expect=fail')
    asked = [n for n, t, tr in ds.queries[before:] if t == 'A']
    tap.ok(r.rc == 0 and asked and 'a.b.example.org' not in asked,
           'X-04 a:a\\046b.example.org is not a.b.example.org (asked %r)' %
           asked, r)

    for n in (490, 507, 511, 512, 530):
        r = ev('s%d.example.org' % n, '192.0.2.1', None,
               '--expect=fail,permerror')
        tap.ok(r.rc == 0 and in_time(r),
               'S-MAC-07/08 %d-byte domain-spec of macros and literals' % n, r)

    for k in ('nx', 'three', 'servfail', 'huge', 'nul', 'esc', 'crlf', 'loop'):
        r = ev('e-%s.example.org' % k, '192.0.2.1', None, '--expect=fail')
        tap.ok(r.rc == 0 and 'explanation' not in r.out and in_time(r),
               'S-EXP-01 exp= %s: ignored, still fail' % k, r)
    r = ev('e-pipe.example.org', '192.0.2.1', None, '--expect=fail')
    tap.ok(r.rc == 0 and 'forged' in r.out and
           'forged' not in r.first.split('|', 1)[-1] and
           '=1;2;3' not in r.perfdata,
           'S-EXP-01 exp text with | cannot become perfdata', r)
    r = ev('e-long.example.org', '192.0.2.1', None, '--expect=fail')
    shown = r.out.split('explanation "', 1)[-1].split('"', 1)[0]
    tap.ok(r.rc == 0 and len(shown) == 200 and 'END' not in r.out,
           'S-EXP-01 explanation cut to 200 bytes', r)
    r = ev('e-nx.example.org', '192.0.2.1', None, '--expect=pass')
    tap.ok(r.rc == 2, 'a fail that is not expected is CRITICAL', r)

# temperror: at --dns-error-state when not expected
with DnsServer({'t.example.net': [('TIMEOUT',)]}, lifetime=60) as ds:
    r = spf('--sender=a@t.example.net', '--ip=192.0.2.1', '-t', '2',
            '--dns-error-state=warning', '--no-audit', server=ds)
    tap.ok(r.rc == 1 and 'temperror' in r.out and 'timeout' in r.out.lower()
           and r.wall <= 3 + wall_slack(), 'temperror not expected: --dns-error-state', r)
    r = spf('--sender=a@t.example.net', '--ip=192.0.2.1', '-t', '2',
            '--expect=temperror', '--no-audit', server=ds)
    tap.ok(r.rc == 0, 'temperror expected: OK', r)
    r = spf('-D', 't.example.net', '-t', '2', server=ds)
    tap.ok(r.rc == 2 and 'timeout' in r.first.lower() and
           'no SPF record' not in r.out,
           'record check: a timeout is a DNS error, not "no record"', r)

tap.done()
