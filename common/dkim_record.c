/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A DKIM key record's tags, RFC 6376 3.6.1 (with RFC 8301 on hashes and
 * RFC 8463 on ed25519): what each one says and what is wrong with it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dkim_findings.h"
#include "dkim_pubkey.h"
#include "tagvalue.h"

const char *dkim_ktype_str(enum dkim_ktype t)
{
	switch (t) {
	case DKIM_K_RSA:
		return "rsa";
	case DKIM_K_ED25519:
		return "ed25519";
	case DKIM_K_NONE:
		break;
	}
	return "unknown";
}

static bool value_is(const struct tag *t, const char *s)
{
	size_t n = strlen(s); /* our constant */
	return t->value_len == n && memcmp(t->value, s, n) == 0;
}

/* Values shown in findings: validated VALCHAR/FWS bytes, cut to 60. */
#define SHOWN(t) (int)((t)->value_len < 60 ? (t)->value_len : 60), (t)->value

/*
 * Walk a colon-separated list (h=, s=, t=), each item trimmed of FWS
 * (RFC 6376 3.6.1: "*( [FWS] ":" [FWS] ... )"). fn returns nothing; it
 * records what it saw in ctx.
 */
static void each_item(const struct tag *t, void (*fn)(void *ctx, const char *item, size_t len),
		      void *ctx)
{
	size_t i = 0;

	while (i <= t->value_len) {
		size_t start = i, end;

		while (i < t->value_len && t->value[i] != ':')
			i++;
		end = i;
		while (start < end && strchr(" \t\r\n", t->value[start]))
			start++;
		while (end > start && strchr(" \t\r\n", t->value[end - 1]))
			end--;
		fn(ctx, t->value + start, end - start);
		i++;
	}
}

static bool item_is(const char *item, size_t len, const char *s)
{
	size_t n = strlen(s);
	return len == n && strncasecmp(item, s, n) == 0;
}

struct seen {
	bool a, b;
};

static void hash_item(void *ctx, const char *item, size_t len)
{
	struct seen *sn = ctx;
	if (item_is(item, len, "sha256"))
		sn->a = true;
	else if (item_is(item, len, "sha1"))
		sn->b = true;
}

static void service_item(void *ctx, const char *item, size_t len)
{
	struct seen *sn = ctx;
	if (item_is(item, len, "email") || item_is(item, len, "*"))
		sn->a = true;
}

static void flag_item(void *ctx, const char *item, size_t len)
{
	struct seen *sn = ctx;
	/* RFC 6376 3.6.1: flags are case-sensitive single letters. */
	if (len == 1 && item[0] == 'y')
		sn->a = true;
	else if (len == 1 && item[0] == 's')
		sn->b = true;
}

static void check_k(struct dkim_key *k, const struct tag *t)
{
	k->ktype = DKIM_K_RSA; /* RFC 6376 3.6.1: default rsa */
	if (t == NULL)
		return;
	if (t->value_len == 3 && strncasecmp(t->value, "rsa", 3) == 0)
		k->ktype = DKIM_K_RSA;
	else if (t->value_len == 7 && strncasecmp(t->value, "ed25519", 7) == 0)
		k->ktype = DKIM_K_ED25519;
	else {
		k->ktype = DKIM_K_NONE;
		dkim_finding_add(k, DKIM_F_KTYPE, STATE_CRITICAL, 0, "unsupported key type %s%.*s",
				 t->value_len ? "" : "(empty k=)", SHOWN(t));
		return;
	}
	if (!value_is(t, dkim_ktype_str(k->ktype)))
		dkim_finding_add(k, DKIM_F_KTYPE_CASE, STATE_WARNING, 0,
				 "k=%.*s is not lower case; verifiers that compare "
				 "exactly ignore the key",
				 SHOWN(t));
}

