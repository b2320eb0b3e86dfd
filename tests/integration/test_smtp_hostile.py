# SPDX-License-Identifier: GPL-3.0-or-later
"""check_mx --smtp/--starttls against scripted SMTP servers on loopback:
the T-* rows of doc/hostile-inputs.md 4.6 and O-03 (the scripted modes of
tests/lib/smtpfake.py, certificates from a test CA made with the openssl
CLI; doc/hostile-inputs.md 3). DNS comes from tests/lib/dnsserver.py.

127.0.0.1 is a loopback address, which check_mx flags as a WARNING of
its own and probes only with --allow-internal (given to every run here;
tests/integration/test_internal.py covers its absence): where the SMTP
part is fine the exit code is therefore 1, and the SMTP findings are
asserted line by line. Each hostile row must end within -t + 1 s."""

import os
import sys

sys.path.insert(0, os.path.join(os.environ.get('top_srcdir', '.'), 'tests', 'lib'))
from harness import wall_slack, TAP, run_plugin, tmpdir, valgrind_prefix  # noqa: E402
from dnsserver import DnsServer, Alter, SERVFAIL  # noqa: E402
from signedzones import SignedRecords  # noqa: E402
from smtpfake import (SmtpFake, TestCA, cert_sha256, closed_port, padded_chain,  # noqa: E402
                      self_signed, spki_sha256)

T = 4
# The heaviest probes (the system trust store, DANE's extra lookups and
# checks) take most of 4 s under valgrind on a busy 2-core machine: they
# get more time there, and are held to that -t + 1 s as every row is.
T_HEAVY = 12 if valgrind_prefix() else T
MX = 'mx.example.com'
tap = TAP()

ZONE = {
    'example.com': [('MX', 10, MX)],
    MX: [('A', '127.0.0.1')],
    # two hosts: the second on 127.0.0.2, where nothing listens
    'two.example': [('MX', 10, 'mx1.two.example'), ('MX', 20, 'mx2.two.example')],
    'mx1.two.example': [('A', '127.0.0.1')],
    'mx2.two.example': [('A', '127.0.0.2')],
    # seven hosts on one address: only five are probed (bounds.h)
    'seven.example': [('MX', i, 'm%d.seven.example' % i) for i in range(1, 8)],
}
for i in range(1, 8):
    ZONE['m%d.seven.example' % i] = [('A', '127.0.0.1')]
# five hosts of seven addresses each: 35, of which 32 are probed
ZONE['many.example'] = [('MX', i, 'h%d.many.example' % i) for i in range(1, 6)]
for i in range(1, 6):
    ZONE['h%d.many.example' % i] = [('A', '127.0.%d.%d' % (i, k)) for k in range(1, 8)]

ca = TestCA(tmpdir())
good = ca.issue(MX)
expired = ca.issue(MX, start='20200101000000Z', end='20200201000000Z')
future = ca.issue(MX, start='20990101000000Z', end='20991231000000Z')
wrong = ca.issue('other.example')
soon = ca.issue(MX, days=20)
very_soon = ca.issue(MX, days=3)
selfsigned = self_signed(MX, tmpdir())
evil = ca.issue('evil|\x1b[31m', sans=[MX])
cn_only = ca.issue(MX, sans=[], chain=True)      # names MX in its CN only
partial_wild = ca.issue('m*.example.com', chain=True)   # SAN DNS:m*.example.com
full_wild = ca.issue('*.example.com')
client_only = ca.issue(MX, chain=True, client_only=True)  # EKU clientAuth only
inter = TestCA(tmpdir(), cn='maildns Test Intermediate', parent=ca)
inter_leaf = inter.issue(MX)                   # the server sends the leaf only
inter_full = inter.issue(MX, chain=True)       # leaf + intermediate
big_chain = (padded_chain(good[0], 110 * 1024, tmpdir()), good[1])
# A 16384-bit RSA leaf (OpenSSL's largest RSA modulus) signed by its own
# test CA: made once (key generation takes minutes), see the README there.
TLS_FIXTURES = os.path.join(os.environ.get('top_srcdir', '.'), 'tests', 'fixtures', 'tls')
rsa16k = (os.path.join(TLS_FIXTURES, 'rsa16384.pem'), os.path.join(TLS_FIXTURES, 'rsa16384.key'))
rsa16k_ca = os.path.join(TLS_FIXTURES, 'rsa16384-ca.pem')


