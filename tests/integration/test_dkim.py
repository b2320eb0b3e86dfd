#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""check_dkim against a real NSD on loopback (and the fault server for
DNS failures): every DKIM row of doc/output-contract.md 8 (default states), the
K-* rows of doc/hostile-inputs.md (named by ID), -k in each key format.

Keys are generated here with the openssl CLI (512..4096 RSA, Ed25519);
the 16384-bit public key is a committed fixture (minutes to generate).
Keys with hostile shapes (exponent 1, > 16384 bits) are built as DER by
hand: parsing never checks that a modulus is a product of primes.
"""
import base64
import os
import random
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.join(os.environ.get('top_srcdir', '.'), 'tests', 'lib'))
from harness import (TAP, Nsd, run_plugin, genkey_rsa, genkey_ed25519,  # noqa: E402
                     dkim_txt, txt_rdata, split_txt, fixture, tmpdir, pubkey_b64,
                     valgrind_prefix)
from dnsserver import DnsServer  # noqa: E402

tap = TAP()
D = 'example.com'
# Wall-time bounds (-t + 1 s) hold for the plugin, not for valgrind's start-up.
SLOW = 10 if valgrind_prefix() else 1
TMP = tmpdir()


def openssl(*args):
    return subprocess.run(['openssl'] + list(args), check=True,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE).stdout


# ---- DER by hand, for keys no generator makes

def der_len(n):
    if n < 128:
        return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, 'big')
    return bytes([0x80 | len(b)]) + b


def der_int(i):
    b = i.to_bytes(i.bit_length() // 8 + 1, 'big')
    return b'\x02' + der_len(len(b)) + b


def der_seq(*parts):
    body = b''.join(parts)
    return b'\x30' + der_len(len(body)) + body


def spki_rsa(n, e):
    rsapub = der_seq(der_int(n), der_int(e))
    algid = bytes.fromhex('300d06092a864886f70d0101010500')
    return der_seq(algid, b'\x03' + der_len(len(rsapub) + 1) + b'\x00' + rsapub)


def modulus(bits):
    return random.getrandbits(bits) | (1 << (bits - 1)) | 1


def b64(b):
    return base64.b64encode(b).decode()


# ---- keys

rsa = {bits: genkey_rsa(bits, TMP) for bits in (512, 1024, 2048, 4096, 8192)}
key2048, p2048 = rsa[2048]
ed_key, ed_p = genkey_ed25519(TMP)
other_key, other_p = genkey_rsa(2048, TMP)
pkcs1_key = os.path.join(TMP, 'pkcs1.pem')
openssl('pkey', '-in', key2048, '-traditional', '-out', pkcs1_key)
pkcs1_pub = b64(openssl('rsa', '-in', key2048, '-RSAPublicKey_out', '-outform', 'DER'))
ec_key = os.path.join(TMP, 'ec.pem')
openssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', ec_key)
ec_p = pubkey_b64(ec_key)
with open(fixture('dkim', 'rsa16384.spki.b64')) as f:
    p16384 = f.read().strip()
ed_raw = base64.b64decode(ed_p)
ed_spki = b64(openssl('pkey', '-in', ed_key, '-pubout', '-outform', 'DER'))


def rec(sel, strings):
    return '%s._domainkey IN TXT %s' % (sel, txt_rdata(strings))


def key(sel, p, k='rsa', extra=''):
    return rec(sel, dkim_txt(p, k, extra))


def raw(sel, *strings):
    """Zone-file TXT strings written as given (zone escapes allowed)."""
    return '%s._domainkey IN TXT %s' % (sel, ' '.join('"%s"' % s for s in strings))


# K-02 / N-TXT-02: the 2048-bit record cut mid-quad, FWS of every kind
whole = 'v=DKIM1; k=rsa; p=' + p2048
midquad = [whole[:5], whole[5:23], whole[23:200], whole[200:201], whole[201:]]
fws_p = p2048[:50] + ' ' + p2048[50:101] + '\\009' + p2048[101:150] + \
    '\\013\\010 ' + p2048[150:]
zone_lines = [
    key('default', p2048), key('good', p2048),
    key('r512', rsa[512][1]), key('r1024', rsa[1024][1]),
    key('r4096', rsa[4096][1]), key('r8192', rsa[8192][1]),
    key('r16384', p16384),
    key('r16400', b64(spki_rsa(modulus(16400), 65537))),
    key('e1', b64(spki_rsa(modulus(2048), 1))),
    key('e2', b64(spki_rsa(modulus(2048), 2))),
    key('eeven', b64(spki_rsa(modulus(4096), 65536))),
    key('ebig', b64(spki_rsa(modulus(4096), 2 ** 64 + 1))),
    key('e3', b64(spki_rsa(modulus(2048), 3))),
    key('ed', ed_p, 'ed25519'),
    key('ed31', b64(ed_raw[:31]), 'ed25519'),
    key('ed33', b64(ed_raw + b'\0'), 'ed25519'),
    key('edspki', ed_spki, 'ed25519'),
    key('edasrsa', ed_p, 'rsa'),
    key('kdsa', p2048, 'dsa'), key('ked448', ed_p, 'ed448'),
    rec('kempty', split_txt('v=DKIM1; k=; p=' + p2048)),
    key('kupper', p2048, 'RSA'),
    key('pkcs1', pkcs1_pub), key('ecoid', ec_p),
    key('trunc', b64(base64.b64decode(p2048)[:150])),
    rec('b64bad', ['v=DKIM1; p=MIIB#AAA']),
    rec('b64mid', ['v=DKIM1; p=AB=CDEFG']),
    rec('b64len', ['v=DKIM1; p=abc']),
    rec('b64one', ['v=DKIM1; p=abcde']),
    raw('fws', 'v=DKIM1; k=rsa; p=' + fws_p[:200], fws_p[200:]),
    raw('fws2', 'v=DKIM1; k=rsa; p=' + p2048[:100], ' ' + p2048[100:300], p2048[300:]),
    rec('midquad', midquad),
    rec('dup', ['v=DKIM1; p=' + p2048[:200], '; p=' + p2048[200:]]),
    rec('glued', split_txt('v=DKIM1; k=ed25519;p=' + ed_p + 'v=DKIM1; k=ed25519; p=' + ed_p)),
    rec('revoked', ['v=DKIM1; k=rsa; p=']),
    rec('nop', ['v=DKIM1; k=rsa']),
    key('v2', p2048).replace('v=DKIM1', 'v=DKIM2'),
    rec('vlate', split_txt('k=rsa; v=DKIM1; p=' + p2048)),
    rec('noeq', split_txt('v=DKIM1; foo; p=' + p2048)),
    key('unk', p2048, extra='x=1; g=*'),
    key('sha1', p2048, extra='h=sha1'),
    key('sha256', p2048, extra='h=sha1:sha256'),
    key('semail', p2048, extra='s=email'), key('sstar', p2048, extra='s=*'),
    key('sfoo', p2048, extra='s=foo'),
    key('ty', p2048, extra='t=y'), key('ts', p2048, extra='t=s'),
    key('two', p2048), key('two', other_p),
    'cn._domainkey IN CNAME sel._domainkey.provider.example.',
    'dangle._domainkey IN CNAME gone.provider.example.',
    'dangle2._domainkey IN CNAME nodata.provider.example.',
    'loop._domainkey IN CNAME loop2._domainkey',
    'loop2._domainkey IN CNAME loop._domainkey',
    rec('notkey', ['e.washingtonpost.com.sailthrudkim.com']),
    rec('big', split_txt('v=DKIM1; p=' + 'QUJD' * 15000)),
    'nodata._domainkey IN A 192.0.2.1',
    raw('nul', 'v=DKIM1; p=MIIB\\000AAA|x'),
]
provider = '\n'.join([
    'sel._domainkey IN TXT ' + txt_rdata(dkim_txt(p2048)),
    'nodata IN A 192.0.2.2',
])


def dkim(*args, server, **kw):
    return run_plugin('check_dkim', '-D', D, *args, server=server, **kw)


def fix_key(r):
    """The p= of the record in r's fix: lines (strings joined)."""
    joined = ''.join(''.join(re.findall(r'"((?:[^"\\]|\\.)*)"', l))
                     for l in r.lines if l.startswith('fix: '))
    m = re.search(r'p=([A-Za-z0-9+/=]*)', joined)
    return m.group(1) if m else None


