/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_dmarc's two standards: the policy receivers on RFC 9989 (which
 * obsoletes RFC 7489) and on RFC 7489 apply to the domain, and their
 * comparison (a difference is a WARNING).
 */
#ifndef MAILDNS_DMARC_STANDARDS_H
#define MAILDNS_DMARC_STANDARDS_H

#include <stdbool.h>

#include "dmarc.h"
#include "dmarc_discovery.h"

struct run;

/* The policy a record gives the domain (RFC 7489 6.6.3; np= RFC 9091,
 * RFC 9989 4.7): p= of the domain's own record; for an inherited one
 * sp= when present, else p=; np= when the domain does not exist. *src
 * names the tag. */
enum dmarc_policy dmarc_base_policy(const struct dmarc_record *rec, bool inherited,
				    bool nonexistent, const char **src);

/* What receivers on RFC 9989 apply: t=y lowers the policy one step
 * (4.7); pct= is gone. */
enum dmarc_policy dmarc_policy_9989(const struct dmarc_record *rec, enum dmarc_policy base);

/* What receivers on RFC 7489 apply to the mail pct= leaves out (6.6.4:
 * the next lower policy); t= is unknown to them. */
enum dmarc_policy dmarc_policy_7489(const struct dmarc_record *rec, enum dmarc_policy base);

/*
 * What receivers on RFC 9989 (the DNS tree walk) and on RFC 7489 (the
 * public suffix list) apply to the domain, compared: a difference is a
 * WARNING. rec is the record checked (at r->at), with what each standard
 * applies; other what the other method found (a DNS failure there is
 * reported already).
 */
void dmarc_compare_standards(struct run *r, const struct dmarc_record *rec,
			     enum dmarc_policy mine_9989, enum dmarc_policy mine_7489,
			     const struct dmarc_found *other, bool nonexistent);

#endif