def check(dns, port, *extra, domain='example.com', t=T):
    r = run_plugin('check_mx', '-D', domain, '--smtp-port', port, '-t', t,
                   '--allow-internal', *extra, server=dns)
    r.t = t
    return r


def line(r, tag, text):
    """True when a long-output line has this state tag and contains text."""
    return any(l.startswith('[%s]' % tag) and text in l for l in r.long)


def no_line(r, tag, text=''):
    return not line(r, tag, text)


def within(r, t=T):
    """The catalogue's common criteria: done within -t + 1 s, peak RSS
    at most 64 MiB, an exit code (no signal death)."""
    # Under valgrind ($MAILDNS_VALGRIND) the RSS measured is valgrind's
    # own (70-110 MB), not the plugin's: that bound is left out there.
    rss_ok = bool(valgrind_prefix()) or r.maxrss_kb <= 65536
    return r.rc is not None and r.rc >= 0 and r.wall <= t + 1 + wall_slack() and rss_ok


def ok(cond, name, r):
    """A row's own assertion plus the catalogue's common criteria (within
    -t + 1 s, RSS, no signal), for every run."""
    return tap.ok(cond and within(r, r.t), name, r)


def starttls(dns, mode, cert=good, t=T, extra=(), ca_file=None):
    with SmtpFake(mode, cert=cert[0], key=cert[1]) as s:
        return check(dns, s.port, '--starttls', '--ca-file', ca_file or ca.cert, *extra,
                     t=t), s


