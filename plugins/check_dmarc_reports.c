/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_dmarc_reports: what the DMARC aggregate reports in a directory
 * say about a domain's mail (RFC 7489 7.2 and appendix C, RFC 9990):
 * own sources that fail DMARC, other sources that fail, reports that do
 * not arrive, files that cannot be read.
 *
 * The jobs it is made of, linked into check_dmarc_reports only:
 * plugins/reports_files.c (the directory, read-only), reports_tally.c
 * (counting and the results), reports_own.c (own sources, rua=),
 * reports_tls.c (--tls: SMTP TLS reports); the reading of reports is
 * common/libmaildns_reports.a (report_unwrap.c, report_agg.c,
 * report_tls.c); plugins/reports_run.h holds the options and the run.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "numparse.h"
#include "plugin.h"
#include "propagation.h"
#include "report_unwrap.h"
#include "reports_files.h"
#include "reports_own.h"
#include "reports_run.h"
#include "reports_tally.h"

enum {
	OPT_DIR = OPT_PLUGIN_BASE,
	OPT_SINCE,
	OPT_IP,
	OPT_MAIL_HOST,
	OPT_MAX_BAD,
	OPT_TLS
};

static const struct option long_opts[] = {
	{"dir", required_argument, NULL, OPT_DIR},
	{"since", required_argument, NULL, OPT_SINCE},
	{"ip", required_argument, NULL, OPT_IP},
	{"mail-host", required_argument, NULL, OPT_MAIL_HOST},
	{"max-bad", required_argument, NULL, OPT_MAX_BAD},
	{"tls", no_argument, NULL, OPT_TLS},
	{NULL, 0, NULL, 0},
};

/* "2d", "36h", "90m", "600s" or seconds: at most a year. */
static bool duration(const char *arg, long *out)
{
	size_t n = strlen(arg);
	long unit = 1, v;
	char num[24];
	const char *why;

	if (n == 0 || n >= sizeof(num)) {
		return false;
	}
	switch (arg[n - 1]) {
	case 'd':
		unit = 86400;
		n--;
		break;
	case 'h':
		unit = 3600;
		n--;
		break;
	case 'm':
		unit = 60;
		n--;
		break;
	case 's':
		n--;
		break;
	default:
		break;
	}
	memcpy(num, arg, n);
	num[n] = '\0';
	if (!parse_long(num, 1, 366L * 86400 / unit, &v, &why)) {
		return false;
	}
	*out = v * unit;
	return true;
}

/* ADDR or ADDR/PREFIX */
static const char *ip_option(struct reports_opts *o, const char *arg)
{
	char addr[64];
	const char *slash = strchr(arg, '/');
	size_t n = slash ? (size_t)(slash - arg) : strlen(arg);
	struct reports_net *net = &o->nets[o->nnets];
	long prefix;
	const char *why;

	if (o->nnets >= REPORTS_MAX_NETS) {
		return "too many --ip";
	}
	if (n >= sizeof(addr)) {
		return "invalid IP address";
	}
	memcpy(addr, arg, n);
	addr[n] = '\0';
	if (!spf_ip_parse(addr, &net->ip)) {
		return "invalid IP address";
	}
	net->prefix = net->ip.family == 4 ? 32 : 128;
	if (slash != NULL) {
		if (!parse_long(slash + 1, 0, net->prefix, &prefix, &why)) {
			return "invalid prefix length";
		}
		net->prefix = (unsigned)prefix;
	}
	o->nnets++;
	return NULL;
}

static const char *handle(void *ctx, int opt, const char *arg)
{
	struct reports_opts *o = ctx;
	const char *why;
	char idn[96];

	switch (opt) {
	case OPT_DIR:
		o->dir = arg;
		return NULL;
	case OPT_SINCE:
		return duration(arg, &o->since) ? NULL
						: "invalid duration (2d, 36h, 90m; at most a year)";
	case OPT_IP:
		return ip_option(o, arg);
	case OPT_MAIL_HOST:
		if (o->nhosts >= REPORTS_MAX_HOSTS) {
			return "too many --mail-host";
		}
		why = options_host_name(arg, DNAME_HOSTNAME, &o->hosts[o->nhosts], idn,
					sizeof(idn));
		if (why != NULL) {
			out_setf(o->why, sizeof(o->why), "invalid host name: %s", why);
			return o->why;
		}
		o->host_args[o->nhosts++] = arg;
		return NULL;
	case OPT_MAX_BAD:
		return parse_long(arg, 0, LIMIT_REPORT_FILES, &o->max_bad, &why)
			       ? NULL
			       : "invalid count for --max-bad";
	case OPT_TLS:
		o->tls = true;
		return NULL;
	default:
		return "unknown option";
	}
}

static const char blurb[] =
	"Reads the DMARC aggregate reports (RFC 7489 appendix C, RFC 9990) in a "
	"directory or Maildir and says what they show about a domain: mail from its "
	"own sources that failed DMARC, failures from other sources, reports that "
	"stopped arriving, files that cannot be read. Reports may be .xml, .xml.gz, "
	".zip or mail messages carrying one; files are only ever read.";
static const char usage[] = "--dir=PATH [--since=DURATION] [--ip=NET]... "
			    "[--mail-host=HOST]... [--max-bad=N] [--tls]";
