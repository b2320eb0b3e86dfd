# SPDX-License-Identifier: GPL-3.0-or-later
"""A small authoritative DNS server for tests, Python 3 stdlib only.

    from dnsserver import DnsServer, Delay, Alter, Drip, Stall, Spoof, Reset, Stream
    zone = {
        'example.com': [('MX', 10, 'mail.example.com'),
                        ('TXT', [b'v=spf1 ', b'-all'])],
        'mail.example.com': [('A', '192.0.2.1'), ('AAAA', '2001:db8::1')],
        'slow.example.com': [('A', '192.0.2.2'), ('TIMEOUT',)],
    }
    with DnsServer(zone) as s:          # UDP and TCP on 127.0.0.1:s.port
        ... run a plugin with -s 127.0.0.1 -p s.port ...
        assert s.count('example.com', 'MX') == 1

Zone: owner name (str or bytes, any case, trailing dot optional) -> list
of records:
    ('A', '192.0.2.1')            ('AAAA', '2001:db8::1')
    ('MX', 10, 'mail.example.com')  ('CNAME', 'x.example')
    ('PTR', 'mail.example.com')   ('NS', 'ns.example')
    ('TXT', [b'str1', b'str2'])   each byte string one character-string;
                                  [] is a TXT RR with zero strings; a
                                  single str/bytes is split every 255 bytes
    ('SPF', [...])                the same as type 99
    ('SOA', mname, rname, serial) (optional; an SOA is made up otherwise)
    ('TLSA', usage, selector, mtype, data_bytes)
    ('RAW', qtype_int, rdata_bytes)
    ('TIMEOUT',)                  any type not listed before this entry
                                  gets no reply at all for this name
                                  (the RFC 7208 suite's meaning)
Names not in the zone get NXDOMAIN (SOA in authority); names without the
type asked get NODATA. CNAMEs are followed inside the zone, as an
authoritative server does. Names are not compressed in replies (legal,
and it keeps sizes predictable). UDP replies larger than 512 bytes, or
than the EDNS size of the query, keep the RRs that fit whole and set TC.

s.queries: list of (name, type, transport) for every query received:
name lower-case without trailing dot, type a mnemonic ('TXT', 'TYPE65'),
transport 'udp' or 'tcp'.

faults(query) is called for every query before answering; it returns
None (answer normally) or an action:
    'drop'              no reply at all (TCP: connection stays open)
    bytes               send these bytes as the reply (TCP: length-prefixed)
    'tc'                header and question only, TC=1 (UDP; TCP answers)
    'close'             TCP: close without a reply (UDP: no reply)
    Reset(prefix=b'')   TCP: write prefix bytes raw, then RST (SO_LINGER 0)
    Delay(sec, then=None)   wait, then do `then` (None: normal answer)
    Alter(**fields)     normal answer with fields changed: id, qr, opcode,
                        aa, tc, rd, ra, ad, rcode, flags (whole 16 bits),
                        qdcount, ancount, qname, qtype, qclass
    Drip(sec, then=None)    send the reply (TCP: with its prefix) one byte
                        per `sec` seconds
    Stall(length, data=b'') TCP: write a length prefix `length` and data,
                        then nothing until the server stops
    Spoof(reply=None)   UDP: send the reply (default: the normal answer)
                        from a socket bound to 127.0.0.2 instead
                        (DnsServer.can_spoof() tells if that works)
    Stream(data)        TCP: write data raw (no prefix added)
    Flood(msg, sec)     send msg (UDP: as datagrams; TCP: length-prefixed)
                        again and again for sec seconds, or until the
                        client closes the connection
    [a, b, ...]         every action in turn (e.g. a wrong-ID reply and
                        then the right one)
The query object has: id, flags, opcode, rd, cd, qname (wire bytes),
name, qtype (int), type (mnemonic), qclass, transport, edns (UDP size or
None), do, raw (query bytes) and methods answer() (the normal reply
bytes, or None when the zone says TIMEOUT) and reply(...) (build one).

Helpers to craft wire data by hand: header(), question(), rr(),
encode_name(), rdata_txt(), rdata_a(), rdata_aaaa(), rdata_mx(),
rdata_name(), rdata_soa(), opt_rr(), message().
"""

