/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_tlsrpt's report destinations (plugins/tlsrpt_dest.h). */
#include "tlsrpt_dest.h"

#include <stdint.h>
#include <stdlib.h>

#include "plugin.h"
#include "tlsrpt_run.h"

void tlsrpt_mail_domains(struct resolver *res, struct tlsrpt_mail_dest *d, size_t n,
			 const struct dns_question *xq, size_t nx, const struct dns_answer **xa)
{
	size_t nq = n + nx, k = 0;
	/* room for the first batch and for the second's A and AAAA of each */
	size_t room = (nq > 2 * n ? nq : 2 * n) + 1;
	struct dns_question *q = calloc(room, sizeof(*q));
	const struct dns_answer **a = calloc(room, sizeof(*a));
	size_t *pending = calloc(n > 0 ? n : 1, sizeof(*pending));

	if (q == NULL || a == NULL || pending == NULL) {
		plugin_die(NULL, "out of memory");
	}
	for (size_t i = 0; i < n; i++) {
		q[i] = (struct dns_question){d[i].name, DNS_T_MX};
	}
	for (size_t i = 0; i < nx; i++) {
		q[n + i] = xq[i];
	}
	if (nq > 0) {
		resolver_query_batch(res, q, nq, a);
	}
	for (size_t i = 0; i < nx; i++) {
		xa[i] = a[n + i];
	}
	for (size_t i = 0; i < n; i++) {
		d[i].acc = mailaccept_from_mx(a[i]);
		if (mailaccept_questions(&d[i].acc, &d[i].name,
					 &q[MAILACCEPT_ADDRESS_QUESTIONS * k]) > 0) {
			pending[k++] = i;
		}
	}
	if (k > 0) {
		resolver_query_batch(res, q, MAILACCEPT_ADDRESS_QUESTIONS * k, a);
	}
	for (size_t j = 0; j < k; j++) {
		mailaccept_from_addresses(&d[pending[j]].acc, a[2 * j], a[2 * j + 1]);
	}
	free(pending);
	free(a);
	free(q);
}

/* The first URI of r->rec whose domain is d, for naming it. */
static const char *uri_of(const struct tlsrpt_record *rec, const struct dname *d,
			  enum tlsrpt_scheme scheme)
{
	for (size_t i = 0; i < rec->n; i++) {
		if (rec->uri[i].scheme == scheme && dname_equal(&rec->uri[i].domain, d)) {
			return rec->uri[i].text;
		}
	}
	return "";
}

/* A report domain's verdict as output; true when reports can go there
 * (a DNS failure is reported as such and not held against the URI). */
static bool mail_result(struct tlsrpt_run *r, const struct tlsrpt_mail_dest *d)
{
	char dt[DNAME_TEXT_MAX];
	const char *uri = uri_of(r->rec, &d->name, TLSRPT_URI_MAILTO);

	tlsrpt_name_text(&d->name, dt);
	switch (d->acc.verdict) {
	case MAILACCEPT_MX:
		check_verbose(r->c, 1, "report domain %s has MX", dt);
		return true;
	case MAILACCEPT_IMPLICIT_MX:
		check_verbose(r->c, 1,
			      "report domain %s has no MX but an address: mail goes there "
			      "(implicit MX, RFC 5321 5.1)",
			      dt);
		return true;
	case MAILACCEPT_NULL_MX:
		check_add(r->c, STATE_CRITICAL,
			  "rua=%s: report domain %s has a null MX: it accepts no mail (RFC "
			  "7505), reports to it would bounce",
			  uri, dt);
		return false;
	case MAILACCEPT_NO_MX_NO_ADDRESS:
		check_add(r->c, STATE_CRITICAL,
			  "rua=%s: report domain %s has no MX and no address: reports to it "
			  "would bounce",
			  uri, dt);
		return false;
	case MAILACCEPT_NXDOMAIN:
		check_add(r->c, STATE_CRITICAL,
			  "rua=%s: report domain %s does not exist: reports to it would bounce",
			  uri, dt);
		return false;
	case MAILACCEPT_DNS_ERROR:
	case MAILACCEPT_NEEDS_ADDRESS: /* not left so by tlsrpt_mail_domains() */
	default:
		plugin_dns_error(r->c, r->co, d->acc.failed, "TLS-RPT report domain");
		return true;
	}
}

/* An https: host's addresses; true when it resolves (or could not be
 * asked: a DNS failure is reported as such). */
static bool host_result(struct tlsrpt_run *r, const struct dname *host, const struct dns_answer *a,
			const struct dns_answer *aaaa)
{
	/* the same rule as a mail domain's without MX: an address either way */
	struct mailaccept d = {MAILACCEPT_NEEDS_ADDRESS, NULL};
	char ht[DNAME_TEXT_MAX];

	tlsrpt_name_text(host, ht);
	mailaccept_from_addresses(&d, a, aaaa);
	if (d.verdict == MAILACCEPT_IMPLICIT_MX) {
		check_verbose(r->c, 1, "report host %s has an address", ht);
		return true;
	}
	if (d.verdict == MAILACCEPT_DNS_ERROR) {
		plugin_dns_error(r->c, r->co, d.failed, "TLS-RPT report host");
		return true;
	}
	check_add(r->c, STATE_CRITICAL, "rua=%s: host %s %s: reports cannot be posted there",
		  uri_of(r->rec, host, TLSRPT_URI_HTTPS), ht,
		  a->status == RES_NXDOMAIN ? "does not exist" : "has no address (A or AAAA)");
	return false;
}

