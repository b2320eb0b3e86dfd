# SPDX-License-Identifier: GPL-3.0-or-later
"""common/https_fetch.c through tests/tools/httpsget against a real nginx
and a scripted TLS server in a network namespace (tests/lib/httpsrig.py),
with NSD giving the hosts' addresses: the good paths (TLS 1.2 and 1.3,
HTTP/1.1 and HTTP/2, IPv4 and IPv6) and every H- row of
doc/hostile-inputs.md 4.8 the fetch answers for.

Every run is bounded: wall time within -t + 1 s and peak RSS under
64 MiB (not measured under $MAILDNS_VALGRIND, which prefixes httpsget as
it does the plugins; a valgrind error fails the O-04 case at the end).

Needs root, iproute2, nginx and openssl; otherwise one TAP skip.
"""

import hashlib
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.join(os.environ.get('top_srcdir', '.'), 'tests', 'lib'))
from httpsrig import enter_netns, HttpsRig, POLICY, H06_BODY, V4, V6  # noqa: E402

enter_netns('https', __file__)

# ---------------------------------------------------------------- inside the namespace

from harness import (TAP, Nsd, run_cmd, top_builddir, valgrind_prefix,  # noqa: E402
                     _valgrind_note, MAX_RSS_KB)

tap = TAP()
HTTPSGET = os.path.join(top_builddir(), 'tests', 'tools', 'httpsget')
if not os.access(HTTPSGET, os.X_OK):
    tap.ok(False, 'tests/tools/httpsget is built (make check builds it)')
    tap.done()
    sys.exit(0)

D = 'example.com'


class Get:
    """One httpsget run: .r (the harness Result) and its fields."""

    def __init__(self, r):
        self.r = r
        self.f = {}
        for line in r.out.splitlines():
            k, sep, v = line.partition('=')
            if sep and k not in self.f:
                self.f[k] = v

    def __getitem__(self, k):
        return self.f.get(k, '')

    def describe(self):
        return self.r.describe()

    def __str__(self):
        return self.r.describe()


def get(url, *args, t=5, ns=None):
    cmd = valgrind_prefix() + [HTTPSGET, '-s', ns.host, '-p', str(ns.port), '-t', str(t),
                               *[str(a) for a in args], url]
    r = run_cmd(cmd, timeout=(t + 10) * (10 if valgrind_prefix() else 1))
    if valgrind_prefix():
        _valgrind_note(r)
    return Get(r)


def bounded(g, t=5):
    """Within -t + 1 s and 64 MiB (not judged under valgrind)."""
    if g.r.rc not in (0, 1):
        return False
    if valgrind_prefix():
        return True
    return g.r.wall <= t + 1 and g.r.maxrss_kb < MAX_RSS_KB


def case(cond, name, g, t=5):
    return tap.ok(cond and bounded(g, t), name, g.describe())


def sha(b):
    return hashlib.sha256(b).hexdigest()


def url(host, path='/.well-known/mta-sts.txt'):
    return 'https://%s.%s%s' % (host, D, path)


