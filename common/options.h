/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The command-line contract shared by every plugin (doc/output-contract.md),
 * parsed in one place. A plugin adds its own options through
 * plugin_info; the shared ones (-D/-H -s -p -t -4 -6 --tcp --dnssec
 * -w -c -v -h -V --dns-error-state --all-ns --allow-internal) are
 * handled here.
 */
#ifndef MAILDNS_OPTIONS_H
#define MAILDNS_OPTIONS_H

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

#include "dname.h"
#include "range.h"
#include "resolver.h"
#include "state.h"

/* A name's U-labels (UTF-8, at most 4 bytes per code point of the 253
 * A-label bytes), " (", its A-labels and ")". */
#define OPTS_SHOWN_MAX 1536
/* A numeric address as text, an IPv6 scope included. */
#define OPTS_ADDR_MAX 64

struct common_opts {
	const char *domain_arg;            /* -D as given */
	struct dname domain;               /* validated, in
					      lower case, A-labels */
	char domain_text[DNAME_TEXT_MAX];  /* domain as text: "example.com",
					    "xn--bcher-kva.example" */
	char domain_shown[OPTS_SHOWN_MAX]; /* for the subject: domain_text,
					   or "b\xc3\xbccher.example
					   (xn--bcher-kva.example)" for an
					   IDN */
	bool have_domain;
	struct resolver_config rcfg; /* -s -p -4 -6 --tcp --dnssec -v;
					its deadline is set from the
					run's (below) when a resolver is
					made */
	double deadline;             /* the run's: absolute, in
					clock_monotonic_now() seconds;
					owned by the plugin runtime
					(plugin_start()), which every
					wait of the run (DNS, SMTP, HTTPS)
					ends by */
	double timeout;              /* -t seconds, default 10 */
	enum state timeout_state;    /* -t N:STATE, default CRITICAL */
	enum state dns_error_state;  /* --dns-error-state, else -t STATE,
					else CRITICAL */
	int verbose;                 /* -v count */
	struct range warn, crit;     /* -w / -c; .set false when absent */
	bool warn_pct, crit_pct;     /* -w / -c ended in '%' (only with
					plugin_info.percent_thresholds) */
	bool all_ns;                 /* --all-ns: compare the records the
					check used across the zone's
					authoritative servers */
	bool allow_internal;         /* --allow-internal: contact (SMTP,
					--all-ns) addresses that
					addr_class_is_internal() */
	unsigned rrsig_warn_days;    /* --rrsig-warning (7): with
					--dnssec, WARNING when a
					signature relied on expires
					sooner */
	unsigned rrsig_crit_days;    /* --rrsig-critical (2): CRITICAL */
	bool parked;                 /* --parked: the domain sends and
					receives no mail (RFC 7505 null
					MX, v=spf1 -all, DMARC reject) */
	/* -s host names resolved by options_resolve_servers(): the
	 * addresses rcfg.servers then points to */
	char server_addr[LIMIT_SERVERS][OPTS_ADDR_MAX];
};

/* Option values the plugins may use for their own long-only options:
 * start here so they never clash with the shared ones. */
#define OPT_PLUGIN_BASE 0x200

struct plugin_info {
	const char *progname;           /* "check_mx" */
	const char *service;            /* "MX": first word of the status line */
	const char *blurb;              /* what the plugin checks, a paragraph */
	const char *usage;              /* plugin part of the usage line */
	const char *options_help;       /* help for the plugin's own options */
	const char *notes;              /* limits, defaults, examples; may be NULL */
	const char *short_opts;         /* plugin's short options, getopt syntax */
	const struct option *long_opts; /* plugin's long options, {0}-ended */
	/* Called for each plugin option; return NULL when arg is fine, else
	 * the reason ("invalid host name"), printed as "prog: reason - arg". */
	const char *(*handle)(void *ctx, int opt, const char *arg);
	void *ctx;
	bool domain_optional;    /* -D may be left out */
	bool no_thresholds;      /* -w/-c do not apply: left out of usage
				    and help, refused when given */
	bool percent_thresholds; /* -w/-c may end in '%': a share, not a
				    count; the range is the number, and
				    warn_pct/crit_pct say which were */
};

enum opts_result {
	OPTS_OK,
	OPTS_HELP,
	OPTS_VERSION,
	OPTS_ERROR
};

/*
 * Parse argv. On OPTS_ERROR err holds "reason - value". Nothing is
 * printed here; plugin_start() prints and exits.
 */
enum opts_result options_parse(int argc, char **argv, const struct plugin_info *pi,
			       struct common_opts *co, char *err, size_t errlen);

/*
 * Replace the -s host names in co->rcfg.servers by their addresses, asked
 * once of the system resolver (getaddrinfo(): /etc/hosts, NSS), numeric,
 * of the -4/-6 family only, in the order it gives, each address once; at
 * most LIMIT_SERVERS servers in all (further addresses are left out).
 * Numeric -s values stay as they are. False with err ("cannot resolve
 * DNS server NAME: reason") when a name has no usable address. Nothing
 * is printed; the caller decides (UNKNOWN: our own input is wrong).
 */
bool options_resolve_servers(struct common_opts *co, char *err, size_t errlen);

/*
 * A host name from the command line (-D, -e, --mail-host) into out, in
 * lower case. Bytes >= 0x80 make it an IDN: taken as UTF-8 whatever the
 * locale, converted to A-labels with libidn2 (IDNA2008 with UTS #46
 * non-transitional mapping and NFC, as mail software does; X-03). Every
 * xn-- label must be Punycode, no label starts or ends with '-'; flags
 * as for dname_from_text(). NULL when fine, else why ("IDN: ...", "empty
 * label", ...): static text or written to buf.
 */
const char *options_host_name(const char *arg, unsigned flags, struct dname *out, char *buf,
			      size_t buflen);

/* "Usage: check_mx -D DOMAIN [-s SERVER]... <plugin usage>" */
void options_print_usage(const struct plugin_info *pi, FILE *out);
/* The whole --help text, Monitoring Plugins layout. */
void options_print_help(const struct plugin_info *pi, FILE *out);
/* "check_mx (maildns-plugins 0.1.0)" and licence line. */
void options_print_version(const struct plugin_info *pi, FILE *out);

#endif