static void check_h(struct dkim_key *k, const struct tag *t)
{
	struct seen sn = {false, false};

	if (t == NULL)
		return; /* default: all algorithms */
	each_item(t, hash_item, &sn);
	if (sn.a)
		return;
	if (sn.b)
		dkim_finding_add(k, DKIM_F_HASH, STATE_CRITICAL, 0,
				 "h=%.*s: sha1 only, which verifiers must not accept "
				 "(RFC 8301 3.1)",
				 SHOWN(t));
	else
		dkim_finding_add(k, DKIM_F_HASH, STATE_CRITICAL, 0,
				 "h=%.*s lists no supported hash (sha256)", SHOWN(t));
}

static void check_s(struct dkim_key *k, const struct tag *t)
{
	struct seen sn = {false, false};

	if (t == NULL)
		return; /* default: "*" */
	each_item(t, service_item, &sn);
	if (!sn.a)
		dkim_finding_add(k, DKIM_F_SERVICE, STATE_CRITICAL, 0,
				 "s=%.*s does not cover email: verifiers must ignore "
				 "the key for mail (RFC 6376 3.6.1)",
				 SHOWN(t));
}

static void check_t(struct dkim_key *k, const struct tag *t)
{
	struct seen sn = {false, false};

	if (t == NULL)
		return;
	each_item(t, flag_item, &sn);
	k->testing = sn.a;
	k->strict = sn.b;
	if (k->testing)
		dkim_finding_add(k, DKIM_F_TESTING, STATE_WARNING, 0,
				 "testing mode (t=y): verifiers treat signed mail as "
				 "unsigned");
	if (k->strict)
		dkim_finding_add(k, DKIM_F_STRICT, STATE_OK, 0,
				 "t=s: the i= domain of signatures must be d= itself, "
				 "not a subdomain (RFC 6376 3.6.1)");
}

static bool known_tag(const struct tag *t)
{
	static const char *const known[] = {"v", "k", "h", "s", "t", "n", "p"};
	size_t i;

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (t->name_len == 1 && t->name[0] == known[i][0])
			return true;
	return false;
}

/* RFC 6376 3.6.1: unknown tags MUST be ignored; listed for -v. */
static void note_unknown(struct dkim_key *k, const struct tag_list *tl)
{
	char buf[160];
	size_t i, used = 0, count = 0;

	buf[0] = '\0';
	for (i = 0; i < tl->n; i++) {
		const struct tag *t = &tl->tags[i];
		int w;

		if (known_tag(t))
			continue;
		count++;
		if (used >= sizeof(buf) - 8)
			continue;
		w = snprintf(buf + used, sizeof(buf) - used, "%s%.*s", used ? ", " : "",
			     (int)(t->name_len < 32 ? t->name_len : 32), t->name);
		if (w > 0)
			used += (size_t)w < sizeof(buf) - used ? (size_t)w : sizeof(buf) - used - 1;
	}
	if (count > 0)
		dkim_finding_add(k, DKIM_F_UNKNOWN_TAG, STATE_OK, 1,
				 "%zu unknown tag%s ignored: %s", count, count == 1 ? "" : "s",
				 buf);
}