with DnsServer(ZONE, lifetime=1800) as dns:
    # --- the good path of the fake itself, as a baseline
    r, s = starttls(dns, 'ok')
    ok(r.rc == 1 and line(r, 'OK', 'SMTP %s[127.0.0.1]:%d: connect' % (MX, s.port))
       and line(r, 'OK', 'TLS %s[127.0.0.1]' % MX)
       and line(r, 'OK', 'certificate verified for %s' % MX)
       and no_line(r, 'CRITICAL'), 'baseline: greeting, EHLO, STARTTLS, verified', r)
    ok(r.perf.get('smtp_ok') == '1' and r.perf.get(MX + '_cert_days', '').isdigit()
       and MX + '_connect' in r.perf and MX + '_greeting' in r.perf,
       'baseline: perfdata smtp_ok, HOST_connect, HOST_greeting, HOST_cert_days', r)
    tap.ok(any(c.upper().startswith(b'QUIT') for c in s.commands),
           'baseline: the probe ends with QUIT', s.commands)

    # --- T-02 connection refused
    port = closed_port()
    r = check(dns, port, '--smtp')
    ok(r.rc == 2 and '%s[127.0.0.1]:%d connection refused' % (MX, port) in r.first
       and within(r), 'T-02 connection refused: CRITICAL naming host, address, port', r)

    # --- T-03 silent server
    with SmtpFake('silent') as s:
        r = check(dns, s.port, '--smtp')
    ok(r.rc == 2 and 'no SMTP greeting from %s[127.0.0.1]:%d within' % (MX, s.port)
       in r.first, 'T-03 silent server: no SMTP greeting, CRITICAL', r)
    ok(within(r), 'T-03 silent server: finished within -t + 1 s', r)

    # --- T-04 endless greeting line
    with SmtpFake('endless') as s:
        r = check(dns, s.port, '--smtp', t=10)
    ok(r.rc == 2 and 'SMTP reply line exceeds 512 octets in the greeting' in r.first
       and within(r, 10), 'T-04 endless line: CRITICAL at 512 octets, not at the timeout',
       r)

    # --- T-05 multi-line, 1,000 lines, code mismatch, bare LF, NUL
    r, _ = starttls(dns, 'multiline')
    ok(r.rc == 1 and line(r, 'OK', '220 mx.test.example first') and no_line(r, 'CRITICAL')
       and within(r), 'T-05 multi-line 220 read whole: OK', r)
    with SmtpFake('lines1000') as s:
        r = check(dns, s.port, '--smtp')
    ok(r.rc == 2 and 'SMTP reply has more than 100 lines in the greeting' in r.first
       and within(r), 'T-05 1,000-line greeting: CRITICAL', r)
    with SmtpFake('mismatch') as s:
        r = check(dns, s.port, '--smtp')
    ok(r.rc == 2 and 'SMTP reply code differs between lines' in r.first and within(r),
       'T-05 reply codes differ between lines: CRITICAL', r)
    r, _ = starttls(dns, 'barelf')
    ok(r.rc == 1 and line(r, 'OK', '220 mx.test.example bare') and no_line(r, 'CRITICAL'),
       'T-05 bare LF accepted as a line end', r)
    r, _ = starttls(dns, 'nulbanner')
    ok(r.rc == 1 and line(r, 'OK', '220 mx\\x00evil\\x7cperf=1 \\x1b[2J\\xff')
       and 'perf' not in r.perf and '\x1b' not in r.out and '\x00' not in r.out,
       'T-05/O-01 NUL, | and ESC in the banner printed escaped', r)

    with SmtpFake('longbanner') as s:
        r = check(dns, s.port, '--smtp')
    ok(r.rc == 1 and line(r, 'OK', '220 ' + 'B' * 200 + '...')
       and not line(r, 'OK', 'B' * 201), 'T-05/rule 7 a 496-byte banner is cut to 200 bytes', r)

    # --- T-06 554 / 421 greeting
    with SmtpFake('greet554') as s:
        r = check(dns, s.port, '--smtp')
    ok(r.rc == 2 and '%s[127.0.0.1]:%d refused: 554 5.7.1 no service \\x7c for you'
       % (MX, s.port) in r.first and '|' not in r.status, 'T-06 554 greeting: CRITICAL, escaped',
       r)
    with SmtpFake('greet421') as s:
        r = check(dns, s.port, '--smtp')
    ok(r.rc == 2 and 'refused: 421 4.3.2 too busy' in r.first and within(r),
       'T-06 421 greeting: CRITICAL', r)

    # --- T-07 postscreen pause: wait for the final line, then OK
    r, s = starttls(dns, 'pause', t=10)
    ok(r.rc == 1 and line(r, 'OK', '220 mx.test.example wait for it')
       and line(r, 'OK', 'certificate verified') and no_line(r, 'CRITICAL')
       and within(r, 10), 'T-07 postscreen-style 3 s pause: waited for the last line, OK', r)
    tap.ok(not s.early and s.commands[:1] and s.commands[0].upper().startswith(b'EHLO'),
           'T-07 nothing sent during the pause: EHLO only after the final line', s.commands)

    # --- T-08 no STARTTLS / EHLO rejected
    r, _ = starttls(dns, 'nostarttls')
    ok(r.rc == 1 and line(r, 'WARNING', 'STARTTLS not offered') and no_line(r, 'CRITICAL'),
       'T-08 STARTTLS not offered: WARNING', r)
    r, _ = starttls(dns, 'nostarttls', extra=('--require-starttls',))
    ok(r.rc == 2 and 'STARTTLS not offered' in r.first,
       'T-08 STARTTLS not offered with --require-starttls: CRITICAL', r)
    r, s = starttls(dns, 'ehlo502')
    ok(r.rc == 1 and line(r, 'WARNING', 'STARTTLS not offered (EHLO rejected')
       and line(r, 'OK', 'EHLO rejected: 502 5.5.1 EHLO not implemented; HELO accepted')
       and any(c.upper().startswith(b'HELO') for c in s.commands),
       'T-08 EHLO 502: HELO fallback, STARTTLS not offered WARNING', r)

    with SmtpFake('ehlo421') as s:
        r = check(dns, s.port, '--smtp')
    ok(r.rc == 2 and 'rejected EHLO: 421 4.7.0 try again later' in r.first
       and not any(c.upper().startswith(b'HELO') for c in s.commands),
       'T-08 EHLO 421: CRITICAL, no HELO retry for a transient reply', r)
    with SmtpFake('helo550') as s:
        r = check(dns, s.port, '--smtp')
    ok(r.rc == 2 and 'rejected HELO: 550 5.7.1 go away' in r.first,
       'T-08 EHLO 502 then HELO 550: CRITICAL', r)

    # --- T-09 STARTTLS refused
    r, _ = starttls(dns, 'refuse')
    ok(r.rc == 2 and 'STARTTLS refused: 454 4.7.0 TLS not available' in r.first
       and within(r), 'T-09 STARTTLS 454: CRITICAL', r)

    r, _ = starttls(dns, 'tlsquiet')
    ok(r.rc == 2 and 'no reply to STARTTLS within' in r.first and within(r),
       'T-09 STARTTLS never answered: CRITICAL at the deadline', r)

    # --- T-10 response injection
    r, _ = starttls(dns, 'inject')
    ok(r.rc == 2 and 'plaintext data after STARTTLS reply' in r.first and within(r),
       'T-10 plaintext after the STARTTLS 220: CRITICAL, discarded', r)

    # T-10 the injected plaintext in a write of its own, 0.3 s after the
    # 220: still plaintext before the handshake, reported as injection
    r, _ = starttls(dns, 'injectlate')
    ok(r.rc == 2 and line(r, 'CRITICAL', 'plaintext data after STARTTLS reply')
       and line(r, 'CRITICAL', 'response injection') and within(r),
       'T-10 plaintext after the STARTTLS 220, in a later read: CRITICAL, injection', r)
    # T-10 a 220 sent with the EHLO reply, before STARTTLS was sent: a
    # reply ahead of time; no TLS is started on it
    r, s = starttls(dns, 'ahead')
    ok(r.rc == 2 and line(r, 'CRITICAL', 'answered before the STARTTLS command was sent')
       and no_line(r, 'OK', 'TLS ') and within(r),
       'T-10 a reply to STARTTLS sent ahead of the command: CRITICAL', r)
    tap.ok(not any(c.upper().startswith(b'STARTTLS') for c in s.commands),
           'T-10 reply ahead of time: STARTTLS is not sent on it', s.commands)

    # --- T-11 stalled handshake
    r, _ = starttls(dns, 'stall')
    ok(r.rc == 2 and 'TLS handshake with %s[127.0.0.1]' % MX in r.first
       and 'timed out after' in r.first, 'T-11 stalled handshake: CRITICAL', r)
    ok(within(r), 'T-11 stalled handshake: finished within -t + 1 s', r)

    # --- T-12 plaintext instead of TLS, close mid-handshake, TLS 1.0 only
    r, _ = starttls(dns, 'plaintext')
    ok(r.rc == 2 and 'TLS handshake failed: wrong version number' in r.first and within(r),
       "T-12 plaintext instead of TLS: CRITICAL with OpenSSL's reason", r)
    r, _ = starttls(dns, 'closetls')
    ok(r.rc == 2 and 'TLS handshake failed: ' in r.first and within(r),
       'T-12 close mid-handshake: CRITICAL', r)
    r, _ = starttls(dns, 'tls10')
    ok(r.rc == 2 and 'TLS handshake failed: ' in r.first and within(r),
       'T-12 TLS 1.0 only: CRITICAL', r)

    # --- T-13 certificates
    r, _ = starttls(dns, 'ok', cert=expired)
    ok(r.rc == 2 and line(r, 'CRITICAL', 'certificate expired on 2020-02-01'),
       'T-13 expired certificate: CRITICAL', r)
    r, _ = starttls(dns, 'ok', cert=future)
    ok(r.rc == 2 and line(r, 'CRITICAL', 'certificate not yet valid'),
       'T-13 not yet valid certificate: CRITICAL', r)
    r, _ = starttls(dns, 'ok', cert=selfsigned)
    ok(r.rc == 2 and line(r, 'CRITICAL', 'certificate is self-signed (CN=%s)' % MX),
       'T-13 self-signed certificate: CRITICAL', r)
    r, _ = starttls(dns, 'ok', cert=wrong)
    ok(r.rc == 2 and line(r, 'CRITICAL', 'certificate is not valid for %s (subject '
                          'CN=other.example)' % MX),
       'T-13 certificate for another name: CRITICAL (X509_check_host)', r)
    # T-13 names (RFC 6125 6.4.4, RFC 9525): the CN is never a reference
    # identity, and a partial-label wildcard never matches
    r, _ = starttls(dns, 'ok', cert=cn_only)
    ok(r.rc == 2 and line(r, 'CRITICAL', 'certificate names %s only in its CN (no '
                          'subjectAltName DNS name)' % MX)
       and no_line(r, 'OK', 'certificate verified'),
       'T-13 CN-only certificate (no subjectAltName): CRITICAL, the CN is not used', r)
    r, _ = starttls(dns, 'ok', cert=partial_wild)
    ok(r.rc == 2 and line(r, 'CRITICAL', 'certificate is not valid for %s (subject '
                          'CN=m*.example.com)' % MX)
       and no_line(r, 'OK', 'certificate verified'),
       'T-13 partial-label wildcard m*.example.com: CRITICAL', r)
    r, _ = starttls(dns, 'ok', cert=full_wild)
    ok(r.rc == 1 and line(r, 'OK', 'certificate verified for %s' % MX) and no_line(r, 'CRITICAL'),
       'T-13 whole-label wildcard *.example.com in the subjectAltName: still verified', r)
    with SmtpFake('ok', cert=good[0], key=good[1]) as s:
        r = check(dns, s.port, '--starttls', t=T_HEAVY)  # system store: test CA unknown
    ok(r.rc == 2 and line(r, 'CRITICAL', 'certificate not trusted: issuer CN=maildns Test '
                          'CA not in the system trust store'),
       'T-13 untrusted issuer (system store): CRITICAL', r)
    r, _ = starttls(dns, 'ok', cert=soon)
    ok(r.rc == 1 and line(r, 'WARNING', 'certificate expires in 19 days')
       and r.perf.get(MX + '_cert_days') == '19',
       'T-13 20 days left: WARNING under --cert-warning 30, perfdata', r)
    r, _ = starttls(dns, 'ok', cert=soon, extra=('--cert-warning', '10'))
    ok(r.rc == 1 and no_line(r, 'WARNING', 'certificate expires'),
       'T-13 20 days left with --cert-warning 10: no warning', r)
    r, _ = starttls(dns, 'ok', cert=very_soon)
    ok(r.rc == 2 and line(r, 'CRITICAL', 'certificate expires in 2 days'),
       'T-13 3 days left: CRITICAL under --cert-critical 7', r)

    r, _ = starttls(dns, 'ok', cert=evil)
    ok(r.rc == 1 and line(r, 'OK', 'certificate CN=evil\\x7c') and '\x1b' not in r.out
       and '|' not in r.status and line(r, 'OK', 'certificate verified'),
       'T-13/O-01 "|" and ESC in the certificate subject printed escaped', r)

    # T-13 incomplete chain: the leaf's issuer is an intermediate the
    # server does not send, and --ca-file holds the root only
    r, _ = starttls(dns, 'ok', cert=inter_leaf)
    ok(r.rc == 2 and line(r, 'CRITICAL', 'certificate not trusted'),
       'T-13 incomplete chain (intermediate not sent): CRITICAL, not trusted', r)
    r, _ = starttls(dns, 'ok', cert=inter_full)
    ok(r.rc == 1 and line(r, 'OK', 'certificate verified for %s' % MX) and no_line(r, 'CRITICAL'),
       'T-13 the same leaf sent with its intermediate: verified', r)
    # T-13 a chain over LIMIT_TLS_CHAIN_BYTES (100 KiB): refused by the
    # TLS library before anything is parsed, within -t and 64 MiB
    r, _ = starttls(dns, 'ok', cert=big_chain)
    ok(r.rc == 2 and 'TLS handshake failed: excessive message size' in r.first,
       'T-13 certificate chain of over 100 KB: CRITICAL, handshake refused', r)
    # T-13 16384-bit RSA: the largest key OpenSSL takes, verified in time
    r, _ = starttls(dns, 'ok', cert=rsa16k, ca_file=rsa16k_ca, t=8)
    ok(r.rc == 1 and line(r, 'OK', 'certificate verified for %s' % MX) and no_line(r, 'CRITICAL'),
       'T-13 16384-bit RSA certificate: verified within -t', r)

    # --- T-14 10,000 EHLO lines
    with SmtpFake('ehlo10000') as s:
        r = check(dns, s.port, '--smtp')
    ok(r.rc == 2 and 'more than 100 lines in the reply to EHLO' in r.first and within(r),
       'T-14 10,000-line EHLO reply: CRITICAL', r)

    # --- O-03 the peer resets early: a state, never a signal death
    with SmtpFake('closeearly') as s:
        r = check(dns, s.port, '--smtp')
    ok(r.rc == 2 and ('connection reset' in r.first or 'closed' in r.first)
       and within(r), 'O-03 peer closing early: CRITICAL, no SIGPIPE death', r)

    # --- every address at once: two silent hosts cost one timeout
    with SmtpFake('silent') as s:
        r = check(dns, s.port, '--smtp', domain='two.example')
    ok(r.rc == 2 and line(r, 'CRITICAL', 'no SMTP greeting from mx1.two.example')
       and line(r, 'CRITICAL', 'mx2.two.example[127.0.0.2]') and within(r),
       'T-03 two MX hosts probed in parallel, one deadline', r)

    # --- some MX fail: WARNING; all fail: CRITICAL (T-02)
    with SmtpFake('ok', cert=good[0], key=good[1]) as s:
        r = check(dns, s.port, '--smtp', domain='two.example')
    ok(r.rc == 1 and line(r, 'WARNING', 'mx2.two.example[127.0.0.2]:%d connection refused'
                          % s.port) and r.perf.get('smtp_ok') == '1',
       'T-02 one MX of two refused: WARNING, smtp_ok=1', r)

    # --- T-01 at most 5 hosts probed
    with SmtpFake('ok', cert=good[0], key=good[1]) as s:
        r = check(dns, s.port, '--smtp', domain='seven.example')
    ok(line(r, 'OK', 'the first 5 MX hosts probed, 2 more not') and s.connections == 5
       and r.perf.get('smtp_ok') == '5', 'T-01 only the first 5 MX hosts probed', r)

    port = closed_port()
    r = check(dns, port, '--smtp', domain='many.example')
    ok(r.rc == 2 and line(r, 'OK', 'SMTP: 32 addresses probed, 3 more not')
       and r.perf.get('smtp_ok') == '0' and within(r),
       'limit: at most 32 addresses probed at once', r)

    # --- --smtp alone does not touch TLS
    with SmtpFake('ok', cert=good[0], key=good[1]) as s:
        r = check(dns, s.port, '--smtp')
    ok(r.rc == 1 and line(r, 'OK', 'SMTP %s' % MX) and no_line(r, 'OK', 'TLS ')
       and not any(c.upper().startswith(b'STARTTLS') for c in s.commands),
       '--smtp alone: greeting and EHLO only, no STARTTLS', r)

    # --- our own inputs
    bad = os.path.join(tmpdir(), 'not-a-ca.pem')
    with open(bad, 'w') as f:
        f.write('not a certificate\n')
    with SmtpFake('ok', cert=good[0], key=good[1]) as s:
        r = check(dns, s.port, '--starttls', '--ca-file', bad)
    ok(r.rc == 3 and 'cannot load CA file' in r.first, 'unloadable --ca-file: UNKNOWN', r)
    r = check(dns, 25, '--starttls', '--ca-file', '/nonexistent/ca.pem')
    ok(r.rc == 3 and 'cannot read CA file' in r.out, 'unreadable --ca-file: UNKNOWN', r)
    r = check(dns, 0, '--smtp')
    ok(r.rc == 3, '--smtp-port 0: UNKNOWN', r)


