/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_dmarc's fix: lines, gathered per owner (plugins/dmarc_fix.h). */
#include "dmarc_fix.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dmarc_run.h"
#include "text.h"

struct dmarc_owner_fix *dmarc_fix_owner(struct dmarc_fix *f, const char *d)
{
	char owner[DNAME_TEXT_MAX + 8];

	snprintf(owner, sizeof(owner), "_dmarc.%s", d);
	for (size_t i = 0; i < f->n; i++) {
		if (strcmp(f->v[i].owner, owner) == 0) {
			return &f->v[i];
		}
	}
	if (f->n == DMARC_FIX_OWNERS) {
		return NULL; /* cannot happen: the domain's and the record's */
	}
	if (f->v == NULL && (f->v = calloc(DMARC_FIX_OWNERS, sizeof(*f->v))) == NULL) {
		return NULL; /* out of memory: no fix: line, the check stands */
	}
	memcpy(f->v[f->n].owner, owner, sizeof(owner));
	return &f->v[f->n++];
}

void dmarc_fix_edit(struct dmarc_owner_fix *of, const char *tag, const char *value)
{
	size_t i;

	if (of == NULL) {
		return;
	}
	for (i = 0; i < of->n && strcmp(of->e[i].tag, tag) != 0; i++) {
	}
	if (i == DMARC_FIX_EDITS) {
		return;
	}
	if (i == of->n) {
		of->n++;
	}
	of->e[i].tag = tag;
	of->e[i].value = NULL;
	if (value != NULL) {
		snprintf(of->val[i], sizeof(of->val[i]), "%s", value);
		of->e[i].value = of->val[i];
	}
}

void dmarc_fix_edit_all(struct dmarc_fix *f, const char *tag, const char *value)
{
	for (size_t i = 0; i < f->n; i++) {
		dmarc_fix_edit(&f->v[i], tag, value);
	}
}

void dmarc_fix_emit(struct dmarc_fix *f, struct check *c, const char *base, size_t len)
{
	for (size_t i = 0; i < f->n; i++) {
		struct dmarc_owner_fix *of = &f->v[i];
		char *s, *z;

		if (of->fresh) {
			dmarc_fix_edit(of, "sp", NULL);
			dmarc_fix_edit(of, "np", NULL);
		}
		s = of->base != NULL ? dmarc_rebuild(of->base, of->base_len, of->e, of->n)
				     : dmarc_rebuild(base, len, of->e, of->n);
		if (s == NULL) {
			continue;
		}
		z = zone_txt_strings(s, strlen(s));
		if (z != NULL) {
			check_fix(c, "%s. IN TXT %s", of->owner, z);
		}
		free(z);
		free(s);
	}
}

const char *dmarc_fix_rua(const struct run *r, char *buf, size_t len)
{
	char orgt[DNAME_TEXT_MAX];

	snprintf(buf, len, "mailto:dmarc@%s", name_text(&r->org, orgt));
	return buf;
}

void dmarc_fix_publish(struct run *r, const struct dmarc_record *rec)
{
	char *s;

	if (rec->ndiscarded == 0) {
		dmarc_fix_emit(&r->fix, r->c, r->txt, r->len);
		return;
	}
	/* values receivers discard: the record corrected, with the edits */
	s = dmarc_repair(r->txt, r->len, rec->has_p ? rec->p : r->o->policy);
	(void)dmarc_fix_owner(&r->fix, r->at_text);
	if (s != NULL) {
		dmarc_fix_emit(&r->fix, r->c, s, strlen(s));
	}
	free(s);
}

void dmarc_fix_repair(struct run *r)
{
	char *s = dmarc_repair(r->txt, r->len, r->o->policy);
	struct dmarc_record *fixed;
	struct dmarc_owner_fix *of = dmarc_fix_owner(&r->fix, r->at_text);
	char rua[DNAME_TEXT_MAX + 16];

	if (s == NULL) {
		return;
	}
	fixed = dmarc_parse(s, strlen(s));
	if (fixed != NULL && !r->inherited && fixed->p < r->o->policy) {
		dmarc_fix_edit(of, "p", dmarc_policy_str(r->o->policy));
	}
	if (fixed != NULL && fixed->rua.n == 0 && !r->o->no_rua_ok) {
		dmarc_fix_edit(of, "rua", dmarc_fix_rua(r, rua, sizeof(rua)));
	}
	dmarc_record_free(fixed);
	dmarc_fix_emit(&r->fix, r->c, s, strlen(s));
	free(s);
}

void dmarc_fix_missing(struct run *r, const char *mis, size_t mislen)
{
	char ot[DNAME_TEXT_MAX], rua[DNAME_TEXT_MAX + 16];
	struct dmarc_owner_fix *of;

	if (mis != NULL) {
		/* the misplaced record, where receivers look */
		struct dmarc_record *m = dmarc_parse(mis, mislen);

		of = dmarc_fix_owner(&r->fix, r->dom);
		if (m != NULL && (!m->has_p || m->p < r->o->policy)) {
			dmarc_fix_edit(of, "p", dmarc_policy_str(r->o->policy));
		}
		if (m != NULL && m->rua.nvalid == 0) {
			dmarc_fix_edit(of, "rua", dmarc_fix_rua(r, rua, sizeof(rua)));
		}
		dmarc_record_free(m);
		dmarc_fix_emit(&r->fix, r->c, mis, mislen);
		return;
	}
	of = dmarc_fix_owner(&r->fix, name_text(&r->org, ot));
	dmarc_fix_edit(of, "p", dmarc_policy_str(r->o->policy));
	dmarc_fix_edit(of, "rua", dmarc_fix_rua(r, rua, sizeof(rua)));
	dmarc_fix_emit(&r->fix, r->c, NULL, 0);
}

void dmarc_fix_free(struct dmarc_fix *f)
{
	free(f->v);
	f->v = NULL;
	f->n = 0;
}