rig = HttpsRig()
try:
    with Nsd({D: rig.zone}) as ns:
        CA = ('--ca-file', rig.ca)

        # ---- good paths
        g = get(url('good'), '-4', *CA, ns=ns)
        case(g['error'] == 'ok' and g['status'] == '200' and g['content_type'] == 'text/plain'
             and g['body_sha256'] == sha(POLICY) and g['address'] == V4
             and g['http_version'] == '20',
             'good path: IPv4, 200 text/plain, the policy bytes, HTTP/2 (H-08)', g)
        g = get(url('good'), '-6', *CA, ns=ns)
        case(g['error'] == 'ok' and g['address'] == V6 and g['body_sha256'] == sha(POLICY),
             'good path: IPv6 (-6) from 2001:db8::80', g)
        g = get(url('v6only'), *CA, ns=ns)
        case(g['error'] == 'ok' and g['address'] == V6,
             'good path: a host with only AAAA is fetched over IPv6', g)
        g = get(url('tls12'), *CA, ns=ns)
        case(g['error'] == 'ok' and g['http_version'] == '11'
             and g['body_sha256'] == sha(POLICY),
             'good path: TLS 1.2-only, HTTP/1.1-only server', g)
        g = get('https://GOOD.%s./.well-known/mta-sts.txt' % D.upper(), *CA, ns=ns)
        case(g['error'] == 'ok' and g['body_sha256'] == sha(POLICY),
             'implied (H-04): a host in upper case with a final dot matches its certificate',
             g)
        log = rig.log_lines()
        tap.ok(any(l.startswith('good.%s TLSv1.3 HTTP/2.0 /.well-known' % D) for l in log)
               and any(l.startswith('tls12.%s TLSv1.2 HTTP/1.1 /.well-known' % D)
                       for l in log),
               'good path: nginx saw TLS 1.3 with HTTP/2 and TLS 1.2 with HTTP/1.1',
               '\n'.join(log))

        # ---- H-01 redirects: not followed, status and Location named
        for path, status, loc in (
                ('/redirect-other', '301', 'https://other.%s/.well-known/mta-sts.txt' % D),
                ('/redirect-http', '301', 'http://good.%s/.well-known/mta-sts.txt' % D),
                ('/redirect-self', '302', 'https://good.%s/redirect-self' % D)):
            n_before = len(rig.log_lines())
            g = get(url('good', path), *CA, ns=ns)
            later = rig.log_lines()[n_before:]
            case(g['error'] == 'redirect' and g['status'] == status and g['location'] == loc
                 and ('HTTP %s' % status) in g['detail'] and loc in g['detail']
                 and len(later) == 1 and g.r.rc == 1,
                 'H-01 %s: %s not followed, status and Location named (one request)'
                 % (path, status), g)
        g = get(url('raw', '/redirect-ctl'), *CA, ns=ns)
        case(g['error'] == 'redirect'
             and g['location'] == 'https://evil.example.net/\\x7c\\x1b[2J'
             and '\\x1b' in g['detail'] and '\x1b' not in g.r.out,
             'H-01 a Location with | and ESC is escaped', g)

        g = get(url('good', '/missing'), *CA, ns=ns)
        case(g['error'] == 'HTTP status' and g['status'] == '404'
             and 'HTTP 404 from good.%s (%s)' % (D, V4) in g['detail'] and g['body_len'] == '0',
             'implied (H-01): a 404 is an HTTP status error naming status, host and address', g)

        # ---- H-02 bodies over the cap
        g = get(url('good', '/big1m.txt'), '--max', 65536, *CA, ns=ns)
        case(g['error'] == 'too big' and 'over 65536 bytes' in g['detail']
             and g['body_len'] == '0',
             'H-02 1 MiB body with a 64 KiB cap: refused, "over 65536 bytes"', g)
        g = get(url('good', '/big1m.txt'), '--max', 2 << 20, *CA, ns=ns)
        case(g['error'] == 'ok' and g['body_len'] == str(1 << 20),
             'H-02 the same 1 MiB body under a 2 MiB cap: read whole', g)
        g = get(url('good', '/big100m.txt'), '--max', 65536, *CA, ns=ns)
        case(g['error'] == 'too big' and 'Content-Length 104857600' in g['detail']
             and int(g['body_received'] or 1 << 30) < 1 << 20,
             'H-02 100 MiB announced: refused on its Content-Length, little read', g)
        g = get(url('raw', '/endless'), '--max', 65536, *CA, ns=ns)
        case(g['error'] == 'too big' and 'over 65536 bytes' in g['detail']
             and int(g['body_received'] or 1 << 30) < 1 << 20,
             'H-02 an endless chunked body: refused at the cap, memory bounded', g)

        # ---- H-03 a reply that drips
        g = get(url('raw', '/slow'), *CA, t=3, ns=ns)
        case(g['error'] == 'timeout' and 'raw.%s' % D in g['detail']
             and int(g['body_received'] or 0) >= 1
             and ('%s body bytes received' % g['body_received']) in g['detail']
             and g.r.wall >= 2,
             'H-03 headers then one byte a second: ends at the deadline naming the host '
             'and the bytes received', g, t=3)
        g = get(url('raw', '/slowhead'), *CA, t=3, ns=ns)
        case(g['error'] == 'timeout' and 'raw.%s' % D in g['detail']
             and int(g['header_bytes'] or 0) > 0 and g['body_received'] == '0'
             and g.r.wall >= 2,
             'H-03 a status line then one header byte a second: ends at the deadline', g,
             t=3)

        # ---- H-04 certificates
        for host, why in (('wrongname', 'hostname mismatch: certificate for other.%s' % D),
                          ('expired', 'certificate has expired'),
                          ('selfsigned', 'self-signed certificate'),
                          ('cnonly', 'only in the subject CN'),
                          ('mx1', 'matches only a partial wildcard')):
            g = get(url(host), *CA, ns=ns)
            case(g['error'] == 'TLS' and why in g['verify_reason'] and why in g['detail']
                 and g['body_len'] == '0',
                 'H-04 %s certificate: refused, "%s"' % (host, why), g)
        g = get(url('good'), ns=ns)
        case(g['error'] == 'TLS' and 'self-signed certificate in certificate chain'
             in g['verify_reason'],
             'H-04 without --ca-file the test CA is not trusted (system store)', g)
        # What libcurl alone does with the same two certificates (why the
        # module sets OpenSSL's host check itself): shown, not judged.
        curl = shutil.which('curl')
        if curl:
            for host in ('cnonly', 'mx1'):
                r = subprocess.run([curl, '-sS', '-o', '/dev/null', '-w', '%{http_code}',
                                    '--cacert', rig.ca, '--resolve',
                                    '%s.%s:443:%s' % (host, D, V4), url(host)],
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   timeout=10)
                out = r.stdout.decode('utf-8', 'replace').strip().splitlines()
                tap.diag('the curl tool (libcurl alone) on %s: exit %d, %s' % (
                    host, r.returncode, out[0] if out else ''))

        # ---- H-05 Content-Type named, escaped
        for path, ctype in (('/html', 'text/html'),
                            ('/utf16', 'text/plain; charset=utf-16')):
            g = get(url('good', path), *CA, ns=ns)
            case(g['error'] == 'ok' and g['content_type'] == ctype
                 and g['has_content_type'] == '1',
                 'H-05 Content-Type %s is reported as it came' % ctype, g)
        g = get(url('raw', '/notype'), *CA, ns=ns)
        case(g['error'] == 'ok' and g['has_content_type'] == '0' and g['content_type'] == '',
             'H-05 no Content-Type: reported missing', g)
        g = get(url('raw', '/ctlheader'), *CA, ns=ns)
        case(g['error'] == 'ok' and g['content_type'] == 'text/plain\\x7c\\x1b[31m\\x7f',
             'H-05 a Content-Type with |, ESC and DEL is escaped', g)

        # ---- H-06 the body as it came (the policy parser reads it)
        g = get(url('good', '/h06.txt'), '--max', 1 << 20, *CA, ns=ns)
        case(g['error'] == 'ok' and g['body_len'] == str(len(H06_BODY))
             and g['body_sha256'] == sha(H06_BODY)
             and g['body_head'].startswith('version: STSv1\\x0d\\x0amode: testing\\x00'),
             'H-06 NUL, CR without LF, 10,000 mx: lines, a 10 KB line: delivered byte for '
             'byte with its length, escaped when shown', g)

        # ---- H-07 internal addresses and no address
        n_before = len(rig.log_lines())
        g = get(url('loop'), *CA, ns=ns)
        case(g['error'] == 'internal address' and '127.0.0.1' in g['detail']
             and 'loopback' in g['detail'] and g['skipped'] == '127.0.0.1'
             and len(rig.log_lines()) == n_before,
             'H-07 a host at 127.0.0.1: not contacted', g)
        g = get(url('private'), *CA, ns=ns)
        case(g['error'] == 'internal address' and '10.0.0.1' in g['detail']
             and 'private' in g['detail'],
             'H-07 a host at 10.0.0.1: not contacted', g)
        g = get(url('noaddr'), *CA, ns=ns)
        case(g['error'] == 'no address' and 'no address' in g['detail'],
             'H-07 a host without an address: "no address"', g)
        g = get(url('loop'), '--allow-internal', *CA, ns=ns)
        case(g['error'] == 'ok' and g['address'] == '127.0.0.1'
             and any(l.startswith('loop.%s ' % D) for l in rig.log_lines()[n_before:]),
             'H-07 with --allow-internal the loopback host is fetched', g)

        # ---- H-08 HTTP/1.0 without length, gzip
        g = get(url('raw', '/http10'), *CA, ns=ns)
        case(g['error'] == 'ok' and g['http_version'] == '10'
             and g['body_sha256'] == sha(POLICY),
             'H-08 HTTP/1.0 without Content-Length: the body up to the close', g)
        g = get(url('h2only'), *CA, ns=ns)
        case(g['error'] == 'ok' and g['http_version'] == '20'
             and g['content_type'] == 'text/plain' and g['body_sha256'] == sha(POLICY),
             'H-08 an HTTP/2-only server (ALPN h2 alone): read over HTTP/2', g)
        if curl:
            r = subprocess.run([curl, '-sS', '--http1.1', '-o', '/dev/null', '--max-time', '5',
                                '--cacert', rig.ca, '--resolve',
                                'h2only.%s:443:192.0.2.83' % D, url('h2only')],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=10)
            tap.ok(r.returncode != 0, 'rig: the HTTP/2-only server refuses HTTP/1.1',
                   r.stdout.decode('utf-8', 'replace'))
        g = get(url('good', '/gzip.txt'), *CA, ns=ns)
        case(g['error'] == 'content encoding' and g['content_encoding'] == 'gzip'
             and 'Content-Encoding gzip' in g['detail'] and g['body_len'] == '0',
             'H-08 a gzip body sent unasked: refused, named', g)

        # ---- the URL and the connection
        g = get('http://good.%s/.well-known/mta-sts.txt' % D, *CA, ns=ns)
        case(g['error'] == 'not https',
             'implied (H-01): an http: URL is not fetched', g)
        g = get('https://%s/.well-known/mta-sts.txt' % V4, *CA, ns=ns)
        case(g['error'] == 'bad URL' and 'address' in g['detail'],
             'implied (H-07): a URL whose host is an address is not fetched', g)
        g = get('https://good.%s:8080/.well-known/mta-sts.txt' % D, *CA, ns=ns)
        case(g['error'] == 'TLS' and 'wrong version number' in g['detail']
             and g['status'] == '0',
             'implied (T-12): plain HTTP where TLS is expected: a TLS error with the reason', g)
        g = get('https://good.%s:444/' % D, *CA, ns=ns)
        case(g['error'] == 'connect' and V4 in g['detail'],
             'implied: nothing listening: connect error naming the address', g)
finally:
    rig.stop()
tap.done()
