/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The plugin-side runtime: what every plugin's main() does at start and
 * at exit. common/ never exits; this is where a run ends, through
 * plugin_exit() or the alarm backstop.
 */
#ifndef MAILDNS_PLUGIN_H
#define MAILDNS_PLUGIN_H

#include <stdnoreturn.h>

#include "addrclass.h"
#include "finding.h"
#include "options.h"
#include "output.h"
#include "resolver.h"

/*
 * Parse options (help/version: print, exit 0; bad input: "prog: reason -
 * value" and usage, exit UNKNOWN), record the start time, set
 * co->deadline from -t so that the resolver gives up before the
 * backstop fires, and arm the alarm backstop, which prints
 * "SERVICE STATE - plugin timed out after N s (stage: ...)" and exits
 * with the -t state.
 */
void plugin_start(int argc, char **argv, const struct plugin_info *pi, struct common_opts *co);

/* What the run is doing, named in the timeout line. s must be static. */
void plugin_stage(const char *s);

/* A resolver from the options; on failure exits UNKNOWN naming why. */
struct resolver *plugin_resolver(const struct common_opts *co);

/* A resolver from rcfg (a variant of co->rcfg) under the run's deadline;
 * NULL with the reason in err on failure. */
struct resolver *plugin_resolver_from(const struct common_opts *co,
				      const struct resolver_config *rcfg, char *err, size_t errlen);

/*
 * Add a finding for an answer that could not be had, at the
 * --dns-error-state: "DNS SERVFAIL for _dmarc.example.com/TXT via ...".
 * An insecure or bogus answer (--dnssec, --dane) is CRITICAL whatever
 * --dns-error-state says. what (may be NULL) says what the query was for ("SPF record").
 */
void plugin_dns_error(struct check *c, const struct common_opts *co, const struct dns_answer *ans,
		      const char *what);

/*
 * An internal address left alone without --allow-internal: a WARNING
 * "<who> address A (class) not contacted: internal addresses are <how>
 * only with --allow-internal", who given as printf arguments ("SMTP: MX
 * %s"), how what the plugin would have done ("probed", "fetched").
 */
void plugin_not_contacted(struct check *c, const struct ipaddr *ad, const char *how,
			  const char *who_fmt, ...) PRINTF_LIKE(4, 5);

/* The state plugin_dns_error() gives ans: --dns-error-state, or
 * CRITICAL for an insecure or bogus answer. For a result that stems from
 * such an answer (check_spf's temperror). */
enum state plugin_dns_error_state(const struct common_opts *co, const struct dns_answer *ans);

/*
 * Every finding of l as output, the one place that does it: a finding with
 * verbose > 0 as a -v line, a DNS failure (finding.failed) at
 * --dns-error-state naming the answer, the rest at their state. prefix
 * (may be NULL) is put before each text ("selector s1: "). A list that
 * dropped findings or ran out of memory says so (UNKNOWN).
 */
void plugin_findings(struct check *c, const struct common_opts *co, const struct finding_list *l,
		     const char *prefix);

/*
 * --dnssec, --dane: a trust anchor that is not for a zone above the names
 * checked is the user's configuration, UNKNOWN naming the file (D-06);
 * dies then. For every validating resolver, before its answers are used.
 */
void plugin_anchor_check(const struct resolver *res);

/* Add perfdata time and dns_queries, render, free c and res, exit. */
noreturn void plugin_exit(struct check *c, struct resolver *res);

/* Exit UNKNOWN with "SERVICE UNKNOWN - <text>" (our own inputs wrong). */
noreturn void plugin_die(const struct plugin_info *pi, const char *fmt, ...) PRINTF_LIKE(2, 3);

#endif
