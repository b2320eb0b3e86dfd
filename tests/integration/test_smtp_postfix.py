# SPDX-License-Identifier: GPL-3.0-or-later
"""check_mx --smtp/--starttls/--dane good paths against a REAL Postfix
(Debian's package, never the system's own instance): the test makes a
network namespace, puts the documentation addresses 192.0.2.25 and
2001:db8::25 on its loopback (so the MX addresses are not loopback ones,
which check_mx would flag), and runs Postfix (own config directory,
`postfix -c DIR start-fg`), NSD, and the
plugin all inside it. Postfix listens on the real port 25 there.

DANE: check_mx validates the TLSA answers itself (no AD bit is
believed), so they come from zones signed at test time
(tests/lib/signedzones.py SignedRecords, served by NSD) with their
root's key as --trust-anchor; the unsigned zone's TLSA must be refused.

Needs root (CI runs as root), iproute2 and postfix
(contrib/install-deps.sh); otherwise the whole file is a TAP skip.
"""

import hashlib
import os
import shutil
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.environ.get('top_srcdir', '.'), 'tests', 'lib'))
from harness import TAP, Nsd, run_plugin, tmpdir  # noqa: E402

V4, V6 = '192.0.2.25', '2001:db8::25'
MX = 'mx.example.com'
INNER = 'MAILDNS_SMTP_NETNS'
POSTFIX = shutil.which('postfix', path='/usr/sbin:/sbin:/usr/bin')


def skip_all(reason):
    tap = TAP()
    tap.skip('check_mx against Postfix in a network namespace', reason)
    tap.done()
    sys.exit(0)


def outer():
    """Make the namespace, run this file inside it, remove it."""
    if os.geteuid() != 0:
        skip_all('needs root for ip netns')
    if POSTFIX is None or not os.path.exists('/usr/lib/postfix/sbin/master'):
        skip_all('postfix not installed (contrib/install-deps.sh)')
    if shutil.which('ip', path='/usr/sbin:/sbin:/usr/bin') is None:
        skip_all('ip (iproute2) not installed')
    ns = 'maildns-smtp-%d' % os.getpid()
    r = subprocess.run(['ip', 'netns', 'add', ns], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT)
    if r.returncode != 0:
        skip_all('ip netns add failed: %s' % r.stdout.decode('utf-8', 'replace').strip())
    try:
        env = dict(os.environ, **{INNER: ns})
        rc = subprocess.run(['ip', 'netns', 'exec', ns, sys.executable, os.path.abspath(__file__)],
                            env=env, timeout=600).returncode
    finally:
        subprocess.run(['ip', 'netns', 'del', ns])
    sys.exit(rc)


if not os.environ.get(INNER):
    outer()

# ---------------------------------------------------------------- inside the namespace

from signedzones import SignedRecords  # noqa: E402
from smtpfake import TestCA, spki_sha256  # noqa: E402

# A trust anchor for zones that are not signed: never reached by a chain.
ANY_ANCHOR = os.path.join(tmpdir(), 'root.ds')
with open(ANY_ANCHOR, 'w') as f:
    f.write('. IN DS 20326 8 2 '
            'E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D\n')

tap = TAP()


