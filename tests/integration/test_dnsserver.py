#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Self-tests of tests/lib/dnsserver.py: the fault server must itself be
right, or the resolver tests built on it prove nothing."""
import os
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.join(os.environ.get('top_srcdir', '.'),
                                'tests', 'lib'))
from dnsserver import (DnsServer, Alter, Delay, Reset, Stall, Drip,  # noqa
                       question, header, encode_name, rdata_txt)

try:
    from harness import TAP
except ImportError:          # before the rig branch lands
    class TAP:
        def __init__(self):
            self.n = 0

        def ok(self, cond, name, detail=None):
            self.n += 1
            print('%s %d - %s' % ('ok' if cond else 'not ok', self.n, name))
            if not cond and detail is not None:
                for l in str(detail).splitlines():
                    print('# ' + l)
            sys.stdout.flush()
            return cond

        def skip(self, name, why):
            self.n += 1
            print('ok %d - %s # SKIP %s' % (self.n, name, why))

        def done(self):
            print('1..%d' % self.n)


def query(name, qtype, qid=0x1234, edns=None):
    q = header(id=qid, qr=0, aa=0, rd=1, ar=1 if edns else 0) + \
        question(name, qtype)
    if edns:
        q += b'\0' + struct.pack('!HHIH', 41, edns, 0, 0)
    return q


def udp(port, msg, timeout=1.0):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(timeout)
    s.connect(('127.0.0.1', port))
    s.send(msg)
    try:
        return s.recv(65535)
    except socket.timeout:
        return None
    finally:
        s.close()


def tcp(port, msg, timeout=2.0):
    s = socket.create_connection(('127.0.0.1', port), timeout=timeout)
    s.sendall(struct.pack('!H', len(msg)) + msg)
    buf = b''
    try:
        while True:
            d = s.recv(65536)
            if not d:
                break
            buf += d
            if len(buf) >= 2 and len(buf) >= 2 + struct.unpack('!H',
                                                              buf[:2])[0]:
                break
    except (socket.timeout, ConnectionResetError) as e:
        return buf, e
    finally:
        s.close()
    return buf, None


def hdr(msg):
    return struct.unpack('!HHHHHH', msg[:12])


tap = TAP()
ZONE = {
    'Example.COM.': [('MX', 10, 'mail.example.com'),
                     ('TXT', [b'v=spf1 ', b'-all']), ('TXT', [])],
    'mail.example.com': [('A', '192.0.2.1')],
    'alias.example.com': [('CNAME', 'mail.example.com')],
    'big.example.com': [('TXT', [b'x' * 255] * 255)],
    'slow.example.com': [('A', '192.0.2.9'), ('TIMEOUT',)],
    'raw.example.com': [('RAW', 65, b'\1\2\3'), ('SPF', [b'v=spf1 \0\xff'])],
}
with DnsServer(ZONE) as s:
    r = udp(s.port, query('example.com', 'MX'))
    tap.ok(r is not None and hdr(r)[0] == 0x1234 and hdr(r)[3] == 1 and
           hdr(r)[1] & 0x8000, 'MX answered over UDP with the query ID')
    r = udp(s.port, query('EXAMPLE.com.', 'TXT'))
    tap.ok(r is not None and hdr(r)[3] == 2 and
           rdata_txt([b'v=spf1 ', b'-all']) in r,
           'TXT: two RRs, multi-string, case-insensitive owner')
    r = udp(s.port, query('nope.example.com', 'A'))
    tap.ok(r is not None and hdr(r)[1] & 15 == 3 and hdr(r)[4] == 1,
           'NXDOMAIN with SOA in authority')
    r = udp(s.port, query('mail.example.com', 'TXT'))
    tap.ok(r is not None and hdr(r)[1] & 15 == 0 and hdr(r)[3] == 0 and
           hdr(r)[4] == 1, 'NODATA')
    r = udp(s.port, query('alias.example.com', 'A'))
    tap.ok(r is not None and hdr(r)[3] == 2, 'CNAME followed in zone')
    r = udp(s.port, query('big.example.com', 'TXT'))
    tap.ok(r is not None and hdr(r)[1] & 0x0200 and hdr(r)[3] == 0 and
           len(r) <= 512, 'big TXT over UDP: TC=1, no partial RR')
    r, e = tcp(s.port, query('big.example.com', 'TXT'))
    tap.ok(e is None and len(r) > 65000 and hdr(r[2:])[3] == 1,
           'big TXT whole over TCP (%d bytes)' % len(r))
    t0 = time.monotonic()
    r = udp(s.port, query('slow.example.com', 'TXT'), 0.3)
    r2 = udp(s.port, query('slow.example.com', 'A'))
    tap.ok(r is None and r2 is not None, 'TIMEOUT: unlisted type silent, '
           'listed type answered')
    r = udp(s.port, query('raw.example.com', 'TYPE65'))
    tap.ok(r is not None and r.endswith(b'\0\x41\0\1\0\0\1\x2c\0\3\1\2\3'),
           'RAW record')
    r = udp(s.port, query('raw.example.com', 'SPF'))
    tap.ok(r is not None and b'\x09v=spf1 \0\xff' in r, 'SPF type 99 bytes')
    n = s.count('example.com', 'TXT')
    tap.ok(n == 1 and s.count(transport='tcp') == 1,
           'queries recorded (%d, %r)' % (n, s.queries))

faults = {
    'id': lambda q: Alter(id=q.id ^ 1),
    'tc': lambda q: 'tc' if q.transport == 'udp' else None,
    'reset': lambda q: Reset(b'\x01\xf4' + b'z' * 100),
    'stall': lambda q: Stall(65535, b'0123456789'),
    'delay': lambda q: Delay(0.3),
    'raw': lambda q: b'\0\0\0',
    'drip': lambda q: Drip(0.001),
}
with DnsServer(ZONE, faults=lambda q: faults.get(
        q.name.split('.')[0] if q.name.endswith('.f') else '',
        lambda _: None)(q)) as s:
    r = udp(s.port, query('id.f', 'A'))
    tap.ok(r is not None and hdr(r)[0] == 0x1235, 'Alter(id=...)')
    r = udp(s.port, query('tc.f', 'A'))
    tap.ok(r is not None and hdr(r)[1] & 0x0200, "'tc' over UDP")
    r, e = tcp(s.port, query('reset.f', 'A'))
    tap.ok(isinstance(e, ConnectionResetError) or len(r) == 102,
           'Reset after 102 bytes (%r, %d)' % (e, len(r)))
    r, e = tcp(s.port, query('stall.f', 'A'), timeout=0.5)
    tap.ok(isinstance(e, socket.timeout) and r == b'\xff\xff0123456789',
           'Stall: prefix then silence')
    t0 = time.monotonic()
    r = udp(s.port, query('delay.f', 'A'))
    tap.ok(r is not None and time.monotonic() - t0 >= 0.25, 'Delay')
    r = udp(s.port, query('raw.f', 'A'))
    tap.ok(r == b'\0\0\0', 'raw bytes reply')
    r, e = tcp(s.port, query('drip.f', 'A'))
    tap.ok(e is None and hdr(r[2:])[1] & 15 == 3, 'Drip delivers whole')
    tap.ok(not s.errors, 'no fault-hook errors', s.errors)
if DnsServer.can_spoof():
    from dnsserver import Spoof
    with DnsServer(ZONE, faults=lambda q: Spoof()) as s:
        r = udp(s.port, query('example.com', 'MX'), 0.5)
        tap.ok(r is None, 'Spoof from 127.0.0.2 not seen on a connected '
               'socket')
else:
    tap.skip('Spoof', '127.0.0.2 cannot be bound')
tap.done()