def has(r, text):
    return any(text in l for l in r.lines)


# Each case: (name, args, rc, text in the first line, text in the output
# or, after '!', text in no line of it)
CASES = [
    # doc/output-contract.md 8: OK, missing, invalid, weak, testing
    ('default selector, 2048-bit key OK', [], 0, 'default rsa 2048 bits', None),
    ('record missing (NXDOMAIN): CRITICAL', ['-S', 'nokey'], 2, 'no DKIM key', 'NXDOMAIN'),
    ('record missing (NODATA): CRITICAL', ['-S', 'nodata'], 2, 'no DKIM key', 'no TXT record'),
    ('K-01 char outside the alphabet', ['-S', 'b64bad'], 2, 'invalid base64 in p=', None),
    ('K-01 = in the middle', ['-S', 'b64mid'], 2, 'invalid base64 in p=', "'=' before the end"),
    ('K-01 bad length abc', ['-S', 'b64len'], 2, 'invalid base64 in p=', None),
    ('K-01 one leftover char', ['-S', 'b64one'], 2, 'invalid base64 in p=', 'left over'),
    ('K-02 FWS (space, tab, CRLF) inside p=', ['-S', 'fws'], 0, '2048 bits', None),
    ('K-02 second string starts with a space', ['-S', 'fws2'], 0, '2048 bits', None),
    ('N-TXT-02 key split mid-quad and mid-tag', ['-S', 'midquad'], 0, '2048 bits', None),
    ('K-03 truncated DER', ['-S', 'trunc'], 2, 'cannot parse public key', None),
    ('K-04 PKCS#1 RSAPublicKey: WARNING', ['-S', 'pkcs1'], 1, 'PKCS#1', 'rsa 2048-bit key'),
    ('K-04 EC key under k=rsa', ['-S', 'ecoid'], 2, 'not RSA', None),
    ('K-05 512 bits: key too small', ['-S', 'r512'], 2, 'too small', None),
    ('K-05 1024 bits: WARNING', ['-S', 'r1024'], 1, 'under 2048 bits', None),
    ('K-05 4096 bits OK', ['-S', 'r4096'], 0, 'rsa 4096 bits', None),
    ('K-05 4096 bits: an 800-byte answer is no news', ['-S', 'r4096'], 0, 'rsa 4096 bits',
     '!key answer is'),
    ('K-05 4096 bits: -v gives the answer size', ['-S', 'r4096', '-v'], 0, 'rsa 4096 bits',
     'bytes (over UDP)'),
    ('K-05 8192 bits outside verifier range', ['-S', 'r8192'], 1,
     'rsa 8192-bit key outside RFC 8301 verifier range 1024-4096', None),
    ('K-05 8192 bits: answer over 1232 bytes noted', ['-S', 'r8192'], 1,
     'rsa 8192-bit key', 'over 1232: resolvers need TCP'),
    ('K-05 16384 bits outside verifier range', ['-S', 'r16384'], 1,
     'outside RFC 8301 verifier range 1024-4096', None),
    ('K-05 16400 bits refused', ['-S', 'r16400'], 2, 'RSA key too large', None),
    ('K-05 exponent 1', ['-S', 'e1'], 2, 'exponent', None),
    ('K-05 exponent 2', ['-S', 'e2'], 2, 'exponent is even', None),
    ('K-05 even exponent', ['-S', 'eeven'], 2, 'exponent is even', None),
    ('K-05 exponent 2^64+1, 4096-bit modulus', ['-S', 'ebig'], 2, 'exponent of 65 bits', None),
    ('K-05 exponent 3 accepted', ['-S', 'e3'], 0, '2048 bits', None),
    ('ed25519 key OK', ['-S', 'ed'], 0, 'ed ed25519 256 bits', None),
    ('K-06 ed25519 31 bytes', ['-S', 'ed31'], 2, 'must be 32 bytes', None),
    ('K-06 ed25519 33 bytes', ['-S', 'ed33'], 2, 'must be 32 bytes', None),
    ('K-06 ed25519 as SPKI', ['-S', 'edspki'], 2, 'must be 32 bytes', 'SPKI'),
    ('K-06 k=rsa with 32 raw bytes', ['-S', 'edasrsa'], 2, 'cannot parse public key', 'k=ed25519'),
    ('K-06 k=dsa', ['-S', 'kdsa'], 2, 'unsupported key type dsa', None),
    ('K-06 k=ed448', ['-S', 'ked448'], 2, 'unsupported key type ed448', None),
    ('K-06 k= empty', ['-S', 'kempty'], 2, 'unsupported key type', None),
    ('K-06 k=RSA: WARNING', ['-S', 'kupper'], 1, 'not lower case', None),
    ('K-07 duplicate p=', ['-S', 'dup'], 2, 'duplicate tag p', None),
    ('K-07 glued records (rspamd#2999)', ['-S', 'glued'], 2, 'duplicate tag k', None),
    ('K-08 revoked key', ['-S', 'revoked'], 2, 'key revoked (empty p=)', None),
    ('K-09 missing p=', ['-S', 'nop'], 2, 'no p= tag', None),
    ('K-09 v=DKIM2', ['-S', 'v2'], 2, 'not a DKIM key record', None),
    ('K-09 v= not first', ['-S', 'vlate'], 2, 'not the first tag', None),
    ('K-09 tag without =', ['-S', 'noeq'], 2, "tag without '='", None),
    ('K-09 unknown tags ignored', ['-S', 'unk'], 0, '2048 bits', None),
    ('K-09 h=sha1 only: CRITICAL', ['-S', 'sha1'], 2, 'sha1 only', None),
    ('K-09 h=sha1:sha256 OK', ['-S', 'sha256'], 0, '2048 bits', None),
    ('K-09 s=email OK', ['-S', 'semail'], 0, '2048 bits', None),
    ('K-09 s=* OK', ['-S', 'sstar'], 0, '2048 bits', None),
    ('K-09 s=foo: CRITICAL, unusable for mail', ['-S', 'sfoo'], 2, 'verifiers must ignore',
     'fix: sfoo._domainkey.example.com. IN TXT "v=DKIM1; k=rsa; p='),
    ('K-09 t=y: WARNING', ['-S', 'ty'], 1, 'testing mode', None),
    ('K-09 t=s shown', ['-S', 'ts'], 0, '2048 bits', '[OK] ts: t=s'),
    ('K-10 two TXT records', ['-S', 'two'], 2, 'multiple key records', 'record 2 of 2'),
    ('K-11 CNAME delegation followed, chain shown', ['-S', 'cn'], 0, '2048 bits',
     'delegated by CNAME cn._domainkey.example.com -> sel._domainkey.provider.example'),
    ('K-11 dangling CNAME (NXDOMAIN)', ['-S', 'dangle'], 2, 'dangling delegation',
     'gone.provider.example'),
    ('K-11 dangling CNAME (NODATA)', ['-S', 'dangle2'], 2, 'dangling delegation', None),
    ('K-11 CNAME loop: DNS error state, not "no key"', ['-S', 'loop'], 2, 'CNAME loop', None),
    ('K-11 CNAME loop with --dns-error-state=unknown',
     ['-S', 'loop', '--dns-error-state=unknown'], 3, 'CNAME loop', None),
    ('K-12 not a DKIM key', ['-S', 'notkey'], 2, 'not a DKIM key record', None),
    ('K-14 60 KB p=: too large before DER', ['-S', 'big'], 2, 'key data too large (45000 bytes', None),
    ('N-TXT-04 NUL and | in a record: CRITICAL, escaped', ['-S', 'nul'], 2, 'invalid key record', None),
    ('-c stricter: 2048 under -c 4096:', ['-S', 'good', '-c', '4096:'], 2, 'outside -c 4096:', None),
    ('-w laxer allowed: 1024 with -w 1024:', ['-S', 'r1024', '-w', '1024:'], 0, '1024 bits', None),
    ('-c laxer refused: 512 with -c 256: still CRITICAL', ['-S', 'r512', '-c', '256:'], 2, 'too small', None),
]

