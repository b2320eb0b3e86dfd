/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Unit tests for common/options.c, in-process: options_parse() returns,
 * nothing exits. Names: of doc/hostile-inputs.md.
 */
#include <check.h>
#include <locale.h>

#include "check_main.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bounds.h"
#include "options.h"

#define MAX_ARGS 40

struct args {
	int argc;
	char *argv[MAX_ARGS + 1];
};

enum {
	OPT_SMTP = OPT_PLUGIN_BASE,
	OPT_POLICY
};

/* What the plugin handler saw. */
struct seen {
	int calls;
	int opt[8];
	char arg[8][64];
};

static const char *handler(void *ctx, int opt, const char *arg)
{
	struct seen *s = ctx;

	if (s->calls < 8) {
		s->opt[s->calls] = opt;
		snprintf(s->arg[s->calls], sizeof(s->arg[0]), "%s", arg != NULL ? arg : "(null)");
	}
	s->calls++;
	if (arg != NULL && strcmp(arg, "bad..host") == 0) {
		return "invalid host name";
	}
	return NULL;
}

static const struct option plugin_long[] = {
	{"expect", required_argument, NULL, 'e'},
	{"smtp", no_argument, NULL, OPT_SMTP},
	{"policy", required_argument, NULL, OPT_POLICY},
	{NULL, 0, NULL, 0},
};

static struct seen seen;

static const struct plugin_info info = {
	.progname = "check_test",
	.service = "TEST",
	.blurb = "This plugin checks a test record of a mail domain.",
	.usage = "[-e HOST]... [--smtp]",
	.options_help = " -e, --expect=HOST\n"
			"    MX host that must be present (repeatable)\n"
			" --smtp\n"
			"    Connect to port 25 of every MX\n",
	.notes = "Example: check_test -D example.com -e mx1.example.com\n",
	.short_opts = "e:",
	.long_opts = plugin_long,
	.handle = handler,
	.ctx = &seen,
	.domain_optional = false,
};

static void args_free(struct args *a)
{
	for (int i = 0; i < a->argc; i++) {
		free(a->argv[i]);
	}
	a->argc = 0;
}

/* argv of "check_test" plus the NULL-ended list. */
static struct args mkargs(const char *first, ...)
{
	struct args a = {0};
	va_list ap;

	a.argv[a.argc++] = strdup("check_test");
	va_start(ap, first);
	for (const char *s = first; s != NULL; s = va_arg(ap, const char *)) {
		ck_assert_int_lt(a.argc, MAX_ARGS);
		a.argv[a.argc++] = strdup(s);
	}
	va_end(ap);
	a.argv[a.argc] = NULL;
	return a;
}

static struct common_opts co;
static char err[512];

static enum opts_result parse_with(const struct plugin_info *pi, struct args *a)
{
	memset(&seen, 0, sizeof(seen));
	err[0] = 'x';
	err[1] = '\0';
	return options_parse(a->argc, a->argv, pi, &co, err, sizeof(err));
}

#define PARSE_OK(...)                                                                              \
	do {                                                                                       \
		struct args a_ = mkargs(__VA_ARGS__, NULL);                                        \
		enum opts_result r_ = parse_with(&info, &a_);                                      \
		ck_assert_msg(r_ == OPTS_OK, "rejected: %s", err);                                 \
		args_free(&a_);                                                                    \
	} while (0)

