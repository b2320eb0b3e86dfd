# SPDX-License-Identifier: GPL-3.0-or-later
"""The HTTPS test rig (doc/hostile-inputs.md 4.8, H- rows): a test CA and
server certificates made with the openssl CLI, a real nginx (Debian's,
its own configuration and files in a temporary directory) and a scripted
TLS server for what nginx cannot send (a body that drips, an HTTP/1.0
reply without length, an endless chunked body, odd headers), all in a
network namespace on documentation addresses.

    from httpsrig import enter_netns, HttpsRig
    enter_netns('https', __file__)     # re-runs the file inside a netns,
                                       # or prints a TAP skip and exits
    rig = HttpsRig()                   # inside: addresses, certs, servers
    try:
        ... rig.zone (NSD zone text for example.com) ...
    finally:
        rig.stop()

Addresses (on the namespace's loopback):
  192.0.2.80, 2001:db8::80  nginx, TLS 1.2 and 1.3, HTTP/2 and 1.1; one
                            virtual host (server_name) per certificate:
                            good, wrongname, expired, selfsigned, cnonly,
                            mx1 (a partial wildcard m*.example.com)
  127.0.0.1                 nginx too, for loop.example.com (H-07 with
                            --allow-internal)
  192.0.2.80:8080           nginx, plain HTTP (no TLS where TLS is expected)
  192.0.2.81                nginx, TLS 1.2 only, HTTP/1.1 only (tls12)
  192.0.2.82                the scripted server (raw), paths below
  192.0.2.83                a server that speaks HTTP/2 only (h2only)

Every host is HOST.example.com; rig.zone gives their A/AAAA records (and
private -> 10.0.0.1, noaddr without address, v6only with AAAA only).

nginx locations on good (and loop, v6only): /.well-known/mta-sts.txt (a
policy, text/plain), /redirect-other (301 to another host),
/redirect-http (301 to http:), /redirect-self (302 to itself),
/missing (404), /html (text/html), /utf16 (text/plain; charset=utf-16),
/big1m.txt (1 MiB), /big100m.txt (100 MiB, sparse), /gzip.txt (gzip
bytes with Content-Encoding: gzip), /h06.txt (NUL, CR without LF,
10,000 mx: lines, a 10 KB line).

The scripted server's paths: /slow (headers, then one body byte a
second), /slowhead (the status line, then one header byte a second),
/endless (a chunked body that never ends), /http10 (HTTP/1.0, no
Content-Length, closed at the end), /notype (no Content-Type),
/ctlheader (a Content-Type and a Location with control bytes and |),
/redirect-ctl (302 with such a Location).

Needs root, iproute2, nginx and openssl (contrib/install-deps.sh).
"""

import gzip
import os
import shutil
import socket
import ssl
import subprocess
import sys
import threading
import time

from harness import TAP, tmpdir
from smtpfake import TestCA

V4, V6 = '192.0.2.80', '2001:db8::80'
V4_TLS12 = '192.0.2.81'
V4_RAW = '192.0.2.82'
V4_H2 = '192.0.2.83'
DOMAIN = 'example.com'
NGINX = shutil.which('nginx', path='/usr/sbin:/sbin:/usr/bin')
IP = shutil.which('ip', path='/usr/sbin:/sbin:/usr/bin')

POLICY = b'version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 86400\r\n'
# H-06: the bytes a hostile policy may hold, delivered as they are.
H06_BODY = (b'version: STSv1\r\nmode: testing\x00\r\nmx: a\rb.example.com\r\n'
            + b''.join(b'mx: mx%d.example.com\r\n' % i for i in range(10000))
            + b'mx: ' + b'x' * 10240 + b'\r\nmax_age: 86400\r\n')


def skip_all(name, reason):
    tap = TAP()
    tap.skip(name, reason)
    tap.done()
    sys.exit(0)


def enter_netns(tag, path, name='HTTPS fetch against nginx in a network namespace'):
    """Outside: make a network namespace, run `path` again inside it and
    exit with its status (a TAP skip when not root, no ip, no nginx or
    no namespace). Inside (the environment says so): return."""
    inner = 'MAILDNS_%s_NETNS' % tag.upper()
    if os.environ.get(inner):
        return
    if os.geteuid() != 0:
        skip_all(name, 'needs root for ip netns')
    if IP is None:
        skip_all(name, 'ip (iproute2) not installed')
    if NGINX is None:
        skip_all(name, 'nginx not installed (contrib/install-deps.sh)')
    ns = 'maildns-%s-%d' % (tag, os.getpid())
    r = subprocess.run([IP, 'netns', 'add', ns], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT)
    if r.returncode != 0:
        skip_all(name, 'ip netns add failed: %s' % r.stdout.decode('utf-8', 'replace').strip())
    try:
        env = dict(os.environ, **{inner: ns})
        rc = subprocess.run([IP, 'netns', 'exec', ns, sys.executable, os.path.abspath(path)],
                            env=env, timeout=900).returncode
    finally:
        subprocess.run([IP, 'netns', 'del', ns])
    sys.exit(rc)


