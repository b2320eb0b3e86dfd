/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_mx: the MX RRset of a mail domain and the addresses of its hosts
 * (README "check_mx"; the guide's "MX Record" and "A Record").
 *
 * One MX query, then A and AAAA of every target in one batch; with --ptr
 * the PTR of every address in a second batch and the forward lookups of
 * those names in a third (forward-confirmed reverse DNS). The steps are
 * in plugins/mx_*.c (hosts, no MX, --ptr, SMTP hand-off) and
 * plugins/smtp_check.c (--smtp, --starttls, --dane).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mx_hosts.h"
#include "mx_nomx.h"
#include "mx_ptr.h"
#include "mx_run.h"
#include "mx_smtp.h"
#include "propagation.h"

enum {
	OPT_REQUIRE_IPV6 = OPT_PLUGIN_BASE,
	OPT_PTR,
	OPT_NULL_MX_OK,
	OPT_EXACT,
	OPT_MAIL_HOST
};

static const struct option long_opts[] = {
	{"expect", required_argument, NULL, 'e'},
	{"require-ipv6", no_argument, NULL, OPT_REQUIRE_IPV6},
	{"ptr", no_argument, NULL, OPT_PTR},
	{"null-mx-ok", no_argument, NULL, OPT_NULL_MX_OK},
	{"exact", no_argument, NULL, OPT_EXACT},
	{"mail-host", required_argument, NULL, OPT_MAIL_HOST},
	SMTP_LONG_OPTIONS,
	{NULL, 0, NULL, 0},
};

static const char *handle(void *ctx, int opt, const char *arg)
{
	struct mx_opts *o = ctx;
	char idn_why[96];
	const char *why = NULL;

	switch (opt) {
	case 'e':
		if (o->nexpect == LIMIT_MX_EXPECT)
			return "too many --expect hosts (limit 16)";
		/* an IDN as its A-labels, lower case like the MX
		 * targets it is compared with */
		why = options_host_name(arg, DNAME_HOSTNAME | DNAME_MULTILABEL,
					&o->expect[o->nexpect], idn_why, sizeof idn_why);
		if (why != NULL) {
			snprintf(o->why, sizeof o->why, "invalid --expect host: %s", why);
			return o->why;
		}
		o->nexpect++;
		return NULL;
	case OPT_REQUIRE_IPV6:
		o->require_ipv6 = true;
		return NULL;
	case OPT_PTR:
		o->ptr = true;
		return NULL;
	case OPT_NULL_MX_OK:
		o->null_mx_ok = true;
		return NULL;
	case OPT_EXACT:
		o->exact = true;
		return NULL;
	case OPT_MAIL_HOST:
		if (!dname_from_text(&o->mail_host, arg, strlen(arg),
				     DNAME_HOSTNAME | DNAME_MULTILABEL, &why)) {
			snprintf(o->why, sizeof o->why, "invalid --mail-host: %s",
				 why ? why : "not a host name");
			return o->why;
		}
		o->have_mail_host = true;
		return NULL;
	}
	return smtp_handle_opt(&o->smtp, opt, arg);
}

/* What must hold between the options: NULL, or why not. */
static const char *validate(const struct mx_opts *o)
{
	if (o->exact && o->nexpect == 0)
		return "--exact needs the expected hosts (-e HOST)";
	return NULL;
}

static const char mx_help[] =
	" -e, --expect=HOST\n"
	"    An MX host that must be present (repeatable, at most 16);\n"
	"    missing: CRITICAL\n"
	" --exact\n"
	"    With -e: the MX hosts must be exactly those given; any other MX host\n"
	"    is CRITICAL (a hijacked zone adds one)\n"
	" --mail-host=HOST\n"
	"    The domain's mail server, for the MX record a fix: line proposes\n"
	"    (default: $MAILNAME; without either, the line says what to publish)\n"
	" --require-ipv6\n"
	"    WARNING when no MX host has an AAAA record (default: OK, noted)\n"
	" --ptr\n"
	"    Every MX address must have a PTR whose name resolves back to it\n"
	"    (forward-confirmed reverse DNS); WARNING if not\n"
	" --null-mx-ok\n"
	"    A null MX (RFC 7505, \"0 .\": the domain accepts no mail) is OK\n"
	"    (default: CRITICAL); -w/-c then do not apply. With --parked a null MX\n"
	"    is what is expected, and any MX host that accepts mail is "
	"CRITICAL\n" SMTP_OPTIONS_HELP;

static const char mx_notes[] =
	"-w/-c apply to the number of usable MX hosts (those with at "
	"least one address), e.g. -c 1: -w 2:.\nLimits: the 100 most preferred MX records are "
	"checked, 16 "
	"addresses per host, 32 addresses with --ptr and 4 PTR names per "
	"address.\n"
	"Example: check_mx -D example.com -e mail.example.com -w 2: --ptr\n" SMTP_NOTES;

/* --all-ns: a server that serves no MX where the others do sends mail
 * to the fallback address or nowhere (RFC 5321 5.1); other differences,
 * an MX host's addresses among them, are warnings. */
static enum state stale_mx(void *ctx, const struct dns_answer *ref, const struct dns_answer *got)
{
	(void)ctx;
	return got->qtype == DNS_T_MX && ref->status == RES_OK && got->status != RES_OK
		       ? STATE_CRITICAL
		       : STATE_WARNING;
}

/* The end of a run that got its MX answer: the run's storage freed,
 * --all-ns, then exit. */
noreturn static void finish(struct mx_run *r)
{
	free(r->st);
	r->st = NULL;
	r->hosts = NULL;
	if (r->co->all_ns) {
		plugin_stage("authoritative servers");
		propagation_check(r->c, r->co, r->res, stale_mx, NULL);
	}
	plugin_exit(r->c, r->res);
}

/* A null MX (RFC 7505), and --parked: a domain that takes no mail. */
static void check_null_mx(struct mx_run *r)
{
	if (r->null_mx && r->nhosts == 0)
		check_add(r->c, r->o->null_mx_ok || r->co->parked ? STATE_OK : STATE_CRITICAL,
			  "domain accepts no mail (null MX, RFC 7505)");
	else if (r->null_mx)
		check_add(r->c, STATE_CRITICAL,
			  "null MX mixed with other MX records (RFC 7505 3: a null MX must be the "
			  "only one)");
	if (r->co->parked && r->nhosts > 0) {
		check_add(
			r->c, STATE_CRITICAL,
			"parked domain receives mail: %zu MX %s (%s); a null MX says it takes none",
			r->nhosts, mx_plural(r->nhosts, "host", "hosts"), r->hosts[0].text);
		check_fix(r->c, "%s. IN MX 0 .", r->dom);
	}
}

/* -e: every expected host among the MX RRs, also those past the
 * LIMIT_MX_HOSTS checked. */
static void check_expect(struct mx_run *r)
{
	for (size_t e = 0; e < r->o->nexpect; e++) {
		char t[DNAME_TEXT_MAX];
		bool found = false;

		for (size_t i = 0; i < r->mx->nrr && !found; i++)
			found = dname_equal(&r->o->expect[e], &r->mx->rr[i].u.mx.host);
		dname_to_text(&r->o->expect[e], t, sizeof t);
		if (found)
			check_verbose(r->c, 1, "expected MX host %s is present", t);
		else
			check_add(r->c, STATE_CRITICAL, "expected MX host %s is missing", t);
	}
}

/* --exact: every MX RR (also those past the LIMIT_MX_HOSTS checked)
 * names one of the -e hosts; the null MX is not a host. */
static void check_exact(struct mx_run *r)
{
	size_t extra = 0;

	if (!r->o->exact)
		return;
	for (size_t i = 0; i < r->mx->nrr; i++) {
		const struct dname *h = &r->mx->rr[i].u.mx.host;
		char t[DNAME_TEXT_MAX];
		bool known = h->len <= 1;

		for (size_t e = 0; e < r->o->nexpect && !known; e++)
			known = dname_equal(&r->o->expect[e], h);
		if (known)
			continue;
		if (++extra <= LIMIT_MX_EXPECT)
			check_add(r->c, STATE_CRITICAL,
				  "MX host %s is not one of the expected hosts (--exact)",
				  dname_to_text(h, t, sizeof t));
	}
	if (extra > LIMIT_MX_EXPECT)
		check_add(r->c, STATE_CRITICAL, "%zu more MX hosts not expected (--exact)",
			  extra - LIMIT_MX_EXPECT);
	if (extra == 0)
		check_verbose(r->c, 1, "the MX hosts are exactly the expected ones");
}

/* -w/-c on the usable hosts, the mx perfdata and the summary. */
static void check_usable(struct mx_run *r)
{
	const struct common_opts *co = r->co;
	size_t usable = r->usable;
	/* An accepted null MX alone: the domain takes no mail by design, so
	 * -w/-c on the usable hosts (e.g. a default -c 1:) do not apply. */
	bool null_ok = (r->null_mx && r->nhosts == 0 && r->o->null_mx_ok) || co->parked;
	enum state st = null_ok ? STATE_OK : range_state((double)usable, &co->warn, &co->crit);

	if (st != STATE_OK)
		check_add(r->c, st, "%zu usable MX %s (%s range %s)", usable,
			  mx_plural(usable, "host", "hosts"),
			  st == STATE_CRITICAL ? "critical" : "warning",
			  st == STATE_CRITICAL ? co->crit.text : co->warn.text);
	check_perf_ranges(r->c, "mx", (double)usable, "", null_ok ? NULL : &co->warn,
			  null_ok ? NULL : &co->crit, 0, NAN);
	if (r->null_mx && r->nhosts == 0)
		check_summary(r->c, STATE_OK, "domain accepts no mail (null MX)");
	for (size_t i = 0; i < r->nhosts && usable > 0; i++)
		if (r->hosts[i].naddr > 0) {
			check_summary(r->c, STATE_OK, "%zu MX %s, %zu %s (%s)", usable,
				      mx_plural(usable, "host", "hosts"), r->naddr,
				      mx_plural(r->naddr, "address", "addresses"),
				      r->hosts[i].text);
			break;
		}
}

int main(int argc, char **argv)
{
	struct mx_opts o = {.smtp = SMTP_OPTS_DEFAULT};
	const struct plugin_info info = {
		.progname = "check_mx",
		.service = "MX",
		.blurb = "Checks the MX records of a mail domain: that there are some, "
			 "that every target is a host name with public A/AAAA addresses "
			 "(not a CNAME, an IP literal or localhost), and optionally that "
			 "expected hosts are present and every address has forward-"
			 "confirmed reverse DNS.",
		.usage = "[-e HOST]... [--exact] [--require-ipv6] [--ptr] [--null-mx-ok] "
			 "[--mail-host=HOST] " SMTP_USAGE,
		.options_help = mx_help,
		.notes = mx_notes,
		.short_opts = "e:",
		.long_opts = long_opts,
		.handle = handle,
		.ctx = &o,
	};
	struct common_opts co;
	struct mx_run r = {.co = &co, .o = &o};
	const char *why;

	plugin_start(argc, argv, &info, &co);
	if ((why = validate(&o)) != NULL)
		plugin_die(&info, "%s", why);
	r.c = check_new(info.service);
	check_set_verbosity(r.c, co.verbose);
	dname_to_text(&co.domain, r.dom, sizeof r.dom);
	check_subject(r.c, "%s", co.domain_shown);
	r.res = plugin_resolver(&co);

	plugin_stage("MX lookup");
	r.mx = resolver_query(r.res, &co.domain, DNS_T_MX);
	if (!res_status_is_answer(r.mx->status)) {
		plugin_dns_error(r.c, &co, r.mx, NULL);
		plugin_exit(r.c, r.res);
	}
	if (r.mx->status != RES_OK) {
		mx_no_mx(&r);
		finish(&r);
	}
	if (r.mx->nrr > 0)
		check_verbose(r.c, 1, "MX TTL %u", (unsigned)r.mx->rr[0].ttl);

	/* One block for the run: only the pages it writes become resident. */
	if ((r.st = malloc(sizeof *r.st)) == NULL)
		plugin_die(&info, "out of memory");
	r.hosts = r.st->hosts;
	mx_collect_hosts(&r);
	check_null_mx(&r);
	mx_resolve_hosts(&r);
	mx_report_hosts(&r);
	check_expect(&r);
	check_exact(&r);
	if (o.ptr)
		mx_check_ptr(&r);
	mx_probe_smtp(&r);
	check_usable(&r);
	finish(&r);
}