#define PARSE_ERR(want, ...)                                                                       \
	do {                                                                                       \
		struct args a_ = mkargs(__VA_ARGS__, NULL);                                        \
		enum opts_result r_ = parse_with(&info, &a_);                                      \
		ck_assert_msg(r_ == OPTS_ERROR, "accepted: %s", #__VA_ARGS__);                     \
		ck_assert_str_eq(err, want);                                                       \
		args_free(&a_);                                                                    \
	} while (0)

#define PARSE_ERR_PREFIX(want, ...)                                                                \
	do {                                                                                       \
		struct args a_ = mkargs(__VA_ARGS__, NULL);                                        \
		enum opts_result r_ = parse_with(&info, &a_);                                      \
		ck_assert_msg(r_ == OPTS_ERROR, "accepted: %s", #__VA_ARGS__);                     \
		ck_assert_msg(strncmp(err, want, strlen(want)) == 0, "%s", err);                   \
		args_free(&a_);                                                                    \
	} while (0)

START_TEST(test_defaults)
{
	struct args a = mkargs("-D", "example.com", NULL);
	char buf[DNAME_TEXT_MAX];

	ck_assert_int_eq(parse_with(&info, &a), OPTS_OK);
	ck_assert(co.have_domain);
	ck_assert_str_eq(co.domain_arg, "example.com");
	ck_assert_str_eq(dname_to_text(&co.domain, buf, sizeof(buf)), "example.com");
	ck_assert(co.timeout == 10.0);
	ck_assert_int_eq(co.timeout_state, STATE_CRITICAL);
	ck_assert_int_eq(co.dns_error_state, STATE_CRITICAL);
	ck_assert_int_eq(co.verbose, 0);
	ck_assert(!co.warn.set && !co.crit.set);
	ck_assert_uint_eq(co.rcfg.nservers, 0);
	ck_assert_uint_eq(co.rcfg.port, 0);
	ck_assert_int_eq(co.rcfg.family, 0);
	ck_assert(!co.rcfg.tcp_only && !co.rcfg.dnssec);
	ck_assert(!co.all_ns && !co.allow_internal); /* implied: internal off */
	ck_assert_int_eq(seen.calls, 0);
	ck_assert_str_eq(err, "");
	args_free(&a);
}
END_TEST

START_TEST(test_everything)
{
	struct args a = mkargs("-D", "Example.COM.", "-s", "127.0.0.1", "--server=::1", "-p",
			       "5300", "-t", "2.5:unknown", "-4", "--tcp", "--dnssec", "-w", "8",
			       "--critical=10:", "-vvv", "--dns-error-state=warning", "--all-ns",
			       "--allow-internal", NULL);

	ck_assert_int_eq(parse_with(&info, &a), OPTS_OK);
	/* implied: canonical lower case, no trailing dot */
	ck_assert_str_eq(co.domain_text, "example.com");
	ck_assert_str_eq(co.domain_shown, "example.com");
	ck_assert_uint_eq(co.rcfg.nservers, 2);
	ck_assert_str_eq(co.rcfg.servers[0], "127.0.0.1");
	ck_assert_str_eq(co.rcfg.servers[1], "::1");
	ck_assert_uint_eq(co.rcfg.port, 5300);
	ck_assert(co.timeout == 2.5);
	ck_assert_int_eq(co.timeout_state, STATE_UNKNOWN);
	ck_assert_int_eq(co.rcfg.family, 4);
	ck_assert(co.rcfg.tcp_only);
	ck_assert(co.rcfg.dnssec);
	ck_assert(co.warn.set && co.warn.end == 8);
	ck_assert(co.crit.set && co.crit.start == 10 && co.crit.end_infinite);
	ck_assert_int_eq(co.verbose, 3);
	ck_assert_int_eq(co.rcfg.verbose, 3);
	ck_assert_int_eq(co.dns_error_state, STATE_WARNING);
	ck_assert(co.all_ns && co.allow_internal);
	ck_assert_int_eq(seen.calls, 0); /* shared: not the plugin's */
	args_free(&a);
}
END_TEST

START_TEST(test_hostname_alias)
{
	struct args a = mkargs("-H", "mail.example.org", NULL);
	struct args b = mkargs("--hostname", "example.net", NULL);

	ck_assert_int_eq(parse_with(&info, &a), OPTS_OK);
	ck_assert_str_eq(co.domain_arg, "mail.example.org");
	ck_assert_uint_eq(dname_labels(&co.domain), 3);
	ck_assert_int_eq(parse_with(&info, &b), OPTS_OK);
	ck_assert_str_eq(co.domain_arg, "example.net");
	args_free(&a);
	args_free(&b);
}
END_TEST

START_TEST(test_bad_port)
{
	PARSE_ERR("invalid port (1-65535) - 0", "-D", "example.com", "-p", "0");
	PARSE_ERR("invalid port (1-65535) - 65536", "-D", "example.com", "-p", "65536");
	PARSE_ERR("invalid port (1-65535) - 53x", "-D", "example.com", "-p", "53x");
	PARSE_ERR("invalid port (1-65535) - -53", "-D", "example.com", "--port=-53");
	PARSE_OK("-D", "example.com", "-p", "65535");
	ck_assert_uint_eq(co.rcfg.port, 65535);
}
END_TEST

START_TEST(test_timeout)
{
	PARSE_ERR("invalid timeout (0 < SEC <= 3600) - 0", "-D", "example.com", "-t", "0");
	PARSE_ERR("invalid timeout (0 < SEC <= 3600) - 3601", "-D", "example.com", "-t", "3601");
	PARSE_ERR("invalid timeout (0 < SEC <= 3600) - -1", "-D", "example.com", "-t", "-1");
	PARSE_ERR("invalid timeout (0 < SEC <= 3600) - 1,5", "-D", "example.com", "-t", "1,5");
	PARSE_ERR("invalid timeout (0 < SEC <= 3600) - :critical", "-D", "example.com", "-t",
		  ":critical");
	PARSE_ERR("invalid timeout state - 5:bogus", "-D", "example.com", "-t", "5:bogus");
	PARSE_ERR("invalid timeout state - 5:", "-D", "example.com", "-t", "5:");
	PARSE_ERR("invalid timeout state - 5:1:2", "-D", "example.com", "-t", "5:1:2");
	PARSE_OK("-D", "example.com", "-t", "5:unknown");
	ck_assert(co.timeout == 5);
	ck_assert_int_eq(co.timeout_state, STATE_UNKNOWN);
	PARSE_OK("-D", "example.com", "-t", "5:UnKnOwN");
	ck_assert_int_eq(co.timeout_state, STATE_UNKNOWN);
	PARSE_OK("-D", "example.com", "-t", "0.5:WARNING");
	ck_assert(co.timeout == 0.5);
	ck_assert_int_eq(co.timeout_state, STATE_WARNING);
	PARSE_OK("-D", "example.com", "--timeout=3600:3");
	ck_assert_int_eq(co.timeout_state, STATE_UNKNOWN);
}
END_TEST

START_TEST(test_ipv4_ipv6_exclusive)
{
	PARSE_ERR("-4 and -6 exclude each other - -6", "-D", "example.com", "-4", "-6");
	PARSE_ERR("-4 and -6 exclude each other - -4", "-D", "example.com", "--use-ipv6", "-4");
	PARSE_OK("-D", "example.com", "-6");
	ck_assert_int_eq(co.rcfg.family, 6);
	PARSE_OK("-D", "example.com", "-4", "-4");
	ck_assert_int_eq(co.rcfg.family, 4);
}
END_TEST

START_TEST(test_servers)
{
	static const char *const addrs[] = {"127.0.0.1", "127.0.0.2", "127.0.0.3",
					    "::1",       "192.0.2.1", "2001:db8::1",
					    "10.0.0.1",  "10.0.0.2",  "10.0.0.3"};
	struct args a = mkargs(NULL);

	/* 8 servers are fine, a 9th is refused */
	a.argv[a.argc++] = strdup("-D");
	a.argv[a.argc++] = strdup("example.com");
	for (int i = 0; i < 8; i++) {
		a.argv[a.argc++] = strdup("-s");
		a.argv[a.argc++] = strdup(addrs[i]);
	}
	a.argv[a.argc] = NULL;
	ck_assert_int_eq(parse_with(&info, &a), OPTS_OK);
	ck_assert_uint_eq(co.rcfg.nservers, LIMIT_SERVERS);
	ck_assert_str_eq(co.rcfg.servers[7], "10.0.0.2");
	a.argv[a.argc++] = strdup("-s");
	a.argv[a.argc++] = strdup(addrs[8]);
	a.argv[a.argc] = NULL;
	ck_assert_int_eq(parse_with(&info, &a), OPTS_ERROR);
	ck_assert_str_eq(err, "too many servers (at most 8) - 10.0.0.3");
	args_free(&a);

	/* a host name is taken (resolved later), a mistyped address is not */
	PARSE_OK("-D", "example.com", "-s", "ns1.example.com", "-s", "localhost");
	ck_assert_uint_eq(co.rcfg.nservers, 2);
	PARSE_ERR("invalid server address or host name - 127.0.0.1#53", "-D", "example.com", "-s",
		  "127.0.0.1#53");
	PARSE_ERR("invalid server address or host name - 256.0.0.1", "-D", "example.com", "-s",
		  "256.0.0.1");
	PARSE_ERR("invalid server address or host name - ", "-D", "example.com", "-s", "");
	PARSE_ERR("invalid server address or host name - -ns.example", "-D", "example.com", "-s",
		  "-ns.example");
	/* a control byte in the value is escaped in the message */
	PARSE_ERR("invalid server address or host name - 1.2.3.4\\x0a", "-D", "example.com", "-s",
		  "1.2.3.4\n");
}
END_TEST

/* implied: -s NAME is resolved once, with the system resolver, to
 * numeric addresses of the -4/-6 family; unresolvable is an error naming
 * it; addresses stay as given. */
/* Parse argv (kept: rcfg.servers points into it) and resolve -s. */
static bool resolve_with(struct args *a, char *rerr, size_t len)
{
	ck_assert_int_eq(parse_with(&info, a), OPTS_OK);
	return options_resolve_servers(&co, rerr, len);
}

START_TEST(test_resolve_servers)
{
	char rerr[256];
	struct args a =
		mkargs("-D", "example.com", "-s", "192.0.2.53", "-s", "localhost", "-4", NULL);
	struct args b =
		mkargs("-D", "example.com", "-s", "localhost", "-s", "localhost", "-4", NULL);
	struct args c = mkargs("-D", "example.com", "-s", "nonexistent.invalid", NULL);
	struct args d = mkargs("-D", "example.com", "-s", "::1", "-6", NULL);

	setenv("RES_OPTIONS", "timeout:1 attempts:1", 1);
	ck_assert_msg(resolve_with(&a, rerr, sizeof(rerr)), "%s", rerr);
	ck_assert_uint_eq(co.rcfg.nservers, 2);
	ck_assert_str_eq(co.rcfg.servers[0], "192.0.2.53");
	ck_assert_str_eq(co.rcfg.servers[1], "127.0.0.1");
	/* an address the names give twice is asked once */
	ck_assert_msg(resolve_with(&b, rerr, sizeof(rerr)), "%s", rerr);
	ck_assert_uint_eq(co.rcfg.nservers, 1);
	ck_assert_str_eq(co.rcfg.servers[0], "127.0.0.1");
	ck_assert(!resolve_with(&c, rerr, sizeof(rerr)));
	ck_assert_msg(strncmp(rerr, "cannot resolve DNS server (-s): ", 32) == 0 &&
			      strstr(rerr, " - nonexistent.invalid") != NULL,
		      "%s", rerr);
	ck_assert_msg(resolve_with(&d, rerr, sizeof(rerr)), "%s", rerr);
	ck_assert_str_eq(co.rcfg.servers[0], "::1");
	args_free(&a);
	args_free(&b);
	args_free(&c);
	args_free(&d);
}
END_TEST

START_TEST(test_ranges)
{
	PARSE_ERR("invalid warning range: start greater than end - 10:5", "-D", "example.com", "-w",
		  "10:5");
	PARSE_ERR("invalid critical range: not a number - abc", "-D", "example.com", "-c", "abc");
	PARSE_OK("-D", "example.com", "-w", "@10:20", "-c", "~:30");
	ck_assert(co.warn.alert_inside);
	ck_assert(co.crit.start_infinite && co.crit.end == 30);
	ck_assert_str_eq(co.warn.text, "@10:20");
	ck_assert(!co.warn_pct && !co.crit_pct);
	/* '%' is dropped, as upstream does; a share only where the plugin
	 * counts shares */
	PARSE_OK("-D", "example.com", "-w", "5%");
	ck_assert(!co.warn_pct && co.warn.end == 5);
	{
		struct plugin_info pc = info;
		struct args a = mkargs("-D", "example.com", "-w", "1", "--critical=5%", NULL);
		struct args b = mkargs("-D", "example.com", "-w", "x%", NULL);

		pc.percent_thresholds = true;
		ck_assert_int_eq(parse_with(&pc, &a), OPTS_OK);
		ck_assert(!co.warn_pct && co.warn.end == 1);
		ck_assert(co.crit_pct && co.crit.end == 5);
		ck_assert_int_eq(parse_with(&pc, &b), OPTS_ERROR);
		ck_assert_str_eq(err, "invalid warning range: not a number - x%");
		args_free(&a);
		args_free(&b);
	}
}
END_TEST

START_TEST(test_unknown_and_missing)
{
	PARSE_ERR("unknown option - -x", "-D", "example.com", "-x");
	PARSE_ERR("unknown option - --frobnicate", "-D", "example.com", "--frobnicate");
	PARSE_ERR("option requires an argument - -s", "-D", "example.com", "-s");
	PARSE_ERR("option requires an argument - --server", "-D", "example.com", "--server");
	PARSE_ERR("option requires an argument - --serv", "-D", "example.com", "--serv");
	PARSE_ERR("unknown option - -x", "--tcp", "-xv", "-D", "example.com");
	PARSE_ERR("unknown option - --d", "--d", "example.com"); /* ambiguous */
	PARSE_ERR("unexpected argument - extra", "-D", "example.com", "extra");
	PARSE_ERR("invalid state for --dns-error-state - maybe", "-D", "example.com",
		  "--dns-error-state=maybe");
	PARSE_ERR("option takes no argument - --tcp=yes", "-D", "example.com", "--tcp=yes");
	PARSE_ERR("option takes no argument - --verbose=3", "-D", "example.com", "--verbose=3");
	PARSE_ERR("unknown option - -x", "-D", "example.com", "-vx");
}
END_TEST

START_TEST(test_missing_domain)
{
	struct plugin_info opt = info;
	struct args a = mkargs("-s", "127.0.0.1", NULL);

	ck_assert_int_eq(parse_with(&info, &a), OPTS_ERROR);
	ck_assert_str_eq(err, "no domain given (-D)");
	opt.domain_optional = true;
	ck_assert_int_eq(parse_with(&opt, &a), OPTS_OK);
	ck_assert(!co.have_domain);
	args_free(&a);
}
END_TEST

START_TEST(test_help_version_win)
{
	struct args h = mkargs("-h", NULL);
	struct args v = mkargs("--version", NULL);
	struct args hv = mkargs("-D", "example.com", "--help", "-x", NULL);

	ck_assert_int_eq(parse_with(&info, &h), OPTS_HELP);
	ck_assert_int_eq(parse_with(&info, &v), OPTS_VERSION);
	ck_assert_int_eq(parse_with(&info, &hv), OPTS_HELP);
	args_free(&h);
	args_free(&v);
	args_free(&hv);
}
END_TEST

START_TEST(test_x03_idn)
{
	/* a U-label is converted with libidn2 (IDNA2008, UTS #46
	 * non-transitional), lower case; the subject shows both forms once;
	 * an A-label passes and is shown with its U-label; a bogus A-label
	 * and what IDNA2008 disallows are refused naming why. */
	const char *locales[] = {"C", "C.UTF-8"};
	struct dname d;
	char text[DNAME_TEXT_MAX];
	char why[96];

	for (size_t i = 0; i < 2; i++) {
		/* the bytes are UTF-8 whatever the locale says */
		setlocale(LC_ALL, locales[i]);
		PARSE_OK("-D", "b\xc3\xbc"
			       "cher.example");
		ck_assert_str_eq(co.domain_text, "xn--bcher-kva.example");
		ck_assert_str_eq(co.domain_shown, "b\xc3\xbc"
						  "cher.example (xn--bcher-kva.example)");
		PARSE_OK("-D", "B\xc3\x9c"
			       "CHER.Example.");
		ck_assert_str_eq(co.domain_text, "xn--bcher-kva.example");
		/* non-transitional: sharp s stays (fass.de would be transitional) */
		PARSE_OK("-D", "fa\xc3\x9f.de");
		ck_assert_str_eq(co.domain_text, "xn--fa-hia.de");
	}
	setlocale(LC_ALL, "C");
	PARSE_OK("-D", "xn--bcher-kva.example");
	ck_assert_str_eq(co.domain_shown, "b\xc3\xbc"
					  "cher.example (xn--bcher-kva.example)");
	PARSE_OK("-D", "XN--BCHER-KVA.example");
	ck_assert_str_eq(co.domain_text, "xn--bcher-kva.example");
	PARSE_OK("-D", "example.com");
	ck_assert_str_eq(co.domain_shown, "example.com");
	PARSE_ERR("invalid domain: invalid A-label - xn--zzzzzzzzz-.example", "-D",
		  "xn--zzzzzzzzz-.example");
	PARSE_ERR("invalid domain: invalid A-label - xn--.example", "-D", "xn--.example");
	PARSE_ERR("invalid domain: invalid A-label - xn--a_b.example", "-D", "xn--a_b.example");
	PARSE_ERR("invalid domain: invalid A-label - xn--bcher-kv.example", "-D",
		  "xn--bcher-kv.example"); /* truncated */
	PARSE_ERR("invalid domain: invalid A-label - xn--99999999999999999.example", "-D",
		  "xn--99999999999999999.example");
	PARSE_ERR("invalid domain: IDN: string contains a disallowed character - "
		  "\xe2\x98\x83.example",
		  "-D", "\xe2\x98\x83.example");
	/* invalid UTF-8 is named and escaped in the message */
	PARSE_ERR("invalid domain: IDN: string encoding error - \\xffx.example", "-D",
		  "\xffx.example");

	/* -e, --mail-host: the same conversion */
	ck_assert_ptr_null(options_host_name("MAIL.b\xc3\xbc"
					     "cher.example",
					     DNAME_HOSTNAME | DNAME_MULTILABEL, &d, why,
					     sizeof(why)));
	ck_assert_str_eq(dname_to_text(&d, text, sizeof(text)), "mail.xn--bcher-kva.example");
	ck_assert_str_eq(options_host_name("-a.example", DNAME_HOSTNAME, &d, why, sizeof(why)),
			 "label starts or ends with '-'");
}
END_TEST

/* X-01 with X-03: a U-label whose A-label is over 63 bytes. */
START_TEST(test_x01_long_idn_label)
{
	char arg[200] = "";

	for (int i = 0; i < 64; i++) {
		strcat(arg, "\xc3\xbc");
	}
	strcat(arg, ".example");
	PARSE_ERR_PREFIX("invalid domain: IDN: ", "-D", arg);
}
END_TEST

START_TEST(test_x01_x05_x06_domain)
{
	char l64[65];
	char arg[300];
	char want[400];

	/* 64-byte label, 254-character name */
	memset(l64, 'a', 64);
	l64[64] = '\0';
	snprintf(arg, sizeof(arg), "%s.example.com", l64);
	snprintf(want, sizeof(want), "invalid domain: label longer than 63 bytes - %s", arg);
	PARSE_ERR(want, "-D", arg);
	memset(arg, 'a', 254);
	for (int i = 63; i < 254; i += 64) {
		arg[i] = '.';
	}
	arg[254] = '\0';
	snprintf(want, sizeof(want), "invalid domain: name longer than 253 bytes - %s", arg);
	PARSE_ERR(want, "-D", arg);
	arg[253] = '\0';
	PARSE_OK("-D", arg);

	/* empty label, leading dot, root, empty argument */
	PARSE_ERR("invalid domain: empty label - a..example", "-D", "a..example");
	PARSE_ERR("invalid domain: empty label - .example.com", "-D", ".example.com");
	PARSE_ERR("invalid domain: empty name - .", "-D", ".");
	PARSE_ERR("invalid domain: empty name - ", "-D", "");
	PARSE_ERR("invalid domain: fewer than two labels - localhost", "-D", "localhost");

	/* underscore labels allowed; ( ) space / ; @ refused */
	PARSE_OK("-D", "_dmarc.example.com");
	PARSE_ERR("invalid domain: invalid character - ex(ample.com", "-D", "ex(ample.com");
	PARSE_ERR("invalid domain: invalid character - example).com", "-D", "example).com");
	PARSE_ERR("invalid domain: invalid character - exa mple.com", "-D", "exa mple.com");
	PARSE_ERR("invalid domain: invalid character - a/b.example.com", "-D", "a/b.example.com");
	PARSE_ERR("invalid domain: invalid character - a;b.example.com", "-D", "a;b.example.com");
	PARSE_ERR("invalid domain: invalid character - user@example.com", "-D", "user@example.com");
	/* a presentation escape is not an escape, and not a host name */
	PARSE_ERR("invalid domain: invalid character - a\\046b.example", "-D", "a\\046b.example");
	PARSE_ERR("invalid domain: label starts or ends with '-' - -a.example.com", "-D",
		  "-a.example.com");
	PARSE_ERR("invalid domain: label starts or ends with '-' - a-.example.com", "-D",
		  "a-.example.com");
}
END_TEST

START_TEST(test_plugin_options_reach_handler)
{
	struct args a = mkargs("-e", "mx1.example.com", "-D", "example.com", "--smtp",
			       "--expect=mx2.example.com", "--policy", "reject", NULL);
	struct args b = mkargs("-D", "example.com", "-e", "bad..host", NULL);
	struct plugin_info nohandler = info;

	ck_assert_int_eq(parse_with(&info, &a), OPTS_OK);
	ck_assert_int_eq(seen.calls, 4);
	ck_assert_int_eq(seen.opt[0], 'e');
	ck_assert_str_eq(seen.arg[0], "mx1.example.com");
	ck_assert_int_eq(seen.opt[1], OPT_SMTP);
	ck_assert_str_eq(seen.arg[1], "(null)");
	ck_assert_int_eq(seen.opt[2], 'e');
	ck_assert_str_eq(seen.arg[2], "mx2.example.com");
	ck_assert_int_eq(seen.opt[3], OPT_POLICY);
	ck_assert_str_eq(seen.arg[3], "reject");
	ck_assert(co.have_domain);

	ck_assert_int_eq(parse_with(&info, &b), OPTS_ERROR);
	ck_assert_str_eq(err, "invalid host name - bad..host");
	ck_assert_int_eq(seen.calls, 1);

	/* without a handler a plugin option is unknown */
	nohandler.handle = NULL;
	ck_assert_int_eq(parse_with(&nohandler, &b), OPTS_ERROR);
	ck_assert_str_eq(err, "unknown option - -e");
	args_free(&a);
	args_free(&b);
}
END_TEST

static char *capture(void (*fn)(const struct plugin_info *, FILE *), const struct plugin_info *pi)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(f);
	fn(pi, f);
	fclose(f);
	return buf;
}

START_TEST(test_help_text)
{
	char *help = capture(options_print_help, &info);
	char *usage = capture(options_print_usage, &info);
	char *version = capture(options_print_version, &info);

	ck_assert_str_eq(version,
			 "check_test v" PACKAGE_VERSION " (maildns-plugins " PACKAGE_VERSION ")\n");
	ck_assert_str_eq(usage,
			 "Usage: check_test -D DOMAIN [-s SERVER]... [-p PORT] "
			 "[-t SEC[:STATE]] [-4] [-6] [--tcp] [--dnssec] [--trust-anchor=FILE] "
			 "[--rrsig-warning=DAYS] [--rrsig-critical=DAYS] "
			 "[--dns-error-state=STATE] [--all-ns] [--allow-internal] "
			 "[-w RANGE] [-c RANGE] [-v]... [-e HOST]... [--smtp]\n");
	/* implied: no '|' anywhere, a monitoring engine reads what follows
	 * one as perfdata */
	ck_assert_ptr_null(strchr(usage, '|'));
	ck_assert_ptr_null(strchr(help, '|'));
	ck_assert(strncmp(help, version, strlen(version)) == 0);
	ck_assert_ptr_nonnull(strstr(help, usage));
	ck_assert_ptr_nonnull(strstr(help, "\nThis plugin checks a test record"));
	ck_assert_ptr_nonnull(strstr(help, "\nOptions:\n -h, --help\n    Print detailed help"));
	ck_assert_ptr_nonnull(strstr(help, " --dnssec\n"));
	ck_assert_ptr_nonnull(strstr(help, "Validate DNSSEC here, trusting no resolver's AD bit"));
	ck_assert_ptr_nonnull(strstr(help, " --trust-anchor=FILE\n"));
	ck_assert_ptr_nonnull(strstr(help,
				     " -s, --server=SERVER\n    DNS server to ask: an IPv4 or "
				     "IPv6 address, or a host name"));
	ck_assert_ptr_nonnull(strstr(help, "(default: 10, at most 3600)"));
	ck_assert_ptr_nonnull(strstr(help, "state it then returns (default: CRITICAL)"));
	ck_assert_ptr_nonnull(strstr(help, " --dns-error-state=STATE\n"));
	ck_assert_ptr_nonnull(strstr(help, "malformed reply): this STATE, else the STATE of -t "
					   "SEC:STATE, else\n    CRITICAL"));
	ck_assert_ptr_nonnull(strstr(help, "A STATE given here is also the default of "
					   "--dns-error-state"));
	ck_assert_ptr_nonnull(strstr(help, " --allow-internal\n    Also contact addresses"));
	ck_assert_ptr_nonnull(strstr(help, "at most 8 DNS servers (-s), 16 CNAMEs"));
	ck_assert_ptr_nonnull(strstr(help, " -e, --expect=HOST\n    MX host"));
	ck_assert_ptr_nonnull(strstr(help, "\nNotes:\nExample: check_test"));
	/* plugin options come after the shared ones, notes last */
	ck_assert(strstr(help, " -e, --expect") > strstr(help, " -v, --verbose"));
	ck_assert(strstr(help, "Notes:") > strstr(help, "Limits"));
	free(help);
	free(usage);
	free(version);
}
END_TEST

START_TEST(test_usage_domain_optional)
{
	struct plugin_info opt = info;
	char *usage;

	opt.domain_optional = true;
	opt.usage = NULL;
	usage = capture(options_print_usage, &opt);
	ck_assert_ptr_nonnull(strstr(usage, "Usage: check_test [-D DOMAIN] [-s"));
	ck_assert_ptr_nonnull(strstr(usage, "[-v]...\n"));
	free(usage);
}
END_TEST

/* Review finding 12b: an IP address given as -D is not a domain (RFC 3696
 * 2: a TLD is never all-numeric); X-05 family, own input -> UNKNOWN. */
START_TEST(test_x05_ip_as_domain)
{
	PARSE_ERR("invalid domain: an IP address, not a domain - 192.0.2.1", "-D", "192.0.2.1");
	PARSE_ERR("invalid domain: an IP address, not a domain - 192.0.2.1.", "-D", "192.0.2.1.");
	PARSE_ERR("invalid domain: an IP address, not a domain - mail.123", "-D", "mail.123");
	PARSE_OK("-D", "1.2.0.192.in-addr.arpa");
	PARSE_OK("-D", "123.example");
	PARSE_OK("-D", "example.c0m");
}
END_TEST

/* implied: a plugin without thresholds (check_dmarc) does not offer
 * -w/-c in usage or help, and refuses them naming why. */
START_TEST(test_no_thresholds)
{
	struct plugin_info nt = info;
	char *usage;
	char *help;

	nt.no_thresholds = true;
	usage = capture(options_print_usage, &nt);
	help = capture(options_print_help, &nt);
	ck_assert_ptr_null(strstr(usage, "-w RANGE"));
	ck_assert_ptr_null(strstr(usage, "-c RANGE"));
	ck_assert_ptr_nonnull(strstr(usage, "[--all-ns] [--allow-internal] [-v]..."));
	ck_assert_ptr_null(strstr(help, " -w, --warning"));
	ck_assert_ptr_null(strstr(help, " -c, --critical"));
	ck_assert_ptr_null(strstr(help, "Ranges use"));
	free(usage);
	free(help);
	{
		struct args a = mkargs("-D", "example.com", "-w", "1", NULL);
		struct args b = mkargs("-D", "example.com", "--critical=2", NULL);

		ck_assert_int_eq(parse_with(&nt, &a), OPTS_ERROR);
		ck_assert_str_eq(err, "-w and -c do not apply to this plugin - -w");
		ck_assert_int_eq(parse_with(&nt, &b), OPTS_ERROR);
		ck_assert_str_eq(err, "-w and -c do not apply to this plugin - -c");
		args_free(&a);
		args_free(&b);
	}
}
END_TEST

/* implied: -t SEC:STATE is also the state of a DNS answer that did not
 * come in time (nrpe habit), unless --dns-error-state says otherwise,
 * before or after it; a plain -t keeps CRITICAL. */
START_TEST(test_timeout_state_dns_error)
{
	PARSE_OK("-D", "example.com", "-t", "10:UNKNOWN");
	ck_assert_int_eq(co.timeout_state, STATE_UNKNOWN);
	ck_assert_int_eq(co.dns_error_state, STATE_UNKNOWN);
	PARSE_OK("-D", "example.com", "-t", "10:warning", "--dns-error-state=critical");
	ck_assert_int_eq(co.timeout_state, STATE_WARNING);
	ck_assert_int_eq(co.dns_error_state, STATE_CRITICAL);
	PARSE_OK("-D", "example.com", "--dns-error-state=ok", "-t", "10:unknown");
	ck_assert_int_eq(co.timeout_state, STATE_UNKNOWN);
	ck_assert_int_eq(co.dns_error_state, STATE_OK);
	PARSE_OK("-D", "example.com", "-t", "10");
	ck_assert_int_eq(co.timeout_state, STATE_CRITICAL);
	ck_assert_int_eq(co.dns_error_state, STATE_CRITICAL);
	PARSE_OK("-D", "example.com", "-t", "10:critical", "-t", "5");
	ck_assert_int_eq(co.dns_error_state, STATE_CRITICAL);
}
END_TEST

Suite *unit_suite(void)
{
	Suite *s = suite_create("options");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_defaults);
	tcase_add_test(tc, test_everything);
	tcase_add_test(tc, test_hostname_alias);
	tcase_add_test(tc, test_bad_port);
	tcase_add_test(tc, test_timeout);
	tcase_add_test(tc, test_ipv4_ipv6_exclusive);
	tcase_add_test(tc, test_servers);
	tcase_add_test(tc, test_resolve_servers);
	tcase_add_test(tc, test_ranges);
	tcase_add_test(tc, test_unknown_and_missing);
	tcase_add_test(tc, test_missing_domain);
	tcase_add_test(tc, test_help_version_win);
	tcase_add_test(tc, test_x03_idn);
	tcase_add_test(tc, test_x01_long_idn_label);
	tcase_add_test(tc, test_x05_ip_as_domain);
	tcase_add_test(tc, test_x01_x05_x06_domain);
	tcase_add_test(tc, test_plugin_options_reach_handler);
	tcase_add_test(tc, test_help_text);
	tcase_add_test(tc, test_usage_domain_optional);
	tcase_add_test(tc, test_no_thresholds);
	tcase_add_test(tc, test_timeout_state_dns_error);
	suite_add_tcase(s, tc);
	return s;
}
