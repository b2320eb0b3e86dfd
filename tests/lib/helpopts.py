# SPDX-License-Identifier: GPL-3.0-or-later
"""Parse a plugin's --help into its options (draft: becomes tests/lib/helpopts.py)."""
import re

OPT_LINE = re.compile(r'^ (-[^ ].*)$')
PART = re.compile(r'^(?:-(?P<short>[A-Za-z0-9]), )?(?:--(?P<long>[a-z0-9][a-z0-9-]*))?(?:[= ](?P<arg>\S+))?$')


class Option:
    def __init__(self, short, long, arg):
        self.short = short
        self.long = long
        self.arg = arg
        self.desc = []
        self.repeatable = False

    @property
    def spellings(self):
        s = []
        if self.short:
            s.append('-' + self.short)
        if self.long:
            s.append('--' + self.long)
        return s

    def __repr__(self):
        return 'Option(%s%s%s)' % ('/'.join(self.spellings), '=' + self.arg if self.arg else '',
                                   ' repeatable' if self.repeatable else '')


def parse_help(text):
    """Options listed under "Options:" in order; -h/-V included."""
    opts = []
    lines = text.splitlines()
    usage = ''
    for l in lines:
        if l.startswith('Usage:'):
            usage = l
    try:
        start = lines.index('Options:') + 1
    except ValueError:
        raise ValueError('no "Options:" section in --help')
    cur = []
    for l in lines[start:]:
        if not l.strip():
            break
        m = OPT_LINE.match(l)
        if m:
            cur = []
            for part in m.group(1).split(' / '):
                pm = PART.match(part.strip())
                if not pm or not (pm.group('short') or pm.group('long')):
                    raise ValueError('cannot parse option line %r' % l)
                o = Option(pm.group('short'), pm.group('long'), pm.group('arg'))
                known = [x for x in opts if x.spellings == o.spellings]
                if known:          # dkim lists -w/-c twice: one option
                    cur.append(known[0])
                    continue
                opts.append(o)
                cur.append(o)
        elif l.startswith('    '):
            for o in cur:
                o.desc.append(l.strip())
    # Usage: "[-s ADDRESS]..." or "[--ip=ADDR]..." marks a repeatable option.
    for m in re.finditer(r'\[(-{1,2}[A-Za-z0-9][a-z0-9-]*)[^\]]*\]\.\.\.', usage):
        for o in opts:
            if m.group(1) in o.spellings:
                o.repeatable = True
    return opts
