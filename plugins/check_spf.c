/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_spf: the SPF record of a mail domain (RFC 7208).
 *
 * The static audit of the record (lookup count, policy, fix lines, -w/-c:
 * plugins/spf_audit_report.c), --parked (plugins/spf_parked.c), and the
 * evaluation of check_host() for each --ip and each address of
 * --mail-host against --expect (plugins/spf_evaluate.c); what they share
 * is in plugins/spf_run.h.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "plugin.h"
#include "propagation.h"
#include "spf_audit_report.h"
#include "spf_evaluate.h"
#include "spf_parked.h"
#include "spf_parse.h"
#include "spf_run.h"

enum {
	OPT_IP = OPT_PLUGIN_BASE,
	OPT_SENDER,
	OPT_HELO,
	OPT_EXPECT,
	OPT_MAIL_HOST,
	OPT_NO_AUDIT,
	OPT_REQUIRE_ALL,
};

static const struct option long_opts[] = {
	{"ip", required_argument, NULL, OPT_IP},
	{"sender", required_argument, NULL, OPT_SENDER},
	{"helo", required_argument, NULL, OPT_HELO},
	{"expect", required_argument, NULL, OPT_EXPECT},
	{"mail-host", required_argument, NULL, OPT_MAIL_HOST},
	{"no-audit", no_argument, NULL, OPT_NO_AUDIT},
	{"require-all", required_argument, NULL, OPT_REQUIRE_ALL},
	{NULL, 0, NULL, 0},
};

static const char *parse_expect(struct spf_opts *o, const char *arg)
{
	const char *p = arg;

	memset(o->expect, 0, sizeof(o->expect));
	for (;;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		enum spf_result r;

		if (!spf_result_parse(p, len, &r)) {
			return "not a list of SPF results (none, neutral, pass, "
			       "fail, softfail, temperror, permerror)";
		}
		o->expect[r] = true;
		if (comma == NULL) {
			break;
		}
		p = comma + 1;
	}
	o->expect_set = true;
	o->expect_arg = arg;
	return NULL;
}

/* --sender: "" is the null sender; otherwise the part after the last
 * '@' (or the whole value) is the domain check_host() asks. An empty
 * domain ("@", "a@") is a typing error, so UNKNOWN rather than a
 * "none for ''" verdict. A non-empty malformed domain stays RFC 7208
 * 4.3's "none" (the RFC 7208 suite tests those through --sender). */
static const char *sender_option(const char *arg)
{
	const char *at = strrchr(arg, '@');

	if (arg[0] != '\0' && (at != NULL ? at[1] : arg[0]) == '\0') {
		return "invalid sender address: no domain after '@'";
	}
	return NULL;
}

/* --require-all=fail|softfail: the weakest "all" that is OK. */
static const char *audit_option(struct spf_opts *o, const char *arg)
{
	if (strcasecmp(arg, "fail") == 0) {
		o->require_fail = true;
	} else if (strcasecmp(arg, "softfail") == 0) {
		o->require_fail = false;
	} else {
		return "not fail or softfail";
	}
	return NULL;
}

/* --mail-host: a host name; the reason it is not one, in o->why. */
static const char *mail_host_option(struct spf_opts *o, const char *arg)
{
	char idn[96];
	const char *bad = options_host_name(arg, DNAME_HOSTNAME, &o->mail_host, idn, sizeof(idn));

	o->mail_host_arg = arg;
	if (bad == NULL) {
		return NULL;
	}
	snprintf(o->why, sizeof(o->why), "invalid host name: %s", bad);
	return o->why;
}

static const char *handle(void *ctx, int opt, const char *arg)
{
	struct spf_opts *o = ctx;

	switch (opt) {
	case OPT_IP:
		if (o->nips >= LIMIT_SPF_ADDRESSES) {
			return "too many addresses";
		}
		if (!spf_ip_parse(arg, &o->ips[o->nips])) {
			return "invalid IP address";
		}
		o->nips++;
		return NULL;
	case OPT_SENDER:
		o->sender = arg;
		return sender_option(arg);
	case OPT_HELO:
		o->helo = arg;
		return NULL;
	case OPT_EXPECT:
		return parse_expect(o, arg);
	case OPT_MAIL_HOST:
		return mail_host_option(o, arg);
	case OPT_NO_AUDIT:
		o->no_audit = true;
		return NULL;
	case OPT_REQUIRE_ALL:
		return audit_option(o, arg);
	default:
		return "unknown option";
	}
}

