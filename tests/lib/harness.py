# SPDX-License-Identifier: GPL-3.0-or-later
"""Test rig for the integration tests: TAP output, a real NSD on loopback,
running the built plugins, keys for DKIM.

Python 3 standard library only; the external tools are Debian's nsd,
ldnsutils and openssl. Every test file:

    import sys, os
    sys.path.insert(0, os.path.join(os.environ.get('top_srcdir', '.'), 'tests', 'lib'))
    from harness import TAP, Nsd, run_plugin
    tap = TAP()
    with Nsd({'example.com': 'mail A 192.0.2.1\\n@ MX 10 mail\\n'}) as ns:
        r = run_plugin('check_mx', '-D', 'example.com', server=ns)
        tap.ok(r.rc == 0, 'MX OK', r)
    tap.done()

Zone text is given WITHOUT $ORIGIN, $TTL, SOA and apex NS: the rig adds
them (and ns.<zone> A 127.0.0.1 when the text has no apex NS).

API:
  TAP(): ok(cond, name, result=None) -> bool, is_(got, expected, name,
      result=None), skip(name, reason), diag(text), done(). A crash (also
      in a thread) or a missing done() becomes a `not ok`.
  Nsd(zones, extra_conf=None): context manager or start()/stop();
      .host .port .zones (name -> zone file) .zone_texts .logfile .dir
      .conf .pid. Reusable; several may serve the same zones.
  run_plugin(name, *args, server=None, timeout=30, env=None, stdin=None)
      -> Result: .rc (None if killed at timeout; 127 if not built) .out
      .err .first .status (first line without perfdata) .lines .long
      .perf {label: value with UOM} .perfdata .wall .maxrss_kb .cmd
      .timed_out .describe(). $MAILDNS_VALGRIND prefixes the command.
  run_cmd(cmd, timeout=30, env=None, stdin=None) -> Result (any command).
  free_port(), tmpdir(), fixture(*parts), plugin_path(name),
  genkey_rsa(bits) / genkey_ed25519() -> (private PEM path, p= base64),
  pubkey_b64(pem), dkim_txt(p, k='rsa', extra='') -> [strings <= 255 B],
  txt_rdata(str or list) -> zone-file TXT data, split_txt(data),
  zone_text(zone, body), dns_query(name, qtype, port) (a raw UDP probe).
"""

import atexit
import base64
import os
import random
import re
import shlex
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import traceback

HOST = '127.0.0.1'
NSD_SEARCH = ('/usr/sbin', '/usr/local/sbin', '/sbin', '/usr/bin')

_HERE = os.path.dirname(os.path.abspath(__file__))
_REPO = os.path.dirname(os.path.dirname(_HERE))


def top_srcdir():
    return os.environ.get('top_srcdir') or _REPO


def top_builddir():
    return os.environ.get('top_builddir') or _REPO


def fixture(*parts):
    """Path of a file under tests/fixtures (source tree)."""
    return os.path.join(top_srcdir(), 'tests', 'fixtures', *parts)


# --------------------------------------------------------------------------
# TAP

