#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The Nagios definitions (contrib/nagios/) in the real engine.

1. `nagios4 -v` verifies a standalone main config that loads
   contrib/nagios/maildns.cfg and the sample contrib/nagios/services.cfg
   verbatim (with the few objects Debian's default config would supply),
   and Debian's stock /etc/nagios4/nagios.cfg with the two files added
   (its objects: templates, contacts, time periods, localhost).
2. A short-lived Nagios (own main config, interval_length 1, status
   written every second, run as the test's user in the foreground) runs the checks
   of two hosts, one serving the demo domain (all OK) and one a domain
   with no records (all CRITICAL), against a real NSD on loopback. Its
   status.dat must show each service's state, output and performance
   data. One host defines a _maildns_options custom variable (which the
   commands used to pass on), the other does not: the checks of both
   must run (a macro of a variable the host lacks reached the plugins
   literally, "$_HOSTMAILDNS_OPTIONS$", and every check was UNKNOWN).

Nagios comes from Debian (nagios4-core: installed by
contrib/install-deps.sh); without it every case is skipped.
"""

import grp
import os
import pwd
import re
import shutil
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.environ.get('top_srcdir', '.'), 'tests', 'lib'))
from harness import TAP, Nsd, tmpdir, top_srcdir, top_builddir, parse_perfdata  # noqa: E402
import ecofix  # noqa: E402

tap = TAP()
NAGIOS = shutil.which('nagios4') or '/usr/sbin/nagios4'
COMMANDS = os.path.join(top_srcdir(), 'contrib', 'nagios', 'maildns.cfg')
SAMPLE = os.path.join(top_srcdir(), 'contrib', 'nagios', 'services.cfg')
RUN_LIMIT = 90

# What Debian's default nagios4 configuration defines and the sample uses.
BASE_OBJECTS = '''define timeperiod {
	timeperiod_name	24x7
	alias		always
	sunday		00:00-24:00
	monday		00:00-24:00
	tuesday		00:00-24:00
	wednesday	00:00-24:00
	thursday	00:00-24:00
	friday		00:00-24:00
	saturday	00:00-24:00
}
define command {
	command_name	notify-nobody
	command_line	/bin/true
}
define contact {
	contact_name			root
	host_notifications_enabled	0
	service_notifications_enabled	0
	host_notification_period	24x7
	service_notification_period	24x7
	host_notification_options	n
	service_notification_options	n
	host_notification_commands	notify-nobody
	service_notification_commands	notify-nobody
}
define contactgroup {
	contactgroup_name	admins
	members			root
}
define host {
	name			linux-server
	check_period		24x7
	max_check_attempts	1
	active_checks_enabled	0
	notification_period	24x7
	notification_interval	0
	contact_groups		admins
	register		0
}
'''


def main_cfg(d, cfg_files):
    plugins = os.path.join(top_builddir(), 'plugins')
    with open(os.path.join(d, 'resource.cfg'), 'w') as f:
        f.write('$USER1$=%s\n' % plugins)
    os.makedirs(os.path.join(d, 'checkresults'), exist_ok=True)
    lines = ['log_file=%s/nagios.log' % d,
             'resource_file=%s/resource.cfg' % d,
             'status_file=%s/status.dat' % d,
             'status_update_interval=1',
             'object_cache_file=%s/objects.cache' % d,
             'precached_object_file=%s/objects.precache' % d,
             'temp_file=%s/nagios.tmp' % d,
             'temp_path=%s' % d,
             'lock_file=%s/nagios.lock' % d,
             'state_retention_file=%s/retention.dat' % d,
             'retain_state_information=0',
             'check_result_path=%s/checkresults' % d,
             'command_file=%s/nagios.cmd' % d,
             'check_external_commands=0',
             'query_socket=%s/nagios.qh' % d,
             'nagios_user=%s' % pwd.getpwuid(os.getuid()).pw_name,
             'nagios_group=%s' % grp.getgrgid(os.getgid()).gr_name,
             'interval_length=1',
             'max_service_check_spread=1',
             'service_inter_check_delay_method=n',
             'service_interleave_factor=1',
             'check_result_reaper_frequency=1',
             'enable_notifications=0',
             'enable_event_handlers=0',
             'process_performance_data=1',
             'use_syslog=0',
             'log_initial_states=1',
             'illegal_macro_output_chars=`~$&|\'"<>',
             'daemon_dumps_core=0']
    lines += ['cfg_file=%s' % c for c in cfg_files]
    path = os.path.join(d, 'nagios.cfg')
    with open(path, 'w') as f:
        f.write('\n'.join(lines) + '\n')
    return path


def read_status(path):
    """status.dat's servicestatus blocks: {(host, service): {key: value}}."""
    out = {}
    block, kind = None, None
    with open(path, errors='replace') as f:
        for raw in f:
            line = raw.rstrip('\n')
            s = line.strip()
            if s.endswith('{'):
                kind, block = s[:-1].strip(), {}
            elif s == '}':
                if kind == 'servicestatus':
                    out[(block.get('host_name'), block.get('service_description'))] = block
                kind, block = None, None
            elif block is not None and '=' in s:
                k, v = s.split('=', 1)
                block[k] = v
    return out


def stop(proc):
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except OSError:
            pass
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except OSError:
        pass
    proc.wait()


def fast(text):
    """The sample with its check intervals shortened to one interval
    length (1 s here), the services themselves verbatim."""
    text, n = re.subn(r'(check_interval|retry_interval)(\s+)\d+', r'\g<1>\g<2>1', text)
    if n != 2:
        raise RuntimeError('services.cfg: expected one check_interval and retry_interval')
    return text


def host_and_services(host, domain, port, built, custom_var):
    """A host (with a _maildns_options custom variable or without) and
    the sample's services for it, with the sample's options and -s/-p
    pointing the checks at the test's NSD."""
    with open(SAMPLE) as f:
        sample = f.read()
    args = dict(re.findall(r'check_command\s+maildns_(\w+)!example\.com!?(.*)', sample))
    out = ['define host {\n\tuse\tlinux-server\n\thost_name\t%s\n\taddress\t127.0.0.1\n%s}\n'
           % (host, '\t_maildns_options\t-t 10\n' if custom_var else '')]
    for name, prefix in built:
        p = name[len('check_'):]
        extra = args[p].replace('mail.example.com', 'mail.' + domain) + ' -s 127.0.0.1 -p %d' % port
        out.append('define service {\n\tuse\tmaildns-service\n\thost_name\t%s\n'
                   '\tservice_description\t%s %s\n\tcheck_command\tmaildns_%s!%s!%s\n}\n'
                   % (host, prefix.lower(), domain, p, domain, extra))
    return ''.join(out)


STOCK = '/etc/nagios4/nagios.cfg'


def stock_check():
    """Debian's stock nagios.cfg, its objects as shipped, plus our two
    files: the sample's templates, host and contact group must fit."""
    if not os.path.exists(STOCK):
        tap.skip('nagios4 -v with Debian\'s stock nagios.cfg', '%s not there' % STOCK)
        return
    d = tmpdir()
    lines = []
    with open(STOCK) as f:
        for l in f:
            # a cfg_dir of a package not installed (monitoring-plugins'
            # /etc/nagios-plugins/config) is left out
            m = re.match(r'^cfg_(dir|file)=(.*)$', l.strip())
            if m and not os.path.exists(m.group(2)):
                continue
            # run as the test's user, who owns the temporary directory
            if re.match(r'^nagios_(user|group)=', l):
                continue
            lines.append(l.rstrip('\n'))
    lines += ['nagios_user=%s' % pwd.getpwuid(os.getuid()).pw_name,
              'nagios_group=%s' % grp.getgrgid(os.getgid()).gr_name]
    lines += ['cfg_file=' + COMMANDS, 'cfg_file=' + SAMPLE]
    cfg = os.path.join(d, 'nagios.cfg')
    with open(cfg, 'w') as f:
        f.write('\n'.join(lines) + '\n')
    r = subprocess.run([NAGIOS, '-v', cfg], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=60)
    out = r.stdout.decode('utf-8', 'replace')
    tap.ok(r.returncode == 0 and 'Total Errors:   0' in out and 'Total Warnings: 0' in out,
           'nagios4 -v: Debian\'s stock nagios.cfg with maildns.cfg and services.cfg, no error or warning',
           out[-3000:])


def main():
    if not os.access(NAGIOS, os.X_OK):
        tap.skip('nagios4 engine tests', 'nagios4 not installed (Debian nagios4-core; contrib/install-deps.sh installs it)')
        return
    built = ecofix.built()
    if not built:
        tap.skip('nagios4 engine tests', 'no plugin built')
        return
    for name, _prefix in ecofix.PLUGINS:
        if (name, _prefix) not in built:
            tap.skip('%s in the engine' % name, '%s not built in this tree' % name)
    t0 = time.monotonic()

    # 1. the shipped files, as shipped
    d = tmpdir()
    with open(os.path.join(d, 'base.cfg'), 'w') as f:
        f.write(BASE_OBJECTS)
    cfg = main_cfg(d, [os.path.join(d, 'base.cfg'), COMMANDS, SAMPLE])
    r = subprocess.run([NAGIOS, '-v', cfg], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=60)
    out = r.stdout.decode('utf-8', 'replace')
    tap.ok(r.returncode == 0 and 'Total Errors:   0' in out,
           'nagios4 -v accepts maildns.cfg and the sample services.cfg', out[-3000:])
    tap.ok(re.search(r'Checked %d services\.' % len(ecofix.ALL_PLUGINS), out),
           'the sample defines one service per plugin of ALL_PLUGINS', out[-3000:])
    tap.ok('Total Warnings: 0' in out, 'no warning from nagios4 -v', out[-3000:])
    stock_check()

    # 2. a short-lived Nagios runs every check
    zones, _key = ecofix.zones()
    with Nsd(zones) as ns:
        d = tmpdir()
        with open(os.path.join(d, 'base.cfg'), 'w') as f:
            f.write(BASE_OBJECTS)
        with open(SAMPLE) as f:
            sample = fast(f.read())
        # The sample's maildns-service template (intervals shortened); its
        # example host and services are replaced by the test's.
        template = re.search(r'define service \{[^}]*name\s+maildns-service[^}]*\}', sample).group(0)
        with open(os.path.join(d, 'services.cfg'), 'w') as f:
            f.write(template + '\n')
            f.write(host_and_services(ecofix.MAILHOST, ecofix.GOOD, ns.port, built, True))
            f.write(host_and_services(ecofix.BAD_MAILHOST, ecofix.BAD, ns.port, built, False))
        cfg = main_cfg(d, [os.path.join(d, 'base.cfg'), COMMANDS, os.path.join(d, 'services.cfg')])
        r = subprocess.run([NAGIOS, '-v', cfg], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=60)
        tap.ok(r.returncode == 0, 'nagios4 -v accepts the run config', r.stdout.decode('utf-8', 'replace')[-2000:])
        want = {}
        for host, domain in ((ecofix.MAILHOST, ecofix.GOOD), (ecofix.BAD_MAILHOST, ecofix.BAD)):
            for name, prefix in built:
                want[(host, '%s %s' % (prefix.lower(), domain))] = (name, prefix, ecofix.EXPECTED[domain])
        t1 = time.monotonic()
        console_path = os.path.join(d, 'console.log')
        with open(console_path, 'wb') as console_file:
            proc = subprocess.Popen([NAGIOS, cfg], stdin=subprocess.DEVNULL, stdout=console_file,
                                    stderr=subprocess.STDOUT, start_new_session=True)
        status = {}
        try:
            deadline = time.monotonic() + RUN_LIMIT
            status_file = os.path.join(d, 'status.dat')
            while time.monotonic() < deadline and proc.poll() is None:
                time.sleep(0.5)
                if not os.path.exists(status_file):
                    continue
                try:
                    status = read_status(status_file)
                except OSError:
                    continue
                if all(status.get(k, {}).get('has_been_checked') == '1' for k in want):
                    break
        finally:
            stop(proc)
        ran = time.monotonic() - t1
        with open(console_path, errors='replace') as f:
            console = f.read()
    checked = [k for k in want if status.get(k, {}).get('has_been_checked') == '1']
    tap.ok(len(checked) == len(want), 'every check ran within %d s (took %.1f s)' % (RUN_LIMIT, ran),
           'missing: %s\n%s' % (sorted(set(want) - set(checked)), console[-2000:]))
    leftover = subprocess.run(['pgrep', '-f', cfg], stdout=subprocess.PIPE).stdout.decode().split()
    tap.ok(not leftover, 'Nagios and its workers stopped on SIGTERM', leftover)

    for key, (name, prefix, expect) in sorted(want.items()):
        st = status.get(key, {})
        tap.is_(st.get('current_state'), str(expect), '%s / %s: state %d in status.dat' % (key + (expect,)), st)
        out = st.get('plugin_output', '')
        tap.ok(out.startswith('%s %s - ' % (prefix, ('OK', 'WARNING', 'CRITICAL', 'UNKNOWN')[expect])),
               '%s / %s: output in status.dat (%s)' % (key + (out[:70],)), st)
        tap.ok(st.get('long_plugin_output', '').startswith('['),
               '%s / %s: long output in status.dat' % key, st)
        perf = parse_perfdata(st.get('performance_data', ''))
        tap.ok('time' in perf and 'dns_queries' in perf and perf['time'].endswith('s'),
               '%s / %s: performance data in status.dat (%s)' % (key + (', '.join(sorted(perf)),)), st)
    tap.diag('nagios4: verification and run took %.1f s (the run %.1f s)' % (time.monotonic() - t0, ran))


main()
tap.done()
