# SPDX-License-Identifier: GPL-3.0-or-later
"""check_mta_sts against real software in a network namespace: NSD for
the records, nginx for the policies (one virtual host
mta-sts.NAME.example.net per scenario, certificates from a test CA), a
scripted TLS server for a policy that drips (tests/lib/httpsrig.py), and
the scripted SMTP server of tests/lib/smtpfake.py for --starttls.

Addresses (documentation ranges, on the namespace's loopback):
192.0.2.80 nginx, 192.0.2.82 the dripping server, 192.0.2.25 SMTP.

Every run ends within -t + 1 s. Needs root, iproute2, nginx and openssl;
otherwise one TAP skip.
"""

import os
import subprocess
import sys
import time
import socket

sys.path.insert(0, os.path.join(os.environ.get('top_srcdir', '.'), 'tests', 'lib'))
from httpsrig import enter_netns, RawServer, NGINX, IP  # noqa: E402

enter_netns('mtasts', __file__, name='check_mta_sts against NSD, nginx and SMTP in a netns')

# ---------------------------------------------------------------- inside the namespace

from harness import wall_slack, TAP, Nsd, run_plugin, tmpdir, valgrind_prefix  # noqa: E402
from smtpfake import SmtpFake, TestCA  # noqa: E402

tap = TAP()
Z = 'example.net'
WEB, RAW, SMTP = '192.0.2.80', '192.0.2.82', '192.0.2.25'
T = 5


def policy(mode, *mx, max_age=604800, eol=b'\r\n'):
    lines = [b'version: STSv1', b'mode: ' + mode.encode()]
    lines += [b'mx: ' + m.encode() for m in mx]
    lines.append(b'max_age: %d' % max_age)
    return eol.join(lines) + eol


def host(name):
    return '%s.%s' % (name, Z)


# name -> (policy body or None for no file, nginx location lines)
REDIRECT = ('location = /.well-known/mta-sts.txt { return 301 https://mta-sts.%s'
            '/.well-known/mta-sts.txt; }' % host('good'))
HTML = 'location = /.well-known/mta-sts.txt { types { } default_type text/html; }'
SITES = {
    'good': (policy('enforce', host('mail.good')), ''),
    'lf': (policy('enforce', host('mail.lf'), eol=b'\n'), ''),
    'wild': (policy('enforce', '*.' + host('wild')), ''),
    'uncovered': (policy('enforce', host('mail.uncovered')), ''),
    'testing': (policy('testing', host('mail.testing')), ''),
    'none': (policy('none'), ''),
    'short': (policy('enforce', host('mail.short'), max_age=3600), ''),
    'tworec': (policy('enforce', host('mail.tworec')), ''),
    'badid': (policy('enforce', host('mail.badid')), ''),
    'redirect': (policy('enforce', host('mail.redirect')), REDIRECT),
    'missing': (None, ''),
    'html': (policy('enforce', host('mail.html')), HTML),
    'big': (b'x' * (1 << 20), ''),
    'ctl': (policy('enforce', host('mail.ctl')) + b'x-\x1b[31m|: red\r\n', ''),
    'nomx': (policy('enforce', host('nomx')), ''),
    'tls': (policy('enforce', host('mail.tls')), ''),
    'tlstest': (policy('testing', host('mail.tls')), ''),
    'wrongname': (policy('enforce', host('mail.wrongname')), ''),
}

ZONE_BASE = {name: ['_mta-sts.%s TXT "v=STSv1; id=1"' % name,
                    'mta-sts.%s A %s' % (name, WEB),
                    '%s MX 10 mail.%s' % (name, name),
                    'mail.%s A %s' % (name, SMTP)] for name in SITES}
ZONE_BASE['wild'][2:] = ['wild MX 10 mx1.wild', 'wild MX 20 mx2.wild']
ZONE_BASE['uncovered'].append('uncovered MX 20 backup.example.org.')
ZONE_BASE['testing'].append('testing MX 20 backup.example.org.')
ZONE_BASE['tworec'].append('_mta-sts.tworec TXT "v=STSv1; id=2"')
ZONE_BASE['badid'][0] = '_mta-sts.badid TXT "v=STSv1; id=%s"' % ('a' * 33)
ZONE_BASE['nomx'][2:] = []
ZONE_BASE['tls'][2:] = ['tls MX 10 mail.tls', 'mail.tls A %s' % SMTP]
ZONE_BASE['tlstest'][2:] = ['tlstest MX 10 mail.tls']
ZONE_BASE['norecord'] = ['norecord MX 10 mail.norecord', 'mail.norecord A %s' % SMTP]
ZONE_BASE['private'] = ['_mta-sts.private TXT "v=STSv1; id=1"', 'mta-sts.private A 10.0.0.1',
                        'private MX 10 mail.private', 'mail.private A %s' % SMTP]
