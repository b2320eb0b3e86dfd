#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""--dnssec --trust-anchor: our own DNSSEC validation (issue 19) against a
signed hierarchy of our own (tests/lib/signedzones.py: a root ".", the
TLDs test. with NSEC and opt. with NSEC3 opt-out, and a mail domain per
case), made with ldns-keygen/ldns-signzone at test time and served by
NSD. check_mx follows the delegations from the test root's DS given
with --trust-anchor; NSD sets no AD bit (and none is consulted), so
every secure result here is the validator's."""
import os
import shutil
import socket
import struct
import sys

sys.path.insert(0, os.path.join(os.environ.get('top_srcdir', '.'), 'tests', 'lib'))
from harness import TAP, run_plugin, run_cmd, check_bounds, tmpdir, top_builddir  # noqa: E402
from smtpfake import SmtpFake, self_signed, spki_sha256  # noqa: E402
from dnsserver import DnsServer, _parse_name, message, opt_rr, question  # noqa: E402

tap = TAP()

if not (shutil.which('ldns-keygen') and shutil.which('ldns-signzone')):
    tap.skip('signed hierarchy', 'ldns-keygen/ldns-signzone not installed (ldnsutils)')
    tap.done()
    sys.exit(0)

from signedzones import SignedHierarchy  # noqa: E402


def mx(h, domain, *extra, anchor=None):
    return run_plugin('check_mx', '-D', domain, '--dnssec', '--trust-anchor',
                      anchor or h.anchor, *extra, server=h.nsd)


def has(r, text):
    return any(text in l for l in r.lines)


def spf(domain, *extra):
    return run_plugin('check_spf', '-D', domain, '--dnssec', '--trust-anchor', h.anchor, *extra,
                      server=h.nsd)


def ask(server, raw, transport):
    """raw (a query) sent to server over transport; the reply bytes."""
    if transport == 'udp':
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.settimeout(3)
            s.sendto(raw, (server.host, server.port))
            return s.recv(65535)
    with socket.create_connection((server.host, server.port), timeout=3) as s:
        s.sendall(struct.pack('!H', len(raw)) + raw)
        buf = b''
        while len(buf) < 2 or len(buf) < 2 + struct.unpack('!H', buf[:2])[0]:
            more = s.recv(65535)
            if not more:
                break
            buf += more
        return buf[2:]


def sections(msg):
    """The answer and authority RRs of msg, each re-encoded with its owner
    uncompressed (the types kept here, TXT, RRSIG, NSEC and NSEC3, have
    no compressed names in their data), with its type."""
    qd, an, ns = struct.unpack('!HHH', msg[4:10])
    _, off = _parse_name(msg, 12)
    off += 4 * qd
    out = ([], [])
    for i in range(an + ns):
        owner, off = _parse_name(msg, off)
        t, _c, _ttl, rdlen = struct.unpack('!HHIH', msg[off:off + 10])
        out[0 if i < an else 1].append((t, owner + msg[off:off + 10 + rdlen]))
        off += 10 + rdlen
    return out


NSEC_TYPES = (46, 47, 50)  # RRSIG, NSEC, NSEC3


def proxy(h, under, swap=None):
    """A DnsServer fault that relays every query to the hierarchy's NSD
    and, for names under `under`, drops the NSEC/NSEC3 proof (and its
    RRSIGs) of the authority section, or puts in its place the one of the
    reply to `swap` (a real, signed proof for another name)."""
    def fault(q):
        reply = ask(h.nsd, q.raw, q.transport)
        if not q.name.endswith(under):
            return reply
        an, _ = sections(reply)
        auth = []
        if swap is not None:
            other = message(id=1, questions=[question(swap, 'TXT')],
                            additional=[opt_rr(do=1)], qr=0, aa=0)
            _, auth = sections(ask(h.nsd, other, 'tcp'))
        auth = [rr for t, rr in auth if t in NSEC_TYPES]
        return q.reply(answers=[rr for _, rr in an], authority=auth)
    return fault


