/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_spf: the SPF record of a mail domain (RFC 7208).
 *
 * Evaluation mode: check_host() for each --ip and each address of
 * --mail-host, against --expect. The static audit of the record
 * (lookup count, policy, fix lines, -w/-c) is one more step in main().
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "plugin.h"
#include "propagation.h"
#include "spf_audit.h"
#include "spf_eval.h"

enum {
	OPT_IP = OPT_PLUGIN_BASE, OPT_SENDER, OPT_HELO, OPT_EXPECT,
	OPT_MAIL_HOST, OPT_NO_AUDIT, OPT_REQUIRE_ALL,
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
	bool require_fail;      /* --require-all=fail */
};

static const struct option long_opts[] = {
	{ "ip", required_argument, NULL, OPT_IP },
	{ "sender", required_argument, NULL, OPT_SENDER },
	{ "helo", required_argument, NULL, OPT_HELO },
	{ "expect", required_argument, NULL, OPT_EXPECT },
	{ "mail-host", required_argument, NULL, OPT_MAIL_HOST },
	{ "no-audit", no_argument, NULL, OPT_NO_AUDIT },
	{ "require-all", required_argument, NULL, OPT_REQUIRE_ALL },
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

/* --sender: "" is the null sender; otherwise the part after the last
 * '@' (or the whole value) is the domain check_host() asks. An empty
 * domain ("@", "a@") is a typing error, so UNKNOWN rather than a
 * "none for ''" verdict. A non-empty malformed domain stays RFC 7208
 * 4.3's "none" (the RFC 7208 suite tests those through --sender). */
static const char *sender_option(const char *arg)
{
	const char *at = strrchr(arg, '@');

	if (arg[0] != '\0' && (at != NULL ? at[1] : arg[0]) == '\0')
		return "invalid sender address: no domain after '@'";
	return NULL;
}

/* --require-all=fail|softfail: the weakest "all" that is OK. */
static const char *audit_option(struct config *cfg, const char *arg)
{
	if (strcasecmp(arg, "fail") == 0)
		cfg->require_fail = true;
	else if (strcasecmp(arg, "softfail") == 0)
		cfg->require_fail = false;
	else
		return "not fail or softfail";
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
		return sender_option(arg);
	case OPT_HELO:
		cfg->helo = arg;
		return NULL;
	case OPT_EXPECT:
		return parse_expect(cfg, arg);
	case OPT_MAIL_HOST: {
		static char why[160];
		char idn[96];
		const char *bad = options_host_name(arg, DNAME_HOSTNAME,
		    &cfg->mail_host, idn, sizeof(idn));

		cfg->mail_host_arg = arg;
		if (bad == NULL)
			return NULL;
		snprintf(why, sizeof(why), "invalid host name: %s", bad);
		return why;
	}
	case OPT_NO_AUDIT:
		cfg->no_audit = true;
		return NULL;
	case OPT_REQUIRE_ALL:
		return audit_option(cfg, arg);
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
	    "[--helo=NAME] [--expect=RESULT[,RESULT]] [--no-audit] "
	    "[--require-all=fail]",
	.options_help =
	    " --ip=ADDR\n"
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
	.notes =
	    "Limits: RFC 7208's 10 DNS-querying terms and 2 void lookups, at\n"
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

/* --mail-host: every A and AAAA address, asked in one batch. */
static void mail_host_addresses(struct check *c, const struct common_opts *co,
    struct resolver *res)
{
	struct dns_question q[2] = {
		{ cfg.mail_host, DNS_T_A }, { cfg.mail_host, DNS_T_AAAA },
	};
	const struct dns_answer *a[2];
	size_t before = cfg.nips;
	bool failed = false;    /* a DNS failure is never "no record", even
	                           at --dns-error-state=ok */

	plugin_stage("mail host addresses");
	resolver_query_batch(res, q, 2, a);
	for (size_t i = 0; i < 2; i++) {
		if (!res_status_is_answer(a[i]->status)) {
			plugin_dns_error(c, co, a[i], "mail host address");
			failed = true;
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
	if (cfg.nips == before && !failed)
		check_add(c, STATE_CRITICAL, "mail host %s has no A or AAAA "
		    "record", cfg.mail_host_arg);
}

_Static_assert(LIMIT_SPF_QUERIES == 7990, "--help says 7990 queries");

/* True when a has no answer because the run reached its query cap
 * (LIMIT_SPF_QUERIES, set in main()): our limit, not a DNS failure of
 * the domain. */
static bool over_query_limit(struct resolver *res, const struct dns_answer *a)
{
	return a != NULL && a->status == RES_NETERR &&
	    resolver_queries_sent(res) >= LIMIT_SPF_QUERIES;
}

/* "query limit reached: ..." for a question the cap kept from being
 * asked. */
static void query_limit_text(const struct dns_answer *a, char *buf,
    size_t len)
{
	char name[DNAME_TEXT_MAX], tb[16];

	snprintf(buf, len, "query limit reached: check_spf sends at most %d "
	    "DNS queries per run, %s/%s was not asked", LIMIT_SPF_QUERIES,
	    dname_to_text(&a->qname, name, sizeof(name)),
	    dns_type_str(a->qtype, tb, sizeof(tb)));
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
	if (r == SPF_TEMPERROR && over_query_limit(res, out.failed)) {
		/* not a result any receiver gets: ours to own (UNKNOWN) */
		query_limit_text(out.failed, detail, sizeof(detail));
		check_add(c, STATE_UNKNOWN, "%s: not evaluated, %s", ip,
		    detail);
		spf_outcome_clear(&out);
		return STATE_UNKNOWN;
	}
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
		req.helo = co->domain_text;

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

/* ------------------------------------------------------ static audit */

/* What the audit left for the first line, decided after the evaluation
 * (the worst of both: doc/output-contract.md). */
static struct {
	bool done, have_record;
	enum state lookups_state;
	char lookups_text[128];
	char ok_text[160];
} audited;

/* The lookup count's state: -w/-c (defaults 8 and 10) may only be
 * stricter than RFC 7208 4.6.4: more than 10 is CRITICAL regardless. */
static enum state lookups_state(const struct common_opts *co, unsigned n,
    const struct range *warn, const struct range *crit, char *text,
    size_t len)
{
	enum state st = range_state(n, warn, crit);

	if (n > LIMIT_SPF_LOOKUPS) {
		snprintf(text, len, "%u DNS lookups, limit is %d", n,
		    LIMIT_SPF_LOOKUPS);
		return STATE_CRITICAL;
	}
	if (st == STATE_CRITICAL)
		snprintf(text, len, "%u DNS lookup%s, outside -c %s", n,
		    n == 1 ? "" : "s", crit->text);
	else if (st == STATE_WARNING)
		snprintf(text, len, "%u DNS lookup%s, outside -w %s", n,
		    n == 1 ? "" : "s", warn->text);
	else
		snprintf(text, len, "%u DNS lookup%s, limit is %d", n,
		    n == 1 ? "" : "s", LIMIT_SPF_LOOKUPS);
	(void)co;
	return st;
}

/* The mail server's name for the fix: line: --mail-host, else $MAILNAME
 * (the variable the mail server's DNS guide uses) when it is a host
 * name; NULL when neither names one (the audit then says in words what
 * to publish rather than make a host up). */
static const char *mail_host_name(char *buf, size_t len)
{
	struct dname d;
	const char *env = getenv("MAILNAME");

	if (cfg.mail_host_arg != NULL)
		return dname_to_text(&cfg.mail_host, buf, len);
	if (env == NULL || env[0] == '\0' ||
	    !dname_from_text(&d, env, strlen(env), DNAME_HOSTNAME | DNAME_MULTILABEL, NULL))
		return NULL;
	return dname_to_text(&d, buf, len);
}

static void audit(struct check *c, const struct common_opts *co,
    struct resolver *res, size_t first_mail_ip)
{
	struct spf_audit a;
	char host[DNAME_TEXT_MAX];
	struct spf_audit_opts o = {
		.require_fail = cfg.require_fail,
		.mail_ips = &cfg.ips[first_mail_ip],
		.nmail_ips = cfg.nips - first_mail_ip,
		.mail_host = mail_host_name(host, sizeof(host)),
	};
	for (size_t i = 0; i < cfg.nips; i++) {
		o.eval_ipv4 |= cfg.ips[i].family == 4;
		o.eval_ipv6 |= cfg.ips[i].family == 6;
	}
	struct range warn = co->warn, crit = co->crit;
	const char *why;

	plugin_stage("SPF audit");
	if (!warn.set)
		range_parse("8", &warn, &why);
	if (!crit.set)
		range_parse("10", &crit, &why);
	if (!spf_audit_run(res, &co->domain, &o, &a))
		check_add(c, STATE_UNKNOWN, "SPF audit: out of memory");
	audited.done = true;
	audited.have_record = a.have_record;
	audited.lookups_state = STATE_OK;
	/* A question the run's query cap kept from being asked is ours
	 * (UNKNOWN), not a DNS error of the domain: said here in full (the
	 * cap's text does not fit a finding's) and left out of the list,
	 * as the FIX_NOTE is with --parked (the parked record is the fix:
	 * parked()). The renderer orders by state, then as added. */
	size_t kept = 0;
	for (size_t i = 0; i < a.findings.n; i++) {
		const struct finding *f = &a.findings.v[i];
		if (f->code == SPF_A_DNS_ERROR &&
		    over_query_limit(res, f->failed)) {
			char t[600];
			query_limit_text(f->failed, t, sizeof(t));
			check_add(c, STATE_UNKNOWN, "%s: %s", f->text, t);
			continue;
		}
		if (f->code == SPF_A_FIX_NOTE && co->parked)
			continue;
		a.findings.v[kept++] = *f;
	}
	a.findings.n = kept;
	plugin_findings(c, co, &a.findings, NULL);
	if (a.have_record) {
		/* part of the tree not counted (loop, macro, missing
		 * target): the total is a lower bound */
		const char *partial = a.lookups_partial ? "at least " : "";
		char t[100];
		enum state st = lookups_state(co, a.lookups, &warn, &crit, t,
		    sizeof(t));
		snprintf(audited.lookups_text, sizeof(audited.lookups_text),
		    "%s%s", partial, t);
		audited.lookups_state = st;
		/* a finding at every state, like the others: the first
		 * line may repeat it (audit_summary()) */
		check_add(c, st, "%s", audited.lookups_text);
		/* what each include and redirect costs (RFC 7208 4.6.4);
		 * those of the domain's own record first, then those its
		 * redirect chain adds, then (-v) the nested ones */
		char self[DNAME_TEXT_MAX];
		dname_to_text(&co->domain, self, sizeof(self));
		for (size_t i = 0; i < a.ncosts; i++) {
			const struct spf_audit_cost *k = &a.costs[i];
			if (k->top && strcmp(k->where, self) == 0)
				check_add(c, st, "%s adds %u lookup%s", k->term,
				    k->lookups, k->lookups == 1 ? "" : "s");
			else if (k->top)
				check_add(c, st, "%s in %s adds %u lookup%s",
				    k->term, k->where, k->lookups,
				    k->lookups == 1 ? "" : "s");
			else
				check_verbose(c, 1, "%s in %s adds %u lookup%s",
				    k->term, k->where, k->lookups,
				    k->lookups == 1 ? "" : "s");
		}
		snprintf(audited.ok_text, sizeof(audited.ok_text),
			 "one v=spf1 record, %s%u DNS lookup%s, %u void", partial, a.lookups,
			 a.lookups == 1 ? "" : "s", a.voids_family);
		/* void_lookups: the worst case, for the client family
		 * that gets more (a.voids_family >= a.voids), as the
		 * SPF_A_VOID finding says */
		/* more than 10 is CRITICAL whatever -c says, so the
		 * perfdata's crit is never above 10 (-c 20 prints 10) */
		struct range pcrit = crit;
		if (!pcrit.alert_inside && !pcrit.end_infinite && pcrit.end > LIMIT_SPF_LOOKUPS)
			pcrit.end = LIMIT_SPF_LOOKUPS;
		check_perf(c, "lookups", a.lookups, "", &warn, &pcrit, 0, LIMIT_SPF_LOOKUPS);
		struct range vcrit;
		range_parse("2", &vcrit, &why);
		check_perf(c, "void_lookups", a.voids_family, "", NULL, &vcrit, 0, NAN);
		struct range bwarn;
		range_parse("450", &bwarn, &why);
		check_perf(c, "record_bytes", (double)a.record_bytes, "B",
		    &bwarn, NULL, 0, NAN);
	}
	if (a.fix != NULL && !co->parked) {
		char owner[DNAME_TEXT_MAX];
		char *txt = zone_txt_strings(a.fix, a.fix_len);
		if (txt != NULL)
			check_fix(c, "%s. IN TXT %s", dname_to_text(&a.fix_owner,
			    owner, sizeof(owner)), txt);
		free(txt);
	}
	check_verbose(c, 1, "audit: %u DNS quer%s in %u round trip%s, %u SPF "
	    "record%s", a.queries, a.queries == 1 ? "y" : "ies", a.round_trips,
	    a.round_trips == 1 ? "" : "s", a.records, a.records == 1 ? "" :
	    "s");
	spf_audit_clear(&a);
}

/*
 * --parked: the domain sends no mail, so its record must fail every
 * client ("v=spf1 -all"); one that lets any client pass, softfail or stay
 * neutral is the finding. The TXT answer is the audit's, from the cache.
 */
static void parked(struct check *c, const struct common_opts *co,
    struct resolver *res)
{
	const struct dns_answer *a = resolver_query(res, &co->domain, DNS_T_TXT);
	const struct dns_rr *hit = NULL;
	struct spf_record *rec = NULL;
	char owner[DNAME_TEXT_MAX], err[160];
	size_t n = 0;

	if (!res_status_is_answer(a->status))
		return;                 /* the audit has said why */
	for (size_t i = 0; i < a->nrr; i++)
		if (spf_is_record(a->rr[i].u.txt.data, a->rr[i].u.txt.len)) {
			hit = &a->rr[i];
			n++;
		}
	if (n == 1)
		rec = spf_record_parse(hit->u.txt.data, hit->u.txt.len, err,
		    sizeof(err));
	if (rec != NULL && spf_record_denies_all(rec))
		check_add(c, STATE_OK, "parked: the SPF record fails every "
		    "sender");
	else
		check_add(c, STATE_CRITICAL, "parked domain: %s", n == 0 ?
		    "no SPF record, so receivers cannot tell that it sends no "
		    "mail" : n > 1 ? "several SPF records (permerror)" :
		    rec == NULL ? "the SPF record is invalid (permerror)" :
		    "the SPF record does not fail every sender");
	if (rec == NULL || !spf_record_denies_all(rec))
		check_fix(c, "%s. IN TXT \"v=spf1 -all\"",
		    dname_to_text(&co->domain, owner, sizeof(owner)));
	spf_record_free(rec);
}

/* The first line: the lookup count when it is the worst there is (as
 * in the example of doc/output-contract.md 2), else the worst finding; all OK and nothing
 * evaluated: a short account of the record. */
static void audit_summary(struct check *c)
{
	if (!audited.done || !audited.have_record)
		return;
	enum state worst = check_state(c);
	if (audited.lookups_state != STATE_OK) {
		/* the long output has it already (audit()) */
		if (state_worst(worst, audited.lookups_state) ==
		    audited.lookups_state)
			check_summary(c, audited.lookups_state, "%s",
			    audited.lookups_text);
	} else if (worst == STATE_OK && cfg.nips == 0) {
		check_summary(c, STATE_OK, "%s", audited.ok_text);
	}
}

/* v=spf1 records in an answer (RFC 7208 4.5). */
static size_t spf_records(const struct dns_answer *a)
{
	size_t n = 0;

	for (size_t i = 0; a->qtype == DNS_T_TXT && i < a->nrr; i++)
		n += spf_is_record(a->rr[i].u.txt.data, a->rr[i].u.txt.len);
	return n;
}

/* --all-ns: where the others serve one SPF record, a server with none
 * or several makes check_host() none or permerror for the receivers
 * that ask it (RFC 7208 4.5); another record is a warning. */
static enum state stale_spf(void *ctx, const struct dns_answer *ref,
    const struct dns_answer *got)
{
	(void)ctx;
	return spf_records(ref) == 1 && spf_records(got) != 1 ?
	    STATE_CRITICAL : STATE_WARNING;
}

int main(int argc, char **argv)
{
	struct common_opts co;

	plugin_start(argc, argv, &info, &co);
	validate(&co);
	struct check *c = check_new("SPF");
	check_set_verbosity(c, co.verbose);
	if (co.have_domain)
		check_subject(c, "%s", co.domain_shown);
	/* room for the documented worst case (bounds.h), not the 512
	 * that suits one record */
	co.rcfg.max_queries = LIMIT_SPF_QUERIES;
	struct resolver *res = plugin_resolver(&co);
	size_t nip_args = cfg.nips;
	if (cfg.mail_host_arg != NULL)
		mail_host_addresses(c, &co, res);
	if (!cfg.no_audit && co.have_domain)
		audit(c, &co, res, nip_args);
	if (co.parked && co.have_domain)
		parked(c, &co, res);
	evaluate(c, &co, res);
	audit_summary(c);
	if (co.all_ns) {
		plugin_stage("authoritative servers");
		propagation_check(c, &co, res, stale_spf, NULL);
	}
	plugin_exit(c, res);
}
