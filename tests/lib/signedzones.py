# SPDX-License-Identifier: GPL-3.0-or-later
"""A signed DNS hierarchy of our own, made at test time with ldns-keygen
and ldns-signzone (ldnsutils) and served by one NSD: a root zone ".",
the TLDs "test." (NSEC) and "opt." (NSEC3 with opt-out) and mail domains
under them, one per validation case. The plugin is pointed at the NSD
with -s and given the root key with --trust-anchor; NSD is authoritative
for every zone, so it answers a DS question from the parent zone and
everything else from the zone itself, and the validator follows the
delegations from the root key down as it would on the Internet.

    with SignedHierarchy() as h:
        run_plugin('check_mx', '-D', 'ec.test', '--dnssec',
                   '--trust-anchor', h.anchor, server=h.nsd)

Zones (NAME: what a check of a name under it must say):
  sec.test     RSA/SHA-256 (8), MX, A, TLSA: secure
  ec.test      ECDSA P-256 (13): secure       ed.test   Ed25519 (15): secure
  rsa512.test  RSA/SHA-512 (10): secure       p384.test ECDSA P-384 (14)
  plain.test   no DS in test. (NSEC): insecure, zone cut plain.test
  plain.opt    no DS in opt. (NSEC3 opt-out): insecure, zone cut plain.opt
  tamper.test  one byte of the MX RRSIG (and of alias's CNAME) changed: bogus
  expired.test signatures expired yesterday: bogus
  badds.test   the DS in test. is another key's: bogus
  nosig.test   the MX RRSIG removed: bogus
  soon.test    signatures expire in 3 days (rrsig_days)
  many.test    100 DNSKEYs (one of them signing): secure, bounded
  unkds.test   its DS in test. has digest type 99: insecure (D-04)
  sha1.test    RSA/SHA-1 (5), not supported here: insecure (D-04)
  plain.iter   no DS in iter., NSEC3 of 200 iterations: insecure (D-02)
  DEEP.<zone>  a TXT record 45 labels below each mail domain (D-05)
  *.wild.<zone> a wildcard TXT in each mail domain: an answer expanded
               from it comes with the NSEC (NSEC3 in wild3.test) proof
               that the name asked does not exist
  wild3.test   ECDSA P-256, NSEC3 without opt-out: secure
Every mail domain has mail (A), alias (CNAME mail), toec (CNAME to
mail.ec.test) and toplain (CNAME to mail.plain.test, unsigned).
  tlsabad.test a TLSA record whose RRSIG was tampered: bogus
"""
import datetime
import os
import subprocess

import harness

TLD_ZONES = ('test', 'opt', 'iter')
# D-05: a TXT record this many labels below each mail domain
DEEP = '.'.join(['d'] * 45)
# name -> (algorithm, extra ldns-signzone args, zone body)
MAIL_BODY = ('@ IN MX 10 mail\n'
             'mail IN A 127.0.0.1\n'
             '@ IN TXT "v=spf1 -all"\n'
             '_25._tcp.mail IN TLSA 3 1 1 %s\n'
             'alias IN CNAME mail\n'
             'toec IN CNAME mail.ec.test.\n'
             'toplain IN CNAME mail.plain.test.\n'
             '*.wild IN TXT "v=spf1 -all"\n'
             # check_spf's evaluation meets a bogus answer (tamper.test's
             # CNAME) in a mechanism, not in the record lookup
             'inc IN TXT "v=spf1 a:alias.tamper.test -all"\n'
             + DEEP + ' IN TXT "v=spf1 -all"\n')
NO_TLSA = '00' * 32


def _date(days):
    t = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=days)
    return t.strftime('%Y%m%d%H%M%S')


def _run(cmd, cwd):
    r = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=120)
    if r.returncode != 0:
        raise RuntimeError('%s failed: %s' % (' '.join(cmd),
                                              r.stderr.decode('utf-8', 'replace')))
    return r.stdout.decode()


def _tamper(line):
    """The RRSIG line with one base64 letter of the signature's middle
    changed (valid base64 still, a signature that does not verify)."""
    head, sig = line.rsplit(None, 1)
    i = len(sig) // 2
    return '%s %s%s%s' % (head, sig[:i], 'A' if sig[i] != 'A' else 'B', sig[i + 1:])


