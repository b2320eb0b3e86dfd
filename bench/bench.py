#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The benchmark proper (bench/run.sh starts it inside a network namespace).

Serves the benchmark zone from NSD on 127.0.0.2:53, puts a logging
forwarder (bench/dnsfwd.py) on 127.0.0.1:53, and for every tool:

  1. timing: N runs with /etc/resolv.conf (and -s) pointing at NSD
     directly, through bench/runstat (fork + wait4): medians of wall,
     CPU (user+sys) and peak RSS;
  2. counting: one run through the forwarder with a 20 ms delay each way
     (40 ms per round trip): queries and round trips seen by the server,
     and that run's wall time.

Usage: bench.py OUTDIR RUNS LABEL=BUILDDIR...   (root, inside `ip netns exec`)
BENCH_ONLY, if set, is a regular expression: only tools whose row name
matches it run (for a quick look at one plugin; RESULTS.md is a full run).
(LABEL 'shared' names the default build; others are shown in brackets)
Writes OUTDIR/results.json and prints the table as Markdown.
"""
import base64
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', 'tests', 'lib'))
sys.path.insert(0, HERE)
import harness  # noqa: E402
import dnsfwd   # noqa: E402

NSD_ADDR = '127.0.0.2'
FWD_ADDR = '127.0.0.1'
DELAY = 0.020           # each way: 40 ms per round trip
DOMAIN = 'bench.example'
CLIENT_IP = '198.51.100.77'     # matches the last range of the last include
SENDER = 'postmaster@' + DOMAIN
HELO = 'mail.' + DOMAIN


def txt(s):
    """TXT rdata as quoted strings of at most 255 bytes."""
    return ' '.join('"%s"' % s[i:i + 255] for i in range(0, len(s), 255))


def spf(*terms):
    return txt('v=spf1 ' + ' '.join(terms))


def r4(a, b, n):
    return ['ip4:10.%d.%d.0/24' % (a, b + i) for i in range(n)]


def r6(a, n):
    return ['ip6:2001:db8:%x:%x::/64' % (a, i) for i in range(n)]


def zones(dkim_b64):
    """The tree: bench.example -> mx, a, two providers; provider A nests
    _n1 -> _n3 and _n2, provider B _b1 -> _b2 (three include levels, 7
    includes: 9 lookup terms, 11 queries for an IPv4 client); 40 ranges."""
    a = 'provA.example'
    b = 'provB.example'
    main = '\n'.join([
        '@ IN MX 10 mail',
        'mail IN A 192.0.2.25',
        'mail IN AAAA 2001:db8::25',
        '@ IN A 192.0.2.10',
        '@ IN AAAA 2001:db8::10',
        '@ IN TXT ' + spf('mx', 'a', 'include:_spf.%s' % a, 'include:_spf.%s' % b, '-all'),
        'sel._domainkey IN TXT ' + txt('v=DKIM1; k=rsa; p=' + dkim_b64),
        '_dmarc IN TXT ' + txt('v=DMARC1; p=reject; rua=mailto:dmarc@%s; adkim=s; aspf=s' % DOMAIN),
    ])
    za = '\n'.join([
        '_spf IN TXT ' + spf('include:_n1._spf.%s' % a, 'include:_n2._spf.%s' % a,
                             *r4(1, 0, 4), '~all'),
        '_n1._spf IN TXT ' + spf('include:_n3._spf.%s' % a, *r4(2, 0, 6), '~all'),
        '_n2._spf IN TXT ' + spf(*r4(3, 0, 4), *r6(3, 4), '~all'),
        '_n3._spf IN TXT ' + spf(*r4(4, 0, 6), '~all'),
    ])
    zb = '\n'.join([
        '_spf IN TXT ' + spf('include:_b1._spf.%s' % b, *r4(5, 0, 5),
                             'ip4:%s/32' % CLIENT_IP, '-all'),
        '_b1._spf IN TXT ' + spf('include:_b2._spf.%s' % b, *r4(6, 0, 2), *r6(6, 3), '~all'),
        '_b2._spf IN TXT ' + spf(*r4(7, 0, 5), '~all'),
    ])
    return {DOMAIN: main, a: za, b: zb}


def make_key(d):
    key = os.path.join(d, 'dkim.pem')
    subprocess.run(['openssl', 'genpkey', '-algorithm', 'RSA', '-pkeyopt',
                    'rsa_keygen_bits:2048', '-out', key], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    der = subprocess.run(['openssl', 'pkey', '-in', key, '-pubout', '-outform', 'DER'],
                         check=True, stdout=subprocess.PIPE).stdout
    return key, base64.b64encode(der).decode()


def use_resolver(d, addr):
    """Point /etc/resolv.conf of this mount namespace at addr (the peers
    read it; only ours and check_dig take a server on the command line)."""
    path = os.path.join(d, 'resolv.%s.conf' % addr)
    with open(path, 'w') as f:
        f.write('nameserver %s\n' % addr)
    subprocess.run(['umount', '/etc/resolv.conf'], stderr=subprocess.DEVNULL)
    subprocess.run(['mount', '--bind', path, '/etc/resolv.conf'], check=True)


def tools(builds, d, key):
    """(name, work, argv with {S} for the server address, needs) rows.
    builds: [(label, builddir)]; our plugins get one row per build."""
    b = lambda n: os.path.join(d, n)                 # noqa: E731
    spfwork = 'SPF, 9 lookup terms over 3 include levels'
    spfargs = ['--ip', CLIENT_IP, '--sender', SENDER, '--helo', HELO]
    dig = '/usr/lib/nagios/plugins/check_dig'
    ok = ['opendkim-testkey', '-x', 'CONF', '-d', DOMAIN, '-s', 'sel']

    def ours(name, work, plugin, *args):
        out = []
        for label, build in builds:
            path = os.path.join(build, 'plugins', plugin)
            out.append(('%s%s' % (name, '' if label == 'shared' else ' [%s]' % label),
                        work, [path, '-s', '{S}', '-D', DOMAIN] + list(args), path))
        return out

    return (
        [('floor: empty C program, ldns+libssl+libcrypto dynamic', 'nothing',
          [b('floor_dyn')], None),
         ('floor: the same, static', 'nothing', [b('floor_static')], None),
         ('floor: decode one 2048-bit RSA key, OpenSSL 3', 'no DNS',
          [b('floor_rsa'), b('dkim.b64')], None)]
        + ours('check_spf (audit + evaluation)', spfwork, 'check_spf', *spfargs)
        + ours('check_spf --no-audit', spfwork, 'check_spf', '--no-audit', *spfargs)
        + ours('check_spf (audit only)', 'SPF audit of the same tree', 'check_spf')
        + [('libspf2 spfquery', spfwork,
            ['spfquery.libspf2', '-ip', CLIENT_IP, '-sender', SENDER, '-helo', HELO],
            'spfquery.libspf2'),
           ('pyspf (python3-spf)', spfwork,
            ['/usr/bin/python3', '-c', 'import spf; print(spf.check2(i=%r, s=%r, h=%r))'
             % (CLIENT_IP, SENDER, HELO)], '/usr/lib/python3/dist-packages/spf.py'),
           ('Mail::SPF spfquery', spfwork,
            ['spfquery.mail-spf-perl', '--scope', 'mfrom', '--id', SENDER,
             '--ip', CLIENT_IP, '--helo-id', HELO], 'spfquery.mail-spf-perl')]
        + ours('check_mx', 'MX + A/AAAA of the MX host', 'check_mx')
        + [('check_dig -T MX', 'one MX', [dig, '-H', '{S}', '-l', DOMAIN, '-T', 'MX'], dig),
           ('check_dig -T TXT', 'one TXT', [dig, '-H', '{S}', '-l', DOMAIN, '-T', 'TXT'], dig)]
        + ours('check_dkim', 'one DKIM key', 'check_dkim', '-S', 'sel')
        + ours('check_dkim -k', 'one DKIM key + private key match', 'check_dkim',
               '-S', 'sel', '-k', key)
        + [('opendkim-testkey', 'one DKIM key', ok + ['-vvv'], 'opendkim-testkey'),
           ('opendkim-testkey -k', 'one DKIM key + private key match',
            ok + ['-k', key, '-vvv'], 'opendkim-testkey')]
        + ours('check_dmarc', 'one DMARC record', 'check_dmarc')
        + [('opendmarc-check', 'one DMARC record', ['opendmarc-check', DOMAIN],
            'opendmarc-check')])


def have(need):
    if need is None:
        return True
    if os.path.isabs(need):
        return os.access(need, os.X_OK) or os.path.exists(need)
    return shutil.which(need) is not None


def argv_for(argv, server, d):
    out = [a.replace('{S}', server) for a in argv]
    if out[0] == 'opendkim-testkey':
        # its resolver (libunbound) takes the server from a config file
        conf = os.path.join(d, 'opendkim.%s.conf' % server)
        with open(conf, 'w') as f:
            f.write('Nameservers %s\n' % server)
        out[out.index('-x') + 1] = conf
    return out


def timing(runstat, argv, n):
    r = subprocess.run([runstat, str(n)] + argv, stdout=subprocess.PIPE, check=True)
    rows = [list(map(int, l.split())) for l in r.stdout.decode().splitlines()]
    return {'wall_ms': statistics.median(x[0] for x in rows) / 1000.0,
            'cpu_ms': statistics.median(x[1] for x in rows) / 1000.0,
            'maxrss_mib': statistics.median(x[2] for x in rows) / 1024.0,
            'rc': sorted(set(x[3] for x in rows)), 'runs': n}


def instructions(argv, d):
    """Instructions the tool executes (children included), counted by
    valgrind's callgrind: unlike CPU time, the same on a busy machine.
    None when valgrind is missing or the tool cannot run under it."""
    if shutil.which('valgrind') is None:
        return None
    out = tempfile.mkdtemp(prefix='cg.', dir=d)
    subprocess.run(['valgrind', '--tool=callgrind', '--trace-children=yes',
                    '--callgrind-out-file=%s/cg.%%p' % out] + argv,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300)
    total = 0
    for f in os.listdir(out):
        with open(os.path.join(out, f), errors='replace') as fh:
            for line in fh:
                if line.startswith('summary:'):
                    total += int(line.split()[1])
                    break
    shutil.rmtree(out, ignore_errors=True)
    return total or None


def counting(fwd, argv, n=5):
    """n runs through the delaying forwarder: the first run's queries and
    round trips (the tools keep no cache between runs: every run asks the
    same), the median of the n wall times."""
    walls, first = [], None
    for _ in range(n):
        fwd.clear()
        t0 = time.monotonic()
        r = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        walls.append((time.monotonic() - t0) * 1000.0)
        time.sleep(0.1)     # late retransmissions
        e = fwd.entries()
        if first is None:
            first = {'queries': len(e), 'round_trips': dnsfwd.round_trips(e),
                     'delay_rc': r.returncode,
                     'log': ['%.1f %s %s %s' % ((x['t_q'] - t0) * 1000, x['tr'],
                                                x['type'], x['name']) for x in e],
                     'out': r.stdout.decode('utf-8', 'replace').splitlines()[:3]}
        elif len(e) != first['queries']:
            first['queries_vary'] = True
    first['delay_wall_ms'] = statistics.median(walls)
    return first


def mega(n):
    return '-' if n is None else '%.2f' % (n / 1e6)


def main():
    outdir = sys.argv[1]
    runs = int(sys.argv[2])
    builds = [tuple(a.split('=', 1)) for a in sys.argv[3:]]
    os.makedirs(outdir, exist_ok=True)
    d = tempfile.mkdtemp(prefix='mdbench.')
    key, b64 = make_key(d)
    with open(os.path.join(d, 'dkim.b64'), 'w') as f:
        f.write(b64)
    runstat = os.path.join(outdir, 'runstat')
    cc = os.environ.get('CC', 'cc')
    subprocess.run([cc, '-O2', '-o', runstat, os.path.join(HERE, 'runstat.c')], check=True)
    subprocess.run(['sh', os.path.join(HERE, 'floor.sh'), d], check=True)

    harness.free_port = lambda host=None: 53
    ns = harness.Nsd(zones(b64))
    ns.host = NSD_ADDR
    ns.start()
    fwd = dnsfwd.Forwarder((FWD_ADDR, 53), (NSD_ADDR, 53), delay=DELAY).start()
    results = []
    try:
        only = os.environ.get('BENCH_ONLY')
        for name, work, argv, need in tools(builds, d, key):
            if only and not re.search(only, name):
                continue
            if not have(need):
                print('skip %s: %s not installed' % (name, need), file=sys.stderr)
                continue
            row = {'tool': name, 'work': work}
            use_resolver(d, NSD_ADDR)
            row.update(timing(runstat, argv_for(argv, NSD_ADDR, d), runs))
            row['instructions'] = instructions(argv_for(argv, NSD_ADDR, d), d)
            if 'floor' not in name:
                use_resolver(d, FWD_ADDR)
                row.update(counting(fwd, argv_for(argv, FWD_ADDR, d)))
            results.append(row)
            print('%-45s %7.2f ms %7.2f ms %6.2f MiB %sM instr q=%s rt=%s rc=%s' % (
                name, row['wall_ms'], row['cpu_ms'], row['maxrss_mib'],
                mega(row['instructions']),
                row.get('queries', '-'), row.get('round_trips', '-'), row['rc']),
                file=sys.stderr)
    finally:
        fwd.stop()
        ns.stop()
        subprocess.run(['umount', '/etc/resolv.conf'], stderr=subprocess.DEVNULL)
    with open(os.path.join(outdir, 'results.json'), 'w') as f:
        json.dump({'runs': runs, 'delay_ms_each_way': DELAY * 1000,
                   'loadavg_at_end': open('/proc/loadavg').read().split()[:3],
                   'results': results},
                  f, indent=1)
    print('| tool | work | wall ms | CPU ms | peak RSS MiB | M instructions '
          '| queries | round trips | wall ms, 40 ms RTT |')
    print('|---|---|---:|---:|---:|---:|---:|---:|---:|')
    for r in results:
        print('| %s | %s | %.2f | %.2f | %.2f | %s | %s | %s | %s |' % (
            r['tool'], r['work'], r['wall_ms'], r['cpu_ms'], r['maxrss_mib'],
            mega(r['instructions']),
            r.get('queries', 0), r.get('round_trips', 0),
            '%.0f' % r['delay_wall_ms'] if 'delay_wall_ms' in r else ''))


if __name__ == '__main__':
    main()
