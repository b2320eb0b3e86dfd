/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Organisational domain per RFC 7489 3.2 with libpsl. See orgdomain.h.
 */
#include <errno.h>
#include <libpsl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "orgdomain.h"

struct orgdomain {
	psl_ctx_t *psl; /* NULL: no list at all */
	char source[256];
	char problem[512]; /* "" when none */
};

/* A loaded list must know the multi-label suffix co.uk, which every
 * version of the list has held since its start; a file of junk parses
 * as a handful of junk rules and fails this. */
static bool psl_sane(const psl_ctx_t *psl)
{
	return psl_is_public_suffix(psl, "co.uk") && !psl_is_public_suffix(psl, "example.co.uk");
}

static void use_builtin(struct orgdomain *od, const char *file, const char *why)
{
	const psl_ctx_t *b = psl_builtin();

	/* psl_builtin() is static data; psl_free() knows not to free it. */
	od->psl = (psl_ctx_t *)b;
	if (b != NULL && psl_sane(b)) {
		snprintf(od->source, sizeof(od->source), "libpsl built-in list");
		snprintf(od->problem, sizeof(od->problem),
			 "public suffix list %s: %s; using libpsl's built-in list", file, why);
	} else {
		od->psl = NULL;
		snprintf(od->source, sizeof(od->source), "none");
		snprintf(od->problem, sizeof(od->problem),
			 "public suffix list %s: %s, and libpsl has no built-in "
			 "list: organisational domains not determined",
			 file, why);
	}
}

struct orgdomain *orgdomain_new(const char *file)
{
	struct orgdomain *od = calloc(1, sizeof(*od));
	struct stat st;

	if (od == NULL)
		return NULL;
	if (file != NULL) {
		/* The user's own file, exactly: no choice by age. */
		errno = 0;
		od->psl = psl_load_file(file);
		if (od->psl == NULL) {
			use_builtin(od, file, errno != 0 ? strerror(errno) : "cannot be loaded");
		} else if (!psl_sane(od->psl)) {
			psl_free(od->psl);
			use_builtin(od, file,
				    "corrupt (co.uk is not a public "
				    "suffix in it)");
		} else {
			snprintf(od->source, sizeof(od->source), "%s", file);
		}
		return od;
	}

	/* The distribution's list, or the built-in one when that is newer
	 * (libpsl's own choice). */
	const char *dist = psl_dist_filename();
	if (dist == NULL || *dist == '\0')
		dist = "(none configured in libpsl)";
	od->psl = psl_latest(NULL);
	if (od->psl != NULL && od->psl != psl_builtin()) {
		if (psl_sane(od->psl)) {
			snprintf(od->source, sizeof(od->source), "%s", dist);
			return od;
		}
		psl_free(od->psl);
		use_builtin(od, dist,
			    "corrupt (co.uk is not a public suffix "
			    "in it)");
		return od;
	}
	/* psl_latest() gave the built-in list: fine when the distribution
	 * file exists and is merely older; a problem when it is missing or
	 * newer but unloadable. */
	if (stat(dist, &st) != 0)
		use_builtin(od, dist, strerror(errno));
	else if (st.st_mtime > psl_builtin_file_time())
		use_builtin(od, dist, "cannot be loaded");
	else {
		use_builtin(od, dist, "older than the built-in list");
		od->problem[0] = '\0';
	}
	return od;
}

void orgdomain_free(struct orgdomain *od)
{
	if (od == NULL)
		return;
	psl_free(od->psl);
	free(od);
}

const char *orgdomain_problem(const struct orgdomain *od)
{
	return od != NULL && od->problem[0] != '\0' ? od->problem : NULL;
}

const char *orgdomain_source(const struct orgdomain *od)
{
	return od != NULL ? od->source : "none";
}

/* Dotted lower-case text of name into buf (>= DNAME_WIRE_MAX bytes);
 * false when a label holds a byte the list cannot be asked about. */
static bool psl_text(const struct dname *name, char *buf)
{
	size_t n = dname_labels(name), pos = 0;

	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		size_t len;
		const uint8_t *l = dname_label(name, i, &len);

		if (l == NULL)
			return false;
		if (i > 0)
			buf[pos++] = '.';
		for (size_t j = 0; j < len; j++) {
			uint8_t c = l[j];

			if (c >= 'A' && c <= 'Z')
				c = (uint8_t)(c - 'A' + 'a');
			else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
				   c == '_'))
				return false;
			buf[pos++] = (char)c;
		}
	}
	/* At most 253 characters: a wire name has <= 255 bytes. */
	buf[pos] = '\0';
	return true;
}

enum org_status orgdomain_find(const struct orgdomain *od, const struct dname *name,
			       struct dname *org)
{
	char text[DNAME_WIRE_MAX + 1];
	const char *reg;

	dname_lower(org, name);
	if (od == NULL || od->psl == NULL)
		return ORG_NO_LIST;
	if (!psl_text(name, text))
		return ORG_BAD_NAME;
	/* RFC 7489 3.2: the longest matching public suffix plus one label;
	 * psl_registrable_domain() is exactly that, NULL for a suffix. */
	reg = psl_registrable_domain(od->psl, text);
	if (reg == NULL)
		return ORG_IS_SUFFIX;
	if (!dname_from_text(org, reg, strlen(reg), 0, NULL)) {
		dname_lower(org, name);
		return ORG_BAD_NAME;
	}
	return ORG_OK;
}

bool orgdomain_same(const struct orgdomain *od, const struct dname *a, const struct dname *b)
{
	struct dname oa, ob;

	orgdomain_find(od, a, &oa);
	orgdomain_find(od, b, &ob);
	return dname_equal(&oa, &ob);
}
