# SPDX-License-Identifier: GPL-3.0-or-later
"""Scripted SMTP/STARTTLS servers for check_mx's hostile rows
(doc/hostile-inputs.md 3), and a test CA (doc/hostile-inputs.md 3).
Python 3 standard library (socket, ssl, threading) and the openssl CLI.

    from smtpfake import SmtpFake, TestCA
    ca = TestCA()                                  # in a temp directory
    cert, key = ca.issue('mx.example.com')         # PEM paths
    with SmtpFake('inject', cert=cert, key=key) as s:   # 127.0.0.1:s.port
        ... check_mx ... --smtp-port s.port ...

Modes (each connection is served by the mode's script; the server stops
by itself after `lifetime` seconds, or when the `with` block ends):
    ok          220, EHLO with STARTTLS, STARTTLS -> TLS (cert/key), QUIT
    silent      accept, say nothing (T-03)
    endless     "220-" then 100 bytes every 100 ms, no line end (T-04)
    multiline   "220-a", "220-b", "220 c", then as ok (T-05)
    lines1000   a 1,000-line greeting (T-05)
    mismatch    "220-a" then "250 b" (T-05)
    greet554    554 greeting; greet421: 421 greeting (T-06)
    pause       "220-", 3 s pause, "220 " (postscreen, T-07)
    nostarttls  EHLO reply without STARTTLS (T-08)
    ehlo502     EHLO -> 502, HELO -> 250 (T-08)
    refuse      STARTTLS -> 454 4.7.0 TLS not available (T-09)
    inject      "220 go ahead\\r\\n250 injected-before-tls\\r\\n" in one
                write, then TLS (T-10)
    stall       STARTTLS -> 220, then silence (T-11)
    plaintext   STARTTLS -> 220, then plaintext instead of TLS (T-12)
    closetls    STARTTLS -> 220, read the ClientHello, close (T-12)
    ehlo10000   EHLO reply of 10,000 "250-" lines (T-14)
    closeearly  greeting, then reset the connection at once (O-03)
    barelf      greeting lines ended by a bare LF (T-05)
    nulbanner   NUL, '|' and ESC in the banner (T-05, O-01)
    tls10       as ok, but the server speaks TLS 1.0 only (T-12)
    ehlo421     EHLO -> 421 (transient: not retried with HELO)
    helo550     EHLO -> 502, HELO -> 550
    tlsquiet    STARTTLS gets no reply at all
    longbanner  a 500-octet greeting line (within RFC 5321's 512)
    injectlate  STARTTLS -> "220 go ahead", 0.3 s later "250 injected" in a
                write of its own, then TLS (T-10, in a later read)
    ahead       the EHLO reply and a "220" to STARTTLS in one write,
                before the client sent STARTTLS (T-10, a reply ahead of time)
s.connections counts accepted connections; s.commands lists the command
lines received (bytes); s.early is True when a client sent anything
during the pause of mode pause.
"""

import os
import socket
import ssl
import subprocess
import tempfile
import threading
import time

GREETING = b'220 mx.test.example ESMTP fake\r\n'