# The SMTP server's certificate, named by every TLSA 3 1 1 of the hierarchy.
CERT = self_signed('mail.sec.test', tmpdir())

with SignedHierarchy(spki_sha256(CERT[0])) as h:
    # secure, one zone per algorithm: the MX and the A of the MX host
    for zone, alg in (('sec.test', 8), ('rsa512.test', 10), ('ec.test', 13),
                      ('p384.test', 14), ('ed.test', 15), ('sec.opt', 13)):
        r = mx(h, zone)
        tap.ok(r.rc == 1 and 'loopback' in r.first and 'insecure' not in r.out
               and 'bogus' not in r.out and has(r, '[OK] MX 10 mail.%s: 127.0.0.1' % zone),
               'secure: %s (algorithm %d) validated from the root key, the MX and '
               'its address used' % (zone, alg), r)
    r = mx(h, 'sec.test', '-v')
    tap.ok(has(r, 'DNSSEC: sec.test/MX secure (zone sec.test)')
           and has(r, 'DNSSEC: mail.sec.test/A secure (zone sec.test)')
           and has(r, 'DNSSEC: mail.sec.test/AAAA secure (zone sec.test)'),
           '-v names each secure answer and its zone (the NODATA AAAA too)', r)
    # secure denials: NXDOMAIN proven by NSEC (test.) and NSEC3 (opt.)
    for zone, how in (('nonexist.test', 'NSEC'), ('nonexist.opt', 'NSEC3')):
        r = mx(h, zone)
        tap.ok(r.rc == 2 and 'does not exist (NXDOMAIN)' in r.first and 'bogus' not in r.out,
               'implied: a secure NXDOMAIN (%s) is an answer: %s does not exist' % (how, zone), r)
    r = run_plugin('check_dmarc', '-D', 'sec.test', '--dnssec', '--trust-anchor', h.anchor,
                   server=h.nsd)
    tap.ok(r.rc == 2 and 'no DMARC record at _dmarc.sec.test' in r.first,
           'implied: check_dmarc, a secure NXDOMAIN for _dmarc: no record (not a DNS error)', r)
    # CNAMEs: each link is validated, as is the end of the chain
    q = run_cmd([os.path.join(top_builddir(), 'tests', 'tools', 'dnsq'), '-s', h.nsd.host,
                 '-p', str(h.nsd.port), '--dnssec', '--trust-anchor', h.anchor,
                 'alias.sec.test', 'A', 'toec.sec.test', 'A', 'toplain.sec.test', 'A',
                 'alias.tamper.test', 'A'])
    ans = [l for l in q.out.splitlines() if l.startswith(('answer', 'describe'))]
    tap.ok(len(ans) == 8 and 'status=OK' in ans[0] and 'ncname=1' in ans[0]
           and 'status=OK' in ans[2],
           'implied: a CNAME in the zone and one to another signed zone: secure', q)
    tap.ok(len(ans) == 8 and 'is insecure: zone plain.test is not signed' in ans[5],
           'implied: a CNAME from a signed zone into an unsigned one: insecure at the cut', q)
    tap.ok(len(ans) == 8 and 'DNSSEC bogus answer for alias.tamper.test/A' in ans[7]
           and 'alias.tamper.test: signature does not verify' in ans[7],
           'implied: a CNAME with a tampered RRSIG: bogus, though its target is secure', q)
    r = mx(h, 'ec.test', anchor=h.anchor_dnskey)
    tap.ok(r.rc == 1 and has(r, '[OK] MX 10 mail.ec.test'),
           'secure: a DNSKEY trust anchor works as a DS one', r)

    # insecure: proven unsigned delegations, naming the zone cut
    r = mx(h, 'plain.test')
    tap.ok(r.rc == 2 and 'insecure: zone plain.test is not signed (no DS in test, '
           'proven by NSEC)' in r.first, 'insecure: NSEC proves plain.test unsigned, CRITICAL', r)
    r = mx(h, 'plain.opt')
    tap.ok(r.rc == 2 and 'insecure: zone plain.opt is not signed (no DS in opt, '
           'proven by NSEC3' in r.first,
           'insecure: NSEC3 (opt-out zone) proves plain.opt unsigned, CRITICAL', r)

    # bogus, with the reason
    for zone, why in (('tamper.test', 'tamper.test: signature does not verify'),
                      ('expired.test', 'DNSKEY of expired.test: signature expired'),
                      ('badds.test', 'no DNSKEY of badds.test matches its DS '
                       '(DS digest mismatch)'),
                      ('nosig.test', 'nosig.test: no signature')):
        r = mx(h, zone)
        tap.ok(r.rc == 2 and 'DNSSEC bogus answer for %s/MX' % zone in r.first and why in r.first,
               'bogus: %s CRITICAL "%s"%s' % (zone, why, ' (D-07)' if zone == 'expired.test'
                                               else ''), r)

    # A failed validation is a security finding: CRITICAL whatever
    # --dns-error-state or -t SEC:STATE say; those keep the timeouts.
    for extra in (('--dns-error-state', 'ok'), ('-t', '10:UNKNOWN')):
        r = mx(h, 'tamper.test', *extra)
        tap.ok(r.rc == 2 and 'DNSSEC bogus answer for tamper.test/MX' in r.first,
               'bogus with %s: CRITICAL all the same' % ' '.join(extra), r)
    # check_spf's evaluation: a bogus answer met by a mechanism is an SPF
    # temperror, CRITICAL all the same (not --dns-error-state's OK)
    r = spf('inc.sec.test', '--ip', '192.0.2.1', '--dns-error-state', 'ok')
    tap.ok(r.rc == 2 and any(l.startswith('[CRITICAL] 192.0.2.1: SPF temperror') for l in r.lines)
           and 'alias.tamper.test' in r.out,
           'check_spf --ip: a bogus answer in the evaluation with --dns-error-state ok: CRITICAL', r)
    r = mx(h, 'plain.test', '--dns-error-state', 'ok')
    tap.ok(r.rc == 2 and 'insecure: zone plain.test is not signed' in r.first,
           'insecure with --dns-error-state ok: CRITICAL all the same', r)
    with DnsServer({}, faults=lambda q: 'drop') as silent:
        r = run_plugin('check_mx', '-D', 'sec.test', '--dnssec', '--trust-anchor', h.anchor,
                       '--dns-error-state', 'ok', '-t', '4', server=silent)
        tap.ok(r.rc == 0 and 'DNS timeout for sec.test/MX' in r.out,
               '--dnssec, a timeout with --dns-error-state ok: OK (its state)', r)

    # Wildcard answers: secure only with the proof, in the same reply,
    # that no closer name exists (RFC 4035 5.3.4, RFC 5155 8.8)
    for name, how in (('a.wild.sec.test', 'NSEC'), ('a.b.wild.sec.test', 'NSEC, two labels'),
                      ('a.wild.wild3.test', 'NSEC3'),
                      ('a.b.wild.wild3.test', 'NSEC3, two labels')):
        r = spf(name, '-v')
        tap.ok(r.rc == 0 and 'rrsig_days' in r.perfdata and 'bogus' not in r.out,
               'wildcard: %s from *.wild with its %s proof: secure' % (name, how), r)
    for zone in ('sec.test', 'wild3.test'):
        for what, swap in (('stripped', None), ('replaced by another name\'s',
                                                  'alias.' + zone)):
            with DnsServer({}, faults=proxy(h, 'wild.' + zone, swap)) as px:
                r = run_plugin('check_spf', '-D', 'a.wild.' + zone, '--dnssec',
                               '--trust-anchor', h.anchor, server=px)
            tap.ok(r.rc == 2 and 'DNSSEC bogus answer for a.wild.%s/TXT' % zone in r.first
                   and 'wildcard answer without proof that a.wild.%s does not exist' % zone
                   in r.first,
                   'D-08 wildcard in %s, the proof %s: bogus, named' % (zone, what), r)

    # signatures expiring in 3 days: rrsig_days and its thresholds (D-07)
    r = spf('soon.test')
    days = float(r.perf.get('rrsig_days', 'nan').split(';')[0])
    tap.ok(r.rc == 1 and 2.9 < days <= 3.01 and 'expires in 3.0 days' in r.first
           and r.perfdata.find('rrsig_days=') >= 0 and ';7:;2:' in r.perfdata,
           'D-07 signatures expiring in 3 days: WARNING under the default 7, rrsig_days=3', r)
    r = spf('soon.test', '--rrsig-critical', '4')
    tap.ok(r.rc == 2 and 'under 4' in r.first, '--rrsig-critical 4: CRITICAL', r)
    r = spf('soon.test', '--rrsig-warning', '2')
    tap.ok(r.rc == 0 and 'rrsig_days=' in r.perfdata, '--rrsig-warning 2: OK', r)
    r = spf('ec.test')
    days = float(r.perf.get('rrsig_days', 'nan').split(';')[0])
    tap.ok(r.rc == 0 and days > 20, 'ec.test: signatures of ldns-signzone\'s 4 weeks: OK', r)
    r = run_plugin('check_spf', '-D', 'ec.test', '--trust-anchor', h.anchor, server=h.nsd)
    tap.ok(r.rc == 0 and 'rrsig_days' not in r.perfdata,
           'no validation and no rrsig_days without --dnssec', r)

    # --dane: the TLSA record and the MX and A it rests on, validated
    with SmtpFake('ok', cert=CERT[0], key=CERT[1]) as smtp:
        r = mx(h, 'sec.test', '--dane', '--allow-internal', '--smtp-port', smtp.port, '-t', '12')
        tap.ok('DANE: TLSA 3 1 1 (DANE-EE) at _25._tcp.mail.sec.test matches' in r.out
               and 'bogus' not in r.out and 'insecure' not in r.out,
               '--dane: TLSA in a secure zone (validated, no AD bit) is used and matches', r)
        r = mx(h, 'tlsabad.test', '--dane', '--allow-internal', '--smtp-port', smtp.port,
               '-t', '12')
        tap.ok(r.rc == 2 and 'DNSSEC bogus answer for _25._tcp.mail.tlsabad.test/TLSA' in r.out
               and 'signature does not verify' in r.out and 'DANE: TLSA' not in r.out,
               '--dane: TLSA with a tampered RRSIG is bogus, CRITICAL, and not used', r)
        # --dane alone (no --dnssec): only the TLSA lookup is validated
        r = run_plugin('check_mx', '-D', 'plain.test', '--dane', '--allow-internal',
                       '--smtp-port', smtp.port, '--trust-anchor', h.anchor, '-t', '12',
                       server=h.nsd)
        tap.ok(r.rc == 2 and has(r, '[CRITICAL] TLSA at _25._tcp.mail.plain.test not '
                                 'DNSSEC-authenticated (zone plain.test is not signed')
               and 'DANE: TLSA' not in r.out,
               '--dane: TLSA in an unsigned zone is insecure, CRITICAL naming the zone cut', r)
        # --dane alone with an anchor for another zone: UNKNOWN as --dnssec
        other = os.path.join(tmpdir(), 'other.key')
        with open(other, 'w') as f:
            f.write('example. IN DS 1 13 2 ' + '00' * 32 + '\n')
        r = run_plugin('check_mx', '-D', 'sec.test', '--dane', '--allow-internal',
                       '--smtp-port', smtp.port, '--trust-anchor', other, '-t', '12',
                       server=h.nsd)
        tap.ok(r.rc == 3 and r.first.startswith('MX UNKNOWN') and other in r.first
               and 'not above' in r.first,
               'D-06 --dane alone, trust anchor for another zone: UNKNOWN naming the file', r)

    # D-01: a DNSKEY RRset of 100 keys (one signing): secure, bounded
    r = mx(h, 'many.test', '-t', '5')
    tap.ok(r.rc == 1 and has(r, '[OK] MX 10 mail.many.test'),
           'D-01 100 DNSKEYs: secure, only the key of the signature\'s tag tried', r)
    check_bounds(tap, r, 'D-01', t=5)

    # D-04: an unknown DS digest type, an algorithm not supported (RSA/SHA-1)
    r = mx(h, 'unkds.test')
    tap.ok(r.rc == 2 and 'insecure: zone unkds.test is not signed with an algorithm and '
           'digest we support' in r.first,
           'D-04 DS of digest type 99: insecure (RFC 6840 5.2), the zone named', r)
    r = mx(h, 'sha1.test')
    tap.ok(r.rc == 2 and 'insecure: zone sha1.test is not signed with an algorithm' in r.first,
           'D-04 algorithm 5 (RSA/SHA-1): insecure, the zone named', r)
    # D-02: NSEC3 of 200 iterations, over RFC 9276's limit: insecure, the
    # reason named, and no hash of it computed
    r = mx(h, 'plain.iter', '-t', '5')
    tap.ok(r.rc == 2 and 'insecure' in r.first and 'NSEC3 with 200 iterations, over 150'
           in r.first, 'D-02 NSEC3 with 200 iterations: insecure, named', r)
    check_bounds(tap, r, 'D-02', t=5)

    # D-05: 45 labels below a signed and an unsigned mail domain
    from signedzones import DEEP  # noqa: E402
    r = spf(DEEP + '.sec.test', '-t', '5')
    tap.ok(r.rc == 0 and 'rrsig_days' in r.perfdata,
           'D-05 a name 45 labels deep in a signed zone: secure (the walk stops at '
           'its signer)', r)
    r = spf(DEEP + '.plain.test', '-t', '5')
    tap.ok(r.rc == 2 and 'zone plain.test is not signed (no DS in test' in r.out,
           'D-05 a name 45 labels deep in an unsigned zone: insecure at the zone cut', r)
    check_bounds(tap, r, 'D-05', t=5)

    # D-06: trust anchor problems are UNKNOWN naming the file
    d = tmpdir()
    cases = {'missing': None, 'empty': '', 'unparsable': 'not a record\n',
             'an A record': '. IN A 192.0.2.1\n',
             'for another zone': 'example. IN DS 1 13 2 ' + '00' * 32 + '\n'}
    for what, text in cases.items():
        p = os.path.join(d, what.replace(' ', '_') + '.key')
        if text is not None:
            with open(p, 'w') as f:
                f.write(text)
        r = mx(h, 'sec.test', anchor=p)
        tap.ok(r.rc == 3 and r.first.startswith('MX UNKNOWN') and p in r.first,
               'D-06 trust anchor %s: UNKNOWN naming the file' % what, r)

    # The default anchor is the root's (dns-root-data): not this
    # hierarchy's, so never secure here; UNKNOWN naming it when missing.
    r = run_plugin('check_mx', '-D', 'ec.test', '--dnssec', server=h.nsd)
    if os.path.exists('/usr/share/dns/root.key'):
        tap.ok(r.rc == 2 and 'DNSSEC bogus answer' in r.first,
               '--dnssec uses /usr/share/dns/root.key by default (another root: bogus)', r)
    else:
        tap.ok(r.rc == 3 and 'trust anchor /usr/share/dns/root.key' in r.first,
               'D-06 --dnssec without the default anchor file: UNKNOWN naming it', r)

tap.done()
