/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_bimi's options and the per-run struct, shared by
 * plugins/check_bimi.c and the plugins/bimi_*.c files it is made of
 * (linked into check_bimi only, mk/bimi.am).
 */
#ifndef MAILDNS_BIMI_RUN_H
#define MAILDNS_BIMI_RUN_H

#include <stdbool.h>
#include <stddef.h>

#include "bimi.h"
#include "dname.h"
#include "options.h"
#include "orgdomain.h"
#include "output.h"
#include "resolver.h"

struct bimi_opts {
	const char *selector;      /* -S, default "default" */
	struct dname seldn;        /* the selector, one label */
	const char *ca_file;       /* --ca-file: HTTPS trust anchors, or NULL */
	const char *vmc_ca_file;   /* --vmc-ca-file: VMC trust anchors, or NULL */
	long cert_warn, cert_crit; /* --cert-warning/--cert-critical, days */
	bool require_vmc;          /* --require-vmc */
	const char *psl_file;      /* --psl-file, or NULL */
	char why[160];             /* an option error's text */
};

/* What the run works with and what it found. */
struct bimi_run {
	struct check *c;
	const struct common_opts *co;
	const struct bimi_opts *o;
	struct resolver *res;
	struct orgdomain *od;           /* the public suffix list */
	struct dname org;               /* the domain's organisational domain */
	char dom[DNAME_TEXT_MAX];       /* the domain asked, as text */
	struct dname rec_domain;        /* the domain whose record is used (the
					   domain or its organisational domain) */
	char rec_owner[DNAME_TEXT_MAX]; /* SELECTOR._bimi.REC_DOMAIN */
	struct bimi_record *rec;        /* the record used; owned */
	const char *rec_txt;            /* its bytes (resolver-owned) */
	size_t rec_len;
	char summary[400]; /* the OK summary built along the way */
};

/* d as text in buf (DNAME_TEXT_MAX bytes); returns buf. */
static inline char *bimi_name_text(const struct dname *d, char *buf)
{
	return dname_to_text(d, buf, DNAME_TEXT_MAX);
}

#endif
