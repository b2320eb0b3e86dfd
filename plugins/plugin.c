/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The plugin-side runtime: start (options, deadline, backstop) and end
 * (perfdata, render, exit) of every plugin run. The only place besides
 * the backstop where a run ends.
 */
#include "plugin.h"

#include <locale.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define EXIT_USAGE   3   /* STATE_UNKNOWN: our own inputs are wrong */
#define MARGIN_MIN   0.2 /* seconds the resolver stops before the backstop */
#define MARGIN_SHARE 0.1 /* ... or this share of -t, if larger */
#define STAGE_MAX    64  /* bytes of a stage name the backstop prints */

static const struct plugin_info *run_pi;
static const struct common_opts *run_co; /* --rrsig-warning/-critical */
static double run_start;

/* Read by the SIGALRM handler: prepared before the alarm is armed. */
static volatile sig_atomic_t alarm_exit = STATE_CRITICAL;
static const char *volatile run_stage = "start";
static char alarm_line[160];
static size_t alarm_len;

/*
 * The backstop (doc/output-contract.md 10): only async-signal-safe calls
 * (write, _exit; POSIX 2008 2.4.3). The line was formatted in advance;
 * the stage is a static string, measured here by hand.
 */
static void on_alarm(int sig)
{
	static const char tail[] = ")\n";
	const char *stage = run_stage;
	size_t n = 0;

	(void)sig;
	while (n < STAGE_MAX && stage[n] != '\0') {
		n++;
	}
	/* A failed write leaves nothing to do but exit; testing the results
	 * (rather than storing them unread) keeps glibc's warn_unused_result
	 * and the analyzer's dead-store check both quiet. */
	if (write(STDOUT_FILENO, alarm_line, alarm_len) >= 0 &&
	    write(STDOUT_FILENO, stage, n) >= 0) {
		if (write(STDOUT_FILENO, tail, sizeof(tail) - 1) < 0) {
			_exit((int)alarm_exit);
		}
	}
	_exit((int)alarm_exit);
}

static void disarm_backstop(void)
{
	struct itimerval off;

	memset(&off, 0, sizeof(off));
	setitimer(ITIMER_REAL, &off, NULL);
}

static void arm_backstop(const struct plugin_info *pi, const struct common_opts *co)
{
	struct sigaction sa;
	struct itimerval it;
	double whole;
	locale_t c_locale;
	locale_t old = (locale_t)0;
	int n;

	/* "0.5 s" whatever LC_NUMERIC the plugin may have set. */
	c_locale = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
	if (c_locale != (locale_t)0) {
		old = uselocale(c_locale);
	}
	n = snprintf(alarm_line, sizeof(alarm_line),
		     "%s %s - plugin timed out after %g s (stage: ", pi->service,
		     state_name(co->timeout_state), co->timeout);
	if (c_locale != (locale_t)0) {
		uselocale(old);
		freelocale(c_locale);
	}
	alarm_len = n < 0 ? 0 : (size_t)n < sizeof(alarm_line) ? (size_t)n : sizeof(alarm_line) - 1;
	alarm_exit = co->timeout_state;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	/* A parent may start us with SIGALRM blocked (an inherited mask):
	 * the backstop must still fire. The deadline itself does not rely on
	 * it; every wait is bounded by the clock. */
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGALRM);
	sigprocmask(SIG_UNBLOCK, &sa.sa_mask, NULL);

	/* Exactly -t seconds after the start (the options took a little). */
	memset(&it, 0, sizeof(it));
	whole = co->timeout - (clock_monotonic_now() - run_start);
	if (whole < 0.001) {
		whole = 0.001;
	}
	it.it_value.tv_sec = (time_t)whole;
	it.it_value.tv_usec = (suseconds_t)((whole - (double)it.it_value.tv_sec) * 1e6);
	setitimer(ITIMER_REAL, &it, NULL);
}