# --- DANE: check_mx validates the TLSA answers itself (issue 19), so
# the records are signed (tests/lib/signedzones.py) and served by NSD,
# with their root's key as --trust-anchor; a DNS fault still comes from
# the scripted server (a SERVFAIL is never validated).
def dane(tlsa, mode='ok', cert=good, extra=(), faults=None):
    zone = dict(ZONE)
    if tlsa is not None:
        zone['_25._tcp.' + MX] = [tlsa]
    if faults is not None:
        with DnsServer(zone, faults=faults, lifetime=600) as d2, \
                SmtpFake(mode, cert=cert[0], key=cert[1]) as s:
            return check(d2, s.port, '--dane', '--trust-anchor', ANY_ANCHOR, *extra, t=T_HEAVY)
    with SignedRecords(zone) as h, SmtpFake(mode, cert=cert[0], key=cert[1]) as s:
        return check(h.nsd, s.port, '--dane', '--trust-anchor', h.anchor, *extra, t=T_HEAVY)


ANY_ANCHOR = os.path.join(tmpdir(), 'root.ds')
with open(ANY_ANCHOR, 'w') as f:
    f.write('. IN DS 20326 8 2 '
            'E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D\n')


ss_311 = bytes.fromhex(spki_sha256(selfsigned[0]))
r = dane(('TLSA', 3, 1, 1, ss_311), cert=selfsigned)
ok(r.rc == 1 and line(r, 'OK', 'DANE: TLSA 3 1 1 (DANE-EE)')
   and line(r, 'OK', 'certificate is self-signed (CN=%s) (DANE authenticates' % MX),
   'T-13 self-signed certificate with a matching DANE-EE record: not CRITICAL', r)
