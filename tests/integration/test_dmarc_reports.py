#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""check_dmarc_reports against directories of real reports (the
parsedmarc samples in tests/fixtures/reports, their dates moved into
--since and their domain to the test zone's) and NSD serving the SPF and
DMARC records: own sources by --ip, --mail-host and the SPF record,
other sources, reports not arriving, Maildirs, bad files, and the
hostile files R-01..R-07 and R-10 of doc/hostile-inputs.md, written here,
each within -t and 64 MiB."""
import email.message
import json
import gzip
import io
import os
import re
import sys
import time
import zipfile

sys.path.insert(0, os.path.join(os.environ.get('top_srcdir', '.'), 'tests', 'lib'))
from harness import TAP, Nsd, run_plugin, txt_rdata, tmpdir, fixture, check_bounds  # noqa: E402

tap = TAP()
P = 'check_dmarc_reports'
NOW = int(time.time())

ZONES = {
    'example': '',
    'rep.example': '@ TXT %s\n' % txt_rdata('v=spf1 ip4:192.0.2.0/28 -all')
    + '_dmarc TXT %s\n' % txt_rdata('v=DMARC1; p=none; rua=mailto:dmarc@rep.example')
    + 'mail A 192.0.2.3\n',
    'norua.example': '@ TXT %s\n' % txt_rdata('v=spf1 -all')
    + '_dmarc TXT %s\n' % txt_rdata('v=DMARC1; p=none'),
    'nospf.example': '_dmarc TXT %s\n' % txt_rdata('v=DMARC1; p=none; rua=mailto:d@nospf.example'),
}
ZONES['rep.example'] += '_smtp._tls TXT %s\n' % txt_rdata('v=TLSRPTv1; rua=mailto:tls@rep.example')


def raw(name):
    with open(fixture('reports', name), 'rb') as f:
        return f.read()


def xml_of(name):
    """The XML inside a fixture, however it is wrapped."""
    data = raw(name)
    if name.endswith('.gz'):
        return gzip.decompress(data)
    if name.endswith('.zip'):
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return z.read(z.namelist()[0])
    if name.endswith('.eml'):
        msg = email.message_from_bytes(data)
        for part in msg.walk():
            fn = part.get_filename() or ''
            if fn.endswith('.zip') or fn.endswith('.gz'):
                return xml_of_bytes(fn, part.get_payload(decode=True))
        raise ValueError(name)
    return data


def xml_of_bytes(fn, data):
    if fn.endswith('.gz'):
        return gzip.decompress(data)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read(z.namelist()[0])


def fresh(xml, domain='rep.example', end=None, ips=None, report_id=None):
    """The report with its date range ending `end` (default an hour
    ago), about `domain`, its source addresses replaced in order."""
    end = NOW - 3600 if end is None else end
    xml = re.sub(rb'<begin>\s*\d+\s*</begin>', b'<begin>%d</begin>' % (end - 86400), xml)
    xml = re.sub(rb'<end>\s*\d+\s*</end>', b'<end>%d</end>' % end, xml)
    xml = re.sub(rb'(<policy_published>\s*<domain>)[^<]*', rb'\g<1>' + domain.encode(), xml)
    if report_id is not None:
        xml = re.sub(rb'<report_id>[^<]*', b'<report_id>' + report_id.encode(), xml)
    for ip in ips or []:
        xml, n = re.subn(rb'<source_ip>(?!X)[^<]*', b'<source_ip>X' + ip.encode(), xml, count=1)
    return xml.replace(b'<source_ip>X', b'<source_ip>')


def gz(xml):
    return gzip.compress(xml)


def zipped(xml, member='report.xml'):
    b = io.BytesIO()
    with zipfile.ZipFile(b, 'w', zipfile.ZIP_DEFLATED) as z:
        z.writestr(member, xml)
    return b.getvalue()


def mail(payload, filename, ctype='application/zip'):
    m = email.message.EmailMessage()
    m['From'] = 'noreply-dmarc-support@google.com'
    m['To'] = 'dmarc@rep.example'
    m['Subject'] = 'Report domain: rep.example Submitter: google.com'
    m.set_content('This is an aggregate report from google.com.')
    maintype, subtype = ctype.split('/')
    m.add_attachment(payload, maintype=maintype, subtype=subtype, filename=filename)
    return m.as_bytes()


def write(d, name, data):
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), 'wb') as f:
        f.write(data)


def pv(r, key):
    """A perfdata value without its thresholds: '4', '1'."""
    return r.perf.get(key, '').split(';')[0]


def pt(r, key):
    """A perfdata item whole: '1;5;10;0'."""
    for item in r.perfdata.split():
        if item.startswith(key + '='):
            return item.split('=', 1)[1]
    return None


def has(r, text):
    return any(text in l for l in r.lines)


# The reports: own mail that passed (RFC 9990's sample, Microsoft's
# report moved to an own address that fails), other sources (FastMail's
# and Google's, as gzip and as a mail with a zip).
OWN_PASS = fresh(xml_of('rfc9990-sample.xml'), ips=['192.0.2.5'])
OWN_FAIL = fresh(xml_of('outlook.xml'), ips=['192.0.2.3'])
FASTMAIL = fresh(xml_of('fastmail.xml.gz'))
GOOGLE = fresh(xml_of('google.eml'))
UPPER = fresh(xml_of('upper_cased_pass.xml'), ips=['192.0.2.6'])


def good_dir():
    d = tmpdir()
    write(d, 'rfc9990.xml', OWN_PASS)
    write(d, 'fastmail.xml.gz', gz(FASTMAIL))
    write(d, 'google.eml', mail(zipped(GOOGLE), 'google.com!rep.example!1!2.zip'))
    write(d, 'upper.xml.zip', zipped(UPPER))
    return d


with Nsd(ZONES) as ns:
    def run(*args):
        return run_plugin(P, '-t', 10, *args, server=ns)

    d = good_dir()
    r = run('-D', 'rep.example', '--dir', d)
    tap.ok(r.rc == 0 and r.first.startswith('DMARC-REPORTS OK - rep.example: 4 reports')
           and pv(r, 'reports') == '4' and pv(r, 'own_fail') == '0'
           and has(r, '[OK] all 124 messages from own sources passed DMARC')
           and 'other_fail' in r.perf and pv(r, 'other_fail') != '0'
           and pt(r, 'bad_files') == '0;3;;0',
           'real reports in xml, gz, zip and a mail with a zip: own sources by SPF pass: OK', r)
    tap.ok(has(r, 'other sources failed DMARC') and has(r, 'other source 104.195.80.20'),
           'other sources that failed: counted and listed, no state', r)
    # --parked: no own sources, no SPF asked; mail that passed DMARC in
    # the name of a domain that sends none is CRITICAL
    r = run('-D', 'rep.example', '--dir', d, '--parked')
    tap.ok(r.rc == 2 and '124 messages passed DMARC in the name of rep.example, a parked domain'
           in r.first and pv(r, 'dns_queries') == '0' and 'own sources' not in '\n'.join(r.lines[1:]),
           'implied: --parked: messages that passed DMARC are CRITICAL, no SPF lookup', r)
    r = run('-D', 'rep.example', '--dir', d, '--parked', '--ip', '192.0.2.1')
    tap.ok(r.rc == 3 and '--ip and --mail-host do not apply' in r.first,
           'implied: --parked with --ip: UNKNOWN', r)

    write(d, 'outlook.xml', OWN_FAIL)
    r = run('-D', 'rep.example', '--dir', d)
    tap.ok(r.rc == 1 and has(r, '[WARNING] 1 of 125 messages from own sources failed DMARC (0.8%)')
           and has(r, 'own source 192.0.2.3, reported by Outlook.com: 1 failed: '
                   'SPF fail for example.com, no DKIM signature')
           and pv(r, 'own_fail') == '1',
           'an own source (SPF) that failed: WARNING by default, the reporter and why', r)
    r = run('-D', 'rep.example', '--dir', d, '-c', '0.5%')
    tap.ok(r.rc == 2 and r.first.startswith('DMARC-REPORTS CRITICAL'), '-c 0.5%: CRITICAL', r)
    r = run('-D', 'rep.example', '--dir', d, '-w', '5', '-c', '10')
    tap.ok(r.rc == 0 and pt(r, 'own_fail') == '1;5;10;0',
           '-w 5 -c 10 (counts): 1 failure is OK, thresholds in perfdata', r)
    r = run('-D', 'rep.example', '--dir', d, '--ip', '104.195.80.0/24')
    tap.ok(r.rc != 0 and has(r, 'own source 104.195.80.20, reported by FastMail Pty Ltd')
           and not has(r, 'own source 192.0.2.3'),
           '--ip with a prefix: those are the own sources, not the SPF record', r)
    r = run('-D', 'rep.example', '--dir', d, '--mail-host', 'mail.rep.example')
    tap.ok(r.rc == 2 and has(r, 'own source 192.0.2.3') and has(r, '1 of 1 messages from own'),
           '--mail-host: its A record is the own source (100 %: CRITICAL)', r)

    # the same report as .xml and .xml.gz, and inside a mail
    d2 = good_dir()
    write(d2, 'again.xml.gz', gz(OWN_PASS))
    write(d2, 'again.eml', mail(gz(OWN_PASS), 'x.xml.gz', 'application/gzip'))
    r = run('-D', 'rep.example', '--dir', d2, '-v')
    tap.ok(r.rc == 0 and pv(r, 'reports') == '4' and has(r, '2 duplicates'),
           'R-10 the same report in three wrappings: counted once', r)

    # --since: a report that ended 3 hours ago is outside 2h
    d3 = tmpdir()
    write(d3, 'old.xml', fresh(xml_of('outlook.xml'), end=NOW - 3 * 3600))
    r = run('-D', 'rep.example', '--dir', d3, '--since', '2h')
    tap.ok(r.rc == 1 and has(r, 'reports not arriving') and pv(r, 'reports') == '0'
           and 'dmarc_pass_pct' not in r.perf,
           'no report within --since 2h while rua= asks for them: WARNING, no dmarc_pass_pct', r)
    r = run('-D', 'rep.example', '--dir', d3, '--since', '4h')
    tap.ok(pv(r, 'reports') == '1', '--since 4h counts it', r)
    r = run('-D', 'norua.example', '--dir', tmpdir())
    tap.ok(r.rc == 0 and has(r, 'asks for none (no rua=)'),
           'no report and no rua=: OK', r)
    r = run('-D', 'other.rep.example', '--dir', d)
    tap.ok(pv(r, 'reports') == '0', 'reports about a parent domain do not count', r)
    d4 = tmpdir()
    write(d4, 'sub.xml', fresh(xml_of('outlook.xml'), domain='Sub.Rep.Example.', ips=['192.0.2.3']))
    r = run('-D', 'rep.example', '--dir', d4)
    tap.ok(pv(r, 'reports') == '1' and has(r, 'own source 192.0.2.3'),
           'a report about a subdomain (any case, trailing dot) counts', r)
    r = run('-D', 'nospf.example', '--dir', d4)
    tap.ok(r.rc == 1 and has(r, 'own sources unknown'), 'no SPF record and no --ip: WARNING', r)

    # a Maildir: cur/ and new/, tmp/ never read
    md = tmpdir()
    write(os.path.join(md, 'cur'), '1.host:2,S', mail(zipped(GOOGLE), 'g.zip'))
    write(os.path.join(md, 'new'), '2.host', mail(gz(OWN_FAIL), 'o.xml.gz', 'application/gzip'))
    write(os.path.join(md, 'tmp'), '3.host', b'garbage being delivered')
    before = {p: os.stat(os.path.join(dp, p)).st_mtime for dp, _, fs in os.walk(md) for p in fs}
    r = run('-D', 'rep.example', '--dir', md)
    after = {p: os.stat(os.path.join(dp, p)).st_mtime for dp, _, fs in os.walk(md) for p in fs}
    tap.ok(pv(r, 'reports') == '2' and pt(r, 'bad_files') == '0;3;;0'
           and before == after and has(r, 'own source 192.0.2.3'),
           'a Maildir: cur/ and new/ read, tmp/ not, nothing changed', r)

    # bad files: named (escaped, R-04), counted, WARNING over --max-bad;
    # the good reports still count
    d5 = good_dir()
    write(d5, 'utf16.xml', '\ufeff<feedback/>'.encode('utf-16'))
    write(d5, 'trunc.xml', OWN_PASS[:300])
    write(d5, 'root.xml', b'<html><body>hello</body></html>')
    write(d5, 'nopolicy.xml', re.sub(rb'<policy_published>.*</policy_published>', b'',
                                     OWN_FAIL, flags=re.S))
    write(d5, 'evil\x1b[31m|name.xml', b'not a report')
    os.symlink(os.path.join(d, 'outlook.xml'), os.path.join(d5, 'link.xml'))
    os.mkfifo(os.path.join(d5, 'fifo.xml'))
    r = run('-D', 'rep.example', '--dir', d5, '-v')
    tap.ok(r.rc == 1 and pv(r, 'reports') == '4' and pt(r, 'bad_files') == '5;3;;0'
           and has(r, '[WARNING] 5 files could not be read as a report (--max-bad 3)')
           and has(r, 'bad file utf16.xml: UTF-16 text')
           and has(r, 'bad file trunc.xml: not well-formed XML')
           and has(r, 'bad file root.xml: root element is html, not feedback')
           and has(r, 'bad file nopolicy.xml: no policy_published domain')
           and has(r, 'bad file evil\\x1b[31m\\x7cname.xml')
           and has(r, '2 not regular files') and not has(r, '192.0.2.3'),
           'R-06 bad files named, escaped (R-04), the good ones still count; '
           'a symbolic link and a FIFO skipped, never followed', r)
    r = run('-D', 'rep.example', '--dir', d5, '--max-bad', '5')
    tap.ok(r.rc == 0 and has(r, '[OK] 5 files could not be read'), '--max-bad 5: OK', r)
    r = run('-D', 'rep.example', '--dir', '/nonexistent/dir')
    tap.ok(r.rc == 3 and r.first == 'DMARC-REPORTS UNKNOWN - cannot read directory /nonexistent/dir: '
           'No such file or directory' and 'dns_queries' not in r.perf,
           'a missing --dir: UNKNOWN on the first line, before any DNS query', r)
    r = run('-D', 'rep.example')
    tap.ok(r.rc == 3 and '--dir is required' in r.out, 'no --dir: UNKNOWN', r)
    r = run('-D', 'rep.example', '--dir', d, '--since', '2y')
    tap.ok(r.rc == 3 and 'invalid duration' in r.out, '--since 2y: UNKNOWN', r)

    # hostile files, each alone with one good report, within -t and 64 MiB
    secret = os.path.join(tmpdir(), 'secret')
    write(os.path.dirname(secret), 'secret', b'R02-SECRET-DO-NOT-LEAK')
    many = b''.join(b'<record><row><source_ip>192.0.2.%d</source_ip><count>1</count>'
                    b'<policy_evaluated><dkim>fail</dkim><spf>fail</spf></policy_evaluated>'
                    b'</row></record>' % (i % 250) for i in range(100000))
    head = OWN_FAIL.split(b'<record>')[0]
    bombzip = io.BytesIO()
    with zipfile.ZipFile(bombzip, 'w', zipfile.ZIP_DEFLATED) as z:
        z.writestr('bomb.xml', b'<feedback>' + b' ' * (64 << 20))
    manymembers = io.BytesIO()
    with zipfile.ZipFile(manymembers, 'w') as z:
        for i in range(10000):
            z.writestr('m%05d.txt' % i, b'x')
    evilzip = io.BytesIO()
    with zipfile.ZipFile(evilzip, 'w') as z:
        z.writestr('../../../tmp/evil\x1b.xml', OWN_PASS)
    parts = ''.join('--B\r\nContent-Type: text/plain\r\n\r\npart %d\r\n' % i for i in range(10000))
    deep = ''.join('Content-Type: multipart/mixed; boundary=B%d\r\n\r\n--B%d\r\n' % (i, i)
                   for i in range(1000))
    HOSTILE = [
        ('R-01', 'billion laughs', 'laughs.xml',
         b'<?xml version="1.0"?><!DOCTYPE feedback [<!ENTITY a "aaaaaaaaaa">'
         + b''.join(b'<!ENTITY %c "%s">' % (ord('b') + i, (b'&%c;' % (ord('a') + i)) * 10)
                    for i in range(9))
         + b']><feedback><report_metadata><org_name>&j;</org_name></report_metadata></feedback>',
         'entit'),
        ('R-02', 'external entity to a local file', 'xxe.xml',
         b'<!DOCTYPE feedback [<!ENTITY x SYSTEM "file://%s">]>' % secret.encode()
         + OWN_PASS.split(b'?>', 1)[-1].replace(b'Sample Reporter', b'&x;'), 'DOCTYPE'),
        ('R-03', 'gzip bomb 1000:1 (64 MiB of zeros)', 'bomb.xml.gz',
         gz(b'<feedback>' + b'\0' * (64 << 20)), 'decompressed'),
        ('R-03', 'zip bomb', 'bomb.zip', bombzip.getvalue(), 'decompressed'),
        ('R-03', 'zip of 10,000 members', 'many.zip', manymembers.getvalue(),
         'no .xml or .json member'),
        ('R-03', 'an archive inside an archive', 'nested.zip', zipped(gz(OWN_PASS), 'r.xml'),
         'an archive inside the archive'),
        ('R-03', '1 GiB sparse file', 'sparse.xml', None, 'over the limit'),
        ('R-05', '100,000 records', 'many.xml.gz', gz(head + many + b'</feedback>'),
         'more than 20000 records'),
        ('R-05', 'a count of 2^63', 'count.xml',
         OWN_FAIL.replace(b'<count>1</count>', b'<count>9223372036854775808</count>'),
         'count 9223372036854775808 out of range'),
        ('R-05', 'a date in 2100', 'y2100.xml', fresh(xml_of('outlook.xml'), end=4102444800),
         'is in the future'),
        ('R-07', 'a mail of 10,000 parts', 'parts.eml',
         ('From: a@example.com\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; '
          'boundary=B\r\n\r\n' + parts + '--B--\r\n').encode(),
         'more than 1000 MIME boundary lines'),
        ('R-07', 'a mail of 500 parts', 'parts500.eml',
         ('From: a@example.com\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; '
          'boundary=B\r\n\r\n' + parts[:parts.index('part 500')] + '--B--\r\n').encode(),
         'no report in the first 64'),
        ('R-07', 'a mail 1,000 levels deep', 'deep.eml',
         ('From: a@example.com\r\nMIME-Version: 1.0\r\n' + deep
          + 'Content-Type: text/xml\r\n\r\n<feedback/>\r\n').encode(), 'no report in the first 64'),
        ('R-07', 'bad base64, no closing boundary', 'b64.eml',
         b'From: a@example.com\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; '
         b'boundary=B\r\n\r\n--B\r\nContent-Type: application/gzip\r\n'
         b'Content-Transfer-Encoding: base64\r\n\r\n!!!not base64@@@\r\n', 'bad file b64.eml'),
    ]
    for row, what, name, data, why in HOSTILE:
        hd = tmpdir()
        write(hd, 'good.xml', OWN_PASS)
        if data is None:
            with open(os.path.join(hd, name), 'wb') as f:
                f.truncate(1 << 30)
        else:
            write(hd, name, data)
        r = run('-D', 'rep.example', '--dir', hd, '-v')
        tap.ok(pv(r, 'reports') == '1' and pt(r, 'bad_files') == '1;3;;0'
               and has(r, 'bad file ' + name) and has(r, why)
               and 'R02-SECRET' not in r.out and not os.path.exists('/tmp/evil\x1b.xml'),
               '%s %s: that file bad (%s), the other report counted' % (row, what, why), r)
        check_bounds(tap, r, '%s %s' % (row, what), t=10)
    hd = tmpdir()
    write(hd, 'evil.zip', evilzip.getvalue())
    r = run('-D', 'rep.example', '--dir', hd, '-v')
    tap.ok(pv(r, 'reports') == '1' and has(r, 'zip member ../../../tmp/evil\\x1b.xml') is False
           and not os.path.exists('/tmp/evil\x1b.xml'),
           'R-04 a zip member named ../../../tmp/evil<ESC>.xml: read in memory, nothing written', r)

    # --tls: SMTP TLS reports (RFC 8460), real ones re-dated and moved to
    # the test domain, as .json, .json.gz and a mail (application/tlsrpt+gzip)
    def tls_fresh(name, end=None, rid=None):
        if name.endswith('.eml'):
            msg = email.message_from_bytes(raw(name))
            data = [gzip.decompress(p.get_payload(decode=True)) for p in msg.walk()
                    if (p.get_filename() or '').endswith('.gz')][0]
        else:
            data = raw(name)
        rep = json.loads(data)
        end = NOW - 3600 if end is None else end
        rep['date-range']['end-datetime'] = time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(end))
        for pol in rep['policies']:
            pol['policy']['policy-domain'] = 'rep.example'
        if rid:
            rep['report-id'] = rid
        return json.dumps(rep).encode()

    td = tmpdir()
    write(td, 'fail.json', tls_fresh('tls-smtp_tls.json'))
    write(td, 'mailru.json.gz', gz(tls_fresh('tls-mailru.json')))
    write(td, 'google.eml', mail(gz(tls_fresh('tls-google.eml')), 'google.json.gz',
                                 'application/tlsrpt+gzip'))
    write(td, 'dmarc.xml', OWN_PASS)
    r = run('-D', 'rep.example', '--dir', td, '--tls')
    tap.ok(r.rc == 2 and pv(r, 'reports') == '3' and pv(r, 'failed_sessions') != '0'
           and has(r, 'policy sts, validation-failure: 3 sessions failed')
           and has(r, 'bad file dmarc.xml: an XML report, not an SMTP TLS report'),
           '--tls: real TLS reports in json, gz and a mail; failures by policy and result '
           'type, CRITICAL over 5 %', r)
    tap.ok(pt(r, 'bad_files') == '1;3;;0' and 'tls_success_pct' in r.perf,
           '--tls perfdata: sessions, tls_success_pct, failed_sessions, bad_files', r)
    r = run('-D', 'rep.example', '--dir', td, '--tls', '-w', '50%', '-c', '90%')
    tap.ok(r.rc in (0, 1) and has(r, 'TLS sessions failed'), '--tls -w/-c as percentages', r)
    r = run('-D', 'rep.example', '--dir', tmpdir(), '--tls')
    tap.ok(r.rc == 1 and has(r, 'no TLS report about rep.example')
           and has(r, 'reports not arriving'),
           '--tls: none while _smtp._tls has rua=: WARNING', r)
    r = run('-D', 'norua.example', '--dir', tmpdir(), '--tls')
    tap.ok(r.rc == 0 and has(r, 'asks for none'), '--tls: none and no TLS-RPT record: OK', r)
    td2 = tmpdir()
    deep = b'{"a":' * 100000 + b'1' + b'}' * 100000
    write(td2, 'deep.json', deep)
    write(td2, 'big.json', tls_fresh('tls-smtp_tls.json', rid='big').replace(
        b'"failed-session-count": 2', b'"failed-session-count": 18446744073709551616'))
    write(td2, 'dup.json', tls_fresh('tls-smtp_tls.json', rid='dup')[:-1]
          + b', "report-id": "dup"}')
    write(td2, 'again.json.gz', gz(tls_fresh('tls-smtp_tls.json', rid='dup')))
    r = run('-D', 'rep.example', '--dir', td2, '--tls', '-v')
    tap.ok(pv(r, 'reports') == '1' and has(r, 'bad file deep.json: not valid JSON (nested too deep)')
           and has(r, 'bad file big.json: failed-session-count')
           and has(r, '1 duplicates'),
           'R-09 a TLS report nested 100,000 deep, a count of 2^64, duplicate keys (the last '
           'counts); R-10 the same TLS report twice', r)
    check_bounds(tap, r, 'R-09 TLS reports', t=10)

tap.done()
