/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_mx --ptr: every distinct MX address must have a PTR whose name
 * resolves back to it (forward-confirmed reverse DNS, common/fcrdns.h).
 */
#include "mx_ptr.h"

void mx_check_ptr(struct mx_run *r)
{
	struct ipaddr *addrs = r->st->step.ptr.addrs;
	struct fcrdns *fc = r->st->step.ptr.fc;
	size_t n = 0, skipped = 0, good = 0;
	char a[ADDR_TEXT_MAX], name[DNAME_TEXT_MAX];

	for (size_t i = 0; i < r->nhosts; i++)
		for (size_t k = 0; k < r->hosts[i].naddr; k++) {
			const struct ipaddr *ad = &r->hosts[i].addr[k];
			if (ipaddr_find(addrs, n, ad) < n)
				continue;
			if (n == LIMIT_MX_PTR_ADDRS)
				skipped++;
			else
				addrs[n++] = *ad;
		}
	plugin_stage("PTR lookup");
	if (n == 0 || !fcrdns_check(r->res, addrs, n, fc))
		return;
	for (size_t i = 0; i < n; i++) {
		addr_to_text(addrs[i].b, addrs[i].len, a, sizeof a);
		dname_to_text(&fc[i].name, name, sizeof name);
		switch (fc[i].status) {
		case FCRDNS_CONFIRMED:
			good++;
			check_verbose(r->c, 1, "%s PTR %s (forward-confirmed)", a, name);
			break;
		case FCRDNS_NO_PTR:
			check_add(
				r->c, STATE_WARNING,
				"MX address %s has no PTR record (receivers distrust such senders)",
				a);
			break;
		case FCRDNS_UNCONFIRMED:
			check_add(r->c, STATE_WARNING,
				  "MX address %s has PTR %s, which does not resolve back to it", a,
				  name);
			break;
		case FCRDNS_DNS_ERROR:
			plugin_dns_error(r->c, r->co, fc[i].failed, "reverse DNS");
			break;
		}
	}
	if (good == n && n > 0)
		check_add(r->c, STATE_OK, "reverse DNS of %zu %s forward-confirmed", n,
			  mx_plural(n, "address", "addresses"));
	if (skipped)
		check_add(r->c, STATE_WARNING,
			  "--ptr checked only the first %d addresses; %zu more not checked",
			  LIMIT_MX_PTR_ADDRS, skipped);
}