r = dane(('TLSA', 1, 1, 1, ss_311), cert=selfsigned)
ok(r.rc == 2 and line(r, 'CRITICAL', 'DANE: no usable TLSA record')
   and line(r, 'CRITICAL', 'self-signed'),
   'DANE: only a PKIX-EE record (unusable for SMTP): CRITICAL, PKIX still checked', r)
# DANE-TA checks the MX name as PKIX does (RFC 7672 3.2.3): never the CN,
# never a partial-label wildcard (T-13)
ca_201 = ('TLSA', 2, 0, 1, bytes.fromhex(cert_sha256(ca.cert)))
r = dane(ca_201, cert=cn_only)
ok(r.rc == 2 and line(r, 'CRITICAL', 'DANE: no TLSA record at _25._tcp.%s matches the '
                      'certificate' % MX) and line(r, 'CRITICAL', 'hostname mismatch')
   and no_line(r, 'OK', 'DANE: TLSA'),
   'T-13 DANE-TA: a CN-only leaf under a matching 2 0 1 record: CRITICAL', r)
r = dane(ca_201, cert=partial_wild)
ok(r.rc == 2 and line(r, 'CRITICAL', 'hostname mismatch') and no_line(r, 'OK', 'DANE: TLSA'),
   'T-13 DANE-TA: a partial-wildcard leaf under a matching 2 0 1 record: CRITICAL', r)
