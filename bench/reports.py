#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""bench/reports.py [DIR [N]]: write N (default 10,000) DMARC aggregate
reports into DIR for bench/reports.sh, made from the real reports of
tests/fixtures/reports (Google, Microsoft, FastMail, RFC 9990's sample,
a 2,286-record one): re-dated to end an hour ago, moved to
bench.example, each with its own report_id, and wrapped in turn as
.xml, .xml.gz, .zip and a mail carrying a zip or a gzip, as receivers
send them. Prints the count of files and bytes."""
import email.message
import gzip
import io
import os
import re
import sys
import time
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
FIX = os.path.join(HERE, '..', 'tests', 'fixtures', 'reports')
NOW = int(time.time())


def xml_of(name):
    data = open(os.path.join(FIX, name), 'rb').read()
    if name.endswith('.gz'):
        return gzip.decompress(data)
    if name.endswith('.eml'):
        msg = email.message_from_bytes(data)
        for part in msg.walk():
            if (part.get_filename() or '').endswith('.zip'):
                with zipfile.ZipFile(io.BytesIO(part.get_payload(decode=True))) as z:
                    return z.read(z.namelist()[0])
    return data


BASES = [xml_of(n) for n in ('outlook.xml', 'rfc9990-sample.xml', 'fastmail.xml.gz',
                             'google.eml', 'upper_cased_pass.xml', 'empty_reason.xml')]
LARGE = xml_of('large-example.xml')


def report(i):
    # one in 500 is the 2,286-record report: a large receiver's day
    xml = LARGE if i % 500 == 0 else BASES[i % len(BASES)]
    end = NOW - 3600 - i
    xml = re.sub(rb'<begin>\s*\d+\s*</begin>', b'<begin>%d</begin>' % (end - 86400), xml)
    xml = re.sub(rb'<end>\s*\d+\s*</end>', b'<end>%d</end>' % end, xml)
    xml = re.sub(rb'(<policy_published>\s*<domain>)[^<]*', rb'\g<1>bench.example', xml)
    xml = re.sub(rb'<report_id>[^<]*', b'<report_id>bench-%d' % i, xml)
    return re.sub(rb'<source_ip>[^<]*', b'<source_ip>192.0.2.%d' % (i % 250), xml, count=1)


def zipped(xml):
    b = io.BytesIO()
    with zipfile.ZipFile(b, 'w', zipfile.ZIP_DEFLATED) as z:
        z.writestr('report.xml', xml)
    return b.getvalue()


def mail(payload, filename, ctype):
    m = email.message.EmailMessage()
    m['From'] = 'noreply-dmarc-support@google.com'
    m['Subject'] = 'Report domain: bench.example'
    m.set_content('This is an aggregate report.')
    maintype, subtype = ctype.split('/')
    m.add_attachment(payload, maintype=maintype, subtype=subtype, filename=filename)
    return m.as_bytes()


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else 'bench/out/reports'
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
    os.makedirs(out, exist_ok=True)
    total = 0
    for i in range(n):
        xml = report(i)
        kind = i % 5
        if kind == 0:
            name, data = '%05d.xml' % i, xml
        elif kind == 1:
            name, data = '%05d.xml.gz' % i, gzip.compress(xml)
        elif kind == 2:
            name, data = '%05d.zip' % i, zipped(xml)
        elif kind == 3:
            name, data = '%05d.eml' % i, mail(zipped(xml), 'r.zip', 'application/zip')
        else:
            name, data = '%05d.eml' % i, mail(gzip.compress(xml), 'r.xml.gz', 'application/gzip')
        with open(os.path.join(out, name), 'wb') as f:
            f.write(data)
        total += len(data)
    print('%d files, %d bytes' % (n, total))


main()
