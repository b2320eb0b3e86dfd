# SPDX-License-Identifier: GPL-3.0-or-later
"""--all-ns (issue 7): every authoritative server of the zone asked.

example.com is served by four "servers" on four loopback addresses with
one common port (NS records cannot carry a port; Linux routes all of
127/8 to lo, and the plugins' -p applies to the authoritative servers
too):
  ns1 127.0.0.1  NSD, the current zone (serial 2026112602); also the -s
                 server, so it serves the zone's SOA and NS itself
                 (no recursion in the test)
  ns2 127.0.0.2  NSD, an older copy (serial 2026112601): old DKIM key,
                 old SPF record, no DMARC record
  ns3 127.0.0.3  never answers (tests/lib/dnsserver.py, drop)
  ns4 127.0.0.4  refuses everything (REFUSED, as a lame server does)
An Unbound on 127.0.0.5 (same port; stub zones to ns1), when installed,
plays the recursive resolver -s usually is.
example.org is served the same by ns1 and ns2 (127.0.0.1, .2): the
case where all agree. example.net: ns1 and an AA=0 (lame) server.
"""
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.environ.get('top_srcdir', '.'), 'tests', 'lib'))
import harness                                               # noqa: E402
from harness import TAP, Nsd, run_plugin, genkey_rsa, txt_rdata, dkim_txt  # noqa: E402
from dnsserver import DnsServer, Alter, REFUSED              # noqa: E402

tap = TAP()
T = 3           # -t for every run; a silent server costs up to this
# valgrind's own start-up is not the plugin's time (MAILDNS_VALGRIND)
SLACK = 3 if harness.valgrind_prefix() else 0

ADDRS = ['127.0.0.1', '127.0.0.2', '127.0.0.3', '127.0.0.4']
RESOLVER = '127.0.0.5'


def common_port():
    """A port free for UDP and TCP on all four addresses."""
    for _ in range(50):
        port = harness.free_port('127.0.0.1')
        socks, ok = [], True
        try:
            for a in ADDRS + [RESOLVER]:
                for kind in (socket.SOCK_DGRAM, socket.SOCK_STREAM):
                    s = socket.socket(socket.AF_INET, kind)
                    socks.append(s)
                    s.bind((a, port))
        except OSError:
            ok = False
        finally:
            for s in socks:
                s.close()
        if ok:
            return port
    raise RuntimeError('no port free on all of %s' % ADDRS)


def FixedDns(host, port, **kw):
    """DnsServer on a given address and port (the rig picks a random
    port; an NS record cannot name one)."""
    return DnsServer(host=host, port=port, **kw)


def nsd_at(host, port, zones, serials):
    """An NSD on host:port, with the SOA serial of each zone set."""
    ns = Nsd(zones)
    for name, serial in serials.items():
        path = ns.zones[name]
        with open(path) as f:
            text = f.read()
        text = text.replace(' 1 3600 900 604800 300', ' %d 3600 900 604800 300'
                            % serial, 1)
        with open(path, 'w') as f:
            f.write(text)
    ns.host = host
    saved = harness.free_port
    harness.free_port = lambda h=None: port
    try:
        ns.start()
    finally:
        harness.free_port = saved
    return ns


_, NEW_KEY = genkey_rsa(2048)
_, OLD_KEY = genkey_rsa(2048)

NS_LINES = ''.join('@ NS ns%d\nns%d A %s\n' % (i + 1, i + 1, a)
                   for i, a in enumerate(ADDRS))
COMMON = NS_LINES + '@ MX 10 mail\n'
NEW_COM = COMMON + 'mail A 192.0.2.25\n' + (
    '@ TXT "v=spf1 mx ip4:192.0.2.25 -all"\n'
    'default._domainkey TXT %s\n'
    '_dmarc TXT "v=DMARC1; p=reject; rua=mailto:dmarc@example.com"\n'
    's2._domainkey CNAME s2.keys.example.org.\n'
    % txt_rdata(dkim_txt(NEW_KEY)))
OLD_COM = COMMON + 'mail A 192.0.2.24\n' + (
    '@ TXT "v=spf1 ip4:192.0.2.99 -all"\n'
    'default._domainkey TXT %s\n'
    's2._domainkey CNAME old.keys.example.org.\n' % txt_rdata(dkim_txt(OLD_KEY)))