class SignedHierarchy:
    """Keys, signed zone files and an NSD serving them (started on
    __enter__). Attributes: nsd (harness.Nsd), anchor (the root's DS in a
    file, for --trust-anchor), anchor_dnskey (the root DNSKEY in a file),
    dir."""

    # mail zone -> (algorithm, signzone extras, delegated from)
    MAIL = {
        'sec.test': ('RSASHA256', [], 'test'),
        'ec.test': ('ECDSAP256SHA256', [], 'test'),
        'ed.test': ('ED25519', [], 'test'),
        'rsa512.test': ('RSASHA512', [], 'test'),
        'p384.test': ('ECDSAP384SHA384', [], 'test'),
        'tamper.test': ('ECDSAP256SHA256', [], 'test'),
        'expired.test': ('ECDSAP256SHA256', ['-i', _date(-20), '-e', _date(-1)], 'test'),
        'badds.test': ('ECDSAP256SHA256', [], 'test'),
        'nosig.test': ('ECDSAP256SHA256', [], 'test'),
        'soon.test': ('ECDSAP256SHA256', ['-i', _date(-1), '-e', _date(3.01)], 'test'),
        'many.test': ('ECDSAP256SHA256', [], 'test'),
        'tlsabad.test': ('ECDSAP256SHA256', [], 'test'),
        'sec.opt': ('ECDSAP256SHA256', [], 'opt'),
        'unkds.test': ('ECDSAP256SHA256', [], 'test'),
        'sha1.test': ('RSASHA1', [], 'test'),
        'wild3.test': ('ECDSAP256SHA256', ['-n', '-s', 'abcd', '-t', '1'], 'test'),
    }
    UNSIGNED = {'plain.test': 'test', 'plain.opt': 'opt', 'plain.iter': 'iter'}
    MANY_KEYS = 100

    def __init__(self, tlsa_hex=NO_TLSA):
        """tlsa_hex: the SHA-256 of the SPKI every _25._tcp.mail TLSA
        3 1 1 record names (the test SMTP server's certificate)."""
        self.body = MAIL_BODY % tlsa_hex
        self.dir = harness.tmpdir()
        self.nsd = None
        self.anchor = os.path.join(self.dir, 'root.ds')
        self.anchor_dnskey = os.path.join(self.dir, 'root.key')
        self._files = {}

    # ---------------------------------------------------------------- keys
    def _key(self, zone, alg):
        base = _run(['ldns-keygen', '-r', '/dev/urandom', '-k', '-a', alg, zone if zone == '.' else zone + '.'],
                    self.dir).strip()
        with open(os.path.join(self.dir, base + '.ds')) as f:
            ds = f.read().strip()
        return base, ds

    def _sign(self, zone, body, key, extra=(), out=None):
        name = 'root' if zone == '.' else zone
        src = os.path.join(self.dir, name + '.zone')
        if zone == '.':
            text = ('$ORIGIN .\n$TTL 300\n'
                    '@ IN SOA ns.test. hostmaster.test. 1 3600 900 604800 300\n'
                    '@ IN NS ns.test.\n' + body)
        else:
            text = harness.zone_text(zone, body)
        with open(src, 'w') as f:
            f.write(text)
        cmd = ['ldns-signzone', '-o', zone if zone == '.' else zone + '.']
        cmd += list(extra) + ['-f', out or src + '.signed', src, key]
        _run(cmd, self.dir)
        return out or src + '.signed'

    def _edit(self, path, match, change):
        """change(line) on the first line of the signed zone matching."""
        with open(path) as f:
            lines = f.read().splitlines()
        for i, l in enumerate(lines):
            if match(l.split()):
                lines[i] = change(l)
                break
        else:
            raise RuntimeError('no line to edit in %s' % path)
        with open(path, 'w') as f:
            f.write('\n'.join(l for l in lines if l is not None) + '\n')

    # ---------------------------------------------------------------- build
    def build(self):
        ds = {}
        delegations = {t: '' for t in TLD_ZONES}
        for zone, (alg, extra, parent) in self.MAIL.items():
            base, d = self._key(zone, alg)
            body = self.body
            if zone == 'many.test':
                for _ in range(self.MANY_KEYS - 1):
                    b2, _d = self._key(zone, 'ECDSAP256SHA256')
                    with open(os.path.join(self.dir, b2 + '.key')) as f:
                        body += f.read().strip() + '\n'
            path = self._sign(zone, body, base, extra)
            fields = path
            if zone == 'tamper.test':
                self._edit(path, lambda f: len(f) > 4 and f[3] == 'RRSIG' and f[4] == 'MX',
                           _tamper)
                self._edit(path, lambda f: len(f) > 4 and f[0] == 'alias.tamper.test.'
                           and f[3] == 'RRSIG' and f[4] == 'CNAME', _tamper)
            if zone == 'tlsabad.test':
                self._edit(path, lambda f: len(f) > 4 and f[3] == 'RRSIG' and f[4] == 'TLSA',
                           _tamper)
            if zone == 'nosig.test':
                self._edit(path, lambda f: len(f) > 4 and f[3] == 'RRSIG' and f[4] == 'MX',
                           lambda l: '; removed: ' + l)
            if zone == 'badds.test':
                _other, d = self._key('badds.test', alg)
            if zone == 'unkds.test':    # D-04: digest type 99, unknown
                f = d.split()
                f[-2] = '99'
                d = ' '.join(f)
            self._files[zone] = fields
            delegations[parent] += '%s. IN NS ns.%s.\n%s\n' % (zone, zone, d.replace('\t', ' '))
            ds[zone] = d
        for zone, parent in self.UNSIGNED.items():
            path = os.path.join(self.dir, zone + '.zone')
            with open(path, 'w') as f:
                f.write(harness.zone_text(zone, self.body))
            self._files[zone] = path
            delegations[parent] += '%s. IN NS ns.%s.\n' % (zone, zone)
        root_body = ''
        for tld in TLD_ZONES:
            base, d = self._key(tld, 'ECDSAP256SHA256')
            extra = {'opt': ['-n', '-p', '-t', '0'],
                     # D-02: over RFC 9276's limit (150 here)
                     'iter': ['-n', '-t', '200', '-s', 'abcd']}.get(tld, [])
            self._files[tld] = self._sign(tld, delegations[tld], base, extra)
            root_body += '%s. IN NS ns.%s.\n%s\n' % (tld, tld, d.replace('\t', ' '))
        base, d = self._key('.', 'ECDSAP256SHA256')
        self._files['.'] = self._sign('.', root_body, base)
        with open(self.anchor, 'w') as f:
            f.write(d + '\n')
        with open(os.path.join(self.dir, base + '.key')) as f, \
                open(self.anchor_dnskey, 'w') as out:
            out.write(f.read())
        return self

    def start(self):
        if not self._files:
            self.build()
        self.nsd = harness.Nsd({})
        self.nsd.zones = dict(self._files)
        self.nsd.start()
        return self

    def stop(self):
        if self.nsd is not None:
            self.nsd.stop()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
        return False


