#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The fix: invariant, mechanically (all implied: doc/output-contract.md
section 5): publishing a fix: line as printed makes the finding it was
for go away on the next run.

For every fixture zone below (a representative set of what makes a
plugin print fix: lines), the plugin runs against a real NSD; each fix:
line is applied to the zone (the record set of that owner and type is
replaced; for TXT only the records of that kind: v=spf1, v=DMARC1 or
v=DKIM1, other TXT records are kept); NSD is started again with the new
zones, and the same run must print no fix: line and exit 0 or 1, with
the finding named by the fixture gone.

check_mx --dane's TLSA fix is checked the same way against zones signed
at test time (DANE validates the TLSA answers) and the fake SMTP server.

Where the plugin cannot know a value (the mail server's name, a strong
key), it prints no fix: line but says in words which record to publish
("to fix: ..."); those fixtures check that no fix: line is printed.
"""
import base64
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.environ.get('top_srcdir', '.'), 'tests', 'lib'))
from harness import TAP, Nsd, run_plugin, genkey_rsa, dkim_txt, txt_rdata, tmpdir  # noqa: E402
from signedzones import SignedRecords  # noqa: E402
from smtpfake import SmtpFake, TestCA, self_signed  # noqa: E402

tap = TAP()
TMP = tmpdir()
KEY2048, P2048 = genkey_rsa(2048, TMP)
KEY1024, P1024 = genkey_rsa(1024, TMP)
_OTHER, POTHER = genkey_rsa(2048, TMP)
for k in (KEY2048, KEY1024):
    os.chmod(k, 0o600)
# the bare PKCS#1 form of a public key (a WARNING: RFC 6376 wants SPKI)
PKCS1 = base64.b64encode(subprocess.run(
    ['openssl', 'rsa', '-in', _OTHER, '-RSAPublicKey_out', '-outform', 'DER'],
    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, check=True).stdout).decode('ascii')

MAIL = '@ MX 10 mail\n@ A 192.0.2.10\nmail A 192.0.2.1\nmail AAAA 2001:db8::1\n'
DMARC_OK = '_dmarc TXT "v=DMARC1; p=reject; rua=mailto:dmarc@%s"\n'


def dkim(p):
    return 'default._domainkey TXT %s\n' % txt_rdata(dkim_txt(p))


MX11 = ''.join('@ MX %d m%d\nm%d A 192.0.2.%d\n' % (i, i, i, 100 + i)
               for i in range(11))

# (zone, plugin, extra args, zone body, env, finding gone, expect)
# expect: 'fix' (a fix: line is printed), 'words' (none, but a "to fix:"
# long-output line says what to publish), 'any' (a finding that may have
# no fix: line; one printed must hold)
FIXTURES = [
    # ---- check_spf
    ('spf-missing.example', 'check_spf', [], MAIL, None,
     'no SPF record', 'fix'),
    ('spf-missing-mh.example', 'check_spf', ['--mail-host=mail.spf-missing-mh.example'],
     MAIL, None, 'no SPF record', 'fix'),
    ('spf-pass.example', 'check_spf', [], MAIL + '@ TXT "v=spf1 mx +all"\n', None,
     '+all', 'fix'),
    ('spf-neutral.example', 'check_spf', [], MAIL + '@ TXT "v=spf1 mx ?all"\n', None,
     '?all', 'fix'),
    ('spf-noall.example', 'check_spf', [], MAIL + '@ TXT "v=spf1 mx"\n', None,
     'no all and no redirect', 'fix'),
    ('spf-soft.example', 'check_spf', ['--require-all=fail'],
     MAIL + '@ TXT "v=spf1 mx ~all"\n', None, '--require-all=fail wants -all', 'fix'),
    ('spf-l11.example', 'check_spf', [],
     MAIL + '@ TXT "v=spf1 a a a a a a a a a a a -all"\n', None,
     '11 DNS lookups, limit is 10', 'fix'),
    ('spf-inc.example', 'check_spf', [],
     MAIL + '@ TXT "v=spf1 mx include:_spf.spf-inc.example ip4:198.51.100.7 ~all"\n'
     '_spf TXT "v=spf1 a a a a a a a a a a ~all"\n_spf A 192.0.2.9\n', None,
     '12 DNS lookups, limit is 10', 'fix'),
    ('spf-void.example', 'check_spf', [],
     MAIL + '@ TXT "v=spf1 a:nx1.spf-void.example mx:nx2.spf-void.example '
     'exists:nx3.spf-void.example -all"\n', None, 'void lookups', 'fix'),
    ('spf-syntax.example', 'check_spf', [], MAIL + '@ TXT "v=spf1 a:foo-bar -all"\n',
     None, 'permerror', 'fix'),
    ('spf-two.example', 'check_spf', [],
     MAIL + '@ TXT "v=spf1 -all"\n@ TXT "v=spf1 mx -all"\n', None,
     'multiple SPF records', 'fix'),
    ('spf-99.example', 'check_spf', [], MAIL + '@ SPF "v=spf1 mx -all"\n', None,
     'only a type-99', 'fix'),
    # (a) the mx term over 10 MX names: never mx again
    ('spf-mx11.example', 'check_spf', ['--mail-host=m0.spf-mx11.example'],
     MX11 + '@ TXT "v=spf1 mx -all"\n', None, 'more than 10', 'fix'),
    ('spf-mx11-env.example', 'check_spf', [],
     MX11 + '@ TXT "v=spf1 mx -all"\n', {'MAILNAME': 'm0.spf-mx11-env.example'},
     'more than 10', 'fix'),
    ('spf-mx11-none.example', 'check_spf', [],
     MX11 + '@ TXT "v=spf1 mx -all"\n', None, None, 'words'),
    # (b) no MX and no address: no made-up hosts
    ('spf-bare.example', 'check_spf', [], 'mail A 192.0.2.1\n',
     {'MAILNAME': 'mail.spf-bare.example'}, 'no SPF record', 'fix'),
    ('spf-bare-mh.example', 'check_spf', ['--mail-host=mail.spf-bare-mh.example'],
     'mail A 192.0.2.1\n', None, 'no SPF record', 'fix'),
    ('spf-bare-none.example', 'check_spf', [], 'mail A 192.0.2.1\n', None, None,
     'words'),
    ('spf-99pass.example', 'check_spf', [], MAIL + '@ SPF "v=spf1 mx +all"\n', None,
     'only a type-99', 'fix'),
    ('spf-parked-bare.example', 'check_spf', ['--parked'], 'mail A 192.0.2.1\n', None,
     'no SPF record', 'fix'),
    ('spf-parked.example', 'check_spf', ['--parked'],
     '@ MX 0 .\n@ TXT "v=spf1 mx ~all"\n', None, 'does not fail every sender', 'fix'),
    # ---- check_dmarc
    ('dm-missing.example', 'check_dmarc', [], MAIL, None, 'no DMARC record', 'fix'),
    ('dm-policy.example', 'check_dmarc', ['--policy=reject'],
     MAIL + '_dmarc TXT "v=DMARC1; p=none; rua=mailto:dmarc@dm-policy.example"\n',
     None, 'weaker than', 'fix'),
    ('dm-badtags.example', 'check_dmarc', [],
     MAIL + '_dmarc TXT "v=DMARC1; p=Reject; pct=101; adkim=x; '
     'rua=mailto:dmarc@dm-badtags.example"\n', None, 'p=Reject', 'fix'),
    ('dm-testing.example', 'check_dmarc', [],
     MAIL + '_dmarc TXT "v=DMARC1; p=reject; t=y; rua=mailto:dmarc@dm-testing.example"\n',
     None, None, 'any'),
    ('dm-pct.example', 'check_dmarc', ['--policy=reject'],
     MAIL + '_dmarc TXT "v=DMARC1; p=reject; pct=50; rua=mailto:dmarc@dm-pct.example"\n',
     None, 'pct=50', 'fix'),
    ('dm-norua.example', 'check_dmarc', [], MAIL + '_dmarc TXT "v=DMARC1; p=reject"\n',
     None, 'no rua=', 'fix'),
    ('dm-misplaced.example', 'check_dmarc', [],
     MAIL + '@ TXT "v=DMARC1; p=reject; rua=mailto:dmarc@dm-misplaced.example"\n',
     None, 'no DMARC record', 'fix'),
    ('dm-two.example', 'check_dmarc', [],
     MAIL + '_dmarc TXT "v=DMARC1; p=reject; rua=mailto:dmarc@dm-two.example"\n'
     '_dmarc TXT "v=DMARC1; p=none; rua=mailto:dmarc@dm-two.example"\n', None,
     None, 'any'),
    ('dm-ext.example', 'check_dmarc', [],
     MAIL + '_dmarc TXT "v=DMARC1; p=reject; rua=mailto:d@dm-extrep.example"\n', None,
     'has not authorised', 'fix'),
    ('dm-extrep.example', None, [], '@ MX 10 mail\nmail A 192.0.2.1\n', None, None, None),
    ('dm-parked.example', 'check_dmarc', ['--parked'],
     '@ MX 0 .\n_dmarc TXT "v=DMARC1; p=none; rua=mailto:d@dm-parked.example"\n',
     None, None, 'fix'),
    # ---- check_dkim
    ('dk-missing.example', 'check_dkim', ['-k', KEY2048], MAIL, None,
     'no DKIM key', 'fix'),
    ('dk-mismatch.example', 'check_dkim', ['-k', KEY2048], MAIL + dkim(POTHER), None,
     'does not match', 'fix'),
    ('dk-broken.example', 'check_dkim', ['-k', KEY2048],
     MAIL + 'default._domainkey TXT "v=DKIM1; k=rsa; p=AAAA"\n', None, None, 'fix'),
    # a record written wrongly around a good key: the fix keeps the key
    ('dk-pkcs1.example', 'check_dkim', [], MAIL + 'default._domainkey TXT %s\n'
     % txt_rdata(dkim_txt(PKCS1)), None, 'PKCS#1', 'fix'),
    ('dk-kcase.example', 'check_dkim', [], MAIL + 'default._domainkey TXT %s\n'
     % txt_rdata(dkim_txt(POTHER, k='RSA')), None, 'k=RSA', 'fix'),
    ('dk-service.example', 'check_dkim', [], MAIL + 'default._domainkey TXT %s\n'
     % txt_rdata(dkim_txt(POTHER, extra='s=foo')), None, 's=foo', 'fix'),
    # (c) a weak -k key: the command that makes a strong one, not its record
    ('dk-weak-missing.example', 'check_dkim', ['-k', KEY1024], MAIL, None, None,
     'words'),
    ('dk-weak-mismatch.example', 'check_dkim', ['-k', KEY1024], MAIL + dkim(POTHER),
     None, None, 'words'),
    ('dk-weak-match.example', 'check_dkim', ['-k', KEY1024], MAIL + dkim(P1024),
     None, None, 'words'),
    # no -k: no placeholder record, words
    ('dk-nokey.example', 'check_dkim', [], MAIL, None, None, 'words'),
    ('dk-parked.example', 'check_dkim', ['--parked'], '@ MX 0 .\n' + dkim(POTHER),
     None, 'publishes a usable', 'fix'),
    # ---- check_mx
    ('mx-missing-mh.example', 'check_mx', ['--mail-host=mail.mx-missing-mh.example'],
     'mail A 192.0.2.1\n', None, 'no MX record', 'fix'),
    ('mx-missing-env.example', 'check_mx', [], 'mail A 192.0.2.1\n',
     {'MAILNAME': 'mail.mx-missing-env.example'}, 'no MX record', 'fix'),
    ('mx-missing-none.example', 'check_mx', [], 'mail A 192.0.2.1\n', None, None,
     'words'),
    ('mx-parked.example', 'check_mx', ['--parked'],
     '@ MX 10 mail\nmail A 192.0.2.1\n', None, 'parked domain receives mail', 'fix'),
    ('mx-parked-nomx.example', 'check_mx', ['--parked'], '@ A 192.0.2.1\n', None,
     'no null MX', 'fix'),
]

STR_RE = re.compile(r'"((?:[^"\\]|\\.)*)"')


def txt_text(data):
    """The joined character-strings of TXT zone data (escapes kept: only
    the first bytes matter here)."""
    return ''.join(STR_RE.findall(data))


def txt_kind(data):
    t = txt_text(data).lower()
    for kind in ('v=spf1', 'v=dmarc1', 'v=dkim1'):
        if t.startswith(kind) and (len(t) == len(kind) or t[len(kind)] in ' ;'):
            return kind
    return None


def parse_body(zone, body):
    """[(owner, type, data)] with absolute owners (no trailing dot)."""
    recs = []
    for line in body.splitlines():
        if not line.strip() or line.lstrip().startswith(';'):
            continue
        owner, rtype, data = line.split(None, 2)
        if owner == '@':
            owner = zone
        elif owner.endswith('.'):
            owner = owner[:-1]
        else:
            owner = owner + '.' + zone
        recs.append((owner.lower(), rtype.upper(), data.strip()))
    return recs


def body_text(recs):
    return ''.join('%s. %s %s\n' % r for r in recs)


def fix_records(r):
    """The fix: lines of a run as (owner, type, data); a parenthesised
    multi-line record is joined."""
    out, pending = [], None
    for l in r.lines:
        if not l.startswith('fix: '):
            continue
        t = l[5:]
        if pending is not None:
            pending += ' ' + t.strip()
            if pending.rstrip().endswith(')'):
                out.append(pending.replace('(', '', 1).rsplit(')', 1)[0])
                pending = None
            continue
        if t.rstrip().endswith('('):
            pending = t
            continue
        out.append(t)
    recs = []
    for t in out:
        owner, cls, rtype, data = t.split(None, 3)
        recs.append((owner.rstrip('.').lower(), rtype.upper(), data.strip()))
    return recs


def apply_fix(zones, fix):
    owner, rtype, data = fix
    # the zone that holds the owner: the longest zone name it ends with
    zone = max((z for z in zones if owner == z or owner.endswith('.' + z)),
               key=len, default=None)
    if zone is None:
        return False
    kind = txt_kind(data) if rtype == 'TXT' else None
    keep = []
    for rec in zones[zone]:
        same = rec[0] == owner and rec[1] == rtype
        if same and rtype == 'TXT' and txt_kind(rec[2]) != kind:
            same = False
        if not same:
            keep.append(rec)
    keep.append(fix)
    zones[zone] = keep
    return True


def run(plugin, zone, args, env, ns):
    # MAILNAME only where the fixture sets it (empty is none)
    return run_plugin(plugin, '-D', zone, '-t', '5', *args, server=ns,
                      env=env or {'MAILNAME': ''})


def fixes(r):
    return [l for l in r.lines if l.startswith('fix: ')]


def words(r):
    return any(l.startswith('[OK] ') and 'to fix:' in l for l in r.long)


zones = {f[0]: parse_body(f[0], f[3]) for f in FIXTURES}
# DMARC's tree walk asks _dmarc.example too: an answer, not REFUSED
zones['example'] = []
first = {}
with Nsd({z: body_text(recs) for z, recs in zones.items()}) as ns:
    for zone, plugin, args, _body, env, _gone, expect in FIXTURES:
        if plugin is not None:      # None: a zone another fixture uses
            first[zone] = run(plugin, zone, args, env, ns)

applied = {}
for zone, plugin, args, _body, env, gone, expect in FIXTURES:
    if plugin is None:
        continue
    r = first[zone]
    recs = fix_records(r)
    if expect == 'words':
        tap.ok(r.rc in (1, 2) and not recs and words(r),
               'implied: %s %s: no fix: line naming a value it cannot know, '
               'a "to fix:" line instead' % (plugin, zone), r)
        continue
    if expect == 'any' and not recs:
        tap.ok(r.rc in (1, 2), 'implied: %s %s: a finding without a fix: line'
               % (plugin, zone), r)
        continue
    # a fix: line, and no "to fix:" line telling another story
    ok = r.rc in (1, 2) and bool(recs) and (gone is None or gone in r.out) and not words(r)
    tap.ok(ok, 'implied: %s %s: the finding and a fix: line' % (plugin, zone), r)
    applied[zone] = ok and all(apply_fix(zones, f) for f in recs)

with Nsd({z: body_text(recs) for z, recs in zones.items()}) as ns:
    for zone, plugin, args, _body, env, gone, expect in FIXTURES:
        if zone not in applied:
            continue
        if not applied[zone]:
            tap.skip('implied: %s %s after its fix' % (plugin, zone),
                     'the first run gave no fix to apply')
            continue
        r = run(plugin, zone, args, env, ns)
        tap.ok(r.rc in (0, 1) and not fixes(r) and
               (gone is None or gone not in r.out),
               'implied: %s %s: publishing the fix: line%s (%s) makes the '
               'finding go away' % (plugin, zone, 's' if len(fix_records(first[zone])) > 1 else '',
                                    ' | '.join(fixes(first[zone]))[:300]), r)


# ---- check_mx --dane: the TLSA record of the live certificate, against
# zones signed at test time (tests/lib/signedzones.py: check_mx validates
# the TLSA answers itself) and tests/lib/smtpfake.py
MX = 'mx.dane.example'
DANE_ZONE = {'dane.example': [('MX', 10, MX)], MX: [('A', '127.0.0.1')]}


def tlsa_of(fix):
    """('TLSA', usage, selector, mtype, data) of a fix: TLSA line."""
    owner, rtype, data = fix
    u, sel, mt, hexdata = data.split()
    return owner, ('TLSA', int(u), int(sel), int(mt), bytes.fromhex(hexdata))


def dane(zone, cert):
    with SignedRecords(zone) as h, SmtpFake('ok', cert=cert[0], key=cert[1]) as smtp:
        return run_plugin('check_mx', '-D', 'dane.example', '--smtp-port', smtp.port,
                          '--dane', '--trust-anchor', h.anchor, '--allow-internal', '-t', '12',
                          server=h.nsd)


ca = TestCA(tmpdir())
for what, cert in (('self-signed', self_signed(MX, tmpdir())), ('CA-issued', ca.issue(MX))):
    r = dane(DANE_ZONE, cert)
    recs = [f for f in fix_records(r) if f[1] == 'TLSA']
    tap.ok(r.rc == 2 and 'no TLSA record at _25._tcp.%s' % MX in r.out and len(recs) == 1,
           'implied: check_mx --dane, %s certificate, no TLSA: a fix: line' % what, r)
    if len(recs) != 1:
        tap.skip('implied: check_mx --dane %s after its fix' % what, 'no fix to apply')
        continue
    owner, rr = tlsa_of(recs[0])
    zone = dict(DANE_ZONE)
    zone[owner] = [rr]
    r2 = dane(zone, cert)
    tap.ok(r2.rc in (0, 1) and not fixes(r2) and 'no TLSA record' not in r2.out and
           'DANE: TLSA 3 1 1 (DANE-EE) at _25._tcp.%s matches' % MX in r2.out,
           'implied: check_mx --dane, %s certificate: publishing the TLSA fix: line makes '
           'DANE match' % what, r2)

tap.done()
