/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_mx --dane: the TLSA records of every probed MX host, looked up
 * before the probe (they go into the handshake, common/dane.h), and the
 * verdict OpenSSL's DANE verification gave for each address as findings
 * (RFC 7672).
 */
#ifndef MAILDNS_SMTP_DANE_H
#define MAILDNS_SMTP_DANE_H

#include <stdbool.h>
#include <stddef.h>

#include "bounds.h"
#include "dane.h"
#include "plugin.h"
#include "smtp_probe.h"

struct smtp_host;
struct smtp_opts;

/* One probed host's TLSA RRset and what was said about it. */
struct tlsa_host {
	struct dname owner;
	char owner_text[DNAME_TEXT_MAX];
	const struct dns_answer *ans;
	struct tlsa_rec recs[LIMIT_TLSA_RRS]; /* of ans when authenticated */
	size_t nrecs;
	bool reported; /* the host-level finding was added */
	bool fixed;    /* the fix line was added */
};

/*
 * TLSA at _25._tcp.HOST of hosts[0 .. nh-1] in one batch into th[] (the
 * caller zeroes it), over a resolver that validates DNSSEC (common/dnssec.h): res
 * when --dnssec is on, else a second one, returned (the caller frees it when
 * it is not res). Only an authenticated RRset's records are kept (RFC
 * 7672 2.2). Ends the run (UNKNOWN) when no resolver can be made.
 */
struct resolver *smtp_lookup_tlsa(struct resolver *res, const struct common_opts *co,
				  const struct smtp_host *hosts, size_t nh, struct tlsa_host *th);

/* The DANE findings of one address t (result r) of host th; host-level
 * ones once per host. True when a TLSA record authenticated the server. */
bool smtp_report_dane(struct check *c, const struct common_opts *co, const struct smtp_opts *so,
		      struct tlsa_host *th, const struct smtp_target *t,
		      const struct smtp_result *r);

#endif
