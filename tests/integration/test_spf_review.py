#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""check_spf regressions from the review of 2026-11-26, each against
tests/lib/dnsserver.py (faults and synthesised answers are needed):
  2   the fix: line of an over-limit or broken record keeps the record's
      ip4:/ip6: terms and says what it leaves out; a permerror in a
      third party's record gets no fix: line for the domain's;
  5b  --mail-host whose A/AAAA fail at --dns-error-state=ok is not
      "no A or AAAA record";
  11  -c above 10 prints crit 10 in perfdata (the state is clamped);
      a lookup count outside -w/-c has its own long-output line;
  6   S-LIM-07 x 64: --mail-host with 64 addresses, each costing the
      worst legal check_host() (111 queries), is evaluated whole; past
      check_spf's cap an address is "not evaluated, query limit
      reached" (UNKNOWN), never a "DNS network error";
  12a --sender with an empty domain part is UNKNOWN (our own input);
"""
import os
import sys

sys.path.insert(0, os.path.join(os.environ.get('top_srcdir', '.'),
                                'tests', 'lib'))
from harness import TAP, run_plugin  # noqa: E402
from dnsserver import DnsServer, Alter, rr, rdata_a, rdata_mx  # noqa: E402

T = 5   # -t for every run

tap = TAP()


def spf(ds, *args, t=T):
    return run_plugin('check_spf', '-s', '127.0.0.1', '-p', str(ds.port),
                      '-t', str(t), *args)


def fixes(r):
    return [l for l in r.lines if l.startswith('fix: ')]


BASE = {'example.com': [('MX', 10, 'mail.example.com'),
                        ('TXT', [b'v=spf1 mx -all'])],
        'mail.example.com': [('A', '192.0.2.1')]}


# ---- 2: fix lines must not drop the senders the record authorises
BIGINC = 'v=spf1 ' + ' '.join('a:h%d.big.example' % i for i in range(8)) + \
    ' -all'
Z2 = {'example.com': [('MX', 10, 'mail.example.com'), ('TXT', [
          b'v=spf1 mx a include:_spf.big.example ip4:192.0.2.1 ~all'])],
      'mail.example.com': [('A', '192.0.2.1')],
      '_spf.big.example': [('TXT', [BIGINC.encode()])],
      # -all kept, a subdomain's broken record is the domain's to mend
      'hard.example.com': [('MX', 10, 'mail.example.com'), ('TXT', [
          b'v=spf1 include:_spf.hard.example.com ip4:198.51.100.0/24 '
          b'ip6:2001:db8::/32 -all'])],
      '_spf.hard.example.com': [('TXT', [b'v=spf1 a:foo-bar -all'])],
      # a third party's record is broken: nothing for us to publish
      'third.example.com': [('MX', 10, 'mail.example.com'), ('TXT', [
          b'v=spf1 include:_spf.provider.example ip4:192.0.2.1 -all'])],
      '_spf.provider.example': [('TXT', [b'v=spf1 a:foo-bar -all'])],
      'deep.example.com': [('MX', 10, 'mail.example.com'), ('TXT', [
          b'v=spf1 include:_spf.provider2.example -all'])],
      '_spf.provider2.example': [('TXT', [
          b'v=spf1 include:gone.provider2.example -all'])]}
for i in range(8):
    Z2['h%d.big.example' % i] = [('A', '198.51.100.%d' % i)]
with DnsServer(Z2) as ds:
    r = spf(ds, '-D', 'example.com')
    tap.ok(r.rc == 2 and fixes(r) == [
        'fix: example.com. IN TXT "v=spf1 mx ip4:192.0.2.1 ~all"'] and
        any('leaves out include:_spf.big.example' in l and 'flatten' in l
            for l in r.long),
        '2 over the limit: the fix keeps ip4:192.0.2.1 and says the '
        'include must be flattened or trimmed', r)
    r = spf(ds, '-D', 'example.com', '--mail-host=mail.example.com')
    tap.ok(fixes(r) == [
        'fix: example.com. IN TXT "v=spf1 mx ip4:192.0.2.1 ~all"'],
        '2 a --mail-host address the record lists is not repeated', r)
    r = spf(ds, '-D', 'hard.example.com')
    tap.ok(r.rc == 2 and fixes(r) == [
        'fix: hard.example.com. IN TXT "v=spf1 mx ip4:198.51.100.0/24 '
        'ip6:2001:db8::/32 -all"'],
        '2 a subdomain\'s permerror: fix keeps the ip terms and -all', r)
    for d, bad in (('third.example.com', '_spf.provider.example'),
                   ('deep.example.com', 'gone.provider2.example')):
        r = spf(ds, '-D', d)
        tap.ok(r.rc == 2 and not fixes(r) and any(
            'no fix: line: the permerror is in the record of %s' % bad in l
            for l in r.long),
            '2 permerror in a third party\'s record (%s): no fix line for '
            '%s' % (bad, d), r)

# ---- 5b: a DNS failure of the mail host is never "no A or AAAA record"
def servfail_mail(q):
    return Alter(rcode=2) if q.name == 'mail.example.com' else None


with DnsServer(BASE, faults=servfail_mail) as ds:
    r = spf(ds, '-D', 'example.com', '--dns-error-state=ok',
            '--mail-host=mail.example.com')
    tap.ok('has no A or AAAA record' not in r.out and
           'SERVFAIL for mail.example.com/A' in r.out,
           '5b --mail-host SERVFAIL at --dns-error-state=ok: not "no A or '
           'AAAA record"', r)
    r = spf(ds, '-D', 'example.com', '--mail-host=mail.example.com')
    tap.ok(r.rc == 2 and 'has no A or AAAA record' not in r.out and
           'SERVFAIL for mail.example.com/A' in r.first,
           '5b --mail-host SERVFAIL: CRITICAL naming the DNS error', r)
with DnsServer(dict(BASE, **{'mail.example.com': [('MX', 10, 'x.example')]})) as ds:
    r = spf(ds, '-D', 'example.com', '--mail-host=mail.example.com')
    tap.ok(r.rc == 2 and 'mail host mail.example.com has no A or AAAA '
           'record' in r.first, '5b a mail host with no address is still '
           'CRITICAL "no A or AAAA record"', r)

# ---- 6: the query cap fits check_spf's documented worst case
# 10 mx terms whose names depend on the client (%{i}), each with 10 MX
# hosts: 1 MX + 10 A per term, 110 per address, plus exp= on fail; all
# different for each of the 64 addresses of mh.example.com.
WREC = 'v=spf1 %s exp=%%{i}.exp.example.com -all' % ' '.join(
    'mx:%%{i}.m%d.example.com' % k for k in range(10))
WZONE = {'example.com': [('TXT', WREC.encode())],
         'mh.example.com': [('A', '192.0.2.%d' % i) for i in range(1, 65)]}


def worst(q):
    if q.type == 'MX' and '.m' in q.name:
        return q.reply(answers=[rr(q.name, 'MX', rdata_mx(
            k, 'h%d.%s' % (k, q.name))) for k in range(10)])
    if q.type == 'A' and q.name.startswith('h'):
        return q.reply(answers=[rr(q.name, 'A', rdata_a('198.51.100.1'))])
    return None


def worst_tc(q):
    """Every UDP answer truncated: each question costs two queries, so
    the cap is reached about half way."""
    return 'tc' if q.transport == 'udp' else worst(q)


def dns_queries(r):
    return int(r.perf.get('dns_queries', '0'))


with DnsServer(WZONE, faults=worst, lifetime=120) as ds:
    r = spf(ds, '-D', 'example.com', '--mail-host=mh.example.com',
            '--expect=fail', t=25)
    tap.ok(r.rc == 1 and r.out.count('SPF fail for example.com') == 64 and
           'query limit' not in r.out and 'network error' not in r.out and
           7104 <= dns_queries(r) <= 7990 and r.wall <= 26,
           '6 S-LIM-07 64 addresses x 111 queries: all evaluated, %d '
           'queries' % dns_queries(r), r)
with DnsServer(WZONE, faults=worst_tc, lifetime=120) as ds:
    r = spf(ds, '-D', 'example.com', '--mail-host=mh.example.com',
            '--expect=fail', t=25)
    unk = [l for l in r.long if l.startswith('[UNKNOWN]')]
    tap.ok(len(unk) > 0 and 'network error' not in r.out and
           'SPF temperror' not in r.out and
           all('not evaluated, query limit reached: check_spf sends at '
               'most 7990 DNS queries per run' in l for l in unk) and
           # the cap is checked before each wave: the last may pass it
           7990 <= dns_queries(r) <= 7990 + 2 * 256 and r.wall <= 26,
           '6 past the cap: "not evaluated, query limit reached", not a '
           'DNS network error (%d UNKNOWN)' % len(unk), r)

# ---- 11: -w/-c on the lookup count
with DnsServer(BASE) as ds:
    r = spf(ds, '-D', 'example.com', '-c', '20')
    tap.ok(r.rc == 0 and 'lookups=1;8;10;0;10 ' in r.perfdata,
           '11 -c 20: perfdata crit is 10, the limit that applies', r)
    r = spf(ds, '-D', 'example.com', '-w', '0', '-c', '20')
    tap.ok(r.rc == 1 and r.status.endswith('1 DNS lookup, outside -w 0') and
           '[WARNING] 1 DNS lookup, outside -w 0' in r.long and
           'lookups=1;0;10;0;10 ' in r.perfdata,
           '11 -w 0: WARNING, with a [WARNING] long-output line', r)
    r = spf(ds, '-D', 'example.com', '-w', '0', '-c', '0')
    tap.ok(r.rc == 2 and '[CRITICAL] 1 DNS lookup, outside -c 0' in r.long,
           '11 -c 0: CRITICAL, with a [CRITICAL] long-output line', r)
    r = spf(ds, '-D', 'example.com')
    tap.ok(r.rc == 0 and '[OK] 1 DNS lookup, limit is 10' in r.long,
           '11 within -w/-c: the count is an [OK] line', r)

# ---- 12a: --sender with nothing after '@' is a bad input of ours
with DnsServer(BASE) as ds:
    for s in ('@', 'a@', 'x@y@'):
        r = spf(ds, '-D', 'example.com', '--ip=192.0.2.1', '--sender=' + s)
        tap.ok(r.rc == 3 and 'no domain after' in r.out + r.err and
               "none for" not in r.out,
               "12a --sender=%s: UNKNOWN, not SPF none for ''" % s, r)
    r = spf(ds, '-D', 'example.com', '--ip=192.0.2.1', '--sender=')
    tap.ok(r.rc == 0 and 'SPF pass for example.com' in r.out,
           '12a --sender= (the null sender) is still postmaster@HELO', r)
    r = spf(ds, '-D', 'example.com', '--ip=192.0.2.1',
            '--sender=a@example.com')
    tap.ok(r.rc == 0 and 'SPF pass for example.com' in r.out,
           '12a --sender=a@example.com evaluates', r)
    # RFC 7208 4.3: a malformed non-empty domain is "none" (the RFC 7208
    # suite's domain-literal and label-length tests use --sender)
    r = spf(ds, '-D', 'example.com', '--ip=192.0.2.1',
            '--sender=a@[192.0.2.1]', '--expect=none')
    tap.ok(r.rc == 0 and 'SPF none' in r.out,
           '12a --sender=a@[192.0.2.1]: none as RFC 7208 4.3 says', r)

tap.done()