static void check_p(struct dkim_key *k, const struct tag *t)
{
	uint8_t *der = NULL;
	size_t size, pos;
	const char *why;

	if (t == NULL) {
		dkim_finding_add(k, DKIM_F_NO_P, STATE_CRITICAL, 0,
				 "no p= tag: the record holds no key (RFC 6376 3.6.1)");
		return;
	}
	if (t->value_len == 0) { /* K-08, CVE-2009-0770 */
		k->revoked = true;
		dkim_finding_add(k, DKIM_F_REVOKED, STATE_CRITICAL, 0, "key revoked (empty p=)");
		return;
	}
	switch (dkim_base64_decode(t->value, t->value_len, LIMIT_DKIM_KEY_BYTES, &der, &size, &why,
				   &pos)) {
	case B64_INVALID:
		dkim_finding_add(k, DKIM_F_BASE64, STATE_CRITICAL, 0,
				 "invalid base64 in p=: %s (at byte %zu of p=)", why, pos);
		return;
	case B64_TOO_LARGE: /* K-14 */
		k->key_bytes = size;
		dkim_finding_add(k, DKIM_F_TOO_LARGE, STATE_CRITICAL, 0,
				 "key data too large (%zu bytes, limit %d)", size,
				 LIMIT_DKIM_KEY_BYTES);
		return;
	case B64_NOMEM:
		dkim_finding_add(k, DKIM_F_DER, STATE_CRITICAL, 0, "out of memory decoding p=");
		return;
	case B64_OK:
		break;
	}
	if (k->ktype != DKIM_K_NONE)
		dkim_key_decode(k, der, size);
	else
		k->key_bytes = size;
	free(der);
}

struct dkim_key *dkim_key_parse(const char *rec, size_t len)
{
	struct dkim_key *k = calloc(1, sizeof(*k));
	struct tag_list tl;
	const struct tag *v;

	if (k == NULL)
		return NULL;
	if (!tag_list_parse(rec, len, LIMIT_DKIM_TAGS, &tl)) {
		if (tl.error == TV_EMPTY)
			dkim_finding_add(k, DKIM_F_NOT_KEY, STATE_CRITICAL, 0,
					 "not a DKIM key record (empty TXT)");
		else if (tl.error == TV_SYNTAX && tl.n == 0) /* K-12 */
			dkim_finding_add(k, DKIM_F_NOT_KEY, STATE_CRITICAL, 0,
					 "not a DKIM key record (no tag=value list: %s)",
					 tl.error_tag);
		else if (tl.error == TV_TOO_MANY)
			dkim_finding_add(k, DKIM_F_SYNTAX, STATE_CRITICAL, 0,
					 "invalid key record: more than %d tags", LIMIT_DKIM_TAGS);
		else if (tl.error == TV_DUPLICATE) /* K-07 */
			dkim_finding_add(k, DKIM_F_SYNTAX, STATE_CRITICAL, 0,
					 "invalid key record: duplicate tag %s "
					 "(RFC 6376 3.2)",
					 tl.error_tag);
		else
			dkim_finding_add(k, DKIM_F_SYNTAX, STATE_CRITICAL, 0,
					 "invalid key record: %s (%s, at byte %zu)",
					 tv_error_str(tl.error), tl.error_tag, tl.error_pos);
		k->is_key = !(tl.error == TV_EMPTY || (tl.error == TV_SYNTAX && tl.n == 0));
		goto out;
	}

	/* RFC 6376 3.6.1: v= first if present, exactly "DKIM1"; records
	 * starting with another v= are discarded. */
	v = tag_list_find(&tl, "v");
	if (v != NULL && !value_is(v, "DKIM1")) {
		dkim_finding_add(k, DKIM_F_NOT_KEY, STATE_CRITICAL, 0,
				 "not a DKIM key record: v=%.*s, not DKIM1", SHOWN(v));
		goto out;
	}
	k->is_key = true;
	if (v != NULL && v->index != 0)
		dkim_finding_add(k, DKIM_F_VERSION, STATE_CRITICAL, 0,
				 "v=DKIM1 is not the first tag (RFC 6376 3.6.1)");

	check_k(k, tag_list_find(&tl, "k"));
	check_h(k, tag_list_find(&tl, "h"));
	check_s(k, tag_list_find(&tl, "s"));
	check_t(k, tag_list_find(&tl, "t"));
	note_unknown(k, &tl);
	check_p(k, tag_list_find(&tl, "p"));
out:
	tag_list_free(&tl);
	return k;
}

void dkim_key_free(struct dkim_key *k)
{
	if (k == NULL)
		return;
	dkim_pubkey_free(k->pub);
	finding_list_clear(&k->findings);
	free(k);
}