import ipaddress
import select
import socket
import struct
import threading
import time

TYPES = {'A': 1, 'NS': 2, 'CNAME': 5, 'SOA': 6, 'PTR': 12, 'MX': 15,
         'TXT': 16, 'AAAA': 28, 'SRV': 33, 'OPT': 41, 'TLSA': 52,
         'SPF': 99, 'ANY': 255}
TYPE_NAMES = {v: k for k, v in TYPES.items()}

NOERROR, FORMERR, SERVFAIL, NXDOMAIN, NOTIMP, REFUSED = 0, 1, 2, 3, 4, 5


def type_name(t):
    return TYPE_NAMES.get(t, 'TYPE%d' % t)


def type_num(t):
    if isinstance(t, int):
        return t
    t = t.upper()
    if t in TYPES:
        return TYPES[t]
    if t.startswith('TYPE'):
        return int(t[4:])
    raise ValueError('unknown type %r' % t)


# ---------------------------------------------------------------- wire

def _labels(name):
    """Labels of a name given as str or bytes (dotted) or a list."""
    if isinstance(name, (list, tuple)):
        return [l if isinstance(l, bytes) else l.encode('utf-8') for l in name]
    if isinstance(name, str):
        name = name.encode('utf-8')
    if name in (b'', b'.'):
        return []
    if name.endswith(b'.'):
        name = name[:-1]
    return name.split(b'.')


def encode_name(name):
    """Wire form of a name (str, bytes or list of labels); no checks on
    label length so tests can build illegal names on purpose."""
    if isinstance(name, (bytes, bytearray)) and name[-1:] == b'\0' and \
            _is_wire(bytes(name)):
        return bytes(name)
    out = b''
    for l in _labels(name):
        out += bytes([len(l) & 0xff]) + l
    return out + b'\0'


def _is_wire(b):
    i = 0
    while i < len(b):
        n = b[i]
        if n == 0:
            return i == len(b) - 1
        if n > 63:
            return False
        i += 1 + n
    return False


def header(id=0, qr=1, opcode=0, aa=1, tc=0, rd=0, ra=0, ad=0, cd=0,
           rcode=0, qd=1, an=0, ns=0, ar=0, flags=None):
    if flags is None:
        flags = (qr << 15) | ((opcode & 15) << 11) | (aa << 10) | \
            (tc << 9) | (rd << 8) | (ra << 7) | (ad << 5) | (cd << 4) | \
            (rcode & 15)
    return struct.pack('!HHHHHH', id & 0xffff, flags & 0xffff, qd & 0xffff,
                       an & 0xffff, ns & 0xffff, ar & 0xffff)


def question(name, qtype='A', qclass=1):
    return encode_name(name) + struct.pack('!HH', type_num(qtype), qclass)


def rr(name, rtype, rdata, rclass=1, ttl=300, rdlen=None):
    """One RR; rdlen overrides the length field (to lie about it)."""
    if rdlen is None:
        rdlen = len(rdata)
    return encode_name(name) + struct.pack('!HHIH', type_num(rtype), rclass,
                                           ttl, rdlen) + rdata


def rdata_txt(strings):
    if isinstance(strings, (str, bytes)):
        b = strings.encode('utf-8') if isinstance(strings, str) else strings
        strings = [b[i:i + 255] for i in range(0, len(b), 255)] or [b'']
    out = b''
    for s in strings:
        if isinstance(s, str):
            s = s.encode('utf-8')
        if len(s) > 255:
            raise ValueError('character-string over 255 bytes')
        out += bytes([len(s)]) + s
    return out


def rdata_a(addr):
    return ipaddress.IPv4Address(addr).packed


