#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""doc/hostile-inputs.md 4.1 rows that the resolver's own fault tests
(test_resolver_faults.py, through dnsq) leave to a plugin: what a whole
plugin run makes of them, with the catalogue's common bounds checked on
every run (exit status, peak RSS < 64 MiB, -t + 1 s, and the number of
queries the fault server received). check_spf is the plugin on main; the
rows concern every plugin's TXT path the same way."""
import os
import sys

sys.path.insert(0, os.path.join(os.environ.get('top_srcdir', '.'),
                                'tests', 'lib'))
from harness import TAP, Nsd, run_plugin, check_bounds, plugin_path  # noqa: E402
from dnsserver import DnsServer                                       # noqa: E402

T = 5
tap = TAP()

if not os.access(plugin_path('check_spf'), os.X_OK):
    tap.skip('hostile DNS rows through check_spf', 'check_spf not built')
    tap.done()
    sys.exit(0)

SPF = [b'v=spf1 ip4:192.0.2.1 -all']
ZONE = {
    # N-TXT-02: split points inside tokens, same result as unsplit
    'split.example.com': [('TXT', [b'v=spf1 inc', b'lude:x.example.com -a', b'll'])],
    'x.example.com': [('TXT', SPF)],
    # N-SIZE-02: 300 TXT RRs, the SPF record last (needs TCP)
    'many.example.com': [('TXT', [b'junk %03d' % i]) for i in range(299)] + [('TXT', SPF)],
    # N-RC-02: NODATA (NOERROR + SOA) for the policy name
    'nodata.example.com': [('A', '192.0.2.1')],
    # N-RR-04: ptr with 0, 1 and 50 PTR names (RFC 7208 4.6.4: 10 checked)
    'ptr.example.com': [('TXT', [b'v=spf1 ptr -all'])],
    '1.2.0.192.in-addr.arpa': [('PTR', 'h%d.ptr.example.com' % i) for i in range(50)],
    '2.2.0.192.in-addr.arpa': [('PTR', 'ptr.example.com')],
    '3.2.0.192.in-addr.arpa': [('A', '192.0.2.3')],
}
for i in range(50):
    ZONE['h%d.ptr.example.com' % i] = [('A', '192.0.2.99')]
ZONE['ptr.example.com'].append(('A', '192.0.2.2'))
# a name over 253 bytes made by macro expansion loses whole labels
# on the left (RFC 7208 7.3)
ZONE['long.example.com'] = [('TXT', [b'v=spf1 exists:%{l}.long.example.com -all'])]
LOCAL = '.'.join(['label%02d' % i for i in range(40)])     # 319 bytes


# check_spf's audit asks type SPF (99) besides TXT for every record it
# looks at; when there is no record it asks MX, A and AAAA for the fix
# line. The bounds below count those.
SPF99 = 1
NO_RECORD = 2 + 3        # TXT, SPF; MX, A, AAAA


def spf(s, *args):
    return run_plugin('check_spf', '-t', T, *args, server=s)


with DnsServer(ZONE) as s:
    r = spf(s, '-D', 'split.example.com', '--ip', '192.0.2.1')
    tap.ok(r.rc == 0 and 'pass' in r.out and 'include:x.example.com' in r.out,
           'N-TXT-02 record split inside "include" and "-all": include found, pass', r)
    check_bounds(tap, r, 'N-TXT-02', t=T, server=s, max_queries=2 + SPF99)

    s.queries.clear()
    r = spf(s, '-D', 'many.example.com', '--ip', '192.0.2.1')
    tap.ok(r.rc == 0 and 'pass' in r.out,
           'N-SIZE-02 300 TXT RRs, SPF last (TCP): record found, pass', r)
    tap.ok(('many.example.com', 'TXT', 'tcp') in s.queries,
           'N-SIZE-02 the truncated UDP answer was retried over TCP', s.queries)
    check_bounds(tap, r, 'N-SIZE-02', t=T, server=s, max_queries=2 + SPF99)

    s.queries.clear()
    r = spf(s, '-D', 'nodata.example.com')
    tap.ok(r.rc == 2 and r.first.startswith('SPF CRITICAL') and 'no SPF record' in r.first,
           'N-RC-02 NODATA: CRITICAL no SPF record', r)
    check_bounds(tap, r, 'N-RC-02', t=T, server=s, max_queries=NO_RECORD)
    s.queries.clear()
    r = spf(s, '-D', 'nx.example.com')
    tap.ok(r.rc == 2 and 'no SPF record' in r.first and 'DNS' not in r.first,
           'N-RC-02 NXDOMAIN: CRITICAL no SPF record, not a DNS error', r)
    check_bounds(tap, r, 'N-RC-02', t=T, server=s, max_queries=NO_RECORD)

    for ip, n, want in (('192.0.2.3', 0, 'fail'), ('192.0.2.2', 1, 'pass'),
                        ('192.0.2.1', 50, 'fail')):
        s.queries.clear()
        r = spf(s, '-D', 'ptr.example.com', '--ip', ip, '--expect', want)
        a_asked = sum(1 for q in s.queries if q[1] in ('A', 'AAAA') and
                      q[0].endswith('ptr.example.com'))
        tap.ok(r.rc in (0, 1) and want in r.out,
               'N-RR-04 ptr with %d PTR names: %s' % (n, want), r)
        tap.ok(a_asked <= 10, 'N-RR-04 ptr with %d PTR names: at most 10 names '
               'validated (%d A/AAAA queries)' % (n, a_asked), s.queries)
        # TXT, PTR (50 names overflow the UDP size: again over TCP), and
        # one A query per name validated, at most 10
        check_bounds(tap, r, 'N-RR-04', t=T, server=s, max_queries=1 + SPF99 + 2 + 10)

    s.queries.clear()
    r = spf(s, '-D', 'long.example.com', '--ip', '192.0.2.1',
            '--sender', LOCAL + '@long.example.com', '--expect', 'fail')
    asked = [q[0] for q in s.queries if q[1] == 'A']
    full = LOCAL.lower() + '.long.example.com'
    good = len(asked) == 1 and len(asked[0]) <= 253 and full.endswith('.' + asked[0]) \
        and asked[0].endswith('.long.example.com')
    tap.ok(r.rc == 0 and good, 'X-02 %d-byte exists name from %%{l}: left-truncated to '
           'whole labels, %s bytes asked' % (len(full), len(asked[0]) if asked else '-'),
           '%s\nasked: %s' % (r.describe(), asked))
    check_bounds(tap, r, 'X-02', t=T, server=s, max_queries=2 + SPF99)

# N-RR-05: a wildcard TXT answering every name with junk (OpenDMARC #38):
# no valid record, no retry storm (dns_queries perfdata: NSD keeps no
# query log).
with Nsd({'wild.example': '* TXT "junk"\n@ TXT "junk at the apex"\n'}) as ns:
    r = run_plugin('check_spf', '-t', T, '-D', 'any.wild.example', server=ns)
    tap.ok(r.rc == 2 and 'no SPF record' in r.first,
           'N-RR-05 wildcard TXT junk: CRITICAL no SPF record', r)
    tap.ok(r.perf.get('dns_queries', '').isdigit() and int(r.perf['dns_queries']) <= NO_RECORD,
           'N-RR-05 no retry storm: at most %d queries, each asked once (dns_queries=%s)'
           % (NO_RECORD, r.perf.get('dns_queries')), r)
    check_bounds(tap, r, 'N-RR-05', t=T)

tap.done()
