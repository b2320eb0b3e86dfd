/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_tlsrpt's fix: line (plugins/tlsrpt_fix.h). */
#include "tlsrpt_fix.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plugin.h"
#include "tlsrpt_run.h"

/* The record a fix: line proposes stays well under the 1024 bytes a
 * line may have (doc/output-contract.md 5), quotes and escapes added:
 * further working URIs are left out. */
#define FIX_RECORD_MAX 768

/* A URI's text is the record's bytes only when out_bytes() did not cut
 * it (it cuts with "..." at TLSRPT_URI_TEXT); a usable URI has no byte
 * that escaping would change (RFC 3986 characters only). */
static bool text_whole(const struct tlsrpt_uri *u)
{
	return strlen(u->text) + 4 < TLSRPT_URI_TEXT;
}

/* Whether u's text is among the kept URIs before index i. */
static bool kept_before(const struct tlsrpt_run *r, size_t i)
{
	for (size_t k = 0; k < i; k++) {
		if (r->deliverable[k] && text_whole(&r->rec->uri[k]) &&
		    strcmp(r->rec->uri[k].text, r->rec->uri[i].text) == 0) {
			return true;
		}
	}
	return false;
}

void tlsrpt_fix(struct tlsrpt_run *r)
{
	/* "v=TLSRPTv1; rua=", at most LIMIT_TLSRPT_URIS URIs and commas */
	char rec[32 + LIMIT_TLSRPT_URIS * TLSRPT_URI_TEXT + DNAME_TEXT_MAX];
	size_t used, kept = 0;
	char *z;

	if (!r->fix_needed) {
		return;
	}
	used = (size_t)snprintf(rec, sizeof(rec), "v=TLSRPTv1; rua=");
	for (size_t i = 0; r->rec != NULL && i < r->rec->n; i++) {
		const struct tlsrpt_uri *u = &r->rec->uri[i];

		if (!r->deliverable[i] || !text_whole(u) || kept_before(r, i)) {
			continue;
		}
		if (used + 1 + strlen(u->text) > FIX_RECORD_MAX) {
			break;
		}
		used += (size_t)snprintf(rec + used, sizeof(rec) - used, "%s%s",
					 kept > 0 ? "," : "", u->text);
		kept++;
	}
	if (kept == 0) {
		if (!r->own_accepts_mail) {
			check_add(r->c, STATE_OK,
				  "to fix: publish _smtp._tls.%s. IN TXT \"v=TLSRPTv1; "
				  "rua=mailto:MAILBOX\" with a mailbox at a domain that accepts "
				  "mail (%s itself has no MX and no address, or its lookup "
				  "failed)",
				  r->dom, r->dom);
			return;
		}
		snprintf(rec + used, sizeof(rec) - used, "mailto:tlsrpt@%s", r->dom);
	}
	z = zone_txt_strings(rec, strlen(rec));
	if (z == NULL) {
		plugin_die(NULL, "out of memory");
	}
	check_fix(r->c, "%s. IN TXT %s", r->owner_text, z);
	free(z);
}