with Nsd({D: '\n'.join(zone_lines), 'provider.example': provider}) as ns:
    for name, args, rc, first, text in CASES:
        r = dkim(*args, server=ns)
        # text: a line of the output has it; '!text': none has
        ok = r.rc == rc and first in r.first and (
            text is None or (not has(r, text[1:]) if text.startswith('!') else has(r, text)))
        ok = ok and r.first.startswith('DKIM ') and r.wall < 10 + SLOW
        tap.ok(ok, name, r)

    # a DNS answer we had is never "no key"; a missing key's fix line
    r = dkim('-S', 'nokey', server=ns)
    # implied: a placeholder record published as printed would be an
    # invalid key: no fix: line, the record in words
    tap.ok(not any(l.startswith('fix: ') for l in r.lines)
           and has(r, '[OK] to fix: publish "nokey._domainkey.example.com. IN TXT '
                   '\\"v=DKIM1; k=rsa; p=<public key of the signing key>\\""')
           and has(r, 'openssl genpkey'),
           'implied: missing key without -k: the record in words and key commands, no fix: line', r)
    r = dkim('-S', 'dangle', server=ns)
    tap.ok(has(r, 'to fix: publish "gone.provider.example. IN TXT'),
           'K-11 dangling: the record to publish at the CNAME target', r)

    # perfdata: per selector, with the ranges; time and dns_queries
    r = dkim(server=ns)
    # Icinga 2 reads thresholds as plain numbers only; "2048:" (alert
    # below) has none that means the same, so the fields stay empty.
    tap.ok(re.search(r'default_bits=2048;;;0', r.perfdata) and 'time' in r.perf
           and 'dns_queries' in r.perf, 'perfdata default_bits, time, dns_queries', r)
    r = dkim('-S', 'good', '-w', '3000:', '-c', '1500:', server=ns)
    tap.ok(r.rc == 1 and re.search(r'good_bits=2048;;;0', r.perfdata),
           '-w/-c apply; below-thresholds leave perfdata warn/crit empty', r)
    r = dkim('-S', 'ed', server=ns)
    tap.ok(r.perf.get('ed_bits') == '256', 'ed25519: ed_bits=256 without RSA thresholds', r)

    # -v shows the unknown tags; without -v they are not there
    r = dkim('-S', 'unk', server=ns)
    r2 = dkim('-S', 'unk', '-v', server=ns)
    tap.ok(not has(r, 'unknown tag') and has(r2, '2 unknown tags ignored: x, g'),
           'K-09 unknown tags shown with -v only', r2)

    # several selectors: one batch, each on its own line, worst first
    r = dkim('-S', 'good', '-S', 'revoked', '-S', 'ed', server=ns)
    tap.ok(r.rc == 2 and 'revoked: key revoked' in r.first and has(r, '[OK] good: rsa 2048-bit key')
           and has(r, '[OK] ed: ed25519 key') and r.long[0].startswith('[CRITICAL] revoked')
           and 'good_bits' in r.perf and 'ed_bits' in r.perf and r.perf.get('dns_queries') == '3',
           'two good selectors and one revoked: CRITICAL, worst first', r)
    r = dkim('-S', 'good', '-S', 'r1024', server=ns)
    tap.ok(r.rc == 1 and 'r1024' in r.first, 'key rotation: old weak selector warns', r)

    # -k: matching in each format, non-matching, fix lines
    for label, sel, k in (('PKCS#8 PEM RSA', 'good', key2048), ('PKCS#1 PEM RSA', 'good', pkcs1_key),
                          ('PKCS#8 PEM ed25519', 'ed', ed_key)):
        r = dkim('-S', sel, '-k', k, server=ns)
        tap.ok(r.rc == 0 and has(r, 'matches private key') and 'matching the private key' in r.first,
               '-k %s matches' % label, r)
    with open(pkcs1_key) as f:
        tap.ok('BEGIN RSA PRIVATE KEY' in f.read(), 'the PKCS#1 key file really is PKCS#1')
    r = dkim('-S', 'good', '-k', other_key, server=ns)
    tap.ok(r.rc == 2 and 'does not match private key' in r.first and fix_key(r) == other_p,
           '-k mismatch: CRITICAL, fix carries the private key\'s public key', r)
    r = dkim('-S', 'ed', '-k', key2048, server=ns)
    tap.ok(r.rc == 2 and 'published ed25519 key, but private key' in r.first and fix_key(r) == p2048,
           '-k of another type: CRITICAL', r)
    r = dkim('-S', 'good', '-k', ed_key, server=ns)
    tap.ok(r.rc == 2 and fix_key(r) == ed_p and has(r, 'k=ed25519'),
           '-k ed25519 against an RSA record: fix is the ed25519 record', r)
    r = dkim('-S', 'nokey', '-k', key2048, server=ns)
    fixl = [l for l in r.lines if l.startswith('fix: ')]
    tap.ok(r.rc == 2 and fix_key(r) == p2048 and len(fixl) == 1
           and all(len(s) <= 255 for s in re.findall(r'"([^"]*)"', fixl[0])),
           'missing key with -k: fix carries the real key in strings <= 255', r)
    r = dkim('-S', 'nokey', '-k', rsa[8192][0], server=ns)
    fixl = [l for l in r.lines if l.startswith('fix: ')]
    # implied: its record would be the next run's WARNING (outside the
    # RFC 8301 verifier range): the commands for a key that passes
    tap.ok(r.rc == 2 and not fixl and has(r, '[OK] to fix: private key %s is a 8192-bit RSA key'
                                          % rsa[8192][0])
           and has(r, 'rsa_keygen_bits:2048') and has(r, 'opendkim-genkey -b 2048 -s nokey'),
           'implied: 8192-bit -k: no record for it, the commands that make a 2048-bit key', r)
    r = dkim('-S', 'r8192', '-k', rsa[8192][0], server=ns)
    tap.ok(r.rc == 1 and has(r, 'matches private key'), '-k 8192-bit key matches', r)
    r = dkim('-S', 'r4096', '-k', rsa[4096][0], server=ns)
    tap.ok(r.rc == 0, '-k 4096-bit key matches', r)
    r = dkim('-S', 'good', '-S', 'ed', '-k', key2048, '-k', ed_key, server=ns)
    tap.ok(r.rc == 0 and sum('matches private key' in l for l in r.long) == 2,
           'one -k per selector, in order', r)
    r = dkim('-S', 'good', '-S', 'ed', '-k', ed_key, '-k', key2048, server=ns)
    tap.ok(r.rc == 2 and sum('but private key' in l for l in r.long) == 2,
           '-k in the wrong order: both CRITICAL', r)
    r = dkim('-S', 'good', '-S', 'default', '-k', key2048, server=ns)
    tap.ok(r.rc == 0 and sum('matches private key' in l for l in r.long) == 2,
           'one -k for all selectors', r)
    r = dkim('-S', 'good', '-S', 'ed', '-S', 'default', '-k', key2048, '-k', ed_key, server=ns)
    tap.ok(r.rc == 3, 'two -k for three selectors: UNKNOWN', r)
    r = dkim('-S', 'pkcs1', '-k', key2048, server=ns)
    tap.ok(r.rc == 1 and has(r, 'matches private key') and fix_key(r) == p2048,
           'K-04 PKCS#1 published: matches, fix is the SPKI form', r)

    # key files: world-readable, unreadable, garbage
    wr = os.path.join(TMP, 'world.pem')
    shutil.copy(key2048, wr)
    os.chmod(wr, 0o644)
    # implied (opendkim-testkey's "key not secure"): a key file its group
    # or others may read or write is a WARNING naming the mode in octal;
    # the mode is the file's own, after following symlinks
    link = os.path.join(TMP, 'link.pem')
    os.symlink(wr, link)
    for mode, who in ((0o644, 'group and others read it'), (0o640, 'its group read it'),
                      (0o604, 'others read it'), (0o620, 'its group write it'),
                      (0o666, 'group and others read and write it')):
        os.chmod(wr, mode)
        r = dkim('-S', 'good', '-k', wr, server=ns)
        tap.ok(r.rc == 1 and ('private key %s not secure: mode %04o lets %s' % (wr, mode, who))
               in r.first, 'key file mode %04o: WARNING, key not secure, mode named' % mode, r)
    os.chmod(wr, 0o644)
    r = dkim('-S', 'good', '-k', link, server=ns)
    tap.ok(r.rc == 1 and 'private key %s not secure: mode 0644 ' % link in r.first,
           'symlink to a 0644 key file: WARNING with the file\'s mode 0644', r)
    os.chmod(wr, 0o600)
    r = dkim('-S', 'good', '-k', wr, server=ns)
    tap.ok(r.rc == 0 and 'not secure' not in r.out, 'key file mode 0600: OK', r)
    r = dkim('-S', 'good', '-k', link, server=ns)
    tap.ok(r.rc == 0 and 'not secure' not in r.out,
           'symlink (itself 0777) to a 0600 key file: OK', r)
    r = dkim('-S', 'good', '-k', os.path.join(TMP, 'absent.pem'), server=ns)
    tap.ok(r.rc == 3 and 'cannot open' in r.out, 'missing key file: UNKNOWN', r)
    r = dkim('-S', 'good', '-k', TMP, server=ns)
    tap.ok(r.rc == 3 and 'not a regular file' in r.out, 'key file a directory: UNKNOWN', r)
    garbage = os.path.join(TMP, 'garbage.pem')
    with open(garbage, 'w') as f:
        f.write('-----BEGIN PRIVATE KEY-----\nnot base64 at all\n-----END PRIVATE KEY-----\n')
    os.chmod(garbage, 0o600)
    r = dkim('-S', 'good', '-k', garbage, server=ns)
    tap.ok(r.rc == 3 and 'no private key' in r.out, 'garbage key file: UNKNOWN', r)
    r = dkim('-S', 'good', '-k', ec_key, server=ns)
    tap.ok(r.rc == 3 and 'unsupported key type' in r.out, 'EC private key: UNKNOWN', r)
    if os.geteuid() != 0:
        unread = os.path.join(TMP, 'unread.pem')
        shutil.copy(key2048, unread)
        os.chmod(unread, 0)
        r = dkim('-S', 'good', '-k', unread, server=ns)
        tap.ok(r.rc == 3 and 'Permission denied' in r.out, 'unreadable key file: UNKNOWN', r)
    else:
        tap.skip('unreadable key file: UNKNOWN', 'root reads every file')

