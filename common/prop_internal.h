/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * --all-ns internals shared by propagation.c (records, comparison,
 * findings) and prop_zone.c (zones, NS sets, server addresses).
 * Not a public interface: see propagation.h.
 */
#ifndef MAILDNS_PROP_INTERNAL_H
#define MAILDNS_PROP_INTERNAL_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "propagation.h"

#define NO_ZONE SIZE_MAX
#define PROP_TEXT_SHOWN                                                                            \
	200 /* bytes of each answer in a finding: two fit                                          \
	      a line (LIMIT_LINE_TEXT), and a DKIM key                                             \
	      shows well past its common SPKI prefix */

struct rec { /* one (name, type) the check relied on */
	struct dname name;
	uint16_t type;
	size_t zone;                    /* index in zones, or NO_ZONE */
	const struct dns_answer *check; /* the check's own answer; NULL
					   for a name on a CNAME chain */
	bool asked;                     /* within the direct-question budget */
};

struct zone {
	struct dname apex;
	char apex_text[DNAME_TEXT_MAX];
	size_t nhost;
	struct dname host[LIMIT_PROP_ADDRS];
	size_t naddr;
	char addr[LIMIT_PROP_ADDRS][INET6_ADDRSTRLEN];
	size_t addr_host[LIMIT_PROP_ADDRS];
	size_t nrec; /* records asked in this zone */
	size_t base; /* its first direct question */
};

struct prop {
	struct check *c;
	const struct common_opts *co;
	struct resolver *res;
	prop_judge_fn judge;
	void *ctx;
	struct rec *rec;
	size_t nrec, skipped;
	struct zone *zone;
	size_t nzone;
	/* every address asked, for ns_total / ns_agree */
	char seen[LIMIT_PROP_SERVERS][INET6_ADDRSTRLEN];
	bool differs[LIMIT_PROP_SERVERS];
	size_t nseen;
};

/*
 * The zone of every record (rec[].zone; the closest name answering with
 * its own SOA), then every zone's NS hosts and their addresses. Findings
 * for what could not be had go into p->c. False only when memory ran
 * out.
 */
bool prop_find_zones(struct prop *p);
bool prop_find_servers(struct prop *p);

#endif