void plugin_start(int argc, char **argv, const struct plugin_info *pi, struct common_opts *co)
{
	char err[512];
	double margin;

	run_start = clock_monotonic_now();
	run_pi = pi;
	run_co = co;
	/* A reader that goes away (O-03) must not kill us mid-write. */
	signal(SIGPIPE, SIG_IGN);

	switch (options_parse(argc, argv, pi, co, err, sizeof(err))) {
	case OPTS_OK:
		break;
	case OPTS_HELP:
		options_print_help(pi, stdout);
		exit(STATE_OK);
	case OPTS_VERSION:
		options_print_version(pi, stdout);
		exit(STATE_OK);
	case OPTS_ERROR:
	default:
		printf("%s: %s\n", pi->progname, err);
		options_print_usage(pi, stdout);
		exit(EXIT_USAGE);
	}

	/* The resolver's deadline comes before the backstop, so a silent
	 * server is reported as a DNS timeout naming the query, not as the
	 * plugin running out of time. */
	margin = co->timeout * MARGIN_SHARE;
	if (margin < MARGIN_MIN) {
		margin = MARGIN_MIN;
	}
	if (margin > co->timeout / 2) {
		margin = co->timeout / 2;
	}
	co->deadline = run_start + co->timeout - margin;
	co->rcfg.verbose = co->verbose;
	arm_backstop(pi, co);
	/* -s host names: resolved once, under the deadline, before any
	 * resolver (the main one, check_mx's DANE one) is made. */
	if (!options_resolve_servers(co, err, sizeof(err))) {
		plugin_die(pi, "%s", err);
	}
}

void plugin_stage(const char *s)
{
	run_stage = s != NULL ? s : "";
}

struct resolver *plugin_resolver_from(const struct common_opts *co,
				      const struct resolver_config *rcfg, char *err, size_t errlen)
{
	struct resolver_config cfg = *rcfg;

	cfg.deadline = co->deadline;
	return resolver_new(&cfg, err, errlen);
}

struct resolver *plugin_resolver(const struct common_opts *co)
{
	char err[256];
	struct resolver *res;

	err[0] = '\0';
	res = plugin_resolver_from(co, &co->rcfg, err, sizeof(err));
	if (res == NULL) {
		plugin_die(run_pi, "%s", err[0] != '\0' ? err : "cannot set up the resolver");
	}
	return res;
}

void plugin_not_contacted(struct check *c, const struct ipaddr *ad, const char *how,
			  const char *who_fmt, ...)
{
	char who[DNAME_TEXT_MAX + 64], a[ADDR_TEXT_MAX];
	va_list ap;

	va_start(ap, who_fmt);
	vsnprintf(who, sizeof(who), who_fmt, ap);
	va_end(ap);
	check_add(c, STATE_WARNING,
		  "%s address %s (%s) not contacted: internal addresses are %s only with "
		  "--allow-internal",
		  who, addr_to_text(ad->b, ad->len, a, sizeof(a)),
		  addr_class_str(addr_classify(ad->b, ad->len)), how);
}

enum state plugin_dns_error_state(const struct common_opts *co, const struct dns_answer *ans)
{
	/* An insecure or bogus answer (--dnssec, --dane) was had: it is a
	 * security finding, not a DNS error, so --dns-error-state (meant
	 * for timeouts and SERVFAIL) must not be able to hide it. */
	return ans->status == RES_INSECURE || ans->status == RES_BOGUS ? STATE_CRITICAL
								       : co->dns_error_state;
}

void plugin_dns_error(struct check *c, const struct common_opts *co, const struct dns_answer *ans,
		      const char *what)
{
	char buf[512];
	enum state st = plugin_dns_error_state(co, ans);

	answer_describe(ans, buf, sizeof(buf));
	if (what != NULL && what[0] != '\0') {
		check_add(c, st, "%s: %s", what, buf);
	} else {
		check_add(c, st, "%s", buf);
	}
}

void plugin_findings(struct check *c, const struct common_opts *co, const struct finding_list *l,
		     const char *prefix)
{
	const char *pfx = prefix != NULL ? prefix : "";

	for (size_t i = 0; i < l->n; i++) {
		const struct finding *f = &l->v[i];

		if (f->failed != NULL) {
			char what[FINDING_TEXT_MAX + 64];

			snprintf(what, sizeof(what), "%s%s", pfx, f->text);
			plugin_dns_error(c, co, f->failed, what);
		} else if (f->verbose > 0) {
			check_verbose(c, f->verbose, "%s%s", pfx, f->text);
		} else {
			check_add(c, f->state, "%s%s", pfx, f->text);
		}
	}
	/* What was left out keeps its weight: the line carries the worst
	 * state among the dropped findings (common/finding.c), so a full
	 * list neither hides a CRITICAL nor turns an OK run UNKNOWN. */
	if (l->dropped > 0) {
		check_add(c, l->dropped_worst, "%s%zu more findings not shown", pfx, l->dropped);
	}
	if (l->oom) {
		check_add(c, STATE_UNKNOWN, "%sout of memory: findings lost", pfx);
	}
}