class SmtpFake:
    def __init__(self, mode='ok', cert=None, key=None, host='127.0.0.1',
                 port=0, lifetime=30.0):
        self.mode = mode
        self.cert = cert
        self.key = key
        self.host = host
        self.lifetime = lifetime
        self.connections = 0
        self.commands = []
        self.errors = []
        self.early = False      # pause mode: the client spoke too soon
        self._stop = threading.Event()
        fam = socket.AF_INET6 if ':' in host else socket.AF_INET
        self.sock = socket.socket(fam, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((host, port))
        self.sock.listen(64)
        self.sock.settimeout(0.1)
        self.port = self.sock.getsockname()[1]
        self._threads = []

    def __enter__(self):
        t = threading.Thread(target=self._accept, daemon=True)
        t.start()
        self._threads.append(t)
        return self

    def __exit__(self, *exc):
        self.stop()
        return False

    def stop(self):
        self._stop.set()
        for t in self._threads:
            t.join(5)
        try:
            self.sock.close()
        except OSError:
            pass

    # ---------------------------------------------------------------- server

    def _accept(self):
        end = time.monotonic() + self.lifetime
        while not self._stop.is_set() and time.monotonic() < end:
            try:
                conn, _ = self.sock.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            self.connections += 1
            t = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            t.start()
            self._threads.append(t)

    def _serve(self, conn):
        conn.settimeout(1.0)
        try:
            getattr(self, '_mode_' + self.mode)(conn)
        except (OSError, ssl.SSLError, ValueError) as e:
            self.errors.append(repr(e))
        finally:
            try:
                conn.close()
            except OSError:
                pass

    def _hold(self, conn):
        """Keep the connection open, reading and dropping, until stop."""
        while not self._stop.is_set():
            try:
                if conn.recv(4096) == b'':
                    return
            except socket.timeout:
                continue

    def _line(self, conn):
        """One command line, or None at EOF/stop."""
        buf = b''
        while not self._stop.is_set():
            try:
                b = conn.recv(1)
            except socket.timeout:
                continue
            if not b:
                return None
            buf += b
            if buf.endswith(b'\n') or len(buf) > 2048:
                self.commands.append(buf)
                return buf
        return None

    def _dialogue(self, conn, ehlo=b'250-mx.test.example\r\n250-PIPELINING\r\n'
                  b'250-STARTTLS\r\n250 8BITMIME\r\n', on_starttls=None, helo=None):
        """Answer commands until QUIT/EOF."""
        while True:
            line = self._line(conn)
            if line is None:
                return
            verb = line[:8].upper()
            if verb.startswith(b'EHLO'):
                conn.sendall(ehlo)
            elif verb.startswith(b'HELO'):
                conn.sendall(helo or b'250 mx.test.example\r\n')
            elif verb.startswith(b'STARTTLS'):
                if on_starttls is None:
                    conn.sendall(b'502 5.5.1 not here\r\n')
                    continue
                on_starttls(conn)
                return
            elif verb.startswith(b'QUIT'):
                conn.sendall(b'221 2.0.0 bye\r\n')
                return
            else:
                conn.sendall(b'500 5.5.2 what\r\n')

    def _tls(self, conn, reply=b'220 2.0.0 go ahead\r\n', tls10=False):
        conn.sendall(reply)
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(self.cert, self.key)
        if tls10:
            ctx.set_ciphers('DEFAULT:@SECLEVEL=0')
            ctx.minimum_version = ssl.TLSVersion.TLSv1
            ctx.maximum_version = ssl.TLSVersion.TLSv1
        conn.settimeout(5.0)
        t = ctx.wrap_socket(conn, server_side=True)
        t.settimeout(1.0)
        # After TLS: the client says QUIT (or just goes).
        try:
            line = t.recv(1024)
            if line:
                self.commands.append(line)
                if line[:4].upper() == b'QUIT':
                    t.sendall(b'221 2.0.0 bye\r\n')
        except (socket.timeout, ssl.SSLError, OSError):
            pass

    # ---------------------------------------------------------------- modes

    def _mode_ok(self, conn):
        conn.sendall(GREETING)
        self._dialogue(conn, on_starttls=self._tls)

    def _mode_silent(self, conn):
        self._hold(conn)

    def _mode_endless(self, conn):
        conn.sendall(b'220-')
        while not self._stop.is_set():
            conn.sendall(b'x' * 100)
            time.sleep(0.1)

    def _mode_multiline(self, conn):
        conn.sendall(b'220-mx.test.example first\r\n')
        time.sleep(0.05)
        conn.sendall(b'220-second\r\n220 third\r\n')
        self._dialogue(conn, on_starttls=self._tls)

    def _mode_lines1000(self, conn):
        conn.sendall(b''.join(b'220-line %d\r\n' % i for i in range(999)) + b'220 end\r\n')
        self._hold(conn)

    def _mode_mismatch(self, conn):
        conn.sendall(b'220-mx.test.example\r\n250 other code\r\n')
        self._hold(conn)

    def _mode_greet554(self, conn):
        conn.sendall(b'554 5.7.1 no service | for you\x1b[31m\r\n')
        self._dialogue(conn)

    def _mode_greet421(self, conn):
        conn.sendall(b'421 4.3.2 too busy, try later\r\n')
        self._dialogue(conn)

    def _mode_pause(self, conn):
        import select
        conn.sendall(b'220-mx.test.example wait for it\r\n')
        # A client that talks before the greeting ends is what postscreen
        # rejects ("pregreet"): watch for it during the pause.
        end = time.monotonic() + 3
        while time.monotonic() < end:
            r, _, _ = select.select([conn], [], [], max(0, end - time.monotonic()))
            if r:
                self.early = True
                break
        time.sleep(max(0, end - time.monotonic()))
        conn.sendall(b'220 mx.test.example ready\r\n')
        self._dialogue(conn, on_starttls=self._tls)

    def _mode_nostarttls(self, conn):
        conn.sendall(GREETING)
        self._dialogue(conn, ehlo=b'250-mx.test.example\r\n250 8BITMIME\r\n')

    def _mode_ehlo502(self, conn):
        conn.sendall(GREETING)
        self._dialogue(conn, ehlo=b'502 5.5.1 EHLO not implemented\r\n')

    def _mode_refuse(self, conn):
        conn.sendall(GREETING)
        self._dialogue(conn, on_starttls=lambda c: (
            c.sendall(b'454 4.7.0 TLS not available\r\n'), self._dialogue(c)))

    def _mode_inject(self, conn):
        conn.sendall(GREETING)
        self._dialogue(conn, on_starttls=lambda c: self._tls(
            c, b'220 go ahead\r\n250 injected-before-tls\r\n'))

    def _mode_stall(self, conn):
        conn.sendall(GREETING)
        self._dialogue(conn, on_starttls=lambda c: (
            c.sendall(b'220 2.0.0 go ahead\r\n'), self._hold(c)))

    def _mode_plaintext(self, conn):
        def plain(c):
            c.sendall(b'220 2.0.0 go ahead\r\n')
            c.recv(4096)            # the ClientHello
            c.sendall(b'250 this is not TLS at all\r\n')
            self._hold(c)
        conn.sendall(GREETING)
        self._dialogue(conn, on_starttls=plain)

    def _mode_closetls(self, conn):
        def close(c):
            c.sendall(b'220 2.0.0 go ahead\r\n')
            c.recv(4096)
            c.close()
        conn.sendall(GREETING)
        self._dialogue(conn, on_starttls=close)

    def _mode_ehlo10000(self, conn):
        conn.sendall(GREETING)
        self._line(conn)
        conn.sendall(b''.join(b'250-X-FILLER-%05d\r\n' % i for i in range(10000))
                     + b'250 OK\r\n')
        self._hold(conn)

    def _mode_closeearly(self, conn):
        conn.sendall(GREETING)
        # RST at once (O-03): the client's EHLO meets a closed peer.
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b'\x01\x00\x00\x00\x00\x00\x00\x00')
        conn.close()


    def _mode_barelf(self, conn):
        conn.sendall(b'220-mx.test.example bare\n220 LF\n')
        self._dialogue(conn, on_starttls=self._tls)

    def _mode_nulbanner(self, conn):
        conn.sendall(b'220 mx\x00evil|perf=1 \x1b[2J\xff\r\n')
        self._dialogue(conn, on_starttls=self._tls)

    def _mode_tls10(self, conn):
        conn.sendall(GREETING)
        self._dialogue(conn, on_starttls=lambda c: self._tls(c, tls10=True))


    def _mode_ehlo421(self, conn):
        conn.sendall(GREETING)
        self._dialogue(conn, ehlo=b'421 4.7.0 try again later\r\n')

    def _mode_helo550(self, conn):
        conn.sendall(GREETING)
        self._dialogue(conn, ehlo=b'502 5.5.1 no EHLO\r\n', helo=b'550 5.7.1 go away\r\n')

    def _mode_tlsquiet(self, conn):
        conn.sendall(GREETING)
        self._dialogue(conn, on_starttls=self._hold)


    def _mode_longbanner(self, conn):
        conn.sendall(b'220 ' + b'B' * 496 + b'\r\n')
        self._dialogue(conn, on_starttls=self._tls)

    def _mode_injectlate(self, conn):
        def late(c):
            c.sendall(b'220 2.0.0 go ahead\r\n')
            time.sleep(0.3)
            c.sendall(b'250 injected-before-tls\r\n')
            self._tls(c, reply=b'')
        conn.sendall(GREETING)
        self._dialogue(conn, on_starttls=late)

    def _mode_ahead(self, conn):
        conn.sendall(GREETING)
        self._dialogue(conn, ehlo=b'250-mx.test.example\r\n250-STARTTLS\r\n250 8BITMIME\r\n'
                       b'220 2.0.0 go ahead before you ask\r\n',
                       on_starttls=lambda c: self._tls(c, reply=b''))