# DANE-TA verifies the leaf as OpenSSL (and so Postfix) does, with the
# TLS server purpose (implied: RFC 7672 3.1.2 "verify the chain"; T-13)
r = dane(ca_201, cert=client_only)
ok(r.rc == 2 and line(r, 'CRITICAL', 'DANE: no TLSA record at _25._tcp.%s matches the '
                      'certificate' % MX) and line(r, 'CRITICAL', 'purpose')
   and no_line(r, 'OK', 'DANE: TLSA'),
   'T-13 DANE-TA: a clientAuth-only leaf under a matching 2 0 1 record: CRITICAL', r)
# ... while DANE-EE checks nothing but the match (RFC 7672 3.1.1)
r = dane(('TLSA', 3, 1, 1, bytes.fromhex(spki_sha256(client_only[0]))), cert=client_only)
ok(line(r, 'OK', 'DANE: TLSA 3 1 1 (DANE-EE) at _25._tcp.%s matches' % MX)
   and no_line(r, 'CRITICAL', 'DANE'),
   'DANE-EE: a clientAuth-only leaf with a matching 3 1 1 record: DANE OK', r)
r = dane(('TLSA', 2, 0, 1, bytes.fromhex(cert_sha256(inter.cert))), cert=inter_full)
ok(r.rc == 1 and line(r, 'OK', 'DANE: TLSA 2 0 1 (DANE-TA) at _25._tcp.%s matches' % MX)
   and no_line(r, 'CRITICAL'),
   'DANE-TA: 2 0 1 of the intermediate sent with a SAN leaf: OK', r)
