/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_dmarc's two standards compared (plugins/dmarc_standards.h). */
#include "dmarc_standards.h"

#include <stdio.h>

#include "dmarc_run.h"

enum dmarc_policy dmarc_base_policy(const struct dmarc_record *rec, bool inherited,
				    bool nonexistent, const char **src)
{
	if (inherited && nonexistent && rec->has_np) {
		*src = "np";
		return rec->np;
	}
	if (inherited && rec->has_sp) {
		*src = "sp";
		return rec->sp;
	}
	*src = "p";
	return rec->p;
}

enum dmarc_policy dmarc_policy_9989(const struct dmarc_record *rec, enum dmarc_policy base)
{
	return rec->testing ? dmarc_policy_lower(base) : base;
}

enum dmarc_policy dmarc_policy_7489(const struct dmarc_record *rec, enum dmarc_policy base)
{
	return rec->has_pct && rec->pct < 100 ? dmarc_policy_lower(base) : base;
}

void dmarc_compare_standards(struct run *r, const struct dmarc_record *rec,
			     enum dmarc_policy mine_9989, enum dmarc_policy mine_7489,
			     const struct dmarc_found *other, bool nonexistent)
{
	bool walk_is_mine = !r->o->psl_discovery;
	char ot[DNAME_TEXT_MAX], what[DNAME_TEXT_MAX + 80];
	enum dmarc_policy theirs = DMARC_POLICY_NONE;
	struct dmarc_record *orec;
	const char *src;

	if (other->got < 0)
		return;
	if (other->got == 1 && dname_equal(&other->at, &r->at)) {
		if (mine_9989 != mine_7489)
			check_add(r->c, STATE_WARNING,
				  "receivers on RFC 9989 apply %s%s, receivers on RFC 7489 "
				  "%s%s: the old and the new standard apply different "
				  "policies",
				  dmarc_policy_str(mine_9989), rec->testing ? " (t=y)" : "",
				  dmarc_policy_str(mine_7489),
				  rec->has_pct && rec->pct < 100 ? " to the mail pct= leaves out"
								 : "");
		return;
	}
	/* what the others apply; "none" for no usable record at all */
	bool same = false;

	if (other->got == 0) {
		snprintf(what, sizeof(what), "find no DMARC record: no policy");
	} else {
		orec = dmarc_parse(other->txt, other->len);
		if (orec == NULL)
			return;
		theirs = dmarc_base_policy(orec, other->inherited, nonexistent, &src);
		theirs = walk_is_mine ? dmarc_policy_7489(orec, theirs)
				      : dmarc_policy_9989(orec, theirs);
		same = orec->valid && theirs == (walk_is_mine ? mine_9989 : mine_7489);
		if (orec->valid)
			snprintf(what, sizeof(what), "use the record at _dmarc.%s and apply %s",
				 name_text(&other->at, ot), dmarc_policy_str(theirs));
		else
			snprintf(what, sizeof(what),
				 "use the record at _dmarc.%s, which is invalid: no policy",
				 name_text(&other->at, ot));
		dmarc_record_free(orec);
	}
	check_add(r->c, STATE_WARNING,
		  "receivers on RFC %s (%s) use the record at _dmarc.%s and apply %s; "
		  "receivers on RFC %s (%s) %s: the old and the new standard %s",
		  walk_is_mine ? "9989" : "7489",
		  walk_is_mine ? "DNS tree walk" : "public suffix list", r->at_text,
		  dmarc_policy_str(walk_is_mine ? mine_9989 : mine_7489),
		  walk_is_mine ? "7489" : "9989",
		  walk_is_mine ? "public suffix list" : "DNS tree walk", what,
		  same ? "find different records" : "apply different policies");
}
