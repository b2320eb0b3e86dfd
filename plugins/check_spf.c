/*
 * check_spf: the SPF record of a mail domain (RFC 7208).
 *
 * Evaluation mode: check_host() for each --ip and each address of
 * --mail-host, against --expect. The static audit of the record
 * (lookup count, policy, fix lines, -w/-c) is one more step in main().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "plugin.h"
#include "spf_eval.h"

enum {
	OPT_IP = OPT_PLUGIN_BASE, OPT_SENDER, OPT_HELO, OPT_EXPECT,
	OPT_MAIL_HOST, OPT_NO_AUDIT,
};

struct config {
	struct spf_ip ips[LIMIT_SPF_ADDRESSES];
	size_t nips;
	const char *sender;     /* NULL: not given; "": null sender */
	const char *helo;
	bool expect[SPF_RESULT_COUNT];
	bool expect_set;
	const char *expect_arg;
	const char *mail_host_arg;
	struct dname mail_host;
	bool no_audit;
};

static const struct option long_opts[] = {
	{ "ip", required_argument, NULL, OPT_IP },
	{ "sender", required_argument, NULL, OPT_SENDER },
	{ "helo", required_argument, NULL, OPT_HELO },
	{ "expect", required_argument, NULL, OPT_EXPECT },
	{ "mail-host", required_argument, NULL, OPT_MAIL_HOST },
	{ "no-audit", no_argument, NULL, OPT_NO_AUDIT },
	{ NULL, 0, NULL, 0 },
};

static const char *parse_expect(struct config *cfg, const char *arg)
{
	const char *p = arg;

	memset(cfg->expect, 0, sizeof(cfg->expect));
	for (;;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		enum spf_result r;
		if (!spf_result_parse(p, len, &r))
			return "not a list of SPF results (none, neutral, pass, "
			    "fail, softfail, temperror, permerror)";
		cfg->expect[r] = true;
		if (comma == NULL)
			break;
		p = comma + 1;
	}
	cfg->expect_set = true;
	cfg->expect_arg = arg;
	return NULL;
}

static const char *handle(void *ctx, int opt, const char *arg)
{
	struct config *cfg = ctx;

	switch (opt) {
	case OPT_IP:
		if (cfg->nips >= LIMIT_SPF_ADDRESSES)
			return "too many addresses";
		if (!spf_ip_parse(arg, &cfg->ips[cfg->nips]))
			return "invalid IP address";
		cfg->nips++;
		return NULL;
	case OPT_SENDER:
		cfg->sender = arg;
		return NULL;
	case OPT_HELO:
		cfg->helo = arg;
		return NULL;
	case OPT_EXPECT:
		return parse_expect(cfg, arg);
	case OPT_MAIL_HOST:
		cfg->mail_host_arg = arg;
		return dname_from_text(&cfg->mail_host, arg, strlen(arg),
		    DNAME_HOSTNAME, NULL) ? NULL : "invalid host name";
	case OPT_NO_AUDIT:
		cfg->no_audit = true;
		return NULL;
	default:
		return "unknown option";
	}
}

static struct config cfg;

