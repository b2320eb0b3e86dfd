/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Tag=value lists, RFC 6376 3.2 (DKIM) and RFC 7489 6.4 (DMARC):
 *
 *   tag-list  =  tag-spec *( ";" tag-spec ) [ ";" ]
 *   tag-spec  =  [FWS] tag-name [FWS] "=" [FWS] tag-value [FWS]
 *   tag-name  =  ALPHA *ALNUMPUNC
 *   tag-value =  [ tval *( 1*(WSP / FWS) tval ) ]
 *   tval      =  1*VALCHAR          VALCHAR = %x21-3A / %x3C-7E
 *
 * Decisions where the grammar and practice part ways:
 * - Whitespace is SP, HTAB, CR and LF in any order. RFC 5322 FWS wants CR
 *   LF followed by WSP; a TXT record has no lines to fold, and receivers
 *   (OpenDKIM, OpenDMARC) skip any of the four, so we do too.
 * - Empty tag-specs (";;", "; ;", a leading ';') are skipped. The RFC 6376
 *   grammar has no room for them, but DMARC receivers accept them and
 *   publishers write them; refusing them would fail records that work.
 * - Parsing stops at the first error; the tags before it are kept.
 */
#include <stdlib.h>
#include <string.h>

#include "tagvalue.h"

static bool is_wsp(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static bool is_alpha(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static bool is_alnumpunc(unsigned char c)
{
	return is_alpha(c) || (c >= '0' && c <= '9') || c == '_';
}

/* RFC 6376 3.2 VALCHAR: '!' to '~' except ';'. */
static bool is_valchar(unsigned char c)
{
	return c >= 0x21 && c <= 0x7e && c != ';';
}

static size_t skip_wsp(const char *p, size_t i, size_t len)
{
	while (i < len && is_wsp((unsigned char)p[i]))
		i++;
	return i;
}

/* Copy up to 63 bytes of a tag name, anything unprintable as '?'. */
static void set_error_tag(struct tag_list *l, const char *name, size_t len)
{
	size_t i, n = len < sizeof(l->error_tag) - 1 ? len : sizeof(l->error_tag) - 1;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];
		l->error_tag[i] = (c > 0x20 && c < 0x7f) ? (char)c : '?';
	}
	l->error_tag[n] = '\0';
}

static bool fail(struct tag_list *l, enum tv_error e, size_t pos, const char *name, size_t name_len)
{
	l->error = e;
	l->error_pos = pos;
	if (name != NULL)
		set_error_tag(l, name, name_len);
	return false;
}

static bool same_name(const struct tag *t, const char *name, size_t len)
{
	return t->name_len == len && memcmp(t->name, name, len) == 0;
}

/* Room for one more tag; the array grows by doubling up to max_tags. */
static bool reserve(struct tag_list *l, size_t *cap, size_t max_tags)
{
	size_t ncap;
	struct tag *nt;

	if (l->n < *cap)
		return true;
	ncap = *cap == 0 ? 8 : *cap * 2;
	if (ncap > max_tags)
		ncap = max_tags;
	nt = realloc(l->tags, ncap * sizeof(*nt));
	if (nt == NULL)
		return false;
	l->tags = nt;
	*cap = ncap;
	return true;
}

bool tag_list_parse(const char *rec, size_t len, size_t max_tags, struct tag_list *out)
{
	size_t i = 0, cap = 0;

	memset(out, 0, sizeof(*out));
	out->error = TV_OK;
	if (rec == NULL)
		len = 0;

	while (i < len) {
		size_t name_start, name_len, val_start, val_end, k;

		i = skip_wsp(rec, i, len);
		if (i >= len)
			break;
		if (rec[i] == ';') { /* empty tag-spec: skipped */
			i++;
			continue;
		}

		/* tag-name */
		name_start = i;
		if (!is_alpha((unsigned char)rec[i]))
			return fail(out, TV_SYNTAX, i, rec + i, 1);
		while (i < len && is_alnumpunc((unsigned char)rec[i]))
			i++;
		name_len = i - name_start;

		/* [FWS] "=" */
		i = skip_wsp(rec, i, len);
		if (i >= len || rec[i] != '=') {
			/* The name runs on into junk ("e.example"): report the
			 * whole word so the user recognises it. */
			size_t end = i;
			while (end < len && end - name_start < 63 && rec[end] != ';' &&
			       !is_wsp((unsigned char)rec[end]))
				end++;
			return fail(out, TV_SYNTAX, i, rec + name_start,
				    end > name_start ? end - name_start : name_len);
		}
		i++;

		/* [FWS] tag-value [FWS], up to ';' or the end */
		i = skip_wsp(rec, i, len);
		val_start = val_end = i;
		while (i < len && rec[i] != ';') {
			unsigned char c = (unsigned char)rec[i];
			if (is_valchar(c))
				val_end = i + 1;
			else if (!is_wsp(c))
				return fail(out, TV_BAD_VALUE, i, rec + name_start, name_len);
			i++;
		}

		for (k = 0; k < out->n; k++)
			if (same_name(&out->tags[k], rec + name_start, name_len))
				return fail(out, TV_DUPLICATE, name_start, rec + name_start,
					    name_len);
		if (out->n >= max_tags)
			return fail(out, TV_TOO_MANY, name_start, rec + name_start, name_len);
		if (!reserve(out, &cap, max_tags))
			return fail(out, TV_NOMEM, name_start, NULL, 0);

		out->tags[out->n] = (struct tag){
			.name = rec + name_start,
			.name_len = name_len,
			.value = rec + val_start,
			.value_len = val_end - val_start,
			.index = out->n,
		};
		out->n++;

		if (i < len) /* the ';' */
			i++;
	}

	if (out->n == 0)
		return fail(out, TV_EMPTY, 0, NULL, 0);
	return true;
}

void tag_list_free(struct tag_list *l)
{
	if (l == NULL)
		return;
	free(l->tags);
	l->tags = NULL;
	l->n = 0;
}

const struct tag *tag_list_find(const struct tag_list *l, const char *name)
{
	size_t k, len;

	if (l == NULL || name == NULL)
		return NULL;
	len = strlen(name); /* our own constant, not DNS data */
	for (k = 0; k < l->n; k++)
		if (same_name(&l->tags[k], name, len))
			return &l->tags[k];
	return NULL;
}

const char *tv_error_str(enum tv_error e)
{
	switch (e) {
	case TV_OK:
		return "no error";
	case TV_EMPTY:
		return "empty tag list";
	case TV_SYNTAX:
		return "tag without '=' or invalid tag name";
	case TV_BAD_VALUE:
		return "invalid character in tag value";
	case TV_DUPLICATE:
		return "duplicate tag";
	case TV_TOO_MANY:
		return "too many tags";
	case TV_NOMEM:
		return "out of memory";
	}
	return "unknown error";
}
