#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The command line of the four built plugins, as a user and a monitoring
engine see it: usage and help that say what the plugins do (and so the
man pages made from --help), output that holds no stray '|'.

Hostile-inputs rows named where one applies; "implied" otherwise.
"""

import os
import re
import shutil
import socket
import subprocess
import sys

sys.path.insert(0, os.path.join(os.environ.get('top_srcdir', '.'), 'tests', 'lib'))
from harness import TAP, Nsd, run_plugin, plugin_path, top_srcdir  # noqa: E402
import ecofix  # noqa: E402

tap = TAP()
PLUGINS = [('check_mx', 'MX'), ('check_spf', 'SPF'), ('check_dkim', 'DKIM'),
           ('check_dmarc', 'DMARC')]


def man_synopsis(name):
    """The SYNOPSIS of the man page help2roff.awk makes from --help."""
    help_text = run_plugin(name, '--help').out
    r = subprocess.run(['awk', '-f', os.path.join(top_srcdir(), 'contrib', 'man', 'help2roff.awk')],
                       input=help_text.encode(), stdout=subprocess.PIPE, timeout=30)
    page = r.stdout.decode('utf-8', 'replace')
    m = re.search(r'^\.SH SYNOPSIS\n(.*?)^\.SH ', page, re.S | re.M)
    return (m.group(1) if m else '').replace('\\-', '-')


# ---- 1. no '|' in usage, help or error output (O-01: everything after
# a '|' is perfdata to the engine, also on the UNKNOWN line of a typo)
ERRORS = [('-D', 'example.com', '--frobnicate'),            # unknown option
          ('-D', 'example.com', '-p', '0'),                 # bad value
          ('-D', 'example.com', '-s'),                      # missing argument
          ('-D', 'exa|mple.com'),                           # '|' typed by the user
          ('-D', 'example.com', '-t', '5:maybe'),
          ()]                                               # no -D at all
for name, _svc in ecofix.built(ecofix.ALL_PLUGINS):
    r = run_plugin(name, '--help')
    tap.ok(r.rc == 0 and '|' not in r.out, 'implied: %s --help holds no |' % name, r)
    usage = [l for l in r.lines if l.startswith('Usage: ')]
    tap.ok(len(usage) == 1 and '[-4] [-6]' in usage[0] and '[--all-ns]' in usage[0]
           and '[--allow-internal]' in usage[0],
           'implied: %s usage line has [-4] [-6], --all-ns and --allow-internal' % name, r)
    bad = []
    for args in ERRORS:
        e = run_plugin(name, *args)
        if e.rc != 3 or '|' in e.out or '|' in e.err:
            bad.append(e.describe())
    tap.ok(not bad, 'implied: %s usage errors are UNKNOWN without |' % name, '\n'.join(bad))
    syn = man_synopsis(name)
    tap.ok('--all-ns' in syn and '|' not in syn, 'implied: %s man page synopsis has --all-ns' % name, syn)

# ---- 3. check_dmarc refuses -w/-c, so it does not offer them
r = run_plugin('check_dmarc', '--help')
tap.ok(not re.search(r'^ -w, |^ -c, |\[-w RANGE\]|\[-c RANGE\]', r.out, re.M),
       'implied: check_dmarc --help and usage do not list -w/-c', r)
r = run_plugin('check_dmarc', '-D', 'example.com', '-w', '1')
tap.ok(r.rc == 3 and r.first == 'check_dmarc: -w and -c do not apply to this plugin - -w'
       and '[-w RANGE]' not in r.out, 'implied: check_dmarc -w is UNKNOWN naming why', r)
for name in ('check_mx', 'check_spf', 'check_dkim'):
    r = run_plugin(name, '--help')
    tap.ok('[-w RANGE] [-c RANGE]' in r.out and ' -w, --warning=RANGE' in r.out,
           'implied: %s lists -w/-c' % name, r)

# ---- 4. -t SEC:STATE: a DNS server that never answers is the -t state
# (the nrpe habit), unless --dns-error-state says otherwise (implied)
silent = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
silent.bind(('127.0.0.1', 0))
sport = str(silent.getsockname()[1])
for args, rc, st in ((('-t', '1:UNKNOWN'), 3, 'UNKNOWN'),
                     (('-t', '1:unknown', '--dns-error-state=warning'), 1, 'WARNING'),
                     (('-t', '1'), 2, 'CRITICAL')):
    r = run_plugin('check_mx', '-D', 'example.com', '-s', '127.0.0.1', '-p', sport, *args)
    tap.ok(r.rc == rc and r.first.startswith('MX %s - example.com: DNS timeout' % st),
           'implied: check_mx %s, silent server: %s' % (' '.join(args), st), r)
silent.close()

# ---- 6. -D EXAMPLE.COM.: names in canonical lower case, no trailing dot
# (implied; X-05's trailing-dot form of a valid name)
zones, key = ecofix.zones()
with Nsd(zones) as ns:
    for name, svc in PLUGINS:
        extra = ['--mail-host', ecofix.MAILHOST] if name == 'check_spf' else []
        good = run_plugin(name, '-D', ecofix.GOOD, *extra, server=ns)
        r = run_plugin(name, '-D', ecofix.GOOD.upper() + '.', *extra, server=ns)
        text = '\n'.join(l for l in r.lines if not l.startswith('fix: ')).split(' | ')[0]
        shown = [l.split(' | ')[0] for l in r.lines if not l.startswith('fix: ')]
        tap.ok(r.rc == good.rc == 0 and r.first.startswith('%s OK - %s: ' % (svc, ecofix.GOOD))
               and not any('EXAMPLE' in l or ecofix.GOOD + '.:' in l or ecofix.GOOD + '. ' in l
                           for l in shown),
               'implied: %s -D %s.: lower case, no trailing dot' % (name, ecofix.GOOD.upper()), r)

# ---- 3. check_mx's mx perfdata carries -w/-c (as README says), in range
# syntax: "at least N" has no plain-number form (implied)
with Nsd({'example.com': 'mail A 192.0.2.1\n@ MX 10 mail\n'}) as ns:
    r = run_plugin('check_mx', '-D', 'example.com', '-w', '2:', '-c', '1:', server=ns)
    tap.ok(r.rc == 1 and r.perfdata.startswith('mx=1;2:;1:;0 '), 'implied: check_mx mx=1;2:;1:;0', r)
    r = run_plugin('check_mx', '-D', 'example.com', '-c', '1:', server=ns)
    tap.ok(r.rc == 0 and r.perfdata.startswith('mx=1;;1:;0 '), 'implied: check_mx -c 1: mx=1;;1:;0', r)
with Nsd({'example.com': 'mail A 192.0.2.1\n'}) as ns:
    r = run_plugin('check_mx', '-D', 'example.com', '-c', '1:', server=ns)
    tap.ok(r.rc == 2 and r.perfdata.startswith('mx=0;;1:;0 '), 'implied: check_mx no MX: mx=0;;1:;0', r)
icinga2 = shutil.which('icinga2') or ('/usr/sbin/icinga2' if os.access('/usr/sbin/icinga2', os.X_OK) else None)
if icinga2:
    e = subprocess.run([icinga2, 'console', '--eval', 'parse_performance_data("mx=1;2:;1:;0")'],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=60)
    txt = e.stdout.decode('utf-8', 'replace')
    tap.ok('"label":"mx"' in txt and '"value":1' in txt, 'implied: Icinga 2 parses mx=1;2:;1:;0', txt)
else:
    tap.skip('implied: Icinga 2 parses mx=1;2:;1:;0', 'icinga2 not installed')

# ---- 2. -s accepts a host name, resolved once with the system resolver
# (getaddrinfo: /etc/hosts), respecting -4/-6; unresolvable is UNKNOWN
# naming it (implied)
quick = {'RES_OPTIONS': 'timeout:1 attempts:1'}
with Nsd({'example.com': 'mail A 192.0.2.1\n@ MX 10 mail\n'}) as ns:
    r = run_plugin('check_mx', '-D', 'example.com', '-s', 'localhost', '-4', '-p', ns.port, env=quick)
    tap.ok(r.rc == 0 and r.first.startswith('MX OK - example.com: '), 'implied: -s localhost -4: asked', r)
    r = run_plugin('check_spf', '-D', 'example.com', '-s', 'localhost', '-4', '-p', ns.port,
                   '-vvv', env=quick)
    tap.ok('127.0.0.1#%d' % ns.port in r.err, 'implied: -s localhost: the trace names 127.0.0.1', r)
for args, want in ((('-s', 'nonexistent.invalid'), 'MX UNKNOWN - cannot resolve DNS server (-s): '),
                   (('-s', 'localhost', '-6'), 'MX UNKNOWN - cannot resolve DNS server (-s): ')):
    r = run_plugin('check_mx', '-D', 'example.com', '-t', '5', *args, env=quick)
    tap.ok(r.rc == 3 and r.first.startswith(want) and r.first.endswith(' - ' + args[1]),
           'implied: check_mx %s: UNKNOWN naming it' % ' '.join(args), r)
r = run_plugin('check_mx', '-D', 'example.com', '-s', '256.0.0.1')
tap.ok(r.rc == 3 and r.first == 'check_mx: invalid server address or host name - 256.0.0.1',
       'implied: -s 256.0.0.1 is neither: UNKNOWN', r)

# ---- 5. X-03 IDN domain: -D, -e and --mail-host as U-labels, converted
# with libidn2 whatever the locale; the subject shows the U-label and the
# A-label once, every other line the A-label
IDN = 'b\u00fccher.example'
ALABEL = 'xn--bcher-kva.example'
with Nsd({ALABEL: 'mail A 192.0.2.1\n@ MX 10 mail\n@ TXT "v=spf1 mx -all"\n'}) as ns:
    for loc in ('C', 'C.UTF-8'):
        r = run_plugin('check_mx', '-D', IDN, '-e', 'MAIL.' + IDN, server=ns, env={'LC_ALL': loc})
        tap.ok(r.rc == 0 and r.first.startswith('MX OK - %s (%s): ' % (IDN, ALABEL))
               and r.out.count(IDN) == 1 and 'mail.' + ALABEL in r.out,
               'X-03 IDN domain: check_mx -D/-e as U-labels, LC_ALL=%s' % loc, r)
    r = run_plugin('check_spf', '-D', IDN, '--mail-host', 'mail.' + IDN, server=ns)
    tap.ok(r.rc == 0 and r.first.startswith('SPF OK - %s (%s): ' % (IDN, ALABEL)),
           'X-03 IDN domain: check_spf -D/--mail-host as U-labels', r)
    r = run_plugin('check_mx', '-D', ALABEL, server=ns)
    tap.ok(r.rc == 0 and r.first.startswith('MX OK - %s (%s): ' % (IDN, ALABEL)),
           'X-03 IDN domain: an A-label -D is shown with its U-label', r)
for args, want in ((('-D', '\u2603.example'),
                    'check_mx: invalid domain: IDN: string contains a disallowed character - \u2603.example'),
                   (('-D', 'example.com', '-e', 'mx.\u2603.example'),
                    'check_mx: invalid --expect host: IDN: string contains a disallowed character'
                    ' - mx.\u2603.example')):
    r = run_plugin('check_mx', *args)
    tap.ok(r.rc == 3 and r.first == want, 'X-03 IDN IDNA2008 disallows: UNKNOWN naming why (%s)' % args[-2], r)
r = run_plugin('check_spf', '-D', 'example.com', '--mail-host', '\u2603.example')
tap.ok(r.rc == 3 and r.first.startswith('check_spf: invalid host name: IDN: '),
       'X-03 --mail-host IDNA2008 disallows: UNKNOWN naming why', r)

tap.done()