ZONE_BASE['slow'] = ['_mta-sts.slow TXT "v=STSv1; id=1"', 'mta-sts.slow A %s' % RAW,
                     'slow MX 10 mail.slow']


def zone_text(zone):
    return ''.join(line + '\n' for lines in zone.values() for line in lines)


NGINX_CONF = """user root;
worker_processes 1;
pid {d}/nginx.pid;
error_log {d}/error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log {d}/access.log;
    client_body_temp_path {d}/tmp/body;
    proxy_temp_path {d}/tmp/proxy;
    fastcgi_temp_path {d}/tmp/fastcgi;
    uwsgi_temp_path {d}/tmp/uwsgi;
    scgi_temp_path {d}/tmp/scgi;
    types {{ text/plain txt; }}
    default_type application/octet-stream;
{servers}}}
"""
SERVER = """    server {{
        listen {web}:443 ssl;
        server_name mta-sts.{name}.{z};
        ssl_certificate {cert};
        ssl_certificate_key {key};
        root {d}/www/{name};
        {extra}
    }}
"""


class Slow(RawServer):
    """The policy's headers, then one body byte a second (H-03)."""

    def path_missing(self, s):
        self.path_slow(s)


def start_rig(d, ca):
    for a in (WEB, RAW, SMTP):
        subprocess.run([IP, 'addr', 'add', a + '/32', 'dev', 'lo'], check=True)
    subprocess.run([IP, 'link', 'set', 'lo', 'up'], check=True)
    good = ca.issue('mta-sts.good.' + Z, sans=['mta-sts.%s.%s' % (n, Z) for n in SITES
                                               if n != 'wrongname'], chain=True)
    wrong = ca.issue('other.' + Z, chain=True)
    servers = ''
    for name, (body, extra) in SITES.items():
        os.makedirs(os.path.join(d, 'www', name, '.well-known'))
        if body is not None:
            with open(os.path.join(d, 'www', name, '.well-known', 'mta-sts.txt'), 'wb') as f:
                f.write(body)
        cert = wrong if name == 'wrongname' else good
        servers += SERVER.format(web=WEB, name=name, z=Z, cert=cert[0], key=cert[1], d=d,
                                 extra=extra)
    for sub in ('body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'):
        os.makedirs(os.path.join(d, 'tmp', sub))
    conf = os.path.join(d, 'nginx.conf')
    with open(conf, 'w') as f:
        f.write(NGINX_CONF.format(d=d, servers=servers))
    proc = subprocess.Popen([NGINX, '-c', conf, '-p', d, '-g', 'daemon off;'],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            socket.create_connection((WEB, 443), timeout=1).close()
            break
        except OSError:
            time.sleep(0.1)
    slow = Slow(RAW, 443, ca.issue('mta-sts.slow.' + Z, chain=True))
    return proc, slow


def run(ns, name, *extra, t=T):
    r = run_plugin('check_mta_sts', '-D', host(name), '-t', t, *extra, server=ns)
    r.t = t
    return r


def within(r):
    if valgrind_prefix():
        return r.rc is not None
    return r.rc is not None and r.wall <= r.t + 1 + wall_slack()


def ok(cond, name, r):
    return tap.ok(cond and within(r), name, r)


def line(r, tag, text):
    return any(l.startswith('[%s]' % tag) and text in l for l in r.long)


def fixes(r):
    return [l[5:] for l in r.lines if l.startswith('fix: ')]


def policy_from_fix(r):
    """The policy body the fix: lines give ("; > LINE"), CRLF-ended."""
    body = [f[4:] for f in fixes(r) if f.startswith('; > ')]
    return ''.join(l + '\r\n' for l in body).encode() if body else None


d = tmpdir()
ca = TestCA(os.path.join(d, 'ca'))
nginx, slow = start_rig(d, ca)
CA = ('--ca-file', ca.cert)
try:
    with Nsd({Z: zone_text(ZONE_BASE)}) as ns:
        r = run(ns, 'good', *CA)
        ok(r.rc == 0 and r.first.startswith('MTA-STS OK - good.example.net: mode enforce, id 1')
           and line(r, 'OK', 'mail.good.example.net matches mx: mail.good.example.net')
           and line(r, 'OK', 'lines end in CRLF') and 'max_age' in r.perf
           and r.perf.get('mx_uncovered') == '0' and 'fetch_time' in r.perf
           and not fixes(r), 'good enforce policy: OK, fields and perfdata', r)
        r = run(ns, 'good', '--all-ns', '--allow-internal', *CA)
        ok(r.rc == 0 and r.perf.get('ns_agree') == '1'
           and line(r, 'OK', 'agree on the 4 records compared')
           and r.first.startswith('MTA-STS OK'),
           'implied: --all-ns asks the zone\'s server for the records used: OK', r)
        r = run(ns, 'lf', *CA)
        ok(r.rc == 0 and line(r, 'OK', 'lines end in LF'), 'LF line ends: OK, named', r)
        r = run(ns, 'wild', *CA)
        ok(r.rc == 0 and line(r, 'OK', 'mx1.wild.example.net matches mx: *.wild.example.net')
           and line(r, 'OK', 'mx2.wild.example.net matches'),
           'a wildcard pattern covers both MX hosts (RFC 8461 4.1)', r)
        r = run(ns, 'nomx', *CA)
        ok(r.rc == 0 and line(r, 'OK', 'no MX records: the implicit MX is nomx.example.net')
           and line(r, 'OK', 'the implicit MX nomx.example.net matches'),
           'no MX: the domain itself is matched', r)
        r = run(ns, 'good')
        ok(r.rc == 2 and line(r, 'CRITICAL', 'not fetched: TLS')
           and 'mta-sts.good.example.net' in r.first,
           'without --ca-file the test CA is not trusted: CRITICAL naming TLS', r)

        r = run(ns, 'uncovered', *CA)
        ok(r.rc == 2 and line(r, 'CRITICAL', 'MX backup.example.org matches no mx: pattern')
           and 'mode enforce' in r.first and r.perf.get('mx_uncovered') == '1'
           and line(r, 'OK', 'mail.uncovered.example.net matches'),
           'MX not covered in enforce mode: CRITICAL', r)
        uncovered_fix = r
        fx = fixes(r)
        body = policy_from_fix(r)
        ok(len(fx) >= 2 and fx[0].startswith('_mta-sts.uncovered.example.net. IN TXT '
                                             '"v=STSv1; id=20')
           and body == policy('enforce', 'mail.uncovered.example.net', 'backup.example.org'),
           'fix: a fresh id (UTC timestamp) and the policy with both MX hosts, enforce kept', r)
        r = run(ns, 'testing', *CA)
        ok(r.rc == 1 and line(r, 'WARNING', 'MX backup.example.org matches no mx: pattern')
           and 'mode testing' in r.first, 'MX not covered in testing mode: WARNING', r)
        r = run(ns, 'none', *CA)
        ok(r.rc == 1 and line(r, 'WARNING', 'mode none') and 'withdrawn' in r.first
           and not fixes(r), 'mode none: WARNING saying it withdraws the policy', r)
        r = run(ns, 'short', *CA)
        ok(r.rc == 1 and line(r, 'WARNING', 'max_age') and r.perf.get('max_age') == '3600s',
           'P-03 max_age under a day: WARNING, in the perfdata', r)

        r = run(ns, 'norecord', *CA)
        ok(r.rc == 2 and 'no MTA-STS record' in r.first
           and fixes(r)[0].startswith('_mta-sts.norecord.example.net. IN TXT "v=STSv1; id=')
           and policy_from_fix(r) == policy('testing', 'mail.norecord.example.net'),
           'no record: CRITICAL, fix: record and a testing policy', r)
        r = run(ns, 'norecord', '--optional', *CA)
        ok(r.rc == 0 and 'no MTA-STS policy published' in r.first and not fixes(r),
           'no record with --optional: OK "no MTA-STS policy published"', r)
        r = run(ns, 'tworec', *CA)
        ok(r.rc == 2 and line(r, 'CRITICAL', '2 MTA-STS records'),
           'P-01 two v=STSv1 records: CRITICAL', r)
        r = run(ns, 'badid', *CA)
        ok(r.rc == 2 and line(r, 'CRITICAL', 'id') and 'aaaaaaaa' in r.out
           and fixes(r)[0].startswith('_mta-sts.badid.example.net. IN TXT "v=STSv1; id=20')
           and policy_from_fix(r) is None,
           'P-01 an id of 33 characters: CRITICAL, fix: the record only', r)

        # ---- fetch failures: CRITICAL naming what was wrong, within -t
        # A body mends a 404, a redirect, a body too big: the fix: gives
        # one; not a certificate, a media type or a slow server.
        for name, what, row, mend in (
                ('wrongname', 'not fetched: TLS', 'H-04 certificate for another name', False),
                ('redirect', 'not fetched: redirect', 'H-01 a 301 redirect', True),
                ('missing', 'HTTP 404', 'implied (H-01): a 404', True),
                ('html', 'text/html', 'H-05 Content-Type text/html', False),
                ('big', 'not fetched: too big', 'H-02 a 1 MiB body', True)):
            r = run(ns, name, *CA)
            body = policy_from_fix(r)
            ok(r.rc == 2 and line(r, 'CRITICAL', what) and what in r.first
               and (body == policy('testing', host('mail.' + name)) if mend else not fixes(r)),
               '%s: CRITICAL naming it, %s' % (row, 'fix: a policy' if mend else 'no fix:'), r)
        r = run(ns, 'slow', *CA, t=3)
        # Under valgrind the work before the fetch may leave the -t
        # backstop to end the run: CRITICAL too, naming the stage.
        ok(r.rc == 2 and not fixes(r)
           and (line(r, 'CRITICAL', 'not fetched: timeout')
                or bool(valgrind_prefix()) and 'timed out after 3 s (stage: policy fetch)' in r.first),
           'H-03 a body of one byte a second: CRITICAL timeout within -t', r)

        r = run(ns, 'private', *CA)
        ok(r.rc == 2 and line(r, 'CRITICAL', 'not fetched: internal address')
           and line(r, 'CRITICAL', '10.0.0.1, private') and not line(r, 'WARNING', '')
           and not fixes(r),
           'H-07 a policy host on a private address: not contacted, CRITICAL', r)

        r = run(ns, 'ctl', *CA)
        ok(r.rc == 1 and '\x1b' not in r.out and '\\x1b' in r.out and '\\x7c' in r.out
           and not any('|' in l for l in r.long),
           'H-06 a policy field with ESC and |: escaped in the output', r)

        # ---- --starttls against the scripted SMTP server
        good_mx = ca.issue(host('mail.tls'))
        wrong_mx = ca.issue('other.' + Z)
        with SmtpFake('ok', cert=good_mx[0], key=good_mx[1], host=SMTP) as s:
            r = run(ns, 'tls', '--starttls', '--smtp-port', s.port, *CA)
            ok(r.rc == 0 and line(r, 'OK', 'certificate verified for mail.tls.example.net'),
               '--starttls: certificate valid for the MX name: OK', r)
        with SmtpFake('ok', cert=wrong_mx[0], key=wrong_mx[1], host=SMTP) as s:
            r = run(ns, 'tls', '--starttls', '--smtp-port', s.port, *CA)
            ok(r.rc == 2 and line(r, 'CRITICAL', 'not valid for mail.tls.example.net'),
               '--starttls: wrong-name certificate under enforce: CRITICAL', r)
        with SmtpFake('ok', cert=wrong_mx[0], key=wrong_mx[1], host=SMTP) as s:
            r = run(ns, 'tlstest', '--starttls', '--smtp-port', s.port, *CA)
            ok(r.rc == 1 and line(r, 'WARNING', 'not valid for mail.tls.example.net')
               and not line(r, 'CRITICAL', ''),
               '--starttls: wrong-name certificate under testing: WARNING', r)

    # ---- the fix: lines applied: the policy file and the record with its
    # fresh id published, the same run is OK with no fix: line
    body = policy_from_fix(uncovered_fix)
    rec = fixes(uncovered_fix)[0].split(' IN TXT ', 1)[1]
    with open(os.path.join(d, 'www', 'uncovered', '.well-known', 'mta-sts.txt'), 'wb') as f:
        f.write(body or b'')
    fixed = dict(ZONE_BASE)
    fixed['uncovered'] = ['_mta-sts.uncovered TXT %s' % rec] + ZONE_BASE['uncovered'][1:]
    with Nsd({Z: zone_text(fixed)}) as ns:
        r = run(ns, 'uncovered', *CA)
        ok(r.rc == 0 and not fixes(r) and r.perf.get('mx_uncovered') == '0',
           'implied: the fix: lines published, the run is OK and prints no fix:', r)
finally:
    os.killpg(nginx.pid, 15)
    nginx.wait(10)
    slow.stop()
tap.done()
