#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""check_tlsrpt against a real NSD: the TLS-RPT record (RFC 8460) and
its selection, rua= URIs (P-04 at plugin level), the report
destinations (a mailto: domain's MX, null MX, implicit MX; an https:
host's addresses), a missing record with MTA-STS or DANE in use or
neither, escaping of record bytes (O-01), and the fix: invariant
(doc/output-contract.md 5): each fix: line, published, makes the next
run print none and nothing CRITICAL."""
import os
import socket
import sys

sys.path.insert(0, os.path.join(os.environ.get('top_srcdir', '.'), 'tests', 'lib'))
import harness  # noqa: E402
from harness import wall_slack, TAP, Nsd, run_plugin, txt_rdata  # noqa: E402
from dnsserver import DnsServer, Alter  # noqa: E402

tap = TAP()
P = 'check_tlsrpt'


def tlsrpt(rec):
    return '_smtp._tls TXT %s\n' % txt_rdata(rec)


MAIL = '@ MX 10 mail\nmail A 192.0.2.1\n'
TLSA = '3 1 1 8d02536c887482bc34ff54e41d2ba659bf85b341a0a20afadb5813dcfbcf286d'
MANY = ','.join('mailto:r%d@many.example' % i for i in range(100))

ZONES = {
    # the parent, so that names under it without a zone are NXDOMAIN
    'example': '',
    'good.example': MAIL + tlsrpt('v=TLSRPTv1; rua=mailto:tlsrpt@good.example'),
    'both.example': MAIL + 'reports A 192.0.2.2\n'
    + tlsrpt('v=TLSRPTv1;rua=mailto:tlsrpt@both.example, https://reports.both.example/v1/tlsrpt'),
    'ext.example': MAIL + tlsrpt('v=TLSRPTv1; rua=mailto:tls@implicit.example'),
    'implicit.example': '@ A 192.0.2.3\n',
    'two.example': MAIL + tlsrpt('v=TLSRPTv1; rua=mailto:a@two.example')
    + tlsrpt('v=TLSRPTv1; rua=mailto:b@two.example'),
    'http.example': MAIL + tlsrpt('v=TLSRPTv1; rua=http://reports.http.example/x,mailto:tlsrpt@http.example'),
    'httponly.example': MAIL + tlsrpt('v=TLSRPTv1; rua=http://reports.httponly.example/x'),
    'nodomain.example': MAIL + tlsrpt('v=TLSRPTv1; rua=mailto:tlsrpt@,mailto:tlsrpt@nodomain.example'),
    'many.example': MAIL + tlsrpt('v=TLSRPTv1; rua=' + MANY),
    'norua.example': MAIL + tlsrpt('v=TLSRPTv1; ruf=mailto:x@norua.example'),
    'tonoaddr.example': MAIL + tlsrpt('v=TLSRPTv1; rua=mailto:r@noaddr.example'),
    'noaddr.example': '@ TXT "nothing here"\n',
    'tonull.example': MAIL + tlsrpt('v=TLSRPTv1; rua=mailto:r@nullmx.example'),
    'nullmx.example': '@ MX 0 .\n',
    'tonx.example': MAIL + tlsrpt('v=TLSRPTv1; rua=mailto:r@gone.example,mailto:ok@tonx.example'),
    'nohost.example': MAIL + tlsrpt('v=TLSRPTv1; rua=https://reports.nohost.example/x'),
    'noaddrhost.example': MAIL + 'www TXT "no address"\n'
    + tlsrpt('v=TLSRPTv1; rua=https://www.noaddrhost.example/x'),
    'sts.example': MAIL + '_mta-sts TXT "v=STSv1; id=20240101"\n',
    'dane.example': MAIL + '_25._tcp.mail TLSA %s\n' % TLSA,
    'none.example': MAIL,
    'near.example': MAIL + tlsrpt('v=tlsrptv1; rua=mailto:tlsrpt@near.example'),
    'spacing.example': MAIL + tlsrpt('v=TLSRPTv1 ; rua=mailto:tlsrpt@spacing.example'),
    'bare.example': '@ TXT "no mail here"\n',
    # O-01: control bytes and '|' in the record
    'esc.example': MAIL + '_smtp._tls TXT "v=TLSRPTv1; rua=mailto:a\\027[31m|\\010@esc.example,'
    'mailto:tlsrpt@esc.example"\n',
}


def has(r, text):
    return any(text in l for l in r.lines)


def fixes(r):
    return [l for l in r.lines if l.startswith('fix: ')]


def published(zones, zone, fix):
    """zones with the fix: line's record in place of zone's TLS-RPT
    records (other TXT records at _smtp._tls stay)."""
    body = ''.join(l + '\n' for l in zones[zone].splitlines()
                   if not (l.startswith('_smtp._tls ') and 'v=TLSRPTv1' in l))
    new = dict(zones)
    new[zone] = body + fix[len('fix: '):] + '\n'
    return new


with Nsd(ZONES) as ns:
    def run(*args):
        return run_plugin(P, *args, server=ns)

    r = run('-D', 'good.example', '-v')
    tap.ok(r.rc == 0 and r.first.startswith('TLSRPT OK - good.example: TLS-RPT record with 1 report URI, 1 deliverable'),
           'one record, mailto: to a domain with MX: OK', r)
    tap.ok(r.perf.get('uris') == '1' and r.perf.get('deliverable') == '1' and not fixes(r),
           'perfdata uris=1 deliverable=1, no fix: line', r)
    tap.ok(has(r, '[OK] TLS-RPT record at _smtp._tls.good.example: v=TLSRPTv1; rua=mailto:tlsrpt@good.example')
           and has(r, '3 DNS queries in 1 round trip'),
           'the record shown; record, MX and MTA-STS record in one round trip, the MX reused', r)

    r = run('-D', 'both.example')
    tap.ok(r.rc == 0 and r.perf.get('uris') == '2' and r.perf.get('deliverable') == '2',
           'mailto: and https: with a host that resolves: OK, 2 URIs', r)
    r = run('-D', 'ext.example', '-v')
    tap.ok(r.rc == 0 and has(r, 'implicit.example has no MX but an address'),
           'mailto: domain without MX but with an address (implicit MX): OK', r)

    r = run('-D', 'two.example')
    tap.ok(r.rc == 2 and '2 TLS-RPT records (v=TLSRPTv1)' in r.first,
           'two records: CRITICAL (RFC 8460 3)', r)
    tap.ok(fixes(r) == ['fix: _smtp._tls.two.example. IN TXT "v=TLSRPTv1; rua=mailto:a@two.example"'],
           'two records: the fix keeps the first record\'s URI', r)

    r = run('-D', 'http.example')
    tap.ok(r.rc == 1 and 'rua=http://reports.http.example/x: unusable, http: is not supported' in r.first,
           'P-04 http: URI beside a mailto: one: WARNING naming it', r)
    tap.ok(fixes(r) == ['fix: _smtp._tls.http.example. IN TXT "v=TLSRPTv1; rua=mailto:tlsrpt@http.example"'],
           'P-04 http: the fix keeps the usable mailto: only', r)
    r = run('-D', 'httponly.example')
    tap.ok(r.rc == 2 and has(r, 'rua= has no usable URI') and r.perf.get('deliverable') == '0',
           'P-04 http: as the only URI: CRITICAL, no usable URI', r)
    tap.ok(fixes(r) == ['fix: _smtp._tls.httponly.example. IN TXT "v=TLSRPTv1; rua=mailto:tlsrpt@httponly.example"'],
           'no usable URI: the fix proposes tlsrpt@ the domain', r)
    r = run('-D', 'nodomain.example')
    tap.ok(r.rc == 1 and has(r, 'rua=mailto:tlsrpt@: unusable, no domain after the @'),
           'P-04 mailto: without a domain: WARNING naming it', r)
    r = run('-D', 'many.example', '-v')
    tap.ok(r.rc == 1 and has(r, 'rua= has 100 URIs: those after the first 32 not examined')
           and r.perf.get('uris') == '100' and r.perf.get('deliverable') == '32',
           'P-04 100 URIs: the first 32 examined, all counted: WARNING', r)
    tap.ok(int(r.perf.get('dns_queries', '99')) <= 4,
           'P-04 100 URIs to one domain: its MX asked once (the record over TCP after TC)', r)
    r = run('-D', 'norua.example')
    tap.ok(r.rc == 2 and has(r, 'no rua= field'), 'no rua=: CRITICAL', r)

    # report destinations
    r = run('-D', 'tonoaddr.example')
    tap.ok(r.rc == 2 and 'report domain noaddr.example has no MX and no address' in r.first,
           'mailto: domain with no MX and no address: CRITICAL naming it', r)
    tap.ok(fixes(r) == ['fix: _smtp._tls.tonoaddr.example. IN TXT "v=TLSRPTv1; rua=mailto:tlsrpt@tonoaddr.example"'],
           'undeliverable mailto:: the fix replaces it', r)
    r = run('-D', 'tonull.example')
    tap.ok(r.rc == 2 and 'report domain nullmx.example has a null MX' in r.first,
           'mailto: domain with a null MX: CRITICAL naming it (RFC 7505)', r)
    r = run('-D', 'tonx.example')
    tap.ok(r.rc == 2 and 'report domain gone.example does not exist' in r.first
           and r.perf.get('deliverable') == '1',
           'mailto: domain that does not exist: CRITICAL, the other URI still counted', r)
    tap.ok(fixes(r) == ['fix: _smtp._tls.tonx.example. IN TXT "v=TLSRPTv1; rua=mailto:ok@tonx.example"'],
           'the fix keeps the URI that works', r)
    r = run('-D', 'nohost.example')
    tap.ok(r.rc == 2 and 'host reports.nohost.example does not exist: reports cannot be posted' in r.first,
           'https: host that does not exist: CRITICAL naming it', r)
    r = run('-D', 'noaddrhost.example')
    tap.ok(r.rc == 2 and 'host www.noaddrhost.example has no address (A or AAAA)' in r.first,
           'https: host without address: CRITICAL naming it', r)

    # no record
    r = run('-D', 'sts.example')
    tap.ok(r.rc == 1 and 'no TLS-RPT record while MTA-STS is in use: TLS failures would go unreported'
           in r.first, 'no record with an MTA-STS record: WARNING', r)
    r = run('-D', 'dane.example')
    tap.ok(r.rc == 1 and 'DANE' in r.first and has(r, 'TLSA at _25._tcp.mail.dane.example'),
           'no record with a TLSA record at an MX host: WARNING naming it', r)
    r = run('-D', 'none.example')
    tap.ok(r.rc == 1 and 'no TLS-RPT record at _smtp._tls.none.example: sending servers cannot report'
           in r.first, 'no record, neither MTA-STS nor DANE: WARNING (the default)', r)
    tap.ok(fixes(r) == ['fix: _smtp._tls.none.example. IN TXT "v=TLSRPTv1; rua=mailto:tlsrpt@none.example"'],
           'no record: the fix proposes tlsrpt@ the domain', r)
    tap.ok(r.perf.get('uris') == '0' and r.perf.get('deliverable') == '0', 'no record: uris=0', r)
    r = run('-D', 'none.example', '--parked')
    tap.ok(r.rc == 0 and not fixes(r), '--parked: no record needed', r)
    r = run('-D', 'bare.example')
    tap.ok(r.rc == 1 and not fixes(r) and has(r, '[OK] to fix: publish _smtp._tls.bare.example.'),
           'no record, and the domain takes no mail itself: no fix: line, the record in words', r)
    r = run('-D', 'near.example')
    tap.ok(r.rc == 1 and has(r, 'looks like TLS-RPT but senders ignore it') and has(r, 'no TLS-RPT record'),
           'v=tlsrptv1 (lower case): a near miss, so no record: WARNING', r)
    r = run('-D', 'spacing.example')
    tap.ok(r.rc == 1 and 'space before the \';\' after v=TLSRPTv1' in r.first,
           'spacing outside the grammar: WARNING', r)

    r = run('-D', 'esc.example')
    tap.ok(r.rc == 1 and '\x1b' not in r.out and '\x08' not in r.out
           and '\\x1b' in r.out and r.first.count('|') == 1,
           'O-01 control bytes and | in the record escaped as \\xNN', r)

    r = run('-D', 'good.example', '-w', '1')
    tap.ok(r.rc == 3 and 'do not apply' in (r.out + r.err), '-w refused: UNKNOWN', r)

    # the fix: invariant
    for zone, args in (('two.example', []), ('http.example', []), ('httponly.example', []),
                       ('nodomain.example', []), ('many.example', []), ('norua.example', []),
                       ('tonoaddr.example', []), ('tonull.example', []), ('tonx.example', []),
                       ('nohost.example', []), ('sts.example', []), ('dane.example', []),
                       ('none.example', []), ('spacing.example', [])):
        before = run('-D', zone, *args)
        if len(fixes(before)) != 1:
            tap.ok(False, 'fix invariant %s: one fix: line' % zone, before)
            continue
        with Nsd(published(ZONES, zone, fixes(before)[0])) as ns2:
            after = run_plugin(P, '-D', zone, *args, server=ns2)
        tap.ok(after.rc in (0, 1) and not fixes(after) and not has(after, '[CRITICAL]'),
               'implied: fix invariant %s: published, no fix: line and nothing CRITICAL' % zone, after)

# a DNS error is never a missing record or an undeliverable destination
# (doc/output-contract.md 9)
ZONE = {
    'sf.example': [('MX', 10, 'mail.sf.example')],
    '_smtp._tls.sf.example': [('TXT', [b'v=TLSRPTv1; rua=mailto:r@dest.example'])],
    'dest.example': [('MX', 10, 'mail.dest.example')],
    'sf2.example': [('MX', 10, 'mail.sf2.example')],
    '_smtp._tls.sf2.example': [('TXT', [b'v=TLSRPTv1; rua=mailto:r@dest.example'])],
    'mx.example': [('A', '192.0.2.1')],
}


def servfail(q):
    if q.name in ('_smtp._tls.sf.example', 'dest.example'):
        return Alter(rcode=2)
    return None


with DnsServer(ZONE, faults=servfail) as s:
    r = run_plugin(P, '-D', 'sf.example', server=s)
    tap.ok(r.rc == 2 and 'SERVFAIL' in r.first and 'no TLS-RPT record' not in r.out and not fixes(r),
           'SERVFAIL on the record: a DNS error, never "missing"', r)
    r = run_plugin(P, '-D', 'sf.example', '--dns-error-state=warning', server=s)
    tap.ok(r.rc == 1, '--dns-error-state=warning', r)
    r = run_plugin(P, '-D', 'sf2.example', server=s)
    tap.ok(r.rc == 2 and 'SERVFAIL' in r.first and 'TLS-RPT report domain' in r.first
           and 'bounce' not in r.out and not fixes(r) and r.perf.get('deliverable') == '1',
           'SERVFAIL on a report domain\'s MX: a DNS error, the URI kept', r)

# N-TO-01: a silent server: a DNS error within -t + 1 s
with DnsServer({}, faults=lambda q: 'drop') as s:
    r = run_plugin(P, '-D', 'silent.example', '-t', '2', server=s)
    tap.ok(r.rc == 2 and 'no TLS-RPT record' not in r.out and r.wall <= 3.0 + wall_slack(),
           'N-TO-01 silent server: CRITICAL within -t + 1 s', r)

# --all-ns: two authoritative servers on 127.0.0.1 and 127.0.0.2, one
# port (an NS record cannot name one); ns2 serves an older zone
ADDRS = ['127.0.0.1', '127.0.0.2']


def common_port():
    for _ in range(50):
        port = harness.free_port('127.0.0.1')
        socks, ok = [], True
        try:
            for a in ADDRS:
                for kind in (socket.SOCK_DGRAM, socket.SOCK_STREAM):
                    so = socket.socket(socket.AF_INET, kind)
                    socks.append(so)
                    so.bind((a, port))
        except OSError:
            ok = False
        finally:
            for so in socks:
                so.close()
        if ok:
            return port
    return None


def nsd_at(host, port, zones):
    ns = Nsd(zones)
    ns.host = host
    saved = harness.free_port
    harness.free_port = lambda h=None: port
    try:
        ns.start()
    finally:
        harness.free_port = saved
    return ns


NS2 = '@ NS ns1\nns1 A 127.0.0.1\n@ NS ns2\nns2 A 127.0.0.2\n' + MAIL
GOOD = tlsrpt('v=TLSRPTv1; rua=mailto:tlsrpt@%s')
PORT = common_port()
if PORT is None:
    tap.skip('--all-ns', 'no port free on 127.0.0.1 and 127.0.0.2')
else:
    new = {'gone.example': NS2 + GOOD % 'gone.example', 'other.example': NS2 + GOOD % 'other.example'}
    old = {'gone.example': NS2, 'other.example': NS2 + tlsrpt('v=TLSRPTv1; rua=mailto:old@other.example')}
    ns1 = nsd_at('127.0.0.1', PORT, new)
    try:
        ns2 = nsd_at('127.0.0.2', PORT, old)
        try:
            r = run_plugin(P, '--all-ns', '--allow-internal', '-D', 'gone.example', server=ns1)
            tap.ok(r.rc == 2 and any(l.startswith('[CRITICAL]') and '127.0.0.2' in l
                                     and '_smtp._tls.gone.example' in l for l in r.long),
                   '--all-ns: a server without the record is CRITICAL', r)
            r = run_plugin(P, '--all-ns', '--allow-internal', '-D', 'other.example', server=ns1)
            tap.ok(r.rc == 1 and any(l.startswith('[WARNING]') and '127.0.0.2' in l
                                     and 'old@other.example' in l for l in r.long),
                   '--all-ns: a server with another valid record is a WARNING', r)
        finally:
            ns2.stop()
    finally:
        ns1.stop()

tap.done()
