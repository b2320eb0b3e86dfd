/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_dmarc_reports: its options and the run (plugins/check_dmarc_reports.c
 * and the jobs it is made of, plugins/reports_*.c).
 */
#ifndef MAILDNS_REPORTS_RUN_H
#define MAILDNS_REPORTS_RUN_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "dname.h"
#include "options.h"
#include "output.h"
#include "report_bounds.h"
#include "resolver.h"
#include "spf_eval.h"

#define REPORTS_MAX_NETS       32 /* --ip */
#define REPORTS_MAX_HOSTS      8  /* --mail-host */
#define REPORTS_MAX_HOST_ADDRS 64 /* their addresses kept */

struct reports_net {
	struct spf_ip ip;
	unsigned prefix; /* bits */
};

struct reports_opts {
	const char *dir;
	long since; /* seconds; default 2 days */
	struct reports_net nets[REPORTS_MAX_NETS];
	size_t nnets;
	struct dname hosts[REPORTS_MAX_HOSTS];
	const char *host_args[REPORTS_MAX_HOSTS];
	size_t nhosts;
	long max_bad;
	bool tls;      /* --tls: SMTP TLS reports (RFC 8460) */
	char why[160]; /* handle()'s reason for a bad argument */
};

/* A source of own mail that failed DMARC, as one reporter saw it. */
struct own_fail {
	char org[LIMIT_REPORT_TEXT];
	char ip[48];
	char why[240];
	uint64_t count;
};

struct other_src {
	char ip[48];
	uint64_t count;
};

struct spf_seen {
	struct spf_ip ip;
	bool own;
};

struct bad_file {
	char name[128]; /* escaped */
	char why[200];  /* escaped */
};

struct reports_run {
	struct check *c;
	struct common_opts *co;
	const struct reports_opts *o;
	struct resolver *res;
	char dom[DNAME_TEXT_MAX];
	time_t now;
	/* own addresses: --ip, then --mail-host's */
	struct reports_net own[REPORTS_MAX_NETS + REPORTS_MAX_HOST_ADDRS];
	size_t nown;
	bool by_spf; /* no --ip or --mail-host: the SPF record says */
	struct spf_seen *spf;
	size_t nspf;
	uint64_t spf_unevaluated; /* messages from sources past the cap */
	bool spf_error_shown;
	/* de-duplication: FNV-1a of (org_name, report_id) */
	uint64_t *seen;
	size_t nseen;
	/* counts */
	unsigned files, reports, duplicates, other_domain, too_old, skipped, not_read;
	uint64_t messages, passed, own_msgs, own_failed, other_failed;
	struct own_fail *fails;
	size_t nfails;
	uint64_t fails_dropped;
	struct other_src *others;
	size_t nothers;
	uint64_t others_dropped;
	/* --tls: sessions, and the failed ones by policy and result type */
	uint64_t tls_ok, tls_failed;
	struct tls_kind {
		char policy[32];
		char result[64];
		uint64_t count;
	} tls_kinds[32];
	size_t ntls_kinds;
	uint64_t tls_kinds_dropped;
	unsigned nbad;
	struct bad_file bad[LIMIT_REPORT_SHOWN];
};

#endif
