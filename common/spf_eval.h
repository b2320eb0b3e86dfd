/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * RFC 7208 check_host(), through common/resolver.h only.
 *
 * The record fetch (spf_fetch) and selection (spf_select) are separate
 * and public so the static audit can walk the include/redirect tree
 * with batched queries and the same parser: every answer is cached by
 * the resolver, so an evaluation after an audit sends no query twice.
 */
#ifndef MAILDNS_SPF_EVAL_H
#define MAILDNS_SPF_EVAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "dname.h"
#include "resolver.h"
#include "spf_parse.h"

/* A client address; IPv4-mapped IPv6 is stored as IPv4 (RFC 7208 5). */
struct spf_ip {
	int family;       /* 4 or 6 */
	uint8_t addr[16]; /* IPv4: first 4 bytes */
};

/* Parse "192.0.2.1", "2001:db8::1" or "::ffff:192.0.2.1" (NUL-ended). */
bool spf_ip_parse(const char *s, struct spf_ip *out);
/* "192.0.2.1" / "2001:db8::1" into buf (at least 46 bytes). */
char *spf_ip_str(const struct spf_ip *ip, char *buf, size_t len);

/* What record selection (4.5) found in one TXT answer. */
enum spf_select_status {
	SPF_SEL_ONE,       /* exactly one v=spf1 record */
	SPF_SEL_NONE,      /* no v=spf1 record (or no TXT, NXDOMAIN) */
	SPF_SEL_MULTIPLE,  /* more than one: permerror (4.5) */
	SPF_SEL_DNS_ERROR, /* the answer could not be had: temperror */
};

struct spf_selection {
	enum spf_select_status status;
	const uint8_t *data; /* ONE: the record bytes, in the answer */
	size_t len;
	size_t nspf; /* v=spf1 records seen */
	size_t ntxt; /* TXT RRs seen */
};

/* Pure: pick the SPF record out of a TXT answer (owned by the caller's
 * resolver; data points into it). */
void spf_select(const struct dns_answer *ans, struct spf_selection *sel);

/* The SPF record of one domain, as fetched and parsed. */
struct spf_fetch {
	enum spf_result result;       /* PASS here means "record parsed";
					 NONE, TEMPERROR or PERMERROR */
	struct spf_record *rec;       /* when parsed; caller frees with
					 spf_fetch_clear() */
	const struct dns_answer *ans; /* the TXT answer (resolver-owned) */
	struct spf_selection sel;
	char why[256]; /* for NONE/TEMPERROR/PERMERROR */
};

/* Query TXT for domain (cached) and select and parse its record. */
void spf_fetch(struct resolver *res, const struct dname *domain, struct spf_fetch *out);
void spf_fetch_clear(struct spf_fetch *f);

/* The check_host() inputs (4.1). */
struct spf_request {
	struct spf_ip ip;
	const char *sender;   /* MAIL FROM; "" or NULL: null sender, so
				 postmaster@helo is checked (2.4) */
	const char *helo;     /* HELO/EHLO name; may be NULL */
	const char *receiver; /* %{r}; NULL: "unknown" */
	time_t now;           /* %{t} */
};

struct spf_outcome {
	enum spf_result result;
	char domain[DNAME_TEXT_MAX]; /* the identity domain checked */
	char term[320];              /* the deciding term ("-all", "include:x"
					with the inner term) or "default" */
	char where[DNAME_TEXT_MAX];  /* domain whose record held it */
	char why[512];               /* reason for none/permerror/temperror */
	char *explanation;           /* fail with a usable exp=: expanded text
					(heap, may hold any byte), else NULL */
	size_t explanation_len;
	const struct dns_answer *failed; /* temperror: the answer that could
					    not be had (resolver-owned) */
	unsigned lookups;                /* DNS-querying terms evaluated (4.6.4) */
	unsigned voids;                  /* void lookups (4.6.4) */
};

/*
 * check_host() for req. Fills out (caller frees with
 * spf_outcome_clear()); returns out->result.
 */
enum spf_result spf_check_host(struct resolver *res, const struct spf_request *req,
			       struct spf_outcome *out);
void spf_outcome_clear(struct spf_outcome *out);

#endif
