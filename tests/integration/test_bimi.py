#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""check_bimi against a real NSD and a real nginx (tests/lib/httpsrig.py)
in a network namespace: the assertion record and the organisational
domain's, the DMARC requirement (through check_dmarc's discovery), the
SVG indicator against SVG Tiny PS (R-08), the VMC (a test mark CA made
with the openssl CLI: logotype extension, BIMI EKU, names, dates) and
every way a fetch fails (H-01..H-04), each within -t.

Needs root, iproute2, nginx and openssl; otherwise one TAP skip.
"""

import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.environ.get('top_srcdir', '.'), 'tests', 'lib'))
from httpsrig import enter_netns, HttpsRig  # noqa: E402

enter_netns('bimi', __file__, name='check_bimi against NSD and nginx in a network namespace')

# ---------------------------------------------------------------- inside the namespace

from harness import (TAP, Nsd, run_plugin, txt_rdata, check_bounds,  # noqa: E402
                     valgrind_prefix)
from smtpfake import TestCA  # noqa: E402

tap = TAP()
P = 'check_bimi'
HOST = 'https://good.example.com/'

SVG_OPEN = ('<svg xmlns="http://www.w3.org/2000/svg" version="1.2" baseProfile="tiny-ps" '
            'viewBox="0 0 100 100">')
TITLE = '<title>Example Brand</title>'
RECT = '<rect width="100" height="100" fill="#c00"/>'
SVGS = {
    'logo.svg': SVG_OPEN + TITLE + RECT + '</svg>',
    'script.svg': SVG_OPEN + TITLE + RECT + '<script>alert(1)</script></svg>',
    'href.svg': (SVG_OPEN.replace('>', ' xmlns:xlink="http://www.w3.org/1999/xlink">', 1)
                 + TITLE + '<use xlink:href="https://evil.example.net/x.svg#a"/></svg>'),
    'tiny.svg': SVG_OPEN.replace('tiny-ps', 'tiny') + TITLE + RECT + '</svg>',
    # over 32 KiB: a comment pads a valid document
    'big.svg': SVG_OPEN + TITLE + RECT + '<!--' + 'x' * 33000 + '--></svg>',
}

VMC_EXT = """[vmc]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = 1.3.6.1.5.5.7.3.31
subjectAltName = {san}
{logo}
"""


def vmc(ca, name, san, logotype=True, start=None, end=None, days=365):
    """A VMC for san issued by ca (leaf then the CA, as published), with
    the logotype extension (RFC 3709; an empty sequence is enough to be
    present) and the BIMI EKU. Returns its PEM bytes."""
    base = os.path.join(ca.dir, name)
    with open(base + '.ext', 'w') as f:
        f.write(VMC_EXT.format(san='DNS:' + san,
                               logo='1.3.6.1.5.5.7.1.12 = DER:3000' if logotype else ''))
    subprocess.run(['openssl', 'req', '-new', '-newkey', 'ec', '-pkeyopt',
                    'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=' + san,
                    '-keyout', base + '.key', '-out', base + '.csr'],
                   check=True, capture_output=True)
    dates = (['-startdate', start, '-enddate', end] if start else ['-days', str(days)])
    subprocess.run(['openssl', 'ca', '-batch', '-config', ca.cnf, '-extfile', base + '.ext',
                    '-extensions', 'vmc', '-cert', ca.cert, '-keyfile', ca.key,
                    '-in', base + '.csr', '-out', base + '.pem', '-notext', *dates],
                   check=True, capture_output=True)
    with open(base + '.pem', 'rb') as f, open(ca.cert, 'rb') as c:
        return f.read() + c.read()


def bimi(l, a=None, extra=''):
    rec = 'v=BIMI1; l=%s' % l
    if a is not None:
        rec += '; a=%s' % a
    return 'default._bimi TXT %s\n' % txt_rdata(rec + extra)


def dmarc(rec='v=DMARC1; p=reject; rua=mailto:d@example.com'):
    return '_dmarc TXT %s\n' % txt_rdata(rec)


GOOD = bimi(HOST + 'logo.svg', HOST + 'vmc.pem')
NOVMC = bimi(HOST + 'logo.svg')     # for the DMARC cases: nothing else to fail


def has(r, text):
    return any(text in l for l in r.lines)


rig = HttpsRig()
try:
    www = os.path.join(rig.dir, 'www')
    for n, body in SVGS.items():
        with open(os.path.join(www, n), 'w') as f:
            f.write(body)
    mca = TestCA(os.path.join(rig.dir, 'vmcca'), cn='maildns Test Mark CA')
    for n, pem in {
        'vmc.pem': vmc(mca, 'good', 'ok.example'),
        'expired.pem': vmc(mca, 'expired', 'vexpired.example', start='20200101000000Z',
                           end='20210101000000Z'),
        'soon.pem': vmc(mca, 'soon', 'vsoon.example', days=10),
        'wrongname.pem': vmc(mca, 'wrongname', 'other.example'),
        'nologo.pem': vmc(mca, 'nologo', 'vnologo.example', logotype=False),
    }.items():
        with open(os.path.join(www, n), 'wb') as f:
            f.write(pem)
    ZONES = {
        'example.com': rig.zone,
        'example': '',          # where the DMARC tree walk ends
        'ok.example': GOOD + dmarc(),
        'none.example': dmarc(),
        'pnone.example': NOVMC + dmarc('v=DMARC1; p=none; rua=mailto:d@example.com'),
        'pct.example': NOVMC + dmarc('v=DMARC1; p=quarantine; pct=50'),
        'nodmarc.example': NOVMC,
        'orgsp.example': dmarc('v=DMARC1; p=reject; sp=none')
        + 'mail A 192.0.2.1\n' + bimi(HOST + 'logo.svg', '', '').replace(
            'default._bimi', 'default._bimi.mail') + '_dmarc.mail TXT "v=DMARC1; p=reject"\n',
        'script.example': bimi(HOST + 'script.svg') + dmarc(),
        'href.example': bimi(HOST + 'href.svg') + dmarc(),
        'tiny.example': bimi(HOST + 'tiny.svg') + dmarc(),
        'big.example': bimi(HOST + 'big.svg') + dmarc(),
        'vexpired.example': bimi(HOST + 'logo.svg', HOST + 'expired.pem') + dmarc(),
        'vsoon.example': bimi(HOST + 'logo.svg', HOST + 'soon.pem') + dmarc(),
        'vwrong.example': bimi(HOST + 'logo.svg', HOST + 'wrongname.pem') + dmarc(),
        'vnologo.example': bimi(HOST + 'logo.svg', HOST + 'nologo.pem') + dmarc(),
        'tlsname.example': bimi('https://wrongname.example.com/logo.svg') + dmarc(),
        'redirect.example': bimi(HOST + 'redirect-other') + dmarc(),
        'missing.example': bimi(HOST + 'missing') + dmarc(),
        'slow.example': bimi('https://raw.example.com/slow') + dmarc(),
        'declined.example': 'default._bimi TXT "v=BIMI1; l=; a="\n' + dmarc(),
        # O-01: control bytes and | in the record (the parser refuses them; shown escaped)
        'ctl.example': 'default._bimi TXT "v=BIMI1; l=%slogo.svg; x=a\\027[31m|b"\n' % HOST
        + dmarc(),
        # a full finding list: 60 unknown tags (-v notes) and no l=
        'full.example': 'default._bimi TXT "v=BIMI1; %s; " "%s"\n'
        % ('; '.join('t%d=x' % i for i in range(30)), '; '.join('t%d=x' % i for i in range(30, 60)))
        + dmarc(),
    }
    with Nsd(ZONES) as ns:
        CA = ('--ca-file', rig.ca, '--vmc-ca-file', mca.cert)

        def run(dom, *args, t=5):
            return run_plugin(P, '-D', dom, '-t', t, *CA, *args, server=ns)

        # ---- the good path
        r = run('ok.example', '-v')
        tap.ok(r.rc == 0 and r.first.startswith('BIMI OK - ok.example: BIMI record at '
                                                'default._bimi.ok.example')
               and "logo 'Example Brand'" in r.first and 'VMC valid for' in r.first
               and 'svg_bytes=' in r.perfdata and 'cert_days=' in r.perfdata
               and has(r, '[OK] DMARC policy reject'),
               'record, SVG Tiny PS and a verified VMC: OK, perfdata svg_bytes and cert_days', r)
        for line in r.lines:
            tap.diag('good path: ' + line)
        r = run('www.ok.example')
        tap.ok(r.rc == 0 and has(r, "the organisational domain's")
               and 'default._bimi.ok.example' in r.first,
               "no record at the domain: the organisational domain's is used and named "
               "(draft 7.2)", r)
        r = run('none.example')
        tap.ok(r.rc == 2 and 'no BIMI record at default._bimi.none.example' in r.first,
               'no record: CRITICAL no BIMI record', r)
        r = run('ok.example', '-S', 'brand2')
        tap.ok(r.rc == 2 and 'no BIMI record at brand2._bimi.ok.example' in r.first,
               '-S SELECTOR asks SELECTOR._bimi.DOMAIN', r)
        r = run('none.example', '--parked')
        tap.ok(r.rc == 0 and 'no BIMI record, as a parked domain should have' in r.first,
               '--parked: no record is OK', r)
        r = run('ok.example', '--parked')
        tap.ok(r.rc == 1 and has(r, '[WARNING] parked domain publishes a BIMI record')
               and 'svg_bytes' not in r.perfdata,
               '--parked: a record is a WARNING, nothing fetched', r)
        r = run('declined.example')
        tap.ok(r.rc == 1 and has(r, 'declin'), 'l= and a= empty: a declination, WARNING', r)

        # ---- DMARC
        r = run('pnone.example')
        tap.ok(r.rc == 2 and has(r, '[CRITICAL] DMARC policy none (p= at _dmarc.pnone.example')
               and has(r, 'fix: _dmarc.pnone.example. IN TXT "v=DMARC1; p=quarantine'),
               'DMARC p=none: CRITICAL naming it, fix: raises p=', r)
        r = run('pct.example')
        tap.ok(r.rc == 2 and has(r, 'DMARC pct=50 at _dmarc.pct.example')
               and has(r, 'fix: _dmarc.pct.example. IN TXT "v=DMARC1; p=quarantine"'),
               'DMARC pct=50: CRITICAL naming it, fix: drops pct=', r)
        r = run('nodmarc.example')
        tap.ok(r.rc == 2 and has(r, 'no DMARC record at _dmarc.nodmarc.example')
               and has(r, 'fix: _dmarc.nodmarc.example. IN TXT "v=DMARC1; p=quarantine"'),
               'no DMARC record: CRITICAL', r)
        r = run('mail.orgsp.example')
        tap.ok(r.rc == 2 and has(r, 'sp=none (_dmarc.orgsp.example)')
               and has(r, '[OK] DMARC policy reject (p= at _dmarc.mail.orgsp.example'),
               "the organisational domain's sp=none: CRITICAL though the domain's own "
               "policy is reject", r)

        # ---- the SVG
        r = run('script.example')
        tap.ok(r.rc == 2 and has(r, '[CRITICAL] SVG indicator: ') and has(r, 'script'),
               'R-08 at plugin level: an SVG with <script> is CRITICAL naming it', r)
        r = run('href.example')
        tap.ok(r.rc == 2 and has(r, 'evil.example.net'),
               'R-08 at plugin level: an external href is CRITICAL naming it', r)
        r = run('tiny.example')
        tap.ok(r.rc == 2 and has(r, 'baseProfile'), 'baseProfile tiny, not tiny-ps: CRITICAL', r)
        r = run('big.example')
        tap.ok(r.rc == 2 and has(r, 'is over 32768 bytes'),
               'H-02: an SVG over 32 KiB is CRITICAL naming the size', r)

        # ---- the VMC
        r = run('vexpired.example')
        tap.ok(r.rc == 2 and has(r, 'VMC: ') and has(r, 'expired'),
               'an expired VMC: CRITICAL', r)
        r = run('vsoon.example')
        tap.ok(r.rc == 1 and has(r, '[WARNING] VMC expires in'),
               'a VMC expiring in 10 days: WARNING under the default --cert-warning 30', r)
        r = run('vsoon.example', '--cert-warning', '5', '--cert-critical', '2')
        tap.ok(r.rc == 0 and 'cert_days=' in r.perfdata and ';5:;2:' in r.perfdata,
               'the same with --cert-warning 5: OK, the thresholds in perfdata', r)
        r = run('vsoon.example', '--cert-critical', '20')
        tap.ok(r.rc == 2 and has(r, '[CRITICAL] VMC expires in'),
               '--cert-critical 20: CRITICAL', r)
        r = run('vwrong.example')
        tap.ok(r.rc == 2 and has(r, 'other.example'),
               'a VMC not naming the domain: CRITICAL naming the names it has', r)
        r = run('vnologo.example')
        tap.ok(r.rc == 2 and has(r, 'logotype'), 'a VMC without the logotype extension: CRITICAL',
               r)
        r = run('vwrong.example', '--vmc-ca-file', rig.ca)
        tap.ok(r.rc == 2 and has(r, 'VMC: '),
               'a VMC that does not verify against --vmc-ca-file: CRITICAL', r)

        # ---- fetch failures, each within -t
        for dom, want, what in (
                ('tlsname.example', 'hostname mismatch', 'H-04: a wrong-name HTTPS certificate'),
                ('redirect.example', 'redirect', 'H-01: a redirect, not followed'),
                ('missing.example', '404', 'a 404'),
                ('slow.example', 'timeout', 'H-03: a body that drips, one byte a second')):
            t = 10 if valgrind_prefix() else 3     # valgrind's start-up alone takes seconds
            r = run(dom, t=t)
            tap.ok(r.rc == 2 and has(r, want) and has(r, 'not fetched'),
                   '%s: CRITICAL naming it' % what, r)
            check_bounds(tap, r, what, t=t)

        # ---- output
        r = run('ctl.example', '-v')
        tap.ok(r.rc == 2 and has(r, 'invalid BIMI record') and '\x1b' not in r.out
               and has(r, '\\x1b[31m\\x7cb') and r.first.count('|') == 1,
               'O-01: control bytes and | in the record: invalid, shown escaped', r)
        # a full finding list: what was dropped keeps its own state (-v
        # notes here), never the list's CRITICAL
        r = run('full.example')
        tap.ok(r.rc == 2 and has(r, 'invalid BIMI record: no l= tag')
               and not any('more problems in the record' in l for l in r.lines),
               'implied: 60 unknown tags and no l=: CRITICAL for l=, the dropped notes not '
               'raised to CRITICAL', r)
        r = run('full.example', '-v')
        tap.ok(r.rc == 2 and any('more notes on the record not listed' in l for l in r.lines),
               'implied: with -v the dropped notes are counted', r)
        r = run('ok.example', '-w', '1')
        tap.ok(r.rc == 3, '-w is refused (no thresholds)', r)
finally:
    rig.stop()
tap.done()
