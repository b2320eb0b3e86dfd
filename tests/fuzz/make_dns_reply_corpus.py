#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes the seed corpus of tests/fuzz/fuzz_dns_reply.c (see its header
for the input layout). Run from the source tree; the output is checked in."""
import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'lib'))
from dnsserver import rr, rdata_txt, rdata_mx, rdata_name, rdata_a, \
    rdata_aaaa, rdata_soa   # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), 'corpus', 'dns_reply')
TYPES = ['TXT', 'MX', 'A', 'AAAA', 'CNAME', 'PTR', 'NS', 'SOA', 'SPF', 'TLSA']
Q = b'\xc0\x0c'       # a pointer to the question name (offset 12)


def seed(name, qtype, body, an=0, ns=0, ar=0, rcode=0, mode=0):
    head = bytes([TYPES.index(qtype), mode]) + struct.pack(
        '!HHHHH', 0x8580 | rcode, 1, an, ns, ar)
    with open(os.path.join(OUT, name), 'wb') as f:
        f.write(head + body)


def ptr_rr(rtype, rdata):
    return Q + struct.pack('!HHIH', rtype, 1, 300, len(rdata)) + rdata


os.makedirs(OUT, exist_ok=True)
seed('txt', 'TXT', ptr_rr(16, rdata_txt([b'v=spf1 ', b'-all'])), an=1)
seed('txt-bytes', 'TXT', ptr_rr(16, rdata_txt([b'\0\xff', b''])), an=1)
seed('txt-zero', 'TXT', ptr_rr(16, b''), an=1)
seed('txt-1000', 'TXT', ptr_rr(16, b'\x01a' * 1000), an=1)
seed('txt-tc', 'TXT', ptr_rr(16, rdata_txt([b'x'])), an=1, mode=2)
seed('spf', 'SPF', ptr_rr(99, rdata_txt([b'v=spf1 -all'])), an=1)
seed('mx', 'MX', ptr_rr(15, rdata_mx(10, 'mail.example')) +
     ptr_rr(15, b'\0\0\0'), an=2)
seed('addr', 'A', ptr_rr(1, rdata_a('192.0.2.1')) +
     ptr_rr(28, rdata_aaaa('2001:db8::1')), an=2)
seed('aaaa', 'AAAA', ptr_rr(28, rdata_aaaa('2001:db8::1')), an=1)
seed('cname', 'TXT', ptr_rr(5, rdata_name('b.example')) +
     rr('b.example', 'TXT', rdata_txt([b'end'])), an=2)
seed('cname-loop', 'TXT', ptr_rr(5, rdata_name('b.example')) +
     rr('b.example', 'CNAME', rdata_name('a.example')), an=2)
seed('cname-only', 'A', ptr_rr(5, rdata_name('c.example')), an=1)
seed('nodata-soa', 'TXT', rr('example', 'SOA', rdata_soa('ns.example')),
     ns=1)
seed('nxdomain', 'TXT', rr('example', 'SOA', rdata_soa('ns.example')),
     ns=1, rcode=3)
seed('ptr', 'PTR', ptr_rr(12, rdata_name('host.example')), an=1)
seed('ns', 'NS', ptr_rr(2, rdata_name('ns.example')), an=1)
seed('soa', 'SOA', ptr_rr(6, rdata_soa('ns.example')), an=1)
seed('tlsa', 'TLSA', ptr_rr(52, b'\3\1\1' + b'\xab' * 32), an=1)
seed('opt', 'TXT', ptr_rr(16, rdata_txt([b'x'])) +
     b'\0\0\x29\x04\xd0\0\0\0\0\0\0', an=1, ar=1)
seed('ptrloop', 'TXT', b'\xc0\x1d' + struct.pack('!HHIH', 16, 1, 0, 2) +
     b'\x01a', an=1)
with open(os.path.join(OUT, 'raw-garbage'), 'wb') as f:
    f.write(b'\0\1' + bytes(range(256)))