class TAP:
    """TAP producer. An uncaught exception in the test file becomes a
    `not ok` (with the traceback as diagnostics) followed by the plan, so a
    crash is counted as a failure and never as a silently shorter run."""

    def __init__(self):
        self.n = 0
        self.failed = 0
        self._done = False
        self._lock = threading.Lock()
        sys.excepthook = self._excepthook
        threading.excepthook = self._thread_excepthook
        atexit.register(self._atexit)

    @staticmethod
    def _print(line):
        sys.stdout.write(line + '\n')
        sys.stdout.flush()

    def diag(self, text):
        for line in str(text).splitlines() or ['']:
            self._print('# ' + line)

    def ok(self, cond, name, result=None):
        """One test case. On failure print a few diagnostic lines about
        `result` (a run_plugin result, or anything printable)."""
        name = _one_line(name)
        with self._lock:
            self.n += 1
            if cond:
                self._print('ok %d - %s' % (self.n, name))
                # MAILDNS_TEST_SHOW=1: the plugin runs behind passing
                # cases too, as TAP comments (what a test saw, for a
                # report or a review), never needed for a verdict.
                if os.environ.get('MAILDNS_TEST_SHOW') and isinstance(result, Result):
                    self.diag(result.describe())
                return True
            self.failed += 1
            self._print('not ok %d - %s' % (self.n, name))
            if result is not None:
                if isinstance(result, Result):
                    self.diag(result.describe())
                else:
                    self.diag(_clip(str(result), 40))
        return False

    def is_(self, got, expected, name, result=None):
        """ok(got == expected) with both values in the diagnostics."""
        if got == expected:
            return self.ok(True, name)
        extra = 'got:      %r\nexpected: %r' % (got, expected)
        if result is not None:
            extra += '\n' + str(result)
        return self.ok(False, name, extra)

    def skip(self, name, reason):
        self.n += 1
        self._print('ok %d - %s # SKIP %s' % (self.n, _one_line(name),
                                             _one_line(reason)))

    def done(self):
        """Print the plan. Exit status stays 0 on failures: the TAP driver
        counts them. Under $MAILDNS_VALGRIND, when plugins ran, one more
        case says whether any run had a valgrind error (O-04), so an error
        fails the file even where a case did not look at the exit
        status."""
        if not self._done:
            if valgrind_prefix() and VALGRIND['runs']:
                bad = VALGRIND['errors']
                self.ok(not bad, 'O-04 valgrind: no memory error or leak in %d plugin runs'
                        % VALGRIND['runs'], '\n\n'.join(bad[:3]) or None)
            self._done = True
            self._print('1..%d' % self.n)

    def _excepthook(self, etype, value, tb):
        self.n += 1
        self.failed += 1
        self._print('not ok %d - test script crashed: %s' % (
            self.n, _one_line('%s: %s' % (etype.__name__, value))))
        self.diag(''.join(traceback.format_exception(etype, value, tb)))
        self.done()
        sys.stdout.flush()

    def _thread_excepthook(self, args):
        # A helper thread (a fake server, a reader) that dies is a broken
        # test: count it rather than leave a traceback on stderr only.
        if args.exc_type is SystemExit:
            return
        self.ok(False, 'exception in thread %s: %s: %s' % (
            args.thread.name if args.thread else '?', args.exc_type.__name__,
            args.exc_value), ''.join(traceback.format_exception(
                args.exc_type, args.exc_value, args.exc_traceback)))

    def _atexit(self):
        # A script that forgot done() (or exited early) still gets a plan,
        # and an early exit is recorded as a failure.
        if not self._done:
            self.n += 1
            self.failed += 1
            self._print('not ok %d - test script ended without done()' % self.n)
            self.done()


def _one_line(s):
    """A test name on one line, without '#' (it would start a directive)."""
    return ' '.join(str(s).replace('#', ' ').split())


def _clip(text, max_lines, width=300):
    lines = text.splitlines()
    out = [l[:width] + ('...' if len(l) > width else '') for l in lines[:max_lines]]
    if len(lines) > max_lines:
        out.append('... (%d more lines)' % (len(lines) - max_lines))
    return '\n'.join(out)


# --------------------------------------------------------------------------
# temporary directories and ports

_tmpdirs = []


def _cleanup_tmpdirs():
    if os.environ.get('MAILDNS_KEEP_TMP'):
        return
    for d in _tmpdirs:
        shutil.rmtree(d, ignore_errors=True)


atexit.register(_cleanup_tmpdirs)


def tmpdir():
    """A fresh directory, removed when the test process exits (kept when
    $MAILDNS_KEEP_TMP is set, for debugging)."""
    d = tempfile.mkdtemp(prefix='maildns-test-')
    _tmpdirs.append(d)
    return d


def free_port(host=HOST):
    """A port that is free for both UDP and TCP on host right now. Someone
    else may take it before we use it: callers retry on bind failure."""
    for _ in range(50):
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            u.bind((host, 0))
            port = u.getsockname()[1]
            try:
                t.bind((host, port))
            except OSError:
                continue
            return port
        finally:
            u.close()
            t.close()
    raise RuntimeError('no free UDP+TCP port on %s' % host)


# --------------------------------------------------------------------------
# a minimal DNS client (only to see that NSD is up, and for tests that want
# to look at a raw answer without ldns)

