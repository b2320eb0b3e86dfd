# SPDX-License-Identifier: GPL-3.0-or-later
"""Fixture domains for the ecosystem tests (Icinga 2, Nagios, cron):
a good one, the demo domain (the DNS guide's records, all four checks
OK), and a bad one that publishes nothing but a host address (all four
checks CRITICAL: no MX, no SPF, no DKIM key, no DMARC record).

PLUGINS maps each plugin to its service prefix; built() lists those
built in this tree (check_mx comes later than the others)."""

import os
import sys

_TOP = os.environ.get('top_srcdir', '.')
sys.path.insert(0, os.path.join(_TOP, 'contrib'))
from harness import genkey_rsa, plugin_path  # noqa: E402
import demo  # noqa: E402

GOOD = demo.DOMAIN                 # example.com
BAD = 'bad.example'
MAILHOST = 'mail.' + GOOD          # the good domain's MX, in its zone
BAD_MAILHOST = 'mail.' + BAD

PLUGINS = [('check_mx', 'MX'), ('check_spf', 'SPF'),
           ('check_dkim', 'DKIM'), ('check_dmarc', 'DMARC')]
# Every plugin with Icinga 2 and Nagios definitions: the four above, which
# every mail domain gets, and those for records a domain may publish
# (services.conf applies them only where the host asks for them).
ALL_PLUGINS = PLUGINS + [('check_mta_sts', 'MTA-STS'), ('check_tlsrpt', 'TLSRPT'), ('check_bimi', 'BIMI'),
                         ('check_dmarc_reports', 'DMARC-REPORTS')]


def zones():
    """(zones dict for harness.Nsd, path of the good domain's DKIM key)."""
    key, pub = genkey_rsa(2048)
    # 'example' answers for the DMARC tree walk's _dmarc.example (an
    # NXDOMAIN, as in the real DNS, not NSD's REFUSED for a zone it lacks)
    return {GOOD: demo.demo_zone(pub),
            BAD: 'mail A 192.0.2.9\n',
            'example': ''}, key


def built(plugins=None):
    """The plugins of PLUGINS (or the list given) built in this tree:
    [(name, prefix)]."""
    return [(n, p) for n, p in (PLUGINS if plugins is None else plugins)
            if os.access(plugin_path(n), os.X_OK)]


# Exit state of each check: the good domain passes everything, the bad
# one has none of the records.
EXPECTED = {GOOD: 0, BAD: 2}
