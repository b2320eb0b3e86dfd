/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What check_mx's files share: its options (struct mx_opts, filled by
 * check_mx.c's handle()), the MX hosts found (struct mx_host) and the run
 * (struct mx_run) every step is given: the check, the resolver, the
 * options and what the run found. Linked into check_mx only.
 */
#ifndef MAILDNS_MX_RUN_H
#define MAILDNS_MX_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addrclass.h"
#include "bounds.h"
#include "fcrdns.h"
#include "plugin.h"
#include "smtp_check.h"

struct mx_opts {
	struct dname expect[LIMIT_MX_EXPECT]; /* -e, in lower case, A-labels */
	size_t nexpect;
	bool require_ipv6, ptr, null_mx_ok, exact;
	struct dname mail_host; /* --mail-host, for fix: lines */
	bool have_mail_host;
	struct smtp_opts smtp; /* --smtp, --starttls, --dane, ... */
	char why[160];         /* handle()'s reason, read by plugin_start() */
};

struct mx_host {
	uint16_t pref;
	struct dname name;
	char text[DNAME_TEXT_MAX];
	const char *bad_name; /* why the name itself is unusable, or NULL */
	bool dup;             /* same target as an earlier MX */
	bool failed;          /* an A/AAAA query could not be answered */
	bool v6_failed;       /* the AAAA query could not be answered */
	bool nxdomain;
	const struct dns_answer *ans[2]; /* A, AAAA */
	struct ipaddr addr[LIMIT_MX_HOST_ADDRS];
	size_t naddr;
	bool has_v6, more_addrs;
};

/* A and AAAA of every host go out in one batch. */
_Static_assert(2 * LIMIT_MX_HOSTS <= LIMIT_BATCH, "MX batch over LIMIT_BATCH");

/*
 * The run's big storage, one heap block (main() allocates it, finish()
 * frees it): the hosts, and the working arrays of one step at a time,
 * which no two steps use at once. malloc(), not calloc(): each step
 * writes what it reads, so only the pages a run writes become resident,
 * as with the static arrays this replaces (most runs touch one host and a
 * few questions).
 */
struct mx_store {
	struct mx_host hosts[LIMIT_MX_HOSTS];
	union {
		struct {
			const struct dns_rr *rrs[LIMIT_RRS_PER_ANSWER];
		} collect; /* mx_collect_hosts() */
		struct {
			struct dns_question q[2 * LIMIT_MX_HOSTS];
			const struct dns_answer *ans[2 * LIMIT_MX_HOSTS];
		} resolve; /* mx_resolve_hosts() */
		struct {
			struct ipaddr addrs[LIMIT_MX_PTR_ADDRS];
			struct fcrdns fc[LIMIT_MX_PTR_ADDRS];
		} ptr; /* mx_check_ptr() */
		struct {
			struct smtp_addr addrs[LIMIT_MX_HOSTS][LIMIT_MX_HOST_ADDRS];
			struct smtp_host sh[LIMIT_MX_HOSTS];
			struct smtp_work work;
		} smtp; /* mx_probe_smtp() */
	} step;
};

/* What the run works on and found. */
struct mx_run {
	struct check *c;
	const struct common_opts *co;
	const struct mx_opts *o;
	struct resolver *res;
	char dom[DNAME_TEXT_MAX];    /* the domain, as text */
	const struct dns_answer *mx; /* the MX answer (resolver-owned) */
	struct mx_store *st;         /* heap, owned by the run: NULL until
					the MX RRset is known, freed by
					finish() */
	struct mx_host *hosts;       /* st->hosts[0 .. nhosts-1], sorted */
	size_t nhosts;
	bool null_mx;  /* a "0 ." RR was among them */
	size_t usable; /* hosts with at least one address */
	size_t naddr;  /* addresses of the usable hosts */
};

static inline const char *mx_plural(size_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

#endif
