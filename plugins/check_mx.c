/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_mx: the MX RRset of a mail domain and the addresses of its hosts
 * (README "check_mx"; the guide's "MX Record" and "A Record").
 *
 * One MX query, then A and AAAA of every target in one batch; with --ptr
 * the PTR of every address in a second batch and the forward lookups of
 * those names in a third (forward-confirmed reverse DNS).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "addrclass.h"
#include "fcrdns.h"
#include "plugin.h"
#include "propagation.h"
#include "smtp_check.h"

enum { OPT_REQUIRE_IPV6 = OPT_PLUGIN_BASE, OPT_PTR, OPT_NULL_MX_OK, OPT_EXACT,
	OPT_MAIL_HOST };

static struct {
	struct dname expect[LIMIT_MX_EXPECT];
	size_t nexpect;
	bool require_ipv6, ptr, null_mx_ok, exact;
	struct dname mail_host; /* --mail-host or $MAILNAME, for fix: lines */
	bool have_mail_host;
	bool smtp;              /* --smtp, --starttls, --require-starttls or
				   --dane: the MX hosts will be contacted */
	struct smtp_opts so;
} mo = { .so = SMTP_OPTS_DEFAULT };

struct host {
	uint16_t pref;
	struct dname name;
	char text[DNAME_TEXT_MAX];
	const char *bad_name;   /* why the name itself is unusable, or NULL */
	bool dup;               /* same target as an earlier MX */
	bool failed;            /* an A/AAAA query could not be answered */
	bool v6_failed;         /* the AAAA query could not be answered */
	bool nxdomain;
	const struct dns_answer *ans[2];        /* A, AAAA */
	struct ipaddr addr[LIMIT_MX_HOST_ADDRS];
	size_t naddr;
	bool has_v6, more_addrs;
};

/* A and AAAA of every host go out in one batch. */
_Static_assert(2 * LIMIT_MX_HOSTS <= LIMIT_BATCH, "MX batch over LIMIT_BATCH");

static struct host hosts[LIMIT_MX_HOSTS];
static size_t nhosts;
static struct common_opts co;

static const struct option long_opts[] = {
	{ "expect", required_argument, NULL, 'e' },
	{ "require-ipv6", no_argument, NULL, OPT_REQUIRE_IPV6 },
	{ "ptr", no_argument, NULL, OPT_PTR },
	{ "null-mx-ok", no_argument, NULL, OPT_NULL_MX_OK },
	{ "exact", no_argument, NULL, OPT_EXACT },
	{ "mail-host", required_argument, NULL, OPT_MAIL_HOST },
	SMTP_LONG_OPTIONS,
	{ NULL, 0, NULL, 0 },
};

static const char *
handle_opt(void *ctx, int opt, const char *arg)
{
	static char reason[160];
	char idn_why[96];
	const char *why = NULL;

	switch (opt) {
	case 'e':
		if (mo.nexpect == LIMIT_MX_EXPECT)
			return "too many --expect hosts (limit 16)";
		/* an IDN as its A-labels, lower case like the MX
		 * targets it is compared with */
		why = options_host_name(arg, DNAME_HOSTNAME | DNAME_MULTILABEL,
		    &mo.expect[mo.nexpect], idn_why, sizeof idn_why);
		if (why != NULL) {
			snprintf(reason, sizeof reason, "invalid --expect host: %s",
			    why);
			return reason;
		}
		mo.nexpect++;
		return NULL;
	case OPT_REQUIRE_IPV6: mo.require_ipv6 = true; return NULL;
	case OPT_PTR: mo.ptr = true; return NULL;
	case OPT_NULL_MX_OK: mo.null_mx_ok = true; return NULL;
	case OPT_EXACT: mo.exact = true; return NULL;
	case OPT_MAIL_HOST:
		if (!dname_from_text(&mo.mail_host, arg, strlen(arg),
		    DNAME_HOSTNAME | DNAME_MULTILABEL, &why)) {
			snprintf(reason, sizeof reason, "invalid --mail-host: %s",
			    why ? why : "not a host name");
			return reason;
		}
		mo.have_mail_host = true;
		return NULL;
	case OPT_SMTP:
	case OPT_STARTTLS:
	case OPT_REQUIRE_STARTTLS:
	case OPT_DANE:
		mo.smtp = true;
		break;
	}
	return smtp_handle_opt(&mo.so, opt, arg);
}

static const struct plugin_info info = {
	.progname = "check_mx",
	.service = "MX",
	.blurb = "Checks the MX records of a mail domain: that there are some, "
	    "that every target is a host name with public A/AAAA addresses "
	    "(not a CNAME, an IP literal or localhost), and optionally that "
	    "expected hosts are present and every address has forward-"
	    "confirmed reverse DNS.",
	.usage = "[-e HOST]... [--exact] [--require-ipv6] [--ptr] [--null-mx-ok] "
	    "[--mail-host=HOST] " SMTP_USAGE,
	.options_help =
	    " -e, --expect=HOST\n"
	    "    An MX host that must be present (repeatable, at most 16);\n"
	    "    missing: CRITICAL\n"
	    " --exact\n"
	    "    With -e: the MX hosts must be exactly those given; any other MX host\n"
	    "    is CRITICAL (a hijacked zone adds one)\n"
	    " --mail-host=HOST\n"
	    "    The domain's mail server, for the MX record a fix: line proposes\n"
	    "    (default: $MAILNAME; without either, the line says what to publish)\n"
	    " --require-ipv6\n"
	    "    WARNING when no MX host has an AAAA record (default: OK, noted)\n"
	    " --ptr\n"
	    "    Every MX address must have a PTR whose name resolves back to it\n"
	    "    (forward-confirmed reverse DNS); WARNING if not\n"
	    " --null-mx-ok\n"
	    "    A null MX (RFC 7505, \"0 .\": the domain accepts no mail) is OK\n"
	    "    (default: CRITICAL); -w/-c then do not apply. With --parked a null MX\n"
	    "    is what is expected, and any MX host that accepts mail is CRITICAL\n"
	    SMTP_OPTIONS_HELP,
	.notes = "-w/-c apply to the number of usable MX hosts (those with at "
	    "least one address), e.g. -c 1: -w 2:.\nLimits: the 100 most preferred MX records are checked, 16 "
	    "addresses per host, 32 addresses with --ptr and 4 PTR names per "
	    "address.\n"
	    "Example: check_mx -D example.com -e mail.example.com -w 2: --ptr\n"
	    SMTP_NOTES,
	.short_opts = "e:",
	.long_opts = long_opts,
	.handle = handle_opt,
};

static const char *
plural(size_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

/* --all-ns: a server that serves no MX where the others do sends mail
 * to the fallback address or nowhere (RFC 5321 5.1); other differences,
 * an MX host's addresses among them, are warnings. */
static enum state
stale_mx(void *ctx, const struct dns_answer *ref, const struct dns_answer *got)
{
	(void)ctx;
	return got->qtype == DNS_T_MX && ref->status == RES_OK &&
	    got->status != RES_OK ? STATE_CRITICAL : STATE_WARNING;
}

/* The end of a run that got its MX answer: --all-ns, then exit. */
noreturn static void
finish(struct check *c, struct resolver *res)
{
	if (co.all_ns) {
		plugin_stage("authoritative servers");
		propagation_check(c, &co, res, stale_mx, NULL);
	}
	plugin_exit(c, res);
}

/*
 * The MX record to publish. The mail server's name cannot be guessed (a
 * made-up mail.DOMAIN would be a fix that fixes nothing): it comes from
 * --mail-host or $MAILNAME (the variable the mail server's DNS guide
 * uses); without either, the long output says what to publish instead.
 */
static void
fix_mx(struct check *c, const char *dom)
{
	char host[DNAME_TEXT_MAX];

	if (!mo.have_mail_host) {
		const char *env = getenv("MAILNAME");
		const char *why = NULL;

		if (env != NULL && env[0] != '\0' &&
		    dname_from_text(&mo.mail_host, env, strlen(env),
		    DNAME_HOSTNAME | DNAME_MULTILABEL, &why))
			mo.have_mail_host = true;
	}
	if (mo.have_mail_host) {
		check_fix(c, "%s. IN MX 10 %s.", dom,
		    dname_to_text(&mo.mail_host, host, sizeof host));
		return;
	}
	check_add(c, STATE_OK, "to fix: publish \"%s. IN MX 10 <your mail "
	    "server's host name>.\" (give it with --mail-host or MAILNAME for "
	    "the record)", dom);
}

/* RFC 5321 5.1: without MX, senders use the domain's A/AAAA. Say whether
 * there is one to fall back to. */
noreturn static void
no_mx(struct check *c, struct resolver *res, const struct dns_answer *mx,
    const char *dom)
{
	char a[ADDR_TEXT_MAX] = "";
	const struct dns_answer *ans[2] = { NULL, NULL };
	bool failed = false;

	if (co.parked) {
		/* RFC 7505 3: a domain that takes no mail says so with a
		 * null MX; without one, senders try its addresses or queue
		 * mail until it bounces days later. */
		check_add(c, STATE_WARNING, "parked domain publishes no null MX "
		    "(RFC 7505): senders %s", mx->status == RES_NXDOMAIN ?
		    "find that it does not exist" : "fall back to its address "
		    "records and retry");
	} else if (mx->status == RES_NXDOMAIN) {
		check_add(c, STATE_CRITICAL, "no MX record: %s does not exist "
		    "(NXDOMAIN)", dom);
	} else {
		struct dns_question q[2] = { { co.domain, DNS_T_A },
		    { co.domain, DNS_T_AAAA } };
		plugin_stage("fallback address lookup");
		resolver_query_batch(res, q, 2, ans);
		for (size_t i = 0; i < 2; i++) {
			failed |= !res_status_is_answer(ans[i]->status);
			if (ans[i]->status == RES_OK && a[0] == '\0')
				addr_to_text(ans[i]->rr[0].u.addr, i ? 16 : 4,
				    a, sizeof a);
		}
		if (a[0] || failed)
			check_add(c, STATE_CRITICAL, "no MX record; senders fall "
			    "back to the domain's own address%s%s (RFC 5321 5.1)",
			    a[0] ? " " : "", a);
		else
			check_add(c, STATE_CRITICAL, "no MX record and no A/AAAA "
			    "to fall back to: no mail can be delivered");
		/* After the finding above, which is what the first line says. */
		for (size_t i = 0; i < 2; i++)
			if (!res_status_is_answer(ans[i]->status))
				plugin_dns_error(c, &co, ans[i], "fallback address");
	}
	if (co.parked)
		check_fix(c, "%s. IN MX 0 .", dom);
	else
		fix_mx(c, dom);
	check_perf_ranges(c, "mx", 0, "", &co.warn, &co.crit, 0, NAN);
	finish(c, res);
}

/* Why no sender will deliver to this target, or NULL. */
static const char *
bad_name(const struct dname *n)
{
	if (dname_is_address_literal(n))
		return "is an IP address, not a host name (RFC 1035 3.3.9, "
		    "RFC 5321 5.1)";
	if (dname_is_localhost(n))
		return "is localhost, every sender's own host (RFC 6761 6.3)";
	if (dname_labels(n) < 2)
		return "is a single-label name";
	return NULL;
}

/* RFC 5321 5.1: lower preference first; equal ones in answer order. */
static int
cmp_rr(const void *x, const void *y)
{
	const struct dns_rr *a = *(const struct dns_rr *const *)x;
	const struct dns_rr *b = *(const struct dns_rr *const *)y;

	if (a->u.mx.pref != b->u.mx.pref)
		return a->u.mx.pref < b->u.mx.pref ? -1 : 1;
	return a < b ? -1 : a > b;
}

/* The LIMIT_MX_HOSTS most preferred targets, sorted, with unusable
 * names and repeated targets marked. Returns true when
 * a null MX ("." target, RFC 7505) was among the RRs; it is not kept as
 * a host. */
static bool
collect_hosts(struct check *c, const struct dns_answer *mx)
{
	static const struct dns_rr *rrs[LIMIT_RRS_PER_ANSWER];
	size_t n = mx->nrr < LIMIT_RRS_PER_ANSWER ? mx->nrr : LIMIT_RRS_PER_ANSWER;
	size_t skipped = 0;
	bool null_mx = false;

	for (size_t i = 0; i < n; i++)
		rrs[i] = &mx->rr[i];
	qsort(rrs, n, sizeof rrs[0], cmp_rr);
	for (size_t i = 0; i < n; i++) {
		if (rrs[i]->u.mx.host.len <= 1) {
			null_mx = true;
		} else if (nhosts == LIMIT_MX_HOSTS) {
			skipped++;
		} else {
			struct host *h = &hosts[nhosts++];
			memset(h, 0, sizeof *h);
			h->pref = rrs[i]->u.mx.pref;
			h->name = rrs[i]->u.mx.host;
			dname_to_text(&h->name, h->text, sizeof h->text);
			h->bad_name = bad_name(&h->name);
			for (size_t j = 0; j + 1 < nhosts && !h->dup; j++)
				h->dup = dname_equal(&h->name, &hosts[j].name);
		}
	}
	if (skipped)
		check_add(c, STATE_WARNING, "%zu MX records; only the %d most "
		    "preferred were checked", nhosts + skipped, LIMIT_MX_HOSTS);
	return null_mx;
}

/* A and AAAA of every target in one batch. */
static void
resolve_hosts(struct check *c, struct resolver *res)
{
	static struct dns_question q[2 * LIMIT_MX_HOSTS];
	static const struct dns_answer *ans[2 * LIMIT_MX_HOSTS];
	size_t nq = 0;

	for (size_t i = 0; i < nhosts; i++) {
		if (hosts[i].bad_name || hosts[i].dup)
			continue;
		q[nq++] = (struct dns_question){ hosts[i].name, DNS_T_A };
		q[nq++] = (struct dns_question){ hosts[i].name, DNS_T_AAAA };
	}
	plugin_stage("MX host address lookup");
	resolver_query_batch(res, q, nq, ans);
	nq = 0;
	for (size_t i = 0; i < nhosts; i++) {
		struct host *h = &hosts[i];
		if (h->bad_name || h->dup)
			continue;
		for (size_t t = 0; t < 2; t++) {
			const struct dns_answer *a = h->ans[t] = ans[nq++];
			if (!res_status_is_answer(a->status)) {
				char what[DNAME_TEXT_MAX + 16];
				snprintf(what, sizeof what, "MX %u %s", h->pref,
				    h->text);
				h->failed = true;
				h->v6_failed |= t == 1;
				plugin_dns_error(c, &co, a, what);
				continue;
			}
			h->nxdomain |= a->status == RES_NXDOMAIN;
			size_t before = h->naddr;
			h->naddr = ipaddr_from_answer(a, h->addr, h->naddr,
			    LIMIT_MX_HOST_ADDRS, &h->more_addrs);
			h->has_v6 |= t == 1 && h->naddr > before;
		}
	}
}

/* RFC 2181 10.3: an MX target must not be an alias. */
static void
report_cname(struct check *c, const struct host *h)
{
	char to[DNAME_TEXT_MAX];

	for (size_t t = 0; t < 2; t++) {
		const struct dns_answer *a = h->ans[t];
		if (!a || a->ncname == 0)
			continue;
		check_add(c, STATE_WARNING, "MX %u %s is a CNAME (to %s); MX "
		    "targets must not be aliases (RFC 2181 10.3)", h->pref,
		    h->text, dname_to_text(&a->cname[a->ncname - 1], to, sizeof to));
		for (size_t k = 0; k < a->ncname; k++)
			check_verbose(c, 1, "%s CNAME hop %zu: %s", h->text, k + 1,
			    dname_to_text(&a->cname[k], to, sizeof to));
		return;
	}
}

/* One line per host with its addresses; internal ranges flagged. */
static void
report_host(struct check *c, const struct host *h, size_t *naddr)
{
	char list[LIMIT_LINE_TEXT / 2], a[ADDR_TEXT_MAX];

	for (size_t k = 0; k < h->naddr; k++) {
		const struct ipaddr *ad = &h->addr[k];
		enum addr_class cls = addr_classify(ad->b, ad->len);
		if (addr_class_is_internal(cls))
			check_add(c, STATE_WARNING, "MX %s has address %s (%s), "
			    "not reachable from the Internet", h->text,
			    addr_to_text(ad->b, ad->len, a, sizeof a),
			    addr_class_str(cls));
	}
	*naddr += h->naddr;
	check_add(c, STATE_OK, "MX %u %s: %s%s", h->pref, h->text,
	    ipaddr_list_text(h->addr, h->naddr, list, sizeof list),
	    h->more_addrs ? ", ... (more not checked)" : "");
	for (size_t t = 0; t < 2; t++)
		if (h->ans[t] && h->ans[t]->nrr > 0)
			check_verbose(c, 1, "%s %s TTL %u", h->text,
			    t ? "AAAA" : "A", (unsigned)h->ans[t]->rr[0].ttl);
}

/* The same address on two different hosts (one failure takes out both). */
static void
report_shared_addrs(struct check *c)
{
	char a[ADDR_TEXT_MAX];

	for (size_t i = 0; i < nhosts; i++)
		for (size_t k = 0; k < hosts[i].naddr; k++) {
			const struct ipaddr *ad = &hosts[i].addr[k];
			size_t j = 0;
			while (j < i && ipaddr_find(hosts[j].addr, hosts[j].naddr,
			    ad) == hosts[j].naddr)
				j++;
			if (j < i)
				check_add(c, STATE_WARNING, "MX %s and %s share the "
				    "address %s", hosts[j].text, hosts[i].text,
				    addr_to_text(ad->b, ad->len, a, sizeof a));
		}
}

/* Findings of every host; returns the number of usable hosts. */
static size_t
report_hosts(struct check *c, size_t *naddr)
{
	size_t usable = 0, broken = 0, failed = 0, distinct = 0;
	bool v6 = false, v6_failed = false;

	for (size_t i = 0; i < nhosts; i++) {
		const struct host *h = &hosts[i];
		if (h->dup)
			continue;
		distinct++;
		usable += h->naddr > 0;
		broken += h->naddr == 0 && !h->failed;
		failed += h->naddr == 0 && h->failed;
		v6 |= h->has_v6;
		v6_failed |= h->v6_failed && !h->bad_name;
	}
	/* Some targets unusable: senders go on to the next (WARNING); none
	 * usable: no mail arrives (CRITICAL). A target whose lookup failed
	 * is neither: its DNS error was reported at --dns-error-state. */
	enum state lost = usable || failed ? STATE_WARNING : STATE_CRITICAL;
	for (size_t i = 0; i < nhosts; i++) {
		const struct host *h = &hosts[i];
		if (h->dup)
			check_add(c, STATE_WARNING, "MX %u %s: the same host is "
			    "listed more than once", h->pref, h->text);
		else if (h->bad_name)
			check_add(c, STATE_CRITICAL, "MX %u %s %s", h->pref,
			    h->text, h->bad_name);
		else if (h->naddr == 0 && !h->failed)
			check_add(c, lost, "MX %u %s %s", h->pref, h->text,
			    h->nxdomain ? "does not exist (NXDOMAIN)" :
			    "has no A or AAAA record");
		if (h->dup || h->bad_name)
			continue;
		report_cname(c, h);
		if (h->naddr > 0)
			report_host(c, h, naddr);
	}
	report_shared_addrs(c);
	/* With one host its own finding says it all. */
	if (distinct > 1 && usable == 0 && failed == 0)
		check_summary(c, STATE_CRITICAL, "no usable MX host (%zu of %zu "
		    "unusable)", broken, distinct);
	/* An AAAA lookup that failed is a DNS error (reported at
	 * --dns-error-state), never "no IPv6 address". */
	if (usable > 0 && !v6 && !v6_failed)
		check_add(c, mo.require_ipv6 ? STATE_WARNING : STATE_OK,
		    "no MX host has an IPv6 (AAAA) address");
	return usable;
}

/* --ptr: forward-confirmed reverse DNS of every distinct address. */
static void
check_ptr(struct check *c, struct resolver *res)
{
	static struct ipaddr addrs[LIMIT_MX_PTR_ADDRS];
	static struct fcrdns fc[LIMIT_MX_PTR_ADDRS];
	size_t n = 0, skipped = 0, good = 0;
	char a[ADDR_TEXT_MAX], name[DNAME_TEXT_MAX];

	for (size_t i = 0; i < nhosts; i++)
		for (size_t k = 0; k < hosts[i].naddr; k++) {
			const struct ipaddr *ad = &hosts[i].addr[k];
			if (ipaddr_find(addrs, n, ad) < n)
				continue;
			if (n == LIMIT_MX_PTR_ADDRS)
				skipped++;
			else
				addrs[n++] = *ad;
		}
	plugin_stage("PTR lookup");
	if (n == 0 || !fcrdns_check(res, addrs, n, fc))
		return;
	for (size_t i = 0; i < n; i++) {
		addr_to_text(addrs[i].b, addrs[i].len, a, sizeof a);
		dname_to_text(&fc[i].name, name, sizeof name);
		switch (fc[i].status) {
		case FCRDNS_CONFIRMED:
			good++;
			check_verbose(c, 1, "%s PTR %s (forward-confirmed)", a, name);
			break;
		case FCRDNS_NO_PTR:
			check_add(c, STATE_WARNING, "MX address %s has no PTR "
			    "record (receivers distrust such senders)", a);
			break;
		case FCRDNS_UNCONFIRMED:
			check_add(c, STATE_WARNING, "MX address %s has PTR %s, "
			    "which does not resolve back to it", a, name);
			break;
		case FCRDNS_DNS_ERROR:
			plugin_dns_error(c, &co, fc[i].failed, "reverse DNS");
			break;
		}
	}
	if (good == n && n > 0)
		check_add(c, STATE_OK, "reverse DNS of %zu %s forward-confirmed",
		    n, plural(n, "address", "addresses"));
	if (skipped)
		check_add(c, STATE_WARNING, "--ptr checked only the first %d "
		    "addresses; %zu more not checked", LIMIT_MX_PTR_ADDRS, skipped);
}

/*
 * May the SMTP probe connect to this address? Not to an internal one
 * (loopback, private, ...) unless --allow-internal: a hostile zone
 * could point its MX at the monitoring host's own services and have
 * their banners printed. Such an address is named as not contacted
 * (the first LIMIT_SMTP_CONNS of them; *more counts the rest).
 */
static bool smtp_allowed(struct check *c, const struct host *h, const struct ipaddr *ad,
			 size_t *said, size_t *more)
{
	enum addr_class cls = addr_classify(ad->b, ad->len);
	char a[ADDR_TEXT_MAX];

	if (co.allow_internal || !addr_class_is_internal(cls))
		return true;
	/* -4/-6 leave it out anyway: nothing to say. */
	if ((co.rcfg.family == 4 && ad->len != 4) || (co.rcfg.family == 6 && ad->len != 16))
		return false;
	if (*said == LIMIT_SMTP_CONNS) {
		(*more)++;
		return false;
	}
	(*said)++;
	check_add(c, STATE_WARNING,
		  "SMTP: MX %s address %s (%s) not contacted: internal addresses are probed "
		  "only with --allow-internal",
		  h->text, addr_to_text(ad->b, ad->len, a, sizeof a), addr_class_str(cls));
	return false;
}

/* --smtp/--starttls/--dane (plugins/smtp_check.c): the usable hosts,
 * best preference first, with the addresses they may be contacted at;
 * a host left with none is not handed on (the next one takes its
 * place among the LIMIT_SMTP_HOSTS probed). */
static void
probe_smtp(struct check *c, struct resolver *res)
{
	static struct smtp_addr addrs[LIMIT_MX_HOSTS][LIMIT_MX_HOST_ADDRS];
	static struct smtp_host sh[LIMIT_MX_HOSTS];
	static struct smtp_work work;
	size_t n = 0, said = 0, more = 0;

	if (!mo.smtp)
		return;
	for (size_t i = 0; i < nhosts; i++) {
		const struct host *h = &hosts[i];
		size_t na = 0;
		if (h->dup || h->bad_name || h->naddr == 0)
			continue;
		for (size_t k = 0; k < h->naddr; k++) {
			if (!smtp_allowed(c, h, &h->addr[k], &said, &more))
				continue;
			memcpy(addrs[n][na].b, h->addr[k].b, sizeof addrs[n][na].b);
			addrs[n][na++].len = h->addr[k].len;
		}
		if (na == 0)
			continue;
		sh[n] = (struct smtp_host){&h->name, h->text, addrs[n], na};
		n++;
	}
	if (more)
		check_add(c, STATE_WARNING,
			  "SMTP: %zu more internal MX addresses not contacted (--allow-internal)",
			  more);
	smtp_probe_all(c, res, &co, &mo.so, sh, n, &work);
}

/* --exact: every MX RR (also those past the LIMIT_MX_HOSTS checked)
 * names one of the -e hosts; the null MX is not a host. */
static void
check_exact(struct check *c, const struct dns_answer *mx)
{
	size_t extra = 0;

	for (size_t i = 0; i < mx->nrr; i++) {
		const struct dname *h = &mx->rr[i].u.mx.host;
		char t[DNAME_TEXT_MAX];
		bool known = h->len <= 1;

		for (size_t e = 0; e < mo.nexpect && !known; e++)
			known = dname_equal(&mo.expect[e], h);
		if (known)
			continue;
		if (++extra <= LIMIT_MX_EXPECT)
			check_add(c, STATE_CRITICAL, "MX host %s is not one of "
			    "the expected hosts (--exact)",
			    dname_to_text(h, t, sizeof t));
	}
	if (extra > LIMIT_MX_EXPECT)
		check_add(c, STATE_CRITICAL, "%zu more MX hosts not expected "
		    "(--exact)", extra - LIMIT_MX_EXPECT);
	if (extra == 0)
		check_verbose(c, 1, "the MX hosts are exactly the expected ones");
}

int
main(int argc, char **argv)
{
	char dom[DNAME_TEXT_MAX];

	plugin_start(argc, argv, &info, &co);
	if (mo.exact && mo.nexpect == 0)
		plugin_die(&info, "--exact needs the expected hosts (-e HOST)");
	struct check *c = check_new(info.service);
	check_set_verbosity(c, co.verbose);
	dname_to_text(&co.domain, dom, sizeof dom);
	check_subject(c, "%s", co.domain_shown);
	struct resolver *res = plugin_resolver(&co);

	plugin_stage("MX lookup");
	const struct dns_answer *mx = resolver_query(res, &co.domain, DNS_T_MX);
	if (!res_status_is_answer(mx->status)) {
		plugin_dns_error(c, &co, mx, NULL);
		plugin_exit(c, res);
	}
	if (mx->status != RES_OK)
		no_mx(c, res, mx, dom);
	if (mx->nrr > 0)
		check_verbose(c, 1, "MX TTL %u", (unsigned)mx->rr[0].ttl);

	bool null_mx = collect_hosts(c, mx);
	if (null_mx && nhosts == 0)
		check_add(c, mo.null_mx_ok || co.parked ? STATE_OK :
		    STATE_CRITICAL, "domain accepts no mail (null MX, RFC 7505)");
	else if (null_mx)
		check_add(c, STATE_CRITICAL, "null MX mixed with other MX "
		    "records (RFC 7505 3: a null MX must be the only one)");
	if (co.parked && nhosts > 0) {
		check_add(c, STATE_CRITICAL, "parked domain receives mail: %zu MX "
		    "%s (%s); a null MX says it takes none", nhosts,
		    plural(nhosts, "host", "hosts"), hosts[0].text);
		check_fix(c, "%s. IN MX 0 .", dom);
	}
	resolve_hosts(c, res);
	size_t naddr = 0;

	size_t usable = report_hosts(c, &naddr);
	for (size_t e = 0; e < mo.nexpect; e++) {
		char t[DNAME_TEXT_MAX];
		bool found = false;
		/* Every RR, also those past the LIMIT_MX_HOSTS checked. */
		for (size_t i = 0; i < mx->nrr && !found; i++)
			found = dname_equal(&mo.expect[e], &mx->rr[i].u.mx.host);
		dname_to_text(&mo.expect[e], t, sizeof t);
		if (found)
			check_verbose(c, 1, "expected MX host %s is present", t);
		else
			check_add(c, STATE_CRITICAL, "expected MX host %s is "
			    "missing", t);
	}
	if (mo.exact)
		check_exact(c, mx);
	if (mo.ptr)
		check_ptr(c, res);
	probe_smtp(c, res);

	/* An accepted null MX alone: the domain takes no mail by design, so
	 * -w/-c on the usable hosts (e.g. a default -c 1:) do not apply. */
	bool null_ok = (null_mx && nhosts == 0 && mo.null_mx_ok) || co.parked;
	enum state st = null_ok ? STATE_OK :
	    range_state((double)usable, &co.warn, &co.crit);
	if (st != STATE_OK)
		check_add(c, st, "%zu usable MX %s (%s range %s)", usable,
		    plural(usable, "host", "hosts"), st == STATE_CRITICAL ?
		    "critical" : "warning", st == STATE_CRITICAL ?
		    co.crit.text : co.warn.text);
	check_perf_ranges(c, "mx", (double)usable, "", null_ok ? NULL : &co.warn,
	    null_ok ? NULL : &co.crit, 0, NAN);
	if (null_mx && nhosts == 0)
		check_summary(c, STATE_OK, "domain accepts no mail (null MX)");
	for (size_t i = 0; i < nhosts && usable > 0; i++)
		if (hosts[i].naddr > 0) {
			check_summary(c, STATE_OK, "%zu MX %s, %zu %s (%s)", usable,
			    plural(usable, "host", "hosts"), naddr,
			    plural(naddr, "address", "addresses"), hosts[i].text);
			break;
		}
	finish(c, res);
}
