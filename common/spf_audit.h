/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The static SPF audit (RFC 7208): what can be said about a domain's
 * SPF record without a client address. Pure policy over the parser and
 * the resolver: no printing, no exit; the plugin maps the findings to
 * output.
 *
 * The include/redirect tree is walked one level at a time, and each
 * level's questions (the TXT of every include/redirect target found in
 * the level above, and the A/AAAA, MX or A of every a, mx and exists
 * target of the level above) go out in ONE resolver_query_batch(): a
 * tree three levels deep costs three round trips. The questions are the
 * ones check_host() asks (spf_eval.c), so an evaluation after the audit
 * is answered from the resolver's cache.
 */
#ifndef MAILDNS_SPF_AUDIT_H
#define MAILDNS_SPF_AUDIT_H

#include <stdbool.h>
#include <stddef.h>

#include "dname.h"
#include "finding.h"
#include "resolver.h"
#include "spf_eval.h"
#include "state.h"

/* What a finding is about (struct finding's code); each has a default
 * state (doc/output-contract.md). */
enum spf_audit_code {
	SPF_A_DNS_ERROR,    /* an answer could not be had (->failed) */
	SPF_A_NO_RECORD,    /* no v=spf1 TXT record: CRITICAL */
	SPF_A_ONLY_SPF99,   /* only a type-99 SPF RR: CRITICAL */
	SPF_A_SPF99,        /* a type-99 RR besides the TXT: note */
	SPF_A_MULTIPLE,     /* several v=spf1 records (4.5): CRITICAL */
	SPF_A_ONE,          /* exactly one record: OK */
	SPF_A_SYNTAX,       /* parse error, names the term: CRITICAL */
	SPF_A_TOO_BIG,      /* over 450 bytes (3.4): WARNING */
	SPF_A_LOOP,         /* include/redirect loop: CRITICAL */
	SPF_A_DUPLICATE,    /* same record included twice: note */
	SPF_A_TARGET_NONE,  /* include/redirect target has no record,
			       several, or a syntax error: CRITICAL */
	SPF_A_MX_LIMIT,     /* more than 10 MX names (4.6.4): CRITICAL */
	SPF_A_VOID,         /* more than 2 void lookups: CRITICAL;
			       more for one client family only (they
			       get permerror): WARNING; 1 or 2: note */
	SPF_A_MACRO,        /* target needs a client identity: not
			       followed (note) */
	SPF_A_TOO_DEEP,     /* not followed past LIMIT_SPF_DEPTH or
			       the audit's own bounds: note */
	SPF_A_ALL_PASS,     /* +all: CRITICAL */
	SPF_A_ALL_NEUTRAL,  /* ?all: WARNING */
	SPF_A_NO_ALL,       /* neither all nor redirect: WARNING */
	SPF_A_ALL_SOFTFAIL, /* ~all: OK, WARNING with require_fail */
	SPF_A_ALL_FAIL,     /* -all: OK */
	SPF_A_PTR,          /* ptr used (deprecated, 5.5): WARNING */
	SPF_A_AFTER_ALL,    /* terms after all never evaluated: note */
	SPF_A_FIX_NOTE,     /* what the fix line leaves out, or why there
			       is none (a third party's permerror): note */
	SPF_A_SENDER_ID,    /* spf2.0/ (Sender ID) TXT records, which
			       receivers ignore: note beside v=spf1,
			       WARNING when they are all there is */
};

/* What one include or redirect costs: the term and everything below. */
struct spf_audit_cost {
	char term[160];             /* "include:_spf.big.example" (escaped) */
	char where[DNAME_TEXT_MAX]; /* domain whose record has it */
	unsigned lookups;           /* 1 (the term) + the target's tree */
	bool top;                   /* in the domain's own record or its
				       redirect chain */
};