def sh(*cmd):
    subprocess.run(cmd, check=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


sh('ip', 'link', 'set', 'lo', 'up')
sh('ip', 'addr', 'add', V4 + '/32', 'dev', 'lo')
sh('ip', 'addr', 'add', V6 + '/128', 'dev', 'lo', 'nodad')

base = tmpdir()
os.chmod(base, 0o755)          # Postfix's unprivileged daemons walk into it
ca = TestCA(os.path.join(base, 'ca'))
cert, key = ca.issue(MX, chain=True)        # smtpd sends leaf + CA
ca_der = subprocess.run(['openssl', 'x509', '-in', ca.cert, '-outform', 'DER'],
                        stdout=subprocess.PIPE, check=True).stdout
LEAF_311 = spki_sha256(cert)
CA_201 = hashlib.sha256(ca_der).hexdigest()

MAIN_CF = """compatibility_level = 3.6
queue_directory = {d}/queue
data_directory = {d}/data
command_directory = /usr/sbin
daemon_directory = /usr/lib/postfix/sbin
shlib_directory = /usr/lib/postfix
meta_directory = /etc/postfix
mail_owner = postfix
setgid_group = postdrop
myhostname = {mx}
mydomain = example.com
myorigin = example.com
mydestination =
relay_domains =
local_recipient_maps =
alias_maps =
alias_database =
biff = no
inet_interfaces = {v4}, [{v6}]
inet_protocols = all
smtpd_banner = $myhostname ESMTP maildns-test
smtpd_tls_security_level = may
smtpd_tls_chain_files = {key}, {cert}
maillog_file = /dev/stdout
"""
MASTER_CF = """smtp      inet  n       -       n       -       -       smtpd
anvil     unix  -       -       n       -       1       anvil
proxymap  unix  -       -       n       -       -       proxymap
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
postlog   unix-dgram n  -       n       -       1       postlogd
"""


class Postfix:
    """Postfix in the foreground with its own configuration directory."""

    def __init__(self):
        self.dir = os.path.join(base, 'postfix')
        for sub in ('queue', 'data'):
            os.makedirs(os.path.join(self.dir, sub))
        shutil.chown(os.path.join(self.dir, 'data'), 'postfix')
        with open(os.path.join(self.dir, 'main.cf'), 'w') as f:
            f.write(MAIN_CF.format(d=self.dir, mx=MX, v4=V4, v6=V6, key=key, cert=cert))
        with open(os.path.join(self.dir, 'master.cf'), 'w') as f:
            f.write(MASTER_CF)
        self.log = os.path.join(self.dir, 'postfix.log')
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen([POSTFIX, '-c', self.dir, 'start-fg'],
                                     stdout=open(self.log, 'wb'), stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and self.proc.poll() is None:
            if self._greets(V4) and self._greets(V6):
                return True
            time.sleep(0.2)
        return False

    @staticmethod
    def _greets(addr):
        try:
            with socket.create_connection((addr, 25), timeout=2) as s:
                return s.recv(512).startswith(b'220')
        except OSError:
            return False

    def stop(self):
        if self.proc is None:
            return
        subprocess.run([POSTFIX, '-c', self.dir, 'stop'], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=30)
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, 9)
            self.proc.wait()
        self.proc = None

    def tail(self):
        try:
            with open(self.log, errors='replace') as f:
                return ''.join(l for l in f.readlines()[-15:] if 'not owned' not in l)
        except OSError:
            return ''


def line(r, tag, text):
    return any(l.startswith('[%s]' % tag) and text in l for l in r.long)


NSD_ZONE = 'mx A %s\nmx AAAA %s\n@ MX 10 mx\n' % (V4, V6)
DNS_ZONE = {'example.com': [('MX', 10, MX)], MX: [('A', V4), ('AAAA', V6)]}

pf = Postfix()
try:
    if not pf.start():
        tap.ok(False, 'Postfix started in the namespace', pf.tail())
        tap.done()
        sys.exit(0)
    with Nsd({'example.com': NSD_ZONE + '_25._tcp.mx TLSA 3 1 1 %s\n' % LEAF_311}) as ns:
        r = run_plugin('check_mx', '-D', 'example.com', '--starttls', '--ca-file', ca.cert,
                       server=ns)
        tap.ok(r.rc == 0 and r.first.startswith('MX OK'), 'Postfix: --starttls all OK', r)
        for a in (V4, '%s' % V6):
            w = '%s[%s]:25' % (MX, a)
            tap.ok(line(r, 'OK', 'SMTP %s: connect ' % w)
                   and line(r, 'OK', '220 %s ESMTP maildns-test' % MX),
                   'Postfix: greeting read from %s (connect and greeting times)' % w, r)
            tap.ok(line(r, 'OK', 'TLS %s: TLSv1.' % w) and line(r, 'OK', 'issuer CN=maildns Test CA'),
                   'Postfix: STARTTLS offered and handshake done with %s' % w, r)
            tap.ok(line(r, 'OK', '%s: certificate verified for %s' % (w, MX)),
                   'Postfix: chain verified with --ca-file, name checked, %s' % w, r)
        tap.ok(r.perf.get('smtp_ok') == '2' and r.perf.get(MX + '_cert_days') in ('364', '365')
               and r.perf.get(MX + '_connect', '').endswith('s')
               and r.perf.get(MX + '_greeting', '').endswith('s'),
               'Postfix: perfdata smtp_ok=2, HOST_cert_days, HOST_connect, HOST_greeting', r)

        r = run_plugin('check_mx', '-D', 'example.com', '--smtp', server=ns)
        tap.ok(r.rc == 0 and r.perf.get('smtp_ok') == '2' and not line(r, 'OK', 'TLS '),
               'Postfix: --smtp alone: greeting and EHLO on both addresses, no TLS', r)

        r = run_plugin('check_mx', '-D', 'example.com', '-4', '--smtp', server=ns)
        tap.ok(r.rc == 0 and r.perf.get('smtp_ok') == '1' and V6 not in ''.join(r.long[1:])
               .replace('MX 10 %s: %s, %s' % (MX, V4, V6), ''),
               'Postfix: -4 probes the IPv4 address only', r)

        r = run_plugin('check_mx', '-D', 'example.com', '--starttls', server=ns)
        tap.ok(r.rc == 2 and line(r, 'CRITICAL', 'certificate not trusted: issuer CN=maildns '
                                  'Test CA not in the system trust store'),
               'Postfix: test CA not in the system store: CRITICAL', r)

        # An unsigned zone: its TLSA cannot be validated from the anchor
        # (issue 19: check_mx validates, no AD bit is believed).
        r = run_plugin('check_mx', '-D', 'example.com', '--dane', '--ca-file', ca.cert,
                       '--trust-anchor', ANY_ANCHOR, server=ns)
        tap.ok(r.rc == 2 and '_25._tcp.%s/TLSA' % MX in r.out
               and not line(r, 'OK', 'DANE: TLSA'),
               'Postfix: --dane with a TLSA answer that does not validate: CRITICAL', r)

    def dane(tlsa, *extra):
        zone = dict(DNS_ZONE)
        if tlsa is not None:
            zone['_25._tcp.' + MX] = [tlsa]
        with SignedRecords(zone) as h:
            return run_plugin('check_mx', '-D', 'example.com', '--dane', '--trust-anchor',
                              h.anchor, *extra, server=h.nsd)

    r = dane(('TLSA', 3, 1, 1, bytes.fromhex(LEAF_311)), '--ca-file', ca.cert)
    tap.ok(r.rc == 0 and line(r, 'OK', 'DANE: TLSA 3 1 1 (DANE-EE) at _25._tcp.%s matches '
                              '%s[%s]:25' % (MX, MX, V4))
           and line(r, 'OK', 'matches %s[%s]:25' % (MX, V6)),
           'Postfix: DANE 3 1 1 (signed, validated) matches the live certificate', r)

    r = dane(('TLSA', 3, 1, 1, bytes.fromhex(LEAF_311)))
    tap.ok(r.rc == 0 and line(r, 'OK', 'not in the system trust store (DANE authenticates the '
                              'server instead)'),
           'Postfix: DANE-EE match stands in for the untrusted chain (RFC 7672 3.1.1)', r)

    r = dane(('TLSA', 2, 0, 1, bytes.fromhex(CA_201)))
    tap.ok(r.rc == 0 and line(r, 'OK', 'DANE: TLSA 2 0 1 (DANE-TA) at _25._tcp.%s matches' % MX),
           'Postfix: DANE 2 0 1 of the test CA (chain sent by smtpd) matches', r)

    r = dane(('TLSA', 3, 1, 1, bytes(32)), '--ca-file', ca.cert)
    tap.ok(r.rc == 2 and 'no TLSA record at _25._tcp.%s matches the certificate' % MX in r.first,
           'Postfix: DANE with a stale TLSA: CRITICAL', r)

    r = dane(None, '--ca-file', ca.cert)
    fix = 'fix: _25._tcp.%s. IN TLSA 3 1 1 %s' % (MX, LEAF_311)
    tap.ok(r.rc == 2 and 'no TLSA record at _25._tcp.%s: DANE not published' % MX in r.first,
           'Postfix: --dane without TLSA (authenticated NODATA): CRITICAL', r)
    tap.ok(r.lines.count(fix) == 1, 'Postfix: fix line gives the 3 1 1 record of the live '
           'certificate, once', r)
finally:
    pf.stop()

tap.done()