static const struct plugin_info info = {
	.progname = "check_spf",
	.service = "SPF",
	.blurb = "Checks the SPF record of a mail domain (RFC 7208) and, for "
	    "the addresses given, evaluates check_host() as a receiving mail "
	    "server would.",
	.usage = "[--ip=ADDR]... [--mail-host=HOST] [--sender=ADDR] "
	    "[--helo=NAME] [--expect=RESULT[,RESULT]] [--no-audit]",
	.options_help =
	    " --ip=ADDR\n"
	    "    Evaluate check_host() for this client address, IPv4 or IPv6\n"
	    "    (repeatable; an IPv4-mapped IPv6 address counts as IPv4)\n"
	    " --mail-host=HOST\n"
	    "    Evaluate every A and AAAA address of HOST (the mail server)\n"
	    " --sender=ADDR\n"
	    "    MAIL FROM address (default postmaster@DOMAIN; an empty value\n"
	    "    is the null sender, checked as postmaster@HELO)\n"
	    " --helo=NAME\n"
	    "    HELO/EHLO name for the %{h} macro and the null sender\n"
	    " --expect=RESULT[,RESULT]\n"
	    "    Results that are OK (default pass): none, neutral, pass, fail,\n"
	    "    softfail, temperror, permerror; any other is CRITICAL\n"
	    " --no-audit\n"
	    "    Leave the check of the record itself out (only the\n"
	    "    evaluation counts; -D is then optional)\n",
	.notes =
	    "Limits: RFC 7208's 10 DNS-querying terms and 2 void lookups, at\n"
	    "most 10 MX names (more: permerror) and 10 PTR names (the rest\n"
	    "ignored); records over 8192 bytes or 512 terms are a permerror;\n"
	    "one macro expansion at most 4096 bytes; explanations are shown\n"
	    "cut to 200 bytes. At most 64 addresses are evaluated.\n"
	    "A temperror that is not expected is reported at\n"
	    "--dns-error-state.\n\n"
	    "Example: check_spf -D example.com --mail-host=mail.example.com\n",
	.short_opts = "",
	.long_opts = long_opts,
	.handle = handle,
	.ctx = &cfg,
	.domain_optional = true,
};

/* The inputs must name something to evaluate against (UNKNOWN if not). */
static void validate(const struct common_opts *co)
{
	if (!cfg.expect_set)
		cfg.expect[SPF_PASS] = true;
	if (cfg.no_audit && cfg.nips == 0 && cfg.mail_host_arg == NULL)
		plugin_die(&info, "nothing to check: give --ip or --mail-host, "
		    "or leave out --no-audit");
	if (!cfg.no_audit && !co->have_domain)
		plugin_die(&info, "no domain: give -D (or --no-audit)");
	if (!co->have_domain && (cfg.sender == NULL || cfg.sender[0] == '\0')
	    && cfg.helo == NULL)
		plugin_die(&info, "no domain: give -D, --sender or --helo");
}

/*
 * The record itself: exactly one v=spf1 TXT record whose whole text
 * parses (RFC 7208 4.5, 4.6). The static audit (lookup count over the
 * tree, policy, fix lines, -w/-c) builds on this step.
 */
static void record_check(struct check *c, const struct common_opts *co,
    struct resolver *res)
{
	struct spf_fetch f;

	plugin_stage("SPF record");
	spf_fetch(res, &co->domain, &f);
	switch (f.result) {
	case SPF_PASS:
		check_add(c, STATE_OK, "one v=spf1 record, %zu terms, syntax "
		    "valid", f.rec->nterms);
		break;
	case SPF_TEMPERROR:
		plugin_dns_error(c, co, f.ans, "SPF record");
		break;
	case SPF_NONE:
		check_add(c, STATE_CRITICAL, "no SPF record (%s)", f.why);
		break;
	default:
		check_add(c, STATE_CRITICAL, "SPF permerror: %s", f.why);
		break;
	}
	spf_fetch_clear(&f);
}

/* --mail-host: every A and AAAA address, asked in one batch. */
static void mail_host_addresses(struct check *c, const struct common_opts *co,
    struct resolver *res)
{
	struct dns_question q[2] = {
		{ cfg.mail_host, DNS_T_A }, { cfg.mail_host, DNS_T_AAAA },
	};
	const struct dns_answer *a[2];
	size_t before = cfg.nips;

	plugin_stage("mail host addresses");
	resolver_query_batch(res, q, 2, a);
	for (size_t i = 0; i < 2; i++) {
		if (!res_status_is_answer(a[i]->status)) {
			plugin_dns_error(c, co, a[i], "mail host address");
			continue;
		}
		for (size_t j = 0; j < a[i]->nrr; j++) {
			const struct dns_rr *rr = &a[i]->rr[j];
			if (cfg.nips >= LIMIT_SPF_ADDRESSES)
				break;
			struct spf_ip *ip = &cfg.ips[cfg.nips];
			memset(ip, 0, sizeof(*ip));
			ip->family = rr->type == DNS_T_A ? 4 : 6;
			memcpy(ip->addr, rr->u.addr, ip->family == 4 ? 4 : 16);
			cfg.nips++;
		}
	}
	if (cfg.nips == before && check_state(c) == STATE_OK)
		check_add(c, STATE_CRITICAL, "mail host %s has no A or AAAA "
		    "record", cfg.mail_host_arg);
}

