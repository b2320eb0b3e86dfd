# SPDX-License-Identifier: GPL-3.0-or-later
"""A logging, optionally delaying DNS forwarder for the benchmark.

It listens on UDP and TCP (LISTEN) and passes every query to UPSTREAM
(NSD) over the same transport, recording for each query the time it
arrived, its name, type and transport, and the time its reply was sent
back. It is how the benchmark counts queries and round trips from the
server's side: NSD's own log does not list queries.

delay: seconds added before a query is passed on AND again before its
reply is sent back, each query on its own thread, so queries sent
together are delayed together. delay=0.020 gives 40 ms per round trip,
what `tc qdisc add dev lo root netem delay 20ms` gives a query and its
reply crossing lo once each (netem cannot be loaded on every kernel: see
bench/RESULTS.md). TCP connection set-up is not delayed.

Standard library only.
"""
import socket
import struct
import threading
import time


def _qinfo(msg):
    """(name, type) of the first question of a DNS message, or ('?', 0)."""
    try:
        off, labels = 12, []
        while True:
            n = msg[off]
            if n == 0:
                off += 1
                break
            if n & 0xC0:
                return ('?', 0)
            labels.append(msg[off + 1:off + 1 + n].decode('ascii', 'replace'))
            off += 1 + n
        qtype = struct.unpack('!H', msg[off:off + 2])[0]
        return ('.'.join(labels).lower() + '.', qtype)
    except (IndexError, struct.error):
        return ('?', 0)


TYPES = {1: 'A', 2: 'NS', 5: 'CNAME', 6: 'SOA', 12: 'PTR', 15: 'MX',
         16: 'TXT', 28: 'AAAA', 99: 'SPF', 255: 'ANY'}


def _recv_exact(s, n):
    buf = b''
    while len(buf) < n:
        chunk = s.recv(n - len(buf))
        if not chunk:
            return None
        buf += chunk
    return buf


class Forwarder:
    def __init__(self, listen, upstream, delay=0.0):
        self.listen = listen        # (host, port)
        self.upstream = upstream    # (host, port)
        self.delay = delay
        self.lock = threading.Lock()
        self.log = []               # dicts: t_q, t_r, name, type, tr
        self.stopping = False

    # -- log -----------------------------------------------------------
    def clear(self):
        with self.lock:
            self.log = []

    def entries(self):
        with self.lock:
            return list(self.log)

    def _record(self, msg, tr):
        name, qtype = _qinfo(msg)
        e = {'t_q': time.monotonic(), 't_r': None, 'name': name,
             'type': TYPES.get(qtype, str(qtype)), 'tr': tr}
        with self.lock:
            self.log.append(e)
        return e

    # -- UDP -----------------------------------------------------------
    def _udp_one(self, msg, peer):
        e = self._record(msg, 'udp')
        if self.delay:
            time.sleep(self.delay)
        up = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        up.settimeout(5)
        try:
            up.sendto(msg, self.upstream)
            reply, _ = up.recvfrom(65535)
        except OSError:
            return
        finally:
            up.close()
        if self.delay:
            time.sleep(self.delay)
        e['t_r'] = time.monotonic()
        self.udp.sendto(reply, peer)

    def _udp_loop(self):
        while not self.stopping:
            try:
                msg, peer = self.udp.recvfrom(65535)
            except OSError:
                return
            threading.Thread(target=self._udp_one, args=(msg, peer),
                             daemon=True).start()

    # -- TCP -----------------------------------------------------------
    def _tcp_conn(self, c):
        wlock = threading.Lock()

        def one(msg):
            e = self._record(msg, 'tcp')
            if self.delay:
                time.sleep(self.delay)
            try:
                with socket.create_connection(self.upstream, timeout=5) as up:
                    up.sendall(struct.pack('!H', len(msg)) + msg)
                    hdr = _recv_exact(up, 2)
                    reply = hdr and _recv_exact(up, struct.unpack('!H', hdr)[0])
            except OSError:
                return
            if not reply:
                return
            if self.delay:
                time.sleep(self.delay)
            e['t_r'] = time.monotonic()
            with wlock:
                try:
                    c.sendall(struct.pack('!H', len(reply)) + reply)
                except OSError:
                    pass

        with c:
            while True:
                try:
                    hdr = _recv_exact(c, 2)
                    msg = hdr and _recv_exact(c, struct.unpack('!H', hdr)[0])
                except OSError:
                    return
                if not msg:
                    return
                threading.Thread(target=one, args=(msg,), daemon=True).start()

    def _tcp_loop(self):
        while not self.stopping:
            try:
                c, _ = self.tcp.accept()
            except OSError:
                return
            threading.Thread(target=self._tcp_conn, args=(c,), daemon=True).start()

    # -- life ----------------------------------------------------------
    def start(self):
        self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.udp.bind(self.listen)
        self.tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.tcp.bind(self.listen)
        self.tcp.listen(64)
        for f in (self._udp_loop, self._tcp_loop):
            threading.Thread(target=f, daemon=True).start()
        return self

    def stop(self):
        self.stopping = True
        for s in (self.udp, self.tcp):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()


def round_trips(entries):
    """Round trips of one run, seen from the server: the number of bursts
    of queries, a burst being a maximal run of queries (in order of
    arrival) with no reply sent between two of them. A client that waits
    for an answer before its next query starts a new burst with that
    query; queries sent together, before any of their replies is out, are
    one burst. With the delay on, a reply leaves 2*delay after its query
    arrived, so the bursts of a client cannot blur into each other."""
    ev = []
    for e in entries:
        ev.append((e['t_q'], 1))
        if e['t_r'] is not None:
            ev.append((e['t_r'], 0))
    ev.sort()
    rts, replied = 0, True
    for _t, kind in ev:
        if kind == 1:
            if replied:
                rts += 1
            replied = False
        else:
            replied = True
    return rts
