/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * --all-ns (issue 7): is every authoritative server of a zone serving
 * the records a check relied on?
 *
 * After a zone edit a stale secondary, or one that stopped transferring,
 * keeps serving the old MX, SPF, DKIM key or DMARC policy, and a
 * recursive resolver hands out whichever it happened to ask. For every
 * question the check asked (resolver_questions(), plus the CNAME
 * targets its answers went through) this finds the zone holding the
 * name (the closest enclosing SOA, asked through the check's own
 * servers, so it works whether -s is a recursive resolver or an
 * authoritative server of the zone), the zone's NS set and every NS
 * host's A/AAAA, and asks each address the same questions directly
 * (RD=0, port -p) in one wave under the run's deadline. Answers are
 * compared as sets: TTL and order ignored, TXT by the joined strings,
 * names case-insensitively.
 *
 * Findings go into the check (common/ never prints): a server serving
 * another answer is a WARNING, or what the plugin's judge says (CRITICAL
 * when that answer would fail the check); a server that does not answer,
 * refuses or answers without AA (lame) is a WARNING; -v lists each
 * server's SOA serial. Perfdata ns_total (server addresses asked) and
 * ns_agree (those that answered everything authoritatively and like
 * the reference).
 */
#ifndef MAILDNS_PROPAGATION_H
#define MAILDNS_PROPAGATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "options.h"
#include "output.h"
#include "resolver.h"
#include "state.h"

/*
 * How bad it is that a server answers got where the other servers agree
 * on ref (same question). Return STATE_CRITICAL when a receiver that
 * asked that server would fail the check (no key, an old key, no
 * policy...); anything under WARNING is taken as WARNING.
 */
typedef enum state (*prop_judge_fn)(void *ctx, const struct dns_answer *ref,
				    const struct dns_answer *got);

/*
 * Run the comparison for everything res was asked so far and add its
 * findings and perfdata to c. judge may be NULL (every difference a
 * WARNING). Sends nothing when res was asked nothing.
 */
void propagation_check(struct check *c, const struct common_opts *co, struct resolver *res,
		       prop_judge_fn judge, void *ctx);

/* ---- the comparison itself, pure functions (unit-tested) ---- */

/* Same answer as a set: status (OK/NODATA/NXDOMAIN), CNAME chain, and
 * the records (TXT by joined strings, names case-insensitively, other
 * types by RDATA); TTL and order ignored. */
bool prop_same_answer(const struct dns_answer *a, const struct dns_answer *b);

/* Does got hold at least one record that ref holds (same test as
 * above)? False when either holds none. */
bool prop_shares_record(const struct dns_answer *ref, const struct dns_answer *got);

/* RFC 1982 serial number order: <0 when a is older than b, 0 equal,
 * >0 newer (undefined pairs, 2^31 apart, count as newer). */
int prop_serial_cmp(uint32_t a, uint32_t b);

/*
 * What an answer holds, for a finding: "NXDOMAIN", "no TXT record",
 * "\"v=spf1 -all\"", "10 mx.example.com", "192.0.2.1, 192.0.2.2",
 * "CNAME a.example -> ..." first when there is a chain. DNS bytes are
 * escaped as out_bytes() does; cut with "..." to fit len. Returns buf.
 */
char *prop_answer_text(const struct dns_answer *a, char *buf, size_t len);

#endif