def _sh(*cmd):
    subprocess.run(cmd, check=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


NGINX_CONF = """user root;
worker_processes 1;
pid {d}/nginx.pid;
error_log {d}/error.log warn;
events {{ worker_connections 128; }}
http {{
    log_format rig '$host $ssl_protocol $server_protocol $request_uri $status';
    access_log {d}/access.log rig;
    client_body_temp_path {d}/tmp/body;
    proxy_temp_path {d}/tmp/proxy;
    fastcgi_temp_path {d}/tmp/fastcgi;
    uwsgi_temp_path {d}/tmp/uwsgi;
    scgi_temp_path {d}/tmp/scgi;
    types {{ text/plain txt; text/html html; }}
    default_type application/octet-stream;
    server_tokens off;
    ssl_protocols TLSv1.2 TLSv1.3;
    server {{
        listen {v4}:443 ssl http2;
        listen [{v6}]:443 ssl http2;
        listen 127.0.0.1:443 ssl http2;
        server_name good.{dom} loop.{dom} v6only.{dom};
        ssl_certificate {good[0]};
        ssl_certificate_key {good[1]};
        root {d}/www;
        location = /redirect-other {{ return 301 https://other.{dom}/.well-known/mta-sts.txt; }}
        location = /redirect-http {{ return 301 http://good.{dom}/.well-known/mta-sts.txt; }}
        location = /redirect-self {{ return 302 https://good.{dom}/redirect-self; }}
        location = /missing {{ return 404; }}
        location = /html {{ default_type text/html; return 200 "<html><body>policy</body></html>"; }}
        location = /utf16 {{ default_type "text/plain; charset=utf-16"; return 200 "version: STSv1"; }}
        location = /gzip.txt {{ add_header Content-Encoding gzip; }}
    }}
{vhosts}
    server {{
        listen {v4}:8080;
        server_name good.{dom};
        root {d}/www;
    }}
    server {{
        listen {v4tls12}:443 ssl;
        server_name tls12.{dom};
        ssl_protocols TLSv1.2;
        ssl_certificate {tls12[0]};
        ssl_certificate_key {tls12[1]};
        root {d}/www;
    }}
}}
"""

VHOST = """    server {{
        listen {v4}:443 ssl;
        server_name {name}.{dom};
        ssl_certificate {cert};
        ssl_certificate_key {key};
        root {d}/www;
    }}
"""


class HttpsRig:
    """Addresses, certificates, nginx and the scripted server, inside the
    namespace enter_netns() made. .ca (the CA's PEM, for --ca-file),
    .dir, .zone (zone text for example.com), .log_lines() (nginx's
    access log: Host, TLS version, HTTP version, URI, status)."""

    def __init__(self):
        _sh(IP, 'link', 'set', 'lo', 'up')
        for a in (V4, V4_TLS12, V4_RAW, V4_H2):
            _sh(IP, 'addr', 'add', a + '/32', 'dev', 'lo')
        _sh(IP, 'addr', 'add', V6 + '/128', 'dev', 'lo', 'nodad')
        self.dir = tmpdir()
        self.nginx = None
        self.raw = None
        d = self.dir
        ca = TestCA(os.path.join(d, 'ca'))
        self.ca = ca.cert
        good = ca.issue('good.' + DOMAIN, sans=['good.' + DOMAIN, 'loop.' + DOMAIN,
                                                'v6only.' + DOMAIN], chain=True)
        certs = {
            'wrongname': ca.issue('other.' + DOMAIN, chain=True),
            'expired': ca.issue('expired.' + DOMAIN, start='20200101000000Z',
                                end='20210101000000Z', chain=True),
            'cnonly': ca.issue('cnonly.' + DOMAIN, sans=[], chain=True),
            'mx1': ca.issue('mx1.' + DOMAIN, sans=['m*.' + DOMAIN], chain=True),
        }
        self_dir = os.path.join(d, 'self')
        os.makedirs(self_dir)
        sc, sk = os.path.join(self_dir, 'self.pem'), os.path.join(self_dir, 'self.key')
        _sh('openssl', 'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256',
            '-nodes', '-days', '30', '-subj', '/CN=selfsigned.' + DOMAIN, '-addext',
            'subjectAltName=DNS:selfsigned.' + DOMAIN, '-keyout', sk, '-out', sc)
        certs['selfsigned'] = (sc, sk)
        tls12 = ca.issue('tls12.' + DOMAIN, chain=True)
        raw = ca.issue('raw.' + DOMAIN, chain=True)
        h2only = ca.issue('h2only.' + DOMAIN, chain=True)
        www = os.path.join(d, 'www')
        os.makedirs(os.path.join(www, '.well-known'))
        for sub in ('body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'):
            os.makedirs(os.path.join(d, 'tmp', sub))
        self._write(os.path.join(www, '.well-known', 'mta-sts.txt'), POLICY)
        self._write(os.path.join(www, 'big1m.txt'), b'x' * (1 << 20))
        with open(os.path.join(www, 'big100m.txt'), 'wb') as f:
            f.truncate(100 << 20)           # sparse: no disk used
        self._write(os.path.join(www, 'gzip.txt'), gzip.compress(POLICY))
        self._write(os.path.join(www, 'h06.txt'), H06_BODY)
        vhosts = ''.join(VHOST.format(v4=V4, name=n, dom=DOMAIN, cert=c, key=k, d=d)
                         for n, (c, k) in certs.items())
        self.conf = os.path.join(d, 'nginx.conf')
        with open(self.conf, 'w') as f:
            f.write(NGINX_CONF.format(d=d, v4=V4, v6=V6, v4tls12=V4_TLS12, dom=DOMAIN,
                                      good=good, tls12=tls12, vhosts=vhosts))
        self.zone = ''.join('%s A %s\n' % (n, V4) for n in
                            ['good', 'wrongname', 'expired', 'selfsigned', 'cnonly', 'mx1'])
        self.zone += ('good AAAA %s\nv6only AAAA %s\ntls12 A %s\nraw A %s\n'
                      'loop A 127.0.0.1\nprivate A 10.0.0.1\nnoaddr TXT "no address"\n'
                      'other A %s\nh2only A %s\n' % (V6, V6, V4_TLS12, V4_RAW, V4, V4_H2))
        self._start_nginx()
        self.raw = RawServer(V4_RAW, 443, raw)
        self.h2 = H2OnlyServer(V4_H2, 443, h2only)

    @staticmethod
    def _write(path, data):
        with open(path, 'wb') as f:
            f.write(data)

    def _start_nginx(self):
        err = os.path.join(self.dir, 'nginx.out')
        self.nginx = subprocess.Popen(
            [NGINX, '-c', self.conf, '-p', self.dir, '-e', os.path.join(self.dir, 'error.log'),
             '-g', 'daemon off;'], stdin=subprocess.DEVNULL, stdout=open(err, 'wb'),
            stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and self.nginx.poll() is None:
            try:
                with socket.create_connection((V4, 443), timeout=1), \
                        socket.create_connection((V4_TLS12, 443), timeout=1):
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError('nginx did not start: %s%s' % (_read(err), _read(
            os.path.join(self.dir, 'error.log'))))

    def log_lines(self):
        return _read(os.path.join(self.dir, 'access.log')).splitlines()

    def stop(self):
        if self.nginx is not None and self.nginx.poll() is None:
            try:
                os.killpg(self.nginx.pid, 15)
                self.nginx.wait(10)
            except (OSError, subprocess.TimeoutExpired):
                os.killpg(self.nginx.pid, 9)
                self.nginx.wait()
        self.nginx = None
        for srv in (self.raw, self.h2):
            if srv is not None:
                srv.stop()
        self.raw = self.h2 = None


def _read(path):
    try:
        with open(path, errors='replace') as f:
            return f.read()
    except OSError:
        return ''


class RawServer:
    """A TLS server that writes scripted HTTP replies byte by byte, one
    thread per connection (bounded: every script ends within 30 s and
    when the client goes)."""

    ALPN = ['http/1.1']

    def __init__(self, addr, port, certkey):
        self.ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.ctx.load_cert_chain(*certkey)
        self.ctx.set_alpn_protocols(self.ALPN)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((addr, port))
        self.sock.listen(16)
        self.stopping = False
        self.thread = threading.Thread(target=self._accept, daemon=True, name='raw-https')
        self.thread.start()

    def _accept(self):
        while not self.stopping:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def stop(self):
        self.stopping = True
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()

    def _serve(self, conn):
        try:
            conn.settimeout(10)
            s = self.ctx.wrap_socket(conn, server_side=True)
            if self.serve_tls(s):
                return
            req = b''
            while b'\r\n\r\n' not in req and len(req) < 8192:
                chunk = s.recv(4096)
                if not chunk:
                    return
                req += chunk
            path = req.split(b' ', 2)[1].decode('ascii', 'replace') if b' ' in req else '/'
            getattr(self, 'path_' + path.strip('/').replace('-', '_'), self.path_missing)(s)
            try:
                s.unwrap()
            except (OSError, ValueError):
                pass
        except (OSError, ssl.SSLError, ValueError, IndexError):
            pass            # the client went away or refused the certificate
        finally:
            conn.close()

    def serve_tls(self, s):
        """A subclass's whole exchange; False: the HTTP/1 scripts."""
        return False

    @staticmethod
    def _drip(s, data, seconds):
        """Write data one byte per interval, for at most 30 s."""
        end = time.monotonic() + 30
        for b in data:
            if time.monotonic() > end:
                return
            s.sendall(bytes([b]))
            time.sleep(seconds)

    def path_missing(self, s):
        s.sendall(b'HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n')

    def path_slow(self, s):
        s.sendall(b'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n'
                  b'Connection: close\r\n\r\n')
        self._drip(s, b'v' * 100, 1.0)

    def path_slowhead(self, s):
        s.sendall(b'HTTP/1.1 200 OK\r\n')
        self._drip(s, b'X-Slow: ' + b's' * 100 + b'\r\n\r\n', 1.0)

    def path_endless(self, s):
        s.sendall(b'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n'
                  b'Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n')
        chunk = b'%x\r\n%s\r\n' % (16384, b'e' * 16384)
        end = time.monotonic() + 20
        while time.monotonic() < end:
            s.sendall(chunk)

    def path_http10(self, s):
        s.sendall(b'HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\n' + POLICY)

    def path_notype(self, s):
        s.sendall(b'HTTP/1.1 200 OK\r\nContent-Length: %d\r\nConnection: close\r\n\r\n'
                  % len(POLICY) + POLICY)

    def path_ctlheader(self, s):
        s.sendall(b'HTTP/1.1 200 OK\r\nContent-Type: text/plain|\x1b[31m\x7f\r\n'
                  b'Content-Length: %d\r\nConnection: close\r\n\r\n' % len(POLICY) + POLICY)

    def path_redirect_ctl(self, s):
        s.sendall(b'HTTP/1.1 302 Found\r\nLocation: https://evil.example.net/|\x1b[2J\r\n'
                  b'Content-Length: 0\r\nConnection: close\r\n\r\n')


class H2OnlyServer(RawServer):
    """A server that speaks HTTP/2 only (H-08): ALPN h2 and nothing else,
    a connection without it is closed unanswered. Just enough HTTP/2
    (RFC 9113) for one GET: SETTINGS and their ACK, then for the first
    HEADERS a 200 with Content-Type text/plain (HPACK literals, RFC 7541
    6.2.2, no Huffman) and the policy as one DATA frame."""

    ALPN = ['h2']
    PREFACE = b'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'

    @staticmethod
    def _frame(ftype, flags, stream, payload=b''):
        return (len(payload).to_bytes(3, 'big') + bytes([ftype, flags])
                + stream.to_bytes(4, 'big') + payload)

    @staticmethod
    def _read(s, n):
        data = b''
        while len(data) < n:
            chunk = s.recv(n - len(data))
            if not chunk:
                raise OSError('closed')
            data += chunk
        return data

    def serve_tls(self, s):
        if s.selected_alpn_protocol() != 'h2':
            return True                     # not HTTP/2: nothing said
        if self._read(s, len(self.PREFACE)) != self.PREFACE:
            return True
        s.sendall(self._frame(4, 0, 0))     # our SETTINGS: the defaults
        for _ in range(32):                 # a bounded exchange
            head = self._read(s, 9)
            length = int.from_bytes(head[:3], 'big')
            ftype, flags = head[3], head[4]
            stream = int.from_bytes(head[5:9], 'big') & 0x7fffffff
            self._read(s, length)
            if ftype == 4 and not flags & 1:
                s.sendall(self._frame(4, 1, 0))             # SETTINGS ACK
            elif ftype == 1:                                # HEADERS: the GET
                block = (b'\x88'                            # :status 200
                         + b'\x0f\x10\x0a' + b'text/plain'   # content-type
                         + b'\x0f\x0d' + bytes([len(str(len(POLICY)))])
                         + str(len(POLICY)).encode())       # content-length
                s.sendall(self._frame(1, 4, stream, block)  # END_HEADERS
                          + self._frame(0, 1, stream, POLICY))  # END_STREAM
                s.sendall(self._frame(7, 0, 0, stream.to_bytes(4, 'big') + bytes(4)))
                return True
        return True
