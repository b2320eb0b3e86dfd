/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_mx's SMTP part (--smtp, --starttls, --dane): options, the probe
 * of every MX address (common/smtp_probe.h), TLSA lookups before it (the
 * records go into the handshake, common/dane.h), and the findings,
 * states and perfdata they give (doc/output-contract.md 8). Kept out
 * of check_mx.c so the
 * plugin file stays the list of what it checks; check_mx.c adds
 * SMTP_LONG_OPTIONS to its option table, keeps a struct smtp_opts in its
 * own options, passes options it does not know to smtp_handle_opt(), and
 * calls smtp_probe_all() after the DNS part (plugins/mx_smtp.c). The TLS
 * findings are in plugins/smtp_tls.c, DANE in plugins/smtp_dane.c.
 */
#ifndef MAILDNS_SMTP_CHECK_H
#define MAILDNS_SMTP_CHECK_H

#include <stddef.h>
#include <stdint.h>

#include "plugin.h"
#include "smtp_dane.h"
#include "smtp_probe.h"

enum {
	OPT_SMTP = OPT_PLUGIN_BASE + 0x80, /* clear of check_mx's own */
	OPT_STARTTLS,
	OPT_REQUIRE_STARTTLS,
	OPT_CA_FILE,
	OPT_CERT_WARNING,
	OPT_CERT_CRITICAL,
	OPT_DANE,
	OPT_SMTP_PORT,
};

/* One option per line: */
/* clang-format off */
#define SMTP_LONG_OPTIONS                                                                          \
	{"smtp", no_argument, NULL, OPT_SMTP},                                                     \
	{"starttls", no_argument, NULL, OPT_STARTTLS},                                             \
	{"require-starttls", no_argument, NULL, OPT_REQUIRE_STARTTLS},                             \
	{"ca-file", required_argument, NULL, OPT_CA_FILE},                                         \
	{"cert-warning", required_argument, NULL, OPT_CERT_WARNING},                               \
	{"cert-critical", required_argument, NULL, OPT_CERT_CRITICAL},                             \
	{"dane", no_argument, NULL, OPT_DANE},                                                     \
	{"smtp-port", required_argument, NULL, OPT_SMTP_PORT}
/* clang-format on */

#define SMTP_USAGE                                                                                 \
	"[--smtp] [--starttls] [--require-starttls] [--ca-file FILE] "                             \
	"[--cert-warning DAYS] [--cert-critical DAYS] [--dane] [--smtp-port PORT]"

#define SMTP_OPTIONS_HELP                                                                          \
	" --smtp\n"                                                                                \
	"    Connect to port 25 of every address of the first 5 MX hosts, all at\n"                \
	"    once, read the whole greeting, EHLO (HELO if EHLO is rejected with\n"                 \
	"    5xx), QUIT. Refused, silent, 4xx/5xx: CRITICAL when no address\n"                     \
	"    answers, WARNING when some do not. Needs outbound port 25.\n"                         \
	" --starttls\n"                                                                            \
	"    Implies --smtp. STARTTLS must be offered (WARNING if not) and the\n"                  \
	"    handshake must complete; the certificate must verify against the\n"                   \
	"    system store (or --ca-file) and be valid for the MX name (a\n"                        \
	"    subjectAltName DNS name; never the CN, no partial wildcard such as\n"                 \
	"    m*.example.com); else CRITICAL. Plaintext sent after the STARTTLS\n"                  \
	"    reply and before the handshake, or a reply sent before STARTTLS:\n"                   \
	"    CRITICAL (response injection).\n"                                                     \
	" --require-starttls\n"                                                                    \
	"    Implies --starttls; STARTTLS not offered is CRITICAL\n"                               \
	" --ca-file=FILE\n"                                                                        \
	"    PEM file of trust anchors instead of the system store\n"                              \
	" --cert-warning=DAYS / --cert-critical=DAYS\n"                                            \
	"    Days before the certificate expires that warn (default 30) or are\n"                  \
	"    critical (default 7)\n"                                                               \
	" --dane\n"                                                                                \
	"    Implies --starttls. The TLSA records at _25._tcp.MXHOST must be\n"                    \
	"    DNSSEC-secure and authenticate the server in the handshake,\n"                        \
	"    by OpenSSL's DANE verification as in Postfix (RFC 7672: usages 2\n"                   \
	"    and 3; DANE-TA also checks the MX name, dates and server purpose).\n"                 \
	"    Secure means validated here from --trust-anchor (as --dnssec does;\n"                 \
	"    no AD bit is trusted). A match stands in for the certificate's\n"                     \
	"    trust and name checks.\n"                                                             \
	" --smtp-port=PORT\n"                                                                      \
	"    Port to connect to instead of 25 (for tests)\n"

#define SMTP_NOTES                                                                                 \
	"SMTP limits: 5 MX hosts and 32 addresses probed; a reply line over 512\n"                 \
	"octets, a reply over 100 lines or 64 KiB ends the probe (CRITICAL).\n"                    \
	"-4/-6 also restrict the addresses probed.\n"                                              \
	"Example: check_mx -D example.com --starttls --dane -t 20\n"

/* The SMTP options; start from SMTP_OPTS_DEFAULT. */
struct smtp_opts {
	bool smtp; /* --smtp or any option that implies it */
	bool starttls, require_starttls, dane;
	const char *ca_file;       /* --ca-file (argv), or NULL */
	bool cert_failure_warns;   /* trust and name failures are WARNING,
				      not CRITICAL (check_mta_sts: an
				      MTA-STS policy in testing mode) */
	long cert_warn, cert_crit; /* days */
	uint16_t port;
};

#define SMTP_OPTS_DEFAULT                                                                          \
	{                                                                                          \
		.cert_warn = 30, .cert_crit = 7, .port = 25                                        \
	}

/* Where check_mx's option handler passes options it does not know: into
 * so; NULL when arg is fine, else the reason ("unknown option" for an
 * option that is not an SMTP one either). */
const char *smtp_handle_opt(struct smtp_opts *so, int opt, const char *arg);

struct smtp_addr {
	uint8_t b[16];
	size_t len; /* 4 or 16 */
};

struct smtp_host {
	const struct dname *name;
	const char *text; /* dname_to_text() of name */
	const struct smtp_addr *addr;
	size_t naddr;
};

/* The probe's working storage: big, so the caller keeps it off the stack
 * (check_mx: in its run's heap block). Needs no initialising. */
struct smtp_work {
	struct smtp_target tg[LIMIT_SMTP_CONNS];
	struct smtp_result rs[LIMIT_SMTP_CONNS];
	size_t host_of[LIMIT_SMTP_CONNS]; /* index into hosts of tg[i] */
	struct tlsa_host th[LIMIT_SMTP_HOSTS];
};

/*
 * With --smtp (or --starttls/--dane): probe the first LIMIT_SMTP_HOSTS
 * of hosts (usable ones, best preference first) and add the findings,
 * fix lines and perfdata to c, using w. Does nothing without those
 * options.
 */
void smtp_probe_all(struct check *c, struct resolver *res, const struct common_opts *co,
		    const struct smtp_opts *so, const struct smtp_host *hosts, size_t nhosts,
		    struct smtp_work *w);

#endif
