#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""--parked on all four plugins, check_mx --exact and the MX fix: line's
mail host, against a real NSD on loopback (all implied: verdicts).

A parked domain sends and receives no mail. It is OK when it publishes a
null MX (RFC 7505), "v=spf1 -all", a DMARC p=reject and no DKIM key (or a
revoked one); whatever would let it receive or send is the finding, with
the record to publish as the fix: line.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.environ.get('top_srcdir', '.'), 'tests', 'lib'))
from harness import TAP, Nsd, run_plugin  # noqa: E402

tap = TAP()

PARKED = r"""
good            IN MX 0 .
good            IN TXT "v=spf1 -all"
_dmarc.good     IN TXT "v=DMARC1; p=reject"
revoked         IN MX 0 .
revoked         IN TXT "v=spf1 -all"
_dmarc.revoked  IN TXT "v=DMARC1; p=reject; sp=reject"
default._domainkey.revoked IN TXT "v=DKIM1; p="
live            IN MX 10 mail.p.example.
live            IN TXT "v=spf1 mx ~all"
_dmarc.live     IN TXT "v=DMARC1; p=none; rua=mailto:d@p.example"
default._domainkey.live IN TXT "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="
mail            IN A 192.0.2.25
nomx            IN A 192.0.2.26
nomx            IN TXT "v=spf1 -all"
strict          IN MX 0 .
strict          IN TXT "v=spf1 -ip4:192.0.2.1 -all"
neutral         IN MX 0 .
neutral         IN TXT "v=spf1 -all redirect=p.example"
"""
EXACT = r"""
@               IN MX 10 mx1.e.example.
@               IN MX 20 mx2.e.example.
mx1             IN A 192.0.2.31
mx2             IN A 192.0.2.32
nomx            IN A 192.0.2.33
"""


def fixes(r):
    return [l[5:] for l in r.long if l.startswith('fix: ')]


with Nsd({'p.example': PARKED, 'e.example': EXACT}) as ns:
    def run(plugin, *args, env=None):
        return run_plugin(plugin, *args, '-t', '5', server=ns, env=env)

    # --- a parked domain that says so: OK on all four
    for plugin in ('check_mx', 'check_spf', 'check_dkim', 'check_dmarc'):
        for dom in ('good.p.example', 'revoked.p.example'):
            r = run(plugin, '-D', dom, '--parked')
            tap.ok(r.rc == 0 and not fixes(r),
                   '%s --parked: %s is OK' % (plugin, dom), r)
    # without --parked the same domain is not (the point of the profile)
    r = run('check_mx', '-D', 'good.p.example')
    tap.ok(r.rc == 2, 'check_mx: a null MX is CRITICAL without --parked', r)
    r = run('check_dkim', '-D', 'good.p.example')
    tap.ok(r.rc == 2, 'check_dkim: no key is CRITICAL without --parked', r)

    # --- a parked domain that can still receive and send
    r = run('check_mx', '-D', 'live.p.example', '--parked')
    tap.ok(r.rc == 2 and 'parked domain receives mail' in r.first and
           'live.p.example. IN MX 0 .' in fixes(r),
           'check_mx --parked: an MX that accepts mail is CRITICAL, fix null MX', r)
    r = run('check_spf', '-D', 'live.p.example', '--parked')
    tap.ok(r.rc == 2 and 'does not fail every sender' in r.out and
           fixes(r) == ['live.p.example. IN TXT "v=spf1 -all"'],
           'check_spf --parked: ~all is CRITICAL, the only fix is -all', r)
    r = run('check_dmarc', '-D', 'live.p.example', '--parked')
    tap.ok(r.rc == 2 and any('p=reject' in f for f in fixes(r)),
           'check_dmarc --parked: p=none is CRITICAL, fix p=reject', r)
    r = run('check_dkim', '-D', 'live.p.example', '--parked')
    tap.ok(r.rc == 1 and 'publishes a usable' in r.first and
           fixes(r) == ['default._domainkey.live.p.example. IN TXT "v=DKIM1; p="'],
           'check_dkim --parked: a usable key is a WARNING, fix: revoke it', r)
    r = run('check_mx', '-D', 'nomx.p.example', '--parked')
    tap.ok(r.rc == 1 and 'no null MX' in r.first and
           'nomx.p.example. IN MX 0 .' in fixes(r),
           'check_mx --parked: no MX at all is a WARNING, fix null MX', r)
    r = run('check_spf', '-D', 'strict.p.example', '--parked')
    tap.ok(r.rc == 0, 'check_spf --parked: only "-" mechanisms and -all is OK', r)
    r = run('check_spf', '-D', 'neutral.p.example', '--parked')
    tap.ok(r.rc == 2 and fixes(r) == ['neutral.p.example. IN TXT "v=spf1 -all"'],
           'check_spf --parked: a redirect= is not "fails every sender"', r)

    # --- --exact (with -e): an extra MX is CRITICAL
    r = run('check_mx', '-D', 'e.example', '-e', 'mx1.e.example', '-e', 'mx2.e.example',
            '--exact')
    tap.ok(r.rc == 0, 'check_mx --exact: exactly the expected hosts is OK', r)
    r = run('check_mx', '-D', 'e.example', '-e', 'mx1.e.example', '--exact')
    tap.ok(r.rc == 2 and 'MX host mx2.e.example is not one of the expected hosts' in r.first,
           'check_mx --exact: an MX host not given with -e is CRITICAL', r)
    r = run('check_mx', '-D', 'e.example', '-e', 'mx1.e.example')
    tap.ok(r.rc == 0, 'check_mx -e without --exact: an extra MX is fine', r)
    r = run('check_mx', '-D', 'e.example', '--exact')
    tap.ok(r.rc == 3 and '--exact needs' in r.first, 'check_mx --exact without -e: UNKNOWN', r)

    # --- the fix: line for a missing MX names a real mail host or none
    r = run('check_mx', '-D', 'nomx.e.example')
    tap.ok(r.rc == 2 and not fixes(r) and
           any('--mail-host' in l for l in r.long),
           'check_mx: no invented mail.DOMAIN fix without a mail host', r)
    r = run('check_mx', '-D', 'nomx.e.example', '--mail-host', 'mx1.e.example')
    tap.ok(r.rc == 2 and fixes(r) == ['nomx.e.example. IN MX 10 mx1.e.example.'],
           'check_mx --mail-host: the fix names that host', r)
    r = run('check_mx', '-D', 'nomx.e.example', env={'MAILNAME': 'mx2.e.example'})
    tap.ok(r.rc == 2 and fixes(r) == ['nomx.e.example. IN MX 10 mx2.e.example.'],
           'check_mx: MAILNAME names the host in the fix', r)

tap.done()
