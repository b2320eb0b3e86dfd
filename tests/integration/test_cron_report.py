#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""contrib/cron/maildns-report (python3), as cron runs it.

1. The real plugins against a real NSD on loopback: the demo domain
   (every check OK) and a domain with no records (every check CRITICAL).
   --always prints one line per check `DOMAIN CHECK STATE FIRST-LINE`
   (no perfdata), the worst state is the exit status; without --always
   the first run prints only what is not OK, with the long output and
   the fix: lines, the second run nothing; --dmarc-opts reaches
   check_dmarc alone (--policy=quarantine used to break the other three).
2. Fake plugins (shell scripts whose state the test sets, logging their
   arguments): a change and a recovery are printed, nothing else is;
   per-plugin options (--mx-opts..., the list's mx:/dmarc: words, a
   per-line --parked) reach the right plugins in order; --format json
   gives one object per domain and check with findings, fix lines and
   parsed perfdata; a missing plugin or an exit status over 3 is
   UNKNOWN; the optional checks (mta-sts, tlsrpt, bimi, dmarc-reports)
   run only where the list (+CHECK, CHECK:WORDS) or --with names them,
   an unknown +CHECK is a list error; the state file's default place;
   -h on stdout with exit 0,
   usage errors exit 3; no `|` in any help or error text.