def closed_port(host='127.0.0.1'):
    """A port nothing listens on (bound, then closed: the kernel refuses)."""
    fam = socket.AF_INET6 if ':' in host else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.bind((host, 0))
    port = s.getsockname()[1]
    s.close()
    return port


# ------------------------------------------------------------------ certificates

def _openssl(*args, cwd=None):
    r = subprocess.run(['openssl'] + list(args), stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, cwd=cwd, timeout=120)
    if r.returncode != 0:
        raise RuntimeError('openssl %s: %s' % (' '.join(args),
                                              r.stderr.decode('utf-8', 'replace')))
    return r.stdout


_CA_CNF = """[ ca ]
default_ca = test
[ test ]
dir = {dir}
database = {dir}/index.txt
serial = {dir}/serial
new_certs_dir = {dir}/new
default_md = sha256
policy = any
copy_extensions = copy
unique_subject = no
[ any ]
commonName = supplied
[ leaf ]
basicConstraints = CA:FALSE
keyUsage = digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
[ leaf_client ]
basicConstraints = CA:FALSE
keyUsage = digitalSignature, keyEncipherment
extendedKeyUsage = clientAuth
[ subca ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
"""


class TestCA:
    """A CA made with the openssl CLI at test time (doc/hostile-inputs.md 3).
    ca.cert: its PEM; issue() makes leaves with any dates and names."""

    def __init__(self, directory=None, cn='maildns Test CA', parent=None):
        """parent: a TestCA that signs this one (an intermediate CA)
        instead of a self-signed root."""
        self.dir = directory or tempfile.mkdtemp(prefix='maildns-ca-')
        self.key = os.path.join(self.dir, 'ca.key')
        self.cert = os.path.join(self.dir, 'ca.pem')
        os.makedirs(os.path.join(self.dir, 'new'), exist_ok=True)
        open(os.path.join(self.dir, 'index.txt'), 'w').close()
        with open(os.path.join(self.dir, 'serial'), 'w') as f:
            f.write('1000\n')
        self.cnf = os.path.join(self.dir, 'ca.cnf')
        with open(self.cnf, 'w') as f:
            f.write(_CA_CNF.format(dir=self.dir))
        if parent is None:
            _openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256',
                     '-nodes', '-days', '3650', '-subj', '/CN=' + cn, '-keyout', self.key,
                     '-out', self.cert, '-addext', 'basicConstraints=critical,CA:TRUE',
                     '-addext', 'keyUsage=critical,keyCertSign,cRLSign')
        else:
            csr = os.path.join(self.dir, 'ca.csr')
            _openssl('req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256',
                     '-nodes', '-subj', '/CN=' + cn, '-keyout', self.key, '-out', csr)
            _openssl('ca', '-batch', '-config', parent.cnf, '-extensions', 'subca',
                     '-cert', parent.cert, '-keyfile', parent.key, '-in', csr,
                     '-out', self.cert, '-notext', '-days', '3650')
        self._n = 0

    def issue(self, cn, sans=None, days=365, start=None, end=None, chain=False,
              client_only=False):
        """A leaf for cn (subjectAltName DNS:cn unless sans given).
        start/end: 'YYYYMMDDHHMMSSZ' for expired or future certificates.
        Returns (cert path, key path); chain=True appends the CA to the
        cert file (a server sending its chain). client_only: extended key
        usage clientAuth only (not valid for a TLS server)."""
        self._n += 1
        base = os.path.join(self.dir, 'leaf%d' % self._n)
        sans = sans if sans is not None else [cn]
        ext = ['-addext', 'subjectAltName=' + ','.join('DNS:' + s for s in sans)] if sans else []
        _openssl('req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256',
                 '-nodes', '-subj', '/CN=' + cn, '-keyout', base + '.key',
                 '-out', base + '.csr', *ext)
        dates = []
        if start:
            dates += ['-startdate', start]
        if end:
            dates += ['-enddate', end]
        else:
            dates += ['-days', str(days)]
        _openssl('ca', '-batch', '-config', self.cnf,
                 '-extensions', 'leaf_client' if client_only else 'leaf',
                 '-cert', self.cert, '-keyfile', self.key, '-in', base + '.csr',
                 '-out', base + '.pem', '-notext', *dates)
        if chain:
            with open(base + '.pem', 'ab') as f, open(self.cert, 'rb') as c:
                f.write(c.read())
        return base + '.pem', base + '.key'