ORG = ('@ NS ns1\nns1 A 127.0.0.1\n@ NS ns2\nns2 A 127.0.0.2\n'
       '@ MX 10 mail\nmail A 192.0.2.26\n'
       '@ TXT "v=spf1 mx -all"\n'
       'default._domainkey TXT %s\n'
       '_dmarc TXT "v=DMARC1; p=none; rua=mailto:dmarc@example.org"\n'
       's2.keys TXT %s\nold.keys TXT %s\n'
       % (txt_rdata(dkim_txt(NEW_KEY)), txt_rdata(dkim_txt(NEW_KEY)),
          txt_rdata(dkim_txt(OLD_KEY))))
INFO_NEW = ('@ NS ns1\nns1 A 127.0.0.1\n@ NS ns2\nns2 A 127.0.0.2\n'
            '@ MX 10 mail\nmail A 192.0.2.27\n')
INFO_OLD = ('@ NS ns1\nns1 A 127.0.0.1\n@ NS ns2\nns2 A 127.0.0.2\n'
            'mail A 192.0.2.27\n')
NET = ('@ NS ns1\nns1 A 127.0.0.1\n@ NS ns4\nns4 A 127.0.0.4\n'
       'default._domainkey TXT %s\n' % txt_rdata(dkim_txt(NEW_KEY)))


def refuse(q):
    return q.reply(rcode=REFUSED)


def lame_or_refuse(q):
    # example.net: answered without AA (a lame delegation); the rest REFUSED
    if q.name.endswith('example.net'):
        return Alter(aa=0)
    return q.reply(rcode=REFUSED)


PORT = common_port()
ns1 = nsd_at('127.0.0.1', PORT, {'example.com': NEW_COM, 'example.org': ORG,
                                 'example.net': NET, 'example.info': INFO_NEW},
             {'example.com': 2026112602, 'example.org': 7, 'example.net': 3,
              'example.info': 5})
ns2 = nsd_at('127.0.0.2', PORT, {'example.com': OLD_COM, 'example.org': ORG,
                                 'example.info': INFO_OLD},
             {'example.com': 2026112601, 'example.org': 7, 'example.info': 4})
silent = FixedDns('127.0.0.3', PORT, faults=lambda q: 'drop', lifetime=300)
silent.start()
# The zone the fourth server would serve: it refuses or answers lame.
lame = FixedDns('127.0.0.4', PORT, zone={
    'example.net': [('NS', 'ns1.example.net')],
    'default._domainkey.example.net': [('TXT', dkim_txt(NEW_KEY))]},
    faults=lame_or_refuse, lifetime=300)
lame.start()


def start_unbound(port):
    """Unbound on RESOLVER:port with stub zones to ns1, or None when it
    is not installed. Returns the Popen."""
    prog = shutil.which('unbound') or (
        '/usr/sbin/unbound' if os.access('/usr/sbin/unbound', os.X_OK) else None)
    if prog is None:
        return None
    d = harness.tmpdir()
    conf = os.path.join(d, 'unbound.conf')
    lines = ['server:', '  interface: %s@%d' % (RESOLVER, port),
             '  do-ip6: no', '  chroot: ""', '  username: ""',
             '  directory: "%s"' % d, '  pidfile: "%s/unbound.pid"' % d,
             '  use-syslog: no', '  logfile: "%s/unbound.log"' % d,
             '  do-not-query-localhost: no', '  module-config: "iterator"',
             '  access-control: 127.0.0.0/8 allow',
             'remote-control:', '  control-enable: no']
    for z in ('example.com', 'example.org'):
        lines += ['stub-zone:', '  name: "%s"' % z,
                  '  stub-addr: 127.0.0.1@%d' % port]
    with open(conf, 'w') as f:
        f.write('\n'.join(lines) + '\n')
    p = subprocess.Popen([prog, '-d', '-c', conf], stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         start_new_session=True)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and p.poll() is None:
        if harness.dns_query('example.com', 'SOA', port, RESOLVER, 0.2):
            return p
        time.sleep(0.05)
    stop_unbound(p)
    return None


def stop_unbound(p):
    if p is None:
        return
    try:
        os.killpg(p.pid, signal.SIGTERM)
        p.wait(timeout=3)
    except (OSError, subprocess.TimeoutExpired):
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except OSError:
            pass
        p.wait()


unbound = None


def run(plugin, *args):
    # Every server here is on loopback: asked only with --allow-internal
    # (tests/integration/test_internal.py covers its absence).
    return run_plugin(plugin, '-t', T, '--allow-internal', *args, server=ns1)