struct spf_audit_opts {
	bool require_fail; /* --require-all=fail: ~all is WARNING */
	/* --mail-host addresses, for the fix line's ip4:/ip6: terms */
	const struct spf_ip *mail_ips;
	size_t nmail_ips;
	/* The mail server's host name (--mail-host or $MAILNAME, validated,
	 * without the trailing dot) or NULL: a:HOST in the fix line where
	 * neither mx nor the addresses above name it. Borrowed. */
	const char *mail_host;
	/* The address families of the evaluation that follows (none: no
	 * evaluation). The audit then also asks those address types of its
	 * mx targets' hosts, as check_host() will: the evaluation finds
	 * them cached and costs no round trip after the audit's last. */
	bool eval_ipv4, eval_ipv6;
};

struct spf_audit {
	bool have_record;      /* exactly one record, parsed */
	unsigned lookups;      /* 4.6.4 DNS-querying terms over the whole
				  tree (every term, as for a client that
				  matches nothing); saturates at 99999 */
	bool lookups_partial;  /* part of the tree could not be counted
				  (loop, macro, missing target, bounds) */
	unsigned voids;        /* void lookups over the tree, for every
				  client (NXDOMAIN, no address at all) */
	unsigned voids_family; /* for the client family that gets more
				  (an a target with only A records is void
				  for IPv6 clients), never below voids:
				  the worst case, over 2 a WARNING */
	size_t record_bytes;   /* the domain's own record */

	/* in the order found, codes of enum spf_audit_code, texts with
	 * DNS-derived parts escaped; an SPF_A_DNS_ERROR finding keeps the
	 * answer (finding_add_dns()) */
	struct finding_list findings;
	size_t ncosts;
	struct spf_audit_cost *costs;

	char *fix; /* record to publish (heap, NUL-ended) or
		      NULL when none is needed */
	size_t fix_len;
	struct dname fix_owner; /* where to publish it */
	char void_detail[400];  /* the void targets, "a:x.example
				   (NXDOMAIN), ..." (escaped) */

	unsigned queries;     /* wire queries the audit sent */
	unsigned round_trips; /* batches that waited on the network */
	unsigned records;     /* SPF records fetched (tree nodes) */
};

/* The default state of a finding code (doc/output-contract.md 8). */
enum state spf_audit_default_state(enum spf_audit_code code, const struct spf_audit_opts *o);

/*
 * Audit the SPF record of domain. Fills out (caller frees with
 * spf_audit_clear()). Returns false only when memory ran out (out then
 * holds what was found so far).
 */
bool spf_audit_run(struct resolver *res, const struct dname *domain,
		   const struct spf_audit_opts *opts, struct spf_audit *out);
void spf_audit_clear(struct spf_audit *a);

/*
 * Pure helpers, exported for unit tests.
 */
/* True when the domain-spec of len bytes uses a macro letter other than
 * d (so it needs a client identity and cannot be expanded statically). */
bool spf_audit_needs_identity(const char *spec, size_t len);

/*
 * The guide's record ("v=spf1 mx a ~all", with ip4:/ip6: terms for the
 * mail host's addresses): mx when the domain has usable MX hosts, a when
 * it has addresses, then the addresses, then ~all (-all with
 * require_fail). NULL when the record would name no sender at all
 * (nothing known: a made-up mx or a is no fix) or on OOM. Heap string,
 * caller frees.
 */
char *spf_audit_guide_record(bool have_mx, bool have_addr, const struct spf_ip *ips, size_t nips,
			     bool require_fail);

/*
 * The guide's record as above, keeping the ip4:/ip6: terms of keep (the
 * domain's own record, or NULL) as written, in order, then a:host when
 * host is not NULL (the mail server by name); --mail-host addresses a
 * term of keep matches are not repeated; -all when keep has -all. NULL
 * when it would name no sender, or on OOM. Heap string (caller frees).
 */
char *spf_audit_guide_fix(bool have_mx, bool have_addr, const struct spf_record *keep,
			  const struct spf_ip *ips, size_t nips, const char *host,
			  bool require_fail);

/*
 * The record with its policy mended: a pass/neutral "all" (and a
 * softfail one with require_fail) replaced by "~all" / "-all", or the
 * "~all" appended when there is neither all nor redirect. NULL when
 * nothing needs mending (or OOM). Caller frees.
 */
char *spf_audit_mend_all(const struct spf_record *rec, bool require_fail);

#endif
