#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The RFC 7208 (openspf.org) test suite against the built check_spf.

Every test of rfc7208-tests.yml is one TAP case named by its id. Each
scenario's zonedata is served by tests/lib/dnsserver.py over UDP and TCP
on loopback, the way pyspf's own driver reads it:
  - any SPF record is also served as TXT unless the name has a TXT entry
    (TXT: NONE turns the copy off and serves no TXT at all);
  - a bare TIMEOUT (or TIMEOUT: true) answers the types listed before it
    and leaves every other query for the name unanswered;
  - a TXT/SPF list is one RR with one character-string per item ([] is a
    TXT RR with no strings); text is served encoded as UTF-8.
check_spf runs with --no-audit --expect=<the suite's result(s)>: the test
passes when it exits 0 and prints an accepted result word, and, where the
suite gives an explanation, prints it (DEFAULT: no explanation from DNS).

The suite is the copy in tests/conformance/spf/ (it stays with its
LICENSE, a BSD licence of its own), or $SPF_TESTSUITE to try another.
"""
import os
import re
import sys

sys.path.insert(0, os.path.join(os.environ.get('top_srcdir', '.'),
                                'tests', 'lib'))
from harness import TAP, run_plugin, top_srcdir  # noqa: E402
from dnsserver import DnsServer  # noqa: E402

TIMEOUT_S = 3   # -t per run: TIMEOUT entries must give temperror inside it


def suite_path():
    cands = [os.environ.get('SPF_TESTSUITE'),
             os.path.join(top_srcdir(), 'tests', 'conformance', 'spf',
                          'rfc7208-tests.yml')]
    for c in cands:
        if c and os.path.isfile(c):
            return c
    return None


def b(s):
    if isinstance(s, bytes):
        return s
    return str(s).encode('utf-8')


def txt_value(v):
    """A TXT/SPF value: a string (split at 255 by dnsserver) or a list of
    character-strings."""
    if isinstance(v, list):
        return [b(x) for x in v]
    return b(v)


def zone_from(zonedata):
    zone = {}
    for name, recs in (zonedata or {}).items():
        out = []
        has_txt = any(isinstance(r, dict) and 'TXT' in r for r in recs)
        for r in recs:
            if r == 'TIMEOUT' or (isinstance(r, dict) and 'TIMEOUT' in r):
                out.append(('TIMEOUT',))
                continue
            (rtype, val), = r.items()
            if rtype == 'TXT':
                if val == 'NONE':
                    continue
                out.append(('TXT', txt_value(val)))
            elif rtype == 'SPF':
                out.append(('SPF', txt_value(val)))
                if not has_txt:
                    out.append(('TXT', txt_value(val)))
            elif rtype == 'MX':
                out.append(('MX', int(val[0]), str(val[1])))
            elif rtype in ('A', 'AAAA', 'PTR', 'CNAME'):
                out.append((rtype, str(val)))
            else:
                raise ValueError('record type %r not handled' % rtype)
        zone[str(name)] = out
    return zone


def results_of(t):
    r = t['result']
    return [r] if isinstance(r, str) else list(r)


RESULT_RE = re.compile(r': SPF (none|neutral|pass|fail|softfail|temperror|'
                       r'permerror) for ')
EXP_RE = re.compile(r', explanation "(.*)"')


def main():
    tap = TAP()
    path = suite_path()
    if path is None:
        tap.ok(False, 'rfc7208 conformance: tests/conformance/spf/'
               'rfc7208-tests.yml is part of the tree and is missing')
        tap.done()
        return
    try:
        import yaml
    except ImportError:
        tap.skip('rfc7208 conformance', 'python3-yaml is not installed')
        tap.done()
        return
    with open(path, 'rb') as f:
        scenarios = [s for s in yaml.safe_load_all(f) if s]
    passed = failed = 0
    for sc in scenarios:
        zone = zone_from(sc.get('zonedata'))
        with DnsServer(zone, lifetime=600) as ns:
            for tid, t in sc['tests'].items():
                want = results_of(t)
                args = ['--no-audit', '-t', str(TIMEOUT_S),
                        '--ip=%s' % t['host'],
                        '--sender=%s' % t.get('mailfrom', ''),
                        '--helo=%s' % t.get('helo', ''),
                        '--expect=%s' % ','.join(want)]
                r = run_plugin('check_spf', *args, server=ns)
                m = RESULT_RE.search(r.out)
                got = m.group(1) if m else None
                good = r.rc == 0 and got in want
                why = 'got %r, want %s' % (got, want)
                if good and 'explanation' in t:
                    e = EXP_RE.search(r.out)
                    if t['explanation'] == 'DEFAULT':
                        good = e is None
                        why = 'explanation %r where none is due' % (
                            e.group(1) if e else None)
                    else:
                        good = e is not None and \
                            e.group(1).lower() == t['explanation'].lower()
                        why = 'explanation %r, want %r' % (
                            e.group(1) if e else None, t['explanation'])
                if good and r.wall > TIMEOUT_S + 1:
                    good = False
                    why = 'took %.1fs with -t %d' % (r.wall, TIMEOUT_S)
                if good:
                    passed += 1
                else:
                    failed += 1
                tap.ok(good, '%s (%s)' % (tid, '/'.join(want)),
                       None if good else why + '\n' + r.describe())
    tap.diag('rfc7208-tests.yml: %d passed, %d failed of %d' %
             (passed, failed, passed + failed))
    tap.done()


if __name__ == '__main__':
    main()