def rdata_aaaa(addr):
    return ipaddress.IPv6Address(addr).packed


def rdata_mx(pref, host):
    return struct.pack('!H', pref) + encode_name(host)


def rdata_name(host):
    return encode_name(host)


def rdata_soa(mname, rname='hostmaster.invalid', serial=1, refresh=3600,
              retry=600, expire=86400, minimum=300):
    return encode_name(mname) + encode_name(rname) + struct.pack(
        '!IIIII', serial, refresh, retry, expire, minimum)


def opt_rr(size=1232, do=0, rdata=b'', rdlen=None):
    return rr(b'', 'OPT', rdata, rclass=size, ttl=(0x8000 if do else 0),
              rdlen=rdlen)


def message(id=0, questions=(), answers=(), authority=(), additional=(),
            **flags):
    """A whole message from already-encoded questions and RRs."""
    h = header(id=id, qd=len(questions), an=len(answers), ns=len(authority),
               ar=len(additional), **flags)
    return h + b''.join(questions) + b''.join(answers) + \
        b''.join(authority) + b''.join(additional)


def _rdata(rec):
    t = rec[0].upper()
    if t == 'A':
        return 1, rdata_a(rec[1])
    if t == 'AAAA':
        return 28, rdata_aaaa(rec[1])
    if t == 'MX':
        return 15, rdata_mx(rec[1], rec[2])
    if t in ('CNAME', 'PTR', 'NS'):
        return TYPES[t], rdata_name(rec[1])
    if t in ('TXT', 'SPF'):
        return TYPES[t], rdata_txt(rec[1])
    if t == 'SOA':
        return 6, rdata_soa(*rec[1:])
    if t == 'TLSA':
        return 52, bytes([rec[1], rec[2], rec[3]]) + rec[4]
    if t == 'RAW':
        return rec[1], rec[2]
    raise ValueError('unknown record %r' % (rec,))


def _parse_name(msg, off):
    """Wire name at off (no compression expected in queries but followed,
    bounded); returns (wire_bytes_uncompressed, next_off)."""
    out = b''
    jumps = 0
    end = None
    while True:
        if off >= len(msg):
            raise ValueError('name past end')
        n = msg[off]
        if n & 0xc0 == 0xc0:
            if off + 1 >= len(msg) or jumps > 20:
                raise ValueError('bad pointer')
            if end is None:
                end = off + 2
            off = ((n & 0x3f) << 8) | msg[off + 1]
            jumps += 1
            continue
        if n > 63:
            raise ValueError('bad label')
        out += msg[off:off + 1 + n]
        if n == 0:
            return out, (end if end is not None else off + 1)
        off += 1 + n


def _wire_lower(w):
    return bytes(c + 32 if 65 <= c <= 90 else c for c in w)


def _wire_to_text(w):
    labels = []
    i = 0
    while i < len(w) and w[i]:
        labels.append(w[i + 1:i + 1 + w[i]].decode('latin-1'))
        i += 1 + w[i]
    return '.'.join(labels)


def _key(name):
    return _wire_lower(encode_name(name))


# -------------------------------------------------------------- actions

class Delay:
    def __init__(self, sec, then=None):
        self.sec, self.then = sec, then


class Alter:
    def __init__(self, **fields):
        self.fields = fields


class Drip:
    def __init__(self, sec, then=None):
        self.sec, self.then = sec, then


class Stall:
    def __init__(self, length, data=b''):
        self.length, self.data = length, data


class Spoof:
    def __init__(self, reply=None):
        self.reply = reply


class Reset:
    def __init__(self, prefix=b''):
        self.prefix = prefix


class Flood:
    def __init__(self, msg, sec=5.0):
        self.msg = bytes(msg)
        self.sec = sec


class Stream:
    def __init__(self, data):
        self.data = data


# ---------------------------------------------------------------- query