/* The plugin's description; main() points .ctx at its options. */
static const struct plugin_info info = {
	.progname = "check_spf",
	.service = "SPF",
	.blurb = "Checks the SPF record of a mail domain (RFC 7208) and, for "
		 "the addresses given, evaluates check_host() as a receiving mail "
		 "server would.",
	.usage = "[--ip=ADDR]... [--mail-host=HOST] [--sender=ADDR] "
		 "[--helo=NAME] [--expect=RESULT[,RESULT]] [--no-audit] "
		 "[--require-all=fail]",
	.options_help = " --ip=ADDR\n"
			"    Evaluate check_host() for this client address, IPv4 or IPv6\n"
			"    (repeatable; an IPv4-mapped IPv6 address counts as IPv4)\n"
			" --mail-host=HOST\n"
			"    Evaluate every A and AAAA address of HOST (the mail server);\n"
			"    the fix: line authorises them (without it: a:$MAILNAME where\n"
			"    mx does not cover the mail server; without either, a line\n"
			"    says what to publish)\n"
			" --sender=ADDR\n"
			"    MAIL FROM address (default postmaster@DOMAIN; an empty value\n"
			"    is the null sender, checked as postmaster@HELO; nothing\n"
			"    after the '@' is refused)\n"
			" --helo=NAME\n"
			"    HELO/EHLO name for the %{h} macro and the null sender\n"
			" --expect=RESULT[,RESULT]\n"
			"    Results that are OK (default pass): none, neutral, pass, fail,\n"
			"    softfail, temperror, permerror; any other is CRITICAL\n"
			" --no-audit\n"
			"    Leave the static audit of the record out (only the\n"
			"    evaluation counts; -D is then optional)\n"
			" --require-all=RESULT\n"
			"    The weakest all that is OK: fail or softfail (default\n"
			"    softfail: ~all is OK; with fail, ~all is a WARNING)\n",
	.notes = "Limits: RFC 7208's 10 DNS-querying terms and 2 void lookups, at\n"
		 "most 10 MX names (more: permerror) and 10 PTR names (the rest\n"
		 "ignored); records over 8192 bytes or 512 terms are a permerror;\n"
		 "one macro expansion at most 4096 bytes; explanations are shown\n"
		 "cut to 200 bytes. At most 64 addresses are evaluated.\n"
		 "A run may send 7990 DNS queries (64 addresses x 112, the\n"
		 "audit's 310 and 512 more); past that an address is UNKNOWN,\n"
		 "not evaluated.\n"
		 "Void lookups over 2 for one address family only (IPv6 clients\n"
		 "of an a: target without AAAA) are a WARNING; perfdata\n"
		 "void_lookups is that worst case. Sender ID (spf2.0/) records\n"
		 "are named: receivers ignore them.\n"
		 "A temperror that is not expected is reported at\n"
		 "--dns-error-state.\n\n"
		 "-w/-c apply to the DNS lookups of the whole include/redirect\n"
		 "tree (defaults 8 and 10); more than 10 is CRITICAL whatever -c\n"
		 "says (RFC 7208 4.6.4).\n"
		 "The audit (always, unless --no-audit) asks one round trip of\n"
		 "queries per level of the include tree, fetches at most 50\n"
		 "records and resolves at most 64 a/mx/exists targets.\n\n"
		 "Example: check_spf -D example.com --mail-host=mail.example.com\n",
	.short_opts = "",
	.long_opts = long_opts,
	.handle = handle,
	.domain_optional = true,
};

/* The inputs must name something to evaluate against (UNKNOWN if not);
 * --expect defaults to pass. */
static void validate(const struct plugin_info *pi, const struct common_opts *co, struct spf_opts *o)
{
	if (!o->expect_set) {
		o->expect[SPF_PASS] = true;
	}
	if (o->no_audit && o->nips == 0 && o->mail_host_arg == NULL) {
		plugin_die(pi, "nothing to check: give --ip or --mail-host, "
			       "or leave out --no-audit");
	}
	if (!o->no_audit && !co->have_domain) {
		plugin_die(pi, "no domain: give -D (or --no-audit)");
	}
	if (!co->have_domain && (o->sender == NULL || o->sender[0] == '\0') && o->helo == NULL) {
		plugin_die(pi, "no domain: give -D, --sender or --helo");
	}
}

/* v=spf1 records in an answer (RFC 7208 4.5). */
static size_t spf_records(const struct dns_answer *a)
{
	size_t n = 0;

	for (size_t i = 0; a->qtype == DNS_T_TXT && i < a->nrr; i++) {
		n += spf_is_record(a->rr[i].u.txt.data, a->rr[i].u.txt.len);
	}
	return n;
}

/* --all-ns: where the others serve one SPF record, a server with none
 * or several makes check_host() none or permerror for the receivers
 * that ask it (RFC 7208 4.5); another record is a warning. */
static enum state stale_spf(void *ctx, const struct dns_answer *ref, const struct dns_answer *got)
{
	(void)ctx;
	return spf_records(ref) == 1 && spf_records(got) != 1 ? STATE_CRITICAL : STATE_WARNING;
}

int main(int argc, char **argv)
{
	struct spf_opts o = {0};
	struct plugin_info pi = info;
	struct common_opts co;
	struct spf_run r = {.co = &co, .o = &o};

	pi.ctx = &o;
	plugin_start(argc, argv, &pi, &co);
	validate(&pi, &co, &o);
	r.c = check_new("SPF");
	check_set_verbosity(r.c, co.verbose);
	if (co.have_domain) {
		check_subject(r.c, "%s", co.domain_shown);
	}
	/* room for the documented worst case (bounds.h), not the 512 that
	 * suits one record */
	co.rcfg.max_queries = LIMIT_SPF_QUERIES;
	r.res = plugin_resolver(&co);
	memcpy(r.ips, o.ips, o.nips * sizeof(o.ips[0]));
	r.nips = r.nip_args = o.nips;

	if (o.mail_host_arg != NULL) {
		spf_mail_host_addresses(&r);
	}
	if (!o.no_audit && co.have_domain) {
		spf_audit_report(&r);
	}
	if (co.parked && co.have_domain) {
		spf_parked(&r);
	}
	spf_evaluate(&r);
	spf_audit_summary(&r);
	if (co.all_ns) {
		plugin_stage("authoritative servers");
		propagation_check(r.c, &co, r.res, stale_spf, NULL);
	}
	plugin_exit(r.c, r.res);
}