TYPES = {'A': 1, 'NS': 2, 'CNAME': 5, 'SOA': 6, 'PTR': 12, 'MX': 15,
         'TXT': 16, 'AAAA': 28, 'SPF': 99}


def encode_name(name):
    out = b''
    for label in name.rstrip('.').split('.'):
        if label:
            b = label.encode('ascii')
            out += bytes([len(b)]) + b
    return out + b'\0'


def build_query(name, qtype='A', qid=None, rd=False):
    if qid is None:
        qid = random.randrange(65536)
    qt = TYPES[qtype] if isinstance(qtype, str) else int(qtype)
    flags = 0x0100 if rd else 0
    return (struct.pack('!HHHHHH', qid, flags, 1, 0, 0, 0)
            + encode_name(name) + struct.pack('!HH', qt, 1))


def dns_query(name, qtype='A', port=53, host=HOST, timeout=1.0):
    """One UDP query. Returns (rcode, ancount, aa, raw reply) or None when
    nothing (matching) came back in time."""
    q = build_query(name, qtype)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        s.settimeout(timeout)
        s.connect((host, port))
        s.send(q)
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            s.settimeout(left)
            try:
                r = s.recv(65535)
            except (socket.timeout, ConnectionRefusedError):
                return None
            if len(r) >= 12 and r[:2] == q[:2] and r[2] & 0x80:
                flags = struct.unpack('!H', r[2:4])[0]
                return (flags & 0xF, struct.unpack('!H', r[6:8])[0],
                        bool(flags & 0x0400), r)
    finally:
        s.close()


# --------------------------------------------------------------------------
# NSD

def _find_prog(name, search=NSD_SEARCH):
    for d in search:
        p = os.path.join(d, name)
        if os.access(p, os.X_OK):
            return p
    p = shutil.which(name)
    if p:
        return p
    raise RuntimeError('%s not found (install the Debian package nsd)' % name)


_live_nsd = set()


@atexit.register
def _kill_leftover_nsd():
    for ns in list(_live_nsd):
        ns.stop()


_OWNER_RE = re.compile(r'^(\S+)')
_TYPE_NS_RE = re.compile(r'^(?:\S+)?\s+(?:\d+\s+)?(?:IN\s+)?(?:\d+\s+)?NS\s',
                         re.IGNORECASE)


def _has_apex_ns(zone, text):
    """True if the zone text has an NS record at the apex (owner @, the
    zone name, or inherited from the previous apex owner)."""
    owner = '@'
    apex = ('@', zone + '.')
    for raw in text.splitlines():
        line = raw.split(';', 1)[0]
        if not line.strip() or line.lstrip().startswith('$'):
            continue
        m = _OWNER_RE.match(line)
        if m and not line[0].isspace():
            owner = m.group(1).lower()
        if owner in apex and _TYPE_NS_RE.match(line):
            return True
    return False


def zone_text(zone, body):
    """The full zone file the rig writes for `zone` with `body`."""
    zone = zone.rstrip('.')
    head = ['$ORIGIN %s.' % zone, '$TTL 300',
            '@ IN SOA ns.%s. hostmaster.%s. 1 3600 900 604800 300' % (zone, zone)]
    if not _has_apex_ns(zone.lower(), body):
        head += ['@ IN NS ns.%s.' % zone, 'ns.%s. IN A 127.0.0.1' % zone]
    if body and not body.endswith('\n'):
        body += '\n'
    return '\n'.join(head) + '\n' + body