class Query:
    def __init__(self, server, raw, transport, peer):
        self.server, self.raw, self.transport, self.peer = \
            server, raw, transport, peer
        (self.id, self.flags, qd, an, ns, ar) = struct.unpack('!HHHHHH',
                                                              raw[:12])
        if qd != 1:
            raise ValueError('QDCOUNT %d' % qd)
        self.opcode = (self.flags >> 11) & 15
        self.rd = (self.flags >> 8) & 1
        self.cd = (self.flags >> 4) & 1
        self.qname, off = _parse_name(raw, 12)
        self.qtype, self.qclass = struct.unpack('!HH', raw[off:off + 4])
        self.qend = off + 4
        self.name = _wire_to_text(_wire_lower(self.qname))
        self.type = type_name(self.qtype)
        self.edns = None
        self.do = False
        off = self.qend
        try:
            for _ in range(an + ns + ar):
                _, off = _parse_name(raw, off)
                t, c, ttl, l = struct.unpack('!HHIH', raw[off:off + 10])
                if t == 41:
                    self.edns = max(c, 512)
                    self.do = bool(ttl & 0x8000)
                off += 10 + l
        except (ValueError, struct.error):
            pass

    def question(self):
        return self.raw[12:self.qend]

    def reply(self, rcode=0, answers=(), authority=(), additional=(),
              aa=1, tc=0, ad=0, ra=None, edns=None):
        """Reply to this query with already-encoded RRs."""
        add = list(additional)
        if edns is None:
            edns = self.edns is not None
        if edns:
            add.append(opt_rr(1232))
        return message(id=self.id, questions=[self.question()],
                       answers=answers, authority=authority, additional=add,
                       aa=aa, tc=tc, rd=self.rd,
                       ra=(self.rd if ra is None else ra), ad=ad,
                       cd=self.cd, opcode=self.opcode, rcode=rcode)

    def answer(self):
        return self.server._answer(self)


# --------------------------------------------------------------- server