/* --dnssec: the fewest days until a signature the check relied on
 * expires, against --rrsig-warning/--rrsig-critical, and as perfdata. */
static void rrsig_expiry(struct check *c, const struct common_opts *co, int64_t expire)
{
	double days = (double)(expire - (int64_t)time(NULL)) / 86400.0;
	struct range w, cr;
	char when[40], ws[16], cs[16];
	const char *why;
	time_t t = (time_t)expire;
	struct tm tm;

	if (expire <= 0) {
		return;
	}
	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(when, sizeof(when), "%Y-%m-%d %H:%M UTC", &tm) == 0) {
		snprintf(when, sizeof(when), "%lld", (long long)expire);
	}
	if (days < co->rrsig_crit_days || days < co->rrsig_warn_days) {
		check_add(c, days < co->rrsig_crit_days ? STATE_CRITICAL : STATE_WARNING,
			  "a DNSSEC signature the check relied on expires in %.1f days (%s), "
			  "under %u",
			  days, when,
			  days < co->rrsig_crit_days ? co->rrsig_crit_days : co->rrsig_warn_days);
	} else {
		check_verbose(
			c, 1,
			"DNSSEC signatures relied on expire in %.1f days at the earliest (%s)",
			days, when);
	}
	/* lower bounds: "7:" alerts under 7 (the Monitoring Plugins syntax) */
	snprintf(ws, sizeof(ws), "%u:", co->rrsig_warn_days);
	snprintf(cs, sizeof(cs), "%u:", co->rrsig_crit_days);
	if (range_parse(ws, &w, &why) && range_parse(cs, &cr, &why)) {
		check_perf_ranges(c, "rrsig_days", days, "", &w, &cr, NAN, NAN);
	}
}

void plugin_anchor_check(const struct resolver *res)
{
	if (res != NULL && resolver_anchor_problem(res) != NULL) {
		plugin_die(run_pi, "%s", resolver_anchor_problem(res));
	}
}

noreturn void plugin_exit(struct check *c, struct resolver *res)
{
	enum state st;

	disarm_backstop();
	if (res != NULL) {
		char note[160];
		size_t i;

		/* Servers that failed some questions while another answered:
		 * worth knowing, not an alert about the domain. */
		for (i = 0; resolver_failover_note(res, i, note, sizeof(note)); i++) {
			check_add(c, STATE_OK, "DNS server %s; the next server was asked", note);
		}
		/* The cost of the run, for every plugin alike (-v). */
		check_verbose(c, 1, "%u DNS quer%s in %u round trip%s", resolver_queries_sent(res),
			      resolver_queries_sent(res) == 1 ? "y" : "ies",
			      resolver_round_trips(res), resolver_round_trips(res) == 1 ? "" : "s");
	}
	plugin_anchor_check(res);
	if (res != NULL && run_co != NULL) {
		char note[2 * DNAME_TEXT_MAX + 40];

		for (size_t i = 0; resolver_dnssec_note(res, i, note, sizeof(note)); i++) {
			check_verbose(c, 1, "DNSSEC: %s", note);
		}
		rrsig_expiry(c, run_co, resolver_rrsig_expire(res));
	}
	check_perf(c, "time", clock_monotonic_now() - run_start, "s", NULL, NULL, 0, NAN);
	if (res != NULL) {
		check_perf(c, "dns_queries", (double)resolver_queries_sent(res), "", NULL, NULL, 0,
			   NAN);
	}
	st = check_render(c, stdout);
	check_free(c);
	resolver_free(res);
	fflush(stdout);
	exit((int)st);
}

noreturn void plugin_die(const struct plugin_info *pi, const char *fmt, ...)
{
	char text[1024];
	struct check *c;
	va_list ap;

	disarm_backstop();
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (pi == NULL) {
		pi = run_pi;
	}
	c = check_new(pi != NULL ? pi->service : "PLUGIN");
	/* Rendered like any output: the text may quote user input. */
	check_summary(c, STATE_UNKNOWN, "%s", text);
	check_render(c, stdout);
	check_free(c);
	fflush(stdout);
	exit(STATE_UNKNOWN);
}