"""

import importlib.machinery
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.join(os.environ.get('top_srcdir', '.'), 'tests', 'lib'))
from harness import TAP, Nsd, tmpdir, top_srcdir, top_builddir  # noqa: E402
import ecofix  # noqa: E402

tap = TAP()
SCRIPT = os.path.join(top_srcdir(), 'contrib', 'cron', 'maildns-report')
PLUGINS = os.path.join(top_builddir(), 'plugins')
PYTHON3 = os.environ.get('PYTHON3') or shutil.which('python3') or '/usr/bin/python3'
STATES = ['OK', 'WARNING', 'CRITICAL', 'UNKNOWN']
CHECKS = [('mx', 'check_mx', 'MX'), ('spf', 'check_spf', 'SPF'),
          ('dkim', 'check_dkim', 'DKIM'), ('dmarc', 'check_dmarc', 'DMARC')]
OPTIONAL = [('mta-sts', 'check_mta_sts'), ('tlsrpt', 'check_tlsrpt'), ('bimi', 'check_bimi'),
            ('dmarc-reports', 'check_dmarc_reports')]


def report(*args, stdin=None, env=None):
    r = subprocess.run([PYTHON3, SCRIPT] + list(args), input=stdin, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=180, env=env)
    return r.returncode, r.stdout.decode('utf-8', 'replace'), r.stderr.decode('utf-8', 'replace')


def heads(out):
    """The check lines (not the indented long output)."""
    return [l for l in out.splitlines() if l and not l.startswith(' ')]


def expected_state(plugin, domain):
    """A plugin not built in this tree is reported UNKNOWN."""
    if not os.access(os.path.join(PLUGINS, plugin), os.X_OK):
        return 3
    return ecofix.EXPECTED[domain]


def real_plugins(d):
    lst = os.path.join(d, 'domains')
    with open(lst, 'w') as f:
        f.write('# mail domains checked every night\n\n'
                '%s  default  %s   # the demo domain\n'
                '   %s  -  mail.%s\n' % (ecofix.GOOD, ecofix.MAILHOST, ecofix.BAD, ecofix.BAD))
    state = '--state-file=' + os.path.join(d, 'real.state')
    zones, key = ecofix.zones()
    os.chmod(key, 0o600)
    # fix: lines name only what is known: the bad domain's mail server
    # ($MAILNAME, as the mail server's DNS guide sets it) and the signing
    # key (-k, the good domain's: it matches there)
    known = ['--dkim-opts=-k ' + key]
    env = dict(os.environ, MAILNAME=ecofix.BAD_MAILHOST)
    with Nsd(zones) as ns:
        dns = ['-s', ns.host, '-p', str(ns.port)]
        rc, out, err = report('--always', '--state-file=' + os.path.join(d, 'always.state'),
                              '-d', PLUGINS, lst, *dns)
        lines = heads(out)
        tap.is_(len(lines), 8, '--always: one line per check, 4 checks x 2 domains', out + err)
        worst = 0
        for domain in (ecofix.GOOD, ecofix.BAD):
            for check, plugin, prefix in CHECKS:
                st = expected_state(plugin, domain)
                worst = max(worst, st)
                mine = [l for l in lines if l.startswith('%s %s ' % (domain, check))]
                want = '%s %s %s ' % (domain, check, STATES[st])
                ok = len(mine) == 1 and mine[0].startswith(want)
                if ok and st != 3:
                    ok = mine[0][len(want):].startswith('%s %s - %s' % (prefix, STATES[st], domain))
                tap.ok(ok and '|' not in (mine or [''])[0],
                       'line "%s..." with the plugin\'s first line, no perfdata' % want.strip(), out)
        tap.is_(rc, worst, 'exit status is the worst state (%d)' % worst, out + err)
        tap.ok(not [l for l in out.splitlines() if l.startswith('    ') and ecofix.GOOD + ' ' in l],
               '--always: an OK check that did not change is one line', out)

        # The first run with a state file: only what is not OK (the bad
        # domain), each with its long output and fix: lines.
        rc, out, err = report(state, '-d', PLUGINS, *known, lst, *dns, env=env)
        bad_built = [c for c, p, _x in CHECKS if expected_state(p, ecofix.BAD) == 2]
        tap.ok(rc == worst and all(l.startswith(ecofix.BAD + ' ') for l in heads(out))
               and len(heads(out)) == 4, 'first run: only the checks that are not OK', out + err)
        for c in bad_built:
            block = re.search(r'^%s %s CRITICAL .*\n((?:    .*\n)*)' % (re.escape(ecofix.BAD), c), out, re.M)
            tap.ok(block and '[CRITICAL]' in block.group(1) and '    fix: ' in block.group(1),
                   'the %s mail carries the long output and the fix: line' % c, out)
        rc, out, err = report(state, '-d', PLUGINS, *known, lst, *dns, env=env)
        tap.ok(rc == worst and out == '' and err == '',
               'second run, nothing changed: no output (no cron mail), exit status still %d' % worst, out + err)

        # Per-plugin options: --policy=quarantine for check_dmarc only.
        if len(bad_built) == 4:
            rc, out, err = report('--always', '--state-file=' + os.path.join(d, 'policy.state'),
                                  '--dmarc-opts=--policy=quarantine', '-d', PLUGINS, '-', *dns,
                                  stdin=('%s default %s\n' % (ecofix.GOOD, ecofix.MAILHOST)).encode())
            got = {l.split()[1]: l.split()[2] for l in heads(out)}
            tap.ok(got.get('dmarc') in ('WARNING', 'CRITICAL') and
                   all(got.get(c) == 'OK' for c in ('mx', 'spf', 'dkim')),
                   '--dmarc-opts=--policy=quarantine: DMARC fails p=none, the other three stay OK', out + err)
        else:
            tap.skip('--dmarc-opts with the real plugins', 'not all four plugins built')

        # The selector and mail-host columns reach the plugins.
        rc, out, err = report('--always', '--state-file=' + os.path.join(d, 'cols.state'), '-d', PLUGINS,
                              '-', *dns, stdin=('%s nokey mail.elsewhere.example\n' % ecofix.GOOD).encode())
        dkim = [l for l in heads(out) if l.split()[1] == 'dkim']
        tap.ok(dkim and ('nokey' in dkim[0] and ' CRITICAL ' in dkim[0]
                         or expected_state('check_dkim', ecofix.GOOD) == 3),
               'the selector column is passed as -S', out)
        mx = [l for l in heads(out) if l.split()[1] == 'mx']
        tap.ok(mx and (' CRITICAL ' in mx[0] or expected_state('check_mx', ecofix.GOOD) == 3),
               'the mail-host column is passed to check_mx as -e (not the MX: CRITICAL)', out)


FAKE = r'''#!/bin/sh
# A fake plugin: logs its arguments; state and output from files the test writes.
name=${0##*/}
# One write per run: the report runs plugins side by side, and a line
# written piece by piece could be cut by another plugin's line.
line=$name
for a in "$@"; do line="$line [$a]"; done
printf '%s\n' "$line" >>"$FAKE_DIR/argv.log"
f=$FAKE_DIR/$name.$2
if [ -f "$f.rc" ]; then cat "$f.out"; exit "$(cat "$f.rc")"; fi
echo "FAKE OK - $2: fine | time=0.001s;;;0 dns_queries=2;;;0"
exit 0
'''


def fake_plugins(d):
    fd = os.path.join(d, 'fake')
    os.makedirs(fd)
    for p in [p for _c, p, _x in CHECKS] + [p for _c, p in OPTIONAL]:
        with open(os.path.join(fd, p), 'w') as f:
            f.write(FAKE)
        os.chmod(os.path.join(fd, p), 0o755)
    env = dict(os.environ, FAKE_DIR=fd)
    st = os.path.join(d, 'fake.state')
    lst = os.path.join(d, 'fake-domains')
    with open(lst, 'w') as f:
        f.write('one.example\n'
                "two.example  s1  mx.two.example  dmarc:--policy=reject mx:'-c 2:'  # options\n"
                'parked.example --parked\n')

    def setp(plugin, domain, rc, text):
        base = os.path.join(fd, '%s.%s' % (plugin, domain))
        if rc is None:
            for ext in ('.rc', '.out'):
                if os.path.exists(base + ext):
                    os.unlink(base + ext)
            return
        with open(base + '.out', 'w') as f:
            f.write(text)
        with open(base + '.rc', 'w') as f:
            f.write(str(rc))

    def argv_log():
        p = os.path.join(fd, 'argv.log')
        text = open(p).read() if os.path.exists(p) else ''
        if os.path.exists(p):
            os.unlink(p)
        return text.splitlines()

    rc, out, err = report('-d', fd, '--state-file=' + st, lst, env=env)
    tap.ok(rc == 0 and out == '' and err == '', 'all OK on the first run: silent, exit 0', out + err)
    tap.ok(os.path.exists(st), 'the state file is written')
    args = argv_log()
    tap.is_(len(args), 12, 'every plugin runs once per domain', args)
    want = {'check_mx [-D] [two.example] [-e] [mx.two.example] [--mail-host=mx.two.example] [-c] [2:]',
            'check_spf [-D] [two.example] [--mail-host=mx.two.example]',
            'check_dkim [-D] [two.example] [-S] [s1]',
            'check_dmarc [-D] [two.example] [--policy=reject]'}
    tap.ok(want <= set(args), 'the list\'s columns and mx:/dmarc: words reach their plugins only', args)
    parked = [a for a in args if '[parked.example]' in a]
    tap.ok(len(parked) == 4 and all(a.endswith('[--parked]') for a in parked),
           'a --parked on a line goes to all four plugins of that domain', parked)

    rc, out, err = report('-d', fd, '--state-file=' + st, '--dmarc-opts=--policy=quarantine',
                          "--mx-opts=-w '2:'", lst, '-t', '20', env=env)
    args = argv_log()
    tap.ok('check_dmarc [-D] [one.example] [-t] [20] [--policy=quarantine]' in args and
           'check_mx [-D] [one.example] [-t] [20] [-w] [2:]' in args and
           'check_spf [-D] [one.example] [-t] [20]' in args and
           'check_dkim [-D] [one.example] [-t] [20]' in args and
           'check_dmarc [-D] [two.example] [-t] [20] [--policy=quarantine] [--policy=reject]' in args,
           '--dmarc-opts/--mx-opts reach one plugin each, after the common options, before the line\'s', args)

    # A change: one check breaks.
    setp('check_dmarc', 'one.example', 2,
         'DMARC CRITICAL - one.example: no DMARC record | time=0.002s;;;0 dns_queries=3;;;0\n'
         '[CRITICAL] no DMARC record at _dmarc.one.example\n'
         '[OK] the organisational domain is one.example\n'
         'fix: _dmarc.one.example. IN TXT "v=DMARC1; p=none"\n')
    rc, out, err = report('-d', fd, '--state-file=' + st, lst, env=env)
    tap.is_(out, 'one.example dmarc CRITICAL DMARC CRITICAL - one.example: no DMARC record\n'
            '    was OK, now CRITICAL\n'
            '    [CRITICAL] no DMARC record at _dmarc.one.example\n'
            '    [OK] the organisational domain is one.example\n'
            '    fix: _dmarc.one.example. IN TXT "v=DMARC1; p=none"\n',
            'a check that breaks is printed with its whole long output and fix: line')
    tap.is_(rc, 2, 'exit status CRITICAL')
    rc, out, err = report('-d', fd, '--state-file=' + st, lst, env=env)
    tap.ok(rc == 2 and out == '', 'still CRITICAL: nothing printed, exit 2', out + err)
    # Another state of the same check is a change too.
    setp('check_dmarc', 'one.example', 1, 'DMARC WARNING - one.example: no rua\n[WARNING] no rua=\n')
    rc, out, err = report('-d', fd, '--state-file=' + st, lst, env=env)
    tap.ok(rc == 1 and heads(out) == ['one.example dmarc WARNING DMARC WARNING - one.example: no rua'],
           'CRITICAL to WARNING is printed', out + err)
    # Recovery.
    setp('check_dmarc', 'one.example', None, '')
    rc, out, err = report('-d', fd, '--state-file=' + st, lst, env=env)
    tap.ok(rc == 0 and heads(out) == ['one.example dmarc OK FAKE OK - one.example: fine']
           and '    was WARNING, now OK' in out, 'a recovery is printed', out + err)
    rc, out, err = report('-d', fd, '--state-file=' + st, lst, env=env)
    tap.ok(rc == 0 and out == '', 'then silence again', out + err)

    # --always and -q: the old behaviour.
    setp('check_spf', 'two.example', 1, 'SPF WARNING - two.example: ~all\n[WARNING] ~all\n')
    rc, out, err = report('-d', fd, '--state-file=' + st, '--always', lst, env=env)
    tap.ok(rc == 1 and len(heads(out)) == 12, '--always: every check every run', out + err)
    rc, out, err = report('-d', fd, '--state-file=' + st, '--always', '-q', lst, env=env)
    tap.ok(rc == 1 and heads(out) == ['two.example spf WARNING SPF WARNING - two.example: ~all'],
           '--always -q: only what is not OK', out + err)

    # JSON.
    setp('check_mx', 'one.example', 2,
         "MX CRITICAL - one.example: no MX | mx=0;;1:;0 'dns queries'=4;;;0 time=0.003s;;;0\n"
         '[CRITICAL] no MX record\nfix: one.example. IN MX 10 mail.one.example.\n')
    rc, out, err = report('-d', fd, '--state-file=' + st, '--format=json', lst, env=env)
    try:
        objs = [json.loads(l) for l in out.splitlines()]
    except ValueError:
        objs = []
    tap.ok(rc == 2 and len(objs) == 12 and all(
        set(o) >= {'domain', 'check', 'state', 'summary', 'findings', 'fix', 'perfdata'} for o in objs),
        '--format json: one object per domain and check, every check', out + err)
    mx = [o for o in objs if o['domain'] == 'one.example' and o['check'] == 'mx']
    tap.ok(mx and mx[0]['state'] == 'CRITICAL' and mx[0]['exit_code'] == 2
           and mx[0]['summary'] == 'MX CRITICAL - one.example: no MX'
           and mx[0]['findings'] == ['[CRITICAL] no MX record']
           and mx[0]['fix'] == ['fix: one.example. IN MX 10 mail.one.example.']
           and mx[0]['changed'] is True and mx[0]['previous_state'] == 'OK',
           'JSON: state, summary, findings, fix lines, change', mx)
    perf = mx[0]['perfdata'] if mx else {}
    tap.ok(perf.get('mx') == {'value': 0.0, 'uom': '', 'warn': None, 'crit': '1:', 'min': 0.0, 'max': None}
           and perf.get('dns queries', {}).get('value') == 4.0
           and perf.get('time', {}).get('uom') == 's' and perf['time']['value'] == 0.003,
           'JSON: perfdata parsed (quoted label, UOM, thresholds, min)', perf)

    # The optional checks: only where the list or --with names them.
    opt = os.path.join(d, 'opt-domains')
    with open(opt, 'w') as f:
        f.write('a.example +tlsrpt +mta-sts\n'
                "b.example - - bimi:'-S brand' dmarc-reports:--dir=/srv/dmarc\n"
                'c.example\n')
    argv_log()
    ost = '--state-file=' + os.path.join(d, 'opt.state')
    rc, out, err = report('-d', fd, ost, '--always', opt, env=env)
    args = argv_log()
    ran = sorted((l.split()[0], l.split()[2]) for l in args if l.split()[0] not in
                 [p for _c, p, _x in CHECKS])
    tap.ok(rc == 0 and len(heads(out)) == 16 and ran == sorted([
        ('check_mta_sts', '[a.example]'), ('check_tlsrpt', '[a.example]'),
        ('check_bimi', '[b.example]'), ('check_dmarc_reports', '[b.example]')])
        and 'check_bimi [-D] [b.example] [-S] [brand]' in args
        and 'check_dmarc_reports [-D] [b.example] [--dir=/srv/dmarc]' in args
        and 'a.example tlsrpt OK FAKE OK - a.example: fine' in heads(out),
        'optional checks run only for the lines naming them (+CHECK, CHECK:WORDS), with their words',
        out + err + '\n'.join(args))
    rc, out, err = report('-d', fd, ost, '--always', '--with=bimi,tlsrpt', '--tlsrpt-opts=-t 9', opt,
                          env=env)
    args = argv_log()
    tap.ok(rc == 0 and len([l for l in args if l.startswith('check_bimi ')]) == 3
           and len([l for l in args if l.startswith('check_tlsrpt ')]) == 3
           and 'check_tlsrpt [-D] [c.example] [-t] [9]' in args
           and not [l for l in args if l.startswith('check_mta_sts [-D] [c.example]')],
           '--with runs an optional check on every domain; --tlsrpt-opts reaches it', args)
    rc, out, err = report('-d', fd, ost, '--with=spf', opt, env=env)
    tap.ok(rc == 3 and '--with takes' in err and '|' not in err, '--with=spf (not optional): usage error', err)
    rc, out, err = report('-d', fd, ost, '-', stdin=b'x.example +dane\n', env=env)
    tap.ok(rc == 3 and "-:1: unknown check '+dane'" in err and '|' not in err,
           'an unknown +CHECK on a line: exit 3 naming it', err)

    # Missing plugin, exit status over 3.
    setp('check_spf', 'one.example', 139, 'Segmentation fault\n')
    os.rename(os.path.join(fd, 'check_dkim'), os.path.join(fd, 'gone'))
    rc, out, err = report('-d', fd, '--state-file=' + st, '--always', '-q', lst, env=env)
    tap.ok(rc == 3 and 'one.example spf UNKNOWN exit status 139: Segmentation fault' in out
           and len([l for l in heads(out) if re.match(r'^\S+ dkim UNKNOWN plugin not found: ', l)]) == 3,
           'a crashed plugin and a missing one are UNKNOWN', out + err)
    os.rename(os.path.join(fd, 'gone'), os.path.join(fd, 'check_dkim'))

    # A state file that cannot be written: exit 3, said on stderr.
    rc, out, err = report('-d', fd, '--state-file=/proc/maildns/no.state', lst, env=env)
    tap.ok(rc == 3 and 'cannot write the state file' in err, 'an unwritable state file: exit 3', err)
    # A list line with a word after the options.
    rc, out, err = report('-d', fd, '--state-file=' + st, '-', stdin=b'x.example --parked y\n', env=env)
    tap.ok(rc == 3 and '-:1: unexpected word' in err and '|' not in err, 'a bad list line: exit 3', err)


def state_default():
    loader = importlib.machinery.SourceFileLoader('maildns_report', SCRIPT)
    spec = importlib.util.spec_from_loader('maildns_report', loader)
    mod = importlib.util.module_from_spec(spec)
    loader.exec_module(mod)
    real = os.geteuid
    saved = os.environ.get('XDG_STATE_HOME')
    try:
        os.geteuid = lambda: 0
        root = mod.default_state_file()
        os.geteuid = lambda: 1000
        os.environ['XDG_STATE_HOME'] = '/x/state'
        user = mod.default_state_file()
        del os.environ['XDG_STATE_HOME']
        home = mod.default_state_file()
    finally:
        os.geteuid = real
        if saved is not None:
            os.environ['XDG_STATE_HOME'] = saved
    tap.ok(root == '/var/lib/maildns-plugins/report.state'
           and user == '/x/state/maildns-plugins/report.state'
           and home == os.path.join(os.path.expanduser('~'), '.local/state/maildns-plugins/report.state'),
           'state file: /var/lib/maildns-plugins as root, else $XDG_STATE_HOME (~/.local/state)',
           (root, user, home))


def usage(d):
    rc, out, err = report('-h')
    tap.ok(rc == 0 and out.startswith('usage: maildns-report') and err == '' and '--mx-opts' in out,
           '-h: help on stdout, exit 0', out + err)
    tap.ok('|' not in out, 'no | in the help (an engine would read perfdata)', out)
    rc, out, err = report()
    tap.ok(rc == 3 and 'usage:' in err and '|' not in err, 'no list: usage on stderr, exit 3', out + err)
    rc, out, err = report('--format=xml', 'x')
    tap.ok(rc == 3 and 'text or json' in err and '|' not in err, 'a bad --format: exit 3', out + err)
    rc, out, err = report('--state-file=' + os.path.join(d, 'u.state'), os.path.join(d, 'no-such-list'))
    tap.ok(rc == 3 and 'cannot read' in err and '|' not in err, 'unreadable list: exit 3', out + err)
    with open(SCRIPT) as f:
        text = f.read()
    msgs = re.findall(r"(?:die|UsageError|write)\(\s*'([^']*)'", text)
    tap.ok(msgs and not [m for m in msgs if '|' in m], 'no | in any error text of the script', msgs)


def main():
    d = tmpdir()
    usage(d)
    state_default()
    fake_plugins(d)
    real_plugins(d)


main()
tap.done()