static const char options_help[] =
	" --dir=PATH\n"
	"    The reports: a Maildir (its cur/ and new/) or a directory of report\n"
	"    files, not recursed into; opened read-only, symbolic links skipped\n"
	" --since=DURATION\n"
	"    Count reports whose date range ends within DURATION: 2d (default),\n"
	"    36h, 90m\n"
	" --ip=NET\n"
	"    An own source: an address, or a network as ADDR/PREFIX (repeatable)\n"
	" --mail-host=HOST\n"
	"    An own source: the A and AAAA addresses of HOST (repeatable).\n"
	"    Without --ip and --mail-host, own sources are the addresses the\n"
	"    domain's SPF record authorises (check_host() passes)\n"
	" --max-bad=N\n"
	"    WARNING when more than N files cannot be read as reports (default 3:\n"
	"    a stray mail or a sender's broken report now and then is no problem,\n"
	"    more is a reader or a mailbox to look at)\n"
	" --tls\n"
	"    Read SMTP TLS reports (RFC 8460: .json, .json.gz or mail) instead:\n"
	"    -w/-c apply to failed sessions (count, or % of sessions), listed by\n"
	"    policy type and result type; no report while _smtp._tls.DOMAIN has\n"
	"    rua=: WARNING\n";
static const char notes[] =
	"-w and -c apply to the messages from own sources that failed DMARC (DKIM\n"
	"and SPF both not aligned-pass): a count, or with a trailing % a percentage\n"
	"of own messages (-w 1%). Default: any failure WARNING, over 5% CRITICAL.\n"
	"Failures from other sources are listed, with no state. No report about\n"
	"the domain within --since while its DMARC record has rua=: WARNING.\n"
	"Only reports about DOMAIN or its subdomains count, each (org_name,\n"
	"report_id) once.\n"
	"Limits: 50000 files, 16 MiB per file and per unwrapped report (more is a\n"
	"bad file), 20000 records per report, 64 MIME parts 8 deep (a message\n"
	"of over 1000 boundary lines is bad unparsed), 16 zip members, 1024\n"
	"source addresses checked against SPF; a DOCTYPE or an\n"
	"entity makes a report bad (entities are never expanded). Files are read\n"
	"until a tenth of -t is left; the rest is UNKNOWN.\n"
	"SMTP TLS reports (--tls): 64 policies and 256 failure details per report,\n"
	"JSON nested at most 32 deep.\n"
	"--parked: the domain sends no mail, so it has no own sources (no SPF\n"
	"lookup; --ip and --mail-host refused) and a message that passed DMARC in\n"
	"its name is CRITICAL: someone can send as it.\n"
	"Example: check_dmarc_reports -D example.com --dir=/var/mail/dmarc/Maildir\n";

int main(int argc, char **argv)
{
	struct reports_opts o = {.since = 2 * 86400, .max_bad = 3};
	const struct plugin_info pi = {
		.progname = "check_dmarc_reports",
		.service = "DMARC-REPORTS",
		.blurb = blurb,
		.usage = usage,
		.options_help = options_help,
		.notes = notes,
		.short_opts = "",
		.long_opts = long_opts,
		.handle = handle,
		.ctx = &o,
		/* -w/-c: a count or a percentage of own messages ("5%") */
		.percent_thresholds = true,
	};
	struct common_opts co;
	struct reports_run r = {0};
	char why[300];

	plugin_start(argc, argv, &pi, &co);
	if (o.dir == NULL) {
		plugin_die(&pi, "--dir is required");
	}
	if (co.parked && (o.nnets > 0 || o.nhosts > 0)) {
		plugin_die(&pi, "--parked: a parked domain has no own sources, --ip and "
				"--mail-host do not apply");
	}
	/* A --dir that cannot be read is the user's input, known before any
	 * DNS: UNKNOWN naming it, not a finding among the DNS results. */
	int dfd = open(o.dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0) {
		plugin_die(&pi, "cannot read directory %s: %s", o.dir, strerror(errno));
	}
	close(dfd);
	r.co = &co;
	r.o = &o;
	r.now = time(NULL);
	/* SPF of up to LIMIT_REPORT_SPF_IPS sources; the answers are cached,
	 * so this is the worst case of a record full of %{i} macros */
	co.rcfg.max_queries = 4096;
	r.res = plugin_resolver(&co);
	r.c = check_new("DMARC-REPORTS");
	check_set_verbosity(r.c, co.verbose);
	dname_to_text(&co.domain, r.dom, sizeof(r.dom));
	check_subject(r.c, "%s", co.domain_shown);
	report_unwrap_init();

	if (!o.tls) {
		reports_own_sources(&r);
	}
	plugin_stage("reading reports");
	if (!reports_read_dir(&r, reports_file, why, sizeof(why))) {
		check_add(r.c, STATE_UNKNOWN, "%s", why);
	} else if (r.reports == 0 && !o.tls) {
		reports_none(&r);
	}
	reports_results(&r);
	reports_tally_free(&r);
	if (co.all_ns) {
		/* the SPF and DMARC records the run used, on every server */
		plugin_stage("authoritative servers");
		propagation_check(r.c, &co, r.res, NULL, NULL);
	}
	report_unwrap_shutdown();
	plugin_exit(r.c, r.res);
}