def sends(r):
    """Servers the -vvv trace shows queries sent to."""
    return re.findall(r'^dns: send \S+ \S+ (\S+?)#', r.err, re.M)


def stale_line(r, what):
    return [l for l in r.long if '127.0.0.2' in l and what in l]


try:
    for plugin, args, what, expect_rc in (
            ('check_dkim', ['-D', 'example.com'], 'default._domainkey.example.com/TXT', 2),
            ('check_dmarc', ['-D', 'example.com'], '_dmarc.example.com/TXT', 2),
            ('check_spf', ['-D', 'example.com'], 'example.com/TXT', 1),
            ('check_mx', ['-D', 'example.com'], 'mail.example.com/A', 1)):
        name = plugin[len('check_'):]
        base = run(plugin, *args)
        silent_before, lame_before = len(silent.queries), len(lame.queries)
        trace = run(plugin, '-vvv', *args)
        tap.ok(base.rc == 0 and 'ns_total' not in base.perf,
               '%s without --all-ns: OK, no ns_* perfdata' % name, base)
        tap.ok(len(silent.queries) == silent_before and
               len(lame.queries) == lame_before and
               trace.err.count('dns: send') > 0 and
               set(sends(trace)) == {'127.0.0.1'},
               '%s without --all-ns: no query to any other server (query log)'
               % name, trace)
        tap.ok(trace.first.split('|')[0] == base.first.split('|')[0] and
               trace.perf.get('dns_queries') ==
               base.perf.get('dns_queries'),
               '%s without --all-ns: same first line and query count' % name,
               trace)

        r = run(plugin, '--all-ns', *args)
        st = stale_line(r, what)
        tap.ok(r.rc == expect_rc and len(st) >= 1 and
               'ns2.example.com (127.0.0.2) serves' in st[0],
               '%s --all-ns: the stale server ns2 named, with what it serves, '
               'exit %d' % (name, expect_rc), r)
        tap.ok(any('ns3.example.com (127.0.0.3)' in l and 'does not answer' in l
                   for l in r.long),
               '%s --all-ns: N-TO-01 the silent server ns3 named' % name, r)
        tap.ok(any('ns4.example.com (127.0.0.4)' in l and 'refuses' in l
                   for l in r.long),
               '%s --all-ns: the refusing server ns4 named' % name, r)
        tap.ok(r.perf.get('ns_total') == '4' and r.perf.get('ns_agree') == '1',
               '%s --all-ns: ns_total=4 ns_agree=1' % name, r)
        tap.ok(r.wall <= T + 1 + SLACK, '%s --all-ns: within -t + 1 s with a silent '
               'server' % name, r)
        tap.ok(int(r.perf.get('dns_queries', '0')) >
               int(base.perf.get('dns_queries', '0')),
               '%s --all-ns: the extra questions are counted' % name, r)

    # What each plugin makes of its stale answer.
    r = run('check_dkim', '--all-ns', '-D', 'example.com')
    st = stale_line(r, 'default._domainkey')
    tap.ok(st and st[0].startswith('[CRITICAL]') and 'older than' in st[0] and
           'serves "v=DKIM1; k=rsa; p=' + OLD_KEY[:100] in st[0] and
           'not "v=DKIM1; k=rsa; p=' + NEW_KEY[:100] in st[0],
           'dkim: the old key on ns2 is CRITICAL, its serial older', r)
    # K-11 delegation: the CNAME at the selector differs on ns2; the key
    # at its target is compared across the target zone's servers.
    r = run('check_dkim', '--all-ns', '-S', 's2', '-D', 'example.com')
    st = stale_line(r, 's2._domainkey.example.com/TXT')
    tap.ok(r.rc == 2 and st and st[0].startswith('[CRITICAL]') and
           'CNAME old.keys.example.org' in st[0] and
           'CNAME s2.keys.example.org' in st[0],
           'dkim: another CNAME delegation on ns2 is CRITICAL', r)
    tap.ok(not stale_line(r, 'for s2.keys.example.org/TXT') and
           r.perf.get('ns_total') == '4' and r.perf.get('ns_agree') == '1',
           'dkim: the key at the CNAME target agrees on its zone\'s servers', r)
    r = run('check_dmarc', '--all-ns', '-D', 'example.com')
    st = stale_line(r, '_dmarc.example.com')
    tap.ok(st and st[0].startswith('[CRITICAL]') and 'NXDOMAIN' in st[0],
           'dmarc: no record on ns2 is CRITICAL (serves NXDOMAIN)', r)
    r = run('check_spf', '--all-ns', '-D', 'example.com')
    st = stale_line(r, 'example.com/TXT')
    tap.ok(st and st[0].startswith('[WARNING]') and '192.0.2.99' in st[0],
           'spf: a different record on ns2 is a WARNING showing it', r)
    r = run('check_mx', '--all-ns', '-D', 'example.com')
    st = stale_line(r, 'mail.example.com/A')
    tap.ok(st and st[0].startswith('[WARNING]') and '192.0.2.24' in st[0] and
           '192.0.2.25' in st[0],
           'mx: an MX host address that differs on ns2 is a WARNING', r)
    r = run('check_mx', '--all-ns', '-D', 'example.info')
    st = stale_line(r, 'example.info/MX')
    tap.ok(r.rc == 2 and st and st[0].startswith('[CRITICAL]') and
           'no MX record' in st[0],
           'mx: no MX on ns2 is CRITICAL', r)
    r = run('check_dkim', '--all-ns', '-v', '-D', 'example.com')
    tap.ok(any('SOA serial 2026112602' in l and '127.0.0.1' in l for l in r.long)
           and any('SOA serial 2026112601' in l and '127.0.0.2' in l
                   for l in r.long),
           '-v shows the SOA serial of each server', r)
    r = run('check_dkim', '--all-ns', '-D', 'example.com')
    tap.ok(not any('SOA serial' in l for l in r.long),
           'without -v no serial lines', r)

    # All servers agree.
    for plugin in ('check_dkim', 'check_dmarc', 'check_spf', 'check_mx'):
        r = run(plugin, '--all-ns', '-D', 'example.org')
        tap.ok(r.rc == 0 and r.perf.get('ns_total') == '2' and
               r.perf.get('ns_agree') == '2' and
               any('agree' in l for l in r.long),
               '%s --all-ns: two servers that agree are OK' % plugin, r)

    # -s a recursive resolver: the zone, NS set and addresses come from
    # it, the direct questions go to the NS addresses (same port).
    unbound = start_unbound(PORT)
    if unbound is None:
        tap.skip('recursive -s: dkim names the stale server', 'no unbound')
        tap.skip('recursive -s: dmarc names the stale server', 'no unbound')
    else:
        for plugin, what in (('check_dkim', 'default._domainkey.example.com/TXT'),
                             ('check_dmarc', '_dmarc.example.com/TXT')):
            r = run_plugin(plugin, '-t', T, '--all-ns', '--allow-internal', '-D',
                           'example.com', '-s', RESOLVER, '-p', PORT)
            st = stale_line(r, what)
            tap.ok(r.rc == 2 and st and st[0].startswith('[CRITICAL]') and
                   r.perf.get('ns_total') == '4' and
                   r.perf.get('ns_agree') == '1' and
                   not any(RESOLVER in l for l in r.long),
                   'recursive -s: %s names the stale server, as with an '
                   'authoritative -s' % plugin[6:], r)

    r = run('check_dkim', '--all-ns', '--tcp', '-D', 'example.org')
    tap.ok(r.rc == 0 and r.perf.get('ns_agree') == '2',
           '--tcp: the direct questions go over TCP to each server', r)

    # A lame server (answers without AA).
    r = run('check_dkim', '--all-ns', '-D', 'example.net')
    tap.ok(r.rc == 1 and any('ns4.example.net (127.0.0.4)' in l and 'lame' in l
                             for l in r.long) and r.perf.get('ns_agree') == '1',
           'dkim --all-ns: a server answering without AA is lame, WARNING', r)

    # -4: no AAAA asked; -p reaches the authoritative servers too (the
    # runs above would find nothing at port 53).
    r = run('check_dkim', '--all-ns', '-4', '-vvv', '-D', 'example.org')
    tap.ok(r.rc == 0 and 'AAAA' not in ''.join(
        l for l in r.err.splitlines() if l.startswith('dns: send')),
        '-4: the NS hosts are asked for A only', r)
    tap.ok(set(sends(r)) == {'127.0.0.1', '127.0.0.2'},
           'the direct questions go to the NS addresses at -p', r)
    # RD off on the direct questions: the fault server sees each query.
    before = len(lame.queries)
    r = run('check_dkim', '--all-ns', '-D', 'example.net')
    tap.ok(len(lame.queries) > before,
           'the lame server was asked directly', r)
finally:
    stop_unbound(unbound)
    silent.stop()
    lame.stop()
    ns1.stop()
    ns2.stop()
tap.done()
