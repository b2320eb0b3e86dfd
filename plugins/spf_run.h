/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What check_spf's files share: its options, the per-run struct its
 * checks are passed, and the run's query cap (LIMIT_SPF_QUERIES), whose
 * reach is ours to report (UNKNOWN), not a DNS failure of the domain.
 * Linked into check_spf only.
 */
#ifndef MAILDNS_SPF_RUN_H
#define MAILDNS_SPF_RUN_H

#include <stdbool.h>
#include <stddef.h>

#include "bounds.h"
#include "dname.h"
#include "options.h"
#include "output.h"
#include "resolver.h"
#include "spf_eval.h"
#include "state.h"

/* The plugin's own options (handle() fills them, validate() checks
 * them); read-only once the run starts. */
struct spf_opts {
	struct spf_ip ips[LIMIT_SPF_ADDRESSES]; /* --ip */
	size_t nips;
	const char *sender; /* NULL: not given; "": null sender */
	const char *helo;
	bool expect[SPF_RESULT_COUNT];
	bool expect_set;
	const char *expect_arg;
	const char *mail_host_arg;
	struct dname mail_host;
	bool no_audit;
	bool require_fail; /* --require-all=fail */
	char why[160];     /* handle()'s reason for a bad --mail-host */
};

/* What the audit left for the first line, decided after the evaluation
 * (the worst of both: doc/output-contract.md). */
struct spf_audited {
	bool done, have_record;
	enum state lookups_state;
	char lookups_text[128];
	char ok_text[160];
};

/* One run: the check, the options, the resolver and what it found. */
struct spf_run {
	struct check *c;
	const struct common_opts *co;
	const struct spf_opts *o;
	struct resolver *res;
	/* the addresses to evaluate: --ip, then those of --mail-host */
	struct spf_ip ips[LIMIT_SPF_ADDRESSES];
	size_t nips;
	size_t nip_args; /* how many of them came from --ip */
	struct spf_audited audited;
};

/* True when a has no answer because the run reached its query cap
 * (LIMIT_SPF_QUERIES, set in main()): our limit, not a DNS failure of
 * the domain. */
bool spf_over_query_limit(struct resolver *res, const struct dns_answer *a);

/* "query limit reached: ..." for a question the cap kept from being
 * asked, into buf. */
void spf_query_limit_text(const struct dns_answer *a, char *buf, size_t len);

#endif
