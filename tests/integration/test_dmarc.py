#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""check_dmarc against a real NSD (and tests/lib/dnsserver.py for the
answers NSD cannot give): every DMARC row of doc/output-contract.md 8,
organisational-domain fallback through co.uk, sp/np, external report
destinations, and the M-01..M-11 rows of doc/hostile-inputs.md by ID."""
import os
import sys

sys.path.insert(0, os.path.join(os.environ.get('top_srcdir', '.'), 'tests', 'lib'))
from harness import wall_slack, TAP, Nsd, run_plugin, txt_rdata, tmpdir  # noqa: E402
from dnsserver import DnsServer, Alter  # noqa: E402

tap = TAP()
P = 'check_dmarc'


def dmarc(rec):
    return '_dmarc TXT %s\n' % txt_rdata(rec)


MAIL = '@ MX 10 mail\nmail A 192.0.2.1\n'

ZONES = {
    # the TLD, where the tree walk (RFC 9989 4.10) ends: no record there
    'example': '',
    'ok.example': MAIL + dmarc('v=DMARC1; p=none; rua=mailto:dmarc@ok.example'),
    'reject.example': MAIL + dmarc('v=DMARC1; p=reject; rua=mailto:dmarc@reject.example; aspf=r; adkim=r'),
    'missing.example': MAIL + 'txt TXT "v=DMARC1; p=reject"\n',
    'pct.example': MAIL + dmarc('v=DMARC1; p=quarantine; pct=50; rua=mailto:dmarc@pct.example'),
    'norua.example': MAIL + dmarc('v=DMARC1; p=none'),
    'multi.example': MAIL + dmarc('v=DMARC1; p=none; rua=mailto:dmarc@multi.example')
    + dmarc('v=DMARC1; p=reject; rua=mailto:dmarc@multi.example'),
    'dup.example': MAIL + dmarc('v=DMARC1; p=none; p=reject; rua=mailto:dmarc@dup.example'),
    'pct101.example': MAIL + dmarc('v=DMARC1; p=none; pct=101; rua=mailto:dmarc@pct101.example'),
    'vlow.example': MAIL + dmarc('v=dmarc1; p=none'),
    'vlast.example': MAIL + dmarc('p=none; v=DMARC1'),
    'v10.example': MAIL + dmarc('v=DMARC10; p=none'),
    'nosemi.example': MAIL + dmarc('v=DMARC1 p=none'),
    'lead.example': MAIL + dmarc('  v=DMARC1; p=none'),
    'm06.example': MAIL + dmarc('v=DMARC1; p=none; rua=mailto:'),
    'https.example': MAIL + dmarc('v=DMARC1; p=none; rua=https://x.example/r, mailto:dmarc@https.example'),
    # M-07: OpenDMARC#62 verbatim, and a record split mid-token
    'm07.example': MAIL + dmarc('v=DMARC1; p=none; rf=afrfruf=mailto:dmarc_fr@dmarc.250ok.net; rua=mailto:dmarc@m07.example'),
    'split.example': MAIL + '_dmarc TXT "v=DMA" "RC1; p=none; rua=mailto:dmarc@spl" "it.example"\n',
    # M-10: wildcard junk answers every name, _dmarc included
    'wild.example': MAIL + '* TXT "junk"\n',
    # org-domain fallback through a multi-label public suffix
    'example.co.uk': MAIL + dmarc('v=DMARC1; p=reject; rua=mailto:dmarc@example.co.uk'),
    'sp.example': MAIL + 'sub A 192.0.2.2\n'
    + dmarc('v=DMARC1; p=reject; sp=none; rua=mailto:dmarc@sp.example'),
    'np.example': MAIL + 'real A 192.0.2.3\n'
    + dmarc('v=DMARC1; p=none; sp=none; np=reject; rua=mailto:dmarc@np.example'),
    'tw.example': MAIL + dmarc('v=DMARC1; p=quarantine; rua=mailto:dmarc@tw.example'),
    # review finding 1: weak policy and no rua on one owner
    'weaknorua.example': MAIL + dmarc('v=DMARC1; p=none; adkim=s'),
    'spnorua.example': MAIL + 'sub A 192.0.2.4\n' + dmarc('v=DMARC1; p=reject; sp=none'),
    'npnorua.example': MAIL + dmarc('v=DMARC1; p=reject; np=none'),
    # review finding 7: invalid records (M-05)
    'bad1.example': MAIL + dmarc('v=DMARC1; p=rejetc; rua=mailto:dmarc@bad1.example'),
    'bad2.example': MAIL + dmarc('v=DMARC1; rua=mailto:dmarc@bad2.example'),
    'bad3.example': MAIL + dmarc('v=DMARC1; p=none; rua=dmarc@bad3.example'),
    'bad4.example': MAIL + dmarc('v=DMARC1; p=none; fo=x; rua=mailto:dmarc@bad4.example'),
    'bad5.example': MAIL + 'sub A 192.0.2.5\n' + dmarc('v=DMARC1; p=reject; sp=bogus'),
    # external destinations: authorised by name, by wildcard, not at all
    'ext.example': MAIL + dmarc('v=DMARC1; p=none; rua=mailto:a@auth.example,mailto:b@noauth.example; ruf=mailto:c@wcdest.example'),
    'auth.example': MAIL + 'ext.example._report._dmarc TXT "v=DMARC1"\n',
    'noauth.example': MAIL + 'other.example._report._dmarc TXT "v=DMARC1"\n',
    'wcdest.example': MAIL + '*._report._dmarc TXT "v=DMARC1"\n',
    'extmx.example': MAIL + dmarc('v=DMARC1; p=none; rua=mailto:a@nomx.example,mailto:b@nullmx.example'),
    'nomx.example': 'www A 192.0.2.9\n*._report._dmarc TXT "v=DMARC1"\n',
    'nullmx.example': '@ MX 0 .\n*._report._dmarc TXT "v=DMARC1"\n',
    # no MX but an address: mail goes to the address (RFC 5321 5.1)
    'extimplicit.example': MAIL + dmarc('v=DMARC1; p=none; rua=mailto:a@implicitmx.example,mailto:b@implicit6.example'),
    'implicitmx.example': '@ A 192.0.2.10\n*._report._dmarc TXT "v=DMARC1"\n',
    'implicit6.example': '@ AAAA 2001:db8::10\n*._report._dmarc TXT "v=DMARC1"\n',
    # N-SIZE-02: 300 other TXT records with the DMARC record last (TCP)
    'many.example': MAIL + ''.join('_dmarc TXT "other record %d"\n' % i for i in range(300))
    + dmarc('v=DMARC1; p=reject; rua=mailto:dmarc@many.example'),
    # N-TXT-03: an empty TXT string beside nothing else
    'empty.example': MAIL + '_dmarc TXT ""\n',
    # O-01: record bytes that must never reach the output raw
    'o01.example': MAIL + '_dmarc TXT "v=DMARC1; p=no|ne\\010\\027[31m; rua=mailto:dmarc@o01.example"\n',
    # implied (O-01 in a web view): U+202E RIGHT-TO-LEFT OVERRIDE in the record
    'bidi.example': MAIL + '_dmarc TXT "v=DMARC1; p=no\\226\\128\\174ne; rua=mailto:dmarc@bidi.example"\n',
    # issue "Verdicts that match the RFCs"
    'ty.example': MAIL + dmarc('v=DMARC1; p=reject; t=y; pct=100; rua=mailto:dmarc@ty.example'),
    'tyq.example': MAIL + dmarc('v=DMARC1; p=quarantine; t=y; rua=mailto:dmarc@tyq.example'),
    'nop.example': MAIL + dmarc('v=DMARC1; rua=mailto:dmarc@nop.example'),
    'nopbad.example': MAIL + dmarc('v=DMARC1; rua=mailto:'),
    'badtags.example': MAIL + dmarc('v=DMARC1; p=reject; adkim=x; aspf=y; ri=1h; fo=9; rf=x; np=bogus; '
                                    'psd=q; t=maybe; rua=mailto:dmarc@badtags.example'),
    'httpsbad.example': MAIL + dmarc('v=DMARC1; p=none; rua=https://[, mailto:dmarc@httpsbad.example'),
    'misplaced.example': MAIL + '@ TXT %s\n' % txt_rdata('v=DMARC1; p=reject; rua=mailto:dmarc@misplaced.example'),
    # the tree walk and the public suffix list find different records
    'diff.example': MAIL + 'www.sub A 192.0.2.6\n'
    + dmarc('v=DMARC1; p=reject; rua=mailto:dmarc@diff.example')
    + '_dmarc.sub TXT %s\n' % txt_rdata('v=DMARC1; p=none; rua=mailto:dmarc@diff.example'),
    'same.example': MAIL + 'www.sub A 192.0.2.7\n'
    + dmarc('v=DMARC1; p=reject; rua=mailto:dmarc@same.example')
    + '_dmarc.sub TXT %s\n' % txt_rdata('v=DMARC1; p=reject; rua=mailto:dmarc@same.example'),
    # a public suffix domain's record (RFC 9989 psd=y) that only the
    # tree walk finds: the PSL has no rule for "test", so nodmarc.test
    # is its own organisational domain
    'test': dmarc('v=DMARC1; p=reject; psd=y; rua=mailto:psd@nodmarc.test'),
    'nodmarc.test': MAIL,
}


def has(r, text):
    return any(text in l for l in r.lines)


def fixes(r):
    return [l for l in r.lines if l.startswith('fix: ')]


with Nsd(ZONES) as ns:
    def run(*args):
        return run_plugin(P, *args, server=ns)

    # -- default states (doc/output-contract.md)
    r = run('-D', 'ok.example')
    tap.ok(r.rc == 0 and r.first.startswith('DMARC OK - ok.example'), 'the guide\'s monitoring record is OK', r)
    tap.ok(r.perf.get('policy') == '0' and r.perf.get('pct') == '100%', 'perfdata policy=0 pct=100%', r)
    tap.ok('time' in r.perf and 'dns_queries' in r.perf, 'perfdata time and dns_queries', r)

    r = run('-D', 'reject.example', '--policy=reject')
    tap.ok(r.rc == 0 and r.perf.get('policy') == '2', 'reject record meets --policy=reject', r)

    r = run('-D', 'missing.example')
    tap.ok(r.rc == 2 and 'no DMARC record' in r.first, 'record missing: CRITICAL', r)
    tap.ok(fixes(r) == ['fix: _dmarc.missing.example. IN TXT "v=DMARC1; p=none; rua=mailto:dmarc@missing.example"'],
           'missing: the guide\'s monitoring-mode record as fix', r)
    r = run('-D', 'missing.example', '--policy=reject')
    tap.ok(r.rc == 2 and has(r, 'fix: _dmarc.missing.example. IN TXT "v=DMARC1; p=reject; rua=mailto:dmarc@missing.example"'),
           'missing with --policy=reject: fix carries p=reject', r)

    r = run('-D', 'ok.example', '--policy=quarantine')
    tap.ok(r.rc == 2 and 'is weaker than the required quarantine' in r.first, 'policy weaker than --policy: CRITICAL', r)
    tap.ok(has(r, 'fix: _dmarc.ok.example. IN TXT "v=DMARC1; p=quarantine; rua=mailto:dmarc@ok.example"'),
           'weaker policy: the record to publish', r)

    r = run('-D', 'pct.example')
    tap.ok(r.rc == 1 and 'pct=50' in r.first and r.perf.get('pct') == '50%', 'pct < 100: WARNING', r)
    tap.ok(r.perf.get('policy') == '0' and has(r, '[OK] pct=: obsolete, removed by RFC 9989')
           and has(r, 'receivers on RFC 9989 apply quarantine, receivers on RFC 7489 none'),
           'pct=50: RFC 7489 receivers apply none to half the mail; pct= obsolete in RFC 9989', r)
    r = run('-D', 'pct.example', '--policy=quarantine')
    tap.ok(r.rc == 2 and 'lowered by pct=' in r.first
           and fixes(r) == ['fix: _dmarc.pct.example. IN TXT "v=DMARC1; p=quarantine; rua=mailto:dmarc@pct.example"'],
           'pct=50 with --policy=quarantine: CRITICAL, the fix drops pct', r)

    r = run('-D', 'norua.example')
    tap.ok(r.rc == 1 and 'no rua=' in r.first, 'no rua: WARNING', r)
    tap.ok(has(r, 'fix: _dmarc.norua.example. IN TXT "v=DMARC1; p=none; rua=mailto:dmarc@norua.example"'),
           'no rua: fix adds rua=', r)
    r = run('-D', 'norua.example', '--no-rua-ok')
    tap.ok(r.rc == 0, '--no-rua-ok accepts a record without rua', r)

    # M-08
    r = run('-D', 'multi.example')
    tap.ok(r.rc == 2 and 'multiple DMARC records' in r.first and 'treated as none' in r.first,
           'M-08 two DMARC records: CRITICAL, treated as none', r)
    # M-03
    r = run('-D', 'dup.example')
    tap.ok(r.rc == 2 and 'duplicate tag p' in r.first, 'M-03 duplicate p: CRITICAL', r)
    # M-05
    r = run('-D', 'pct101.example')
    tap.ok(r.rc == 1 and 'pct=101: out of range (0-100); receivers discard it: pct=100 applies (RFC 7489 6.3)'
           in r.first and not has(r, 'invalid DMARC record'),
           'M-05 pct=101: discarded for the default, a WARNING naming tag, value and default', r)
    # M-04
    for dom, what in (('vlow.example', 'v=dmarc1'), ('vlast.example', 'v not first'),
                      ('v10.example', 'v=DMARC10'), ('nosemi.example', 'no ; after v=DMARC1'),
                      ('lead.example', 'leading spaces')):
        r = run('-D', dom)
        tap.ok(r.rc == 2 and 'no DMARC record' in r.first,
               'M-04 %s: not a DMARC record, so none' % what, r)
    r = run('-D', 'vlow.example')
    tap.ok(has(r, 'is not a DMARC record'), 'M-04 the near miss is shown', r)
    # M-06
    r = run('-D', 'm06.example')
    tap.ok(r.rc == 1 and 'rua=mailto:: malformed URI: empty address' in r.first and has(r, 'no rua='),
           'M-06 rua=mailto: malformed, ignored: WARNING (and no rua left)', r)
    r = run('-D', 'https.example')
    tap.ok(r.rc == 1 and 'mailto' in r.first, 'M-06 https URI: WARNING', r)
    # M-07
    r = run('-D', 'm07.example')
    tap.ok(r.rc == 1 and 'rf=afrfruf=mailto:' in r.first and 'rf=afrf applies' in r.first,
           'M-07 OpenDMARC#62 record: rf= discarded for its default', r)
    r = run('-D', 'split.example')
    tap.ok(r.rc == 0, 'M-07/N-TXT-02 record split mid-token across strings', r)
    # M-10
    r = run('-D', 'wild.example')
    tap.ok(r.rc == 2 and 'no DMARC record' in r.first, 'M-10 wildcard junk TXT: CRITICAL no DMARC record', r)
    tap.ok(r.perf.get('dns_queries') == '4' and not has(r, 'at wild.example itself'),
           'M-10 _dmarc.wild.example asked once (with the MX, then the TLD and TXT wild.example)', r)

    # org-domain fallback through co.uk (needs no network: the PSL is local)
    r = run('-D', 'mail.example.co.uk', '-v')
    tap.ok(r.rc == 0 and r.perf.get('policy') == '2', 'fallback to example.co.uk through co.uk', r)
    tap.ok(has(r, '_dmarc.example.co.uk') and has(r, 'inherited'), 'fallback reported as inherited', r)
    r = run('-D', 'a.b.mail.example.co.uk', '-v')
    tap.ok(r.rc == 0 and r.perf.get('dns_queries') == '6' and has(r, '6 DNS queries in 3 round trips'),
           'tree walk: 4 _dmarc names, TXT of the name, the rua MX asked with the first: 6 in 3 round trips', r)
    r = run('-D', 'a.b.mail.example.co.uk', '-v', '--psl-discovery')
    tap.ok(r.rc == 0 and r.perf.get('dns_queries') == '6' and not has(r, 'different policies'),
           '--psl-discovery: the same record, both methods asked, nothing twice', r)

    # sp / np
    r = run('-D', 'sub.sp.example', '--policy=quarantine')
    tap.ok(r.rc == 2 and 'policy none' in r.first, 'subdomain policy via sp=none is weaker', r)
    tap.ok(has(r, 'fix: _dmarc.sub.sp.example. IN TXT "v=DMARC1; p=quarantine; rua=mailto:dmarc@sp.example"'),
           'sp: fix publishes the subdomain\'s own record', r)
    r = run('-D', 'sp.example', '--policy=quarantine')
    tap.ok(r.rc == 0 and r.perf.get('policy') == '2', 'the organisational domain itself: p= applies, not sp=', r)
    r = run('-D', 'ghost.np.example', '--policy=reject')
    tap.ok(r.rc == 0 and r.perf.get('policy') == '2' and has(r, 'np='),
           'np= applies to a domain with no A/AAAA/MX (RFC 9091)', r)
    r = run('-D', 'real.np.example', '--policy=reject')
    tap.ok(r.rc == 2 and r.perf.get('policy') == '0', 'an existing subdomain gets sp=, not np=', r)

    # review finding 7 (M-05): an invalid record is no [OK] and gets the
    # record corrected as its fix: the tag fixed or dropped
    # RFC 7489 6.3: invalid values are discarded for the defaults, and
    # without a valid p= a valid rua= URI makes it none (6.6.3 step 6):
    # WARNINGs, with the record corrected as the fix
    for dom, args, rc, first, want, what in (
            ('bad1.example', (), 1, 'p=rejetc: invalid policy (none, quarantine or reject): receivers apply none',
             'v=DMARC1; p=reject; rua=mailto:dmarc@bad1.example', 'p=rejetc: the policy meant'),
            ('bad2.example', (), 1, 'p= missing: receivers apply none',
             'v=DMARC1; p=none; rua=mailto:dmarc@bad2.example', 'p= missing: added'),
            ('bad2.example', ('--policy=quarantine',), 2, 'policy none (p=) is weaker than the required quarantine',
             'v=DMARC1; p=quarantine; rua=mailto:dmarc@bad2.example', 'p= missing is none for --policy'),
            ('bad3.example', (), 1, 'rua=dmarc@bad3.example: malformed URI: no URI scheme',
             'v=DMARC1; p=none; rua=mailto:dmarc@bad3.example', 'rua= without mailto:'),
            ('bad4.example', (), 1, 'fo=x: invalid option x (0, 1, d or s); receivers discard it: fo=0 applies',
             'v=DMARC1; p=none; rua=mailto:dmarc@bad4.example', 'fo=x dropped'),
            ('bad4.example', ('--policy=quarantine',), 2, 'weaker than the required quarantine',
             'v=DMARC1; p=quarantine; rua=mailto:dmarc@bad4.example', 'fo=x dropped, p= raised to --policy'),
            ('bad5.example', (), 1, "sp=bogus: invalid policy (none, quarantine or reject); receivers discard it: "
             "sp= takes p='s policy", 'v=DMARC1; p=reject; rua=mailto:dmarc@bad5.example',
             'sp=bogus dropped, rua added')):
        r = run('-D', dom, *args)
        tap.ok(r.rc == rc and first in r.first and not has(r, 'invalid DMARC record'),
               'M-05 %s: %s' % (what, 'WARNING' if rc == 1 else 'CRITICAL'), r)
        tap.ok(fixes(r) == ['fix: _dmarc.%s. IN TXT "%s"' % (dom, want)], 'M-05 %s: the fix' % what, r)
    r = run('-D', 'sub.bad5.example')
    tap.ok(r.rc == 1 and r.perf.get('policy') == '2'
           and fixes(r) == ['fix: _dmarc.bad5.example. IN TXT "v=DMARC1; p=reject; rua=mailto:dmarc@bad5.example"'],
           'M-05 an inherited record with sp=bogus: p= applies, fixed where it is', r)
    r = run('-D', 'nopbad.example')
    tap.ok(r.rc == 2 and 'p= missing and no valid rua= URI' in r.first
           and not any(l.startswith('[OK] DMARC record') for l in r.lines),
           'no p= and no valid rua=: CRITICAL, no policy at all', r)
    r = run('-D', 'nop.example', '--policy=none')
    tap.ok(r.rc == 1 and 'p= missing: receivers apply none' in r.first and r.perf.get('policy') == '0',
           'no p=, a valid rua=: WARNING, acted on as none', r)
    r = run('-D', 'badtags.example')
    warned = [l for l in r.lines if l.startswith('[WARNING]') and 'receivers discard it' in l]
    tap.ok(r.rc == 1 and len(warned) == 8 and r.perf.get('policy') == '2'
           and all(t in r.out for t in ('adkim=r applies', 'aspf=r applies', 'ri=86400 applies', 'fo=0 applies',
                                        'rf=afrf applies', "np= takes sp='s policy", 'psd=u applies', 't=n applies')),
           'eight invalid tag values: one WARNING each naming the default; p=reject still applies', r)
    r = run('-D', 'httpsbad.example')
    tap.ok(r.rc == 1 and has(r, '[WARNING] rua=https://[: malformed URI: unclosed [ in the host')
           and not has(r, 'rua=https://[: receivers need only'),
           'rua=https://[ named as malformed', r)

    # t=y (RFC 9989 4.7): receivers apply the next lower policy
    r = run('-D', 'ty.example')
    tap.ok(r.rc == 1 and r.perf.get('policy') == '1' and has(r, 't=y: receivers on RFC 9989 apply quarantine'),
           't=y: reject lowered to quarantine, a WARNING', r)
    tap.ok(has(r, 'receivers on RFC 9989 apply quarantine (t=y), receivers on RFC 7489 reject'),
           't=y: RFC 7489 receivers ignore it: the standards differ', r)
    r = run('-D', 'ty.example', '--policy=reject')
    tap.ok(r.rc == 2 and 'policy quarantine (p=reject lowered by t=y) is weaker than the required reject' in r.first
           and fixes(r) == ['fix: _dmarc.ty.example. IN TXT "v=DMARC1; p=reject; rua=mailto:dmarc@ty.example"'],
           't=y with --policy=reject: CRITICAL, the fix drops t=y and pct', r)
    r = run('-D', 'tyq.example', '--policy=quarantine')
    tap.ok(r.rc == 2 and r.perf.get('policy') == '0', 't=y: quarantine lowered to none', r)

    # the two discovery methods (RFC 9989 4.10 and RFC 7489 6.6.3)
    r = run('-D', 'www.sub.diff.example')
    tap.ok(r.rc == 1 and r.perf.get('policy') == '0' and has(r, '_dmarc.sub.diff.example')
           and 'receivers on RFC 9989 (DNS tree walk) use the record at _dmarc.sub.diff.example and apply none; '
           'receivers on RFC 7489 (public suffix list) use the record at _dmarc.diff.example and apply reject'
           in r.out, 'tree walk and PSL find different records: WARNING naming both', r)
    r = run('-D', 'www.sub.diff.example', '--psl-discovery')
    tap.ok(r.rc == 1 and r.perf.get('policy') == '2' and 'receivers on RFC 7489 (public suffix list) use the '
           'record at _dmarc.diff.example and apply reject' in r.out,
           '--psl-discovery: the organisational record checked, the difference named', r)
    r = run('-D', 'www.sub.same.example')
    tap.ok(r.rc == 1 and r.perf.get('policy') == '2' and has(r, 'apply reject: the old and the new standard '
                                                              'find different records'),
           'different records with the same policy: WARNING that the records differ', r)
    r = run('-D', 'nodmarc.test')
    tap.ok(r.rc == 1 and r.perf.get('policy') == '2' and has(r, '_dmarc.test')
           and has(r, 'receivers on RFC 7489 (public suffix list) find no DMARC record: no policy'),
           'a PSD record only the tree walk finds: its policy, the difference named', r)
    r = run('-D', 'nodmarc.test', '--psl-discovery')
    tap.ok(r.rc == 2 and 'no DMARC record at _dmarc.nodmarc.test' in r.first
           and has(r, 'receivers on RFC 9989 (DNS tree walk) find the record at _dmarc.test'),
           '--psl-discovery: none for RFC 7489 receivers, the tree walk\'s record named', r)
    r = run('-D', 'ok.example', '--tree-walk')
    tap.ok(r.rc == 0, '--tree-walk is still accepted (the default)', r)

    # a record at the domain itself, where receivers never look
    r = run('-D', 'misplaced.example')
    tap.ok(r.rc == 2 and has(r, '[WARNING] a DMARC record is published at misplaced.example itself, where '
                                'receivers never look: it belongs at _dmarc.misplaced.example')
           and fixes(r) == ['fix: _dmarc.misplaced.example. IN TXT "v=DMARC1; p=reject; '
                            'rua=mailto:dmarc@misplaced.example"'],
           'misplaced record: WARNING, and the fix publishes it at _dmarc', r)

    # cost: the rua mailbox's MX in the batch of _dmarc: one round trip
    r = run('-D', 'ok.example', '-v')
    tap.ok(r.rc == 0 and has(r, '2 DNS queries in 1 round trip'), 'a typical run: 2 queries, one round trip', r)

    # review finding 1: every edit for one owner in ONE fix: line (two
    # would publish two records there, and two DMARC records are none)
    r = run('-D', 'weaknorua.example', '--policy=reject')
    tap.ok(r.rc == 2 and fixes(r) == ['fix: _dmarc.weaknorua.example. IN TXT '
                                      '"v=DMARC1; p=reject; adkim=s; rua=mailto:dmarc@weaknorua.example"'],
           'weak policy and no rua: one fix line with both edits', r)
    r = run('-D', 'sub.spnorua.example', '--policy=quarantine')
    tap.ok(r.rc == 2 and fixes(r) == [
        'fix: _dmarc.sub.spnorua.example. IN TXT "v=DMARC1; p=quarantine; rua=mailto:dmarc@spnorua.example"',
        'fix: _dmarc.spnorua.example. IN TXT "v=DMARC1; p=reject; sp=none; rua=mailto:dmarc@spnorua.example"'],
           'sp weaker and no rua: one fix line per owner, each with every edit', r)
    r = run('-D', 'ghost.npnorua.example', '--policy=reject')
    tap.ok(r.rc == 2 and fixes(r) == ['fix: _dmarc.npnorua.example. IN TXT '
                                      '"v=DMARC1; p=reject; np=reject; rua=mailto:dmarc@npnorua.example"'],
           'np weaker and no rua: one fix line on the organisational record', r)

    # external destinations (RFC 7489 7.1)
    r = run('-D', 'ext.example')
    tap.ok(r.rc == 1 and 'noauth.example has not authorised' in r.first, 'external rua not authorised: WARNING', r)
    tap.ok(has(r, 'fix: ext.example._report._dmarc.noauth.example. IN TXT "v=DMARC1"'),
           'not authorised: the record the destination must publish', r)
    tap.ok(has(r, 'auth.example authorises reports for ext.example'), 'authorised destination OK', r)
    tap.ok(has(r, 'wcdest.example authorises reports'), 'wildcard *._report._dmarc authorises', r)
    r = run('-D', 'extmx.example')
    tap.ok(r.rc == 1 and has(r, 'nomx.example has no MX'), 'report domain without MX: WARNING', r)
    tap.ok(has(r, 'nullmx.example has a null MX'), 'report domain with null MX: WARNING', r)
    tap.ok(has(r, '[WARNING] report domain nomx.example has no MX record and no address'),
           'report domain with neither MX nor address: WARNING naming both', r)
    r = run('-D', 'extimplicit.example', '-v')
    tap.ok(r.rc == 0 and r.first.startswith('DMARC OK')
           and has(r, '[OK] report domain implicitmx.example has no MX but an address: reports go there '
                      '(implicit MX, RFC 5321 5.1)')
           and has(r, '[OK] report domain implicit6.example has no MX but an address'),
           'report domain without MX but with an A or only an AAAA: OK, the implicit MX named', r)
    # _dmarc TXT with the domain's MX; both report domains' MX and
    # authorisation; then both domains' A and AAAA in ONE more batch
    tap.ok(has(r, '10 DNS queries in 3 round trips'),
           'the report domains\' A/AAAA: one more round trip for all, only when an MX is missing', r)
    r = run('-D', 'ext.example', '-v')
    tap.ok(has(r, 'DNS queries in 2 round trips'), 'report domains with MX: no address batch', r)

    # tree walk (RFC 9989 4.10)
    r = run('-D', 'a.b.c.d.e.f.g.h.i.tw.example', '--tree-walk')
    tap.ok(r.rc == 0 and r.perf.get('policy') == '1', 'tree walk finds tw.example', r)
    tap.ok(int(r.perf.get('dns_queries', '99')) <= 10,
           'M-11 tree walk: at most 8 _dmarc queries, the MX and TXT of the name', r)

    # M-11: PSL missing / corrupt: the built-in list, and the problem shown
    r = run('-D', 'mail.example.co.uk', '--psl-file=/nonexistent/psl.dat')
    tap.ok(r.rc == 3 and 'built-in' in r.first and r.perf.get('policy') == '2',
           'M-11 PSL missing: UNKNOWN naming the fallback, result still found', r)
    junk = os.path.join(tmpdir(), 'junk.dat')
    with open(junk, 'wb') as f:
        f.write(b'\x00\x01garbage\nnot a list\n')
    r = run('-D', 'mail.example.co.uk', '--psl-file=' + junk)
    tap.ok(r.rc == 3 and 'corrupt' in r.first and has(r, 'inherited'), 'M-11 PSL corrupt: built-in list used', r)
    # M-11: a name of 123 labels (253 characters): _dmarc cannot be
    # prepended, the organisational domain is still found, bounded
    long_name = 'a.' * 121 + 'ok.example'
    r = run('-D', long_name)
    tap.ok(r.rc == 0 and r.perf.get('dns_queries') == '8', 'M-11 123-label name: org domain found, bounded', r)
    r = run('-D', long_name, '--tree-walk')
    tap.ok(r.rc == 0 and int(r.perf.get('dns_queries', '99')) <= 10, 'M-11 123-label name, tree walk bounded', r)

    r = run('-D', 'many.example')
    tap.ok(r.rc == 0 and r.perf.get('policy') == '2', 'N-SIZE-02 DMARC record after 300 other TXT records', r)
    r = run('-D', 'empty.example')
    tap.ok(r.rc == 2 and 'no DMARC record' in r.first, 'N-TXT-03 an empty TXT is no record', r)

    # O-01: '|', BS and ESC from the record are escaped
    r = run('-D', 'o01.example')
    tap.ok(r.rc == 2 and r.first.count('|') == 1 and '\x08' not in r.out and '\x1b' not in r.out
           and 'tag p' in r.first, 'O-01 record bytes escaped in the output', r)
    # implied: a bidi override from DNS would reverse the rest of the line
    # in Icinga Web; it is printed as \xNN bytes like a control byte
    r = run('-D', 'bidi.example')
    tap.ok(r.rc == 2 and '\u202e' not in r.out and '\\xe2\\x80\\xae' in r.out,
           'implied U+202E from a TXT record escaped as \\xe2\\x80\\xae', r)

    # our own inputs
    r = run('-D', 'ok.example', '--policy=bogus')
    tap.ok(r.rc == 3, 'bad --policy: UNKNOWN', r)
    r = run('-D', 'ok.example', '-w', '1')
    tap.ok(r.rc == 3, '-w does not apply: UNKNOWN', r)

# -- faults and sizes from the crafted server
ZONE = {
    'sf.example': [('MX', 10, 'mail.sf.example')],
    '_dmarc.sf.example': [('TXT', [b'v=DMARC1; p=none'])],
}


def servfail(q):
    if q.name == '_dmarc.sf.example':
        return Alter(rcode=2)
    return None


with DnsServer(ZONE, faults=servfail) as s:
    r = run_plugin(P, '-D', 'sf.example', server=s)
    tap.ok(r.rc == 2 and 'SERVFAIL' in r.first and 'no DMARC record' not in r.out,
           'SERVFAIL is a DNS error, never "missing"', r)
    r = run_plugin(P, '-D', 'sf.example', '--dns-error-state=warning', server=s)
    tap.ok(r.rc == 1, '--dns-error-state=warning', r)

# invalid domains on the command line are UNKNOWN
# and cost no query
with DnsServer({'ok.example': [('MX', 10, 'mail.ok.example')]}) as s:
    for dom, what in (('a' * 64 + '.example', 'X-01 64-byte label'),
                      ('a.' * 127 + 'example', 'X-01 name over 253 bytes'),
                      ('a..example', 'X-05 empty label'), ('', 'X-05 empty argument'),
                      ('exa(mple.com', 'X-06 ( in the domain'), ('a b.example', 'X-06 space'),
                      ('\u2603.example', 'X-03 IDN that IDNA2008 disallows')):
        r = run_plugin(P, '-D', dom, server=s)
        tap.ok(r.rc == 3, '%s: UNKNOWN' % what, r)
    tap.ok(s.count() == 0, 'X-01..X-06 no query sent for a bad domain', s.queries)


# a DNS error on the authorisation query is a DNS error, not "not authorised"
def auth_fail(q):
    return Alter(rcode=2) if '._report._dmarc.' in q.name else None


ZONE = {
    'ea.example': [('MX', 10, 'mail.ea.example')],
    '_dmarc.ea.example': [('TXT', [b'v=DMARC1; p=none; rua=mailto:r@dest.example'])],
    'dest.example': [('MX', 10, 'mail.dest.example')],
}
with DnsServer(ZONE, faults=auth_fail) as s:
    r = run_plugin(P, '-D', 'ea.example', server=s)
    tap.ok(r.rc == 2 and 'SERVFAIL' in r.first and 'report authorisation' in r.first
           and 'not authorised' not in r.out, 'SERVFAIL on _report._dmarc: DNS error', r)

# a report domain without MX whose A lookup fails: a DNS error, not "no
# MX and no address"; an AAAA beside the failure is still the implicit MX
def addr_fail(q):
    return Alter(rcode=2) if q.name.startswith('reports') and q.type == 'A' else None


ZONE = {
    'am.example': [('MX', 10, 'mail.am.example')],
    '_dmarc.am.example': [('TXT', [b'v=DMARC1; p=none; rua=mailto:r@reports.am.example'])],
    'reports.am.example': [('TXT', [b'no MX, no address'])],
    'a6.example': [('MX', 10, 'mail.a6.example')],
    '_dmarc.a6.example': [('TXT', [b'v=DMARC1; p=none; rua=mailto:r@reports6.a6.example'])],
    'reports6.a6.example': [('AAAA', '2001:db8::6')],
}
with DnsServer(ZONE, faults=addr_fail) as s:
    r = run_plugin(P, '-D', 'am.example', server=s)
    tap.ok(r.rc == 2 and 'SERVFAIL' in r.first and 'report mailbox address' in r.first
           and 'no address' not in r.out, 'report domain without MX, A SERVFAIL: DNS error', r)
    r = run_plugin(P, '-D', 'a6.example', server=s)
    tap.ok(r.rc == 0 and has(r, '[OK] report domain reports6.a6.example has no MX but an address')
           and 'SERVFAIL' not in r.out, 'report domain without MX, A SERVFAIL, an AAAA: implicit MX, OK', r)

# review finding 5c: for np= (RFC 9091) one A, AAAA or MX record proves
# the domain exists; a failure of another of the three is then no DNS error
ZONE = {
    'ex.example': [('MX', 10, 'mail.ex.example')],
    '_dmarc.ex.example': [('TXT', [b'v=DMARC1; p=reject; np=none; rua=mailto:d@ex.example'])],
    'www.ex.example': [('A', '192.0.2.1')],
}


def aaaa_fail(q):
    return Alter(rcode=2) if q.name in ('www.ex.example', 'ghost.ex.example') and q.type == 'AAAA' else None


with DnsServer(ZONE, faults=aaaa_fail) as s:
    r = run_plugin(P, '-D', 'www.ex.example', '--policy=reject', server=s)
    tap.ok(r.rc == 0 and 'existence' not in r.out and r.perf.get('policy') == '2',
           'np: an A record proves existence, a SERVFAIL on AAAA is no DNS error', r)
    r = run_plugin(P, '-D', 'ghost.ex.example', '--policy=reject', server=s)
    tap.ok(r.rc == 2 and 'SERVFAIL' in r.first and 'existence (np=)' in r.out,
           'np: no record found and AAAA SERVFAIL: still a DNS error', r)

# N-TO-01: a silent server: a DNS error (CRITICAL) within -t + 1 s
with DnsServer({}, faults=lambda q: 'drop') as s:
    r = run_plugin(P, '-D', 'silent.example', '-t', '2', server=s)
    tap.ok(r.rc == 2 and 'no DMARC record' not in r.out and r.wall <= 3.0 + wall_slack(),
           'N-TO-01 silent server: CRITICAL within -t + 1 s', r)
    r = run_plugin(P, '-D', 'silent.example', '-t', '2:unknown', '--dns-error-state=unknown', server=s)
    tap.ok(r.rc == 3 and r.wall <= 3.0 + wall_slack(), 'N-TO-01 with -t 2:unknown --dns-error-state=unknown: UNKNOWN', r)

# M-01: 1,000 rua URIs (about 27 KB over TCP), one destination domain
uris = ','.join('mailto:r%d@m01.example' % i for i in range(1000))
ZONE = {
    'm01.example': [('MX', 10, 'mail.m01.example')],
    '_dmarc.m01.example': [('TXT', ('v=DMARC1; p=none; rua=' + uris).encode())],
}
with DnsServer(ZONE) as s:
    r = run_plugin(P, '-D', 'm01.example', server=s)
    tap.ok(r.rc == 1 and '1000 rua URIs (receivers need only support 2, RFC 7489 6.2)' in r.first,
           'M-01 1,000 rua URIs: WARNING, counted', r)
    tap.ok(s.count(type='TXT', transport='tcp') >= 1, 'M-01 the record came over TCP', s.queries)

# M-02: 1,000 unknown tags
tags = ''.join('; x%d=y' % i for i in range(1000))
ZONE = {
    'm02.example': [('MX', 10, 'mail.m02.example')],
    '_dmarc.m02.example': [('TXT', ('v=DMARC1; p=none; rua=mailto:d@m02.example' + tags).encode())],
}
with DnsServer(ZONE) as s:
    r = run_plugin(P, '-D', 'm02.example', '-v', server=s)
    tap.ok(r.rc == 0 and has(r, 'unknown tags ignored') and has(r, '(1000 in all)'),
           'M-02 1,000 unknown tags ignored, listed with -v', r)

# M-09: 1,000 distinct external destinations: at most 10 verified
uris = ','.join('mailto:r@d%d.example' % i for i in range(1000))
ZONE = {
    'm09.example': [('MX', 10, 'mail.m09.example')],
    '_dmarc.m09.example': [('TXT', ('v=DMARC1; p=none; rua=' + uris).encode())],
}
with DnsServer(ZONE) as s:
    r = run_plugin(P, '-D', 'm09.example', server=s)
    tap.ok(r.rc == 1 and has(r, 'not verified'), 'M-09 destinations beyond 10: not verified, WARNING', r)
    report_q = sum(1 for q in s.queries if '._report._dmarc.' in q[0])
    mx_q = s.count(type='MX')
    tap.ok(report_q <= 10 and mx_q <= 11,
           'M-09 at most 10 authorisation and 10 + 1 MX queries (%d, %d)' % (report_q, mx_q),
           s.queries)

# M-11: the tree walk on a 12-label name with no record anywhere
with DnsServer({'nowhere.example': [('MX', 10, 'mx.nowhere.example')]}) as s:
    r = run_plugin(P, '-D', 'a.b.c.d.e.f.g.h.i.j.nowhere.example', '--tree-walk', server=s)
    n = sum(1 for q in s.queries if q[0].startswith('_dmarc.'))
    tap.ok(r.rc == 2 and 'no DMARC record' in r.first and n <= 8,
           'M-11 tree walk: no record in %d _dmarc queries (at most 8)' % n, r)

tap.done()
