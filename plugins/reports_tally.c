/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_dmarc_reports: counting aggregate reports (plugins/reports_tally.h).
 * A message failed DMARC when neither aligned DKIM nor aligned SPF
 * passed (RFC 7489 4.2: policy_evaluated dkim != pass and spf != pass).
 * Own sources are --ip and --mail-host's addresses, or, without them,
 * the addresses the domain's SPF record authorises: check_host(source,
 * DOMAIN) passes (RFC 7208), asked once per address.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "plugin.h"
#include "report_agg.h"
#include "report_unwrap.h"
#include "reports_files.h"
#include "reports_tally.h"
#include "reports_tls.h"

static uint64_t fnv(uint64_t h, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

bool reports_seen(struct reports_run *r, const char *org, const char *id)
{
	uint64_t h = fnv(fnv(14695981039346656037ULL, org, strlen(org) + 1), id, strlen(id));

	for (size_t i = 0; i < r->nseen; i++) {
		if (r->seen[i] == h) {
			return true;
		}
	}
	if (r->nseen % 256 == 0) {
		uint64_t *v = realloc(r->seen, (r->nseen + 256) * sizeof(*v));

		if (v == NULL) {
			return false;
		}
		r->seen = v;
	}
	r->seen[r->nseen++] = h;
	return false;
}

bool reports_about(const struct reports_run *r, const char *domain)
{
	size_t n = strlen(domain), m = strlen(r->dom);

	if (n > 0 && domain[n - 1] == '.') {
		n--;
	}
	if (n == m) {
		return strncasecmp(domain, r->dom, n) == 0;
	}
	return n > m && domain[n - m - 1] == '.' && strncasecmp(domain + n - m, r->dom, m) == 0;
}

static bool in_net(const struct reports_net *net, const struct spf_ip *ip)
{
	unsigned bits = net->prefix, i;

	if (net->ip.family != ip->family) {
		return false;
	}
	for (i = 0; bits >= 8; i++, bits -= 8) {
		if (net->ip.addr[i] != ip->addr[i]) {
			return false;
		}
	}
	return bits == 0 || ((net->ip.addr[i] ^ ip->addr[i]) & (0xff00 >> bits) & 0xff) == 0;
}

/* check_host(ip, DOMAIN) passes: the SPF record authorises ip. */
static bool spf_own(struct reports_run *r, const struct spf_ip *ip, uint64_t count)
{
	struct spf_request req = {.ip = *ip, .helo = r->dom, .now = r->now};
	struct spf_outcome out;
	char sender[DNAME_TEXT_MAX + 16];
	bool own;

	for (size_t i = 0; i < r->nspf; i++) {
		if (memcmp(&r->spf[i].ip, ip, sizeof(*ip)) == 0) {
			return r->spf[i].own;
		}
	}
	if (r->nspf >= LIMIT_REPORT_SPF_IPS) {
		r->spf_unevaluated += count;
		return false;
	}
	if (r->nspf % 64 == 0) {
		struct spf_seen *v = realloc(r->spf, (r->nspf + 64) * sizeof(*v));

		if (v == NULL) {
			return false;
		}
		r->spf = v;
	}
	out_setf(sender, sizeof(sender), "postmaster@%s", r->dom);
	req.sender = sender;
	memset(&out, 0, sizeof(out));
	spf_check_host(r->res, &req, &out);
	own = out.result == SPF_PASS;
	if ((out.result == SPF_TEMPERROR || out.result == SPF_PERMERROR) && !r->spf_error_shown) {
		r->spf_error_shown = true;
		check_add(r->c, STATE_WARNING,
			  "own sources cannot be told from the SPF record of %s: %s (%s)", r->dom,
			  spf_result_str(out.result), out.why);
	}
	spf_outcome_clear(&out);
	r->spf[r->nspf].ip = *ip;
	r->spf[r->nspf].own = own;
	r->nspf++;
	return own;
}

static bool is_own(struct reports_run *r, const char *text, uint64_t count)
{
	struct spf_ip ip;

	if (!spf_ip_parse(text, &ip)) {
		return false;
	}
	for (size_t i = 0; i < r->nown; i++) {
		if (in_net(&r->own[i], &ip)) {
			return true;
		}
	}
	return r->by_spf && spf_own(r, &ip, count);
}

/* Why the row failed, in the words of the report: each mechanism's
 * result, and "not aligned" where it passed for another domain. */
static void why_failed(const struct agg_row *w, char *out, size_t len)
{
	char spf[128], dkim[160];

	if (w->spf == AGG_PASS) {
		out_setf(spf, sizeof(spf), "SPF pass for %s but not aligned", w->spf_domain);
	} else if (w->spf == AGG_ABSENT) {
		out_setf(spf, sizeof(spf), "SPF %s", agg_result_str(w->pe_spf));
	} else {
		out_setf(spf, sizeof(spf), "SPF %s%s%s", w->spf == AGG_FAIL ? "fail" : "not pass",
			 w->spf_domain[0] ? " for " : "", w->spf_domain);
	}
	if (w->dkim == AGG_ABSENT) {
		out_setf(dkim, sizeof(dkim), "no DKIM signature");
	} else if (w->dkim == AGG_PASS) {
		out_setf(dkim, sizeof(dkim), "DKIM pass for d=%s s=%s but not aligned",
			 w->dkim_domain, w->selector[0] ? w->selector : "?");
	} else {
		out_setf(dkim, sizeof(dkim), "DKIM %s (d=%s s=%s)",
			 w->dkim == AGG_FAIL ? "fail" : "not pass", w->dkim_domain,
			 w->selector[0] ? w->selector : "?");
	}
	out_setf(out, len, "%s, %s", spf, dkim);
}

static void own_failed(struct reports_run *r, const char *org, const struct agg_row *w)
{
	char why[240];
	struct own_fail *f;

	why_failed(w, why, sizeof(why));
	for (size_t i = 0; i < r->nfails; i++) {
		f = &r->fails[i];
		if (strcmp(f->org, org) == 0 && strcmp(f->ip, w->ip) == 0 &&
		    strcmp(f->why, why) == 0) {
			f->count += w->count;
			return;
		}
	}
	if (r->nfails >= LIMIT_REPORT_OWN_FAILS) {
		r->fails_dropped += w->count;
		return;
	}
	if (r->nfails % 16 == 0) {
		struct own_fail *v = realloc(r->fails, (r->nfails + 16) * sizeof(*v));

		if (v == NULL) {
			r->fails_dropped += w->count;
			return;
		}
		r->fails = v;
	}
	f = &r->fails[r->nfails++];
	out_setf(f->org, sizeof(f->org), "%s", org);
	out_setf(f->ip, sizeof(f->ip), "%s", w->ip);
	memcpy(f->why, why, sizeof(f->why));
	f->count = w->count;
}

static void other_failed(struct reports_run *r, const struct agg_row *w)
{
	for (size_t i = 0; i < r->nothers; i++) {
		if (strcmp(r->others[i].ip, w->ip) == 0) {
			r->others[i].count += w->count;
			return;
		}
	}
	if (r->nothers >= LIMIT_REPORT_OTHER_IPS) {
		r->others_dropped += w->count;
		return;
	}
	if (r->nothers % 64 == 0) {
		struct other_src *v = realloc(r->others, (r->nothers + 64) * sizeof(*v));

		if (v == NULL) {
			r->others_dropped += w->count;
			return;
		}
		r->others = v;
	}
	out_setf(r->others[r->nothers].ip, sizeof(r->others[0].ip), "%s", w->ip);
	r->others[r->nothers++].count = w->count;
}

static void count_report(struct reports_run *r, const struct agg_report *a)
{
	r->reports++;
	r->messages += a->messages;
	for (size_t i = 0; i < a->nrows; i++) {
		const struct agg_row *w = &a->rows[i];
		bool pass = w->pe_dkim == AGG_PASS || w->pe_spf == AGG_PASS;
		bool own = is_own(r, w->ip, w->count);

		r->passed += pass ? w->count : 0;
		if (own) {
			r->own_msgs += w->count;
		}
		if (pass) {
			continue;
		}
		if (own) {
			r->own_failed += w->count;
			own_failed(r, a->org, w);
		} else {
			r->other_failed += w->count;
			other_failed(r, w);
		}
	}
}

static void aggregate(struct reports_run *r, const char *name, const struct report_blob *b)
{
	struct agg_report *a = agg_report_parse(b->data, b->len);
	char why[240];

	if (a == NULL) {
		reports_bad(r, name, "out of memory");
		return;
	}
	if (a->error[0] != '\0') {
		out_setf(why, sizeof(why), "%s%s%s", b->how, b->how[0] ? ": " : "", a->error);
		reports_bad(r, name, why);
	} else if (!reports_about(r, a->domain)) {
		r->other_domain++;
	} else if (a->end > (uint64_t)r->now + 86400) {
		/* a date far ahead would count for ever */
		out_setf(why, sizeof(why), "date_range end %llu is in the future",
			 (unsigned long long)a->end);
		reports_bad(r, name, why);
	} else if (a->end + (uint64_t)r->o->since < (uint64_t)r->now) {
		r->too_old++;
	} else if (reports_seen(r, a->org, a->report_id)) {
		r->duplicates++; /* */
	} else {
		check_verbose(r->c, 2, "%s: report %s of %s, %zu records, %llu messages", name,
			      a->report_id, a->org, a->nrows, (unsigned long long)a->messages);
		count_report(r, a);
	}
	agg_report_free(a);
}

void reports_file(struct reports_run *r, const char *name, const unsigned char *data, size_t len)
{
	struct report_blob b;
	char why[240];

	if (!report_unwrap(data, len, &b, why, sizeof(why))) {
		reports_bad(r, name, why);
		return;
	}
	if (r->o->tls != (b.format == REPORT_JSON)) {
		reports_bad(r, name,
			    r->o->tls ? "an XML report, not an SMTP TLS report (JSON)"
				      : "a JSON report, not a DMARC aggregate report (XML; an SMTP "
					"TLS report is read with --tls)");
	} else if (r->o->tls) {
		reports_tls_file(r, name, &b);
	} else {
		aggregate(r, name, &b);
	}
	report_blob_free(&b);
}

static int by_fail_count(const void *a, const void *b)
{
	const struct own_fail *x = a, *y = b;

	return x->count < y->count ? 1 : x->count > y->count ? -1 : strcmp(x->ip, y->ip);
}

static int by_other_count(const void *a, const void *b)
{
	const struct other_src *x = a, *y = b;

	return x->count < y->count ? 1 : x->count > y->count ? -1 : strcmp(x->ip, y->ip);
}

double reports_pct(uint64_t part, uint64_t whole)
{
	return whole ? 100.0 * (double)part / (double)whole : 0.0;
}

/* -w/-c on failures: counts, or with '%' percentages of all (own
 * messages, TLS sessions); defaults: any failure WARNING, over 5 %
 * CRITICAL. */
enum state reports_fail_state(const struct reports_run *r, uint64_t failed, uint64_t all)
{
	const struct common_opts *co = r->co;
	double p = reports_pct(failed, all), n = (double)failed;
	enum state s = STATE_OK;

	if (co->warn.set ? range_alerts(&co->warn, co->warn_pct ? p : n) : failed > 0) {
		s = STATE_WARNING;
	}
	if (co->crit.set ? range_alerts(&co->crit, co->crit_pct ? p : n) : p > 5.0) {
		s = STATE_CRITICAL;
	}
	return s;
}

static void own_results(struct reports_run *r)
{
	enum state s = reports_fail_state(r, r->own_failed, r->own_msgs);
	size_t shown = r->nfails < LIMIT_REPORT_SHOWN ? r->nfails : LIMIT_REPORT_SHOWN;

	if (r->own_failed == 0) {
		check_add(r->c, STATE_OK, "all %llu messages from own sources passed DMARC",
			  (unsigned long long)r->own_msgs);
		return;
	}
	check_add(r->c, s, "%llu of %llu messages from own sources failed DMARC (%.1f%%)",
		  (unsigned long long)r->own_failed, (unsigned long long)r->own_msgs,
		  reports_pct(r->own_failed, r->own_msgs));
	qsort(r->fails, r->nfails, sizeof(*r->fails), by_fail_count);
	for (size_t i = 0; i < shown; i++) {
		const struct own_fail *f = &r->fails[i];

		check_verbose(r->c, 0, "own source %s, reported by %s: %llu failed: %s", f->ip,
			      f->org, (unsigned long long)f->count, f->why);
	}
	if (r->nfails > shown || r->fails_dropped > 0) {
		check_verbose(r->c, 0, "... and %zu more own sources that failed",
			      r->nfails - shown + (r->fails_dropped > 0));
	}
}

static void other_results(struct reports_run *r)
{
	size_t shown = r->nothers < 5 ? r->nothers : 5;

	if (r->other_failed == 0) {
		return;
	}
	check_add(r->c, STATE_OK,
		  "%llu messages from %zu%s other sources failed DMARC (spoofing, forwarding or a "
		  "sender to authorise)",
		  (unsigned long long)r->other_failed, r->nothers, r->others_dropped ? "+" : "");
	qsort(r->others, r->nothers, sizeof(*r->others), by_other_count);
	for (size_t i = 0; i < shown; i++) {
		check_verbose(r->c, 0, "other source %s: %llu failed", r->others[i].ip,
			      (unsigned long long)r->others[i].count);
	}
}

static void bad_results(struct reports_run *r)
{
	size_t shown = r->nbad < LIMIT_REPORT_SHOWN ? r->nbad : LIMIT_REPORT_SHOWN;
	enum state s = (long)r->nbad > r->o->max_bad ? STATE_WARNING : STATE_OK;

	if (r->nbad == 0) {
		return;
	}
	check_add(r->c, s, "%u file%s could not be read as a report (--max-bad %ld)", r->nbad,
		  r->nbad == 1 ? "" : "s", r->o->max_bad);
	for (size_t i = 0; i < shown; i++) {
		check_verbose(r->c, 0, "bad file %s: %s", r->bad[i].name, r->bad[i].why);
	}
	if (r->nbad > shown) {
		check_verbose(r->c, 0, "... and %u more bad files", r->nbad - (unsigned)shown);
	}
}

/* --parked: the domain sends no mail, so it has no own sources and no
 * message should pass DMARC in its name; one that did means SPF, a DKIM
 * key or the policy lets someone send as it. */
static void parked_results(struct reports_run *r)
{
	if (r->passed == 0) {
		check_add(r->c, STATE_OK,
			  "no message passed DMARC in the name of %s, as for a parked domain",
			  r->dom);
		return;
	}
	check_add(r->c, STATE_CRITICAL,
		  "%llu message%s passed DMARC in the name of %s, a parked domain: someone can "
		  "send as it (SPF should be v=spf1 -all, no DKIM key, DMARC p=reject)",
		  (unsigned long long)r->passed, r->passed == 1 ? "" : "s", r->dom);
}

void reports_results(struct reports_run *r)
{
	struct range w = r->co->warn, c = r->co->crit;
	struct range maxbad = {.set = true, .end = (double)r->o->max_bad};

	out_setf(maxbad.text, sizeof(maxbad.text), "%ld", r->o->max_bad);
	if (r->not_read > 0) {
		check_add(r->c, STATE_UNKNOWN,
			  "%u files not read (over %d files, or -t running out): the counts are "
			  "incomplete",
			  r->not_read, LIMIT_REPORT_FILES);
	}
	if (r->o->tls) {
		reports_tls_results(r);
	} else if (r->reports > 0 && r->co->parked) {
		parked_results(r);
		other_results(r);
	} else if (r->reports > 0) {
		own_results(r);
		other_results(r);
		if (r->spf_unevaluated > 0) {
			check_add(
				r->c, STATE_OK,
				"%llu messages from sources past the first %d not checked against "
				"SPF (counted as other sources)",
				(unsigned long long)r->spf_unevaluated, LIMIT_REPORT_SPF_IPS);
		}
		check_summary(r->c, STATE_OK,
			      "%u report%s, %llu messages, %.1f%% passed DMARC, own sources %llu "
			      "failed",
			      r->reports, r->reports == 1 ? "" : "s",
			      (unsigned long long)r->messages, reports_pct(r->passed, r->messages),
			      (unsigned long long)r->own_failed);
	}
	bad_results(r);
	check_verbose(r->c, 1,
		      "%u files: %u reports counted, %u duplicates, %u about other domains, %u "
		      "older than --since, %u not regular files",
		      r->files, r->reports, r->duplicates, r->other_domain, r->too_old, r->skipped);
	if (r->o->tls) {
		check_perf(r->c, "bad_files", r->nbad, "", &maxbad, NULL, 0, NAN);
		return;
	}
	if (w.set && r->co->warn_pct) {
		w.set = false;
	}
	if (c.set && r->co->crit_pct) {
		c.set = false;
	}
	check_perf(r->c, "reports", r->reports, "", NULL, NULL, 0, NAN);
	check_perf(r->c, "messages", (double)r->messages, "", NULL, NULL, 0, NAN);
	/* no message, no share: left out (a 0 % would plot as a collapse) */
	check_perf(r->c, "dmarc_pass_pct", r->messages ? reports_pct(r->passed, r->messages) : NAN,
		   "%", NULL, NULL, 0, 100);
	check_perf(r->c, "own_fail", (double)r->own_failed, "", w.set ? &w : NULL,
		   c.set ? &c : NULL, 0, NAN);
	check_perf(r->c, "other_fail", (double)r->other_failed, "", NULL, NULL, 0, NAN);
	check_perf(r->c, "bad_files", r->nbad, "", &maxbad, NULL, 0, NAN);
}

void reports_tally_free(struct reports_run *r)
{
	free(r->seen);
	free(r->spf);
	free(r->fails);
	free(r->others);
}
