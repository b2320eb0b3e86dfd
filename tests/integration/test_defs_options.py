#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The Icinga 2 CheckCommands (contrib/icinga2/maildns.conf) and the
Nagios command definitions (contrib/nagios/maildns.cfg) against each
built plugin's --help: every option the plugin has is there, nothing it
lacks is, so the definitions cannot drift from the code.

--help's "Options:" section is the source (tests/lib/helpopts.py):
-h/-V are left out, and so are options the help says "do not apply"
(check_dmarc rejects -w/-c). In maildns.conf, per plugin:
  - one argument per option, keyed by one of its spellings;
  - options with a value: value = "$maildns_<plugin>_<long option>$"
    (dashes as underscores; -4/-6 as _ipv4/_ipv6, the ITL's names),
    flags: set_if with that variable;
  - repeatable options (`[...]...` in the usage line) with a value have
    repeat_key = true, others not;
  - the domain is required; every argument has a description;
  - no import (the ITL's ipv4-or-ipv6 template sets address macros no
    plugin here uses) and no check_ipv4/check_ipv6 bindings.
Announced options (ANNOUNCED: --parked, being added to all four plugins)
may be in the definitions before the built plugin has them; once it has
them they are required like any other.
In maildns.cfg: a command maildns_<plugin> running $USER1$/check_<plugin>
with the domain, and the "# check_<plugin> options:" list equal to the
help's options; the sample services use only options the plugin has.
The checker itself is tested on altered copies (an option dropped, a
bogus one added), so it is seen to fail.
"""

import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.environ.get('top_srcdir', '.'), 'tests', 'lib'))
from harness import TAP, top_srcdir, plugin_path  # noqa: E402
import helpopts  # noqa: E402
import ecofix  # noqa: E402

tap = TAP()
ICINGA = os.path.join(top_srcdir(), 'contrib', 'icinga2', 'maildns.conf')
NAGIOS = os.path.join(top_srcdir(), 'contrib', 'nagios', 'maildns.cfg')
NAGIOS_SAMPLE = os.path.join(top_srcdir(), 'contrib', 'nagios', 'services.cfg')
ANNOUNCED = {'--parked'}


def plugin_options(name):
    """The options of the built plugin that a definition must cover."""
    r = subprocess.run([plugin_path(name), '--help'], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=30)
    text = r.stdout.decode('utf-8', 'replace')
    if r.returncode != 0:
        raise RuntimeError('%s --help exited %d' % (name, r.returncode))
    na = set()
    for m in re.finditer(r'(-\w) and (-\w) do not apply', text):
        na |= {m.group(1), m.group(2)}
    return [o for o in helpopts.parse_help(text)
            if o.long not in ('help', 'version') and not set(o.spellings) & na]


def var_suffix(o):
    return {'use-ipv4': 'ipv4', 'use-ipv6': 'ipv6'}.get(o.long, (o.long or o.short).replace('-', '_'))


# ---- maildns.conf, read as the simple ITL-style file it is

def strip_comments(text):
    text = re.sub(r'/\*.*?\*/', '', text, flags=re.S)
    return re.sub(r'(?m)^\s*//.*$', '', text)


def parse_icinga(text):
    """{command name: {'command': str, 'imports': [...], 'vars': {k: v},
    'args': {key: {attr: value}}}}"""
    text = strip_comments(text)
    out = {}
    for m in re.finditer(r'object CheckCommand "([^"]+)" \{(.*?)\n\}', text, re.S):
        body = m.group(2)
        cmd = {'imports': re.findall(r'^\s*import "([^"]+)"', body, re.M),
               'command': (re.search(r'^\s*command = \[ (.*) \]\s*$', body, re.M) or [None, None])[1],
               'vars': dict(re.findall(r'^\s*vars\.(\w+) = (.+?)\s*$', body, re.M)),
               'args': {}}
        a = re.search(r'^\targuments = \{\n(.*?)^\t\}', body, re.S | re.M)
        if a:
            for km in re.finditer(r'^\t\t"([^"]+)" = \{\n(.*?)^\t\t\}', a.group(1), re.S | re.M):
                attrs = dict(re.findall(r'^\t\t\t(\w+) = (.+?)\s*$', km.group(2), re.M))
                if km.group(1) in cmd['args']:
                    attrs['duplicate'] = 'true'
                cmd['args'][km.group(1)] = attrs
        out[m.group(1)] = cmd
    return out


def icinga_problems(name, cmd, opts):
    """What is wrong with CheckCommand `cmd` for plugin `name` (list)."""
    p = name[len('check_'):]
    probs = []
    if cmd is None:
        return ['no CheckCommand maildns_%s' % p]
    if cmd['command'] != 'PluginContribDir + "/%s"' % name:
        probs.append('command is %r' % cmd['command'])
    if cmd['imports']:
        probs.append('imports %s (unused)' % ', '.join(cmd['imports']))
    for v in ('ipv4', 'ipv6'):
        if 'check_' + v in cmd['vars']:
            probs.append('vars.check_%s set (only ipv4-or-ipv6 uses it)' % v)
    keys = dict(cmd['args'])
    for o in opts:
        mine = [k for k in keys if k in o.spellings]
        if not mine:
            probs.append('option %s missing' % '/'.join(o.spellings))
            continue
        if len(mine) > 1:
            probs.append('option %s has %d arguments' % ('/'.join(o.spellings), len(mine)))
        a = keys.pop(mine[0])
        var = '"$maildns_%s_%s$"' % (p, var_suffix(o))
        attr = 'value' if o.arg else 'set_if'
        if a.get(attr) != var:
            probs.append('%s: %s should be %s (has %r)' % (mine[0], attr, var, a))
        if ('value' if not o.arg else 'set_if') in a:
            probs.append('%s: has both or the wrong kind (flag/value)' % mine[0])
        want_repeat = bool(o.repeatable and o.arg)
        if (a.get('repeat_key') == 'true') != want_repeat:
            probs.append('%s: repeat_key should be %s' % (mine[0], 'true' if want_repeat else 'absent'))
        if (a.get('required') == 'true') != (o.long == 'domain'):
            probs.append('%s: required only for the domain' % mine[0])
        if not re.match(r'^".+"$', a.get('description', '')):
            probs.append('%s: no description' % mine[0])
        if a.get('duplicate'):
            probs.append('%s: defined twice' % mine[0])
    for k in keys:
        if k in ANNOUNCED:
            want = '"$maildns_%s_%s$"' % (p, k.lstrip('-').replace('-', '_'))
            if keys[k].get('set_if') != want or not keys[k].get('description'):
                probs.append('announced %s: set_if should be %s, with a description' % (k, want))
            continue
        probs.append('argument %s: the plugin has no such option' % k)
    return probs


# ---- maildns.cfg

def nagios_listed(text, name):
    """The spellings listed under "# check_x options:" (first spelling of
    each option, as written: -D, --tcp, ...), or None."""
    m = re.search(r'^# %s options:\n((?:#  .*\n)+)' % re.escape(name), text, re.M)
    if not m:
        return None
    words = ' '.join(l[3:] for l in m.group(1).splitlines()).split()
    return [w.split('=')[0].rstrip('.') for w in words if w.startswith('-')]


def nagios_problems(name, text, opts):
    p = name[len('check_'):]
    probs = []
    cmd = re.search(r'define command \{\s*command_name\s+maildns_%s\s+command_line\s+(.*?)\s*\}' % p,
                    text, re.S)
    if not cmd:
        probs.append('no command maildns_%s' % p)
    elif not cmd.group(1).startswith("$USER1$/%s -D '$ARG1$'" % name):
        probs.append('command_line is %r' % cmd.group(1))
    listed = nagios_listed(text, name)
    if listed is None:
        return probs + ['no "# %s options:" list' % name]
    want = [o.spellings[0] for o in opts]
    for w in want:
        if w not in listed:
            probs.append('option %s not listed' % w)
    for l in listed:
        if l not in want and l not in ANNOUNCED:
            probs.append('listed %s: the plugin has no such option' % l)
    return probs


def used_options(args):
    return [w.split('=')[0] for w in args.split() if w.startswith('-')]


def main():
    with open(ICINGA) as f:
        icinga_text = f.read()
    with open(NAGIOS) as f:
        nagios_text = f.read()
    with open(NAGIOS_SAMPLE) as f:
        sample = f.read()
    defs = parse_icinga(icinga_text)
    names = {'maildns_' + n[len('check_'):] for n, _ in ecofix.ALL_PLUGINS}
    tap.is_(sorted(defs), sorted(names), 'maildns.conf defines exactly the %d maildns_* CheckCommands'
            % len(names))
    tap.ok(not names & {'dns', 'dig', 'smtp'}, 'no name collides with the ITL\'s dns, dig, smtp')

    built = ecofix.built(ecofix.ALL_PLUGINS)
    for name, _prefix in ecofix.ALL_PLUGINS:
        if (name, _prefix) not in built:
            tap.skip('%s definitions match --help' % name, '%s not built in this tree' % name)
            continue
        opts = plugin_options(name)
        tap.ok(len(opts) >= 10, '%s: --help lists its options (%d)' % (name, len(opts)), opts)
        cmd = defs.get('maildns_' + name[len('check_'):])
        probs = icinga_problems(name, cmd, opts)
        tap.ok(not probs, 'Icinga 2 maildns_%s covers exactly the options of %s --help'
               % (name[len('check_'):], name), '\n'.join(probs))
        probs = nagios_problems(name, nagios_text, opts)
        tap.ok(not probs, 'Nagios maildns_%s lists exactly the options of %s --help'
               % (name[len('check_'):], name), '\n'.join(probs))
        p = name[len('check_'):]
        used = [o for a in re.findall(r'check_command\s+maildns_%s!(.*)' % p, sample)
                for o in used_options(a.split('!', 1)[1] if '!' in a else '')]
        known = {s for o in opts for s in o.spellings}
        tap.ok(all(u in known for u in used),
               'Nagios sample service of %s uses only its options (%s)' % (name, ' '.join(used)), used)

        # The checker is seen to fail: drop the first option, add a bogus one.
        if cmd:
            first = next(iter(cmd['args']))
            dropped = dict(cmd, args={k: v for k, v in cmd['args'].items() if k != first})
            bogus = dict(cmd, args=dict(cmd['args'], **{'--no-such-option': {
                'set_if': '"$x$"', 'description': '"x"'}}))
            tap.ok(any('missing' in x for x in icinga_problems(name, dropped, opts))
                   and any('no such option' in x for x in icinga_problems(name, bogus, opts)),
                   '%s: the check catches a dropped and an invented argument' % name)
        mark = '# %s options:\n#  ' % name
        invented = nagios_text.replace(mark, mark + ' --no-such-option')
        tap.ok(invented != nagios_text and any('no such option' in x for x in
                                                nagios_problems(name, invented, opts)),
               '%s: the Nagios list check catches an invented option' % name)


main()
tap.done()
