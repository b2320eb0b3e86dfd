/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What check_mta_sts's files share: its options (struct sts_opts, filled
 * by check_mta_sts.c's handle()) and the run (struct sts_run) every step
 * is given: the check, the resolver, the options and what the run found.
 * Linked into check_mta_sts only.
 */
#ifndef MAILDNS_MTA_STS_RUN_H
#define MAILDNS_MTA_STS_RUN_H

#include <stdbool.h>
#include <stddef.h>

#include "bounds.h"
#include "mta_sts.h"
#include "plugin.h"
#include "smtp_check.h"

struct sts_opts {
	bool optional;         /* --optional: no record is OK */
	struct smtp_opts smtp; /* --starttls, --ca-file, --smtp-port */
};

/* https://mta-sts.DOMAIN/.well-known/mta-sts.txt: 8 + 253 + 33 bytes */
#define STS_URL_MAX (DNAME_TEXT_MAX + 64)

struct sts_run {
	struct check *c;
	const struct common_opts *co;
	const struct sts_opts *o;
	struct resolver *res;
	char dom[DNAME_TEXT_MAX];         /* the domain, as text */
	struct dname policy_host;         /* mta-sts.DOMAIN */
	char url[STS_URL_MAX];            /* where the policy is */
	const struct dns_answer *txt;     /* _mta-sts.DOMAIN TXT (resolver-owned) */
	const struct dns_answer *mx;      /* DOMAIN MX */
	const struct dns_answer *addr[2]; /* mta-sts.DOMAIN A, AAAA; NULL
					     when -6/-4 leaves one out */
	bool have_record;                 /* at least one v=STSv1 TXT record */
	bool record_ok;                   /* exactly one, and valid */
	char id[MTA_STS_ID_MAX + 1];      /* its id when record_ok */
	struct mta_sts_policy *pol;       /* the fetched policy; NULL when none
					     (owned by the run) */
	bool server_fault;                /* the fetch failed for the server's sake (TLS,
					     a connection, the time): a body would not
					     mend it */
	/* The MX hosts (or the domain itself, implicit MX), distinct, best
	 * preference first; null MX targets ("0 .") left out. */
	struct dname hosts[LIMIT_MX_HOSTS];
	char host_text[LIMIT_MX_HOSTS][DNAME_TEXT_MAX];
	size_t nhosts;
	bool implicit_mx; /* no MX RRset: the domain is its own MX */
	bool null_mx;     /* only "0 .": the domain receives no mail */
	bool mx_failed;   /* the MX answer could not be had */
	size_t uncovered; /* hosts matching no mx: pattern */
};

/* d as text in buf (DNAME_TEXT_MAX bytes); returns buf. */
static inline char *sts_name_text(const struct dname *d, char *buf)
{
	return dname_to_text(d, buf, DNAME_TEXT_MAX);
}

#endif