# A SHA-256 record of 31 octets: OpenSSL cannot use it, so there is no
# usable record (implied; was a usable record that never matched)
r = dane(('TLSA', 3, 1, 1, ss_311[:31]), cert=selfsigned)
ok(r.rc == 2 and line(r, 'CRITICAL', 'DANE: no usable TLSA record')
   and line(r, 'CRITICAL', 'self-signed'),
   'DANE: only a 3 1 1 record of the wrong length: no usable record, CRITICAL', r)
r = dane(('TLSA', 3, 1, 1, ss_311), mode='nostarttls')
ok(r.rc == 2 and line(r, 'CRITICAL', 'TLSA published at _25._tcp.%s but STARTTLS not '
                      'offered' % MX), 'DANE: TLSA published, no STARTTLS: CRITICAL', r)
r = dane(None, cert=selfsigned)
ok(r.rc == 2 and 'fix: _25._tcp.%s. IN TLSA 3 1 1 %s' % (MX, ss_311.hex()) in r.lines,
   'DANE: no TLSA: fix line with the live certificate\'s 3 1 1', r)
r = dane(('TLSA', 3, 1, 1, ss_311), faults=lambda q: Alter(rcode=SERVFAIL)
         if q.type == 'TLSA' else None)
ok(r.rc == 2 and line(r, 'CRITICAL', 'TLSA record: DNS SERVFAIL for _25._tcp.%s/TLSA' % MX),
   'DANE: TLSA lookup SERVFAIL is a DNS error, not "no TLSA"', r)

tap.done()