/* The index of name in v[0..n-1], or n. */
static size_t find_name(const struct tlsrpt_mail_dest *v, size_t n, const struct dname *name)
{
	size_t i;

	for (i = 0; i < n && !dname_equal(&v[i].name, name); i++) {
	}
	return i;
}

/* The verdicts as output, and what each URI of r->rec is worth. */
static void report(struct tlsrpt_run *r, const struct tlsrpt_mail_dest *mail, size_t nmail,
		   const struct tlsrpt_mail_dest *host, size_t nhost, const struct dns_answer **ha)
{
	const struct tlsrpt_record *rec = r->rec;
	bool mail_ok[LIMIT_TLSRPT_URIS + 1] = {false}, host_ok[LIMIT_TLSRPT_URIS] = {false};

	for (size_t i = 0; i < nmail; i++) {
		/* the domain's own verdict is a URI's only when a URI names it */
		mail_ok[i] = *uri_of(rec, &mail[i].name, TLSRPT_URI_MAILTO) == '\0' ||
			     mail_result(r, &mail[i]);
	}
	for (size_t i = 0; i < nhost; i++) {
		host_ok[i] = host_result(r, &host[i].name, ha[2 * i], ha[2 * i + 1]);
	}
	r->ndeliverable = 0;
	for (size_t i = 0; i < rec->n; i++) {
		const struct tlsrpt_uri *u = &rec->uri[i];
		bool ok = false;

		/* every URI's domain is in mail[] or host[]; one that is not
		 * (find_name() gives n) is not deliverable */
		if (u->scheme == TLSRPT_URI_MAILTO) {
			size_t k = find_name(mail, nmail, &u->domain);

			ok = k < nmail && mail_ok[k];
		} else if (u->scheme == TLSRPT_URI_HTTPS) {
			size_t k = find_name(host, nhost, &u->domain);

			ok = u->ip_literal || (k < nhost && host_ok[k]);
			if (u->ip_literal) {
				check_verbose(r->c, 1, "rua=%s: an IP address, not looked up",
					      u->text);
			}
		}
		r->deliverable[i] = ok;
		if (ok) {
			r->ndeliverable++;
		} else {
			r->fix_needed = true;
		}
	}
}

void tlsrpt_check_destinations(struct tlsrpt_run *r, const struct dns_question *xq, size_t nx,
			       const struct dns_answer **xa)
{
	enum {
		NMAIL = LIMIT_TLSRPT_URIS + 1, /* the URIs' domains, the domain's own */
		NHOST = LIMIT_TLSRPT_URIS
	};
	struct tlsrpt_mail_dest mail[NMAIL] = {0}, host[NHOST] = {0};
	struct dname doms[LIMIT_TLSRPT_URIS];
	struct dns_question *hq = calloc(2 * NHOST + nx + 1, sizeof(*hq));
	const struct dns_answer **ha = calloc(2 * NHOST + nx + 1, sizeof(*ha));
	const struct tlsrpt_record *rec = r->rec;
	size_t nmail = 0, nhost = 0, more = 0, own;

	if (hq == NULL || ha == NULL) {
		plugin_die(NULL, "out of memory");
	}
	if (rec != NULL) {
		nmail = tlsrpt_mailto_domains(rec, doms, LIMIT_TLSRPT_URIS, &more);
		for (size_t i = 0; i < nmail; i++) {
			mail[i].name = doms[i];
		}
		for (size_t i = 0; i < rec->n; i++) {
			const struct tlsrpt_uri *u = &rec->uri[i];

			if (u->scheme != TLSRPT_URI_HTTPS || u->ip_literal ||
			    find_name(host, nhost, &u->domain) < nhost) {
				continue;
			}
			host[nhost].name = u->domain;
			hq[2 * nhost] = (struct dns_question){u->domain, DNS_T_A};
			hq[2 * nhost + 1] = (struct dns_question){u->domain, DNS_T_AAAA};
			nhost++;
		}
	}
	/* the domain's own mail, for the mailbox a fix: line proposes; its
	 * MX is cached from the first batch */
	own = find_name(mail, nmail, &r->co->domain);
	if (own == nmail) {
		mail[nmail++].name = r->co->domain;
	}
	for (size_t i = 0; i < nx; i++) {
		hq[2 * nhost + i] = xq[i];
	}
	plugin_stage("report destinations");
	tlsrpt_mail_domains(r->res, mail, nmail, hq, 2 * nhost + nx, ha);
	for (size_t i = 0; i < nx; i++) {
		xa[i] = ha[2 * nhost + i];
	}
	r->own_accepts_mail = mailaccept_accepts(&mail[own].acc);
	if (rec != NULL) {
		report(r, mail, nmail, host, nhost, ha);
	}
	free(ha);
	free(hq);
}
