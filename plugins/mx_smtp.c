/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_mx --smtp/--starttls/--dane: which MX hosts and addresses the
 * SMTP part (plugins/smtp_check.c) probes.
 */
#include "mx_smtp.h"

#include <string.h>

/*
 * May the SMTP probe connect to this address? Not to an internal one
 * (loopback, private, ...) unless --allow-internal: a hostile zone
 * could point its MX at the monitoring host's own services and have
 * their banners printed. Such an address is named as not contacted
 * (the first LIMIT_SMTP_CONNS of them; *more counts the rest).
 */
static bool smtp_allowed(struct mx_run *r, const struct mx_host *h, const struct ipaddr *ad,
			 size_t *said, size_t *more)
{
	const struct common_opts *co = r->co;
	enum addr_class cls = addr_classify(ad->b, ad->len);

	if (co->allow_internal || !addr_class_is_internal(cls))
		return true;
	/* -4/-6 leave it out anyway: nothing to say. */
	if ((co->rcfg.family == 4 && ad->len != 4) || (co->rcfg.family == 6 && ad->len != 16))
		return false;
	if (*said == LIMIT_SMTP_CONNS) {
		(*more)++;
		return false;
	}
	(*said)++;
	plugin_not_contacted(r->c, ad, "probed", "SMTP: MX %s", h->text);
	return false;
}

/* The usable hosts, best preference first, with the addresses they may
 * be contacted at; a host left with none is not handed on (the next one
 * takes its place among the LIMIT_SMTP_HOSTS probed). */
void mx_probe_smtp(struct mx_run *r)
{
	struct smtp_addr(*addrs)[LIMIT_MX_HOST_ADDRS] = r->st->step.smtp.addrs;
	struct smtp_host *sh = r->st->step.smtp.sh;
	size_t n = 0, said = 0, more = 0;

	if (!r->o->smtp.smtp)
		return;
	for (size_t i = 0; i < r->nhosts; i++) {
		const struct mx_host *h = &r->hosts[i];
		size_t na = 0;
		if (h->dup || h->bad_name || h->naddr == 0)
			continue;
		for (size_t k = 0; k < h->naddr; k++) {
			if (!smtp_allowed(r, h, &h->addr[k], &said, &more))
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
		check_add(r->c, STATE_WARNING,
			  "SMTP: %zu more internal MX addresses not contacted (--allow-internal)",
			  more);
	smtp_probe_all(r->c, r->res, r->co, &r->o->smtp, sh, n, &r->st->step.smtp.work);
}
