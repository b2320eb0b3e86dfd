/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_spf's query cap, as its findings say it (plugins/spf_run.h). */
#include "spf_run.h"

#include <stdio.h>

#include "dns_type.h"

_Static_assert(LIMIT_SPF_QUERIES == 7990, "--help says 7990 queries");

bool spf_over_query_limit(struct resolver *res, const struct dns_answer *a)
{
	return a != NULL && a->status == RES_NETERR &&
	       resolver_queries_sent(res) >= LIMIT_SPF_QUERIES;
}

void spf_query_limit_text(const struct dns_answer *a, char *buf, size_t len)
{
	char name[DNAME_TEXT_MAX], tb[16];

	snprintf(buf, len,
		 "query limit reached: check_spf sends at most %d "
		 "DNS queries per run, %s/%s was not asked",
		 LIMIT_SPF_QUERIES, dname_to_text(&a->qname, name, sizeof(name)),
		 dns_type_str(a->qtype, tb, sizeof(tb)));
}
