#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The Icinga 2 definitions (contrib/icinga2/) in the real engine.

1. `icinga2 daemon -C` validates a standalone config that includes the
   ITL, contrib/icinga2/maildns.conf and the apply rules of
   contrib/icinga2/services.conf verbatim, for a host whose
   vars.mail_domains dictionary marks a domain parked (its services get
   maildns_*_parked, read back from Icinga's object file).
   The sample for distributed monitoring (contrib/icinga2/distributed.conf)
   validates as its comment lays it out: on a master (zones.d with the
   CheckCommands and apply rules in global-templates, the sample in the
   satellite's zone; services land in that zone; an agent host's
   services get its command_endpoint) and on the satellite (the same
   files where the config sync puts them, DataDir/api/zones).
   README, the sample files and the CheckCommands spell the custom
   variables one way (mail_domains), and the DNS-server variable says to
   use a recursive resolver.
2. A short-lived Icinga 2 (own config, state and run directories, run as
   the user running the test, only the checker, a file logger and a Graphite writer) executes
   every service those apply rules make for two hosts: one serving the
   demo domain (all OK), one a domain with no records (all CRITICAL),
   asking a real NSD on loopback. The test reads back what Icinga
   recorded: state, output and performance data from the state file
   Icinga writes on shutdown, and the performance data as Icinga parsed
   it from the Graphite lines it sends to a socket of ours. Icinga's log
   must hold no perfdata warning ("Ignoring invalid perfdata").

Icinga 2 comes from Debian (icinga2-bin, icinga2-common: installed by
contrib/install-deps.sh); without it every case is skipped.
"""

import grp
import json
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.environ.get('top_srcdir', '.'), 'tests', 'lib'))
from harness import TAP, Nsd, tmpdir, top_srcdir, top_builddir, parse_perfdata  # noqa: E402
import ecofix  # noqa: E402

tap = TAP()
ICINGA2 = shutil.which('icinga2') or '/usr/sbin/icinga2'
CONF = os.path.join(top_srcdir(), 'contrib', 'icinga2', 'maildns.conf')
SERVICES = os.path.join(top_srcdir(), 'contrib', 'icinga2', 'services.conf')
DISTRIBUTED = os.path.join(top_srcdir(), 'contrib', 'icinga2', 'distributed.conf')
OPTIONAL_SERVICES = os.path.join(top_srcdir(), 'contrib', 'icinga2', 'services-optional.conf')
# services-optional.conf: service name, CheckCommand, the domain's
# setting that asks for it, and the variable it must set from it.
OPTIONAL = [('mta-sts', 'maildns_mta_sts', 'mta_sts = true', None),
            ('tlsrpt', 'maildns_tlsrpt', 'tlsrpt = true', None),
            ('bimi', 'maildns_bimi', 'bimi_selector = "brand"', ('maildns_bimi_selector', 'brand')),
            ('dmarc-reports', 'maildns_dmarc_reports', 'dmarc_reports_dir = "/srv/dmarc/Maildir"',
             ('maildns_dmarc_reports_dir', '/srv/dmarc/Maildir'))]
README = os.path.join(top_srcdir(), 'README.md')
RUN_LIMIT = 90          # seconds for all checks to come in
NOPORT_HOST = 'noport.example.com'


def q(s):
    """An Icinga 2 string literal."""
    return '"%s"' % str(s).replace('\\', '\\\\').replace('"', '\\"')


class Instance:
    """Directories and -D defines of one private Icinga 2 instance."""

    def __init__(self, node='maildns-test', zone=None):
        self.node, self.zone = node, zone or node
        self.dir = tmpdir()
        for d in ('data', 'log', 'cache', 'spool', 'run'):
            os.makedirs(os.path.join(self.dir, d))
        self.conf = os.path.join(self.dir, 'icinga2.conf')
        self.log = os.path.join(self.dir, 'log', 'icinga2.log')
        self.state = os.path.join(self.dir, 'data', 'icinga2.state')
        d = self.dir
        # Run as whoever runs the test (root in CI): no privilege drop.
        defs = {'RunAsUser': pwd.getpwuid(os.getuid()).pw_name,
                'RunAsGroup': grp.getgrgid(os.getgid()).gr_name, 'ConfigDir': d,
                'DataDir': d + '/data', 'LogDir': d + '/log', 'CacheDir': d + '/cache',
                'SpoolDir': d + '/spool', 'InitRunDir': d + '/run',
                'PidPath': d + '/run/icinga2.pid', 'StatePath': self.state,
                'ModAttrPath': d + '/data/modified-attributes.conf',
                'ObjectsPath': d + '/cache/icinga2.debug',
                'VarsPath': d + '/cache/icinga2.vars', 'ZonesDir': d + '/zones.d'}
        self.defines = ['-D%s=%s' % kv for kv in defs.items()]

    def argv(self, *extra):
        return [ICINGA2, 'daemon', '-c', self.conf] + self.defines + list(extra)

    def write(self, body, include_conf=True):
        plugins = os.path.join(top_builddir(), 'plugins')
        head = ['const PluginDir = %s' % q(plugins),
                'const PluginContribDir = %s' % q(plugins),
                'const ManubulonPluginDir = PluginDir',
                'const NodeName = %s' % q(self.node),
                'const ZoneName = %s' % q(self.zone),
                'const TicketSalt = ""',
                'include <itl>', 'include <plugins>']
        if include_conf:
            head.append('include %s' % q(CONF))
        with open(self.conf, 'w') as f:
            f.write('\n'.join(head) + '\n' + body)


def services_conf(interval, built):
    """contrib/icinga2/services.conf with its check intervals shortened
    (the rules themselves verbatim), so that checks run at once, and
    without the rules of plugins not built in this tree."""
    with open(SERVICES) as f:
        text = f.read()
    for name, _prefix in ecofix.PLUGINS:
        if name not in built:
            text, n = re.subn(r'\napply Service "%s " for .*?\n\}\n' % name[len('check_'):], '\n',
                              text, flags=re.S)
            if n != 1:
                raise RuntimeError('services.conf: no apply rule for %s' % name)
    text, n = re.subn(r'(check_interval|retry_interval) = \w+', r'\1 = %s' % interval, text)
    if n != 2:
        raise RuntimeError('services.conf: expected one check_interval and retry_interval')
    return text


def host(name, domains, port, parked=()):
    """A host whose checks ask 127.0.0.1, on `port` (None: no
    mail_dns_port, so the plugins' default 53); the domains in `parked`
    are marked so in its vars.mail_domains dictionary."""
    return '''object Host %s {
	check_command = "dummy"
	enable_active_checks = false
	vars.mail_domains = { %s }
	vars.mail_dns_servers = [ "127.0.0.1" ]
%s}
''' % (q(name), ', '.join('%s = %s' % (q(d), '{ parked = true }' if d in parked else '{}') for d in domains),
       '\tvars.mail_dns_port = %d\n' % port if port else '')


def read_objects(path):
    """Icinga's object file (netstrings of JSON, written by daemon -C):
    {(type, full name, e.g. host!service): properties}."""
    with open(path, 'rb') as f:
        data = f.read()
    out, i = {}, 0
    while i < len(data):
        j = data.index(b':', i)
        n = int(data[i:j])
        obj = json.loads(data[j + 1:j + 1 + n])
        i = j + 1 + n + 1
        props = obj.get('properties') or {}
        out[(obj.get('type'), props.get('__name') or obj.get('name'))] = props
    return out


ZONES = '''object Endpoint "master.example.net" { }
object Zone "master" { endpoints = [ "master.example.net" ] }
object Endpoint "satellite.example.net" { }
object Zone "satellite" {
	endpoints = [ "satellite.example.net" ]
	parent = "master"
}
object Endpoint "agent.example.net" { }
object Zone "agent.example.net" {
	endpoints = [ "agent.example.net" ]
	parent = "master"
}
object Zone "global-templates" { global = true }
'''
AGENT_HOST = '''object Host "mail.agent.example" {
	check_command = "hostalive"
	vars.mail_domains = { "agent.example" = {} }
	vars.mail_command_endpoint = "agent.example.net"
}
'''


def distributed():
    """distributed.conf's layout, validated on a master and a satellite."""
    with open(DISTRIBUTED) as f:
        sample = f.read()
    want = {}
    for m in re.finditer(r'object Host "([^"]+)" \{.*?vars\.mail_domains = \{(.*?)\n\t\}', sample, re.S):
        want[m.group(1)] = re.findall(r'"([^"]+)" = \{', m.group(2))
    n = 4 * sum(len(v) for v in want.values())
    tap.ok(n >= 16 and any('parked' in d for v in want.values() for d in v),
           'distributed.conf: hosts with domain dictionaries, parked ones among them', sample[-800:])
    for role, node, zone in (('master', 'master.example.net', 'master'),
                             ('satellite', 'satellite.example.net', 'satellite')):
        inst = Instance(node, zone)
        with open(os.path.join(inst.dir, 'zones.conf'), 'w') as f:
            f.write(ZONES)
        if role == 'master':
            glob = os.path.join(inst.dir, 'zones.d', 'global-templates')
            sat = os.path.join(inst.dir, 'zones.d', 'satellite')
            mas = os.path.join(inst.dir, 'zones.d', 'master')
        else:   # where the config sync puts what the master sends
            glob = os.path.join(inst.dir, 'data', 'api', 'zones', 'global-templates', '_etc')
            sat = os.path.join(inst.dir, 'data', 'api', 'zones', 'satellite', '_etc')
            mas = None
        for d in (glob, sat) + ((mas,) if mas else ()):
            os.makedirs(d)
        shutil.copy(CONF, os.path.join(glob, 'maildns.conf'))
        shutil.copy(SERVICES, os.path.join(glob, 'maildns-services.conf'))
        shutil.copy(DISTRIBUTED, os.path.join(sat, 'mail-hosts.conf'))
        if mas:
            with open(os.path.join(mas, 'agent-hosts.conf'), 'w') as f:
                f.write(AGENT_HOST)
        inst.write('include "zones.conf"\n', include_conf=False)
        r = subprocess.run(inst.argv('-C'), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=60, start_new_session=True)
        out = r.stdout.decode('utf-8', 'replace')
        extra = 4 if mas else 0
        m = re.search(r'Instantiated (\d+) Services?\.', out)
        tap.ok(r.returncode == 0 and m and int(m.group(1)) == n + extra and 'warning/' not in out,
               'icinga2 daemon -C on the %s: %d services from distributed.conf%s' % (
                   role, n, ' and 4 of an agent host' if mas else ''), out[-3000:])
        objs = read_objects(os.path.join(inst.dir, 'cache', 'icinga2.debug')) if r.returncode == 0 else {}
        svcs = {k[1]: v for k, v in objs.items() if k[0] == 'Service'}
        in_sat = [k for k in svcs if k.split('!')[0] in want]
        tap.ok(len(in_sat) == n and all(svcs[k].get('zone') == 'satellite' and not svcs[k].get('command_endpoint')
                                        for k in in_sat),
               '%s: the sample\'s services are in the satellite\'s zone' % role,
               {k: svcs[k].get('zone') for k in in_sat})
        cmds = {k[1] for k in objs if k[0] == 'CheckCommand'}
        tap.ok({'maildns_mx', 'maildns_spf', 'maildns_dkim', 'maildns_dmarc'} <= cmds,
               '%s: the CheckCommands came from global-templates' % role, sorted(cmds)[:10])
        if mas:
            ag = [v for k, v in svcs.items() if k.startswith('mail.agent.example!')]
            tap.ok(len(ag) == 4 and all(v.get('command_endpoint') == 'agent.example.net' for v in ag),
                   'master: vars.mail_command_endpoint makes the agent run the checks', ag[:1])


def spelling():
    """One spelling of the custom variables everywhere."""
    texts = {}
    for p in (README, SERVICES, DISTRIBUTED, CONF):
        with open(p) as f:
            texts[os.path.basename(p)] = f.read()
    odd = {k: sorted(set(re.findall(r'\bvars\.mail_domain\b|\bmail_domain\b(?!s)', t))) for k, t in texts.items()}
    odd = {k: v for k, v in odd.items() if v}
    tap.ok(not odd and all('mail_domains' in texts[k] for k in ('README.md', 'services.conf', 'distributed.conf')),
           'README and the samples all say vars.mail_domains (never mail_domain)', odd)
    arrays = re.findall(r'mail_domains = \[', ''.join(texts.values()))
    tap.ok(not arrays, 'mail_domains is a dictionary everywhere (the apply rules iterate key => value)', arrays)
    m = re.search(r'"-s" = \{[^}]*description = "([^"]*)"', texts['maildns.conf'])
    tap.ok(m and 'ecursive' in m.group(1) and '--all-ns' in m.group(1),
           'the DNS-server argument says: a recursive resolver (authoritative ones: --all-ns)', m and m.group(1))


class Graphite:
    """A Graphite plaintext listener: Icinga's GraphiteWriter sends the
    perfdata it parsed as `PATH VALUE TIMESTAMP` lines."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(('127.0.0.1', 0))
        self.sock.listen(4)
        self.port = self.sock.getsockname()[1]
        self.lines = []
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                c, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._read, args=(c,), daemon=True).start()

    def _read(self, c):
        buf = b''
        with c:
            while True:
                try:
                    b = c.recv(65536)
                except OSError:
                    return
                if not b:
                    return
                buf += b
                *done, buf = buf.split(b'\n')
                with self.lock:
                    self.lines += [l.decode('utf-8', 'replace') for l in done]

    def metrics(self):
        """{path: [values]} of everything received so far. A check runs
        every second, and the state file's last result may be one whose
        metrics are still on their way, or one before the last sent:
        the recorded result must be among those received."""
        with self.lock:
            out = {}
            for l in self.lines:
                parts = l.split()
                if len(parts) == 3:
                    out.setdefault(parts[0], []).append(parts[1])
            return out

    def close(self):
        self.sock.close()


def gname(s):
    """GraphiteWriter's escaping of a host or service name."""
    return re.sub(r'[^a-zA-Z0-9\-]', '_', s)


def read_state(path):
    """The services in Icinga's state file (netstrings of JSON objects):
    {service name: its saved attributes}."""
    with open(path, 'rb') as f:
        data = f.read()
    out, i = {}, 0
    while i < len(data):
        j = data.index(b':', i)
        n = int(data[i:j])
        obj = json.loads(data[j + 1:j + 1 + n])
        i = j + 1 + n + 1
        if obj.get('type') == 'Service':
            out[obj['name']] = obj['update']
    return out


def group_alive(pgid):
    """Is any process of process group pgid left (zombies aside)?"""
    for pid in os.listdir('/proc'):
        if not pid.isdigit():
            continue
        try:
            with open('/proc/%s/stat' % pid) as f:
                fields = f.read().rsplit(')', 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != 'Z':
            return True
    return False


def stop(proc):
    """SIGTERM to Icinga's main (umbrella) process only: it stops its
    worker, which writes the state file. (Signalling the whole group
    hits the worker and its spawn helper directly, and Icinga may then
    die without writing its state.) Wait up to 60 s for the whole group,
    then SIGKILL what is left."""
    if proc.poll() is None:
        try:
            proc.send_signal(signal.SIGTERM)
        except OSError:
            pass
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and (proc.poll() is None or group_alive(proc.pid)):
        time.sleep(0.2)
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except OSError:
        pass
    proc.wait()

def control_warned(log):
    try:
        with open(log, errors='replace') as f:
            return any('perfdata control' in l and 'warning/' in l for l in f)
    except OSError:
        return False


def value_of(perf_value):
    """'0.002797s' -> 0.002797 (the number Graphite receives)."""
    m = re.match(r'^([-+]?[0-9.]+(?:[eE][-+]?[0-9]+)?)', perf_value)
    return float(m.group(1)) if m else None


def optional_services():
    """services-optional.conf: a service of each optional check only for
    the domain whose settings ask for it, with the setting's variable;
    none for a plain or a parked domain; the domain, DNS server and
    port passed as in services.conf."""
    with open(CONF) as f:
        defined = set(re.findall(r'object CheckCommand "([^"]+)"', f.read()))
    have = [o for o in OPTIONAL if o[1] in defined]
    with open(SERVICES) as f:
        body = f.read()
    with open(OPTIONAL_SERVICES) as f:
        body += f.read()
    settings = ', '.join(o[2] for o in have)
    body += '''object Host "mx.optional.example" {
	check_command = "dummy"
	vars.mail_domains = {
		"opt.example" = { %s }
		"plain.example" = { }
		"parked.example" = { parked = true, mta_sts = true, tlsrpt = true }
	}
	vars.mail_dns_servers = [ "192.0.2.53" ]
	vars.mail_dns_port = 5353
}
''' % settings
    inst = Instance()
    inst.write(body)
    r = subprocess.run(inst.argv('-C'), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       timeout=60, start_new_session=True)
    out = r.stdout.decode('utf-8', 'replace')
    objs = read_objects(os.path.join(inst.dir, 'cache', 'icinga2.debug')) if r.returncode == 0 else {}
    svcs = {k[1].split('!', 1)[1]: v for k, v in objs.items() if k[0] == 'Service'}
    opt = {n: v for n, v in svcs.items() if n.split()[0] not in ('mx', 'spf', 'dkim', 'dmarc')}
    want = {'%s opt.example' % o[0] for o in have}
    tap.ok(r.returncode == 0 and set(opt) == want,
           'services-optional.conf: one service per check asked for (%s), none for a plain or '
           'parked domain' % ', '.join(o[0] for o in have), out + repr(sorted(opt)))
    good = True
    for name, cmd, _setting, var in have:
        v = opt.get('%s opt.example' % name) or {}
        p = cmd[len('maildns_'):]
        vs = v.get('vars') or {}
        good = good and v.get('check_command') == cmd and vs.get('maildns_%s_domain' % p) == 'opt.example' \
            and vs.get('maildns_%s_server' % p) == ['192.0.2.53'] and vs.get('maildns_%s_port' % p) == 5353 \
            and (var is None or vs.get(var[0]) == var[1])
    tap.ok(have and good, 'each optional service: its CheckCommand, domain, DNS server, port and setting',
           repr(opt))
    if len(have) == len(OPTIONAL):
        tap.ok('warning/' not in out, 'services-optional.conf: no warning when every check is used', out)
    else:
        tap.skip('services-optional.conf without warnings',
                 'not every optional CheckCommand is defined yet: %s'
                 % ', '.join(o[1] for o in OPTIONAL if o not in have))


def main():
    if not os.access(ICINGA2, os.X_OK):
        tap.skip('icinga2 engine tests', 'icinga2 not installed (Debian icinga2-bin; contrib/install-deps.sh installs it)')
        return
    built = ecofix.built()
    if not built:
        tap.skip('icinga2 engine tests', 'no plugin built')
        return

    for name, _prefix in ecofix.PLUGINS:
        if (name, _prefix) not in built:
            tap.skip('%s in the engine' % name, '%s not built in this tree' % name)
    # 1. validation of the shipped files, as shipped
    t0 = time.monotonic()
    inst = Instance()
    with open(SERVICES) as f:
        inst.write(f.read() + host('mail.example.com', [ecofix.GOOD, ecofix.BAD, 'parked.example'], 53,
                                   parked=('parked.example',)))
    r = subprocess.run(inst.argv('-C'), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       timeout=60, start_new_session=True)
    out = r.stdout.decode('utf-8', 'replace')
    tap.ok(r.returncode == 0, 'icinga2 daemon -C accepts maildns.conf and services.conf', out)
    m = re.search(r'Instantiated (\d+) Services?\.', out)
    tap.is_(int(m.group(1)) if m else None, 12,
            'the apply rules make 4 services per domain in vars.mail_domains', out)
    tap.ok('warning/' not in out and 'critical/' not in out,
           'no warning while committing the definitions', out)
    objs = read_objects(os.path.join(inst.dir, 'cache', 'icinga2.debug')) if r.returncode == 0 else {}
    svcs = {k[1]: v.get('vars') or {} for k, v in objs.items() if k[0] == 'Service'}
    parked = {k: v for k, v in svcs.items() if k.endswith(' parked.example')}
    tap.ok(len(parked) == 4 and all(v.get('maildns_%s_parked' % k.split('!')[1].split()[0]) is True
                                    for k, v in parked.items())
           and not any(k.endswith('_parked') for n, v in svcs.items() if n not in parked for k in v),
           'a domain marked { parked = true } passes --parked to its four checks, and only it', svcs)
    spelling()
    distributed()
    optional_services()

    # A definition that uses an option the plugin lacks is caught by
    # test_defs_options.py; here: a typo in a variable would still pass
    # validation, so the run below is what proves the arguments.

    # 2. a short-lived instance runs every check
    zones, _key = ecofix.zones()
    graphite = Graphite()
    with Nsd(zones) as ns:
        inst = Instance()
        body = services_conf('1s', [n for n, _p in built])
        body += host(ecofix.MAILHOST, [ecofix.GOOD], ns.port)
        body += host(ecofix.BAD_MAILHOST, [ecofix.BAD], ns.port)
        # A host without vars.mail_dns_port: no -p at all (an empty one
        # would be an UNKNOWN "invalid port"); port 53 of 127.0.0.1 has no
        # server here, so its checks are DNS errors, CRITICAL.
        body += host(NOPORT_HOST, [ecofix.GOOD], None)
        body += '''object CheckerComponent "checker" { }
object FileLogger "main-log" {
	path = %s
	severity = "information"
}
object GraphiteWriter "graphite" {
	host = "127.0.0.1"
	port = %d
	enable_send_metadata = true
}
''' % (q(inst.log), graphite.port)
        # The control: a check whose perfdata Icinga cannot parse, so the
        # log test below is seen to catch the warning it looks for.
        body += '''object CheckCommand "perfdata-control" {
	command = [ "/bin/echo", "OK - control | good=1 bad=1,5;;;; 'odd'=x" ]
}
object Service "perfdata control" {
	host_name = %s
	check_command = "perfdata-control"
	check_interval = 1s
}
''' % q(ecofix.BAD_MAILHOST)
        inst.write(body)
        want = {}
        for hostname, domain in ((ecofix.MAILHOST, ecofix.GOOD), (ecofix.BAD_MAILHOST, ecofix.BAD),
                                 (NOPORT_HOST, ecofix.GOOD)):
            for name, prefix in built:
                svc = '%s %s' % (prefix.lower(), domain)
                expect = 2 if hostname == NOPORT_HOST else ecofix.EXPECTED[domain]
                want['%s!%s' % (hostname, svc)] = (hostname, svc, name, prefix, expect)
        t1 = time.monotonic()
        # The console goes to a file: a pipe read only at the end would
        # fill up and block Icinga.
        console_path = os.path.join(inst.dir, 'console.log')
        with open(console_path, 'wb') as console_file:
            proc = subprocess.Popen(inst.argv(), stdin=subprocess.DEVNULL, stdout=console_file,
                                    stderr=subprocess.STDOUT, start_new_session=True)
        seen = set()
        try:
            deadline = time.monotonic() + RUN_LIMIT
            while time.monotonic() < deadline and proc.poll() is None:
                metrics = graphite.metrics()
                seen = {k for k, (h, s, n, _p, _e) in want.items()
                        if 'icinga2.%s.services.%s.maildns_%s.metadata.state' % (
                            gname(h), gname(s), n[len('check_'):]) in metrics}
                if seen == set(want) and control_warned(inst.log):
                    break
                time.sleep(0.5)
        finally:
            stop(proc)
        ran = time.monotonic() - t1
        with open(console_path, errors='replace') as f:
            console = f.read()
    graphite.close()
    tap.ok(seen == set(want), 'every check ran within %d s (took %.1f s)' % (RUN_LIMIT, ran),
           'missing: %s\n%s' % (sorted(set(want) - seen), console[-3000:]))
    tap.ok('Icinga has shut down' in console, 'Icinga 2 stopped cleanly on SIGTERM', console[-2000:])

    state = read_state(inst.state) if os.path.exists(inst.state) else {}
    metrics = graphite.metrics()
    for key, (hostname, svc, name, prefix, expect) in sorted(want.items()):
        cr = (state.get(key) or {}).get('last_check_result') or {}
        out = cr.get('output') or ''
        tap.is_(cr.get('exit_status'), expect, '%s: state %d recorded' % (key, expect), cr)
        tap.ok(out.startswith('%s %s - ' % (prefix, ('OK', 'WARNING', 'CRITICAL', 'UNKNOWN')[expect])),
               '%s: output recorded (%s)' % (key, out.split('\n')[0][:80]), cr)
        cmd = cr.get('command') or [None]
        tap.ok(cmd[0] == os.path.join(top_builddir(), 'plugins', name)
               and '-s' in cmd and '-D' in cmd and '' not in cmd
               and ('-p' in cmd) == (hostname != NOPORT_HOST),
               '%s: command line built from the CheckCommand' % key, cmd)
        perf = parse_perfdata(' '.join(cr.get('performance_data') or []))
        base = 'icinga2.%s.services.%s.maildns_%s.perfdata.' % (gname(hostname), gname(svc), name[len('check_'):])
        parsed = {k[len(base):-len('.value')]: v for k, v in metrics.items()
                  if k.startswith(base) and k.endswith('.value')}
        ok = bool(perf) and set(parsed) == {gname(l) for l in perf} and all(
            any(abs(float(x) - value_of(v)) <= 1e-6 * max(1.0, abs(value_of(v))) for x in parsed[gname(l)])
            for l, v in perf.items() if value_of(v) is not None)
        tap.ok(ok, '%s: perfdata parsed by Icinga (%s)' % (key, ', '.join(sorted(perf))),
               'plugin: %r\nicinga: %r' % (perf, parsed))
        if 'time' in perf:
            tap.ok(perf['time'].endswith('s'), '%s: time perfdata in seconds' % key, perf)

    with open(inst.log, errors='replace') as f:
        log = f.read()
    warned = [l for l in log.splitlines() if 'perfdata' in l.lower() and ('warning/' in l or 'critical/' in l)]
    control = [l for l in warned if 'perfdata control' in l]
    bad = [l for l in warned if 'perfdata control' not in l]
    tap.ok(control, 'the control check\'s bad perfdata is warned about in the log', log[-2000:])
    tap.ok(not bad, 'no perfdata warning in the Icinga 2 log for our checks', '\n'.join(bad[:10]))
    tap.diag('icinga2: validation and run took %.1f s (the run %.1f s)' % (time.monotonic() - t0, ran))


main()
tap.done()