class Nsd:
    """A real NSD on 127.0.0.1 with the given zones (dict zone name ->
    zone text, str or bytes, without $ORIGIN/$TTL/SOA/NS). Use as a
    context manager or call start()/stop() (start again after stop gets a
    new port). Several instances may serve the same zones on different
    ports. extra_conf: nsd.conf lines added to the server: section.
    A zone nsd-checkzone rejects raises ValueError with its message.

    Attributes: port, host, zones (zone name -> zone file path),
    zone_texts (zone name -> full text written), logfile, dir, conf.
    """

    START_TIMEOUT = 10.0

    def __init__(self, zones, extra_conf=None):
        self.host = HOST
        self.port = None
        self.proc = None
        self.extra_conf = extra_conf
        self.dir = tmpdir()
        self.conf = os.path.join(self.dir, 'nsd.conf')
        self.logfile = os.path.join(self.dir, 'nsd.log')
        # NSD's own stdout/stderr (start-up errors before the log is open);
        # a file, not a pipe nobody reads while NSD runs.
        self.outfile = os.path.join(self.dir, 'nsd.out')
        self.zones = {}
        self.zone_texts = {}
        self.nsd = _find_prog('nsd')
        checkzone = _find_prog('nsd-checkzone')
        for i, (name, body) in enumerate(zones.items()):
            name = name.rstrip('.')
            if isinstance(body, bytes):     # raw bytes for hostile records
                body = body.decode('utf-8', 'surrogateescape')
            path = os.path.join(self.dir, 'zone%d.zone' % i)
            text = zone_text(name, body)
            with open(path, 'w', encoding='utf-8', errors='surrogateescape') as f:
                f.write(text)
            r = subprocess.run([checkzone, name, path], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, timeout=30)
            if r.returncode != 0:
                raise ValueError('zone %s is bad: %s\n--- zone file ---\n%s' % (
                    name, r.stdout.decode('utf-8', 'replace').strip(), text))
            self.zones[name] = path
            self.zone_texts[name] = text

    def _write_conf(self, port):
        d = self.dir
        lines = ['server:',
                 '  ip-address: %s@%d' % (self.host, port),
                 '  do-ip4: yes',
                 '  do-ip6: no',
                 '  zonesdir: "%s"' % d,
                 '  pidfile: "%s/nsd.pid"' % d,
                 '  database: ""',
                 '  xfrdfile: "%s/xfrd.state"' % d,
                 '  zonelistfile: "%s/zone.list"' % d,
                 '  username: ""',
                 '  chroot: ""',
                 '  logfile: "%s"' % self.logfile,
                 '  verbosity: 0',
                 '  server-count: 1',
                 '  hide-version: yes',
                 '  identity: "maildns-test"',
                 '  reuseport: no',
                 # Response rate limiting would truncate or drop answers
                 # when a suite asks one name many times from 127.0.0.1.
                 '  rrl-ratelimit: 0']
        if self.extra_conf:
            # Options for the server: section; a line "name:" at column 0
            # starts another section (e.g. a pattern:), kept as written.
            for l in self.extra_conf.splitlines():
                if not l.strip():
                    continue
                header = not l[0].isspace() and l.rstrip().endswith(':')
                lines.append(l if header or l[0].isspace() else '  ' + l)
        lines += ['remote-control:', '  control-enable: no']
        for name, path in self.zones.items():
            lines += ['zone:', '  name: "%s"' % name,
                      '  zonefile: "%s"' % path]
        with open(self.conf, 'w') as f:
            f.write('\n'.join(lines) + '\n')

    @staticmethod
    def _read(path):
        try:
            with open(path, errors='replace') as f:
                return f.read()
        except OSError:
            return ''

    def _up(self):
        for name in self.zones:
            r = dns_query(name, 'SOA', self.port, self.host, timeout=0.2)
            if r is None or r[0] != 0 or r[1] < 1:
                return False
        if not self.zones:
            return dns_query('.', 'SOA', self.port, self.host, 0.2) is not None
        return True

    def start(self):
        if self.proc is not None:
            return self
        last = ''
        for _attempt in range(5):
            self.port = free_port(self.host)
            self._write_conf(self.port)
            try:
                os.unlink(self.logfile)
            except OSError:
                pass
            with open(self.outfile, 'wb') as out:
                self.proc = subprocess.Popen(
                    [self.nsd, '-d', '-c', self.conf], stdin=subprocess.DEVNULL,
                    stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
            _live_nsd.add(self)
            deadline = time.monotonic() + self.START_TIMEOUT
            while time.monotonic() < deadline:
                if self.proc.poll() is not None:
                    break
                if self._up():
                    return self
                time.sleep(0.02)
            self.stop()
            last = (self._read(self.outfile) + self._read(self.logfile)).strip()
            # Port stolen between free_port() and NSD's bind: try another.
            if 'bind' not in last.lower() and 'address already in use' not in last.lower():
                break
        raise RuntimeError('nsd did not start (port %s): %s' % (self.port, last))

    def stop(self):
        p = self.proc
        if p is None:
            return
        self.proc = None
        _live_nsd.discard(self)
        if p.poll() is None:
            # NSD -d forks a server child and an xfrd; signal the group.
            try:
                os.killpg(p.pid, signal.SIGTERM)
            except OSError:
                p.terminate()
            try:
                p.wait(timeout=2)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(p.pid, signal.SIGKILL)
                except OSError:
                    p.kill()
                p.wait()
        # Children left in the group (they exit with the parent normally).
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except OSError:
            pass

    @property
    def pid(self):
        return self.proc.pid if self.proc else None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
        return False


# --------------------------------------------------------------------------
# running plugins

class Result:
    """What one plugin run gave."""

    def __init__(self, cmd, rc, out, err, wall, maxrss_kb, timed_out=False):
        self.cmd = cmd
        self.rc = rc
        self.out = out
        self.err = err
        self.wall = wall
        self.maxrss_kb = maxrss_kb
        self.timed_out = timed_out
        self.valgrind_error = False     # set by run_plugin under valgrind
        self.lines = out.splitlines()
        self.first = self.lines[0] if self.lines else ''
        self.status = self.first.split('|', 1)[0].rstrip()
        self.perfdata = self.first.split('|', 1)[1].strip() if '|' in self.first else ''
        self.perf = parse_perfdata(self.perfdata)
        self.long = []
        for l in self.lines[1:]:
            if l.lstrip().startswith('|'):
                break
            self.long.append(l)
        while self.long and not self.long[-1].strip():
            self.long.pop()

    def describe(self):
        parts = ['cmd: ' + ' '.join(shlex.quote(c) for c in self.cmd),
                 'rc: %s%s  wall: %.3fs  maxrss: %s kB' % (
                     self.rc, ' (killed: harness timeout)' if self.timed_out else
                     ' (valgrind error)' if self.rc == VALGRIND_RC and valgrind_prefix() else '',
                     self.wall, self.maxrss_kb)]
        parts += ['stdout: ' + l for l in _clip(self.out, 12).splitlines()] or ['stdout: (empty)']
        if self.err.strip():
            parts += ['stderr: ' + l for l in _clip(self.err, 8).splitlines()]
        return '\n'.join(parts)

    def __str__(self):
        return self.describe()

    __repr__ = __str__


def parse_perfdata(text):
    """'a=1s;2;3 'b c'=4%' -> {'a': '1s', 'b c': '4%'}"""
    perf = {}
    i, n = 0, len(text)
    while i < n:
        while i < n and text[i].isspace():
            i += 1
        if i >= n:
            break
        if text[i] == "'":
            j = text.find("'", i + 1)
            while j != -1 and j + 1 < n and text[j + 1] == "'":   # '' escapes '
                j = text.find("'", j + 2)
            if j == -1:
                break
            label = text[i + 1:j].replace("''", "'")
            i = j + 1
            if i >= n or text[i] != '=':
                # malformed; skip the token
                while i < n and not text[i].isspace():
                    i += 1
                continue
        else:
            j = i
            while j < n and text[j] != '=' and not text[j].isspace():
                j += 1
            label = text[i:j]
            i = j
            if i >= n or text[i] != '=':
                continue
        i += 1
        j = i
        while j < n and not text[j].isspace():
            j += 1
        perf[label] = text[i:j].split(';', 1)[0]
        i = j
    return perf


def plugin_path(name):
    return os.path.join(top_builddir(), 'plugins', name)


def valgrind_prefix():
    v = os.environ.get('MAILDNS_VALGRIND', '').strip()
    return shlex.split(v) if v else []


def wall_slack():
    """Seconds a deadline check allows beyond -t under valgrind: its own
    start-up, slowdown and leak check at exit are in the wall time of a
    run, not the plugin's deadline (0 without valgrind)."""
    return 3.0 if valgrind_prefix() else 0.0


# Exit status valgrind is told to use for its errors (--error-exitcode);
# the plugins themselves exit 0..3.
VALGRIND_RC = 99
VALGRIND = {'runs': 0, 'errors': []}


def _valgrind_note(result):
    """Count a run under valgrind; remember it when valgrind reported."""
    VALGRIND['runs'] += 1
    if result.rc == VALGRIND_RC:
        result.valgrind_error = True
        VALGRIND['errors'].append(result.describe())


# Catalogue acceptance bounds (doc/hostile-inputs.md 2).
MAX_RSS_KB = 64 * 1024


def check_bounds(tap, r, row, t=None, server=None, max_queries=None):
    """One TAP case for the catalogue's common bounds of a hostile run:
    a plugin exit status (no crash), peak RSS under 64 MiB, wall time
    within t + 1 s when t (-t) is given, and when server is a fault server
    with a query log (tests/lib/dnsserver.py: .queries) at most
    max_queries queries received. RSS and time are not checked under
    valgrind (they measure valgrind). Returns the case's result."""
    why = []
    if r.rc not in (0, 1, 2, 3):
        why.append('exit status %r' % r.rc)
    vg = bool(valgrind_prefix())
    if not vg and r.maxrss_kb >= MAX_RSS_KB:
        why.append('peak RSS %d kB' % r.maxrss_kb)
    if not vg and t is not None and r.wall > t + 1:
        why.append('%.2fs > -t %s + 1' % (r.wall, t))
    n = None
    if server is not None and max_queries is not None:
        n = len(server.queries)
        if n > max_queries:
            why.append('%d DNS queries > %d' % (n, max_queries))
    name = '%s bounds: rss %s kB < %d kB%s%s' % (
        row, r.maxrss_kb, MAX_RSS_KB,
        '' if n is None else ', %d queries <= %d' % (n, max_queries),
        '' if t is None else ', wall <= %s s' % (t + 1))
    return tap.ok(not why, name, (r.describe() + '\n' + '; '.join(why)) if why else None)


def run_plugin(name, *args, server=None, timeout=30, env=None, stdin=None):
    """Run the built plugin `name` with args (and `-s HOST -p PORT` when
    `server` is given). Never raises for the plugin's own behaviour: a
    missing binary gives rc 127, a run over `timeout` s is killed (rc None,
    .timed_out True). `env` entries are added to os.environ."""
    path = plugin_path(name)
    cmd = valgrind_prefix() + [path] + [str(a) for a in args]
    if server is not None:
        cmd += ['-s', server.host, '-p', str(server.port)]
    if valgrind_prefix():
        timeout *= 10
    if not os.access(path, os.X_OK):
        return Result(cmd, 127, '', 'plugin not built: %s\n' % path, 0.0, 0)
    full_env = dict(os.environ)
    full_env.setdefault('LC_ALL', 'C')
    if env:
        full_env.update({k: str(v) for k, v in env.items()})
    r = run_cmd(cmd, timeout=timeout, env=full_env, stdin=stdin)
    if valgrind_prefix():
        _valgrind_note(r)
    return r


def maxrss_helper():
    """tests/rig/maxrss (built by make check) or None."""
    p = os.path.join(top_builddir(), 'tests', 'rig', 'maxrss')
    return p if os.access(p, os.X_OK) else None


def run_cmd(cmd, timeout=30, env=None, stdin=None):
    """Run cmd; measure wall time and the child's own peak RSS. The RSS
    comes from tests/rig/maxrss when built (exact); without it, from
    wait4(), which also counts the pages the child inherited from this
    Python process (an overestimate of ~15 MB)."""
    helper = maxrss_helper()
    rssfile = None
    argv = list(cmd)
    if helper:
        fd, rssfile = tempfile.mkstemp(prefix='maildns-rss-')
        os.close(fd)
        argv = [helper, rssfile] + argv
    t0 = time.monotonic()
    p = subprocess.Popen(argv, stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                         start_new_session=True)
    bufs = {'out': [], 'err': []}

    def reader(stream, key):
        for chunk in iter(lambda: stream.read(65536), b''):
            bufs[key].append(chunk)
        stream.close()

    threads = [threading.Thread(target=reader, args=(p.stdout, 'out'), daemon=True),
               threading.Thread(target=reader, args=(p.stderr, 'err'), daemon=True)]
    for t in threads:
        t.start()
    if stdin is not None:
        try:
            p.stdin.write(stdin if isinstance(stdin, bytes) else stdin.encode())
            p.stdin.close()
        except OSError:
            pass
    status = {}

    def waiter():
        _pid, st, ru = os.wait4(p.pid, 0)
        status['st'] = st
        status['ru'] = ru
        status['t'] = time.monotonic()

    w = threading.Thread(target=waiter, daemon=True)
    w.start()
    w.join(timeout)
    timed_out = False
    if w.is_alive():
        timed_out = True
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except OSError:
            pass
        w.join()
    p.returncode = 0    # reaped by wait4 above; keep Popen from waiting again
    for t in threads:
        t.join(5)
    st = status['st']
    rc = None if timed_out else (os.WEXITSTATUS(st) if os.WIFEXITED(st)
                                 else -os.WTERMSIG(st))
    out = b''.join(bufs['out']).decode('utf-8', 'surrogateescape')
    err = b''.join(bufs['err']).decode('utf-8', 'surrogateescape')
    maxrss = status['ru'].ru_maxrss
    if rssfile:
        try:
            with open(rssfile) as f:
                maxrss = int(f.read().strip() or maxrss)
        except (OSError, ValueError):
            pass
        os.unlink(rssfile)
    return Result(cmd, rc, out, err, status['t'] - t0, maxrss, timed_out)


# --------------------------------------------------------------------------
# keys (DKIM, demo)

def _openssl(*args):
    r = subprocess.run(['openssl'] + list(args), stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=300)
    if r.returncode != 0:
        raise RuntimeError('openssl %s failed: %s' % (
            ' '.join(args), r.stderr.decode('utf-8', 'replace')))
    return r.stdout


def genkey_rsa(bits=2048, directory=None):
    """New RSA key. Returns (private key PEM path, base64 of the DER
    SubjectPublicKeyInfo) -- the DKIM p= value (RFC 6376 3.6.1)."""
    d = directory or tmpdir()
    path = os.path.join(d, 'rsa%d-%s.pem' % (bits, os.urandom(4).hex()))
    _openssl('genpkey', '-algorithm', 'RSA', '-pkeyopt',
             'rsa_keygen_bits:%d' % bits, '-out', path)
    return path, pubkey_b64(path)


def pubkey_b64(pem_path):
    """base64 of the DER SubjectPublicKeyInfo of a private (or public) key
    file: the DKIM p= value for k=rsa."""
    der = _openssl('pkey', '-in', pem_path, '-pubout', '-outform', 'DER')
    return base64.b64encode(der).decode('ascii')


def genkey_ed25519(directory=None):
    """New Ed25519 key. Returns (private key PEM path, base64 of the raw
    32-byte public key) -- the DKIM p= value for k=ed25519 (RFC 8463 4.2)."""
    d = directory or tmpdir()
    path = os.path.join(d, 'ed25519-%s.pem' % os.urandom(4).hex())
    _openssl('genpkey', '-algorithm', 'ed25519', '-out', path)
    der = _openssl('pkey', '-in', path, '-pubout', '-outform', 'DER')
    return path, base64.b64encode(der[-32:]).decode('ascii')


def split_txt(data, size=255):
    """Split a record into character-strings of at most `size` bytes."""
    b = data.encode('utf-8') if isinstance(data, str) else data
    parts = [b[i:i + size] for i in range(0, len(b), size)] or [b'']
    return [p.decode('utf-8', 'surrogateescape') for p in parts]


def txt_rdata(strings):
    """Zone-file TXT data: each string quoted, '"' and '\\' escaped. Takes
    a list of strings or one string (split at 255 bytes)."""
    if isinstance(strings, (str, bytes)):
        strings = split_txt(strings)
    return ' '.join('"%s"' % s.replace('\\', '\\\\').replace('"', '\\"')
                    for s in strings)


def dkim_txt(p_b64, k='rsa', extra=''):
    """The TXT strings (each <= 255 bytes) of a DKIM key record
    `v=DKIM1; k=<k>; <extra>; p=<p_b64>`. Zone line:
    'default._domainkey TXT ' + txt_rdata(dkim_txt(p))."""
    tags = ['v=DKIM1', 'k=' + k]
    extra = extra.strip().strip(';').strip()
    if extra:
        tags.append(extra)
    tags.append('p=' + p_b64)
    return split_txt('; '.join(tags))