if __name__ == '__main__':
    # A look at the hierarchy by hand: python3 signedzones.py, then drill.
    import time
    with SignedHierarchy() as h:
        print('nsd on %s port %d, anchor %s' % (h.nsd.host, h.nsd.port, h.anchor))
        time.sleep(float(os.environ.get('HOLD', '0')))


# ---------------------------------------------------------------------------
# Any records, signed: for tests written against tests/lib/dnsserver.py's
# record dicts that now need DNSSEC-secure answers (check_mx --dane).

def _record_text(owner, rec):
    """One dnsserver.py record tuple as a zone-file line."""
    t = rec[0].upper()
    if t == 'MX':
        data = '%d %s.' % (rec[1], rec[2].rstrip('.'))
    elif t in ('CNAME', 'PTR', 'NS'):
        data = rec[1].rstrip('.') + '.'
    elif t in ('A', 'AAAA'):
        data = rec[1]
    elif t == 'TXT':
        data = ' '.join('"%s"' % ''.join(
            chr(b) if 32 <= b < 127 and b not in (34, 92) else '\\%03d' % b for b in s)
            for s in rec[1])
    elif t == 'TLSA':
        data = '%d %d %d %s' % (rec[1], rec[2], rec[3], rec[4].hex() or '00')
    else:
        raise ValueError('record type %s not supported here' % t)
    return '%s. IN %s %s\n' % (owner.rstrip('.'), t, data)


class SignedRecords(SignedHierarchy):
    """records: {name: [record tuple, ...]} in tests/lib/dnsserver.py's
    form (A, AAAA, MX, CNAME, TXT, TLSA). Each name's zone is its last two
    labels ('mx.example.com' is in example.com), delegated with a DS from
    its TLD, the TLDs from a root of our own; all signed with ECDSA P-256
    and served by one NSD. Use like SignedHierarchy: .nsd (a server for
    run_plugin()), .anchor (for --trust-anchor)."""

    def __init__(self, records):
        super().__init__()
        self.records = records

    def build(self):
        zones = {}
        for name, recs in self.records.items():
            zone = '.'.join(name.rstrip('.').split('.')[-2:])
            zones.setdefault(zone, '')
            zones[zone] += ''.join(_record_text(name, r) for r in recs)
        delegations = {}
        for zone, body in zones.items():
            tld = zone.split('.')[-1]
            base, d = self._key(zone, 'ECDSAP256SHA256')
            self._files[zone] = self._sign(zone, body, base)
            delegations.setdefault(tld, '')
            delegations[tld] += '%s. IN NS ns.%s.\n%s\n' % (zone, zone, d.replace('\t', ' '))
        root_body = ''
        for tld, body in delegations.items():
            base, d = self._key(tld, 'ECDSAP256SHA256')
            self._files[tld] = self._sign(tld, body, base)
            root_body += '%s. IN NS ns.%s.\n%s\n' % (tld, tld, d.replace('\t', ' '))
        base, d = self._key('.', 'ECDSAP256SHA256')
        self._files['.'] = self._sign('.', root_body, base)
        with open(self.anchor, 'w') as f:
            f.write(d + '\n')
        return self