/* One long-output line per address: result, deciding term, why or
 * explanation. */
static enum state evaluate_one(struct check *c, const struct common_opts *co,
    struct resolver *res, const struct spf_request *req)
{
	struct spf_outcome out;
	char ip[64], detail[800], exp[LIMIT_SPF_EXP_SHOWN + 1];
	enum spf_result r = spf_check_host(res, req, &out);
	enum state st = cfg.expect[r] ? STATE_OK :
	    r == SPF_TEMPERROR ? co->dns_error_state : STATE_CRITICAL;

	spf_ip_str(&req->ip, ip, sizeof(ip));
	switch (r) {
	case SPF_PASS: case SPF_FAIL: case SPF_SOFTFAIL: case SPF_NEUTRAL:
		snprintf(detail, sizeof(detail), "by %.319s in %.400s",
		    out.term, out.where);
		break;
	default:
		snprintf(detail, sizeof(detail), "%.690s", out.why);
		break;
	}
	exp[0] = '\0';
	if (out.explanation != NULL) {
		/* shown cut to LIMIT_SPF_EXP_SHOWN bytes; the renderer
		 * escapes '|' and control bytes (S-EXP-01) */
		size_t n = out.explanation_len < LIMIT_SPF_EXP_SHOWN ?
		    out.explanation_len : LIMIT_SPF_EXP_SHOWN;
		memcpy(exp, out.explanation, n);
		exp[n] = '\0';
	}
	check_add(c, st, "%s: SPF %s for %s (%s)%s%s%s%s%s", ip,
	    spf_result_str(r), out.domain, detail,
	    exp[0] ? ", explanation \"" : "", exp, exp[0] ? "\"" : "",
	    st == STATE_OK ? "" : ", expected ",
	    st == STATE_OK ? "" : cfg.expect_set ? cfg.expect_arg : "pass");
	check_verbose(c, 1, "%s: %u DNS-querying terms, %u void lookups", ip,
	    out.lookups, out.voids);
	spf_outcome_clear(&out);
	return st;
}

static void evaluate(struct check *c, const struct common_opts *co,
    struct resolver *res)
{
	struct spf_request req;
	char dsender[DNAME_TEXT_MAX + 16];
	size_t bad = 0;

	memset(&req, 0, sizeof(req));
	req.helo = cfg.helo;
	req.sender = cfg.sender;
	req.now = time(NULL);
	if (cfg.sender == NULL && co->have_domain) {
		char d[DNAME_TEXT_MAX];
		snprintf(dsender, sizeof(dsender), "postmaster@%s",
		    dname_to_text(&co->domain, d, sizeof(d)));
		req.sender = dsender;
	}
	if (req.helo == NULL && co->have_domain)
		req.helo = co->domain_arg;

	plugin_stage("SPF evaluation");
	for (size_t i = 0; i < cfg.nips; i++) {
		req.ip = cfg.ips[i];
		if (evaluate_one(c, co, res, &req) != STATE_OK)
			bad++;
	}
	if (cfg.nips > 0 && bad == 0 && check_state(c) == STATE_OK)
		check_summary(c, STATE_OK, "%zu address%s get%s an expected "
		    "SPF result (%s)", cfg.nips, cfg.nips == 1 ? "" : "es",
		    cfg.nips == 1 ? "s" : "", cfg.expect_set ? cfg.expect_arg :
		    "pass");
}

int main(int argc, char **argv)
{
	struct common_opts co;

	plugin_start(argc, argv, &info, &co);
	validate(&co);
	struct check *c = check_new("SPF");
	check_set_verbosity(c, co.verbose);
	if (co.have_domain)
		check_subject(c, "%s", co.domain_arg);
	struct resolver *res = plugin_resolver(&co);
	if (!cfg.no_audit)
		record_check(c, &co, res);
	if (cfg.mail_host_arg != NULL)
		mail_host_addresses(c, &co, res);
	evaluate(c, &co, res);
	plugin_exit(c, res);
}