# ---- faults: from the fault server, never "no key"
good_txt = [s.encode() for s in dkim_txt(p2048)]
zone = {'default._domainkey.example.com': [('TXT', good_txt)],
        'slow._domainkey.example.com': [('TIMEOUT',)],
        'sf._domainkey.example.com': [('TXT', good_txt)]}


def servfail(q):
    return q.reply(rcode=2) if q.name.startswith('sf.') else None


with DnsServer(zone, faults=servfail) as s:
    r = dkim('-S', 'sf', server=s)
    tap.ok(r.rc == 2 and 'SERVFAIL' in r.first and 'no DKIM key' not in r.out,
           'N-RC-01 SERVFAIL: DNS error, CRITICAL, never "no key"', r)
    r = dkim('-S', 'sf', '--dns-error-state=warning', server=s)
    tap.ok(r.rc == 1 and 'SERVFAIL' in r.first, '--dns-error-state=warning', r)
    r = dkim('-S', 'slow', '-t', '2', server=s)
    tap.ok(r.rc == 2 and 'no DKIM key' not in r.out and r.wall < 2 + SLOW,
           'N-TO-01 silent server: DNS error within -t + 1 s', r)
    r = dkim('-S', 'default', '-S', 'sf', server=s)
    tap.ok(r.rc == 2 and has(r, '[OK] default: rsa 2048-bit key') and 'SERVFAIL' in r.first,
           'one selector answered, one SERVFAIL', r)
    before = len(s.queries)
    for bad in ('a b', 'a(b', 'x\x01y', 'a..b', 'a' * 64, '', '.'):
        r = dkim('-S', bad, server=s)
        tap.ok(r.rc == 3 and 'invalid selector' in r.out, 'K-13 selector %r: UNKNOWN' % bad, r)
    tap.ok(len(s.queries) == before, 'K-13 no query sent for an invalid selector',
           '%d queries' % (len(s.queries) - before))
    s.queries.clear()
    r = dkim('-S', 'default', '-S', 'sf', '-S', 'nokey', server=s)
    tap.ok(not s.duplicates() and s.count('default._domainkey.example.com', 'TXT') == 1
           and s.count('nokey._domainkey.example.com', 'TXT') == 1,
           'three selectors: each name asked once', s.queries)
    r = dkim('-S', 'default', '-S', 'DEFAULT', server=s)
    tap.ok(r.rc == 3 and 'selector given twice' in r.out, 'a selector given twice: UNKNOWN', r)

tap.done()