def padded_chain(cert, size, directory=None):
    """A copy of cert's file with self-signed certificates appended, each
    carrying a 60 KB comment, until the file's certificates (as DER, what
    the server sends) pass size bytes: a chain too big to accept (T-13).
    Returns the new file's path."""
    d = directory or tempfile.mkdtemp(prefix='maildns-pad-')
    out = os.path.join(d, 'padded.pem')
    with open(cert, 'rb') as f:
        data = f.read()
    n = 0
    while len(data) * 3 // 4 < size:    # PEM is base64: 4 chars per 3 bytes
        n += 1
        c, k = os.path.join(d, 'pad%d.pem' % n), os.path.join(d, 'pad%d.key' % n)
        _openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256',
                 '-nodes', '-days', '30', '-subj', '/CN=padding %d' % n,
                 '-addext', 'nsComment=' + 'x' * 60000, '-keyout', k, '-out', c)
        with open(c, 'rb') as f:
            data += f.read()
    with open(out, 'wb') as f:
        f.write(data)
    return out


def self_signed(cn, directory=None):
    """A self-signed certificate for cn (doc/hostile-inputs.md 3)."""
    d = directory or tempfile.mkdtemp(prefix='maildns-ss-')
    cert, key = os.path.join(d, 'ss.pem'), os.path.join(d, 'ss.key')
    _openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256',
             '-nodes', '-days', '30', '-subj', '/CN=' + cn, '-addext',
             'subjectAltName=DNS:' + cn, '-keyout', key, '-out', cert)
    return cert, key


def spki_sha256(cert):
    """Hex SHA-256 of a certificate's SubjectPublicKeyInfo: TLSA 3 1 1 data."""
    import hashlib
    pub = _openssl('x509', '-in', cert, '-noout', '-pubkey')
    der = subprocess.run(['openssl', 'pkey', '-pubin', '-outform', 'DER'], input=pub,
                         stdout=subprocess.PIPE, check=True).stdout
    return hashlib.sha256(der).hexdigest()


def cert_sha256(cert):
    """Hex SHA-256 of a certificate's DER: TLSA x 0 1 data (the first
    certificate of the PEM file)."""
    import hashlib
    der = _openssl('x509', '-in', cert, '-outform', 'DER')
    return hashlib.sha256(der).hexdigest()