class DnsServer:
    """Threaded UDP+TCP server on 127.0.0.1 (same port). Stops by itself
    after `lifetime` seconds, or when the `with` block ends."""

    def __init__(self, zone=None, faults=None, lifetime=60.0,
                 host='127.0.0.1', ad=False, tcp=True, follow=True, port=0):
        """tcp=False: the TCP port is bound but not listening, so a TCP
        connect is refused. follow=False: a CNAME is answered alone, as
        a server that leaves the chain to the resolver (N-CN-03).
        port: bind this port (another server's, on another loopback
        address, for tests with several servers and one -p)."""
        self.zone = {}
        for name, recs in (zone or {}).items():
            self.zone.setdefault(_key(name), []).extend(recs)
        self.faults = faults
        self.lifetime = lifetime
        self.host = host
        self.ad = ad
        self.tcp = tcp
        self.follow = follow
        self.want_port = port
        self.queries = []
        self.errors = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads = []
        self.port = None

    # -- lifecycle
    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()
        return False

    def start(self):
        for _ in range(50):
            u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            u.bind((self.host, self.want_port))
            port = u.getsockname()[1]
            t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                t.bind((self.host, port))
            except OSError:
                u.close()
                t.close()
                continue
            if self.tcp:
                t.listen(64)
            break
        else:
            raise RuntimeError('no free port for UDP and TCP')
        self.port, self._udp, self._tcp = port, u, t
        self._until = time.monotonic() + self.lifetime
        for fn in (self._serve_udp, self._serve_tcp) if self.tcp else \
                (self._serve_udp,):
            th = threading.Thread(target=fn, daemon=True)
            th.start()
            self._threads.append(th)

    def stop(self):
        self._stop.set()
        for th in list(self._threads):
            th.join(2)
        for s in (self._udp, self._tcp):
            try:
                s.close()
            except OSError:
                pass

    def _running(self):
        return not self._stop.is_set() and time.monotonic() < self._until

    @staticmethod
    def can_spoof():
        try:
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.bind(('127.0.0.2', 0))
            s.close()
            return True
        except OSError:
            return False

    # -- accounting
    def count(self, name=None, type=None, transport=None):
        """Queries received, optionally only those of name/type/transport."""
        n = None if name is None else _wire_to_text(_key(name))
        with self._lock:
            return sum(1 for q in self.queries
                       if (n is None or q[0] == n) and
                       (type is None or q[1] == type_name(type_num(type))) and
                       (transport is None or q[2] == transport))

    def duplicates(self):
        """(name, type) asked more than once over the same transport."""
        seen, dup = set(), []
        with self._lock:
            for q in self.queries:
                if q in seen:
                    dup.append(q)
                seen.add(q)
        return dup

    # -- answering
    def _records(self, key):
        return self.zone.get(key)

    def _answer(self, q):
        """Normal reply bytes for q, or None for TIMEOUT."""
        if q.qclass != 1 or q.opcode != 0:
            return q.reply(rcode=REFUSED if q.qclass != 1 else NOTIMP)
        answers = []
        key = _wire_lower(q.qname)
        owner = q.qname
        seen = set()
        rcode = NOERROR
        while True:
            recs = self._records(key)
            if recs is None:
                rcode = NXDOMAIN
                break
            # TIMEOUT: types listed before it are answered, others never.
            listed = set()
            timeout = False
            for r in recs:
                if r[0].upper() == 'TIMEOUT':
                    timeout = True
                    break
                listed.add(_rdata(r)[0])
            if timeout and q.qtype not in listed and \
                    not (5 in listed and q.qtype != 5):
                return None
            cname = [r for r in recs if r[0].upper() == 'CNAME']
            if cname and q.qtype != 5:
                answers.append(rr(owner, 'CNAME', rdata_name(cname[0][1])))
                seen.add(key)
                owner = encode_name(cname[0][1])
                key = _wire_lower(owner)
                if key in seen or len(seen) > 100 or not self.follow:
                    break
                if self._records(key) is None and not \
                        self._in_zone(key):
                    break       # out of zone: the resolver asks again
                continue
            for r in recs:
                if r[0].upper() == 'TIMEOUT':
                    break
                t, data = _rdata(r)
                if t == q.qtype:
                    answers.append(rr(owner, t, data))
            break
        authority = []
        if not answers or rcode == NXDOMAIN:
            apex = self._apex(key)
            authority.append(rr(apex, 'SOA', rdata_soa(
                b'ns.' + _wire_to_text(apex).encode('latin-1'))))
        return q.reply(rcode=rcode, answers=answers, authority=authority,
                       ad=int(self.ad))

    def _in_zone(self, key):
        apexes = {self._apex(k) for k in self.zone}
        return any(key.endswith(a) for a in apexes)

    def _apex(self, key):
        # Last two labels (or the name itself), lower-case wire.
        labels = []
        i = 0
        while i < len(key) and key[i]:
            labels.append(key[i:i + 1 + key[i]])
            i += 1 + key[i]
        return b''.join(labels[-2:]) + b'\0'

    def _truncate(self, msg, limit):
        """Keep the RRs that fit whole within limit; set TC."""
        if len(msg) <= limit:
            return msg
        qd, an, ns, ar = struct.unpack('!HHHH', msg[4:12])
        off = 12
        for _ in range(qd):
            _, off = _parse_name(msg, off)
            off += 4
        kept = [0, 0, 0, 0]
        counts = [an, ns, ar]
        end = off
        for sec in range(3):
            for _ in range(counts[sec]):
                _, o = _parse_name(msg, off)
                l = struct.unpack('!H', msg[o + 8:o + 10])[0]
                o += 10 + l
                if o > limit:
                    break
                off = end = o
                kept[sec] += 1
            else:
                continue
            break
        flags = struct.unpack('!H', msg[2:4])[0] | 0x0200
        return msg[:2] + struct.pack('!HHHHH', flags, qd, kept[0], kept[1],
                                     kept[2]) + msg[12:end]

    def _handle(self, raw, transport, peer):
        """Actions to perform for a query (list), or [] to ignore it."""
        try:
            q = Query(self, raw, transport, peer)
        except (ValueError, struct.error, IndexError):
            return None, []
        with self._lock:
            self.queries.append((q.name, q.type, transport))
        action = None
        if self.faults is not None:
            try:
                action = self.faults(q)
            except Exception as e:       # a broken fault hook is a test bug
                self.errors.append(repr(e))
                action = 'drop'
        return q, action

    def _finish(self, q, msg, transport):
        if transport == 'udp':
            return self._truncate(msg, q.edns or 512)
        return msg

    def _alter(self, q, fields):
        msg = q.answer() or q.reply()
        hid, flags, qd, an, ns, ar = struct.unpack('!HHHHHH', msg[:12])
        hid = fields.get('id', hid)
        bits = {'qr': 15, 'aa': 10, 'tc': 9, 'rd': 8, 'ra': 7, 'ad': 5,
                'cd': 4}
        for k, b in bits.items():
            if k in fields:
                flags = (flags & ~(1 << b)) | (int(fields[k]) << b)
        if 'opcode' in fields:
            flags = (flags & ~(15 << 11)) | ((fields['opcode'] & 15) << 11)
        if 'rcode' in fields:
            flags = (flags & ~15) | (fields['rcode'] & 15)
        flags = fields.get('flags', flags)
        qd = fields.get('qdcount', qd)
        an = fields.get('ancount', an)
        body = msg[q.qend:]
        qsec = msg[12:q.qend]
        if any(k in fields for k in ('qname', 'qtype', 'qclass')):
            qsec = encode_name(fields.get('qname', q.qname)) + struct.pack(
                '!HH', type_num(fields.get('qtype', q.qtype)),
                fields.get('qclass', q.qclass))
        return struct.pack('!HHHHHH', hid, flags, qd, an, ns, ar) + qsec + \
            body

    # -- UDP
    def _serve_udp(self):
        while self._running():
            r, _, _ = select.select([self._udp], [], [], 0.05)
            if not r:
                continue
            try:
                raw, peer = self._udp.recvfrom(65535)
            except OSError:
                continue
            q, action = self._handle(raw, 'udp', peer)
            if q is None:
                continue
            th = threading.Thread(target=self._udp_act,
                                  args=(q, action, peer), daemon=True)
            th.start()

    def _udp_send(self, data, peer, sock=None):
        try:
            (sock or self._udp).sendto(data, peer)
        except OSError:
            pass

    def _udp_act(self, q, action, peer):
        if isinstance(action, list):
            for a in action:
                self._udp_act(q, a, peer)
            return
        if action is None:
            msg = q.answer()
            if msg is not None:
                self._udp_send(self._finish(q, msg, 'udp'), peer)
        elif isinstance(action, (bytes, bytearray)):
            self._udp_send(bytes(action), peer)
        elif action == 'tc':
            self._udp_send(message(id=q.id, questions=[q.question()], tc=1,
                                   rd=q.rd, ra=q.rd), peer)
        elif action in ('drop', 'close'):
            pass
        elif isinstance(action, Delay):
            self._sleep(action.sec)
            if self._running():
                self._udp_act(q, action.then, peer)
        elif isinstance(action, Alter):
            self._udp_send(self._alter(q, action.fields), peer)
        elif isinstance(action, Drip):
            self._sleep(action.sec)
            self._udp_act(q, action.then, peer)
        elif isinstance(action, Spoof):
            msg = action.reply if action.reply is not None else q.answer()
            try:
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                s.bind(('127.0.0.2', 0))
                self._udp_send(msg, peer, s)
                s.close()
            except OSError as e:
                self.errors.append('spoof: %r' % e)
        elif isinstance(action, Flood):
            end = time.monotonic() + action.sec
            while self._running() and time.monotonic() < end:
                for _ in range(64):
                    self._udp_send(action.msg, peer)
        elif isinstance(action, (Stall, Reset, Stream)):
            pass
        else:
            self.errors.append('unknown action %r' % (action,))

    def _sleep(self, sec):
        end = time.monotonic() + sec
        while self._running() and time.monotonic() < end:
            time.sleep(min(0.02, max(0, end - time.monotonic())))

    # -- TCP
    def _serve_tcp(self):
        while self._running():
            r, _, _ = select.select([self._tcp], [], [], 0.05)
            if not r:
                continue
            try:
                c, peer = self._tcp.accept()
            except OSError:
                continue
            th = threading.Thread(target=self._tcp_conn, args=(c, peer),
                                  daemon=True)
            th.start()

    def _recv_exact(self, c, n):
        buf = b''
        while len(buf) < n and self._running():
            r, _, _ = select.select([c], [], [], 0.05)
            if not r:
                continue
            try:
                d = c.recv(n - len(buf))
            except OSError:
                return None
            if not d:
                return None
            buf += d
        return buf if len(buf) == n else None

    def _tcp_conn(self, c, peer):
        try:
            while self._running():
                h = self._recv_exact(c, 2)
                if h is None:
                    break
                raw = self._recv_exact(c, struct.unpack('!H', h)[0])
                if raw is None:
                    break
                q, action = self._handle(raw, 'tcp', peer)
                if q is None:
                    continue
                if self._tcp_act(c, q, action) == 'closed':
                    return
            # hold the connection open until the peer closes or we stop
        finally:
            try:
                c.close()
            except OSError:
                pass

    def _tcp_send(self, c, data):
        try:
            c.sendall(data)
            return True
        except OSError:
            return False

    def _tcp_act(self, c, q, action):
        if isinstance(action, list):
            for a in action:
                if self._tcp_act(c, q, a) == 'closed':
                    return 'closed'
            return None
        if action is None or action == 'tc':
            msg = q.answer()
            if msg is not None:
                self._tcp_send(c, struct.pack('!H', len(msg)) + msg)
        elif isinstance(action, (bytes, bytearray)):
            if len(action) > 65535:
                self.errors.append('TCP reply of %d bytes' % len(action))
                return None
            self._tcp_send(c, struct.pack('!H', len(action)) + bytes(action))
        elif action == 'drop':
            pass
        elif action == 'close':
            c.close()
            return 'closed'
        elif isinstance(action, Reset):
            if action.prefix:
                self._tcp_send(c, action.prefix)
                time.sleep(0.05)
            c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                         struct.pack('ii', 1, 0))
            c.close()
            return 'closed'
        elif isinstance(action, Delay):
            self._sleep(action.sec)
            if self._running():
                return self._tcp_act(c, q, action.then)
        elif isinstance(action, Alter):
            msg = self._alter(q, action.fields)
            self._tcp_send(c, struct.pack('!H', len(msg)) + msg)
        elif isinstance(action, Drip):
            if action.then is None:
                msg = q.answer() or b''
            elif isinstance(action.then, (bytes, bytearray)):
                msg = bytes(action.then)
            else:
                msg = self._alter(q, action.then.fields)
            data = struct.pack('!H', len(msg)) + msg
            for i in range(len(data)):
                if not self._running() or not self._tcp_send(c, data[i:i + 1]):
                    return 'closed'
                self._sleep(action.sec)
        elif isinstance(action, Stall):
            self._tcp_send(c, struct.pack('!H', action.length) + action.data)
            while self._running():
                self._sleep(0.05)
            return 'closed'
        elif isinstance(action, Stream):
            self._tcp_send(c, action.data)
        elif isinstance(action, Flood):
            one = struct.pack('!H', len(action.msg)) + action.msg
            burst = one * max(1, 65536 // len(one))
            end = time.monotonic() + action.sec
            while self._running() and time.monotonic() < end:
                if not self._tcp_send(c, burst):
                    return 'closed'
        elif isinstance(action, Spoof):
            pass
        else:
            self.errors.append('unknown action %r' % (action,))
        return None
