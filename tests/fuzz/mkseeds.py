#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Write the seed corpora of the fuzz targets under tests/fuzz/corpus/.

usage: mkseeds.py [CORPUSDIR]

One input per doc/hostile-inputs.md catalogue row the target concerns (more
where a row lists several shapes); each file name starts with the row ID.
The inputs follow the layout each target's header comment describes.
Re-running rewrites these files; inputs added by hand or found by the
fuzzer (regression inputs) are left alone.
"""

import base64
import os
import struct
import sys

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    os.path.dirname(os.path.abspath(__file__)), 'corpus')


def put(target, name, data):
    d = os.path.join(OUT, target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode('latin-1')
    with open(os.path.join(d, name), 'wb') as f:
        f.write(data)


# ---------------------------------------------------------------- SPF record
S = 'spf_parse'
put(S, 'N-TXT-01-onebyte-strings-joined', 'v=spf1 ip4:192.0.2.1 -all')
put(S, 'N-TXT-02-split-token-joined', 'v=spf1 include:x.example -all')
put(S, 'N-TXT-03-empty', '')
put(S, 'N-TXT-04-nul-high-bytes', 'v=spf1 \0 ip4:192.0.2.1 \xff\xfe -all')
put(S, 'N-TXT-04-crlf-pipe-esc', 'v=spf1 a:x|y.example \r\n\x1b[31m -all')
put(S, 'N-SIZE-01-65280-bytes', 'v=spf1 ' + 'a' * (65280 - 7))
put(S, 'S-REC-01-spf10', 'v=spf10 -all')
put(S, 'S-REC-01-upper', 'V=SPF1 -ALL')
put(S, 'S-REC-02-60k-10000-terms', 'v=spf1' + ' ip4:192.0.2.1' * 4300)
put(S, 'S-REC-02-one-60k-term', 'v=spf1 a:' + 'x' * 60000 + '.example -all')
put(S, 'S-REC-02-10000-terms', 'v=spf1' + ' ?a' * 10000)
put(S, 'S-REC-03-garbled-modifier', 'v=spf1 moo.cow/far_out=man:dog/cat -all')
put(S, 'S-REC-03-empty-modifier-name', 'v=spf1 =foo -all')
put(S, 'S-REC-03-redirect-twice', 'v=spf1 redirect=a.example redirect=b.example')
put(S, 'S-REC-03-exp-twice', 'v=spf1 exp=a.example exp=b.example -all')
for n, v in [('cidr4-33', 'ip4:1.2.3.4/33'), ('short', 'ip4:1.2.3'),
             ('port', 'ip4:1.2.3.4:25'), ('cidr6-129', 'ip6:::/129'),
             ('ip4-empty', 'ip4:'), ('cidr4-032', 'ip4:1.2.3.4/032'),
             ('dual-cidr', 'a/24//64'), ('leading-zero', 'ip4:01.2.3.4')]:
    put(S, 'S-IP-01-' + n, 'v=spf1 %s -all' % v)
put(S, 'S-IP-02-ip6-no-colon', 'v=spf1 ip6:2001:db8::/32 -all')
put(S, 'S-IP-02-v4-mapped', 'v=spf1 ip6:::ffff:1.2.3.4 ip6:::1 -all')
for n, v in [('q', '%{q}'), ('empty', '%{}'), ('unterminated', '%{d'),
             ('trailing', '%'), ('x', '%x')]:
    put(S, 'S-MAC-01-' + n, 'v=spf1 a:%s.example -all' % v)
put(S, 'S-MAC-05-escapes', 'v=spf1 exists:%%%_%-.%{d}.example -all')
put(S, 'S-MAC-08-530-spec', 'v=spf1 exists:' + '%{l}a.' * 75 + 'example -all')
put(S, 'S-MAC-09-crt-outside-exp', 'v=spf1 exists:%{c}.%{r}.%{t}.example -all')
put(S, 'S-LIM-01-self-include', 'v=spf1 include:e2.example -all')
put(S, 'S-LIM-02-redirect-self', 'v=spf1 redirect=t5.example.com')
put(S, 'S-LIM-03-11-terms', 'v=spf1' + ' a:x%d.example' % 0 * 11 + ' -all')
put(S, 'S-EXP-01-exp', 'v=spf1 -all exp=explain.%{d}.example')
put(S, 'X-04-escapes', 'v=spf1 include:a\\046b.example a:a\\000b.example -all')
put(S, 'X-05-empty-label', 'v=spf1 a:a..example a:.example -all')

# ---------------------------------------------------------------- SPF macros
M = 'spf_macro'
L = {c: i for i, c in enumerate('slodiphcrtv')}


def mac(letter, digits=0, r=False, delims='', exp=False, anyl=False,
        outmax=0, upper=False, rest=b''):
    b0 = L[letter.lower()] | (0x10 if upper else 0)
    b2 = (1 if r else 0)
    for d in delims:
        b2 |= 1 << ('.-+,/_='.index(d) + 1)
    b3 = (1 if exp else 0) | (2 if anyl else 0) | (outmax << 2)
    if isinstance(rest, str):
        rest = rest.encode('latin-1')
    return bytes([b0, digits, b2, b3]) + rest


put(M, 'S-MAC-01-q', mac('d', rest='%{q}'))
put(M, 'S-MAC-01-empty', mac('d', rest='%{}'))
put(M, 'S-MAC-01-unterminated', mac('d', rest='%{d'))
put(M, 'S-MAC-01-trailing', mac('d', rest='abc%'))
put(M, 'S-MAC-02-digits-128', mac('d', 201, rest='a.b.c.d'))     # 201 % 4 = 1 -> 128
put(M, 'S-MAC-02-digits-2147483648', mac('d', 202, rest='a.b.c'))
put(M, 'S-MAC-02-digits-huge', mac('d', 203, rest='a.b'))
put(M, 'S-MAC-02-digits-0', mac('d', 204, rest='a.b'))
put(M, 'S-MAC-02-all-delims-r', mac('l', 1, True, '.-+,/_=', rest='a-b+c,d/e_f=g.h'))
put(M, 'S-MAC-02-repeated-delims', mac('l', 2, True, '-', rest='a--b---c'))
put(M, 'S-MAC-02-as-string', mac('d', rest='%{d2r.-+,/_=}.%{l99999999999999999999}'))
put(M, 'S-MAC-03-urlencode-high', mac('s', upper=True, rest=bytes(range(0x80, 0x100))))
put(M, 'S-MAC-03-upper-string', mac('d', rest='%{S}.%{L}.%{O}'))
put(M, 'S-MAC-04-reverse-unequal', mac('d', 0, True, rest='a.bbbbbbbbbbbbbbbbbbbbbbbb.cc.d'))
put(M, 'S-MAC-05-escapes', mac('d', rest='%%%_%-'))
put(M, 'S-MAC-06-local-1000', mac('l', rest='x' * 1000))
put(M, 'S-MAC-06-local-100000', mac('l', upper=True, rest='%' * 100000))
put(M, 'S-MAC-06-helo-percents', mac('d', rest='%{h}' * 400))
put(M, 'S-MAC-07-fill-exactly', mac('d', outmax=0, rest='x' * 4096))
put(M, 'S-MAC-07-fill-plus-one', mac('d', outmax=0, rest='x' * 4097))
put(M, 'S-MAC-07-small-buffer', mac('d', outmax=4, rest='x' * 253 + '%{d}'))
put(M, 'S-MAC-08-510-mixed', mac('d', rest=('%{l}a.' * 85)[:510]))
put(M, 'S-MAC-09-p', mac('p', rest='mail.example.org'))
put(M, 'S-MAC-09-crt-no-exp', mac('c', rest='%{c}%{r}%{t}'))
put(M, 'S-EXP-01-exp-text', mac('c', exp=True, rest='%{c} is not allowed %{r} %{t} %{p} \x1b|\r\n'))
put(M, 'X-02-over-253', mac('d', rest=('%{d}.' * 20) + 'example'))
put(M, 'X-04-backslash', mac('d', rest='a\\046b.%{d}'))

# ---------------------------------------------------------------- DNS replies
D = 'dns_answer'
T = {'TXT': 0, 'MX': 1, 'A': 2, 'AAAA': 3, 'CNAME': 4, 'PTR': 5, 'SOA': 6,
     'TLSA': 7, 'SPF': 8, 'NS': 9}
TN = {'TXT': 16, 'MX': 15, 'A': 1, 'AAAA': 28, 'CNAME': 5, 'PTR': 12,
      'SOA': 6, 'NS': 2, 'OPT': 41, 'SPF': 99, 'NULL': 10}
QNAME_PTR = b'\xc0\x0c'     # the inserted question's name is at offset 12


def name(s):
    out = b''
    for lab in s.rstrip('.').split('.'):
        if lab:
            out += bytes([len(lab)]) + lab.encode('latin-1')
    return out + b'\0'


def hdr(flags=0x8180, qd=1, an=0, ns=0, ar=0, qid=0):
    return struct.pack('!HHHHHH', qid, flags, qd, an, ns, ar)


def rr(owner, t, rdata, cls=1, ttl=300):
    t = TN.get(t, t)
    if isinstance(rdata, str):
        rdata = rdata.encode('latin-1')
    return owner + struct.pack('!HHIH', t, cls, ttl, len(rdata)) + rdata


def txt(*strings):
    out = b''
    for s in strings:
        if isinstance(s, str):
            s = s.encode('latin-1')
        out += bytes([len(s)]) + s
    return out


def reply(qtype, body, mode=0):
    return bytes([T[qtype], mode]) + body


SPF = txt('v=spf1 ip4:192.0.2.1 -all')
put(D, 'N-RC-02-noerror-txt', reply('TXT', hdr(an=1) + rr(QNAME_PTR, 'TXT', SPF)))
for rc, n in [(2, 'servfail'), (5, 'refused'), (4, 'notimp'), (1, 'formerr')] + \
        [(c, 'rcode%d' % c) for c in range(11, 16)]:
    put(D, 'N-RC-01-' + n, reply('TXT', hdr(flags=0x8180 | rc)))
put(D, 'N-RC-02-nxdomain', reply('TXT', hdr(flags=0x8583, ns=1) + rr(
    QNAME_PTR, 'SOA', name('ns.example.com') + name('h.example.com') + b'\0' * 20)))
put(D, 'N-RC-02-nodata-soa', reply('TXT', hdr(flags=0x8580, ns=1) + rr(
    QNAME_PTR, 'SOA', name('ns.example.com') + name('h.example.com') + b'\0' * 20)))
put(D, 'N-RC-03-nxdomain-with-answer', reply('TXT', hdr(flags=0x8183, an=1) + rr(QNAME_PTR, 'TXT', SPF)))
put(D, 'N-RC-03-aa0-empty', reply('TXT', hdr(flags=0x8180)))
put(D, 'N-TC-01-tc-udp-tcp-ok', reply('TXT', hdr(flags=0x8380, an=1) + rr(QNAME_PTR, 'TXT', SPF)))
put(D, 'N-TC-01-tcp-only-answer', reply('TXT', hdr(an=1) + rr(QNAME_PTR, 'TXT', SPF), mode=0x10))
chain = b''
for i in range(27):
    owner = QNAME_PTR if i == 0 else name('c%d.example.com' % i)
    chain += rr(owner, 'CNAME', name('c%d.example.com' % (i + 1)))
put(D, 'N-TC-02-partial-chain', reply('TXT', hdr(flags=0x8380, an=27) + chain))
put(D, 'N-ID-01-wrong-id', reply('TXT', hdr(an=1, qid=0xbeef) + rr(QNAME_PTR, 'TXT', SPF), mode=1))
other_q = name('other.example') + struct.pack('!HH', 16, 1)
put(D, 'N-ID-03-other-question', reply('TXT', hdr(an=1) + other_q + rr(b'\xc0\x0c', 'TXT', SPF), mode=2))
put(D, 'N-ID-03-case-folded', reply('TXT', hdr(an=1) + name('ExAmPlE.CoM') + struct.pack('!HH', 16, 1)
                                    + rr(b'\xc0\x0c', 'TXT', SPF), mode=2))
put(D, 'N-ID-03-qdcount0', reply('TXT', hdr(qd=0, an=1) + rr(name('example.com'), 'TXT', SPF), mode=2))
put(D, 'N-ID-03-qdcount2', reply('TXT', hdr(qd=2, an=1) + name('example.com') + struct.pack('!HH', 16, 1) * 1
                                 + name('example.com') + struct.pack('!HH', 16, 1) + rr(b'\xc0\x0c', 'TXT', SPF), mode=2))
put(D, 'N-ID-03-qr0', reply('TXT', hdr(flags=0x0180, an=1) + rr(QNAME_PTR, 'TXT', SPF)))
put(D, 'N-ID-03-opcode-status', reply('TXT', hdr(flags=0x9180, an=1) + rr(QNAME_PTR, 'TXT', SPF)))
put(D, 'N-ID-03-type-class', reply('TXT', hdr(an=1) + name('example.com') + struct.pack('!HH', 1, 3)
                                   + rr(b'\xc0\x0c', 'TXT', SPF), mode=2))
put(D, 'N-WIRE-01-empty', reply('TXT', b'', mode=3))
put(D, 'N-WIRE-01-5-bytes', reply('TXT', b'\0\0\x81\x80\0', mode=3))
put(D, 'N-WIRE-01-header-ancount5', reply('TXT', hdr(an=5)))
put(D, 'N-WIRE-02-hex-garbage', reply('TXT', bytes.fromhex(
    '00008180000100010000000003626164076578616d706c650000100001c00c00100001000001'
    '2c00ff0568656c6c6f') + b'\xde\xad\xbe\xef' * 8, mode=3))
put(D, 'N-WIRE-03-rdlength-past-end', reply('TXT', hdr(an=1) + QNAME_PTR + struct.pack('!HHIH', 16, 1, 300, 255) + b'\x05hello'))
put(D, 'N-WIRE-03-rdlength-short-of-strings', reply('TXT', hdr(an=1) + QNAME_PTR + struct.pack('!HHIH', 16, 1, 300, 4) + b'\x10abcdefghijklmnop'))
put(D, 'N-WIRE-03-trailing-bytes', reply('TXT', hdr(an=1) + rr(QNAME_PTR, 'TXT', SPF) + b'trailing junk'))
put(D, 'N-WIRE-04-ptr-loop', reply('TXT', hdr(an=1) + b'\xc0\x1d' + struct.pack('!HHIH', 16, 1, 300, len(SPF)) + SPF))   # 29: itself
put(D, 'N-WIRE-04-self-pointer', reply('TXT', hdr(an=1) + b'\x01a\xc0\x1d' + struct.pack('!HHIH', 16, 1, 300, len(SPF)) + SPF))
put(D, 'N-WIRE-04-forward-pointer', reply('TXT', hdr(an=1) + b'\xc0\x30' + struct.pack('!HHIH', 16, 1, 300, len(SPF)) + SPF + name('example.com')))
put(D, 'N-WIRE-04-pointer-to-0', reply('TXT', hdr(an=1) + b'\xc0\x00' + struct.pack('!HHIH', 16, 1, 300, len(SPF)) + SPF))
put(D, 'N-WIRE-04-pointer-past-end', reply('TXT', hdr(an=1) + b'\xff\xff' + struct.pack('!HHIH', 16, 1, 300, len(SPF)) + SPF))
put(D, 'N-WIRE-04-pointer-to-nul', reply('TXT', hdr(an=1) + b'\xc0\x18' + struct.pack('!HHIH', 16, 1, 300, len(SPF)) + SPF))
# ptrchain: a NULL RR whose rdata is a root label and 2-byte pointers, each
# to the previous one; then A RRs owned by the last pointer (B.2).
base = 12 + 17 + 2 + 10           # after header, question, owner, fixed RR part
ptrs = b'\0'
for i in range(3000):
    ptrs += struct.pack('!H', 0xc000 | (base + (0 if i == 0 else 1 + 2 * (i - 1))))
last = base + 1 + 2 * 2999
body = rr(QNAME_PTR, 'NULL', ptrs)
for i in range(500):
    body += rr(struct.pack('!H', 0xc000 | last), 'A', b'\xc0\x00\x02\x01')
put(D, 'N-WIRE-04-ptrchain', reply('A', hdr(an=501) + body))
put(D, 'N-WIRE-05-label-64', reply('TXT', hdr(an=1) + rr(b'\x40' + b'a' * 64 + b'\0', 'TXT', SPF)))
put(D, 'N-WIRE-05-name-256', reply('CNAME', hdr(an=1) + rr(QNAME_PTR, 'CNAME', (b'\x3f' + b'a' * 63) * 4 + b'\x03abc\0')))
put(D, 'N-WIRE-06-ancount-65535', reply('TXT', hdr(an=65535) + rr(QNAME_PTR, 'TXT', SPF) * 3))
put(D, 'N-WIRE-06-10000-tiny-rrs', reply('A', hdr(an=5000) + rr(QNAME_PTR, 'A', b'\xc0\x00\x02\x01') * 5000, mode=4))
opt0 = b'\0' + struct.pack('!HHIH', 41, 1232, 0, 0)
put(D, 'N-WIRE-07-opt-rdlen0', reply('TXT', hdr(an=1, ar=1) + rr(QNAME_PTR, 'TXT', SPF) + opt0))
put(D, 'N-WIRE-07-two-opt', reply('TXT', hdr(an=1, ar=2) + rr(QNAME_PTR, 'TXT', SPF) + opt0 + opt0))
put(D, 'N-WIRE-07-opt-in-answer', reply('TXT', hdr(an=2) + opt0 + rr(QNAME_PTR, 'TXT', SPF)))
put(D, 'N-RR-01-a-for-txt', reply('TXT', hdr(an=1) + rr(QNAME_PTR, 'A', b'\xc0\x00\x02\x01')))
put(D, 'N-RR-01-spf99', reply('TXT', hdr(an=1) + rr(QNAME_PTR, 'SPF', SPF)))
put(D, 'N-RR-01-cname-nowhere', reply('TXT', hdr(an=1) + rr(QNAME_PTR, 'CNAME', name('nowhere.example'))))
put(D, 'N-RR-02-other-owner', reply('TXT', hdr(an=1) + rr(name('other.example'), 'TXT', txt('v=spf1 +all'))))
put(D, 'N-RR-03-class-ch', reply('TXT', hdr(an=2) + rr(QNAME_PTR, 'TXT', SPF, cls=3) + rr(QNAME_PTR, 'TXT', SPF, cls=255)))
put(D, 'N-RR-04-ptr-50', reply('PTR', hdr(an=50) + b''.join(rr(QNAME_PTR, 'PTR', name('h%d.example.org' % i)) for i in range(50))))
put(D, 'N-RR-04-ptr-0', reply('PTR', hdr()))
put(D, 'N-RR-05-wildcard-junk', reply('TXT', hdr(an=1) + rr(QNAME_PTR, 'TXT', txt('junk'))))
put(D, 'N-CN-01-loop', reply('TXT', hdr(an=2) + rr(QNAME_PTR, 'CNAME', name('b.example')) + rr(name('b.example'), 'CNAME', name('example.com'))))
put(D, 'N-CN-01-mixed-case-loop', reply('TXT', hdr(an=2) + rr(QNAME_PTR, 'CNAME', name('B.example')) + rr(name('b.EXAMPLE'), 'CNAME', name('EXAMPLE.com'))))
for n in (40, 200):
    c = b''
    for i in range(n):
        owner = QNAME_PTR if i == 0 else name('c%d.example.com' % i)
        c += rr(owner, 'CNAME', name('c%d.example.com' % (i + 1)))
    c += rr(name('c%d.example.com' % n), 'TXT', SPF)
    put(D, 'N-CN-02-chain-%d' % n, reply('TXT', hdr(an=n + 1) + c, mode=4))
put(D, 'N-CN-03-one-cname-per-answer', reply('TXT', hdr(an=1) + rr(QNAME_PTR, 'CNAME', name('example.com.example.com'))))
big = txt(*(['x' * 255] * 255))
put(D, 'N-SIZE-01-bigtxt', reply('TXT', hdr(an=1) + rr(QNAME_PTR, 'TXT', big), mode=4))
many = b''.join(rr(QNAME_PTR, 'TXT', txt('junk %d' % i)) for i in range(299)) + rr(QNAME_PTR, 'TXT', SPF)
put(D, 'N-SIZE-02-300-txt', reply('TXT', hdr(an=300) + many, mode=4))
put(D, 'N-TXT-01-1000-one-byte', reply('TXT', hdr(an=1) + rr(QNAME_PTR, 'TXT', txt(*list('v=spf1 -all' + ' ' * 989))), mode=4))
put(D, 'N-TXT-02-split-token', reply('TXT', hdr(an=1) + rr(QNAME_PTR, 'TXT', txt('v=spf1 inc', 'lude:x.example -all'))))
put(D, 'N-TXT-03-zero-strings', reply('TXT', hdr(an=1) + rr(QNAME_PTR, 'TXT', b'')))
put(D, 'N-TXT-03-one-empty', reply('TXT', hdr(an=1) + rr(QNAME_PTR, 'TXT', b'\0')))
put(D, 'N-TXT-03-255-empty', reply('TXT', hdr(an=1) + rr(QNAME_PTR, 'TXT', b'\0' * 255)))
put(D, 'N-TXT-04-nul-high', reply('TXT', hdr(an=1) + rr(QNAME_PTR, 'TXT', txt('v=spf1 \0 ip4:192.0.2.1 \xff\xfe |\r\n\x1b -all'))))
put(D, 'T-01-null-mx', reply('MX', hdr(an=1) + rr(QNAME_PTR, 'MX', b'\0\0\0')))
put(D, 'T-01-100-mx', reply('MX', hdr(an=100) + b''.join(rr(QNAME_PTR, 'MX', struct.pack('!H', i) + name('mx%d.example.com' % i)) for i in range(100)), mode=4))
put(D, 'T-01-mx-hostile-names', reply('MX', hdr(an=2) + rr(QNAME_PTR, 'MX', b'\0\x0a' + b'\x05a|b\0c\x07example\0')
                                      + rr(QNAME_PTR, 'MX', b'\0\x14' + b'\x40' + b'm' * 64 + b'\0')))
put(D, 'N-RR-01-aaaa-soa-tlsa', reply('TLSA', hdr(an=3) + rr(QNAME_PTR, 'AAAA', b'\x20\x01\x0d\xb8' + b'\0' * 12)
                                      + rr(QNAME_PTR, 52, b'\x03\x01\x01' + b'\xab' * 32) + rr(QNAME_PTR, 52, b'\x03')))

# ---------------------------------------------------------------- DKIM keys
# The dkim area's own seeds (corpus/dkim/rsa1024 etc.) hold real keys;
# these are the catalogue rows by name, built from them where a key is
# needed (skipped when they are absent).
K = 'dkim'


def corpus_file(target, name):
    try:
        with open(os.path.join(OUT, target, name), 'rb') as f:
            return f.read()
    except OSError:
        return None


def p_of(rec):
    return rec.split(b'p=', 1)[1].strip() if rec and b'p=' in rec else None


P1024 = p_of(corpus_file(K, 'rsa1024'))
P16384 = p_of(corpus_file(K, 'spki16384'))
PKCS1 = p_of(corpus_file(K, 'pkcs1'))
ED = b'xPJTy9YIMUr/oH7AE3N+9VKfwKl3Ng9Gxcez9tEY7GE='
put(K, 'K-01-bad-alphabet', b'v=DKIM1; k=rsa; p=MIGf*MA0G!CSqG')
put(K, 'K-01-pad-in-middle', b'v=DKIM1; k=rsa; p=MI=GfMA0G')
put(K, 'K-01-length-abc', b'v=DKIM1; k=rsa; p=abc')
put(K, 'K-01-one-leftover', b'v=DKIM1; k=rsa; p=MIGfM')
if P1024:
    put(K, 'K-02-fws-crlf', b'v=DKIM1; k=rsa; p=' + P1024[:40] + b' \t\r\n ' + P1024[40:])
    put(K, 'K-02-split-space', b'v=DKIM1; k=rsa; p=' + P1024[:60] + b' ' + P1024[60:])
    der = base64.b64decode(P1024)
    for cut in (1, 2, 30, len(der) // 2, len(der) - 1):
        put(K, 'K-03-truncated-%d' % cut, b'v=DKIM1; k=rsa; p=' + base64.b64encode(der[:cut]))
    put(K, 'K-07-duplicate-p', b'v=DKIM1; k=rsa; p=' + P1024 + b'; p=' + P1024)
    put(K, 'K-09-h-sha1-t-y', b'v=DKIM1; h=sha1; t=y; s=email; k=rsa; p=' + P1024)
    put(K, 'K-09-v-not-first', b'k=rsa; v=DKIM1; p=' + P1024)
    put(K, 'K-09-v-dkim2', b'v=DKIM2; k=rsa; p=' + P1024)
    put(K, 'K-09-tag-without-eq', b'v=DKIM1; k=rsa; foo; p=' + P1024)
    put(K, 'K-10-two-records-joined', b'v=DKIM1; p=' + P1024 + b'v=DKIM1; p=' + P1024)
    put(K, 'K-11-cname-target-key', b'v=DKIM1; k=rsa; p=' + P1024)
if PKCS1:
    put(K, 'K-04-pkcs1', b'v=DKIM1; k=rsa; p=' + PKCS1)
put(K, 'K-04-ec-oid-under-rsa', b'v=DKIM1; k=rsa; p=MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE' + b'A' * 86 + b'==')
if P16384:
    put(K, 'K-05-16384', b'v=DKIM1; k=rsa; p=' + P16384)
put(K, 'K-06-dsa', b'v=DKIM1; k=dsa; p=' + ED)
put(K, 'K-06-ed448', b'v=DKIM1; k=ed448; p=' + ED)
put(K, 'K-06-k-empty', b'v=DKIM1; k=; p=' + ED)
put(K, 'K-06-ed25519-31', b'v=DKIM1; k=ed25519; p=' + base64.b64encode(b'\x11' * 31))
put(K, 'K-06-ed25519-33', b'v=DKIM1; k=ed25519; p=' + base64.b64encode(b'\x11' * 33))
put(K, 'K-06-rsa-32-raw', b'v=DKIM1; k=rsa; p=' + ED)
put(K, 'K-08-revoked', b'v=DKIM1; k=rsa; p=')
put(K, 'K-09-missing-p', b'v=DKIM1; k=rsa')
put(K, 'K-12-not-a-key', b'e.washingtonpost.com.sailthrudkim.com')
put(K, 'K-13-control-bytes', b'v=DKIM1; n=a\x00b\x1b(c) d; p=' + ED)
put(K, 'K-14-60k-junk', b'v=DKIM1; k=rsa; p=' + b'QUJD' * 15000)

# ---------------------------------------------------------------- DMARC
R = 'dmarc'
put(R, 'M-01-1000-rua', 'v=DMARC1; p=none; rua=' + ','.join('mailto:r%d@example.com' % i for i in range(1000)))
put(R, 'M-02-1000-unknown-tags', 'v=DMARC1; p=none; ' + '; '.join('x%d=y' % i for i in range(1000)))
put(R, 'M-02-3000-tags', 'v=DMARC1; p=none; ' + '; '.join('pct=%d' % (i % 100) for i in range(3000)))
put(R, 'M-03-duplicate-p', 'v=DMARC1; p=none; p=reject')
for n, v in [('not-first', 'p=none; v=DMARC1'), ('lower', 'v=dmarc1; p=none'),
             ('dmarc10', 'v=DMARC10; p=none'), ('no-semicolon', 'v=DMARC1 p=none'),
             ('leading-space', ' v=DMARC1; p=none')]:
    put(R, 'M-04-' + n, v)
for n, v in [('p-missing', 'sp=none'), ('p-bad', 'p=maybe'), ('sp-bad', 'p=none; sp=x'),
             ('np-bad', 'p=none; np=1'), ('pct-101', 'p=none; pct=101'),
             ('pct-neg', 'p=none; pct=-1'), ('pct-abc', 'p=none; pct=abc'),
             ('pct-huge', 'p=none; pct=99999999999999999999'),
             ('ri-overflow', 'p=none; ri=99999999999999999999999'),
             ('fo-colons', 'p=none; fo=::'), ('adkim-x', 'p=none; adkim=x')]:
    put(R, 'M-05-' + n, 'v=DMARC1; ' + v)
for ln in (0, 1, 32, 33, 255, 256, 4096):
    put(R, 'M-05-value-len-%d' % ln, 'v=DMARC1; p=none; rua=mailto:' + 'a' * ln + '@example.com; fo=' + '1' * ln)
for n, v in [('empty', 'mailto:'), ('at', 'mailto:@'), ('no-domain', 'mailto:a@'),
             ('size', 'mailto:a@b!10m'), ('size-huge', 'mailto:a@b.example!999999999999t'),
             ('https', 'https://x'), ('no-scheme', 'a@b.example'),
             ('comma-space', 'mailto:a@b.example , mailto:c@d.example'),
             ('trailing-comma', 'mailto:a@b.example,')]:
    put(R, 'M-06-' + n, 'v=DMARC1; p=none; rua=' + v)
put(R, 'M-07-opendmarc-62', 'v=DMARC1; p=none; rf=afrfruf=mailto:dmarc_fr@dmarc.250ok.net; rua=mailto:a@b.example')
put(R, 'M-07-space-separated-rua', 'v=DMARC1; p=none; rua=mailto:a@b.example rua=mailto:c@d.example')
put(R, 'M-08-two-records-joined', 'v=DMARC1; p=none;v=DMARC1; p=reject')
put(R, 'M-09-external-destinations', 'v=DMARC1; p=reject; rua=' + ','.join('mailto:d@dest%d.example' % i for i in range(20)))
put(R, 'M-10-wildcard-junk', 'junk')
put(R, 'N-TXT-02-split-joined', 'v=DMARC1; p=none')
put(R, 'N-TXT-04-nul-esc', 'v=DMARC1; p=none\0; rua=mailto:a|b\x1b[31m@ex\xffample.com')

# ---------------------------------------------------------------- MTA-STS
# fuzz_mta_sts.c reads each input as a TXT record, a policy body, a
# Content-Type, an "mx pattern LF host" pair and LF-separated TXT RRs.
A = 'mta_sts'
POL = 'version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: *.example.net\r\nmx: backupmx.example.com\r\nmax_age: 604800\r\n'
put(A, 'RFC-8461-3.1-record', 'v=STSv1; id=20160831085700Z;')
put(A, 'RFC-8461-3.2-policy', POL)
put(A, 'RFC-8461-3.2-policy-lf', POL.replace('\r\n', '\n'))
put(A, 'RFC-8461-4.1-wildcard', '*.example.com\nmail.example.com')
put(A, 'P-01-two-records', 'v=STSv1; id=1\nv=STSv1; id=2\nv=spf1 -all')
put(A, 'P-01-id-33', 'v=STSv1; id=' + 'a' * 33)
put(A, 'P-01-id-dashes', 'v=STSv1; id=2024-01-01')
put(A, 'P-01-id-nul', 'v=STSv1; id=ab\0c; x=\xff')
put(A, 'P-01-spacing', 'v=STSv1 ;; id = 1 ; junk ')
for n, v in [('star-star', '*.*.example.com'), ('star-prefix', '*example.com'),
             ('ip', '192.0.2.1'), ('ipv6', '2001:db8::1'), ('trailing-dot', 'mail.example.com.')]:
    put(A, 'P-02-' + n, 'version: STSv1\nmode: enforce\nmx: %s\nmax_age: 86400\n' % v)
    put(A, 'P-02-match-' + n, '%s\nmail.example.com' % v)
for n, v in [('0', '0'), ('negative', '-1'), ('2-64', '18446744073709551616'),
             ('over-a-year', '31557601'), ('11-digits', '00000086400')]:
    put(A, 'P-03-max-age-' + n, 'version: STSv1\nmode: testing\nmx: a.example\nmax_age: %s\n' % v)
for n, v in [('html', 'text/html; charset=utf-8'), ('utf-16', 'text/plain; charset=utf-16'),
             ('quoted', 'TEXT/Plain;Charset="US-ASCII"'), ('empty', '')]:
    put(A, 'H-05-content-type-' + n, v)
put(A, 'H-06-nul', 'version: STSv1\nmode: enf\0orce\nmx: a.example\nmax_age: 86400\n')
put(A, 'H-06-bare-cr', 'version: STSv1\rmode: enforce\rmx: a.example\rmax_age: 86400\r')
put(A, 'H-06-10000-mx', 'version: STSv1\nmode: enforce\n' + 'mx:a\n' * 10000 + 'max_age: 86400\n')
put(A, 'H-06-10k-line', 'version: STSv1\nmode: none\nx: ' + 'a' * 10240 + '\nmax_age: 86400\n')
put(A, 'H-06-utf8', 'version: STSv1\nmode: none\nmax_age: 86400\nnote: caf\xe9 \xed\xa0\x80 \xf4\x90\x80\x80\n')
put(A, 'H-06-bom-blank', '\xef\xbb\xbfversion: STSv1\n\n\nMode: enforce\nmax-age: 1\n')

# ---------------------------------------------------------------- TLS-RPT
B = 'tlsrpt'
put(B, 'RFC-8460-3-mailto', 'v=TLSRPTv1;rua=mailto:reports@example.com')
put(B, 'RFC-8460-3-https', 'v=TLSRPTv1; rua=https://reporting.example.com/v1/tlsrpt')
put(B, 'P-04-100-uris', 'v=TLSRPTv1; rua=' + ','.join('mailto:r%d@example.com' % i for i in range(100)))
put(B, 'P-04-100-http', 'v=TLSRPTv1; rua=' + ','.join('http://r%d.example/' % i for i in range(100)))
for n, v in [('no-domain', 'mailto:tls@'), ('http', 'http://r.example.com/'),
             ('bang', 'mailto:a@example.com!10m'), ('ip-literal', 'https://[2001:db8::1]:443/r'),
             ('percent', 'mailto:a%2Cb@example.com,mailto:%zz'), ('nul', 'mailto:a\0@example.com'),
             ('empty', ','), ('userinfo-port', 'https://u@r.example:44x/')]:
    put(B, 'P-04-' + n, 'v=TLSRPTv1; rua=' + v)
put(B, 'P-04-two-records', 'v=TLSRPTv1; rua=mailto:a@example.com\nv=TLSRPTv1;rua=mailto:b@example.com')
put(B, 'P-04-syntax', 'v=TLSRPTv1 ;; RUA = x; junk ')

# ---------------------------------------------------------------- tag=value
V = 'tagvalue'


def tv(max_tags, rec):
    if isinstance(rec, str):
        rec = rec.encode('latin-1')
    return bytes([max_tags]) + rec


put(V, 'K-02-fws', tv(64, 'v=DKIM1;\r\n k = rsa ;\t p=MIGf MA0G\r\n\tCSqG'))
put(V, 'K-07-duplicate', tv(64, 'v=DKIM1; p=AAAA; p=BBBB'))
put(V, 'K-07-glued', tv(64, 'v=DKIM1; k=ed25519;p=xPJTv=DKIM1; k=ed25519; p=xPJT'))
put(V, 'K-09-tag-without-eq', tv(64, 'v=DKIM1; foo; p=AAAA'))
put(V, 'K-09-unknown-tags', tv(64, 'v=DKIM1; zz=1; y_y=2; p=AAAA'))
put(V, 'M-02-1000-tags', tv(255, '; '.join('x%d=y' % i for i in range(1000))))
put(V, 'M-02-over-max', tv(3, 'a=1; b=2; c=3; d=4'))
put(V, 'M-03-duplicate-p', tv(64, 'v=DMARC1; p=none; p=reject'))
put(V, 'M-07-glued-tags', tv(64, 'v=DMARC1; p=none; rf=afrfruf=mailto:x@y.example'))
put(V, 'N-TXT-02-split', tv(64, 'v=DMA' 'RC1; p=none'))
put(V, 'N-TXT-04-nul', tv(64, 'v=DKIM1; n=\0\xff\x1b; p=AAAA'))
put(V, 'O-02-empty', tv(0, ''))
put(V, 'O-02-semicolons', tv(64, ';;; ; ;'))

# ---------------------------------------------------------------- SMTP replies
# byte 0: limits/reset, byte 1: k split points, k piece sizes, the stream.
Q = 'smtp_split'


def sm(stream, pieces=(), flags=0):
    if isinstance(stream, str):
        stream = stream.encode('latin-1')
    return bytes([flags, len(pieces)]) + bytes(pieces) + stream


put(Q, 'T-03-nothing', sm(b''))
put(Q, 'T-04-endless-line', sm('220-' + 'x' * 1000, pieces=[100] * 10))
put(Q, 'T-04-line-511-512-513', sm('220 ' + 'a' * 507 + '\r\n' + '220 ' + 'b' * 508 + '\r\n' + '220 ' + 'c' * 509 + '\r\n'))
put(Q, 'T-05-multiline', sm('220-a\r\n220-b\r\n220 c\r\n', pieces=[3, 5, 1]))
put(Q, 'T-05-1000-lines', sm(''.join('220-line %d\r\n' % i for i in range(1000)) + '220 end\r\n'))
put(Q, 'T-05-code-mismatch', sm('220-a\r\n250 b\r\n'))
put(Q, 'T-05-bare-lf-nul', sm('220-a\n220-b\0c\r\n220 d\r\n'))
put(Q, 'T-05-small-limits', sm('250-a\r\n250-b\r\n250 c\r\n', flags=0x12))
put(Q, 'T-06-554', sm('554 5.7.1 go away |\x1b[31m\r\n'))
put(Q, 'T-06-421', sm('421 4.3.2 busy\r\n'))
put(Q, 'T-07-split-greeting', sm('220-hello\r\n220 ready\r\n', pieces=[6, 0, 0, 5]))
put(Q, 'T-08-ehlo-no-starttls', sm('250-mx.example\r\n250-SIZE 1000\r\n250 8BITMIME\r\n'))
put(Q, 'T-08-ehlo-starttls', sm('250-mx.example\r\n250-starttls\r\n250 SIZE\r\n', flags=0x40))
put(Q, 'T-09-454', sm('454 4.7.0 TLS not available\r\n'))
put(Q, 'T-10-injection', sm('220 go ahead\r\n250 injected-before-tls\r\n'))
put(Q, 'T-14-10000-ehlo-lines', sm(''.join('250-X%d\r\n' % i for i in range(10000))))

# ---------------------------------------------------------------- BIMI records
# The input is one record; split at '\n' it is also the TXT records of one
# answer (fuzz_bimi.c).
B = 'bimi'
put(B, 'valid', 'v=BIMI1; l=https://logo.example.com/brand/logo.svg; a=https://vmc.example.com/vmc.pem')
put(B, 'valid-port-query', 'v=BIMI1; l=https://logo.example.com:8443/l.svg?v=2#x; lps=true; avp=personal')
put(B, 'declined', 'v=BIMI1; l=; a=;')
put(B, 'P-05-http', 'v=BIMI1; l=http://example.com/logo.svg')
put(B, 'P-05-data', 'v=BIMI1; l=data:image/svg+xml;base64,PHN2Zz4=')
put(B, 'P-05-10k-url', 'v=BIMI1; l=https://example.com/' + 'a' * 10240)
put(B, 'P-05-a-http', 'v=BIMI1; l=https://e.example/l.svg; a=http://e.example/vmc.pem')
put(B, 'P-05-ip-userinfo', 'v=BIMI1; l=https://u:p@192.0.2.1:0/l.png; a=https://[::1]/x')
put(B, 'P-05-pct-comma', 'v=BIMI1; l=https://a.example/%zz,https://b.example/l.svg')
put(B, 'multiple', 'v=BIMI1; l=https://a.example/l.svg\nv=BIMI1; l=https://b.example/l.svg')
put(B, 'near-miss', ' v=BIMI1; l=x\nv=bimi1; l=y\nv=BIMI10\nV=BIMI1; l=https://a.example/l.svg')
put(B, 'nul-high-bytes', 'v=BIMI1; l=https://a.example/\0\xff.svg; \x1b=1')
put(B, 'many-tags', 'v=BIMI1; l=https://a.example/l.svg' + ''.join('; x%d=1' % i for i in range(100)))

# ---------------------------------------------------------------- SVG Tiny PS
# The input is the SVG document (fuzz_svg.c).
G = 'svg'
TPS = ('<svg xmlns="http://www.w3.org/2000/svg" version="1.2" baseProfile="tiny-ps" '
       'viewBox="0 0 100 100"><title>Example</title>%s</svg>')
put(G, 'valid', '<?xml version="1.0" encoding="UTF-8"?>\n' + TPS % '<rect width="100" height="100" fill="#0a0"/><use xlink:href="#r" xmlns:xlink="http://www.w3.org/1999/xlink"/>')
put(G, 'R-01-billion-laughs', '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "lol">' + ''.join('<!ENTITY %s "%s">' % (chr(98 + i), ('&%s;' % chr(97 + i)) * 10) for i in range(9)) + ']>' + TPS % '<text>&j;</text>')
put(G, 'R-01-quadratic', '<!DOCTYPE svg [<!ENTITY q "' + 'x' * 8000 + '">]>' + TPS % ('<text>' + '&q;' * 2000 + '</text>'))
put(G, 'R-02-xxe-file', '<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>' + TPS % '<text>&x;</text>')
put(G, 'R-02-xxe-param', '<!DOCTYPE svg [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>' + TPS % '')
put(G, 'R-02-dtd-fetch', '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">' + TPS % '')
put(G, 'R-08-script', TPS % '<script>alert(1)</script>')
put(G, 'R-08-events', TPS % '<rect onclick="x()" width="1"/><g ev:event="click" xmlns:ev="http://www.w3.org/2001/xml-events"/>')
put(G, 'R-08-external-href', TPS % '<use href="https://evil.example/x.svg#a"/><image xlink:href="data:image/png;base64,AA==" xmlns:xlink="http://www.w3.org/1999/xlink"/>')
put(G, 'R-08-foreign-animate', TPS % '<foreignObject><div xmlns="http://www.w3.org/1999/xhtml"/></foreignObject><animate attributeName="x"/><set to="1"/><animateTransform/><animateMotion/><animateColor/>')
put(G, 'R-08-style-import', '<?xml-stylesheet href="https://evil.example/a.css"?>' + TPS % '<style>@import url(https://evil.example/b.css);</style><rect style="fill:url(https://x.example/p)"/>')
put(G, 'R-08-root-xy', TPS.replace('<svg ', '<svg x="0" y="0" ') % '')
put(G, 'wrong-root', '<html xmlns="http://www.w3.org/1999/xhtml"><svg/></html>')
put(G, 'no-title-profile', '<svg xmlns="http://www.w3.org/2000/svg" version="1.1" baseProfile="full"/>')
put(G, 'deep', TPS % ('<g>' * 300 + '</g>' * 300))
put(G, 'many-elements', TPS % ('<g/>' * 5000))
put(G, 'not-xml', '<svg><rect></svg>')
put(G, 'gzip', b'\x1f\x8b\x08\x00' + b'\0' * 16)
put(G, 'too-large', TPS % ('<!--' + 'x' * 33000 + '-->'))

# ---------------------------------------------------------------- VMC PEM data
# The input is the PEM data (fuzz_vmc.c); valid-chain and ca-first are
# real certificates added by hand (see fuzz_vmc.c).
C = 'vmc'
put(C, 'P-05-over-64k', '-----BEGIN CERTIFICATE-----\n' + ('A' * 64 + '\n') * 1100 + '-----END CERTIFICATE-----\n')
put(C, 'empty', '')
put(C, 'garbage-base64', '-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n')
put(C, 'short-der', '-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n')
put(C, 'encrypted-header', '-----BEGIN CERTIFICATE-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00000000000000000000000000000000\n\nAAAA\n-----END CERTIFICATE-----\n')
put(C, 'unterminated', '-----BEGIN CERTIFICATE-----\nMIIB')
