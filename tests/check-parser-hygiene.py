#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""O-02 (doc/hostile-inputs.md 4.7), parser API hygiene, checked mechanically
over common/ and plugins/ (run by contrib/harden-ci.sh's static phase;
speaks TAP):

- no assert() (rule 5: never on attacker data; the library has no other
  use for it) and no alloca();
- no variable-length arrays: each file compiles with -Wvla -Werror;
- no atoi/atol/atoll/strtol/strtoul/sscanf outside common/numparse.c
  (integers are parsed overflow-safe there, rule 4);
- every parser of DNS- or server-supplied data takes (pointer, length)
  and has a libFuzzer target under tests/fuzz/ that calls it.

usage: check-parser-hygiene.py [CC]   (default: $CC, else cc)
"""
import glob
import os
import re
import shlex
import subprocess
import sys

top = os.environ.get('top_srcdir') or os.path.dirname(
    os.path.dirname(os.path.abspath(__file__)))
build = os.environ.get('top_builddir') or top
cc = shlex.split(sys.argv[1] if len(sys.argv) > 1 else os.environ.get('CC', 'cc'))

# parser -> fuzz target source that must call it (the parsers of
# doc/hostile-inputs.md rule 10)
PARSERS = {
    'spf_record_parse': 'fuzz_spf_parse.c',
    'spf_macro_expand': 'fuzz_spf_macro.c',
    'tag_list_parse': 'fuzz_tagvalue.c',
    'dkim_key_parse': 'fuzz_dkim.c',
    'der_rsa_pub_read': 'fuzz_dkim.c',      # differentially against OpenSSL
    'der_rsa_priv_read': 'fuzz_dkim.c',
    'dmarc_parse': 'fuzz_dmarc.c',
    'resolver_set_transport': 'fuzz_dns_answer.c',  # and fuzz_dns_reply.c
    'smtp_reader_feed': 'fuzz_smtp_reply.c',     # and fuzz_smtp_split.c
    'bimi_parse': 'fuzz_bimi.c',
    'bimi_select': 'fuzz_bimi.c',
    'bimi_url_parse': 'fuzz_bimi.c',
    'svg_tinyps_check': 'fuzz_svg.c',       # libxml2 under it
    'bimi_cert_parse': 'fuzz_vmc.c',        # OpenSSL's PEM and X.509 under it
    'mta_sts_record_select': 'fuzz_mta_sts.c',
    'mta_sts_record_parse': 'fuzz_mta_sts.c',
    'mta_sts_policy_parse': 'fuzz_mta_sts.c',
    'mta_sts_content_type': 'fuzz_mta_sts.c',
    'mta_sts_mx_match': 'fuzz_mta_sts.c',
    'tlsrpt_record_select': 'fuzz_tlsrpt.c',
    'tlsrpt_record_parse': 'fuzz_tlsrpt.c',
    'agg_report_parse': 'fuzz_report.c',    # libxml2's reader under it
    'report_unwrap': 'fuzz_report_mime.c',  # libarchive and GMime under it
    'tls_report_parse': 'fuzz_report_tls.c',  # json-c under it
}

n = 0
bad = 0


def ok(cond, name, diag=''):
    global n, bad
    n += 1
    print('%s %d - %s' % ('ok' if cond else 'not ok', n, name))
    if not cond:
        bad += 1
        for line in str(diag).splitlines()[:20]:
            print('# ' + line)


def strip_comments(text):
    text = re.sub(r'/\*.*?\*/', lambda m: '\n' * m.group(0).count('\n'), text, flags=re.S)
    return re.sub(r'//[^\n]*', '', text)


sources = sorted(glob.glob(os.path.join(top, 'common', '*.c')) +
                 glob.glob(os.path.join(top, 'plugins', '*.c')))
hits = {'assert': [], 'alloca': [], 'atoi': []}
for path in sources:
    rel = os.path.relpath(path, top)
    with open(path, encoding='utf-8', errors='replace') as f:
        lines = strip_comments(f.read()).splitlines()
    for i, line in enumerate(lines, 1):
        if re.search(r'(?<![_A-Za-z])assert\s*\(', line):
            hits['assert'].append('%s:%d: %s' % (rel, i, line.strip()))
        if re.search(r'\balloca\s*\(', line):
            hits['alloca'].append('%s:%d: %s' % (rel, i, line.strip()))
        if rel != os.path.join('common', 'numparse.c') and re.search(
                r'\b(atoi|atol|atoll|strtol|strtoll|strtoul|strtoull|sscanf)\s*\(', line):
            hits['atoi'].append('%s:%d: %s' % (rel, i, line.strip()))
ok(not hits['assert'], 'O-02 no assert() in common/ or plugins/', '\n'.join(hits['assert']))
ok(not hits['alloca'], 'O-02 no alloca() in common/ or plugins/', '\n'.join(hits['alloca']))
ok(not hits['atoi'], 'O-02 integers parsed only through common/numparse.c', '\n'.join(hits['atoi']))

flags = ['-std=c11', '-fsyntax-only', '-Wvla', '-Werror',
         '-iquote', os.path.join(top, 'common'), '-iquote', os.path.join(top, 'plugins'),
         '-I', build]
if os.path.exists(os.path.join(build, 'config.h')):
    flags += ['-include', 'config.h']
# common/svg_tinyps.c includes libxml2's headers, which live in their own
# directory (configure's XML2_CFLAGS).
try:
    flags += shlex.split(subprocess.run(
        ['pkg-config', '--cflags', 'libxml-2.0'], stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL).stdout.decode())
except OSError:
    pass
# common/report_*.c (check_dmarc_reports) include libarchive's, GMime's
# (and so glib's) and json-c's.
try:
    flags += shlex.split(subprocess.run(
        ['pkg-config', '--cflags', 'libarchive', 'gmime-3.0', 'json-c'],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout.decode())
except OSError:
    pass
vla = []
for path in sources:
    r = subprocess.run(cc + flags + [path], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, cwd=build)
    if r.returncode != 0:
        vla.append(r.stdout.decode('utf-8', 'replace'))
ok(not vla, 'O-02 no variable-length array (%d files compiled with -Wvla)' % len(sources),
   '\n'.join(vla))

fuzzdir = os.path.join(top, 'tests', 'fuzz')
for fn, target in sorted(PARSERS.items()):
    declared = any(re.search(r'\b%s\s*\(' % fn, open(h, errors='replace').read())
                   for h in glob.glob(os.path.join(top, 'common', '*.h')))
    if not declared:
        print('ok %d - O-02 %s has a fuzz target # SKIP not in this tree yet' % (n + 1, fn))
        n += 1
        continue
    tpath = os.path.join(fuzzdir, target)
    called = os.path.exists(tpath) and re.search(r'\b%s\s*\(' % fn, open(tpath).read())
    ok(bool(called), 'O-02 %s has a fuzz target (tests/fuzz/%s)' % (fn, target))

print('1..%d' % n)
sys.exit(0)
