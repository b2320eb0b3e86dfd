/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_mx when the domain has no MX RRset: the fallback to its own
 * addresses (RFC 5321 5.1), a parked domain's missing null MX (RFC 7505)
 * and the MX record to publish.
 */
#include "mx_nomx.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/*
 * The MX record to publish. The mail server's name cannot be guessed (a
 * made-up mail.DOMAIN would be a fix that fixes nothing): it comes from
 * --mail-host or $MAILNAME (the variable the mail server's DNS guide
 * uses); without either, the long output says what to publish instead.
 */
static void fix_mx(struct mx_run *r)
{
	struct dname mail_host;
	bool have = r->o->have_mail_host;
	char host[DNAME_TEXT_MAX];

	if (have) {
		mail_host = r->o->mail_host;
	} else {
		const char *env = getenv("MAILNAME");
		const char *why = NULL;

		have = env != NULL && env[0] != '\0' &&
		       dname_from_text(&mail_host, env, strlen(env),
				       DNAME_HOSTNAME | DNAME_MULTILABEL, &why);
	}
	if (have) {
		check_fix(r->c, "%s. IN MX 10 %s.", r->dom,
			  dname_to_text(&mail_host, host, sizeof host));
		return;
	}
	check_add(r->c, STATE_OK,
		  "to fix: publish \"%s. IN MX 10 <your mail server's host name>.\" (give it with "
		  "--mail-host or MAILNAME for the record)",
		  r->dom);
}

/* RFC 5321 5.1: without MX, senders use the domain's A/AAAA. Say whether
 * there is one to fall back to. */
static void fallback(struct mx_run *r)
{
	struct dns_question q[2] = {{r->co->domain, DNS_T_A}, {r->co->domain, DNS_T_AAAA}};
	const struct dns_answer *ans[2] = {NULL, NULL};
	char a[ADDR_TEXT_MAX] = "";
	bool failed = false;

	plugin_stage("fallback address lookup");
	resolver_query_batch(r->res, q, 2, ans);
	for (size_t i = 0; i < 2; i++) {
		failed |= !res_status_is_answer(ans[i]->status);
		if (ans[i]->status == RES_OK && a[0] == '\0')
			addr_to_text(ans[i]->rr[0].u.addr, i ? 16 : 4, a, sizeof a);
	}
	if (a[0] || failed)
		check_add(r->c, STATE_CRITICAL,
			  "no MX record; senders fall back to the domain's own address%s%s (RFC "
			  "5321 5.1)",
			  a[0] ? " " : "", a);
	else
		check_add(r->c, STATE_CRITICAL,
			  "no MX record and no A/AAAA to fall back to: no mail can be delivered");
	/* After the finding above, which is what the first line says. */
	for (size_t i = 0; i < 2; i++)
		if (!res_status_is_answer(ans[i]->status))
			plugin_dns_error(r->c, r->co, ans[i], "fallback address");
}

void mx_no_mx(struct mx_run *r)
{
	const struct common_opts *co = r->co;

	if (co->parked) {
		/* RFC 7505 3: a domain that takes no mail says so with a
		 * null MX; without one, senders try its addresses or queue
		 * mail until it bounces days later. */
		check_add(r->c, STATE_WARNING,
			  "parked domain publishes no null MX (RFC 7505): senders %s",
			  r->mx->status == RES_NXDOMAIN
				  ? "find that it does not exist"
				  : "fall back to its address records and retry");
	} else if (r->mx->status == RES_NXDOMAIN) {
		check_add(r->c, STATE_CRITICAL, "no MX record: %s does not exist (NXDOMAIN)",
			  r->dom);
	} else {
		fallback(r);
	}
	if (co->parked)
		check_fix(r->c, "%s. IN MX 0 .", r->dom);
	else
		fix_mx(r);
	check_perf_ranges(r->c, "mx", 0, "", &co->warn, &co->crit, 0, NAN);
}
