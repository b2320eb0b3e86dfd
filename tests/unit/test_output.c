/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Unit tests for common/output.c: the sanitiser (O-01), ordering, the
 * summary, caps, perfdata in the C locale, zone_txt_strings().
 */
#include <check.h>

#include "check_main.h"
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bounds.h"
#include "output.h"
#include "range.h"

/* Render c into a heap string (caller frees). */
static char *render(const struct check *c, enum state *st)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	enum state s;

	ck_assert_ptr_nonnull(f);
	s = check_render(c, f);
	fclose(f);
	if (st != NULL) {
		*st = s;
	}
	return buf;
}

/* Line n (0-based) of text, into a static buffer. */
static const char *line(const char *text, int n)
{
	static char buf[4096];
	const char *p = text;
	const char *e;

	for (int i = 0; i < n && p != NULL; i++) {
		p = strchr(p, '\n');
		if (p != NULL) {
			p++;
		}
	}
	if (p == NULL || *p == '\0') {
		return NULL;
	}
	e = strchr(p, '\n');
	if (e == NULL) {
		e = p + strlen(p);
	}
	ck_assert_uint_lt((size_t)(e - p), sizeof(buf));
	memcpy(buf, p, (size_t)(e - p));
	buf[e - p] = '\0';
	return buf;
}

static int count_lines(const char *text)
{
	int n = 0;

	for (const char *p = text; *p != '\0'; p++) {
		n += *p == '\n';
	}
	return n;
}

/* True if s is valid UTF-8 with no control bytes and no '|'. */
static bool clean_utf8(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;

	for (size_t i = 0; i < len;) {
		size_t need = p[i] < 0x80 ? 1 : p[i] < 0xe0 ? 2 : p[i] < 0xf0 ? 3 : 4;

		if (p[i] < 0x20 || p[i] == 0x7f || p[i] == '|' || (p[i] >= 0x80 && p[i] < 0xc2) ||
		    p[i] > 0xf4 || i + need > len) {
			return false;
		}
		for (size_t k = 1; k < need; k++) {
			if ((p[i + k] & 0xc0) != 0x80) {
				return false;
			}
		}
		i += need;
	}
	return true;
}

struct esc_case {
	const char *id;
	const char *in;
	size_t len;
	const char *out;
};

#define B(s) s, sizeof(s) - 1

/* O-01: '|', CR, LF, TAB, ESC, NUL, DEL, invalid UTF-8 escaped; valid
 * UTF-8 and "%n" kept as they are. */
static const struct esc_case esc[] = {
	{"O-01 pipe", B("a|b"), "a\\x7cb"},
	{"O-01 CR LF", B("a\r\nb"), "a\\x0d\\x0ab"},
	{"O-01 TAB", B("a\tb"), "a\\x09b"},
	{"O-01 ESC", B("\x1b[31mred"), "\\x1b[31mred"},
	{"O-01 NUL", B("a\0b"), "a\\x00b"},
	{"O-01 DEL", B("a\x7f"), "a\\x7f"},
	{"O-01 %n", B("%n%s%x"), "%n%s%x"},
	{"O-01 invalid UTF-8 lone byte",
	 B("a\xff"
	   "b"),
	 "a\\xffb"},
	{"O-01 invalid UTF-8 truncated", B("a\xc3"), "a\\xc3"},
	{"O-01 invalid UTF-8 bad continuation", B("\xc3\x28"), "\\xc3("},
	{"O-01 invalid UTF-8 overlong", B("\xc0\xaf"), "\\xc0\\xaf"},
	{"O-01 invalid UTF-8 surrogate", B("\xed\xa0\x80"), "\\xed\\xa0\\x80"},
	{"O-01 invalid UTF-8 above U+10FFFF", B("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80"},
	{"O-01 C1 control CSI",
	 B("\xc2\x9b"
	   "2J"),
	 "\\xc2\\x9b2J"},
	{"valid UTF-8 kept",
	 B("b\xc3\xbc"
	   "cher \xe2\x82\xac \xf0\x9f\x93\xa7"),
	 "b\xc3\xbc"
	 "cher \xe2\x82\xac \xf0\x9f\x93\xa7"},
	{"backslash kept", B("a\\046b"), "a\\046b"},
	/* implied (O-01 for text shown in a web view): bidi and separator
	 * characters reorder or break a line in Icinga Web, so their bytes
	 * are escaped like control bytes; the letters around them stay. */
	{"implied RLO U+202E",
	 B("moc.elpmaxe\xe2\x80\xae"
	   "ok"),
	 "moc.elpmaxe\\xe2\\x80\\xaeok"},
	{"implied BOM U+FEFF", B("\xef\xbb\xbfv=spf1"), "\\xef\\xbb\\xbfv=spf1"},
	{"implied ALM U+061C next to Arabic",
	 B("\xd8\xa7\xd8\x9c"
	   "1"),
	 "\xd8\xa7\\xd8\\x9c1"},
	{"empty", B(""), ""},
};

START_TEST(test_out_bytes_escapes)
{
	const struct esc_case *c = &esc[_i];
	char buf[128];

	out_bytes(buf, sizeof(buf), c->in, c->len);
	ck_assert_msg(strcmp(buf, c->out) == 0, "%s: got '%s'", c->id, buf);
}
END_TEST

START_TEST(test_out_bytes_cut)
{
	char buf[8];
	char big[16];

	/* cut with "..." at a boundary: never half an escape or character */
	out_bytes(buf, sizeof(buf), "abcdefghij", 10);
	ck_assert_str_eq(buf, "abcd...");
	out_bytes(buf, sizeof(buf), "abcdefg", 7);
	ck_assert_str_eq(buf, "abcdefg");
	out_bytes(buf, sizeof(buf), "ab|cdefg", 8);
	ck_assert_str_eq(buf, "ab...");
	out_bytes(buf, sizeof(buf), "a\xe2\x82\xac\xe2\x82\xac", 7);
	ck_assert_str_eq(buf, "a\xe2\x82\xac\xe2\x82\xac"); /* exactly fits */
	out_bytes(buf, sizeof(buf), "a\xe2\x82\xac\xe2\x82\xacx", 8);
	ck_assert_str_eq(buf, "a\xe2\x82\xac...");
	out_bytes(big, sizeof(big), "\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac", 12);
	ck_assert_str_eq(big, "\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac");
	out_bytes(buf, 3, "abcdef", 6);
	ck_assert_str_eq(buf, "..");
	out_bytes(buf, 1, "abcdef", 6);
	ck_assert_str_eq(buf, "");
	ck_assert_ptr_null(out_bytes(NULL, 0, "a", 1));
}
END_TEST

/* implied (O-01): every bidi control, U+2028, U+2029 and U+FEFF is
 * escaped as \xNN per byte in out_bytes() and in every rendered line;
 * the characters next to them in the code chart are printed as they are. */
START_TEST(test_bidi_escaped)
{
	static const unsigned escaped[] = {0x061c, 0x200e, 0x200f, 0x2028, 0x2029,
					   0x202a, 0x202b, 0x202c, 0x202d, 0x202e,
					   0x2066, 0x2067, 0x2068, 0x2069, 0xfeff};
	static const unsigned kept[] = {0x061b, 0x200d, 0x2010, 0x2027, 0x202f,
					0x2065, 0x206a, 0xfefe, 0x20ac};

	for (size_t k = 0;
	     k < sizeof(escaped) / sizeof(escaped[0]) + sizeof(kept) / sizeof(kept[0]); k++) {
		bool esc_it = k < sizeof(escaped) / sizeof(escaped[0]);
		unsigned cp = esc_it ? escaped[k] : kept[k - sizeof(escaped) / sizeof(escaped[0])];
		unsigned char u[3];
		size_t n;
		char in[16], want[32], buf[128];
		struct check *c = check_new("DKIM");
		char *out;

		if (cp < 0x800) {
			u[0] = (unsigned char)(0xc0 | cp >> 6);
			u[1] = (unsigned char)(0x80 | (cp & 0x3f));
			n = 2;
		} else {
			u[0] = (unsigned char)(0xe0 | cp >> 12);
			u[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
			u[2] = (unsigned char)(0x80 | (cp & 0x3f));
			n = 3;
		}
		snprintf(in, sizeof(in), "a%.*sb", (int)n, (const char *)u);
		if (esc_it && n == 2) {
			snprintf(want, sizeof(want), "a\\x%02x\\x%02xb", u[0], u[1]);
		} else if (esc_it) {
			snprintf(want, sizeof(want), "a\\x%02x\\x%02x\\x%02xb", u[0], u[1], u[2]);
		} else {
			snprintf(want, sizeof(want), "%s", in);
		}
		out_bytes(buf, sizeof(buf), in, strlen(in));
		ck_assert_msg(strcmp(buf, want) == 0, "U+%04X: got '%s', want '%s'", cp, buf, want);

		check_subject(c, "%s", in);
		check_add(c, STATE_WARNING, "%s", in);
		check_set_verbosity(c, 1);
		check_verbose(c, 1, "%s", in);
		check_fix(c, "%s", in);
		out = render(c, NULL);
		snprintf(buf, sizeof(buf), "DKIM WARNING - %s: %s", want, want);
		ck_assert_str_eq(line(out, 0), buf);
		snprintf(buf, sizeof(buf), "[WARNING] %s", want);
		ck_assert_str_eq(line(out, 1), buf);
		ck_assert_str_eq(line(out, 2), want);
		snprintf(buf, sizeof(buf), "fix: %s", want);
		ck_assert_str_eq(line(out, 3), buf);
		free(out);
		check_free(c);
	}
}
END_TEST

/* implied (O-01): an escaped character is cut whole, never half. */
START_TEST(test_bidi_cut)
{
	char buf[8];

	out_bytes(buf, sizeof(buf), "ab\xe2\x80\xae", 5);
	ck_assert_str_eq(buf, "ab...");
	out_bytes(buf, sizeof(buf), "\xe2\x80\x8e", 3);
	ck_assert_str_eq(buf, "...");
}
END_TEST

START_TEST(test_o01_first_line_hostile)
{
	/* O-01: a hostile TXT record as summary cannot start perfdata or a
	 * new line; the first line stays <= LIMIT_STATUS_TEXT before " | ". */
	static const char hostile[] = "v=spf1 |x\r\nCRITICAL\t\x1b[2J\0%n\xff\xfe end";
	struct check *c = check_new("SPF");
	struct range w, cr;
	const char *why;
	char esc_buf[256];
	char *out;
	const char *l0;
	const char *bar;

	ck_assert(range_parse("8", &w, &why));
	ck_assert(range_parse("10", &cr, &why));
	check_subject(c, "%s", "example.com");
	check_add(c, STATE_CRITICAL, "record: %s",
		  out_bytes(esc_buf, sizeof(esc_buf), hostile, sizeof(hostile) - 1));
	check_add(c, STATE_WARNING, "raw: %s", "a|b\nc"); /* not pre-escaped */
	check_perf(c, "lookups", 12, "", &w, &cr, 0, 10);
	out = render(c, NULL);
	ck_assert_int_eq(count_lines(out), 3);
	l0 = line(out, 0);
	ck_assert_str_eq(l0, "SPF CRITICAL - example.com: record: v=spf1 \\x7cx\\x0d\\x0aCRITICAL"
			     "\\x09\\x1b[2J\\x00%n\\xff\\xfe end | lookups=12;8;10;0;10");
	bar = strchr(l0, '|');
	ck_assert_ptr_nonnull(bar);
	ck_assert_ptr_null(strchr(bar + 1, '|'));
	ck_assert(clean_utf8(l0, (size_t)(bar - l0))); /* before line() reuses l0 */
	ck_assert_str_eq(line(out, 2), "[WARNING] raw: a\\x7cb\\x0ac");
	for (int i = 1; i < 3; i++) {
		const char *l = line(out, i);

		ck_assert_msg(clean_utf8(l, strlen(l)), "line %d not clean", i);
	}
	free(out);
	check_free(c);
}
END_TEST

START_TEST(test_o01_property_random_bytes)
{
	/* O-01 as a property: for any bytes, out_bytes() and every rendered
	 * line are valid UTF-8 without '|' or control bytes, within their cap,
	 * and the output has exactly the lines asked for. A fixed-seed
	 * generator keeps the run reproducible. */
	unsigned long x = 88172645463325252UL;
	unsigned char data[600];
	char buf[300];

	for (int round = 0; round < 2000; round++) {
		size_t len;
		struct check *c = check_new("SPF");
		char *out;
		const char *bar;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		len = (size_t)(x % sizeof(data));
		for (size_t i = 0; i < len; i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			/* bias towards the interesting bytes */
			switch (x % 8) {
			case 0:
				data[i] = (unsigned char)"|\r\n\t\x1b\x7f%\\"[(x >> 8) % 8];
				break;
			case 1:
				data[i] = (unsigned char)(0x80 + (x >> 8) % 0x80);
				break;
			case 2:
				data[i] = 0;
				break;
			default:
				data[i] = (unsigned char)(x >> 16);
				break;
			}
		}
		out_bytes(buf, sizeof(buf), data, len);
		ck_assert_uint_lt(strlen(buf), sizeof(buf));
		ck_assert_msg(clean_utf8(buf, strlen(buf)), "round %d: out_bytes not clean", round);

		check_subject(c, "%s", "example.com");
		check_add(c, STATE_WARNING, "%s", out_bytes(buf, sizeof(buf), data, len));
		check_add(c, STATE_CRITICAL, "%.*s", (int)len, (const char *)data);
		check_fix(c, "%.*s", (int)len, (const char *)data);
		check_perf(c, (const char *)buf, 1, "s", NULL, NULL, 0, NAN);
		check_set_verbosity(c, 1);
		check_verbose(c, 1, "%.*s", (int)len, (const char *)data);
		out = render(c, NULL);
		ck_assert_int_eq(count_lines(out), 5);
		bar = strstr(line(out, 0), " | ");
		ck_assert_ptr_nonnull(bar);
		ck_assert_uint_le((size_t)(bar - line(out, 0)), LIMIT_STATUS_TEXT);
		ck_assert(clean_utf8(line(out, 0), (size_t)(bar - line(out, 0))));
		ck_assert_ptr_null(strchr(bar + 3, '|'));
		for (int i = 1; i < 5; i++) {
			const char *l = line(out, i);

			ck_assert_uint_le(strlen(l), LIMIT_LINE_TEXT);
			ck_assert_msg(clean_utf8(l, strlen(l)), "round %d line %d not clean", round,
				      i);
		}
		free(out);
		check_free(c);
	}
}
END_TEST

START_TEST(test_format_string_not_interpreted)
{
	/* O-01 "%n": text passed as "%s" is printed, never interpreted. */
	struct check *c = check_new("MX");
	char *out;

	check_add(c, STATE_OK, "%s", "%n%n%s%s%p");
	out = render(c, NULL);
	ck_assert_str_eq(line(out, 0), "MX OK - %n%n%s%s%p");
	ck_assert_str_eq(line(out, 1), "[OK] %n%n%s%s%p");
	free(out);
	check_free(c);
}
END_TEST

START_TEST(test_ordering_and_state)
{
	struct check *c = check_new("DMARC");
	enum state st;
	char *out;

	check_subject(c, "example.com");
	check_add(c, STATE_OK, "ok one");
	check_add(c, STATE_WARNING, "warn one");
	check_add(c, STATE_UNKNOWN, "unknown one");
	check_add(c, STATE_CRITICAL, "crit one");
	check_add(c, STATE_OK, "ok two");
	check_add(c, STATE_CRITICAL, "crit two");
	check_add(c, STATE_WARNING, "warn two");
	check_verbose(c, 1, "verbose one");
	check_verbose(c, 2, "verbose two");
	check_fix(c, "_dmarc.example.com. IN TXT %s", "\"v=DMARC1; p=none\"");
	check_set_verbosity(c, 1);
	ck_assert_int_eq(check_state(c), STATE_CRITICAL);
	out = render(c, &st);
	ck_assert_int_eq(st, STATE_CRITICAL);
	ck_assert_str_eq(line(out, 0), "DMARC CRITICAL - example.com: crit one");
	ck_assert_str_eq(line(out, 1), "[CRITICAL] crit one");
	ck_assert_str_eq(line(out, 2), "[CRITICAL] crit two");
	ck_assert_str_eq(line(out, 3), "[WARNING] warn one");
	ck_assert_str_eq(line(out, 4), "[WARNING] warn two");
	ck_assert_str_eq(line(out, 5), "[UNKNOWN] unknown one");
	ck_assert_str_eq(line(out, 6), "[OK] ok one");
	ck_assert_str_eq(line(out, 7), "[OK] ok two");
	ck_assert_str_eq(line(out, 8), "verbose one");
	ck_assert_str_eq(line(out, 9), "fix: _dmarc.example.com. IN TXT \"v=DMARC1; p=none\"");
	ck_assert_ptr_null(line(out, 10));
	free(out);
	check_free(c);
}
END_TEST

START_TEST(test_unknown_below_warning)
{
	/* OK < UNKNOWN < WARNING < CRITICAL: a weak record outranks trouble
	 * with our own inputs found along the way. */
	struct check *c = check_new("DKIM");
	enum state st;
	char *out;

	check_add(c, STATE_UNKNOWN, "cannot read key file");
	check_add(c, STATE_WARNING, "1024-bit key");
	out = render(c, &st);
	ck_assert_int_eq(st, STATE_WARNING);
	ck_assert_str_eq(line(out, 0), "DKIM WARNING - 1024-bit key");
	free(out);
	check_free(c);
}
END_TEST

START_TEST(test_summary_rules)
{
	struct check *c = check_new("SPF");
	char *out;

	/* a summary at least as bad as every finding replaces the text */
	check_subject(c, "example.com");
	check_add(c, STATE_CRITICAL, "include:_spf.big.example adds 9 lookups");
	check_add(c, STATE_OK, "exactly one v=spf1 record");
	check_summary(c, STATE_CRITICAL, "%d DNS lookups, limit is %d", 12, 10);
	out = render(c, NULL);
	ck_assert_str_eq(line(out, 0), "SPF CRITICAL - example.com: 12 DNS lookups, limit is 10");
	ck_assert_str_eq(line(out, 1), "[CRITICAL] include:_spf.big.example adds 9 lookups");
	free(out);
	check_free(c);

	/* a milder summary than a finding does not stand */
	c = check_new("SPF");
	check_summary(c, STATE_OK, "all fine");
	check_add(c, STATE_WARNING, "?all");
	out = render(c, NULL);
	ck_assert_str_eq(line(out, 0), "SPF WARNING - ?all");
	free(out);
	check_free(c);

	/* a summary alone sets the state */
	c = check_new("MX");
	check_summary(c, STATE_CRITICAL, "no MX");
	ck_assert_int_eq(check_state(c), STATE_CRITICAL);
	out = render(c, NULL);
	ck_assert_str_eq(out, "MX CRITICAL - no MX\n");
	free(out);
	check_free(c);

	/* nothing at all */
	c = check_new("MX");
	out = render(c, NULL);
	ck_assert_str_eq(out, "MX OK\n");
	free(out);
	check_subject(c, "example.com");
	out = render(c, NULL);
	ck_assert_str_eq(out, "MX OK - example.com\n");
	free(out);
	check_free(c);
}
END_TEST

START_TEST(test_first_line_cap)
{
	/* first line <= LIMIT_STATUS_TEXT bytes before perfdata, cut at a
	 * character boundary with "..." */
	struct check *c = check_new("DKIM");
	char *big = malloc(3 * 400 + 1);
	char *out;
	const char *l0;
	const char *bar;
	size_t before;

	for (int i = 0; i < 400; i++) {
		memcpy(big + 3 * i, "\xe2\x82\xac", 3);
	}
	big[1200] = '\0';
	check_subject(c, "example.com");
	check_add(c, STATE_CRITICAL, "%s", big);
	check_perf(c, "bits", 1024, "", NULL, NULL, NAN, NAN);
	out = render(c, NULL);
	l0 = line(out, 0);
	bar = strstr(l0, " | ");
	ck_assert_ptr_nonnull(bar);
	before = (size_t)(bar - l0);
	ck_assert_uint_le(before, LIMIT_STATUS_TEXT);
	ck_assert_uint_ge(before, LIMIT_STATUS_TEXT - 5);
	ck_assert(strncmp(bar - 3, "...", 3) == 0);
	ck_assert(clean_utf8(l0, before));
	ck_assert_str_eq(bar, " | bits=1024");
	/* long output line capped at LIMIT_LINE_TEXT */
	ck_assert_uint_le(strlen(line(out, 1)), LIMIT_LINE_TEXT);
	ck_assert_uint_ge(strlen(line(out, 1)), LIMIT_LINE_TEXT - 5);
	ck_assert(clean_utf8(line(out, 1), strlen(line(out, 1))));
	free(out);
	free(big);
	check_free(c);
}
END_TEST

START_TEST(test_long_text_kept_bounded)
{
	/* a 64 KiB text through "%s" is cut, not stored whole */
	struct check *c = check_new("SPF");
	size_t n = 65536;
	char *big = malloc(n + 1);
	char *out;

	memset(big, 'a', n);
	big[n] = '\0';
	check_add(c, STATE_CRITICAL, "%s", big);
	check_fix(c, "example.com. IN TXT %s", big);
	check_verbose(c, 0, "%s", big);
	out = render(c, NULL);
	ck_assert_uint_le(strlen(line(out, 0)), LIMIT_STATUS_TEXT);
	ck_assert_uint_eq(strlen(line(out, 1)), LIMIT_LINE_TEXT);
	ck_assert_uint_eq(strlen(line(out, 2)), LIMIT_LINE_TEXT);
	ck_assert_uint_eq(strlen(line(out, 3)), LIMIT_LINE_TEXT);
	ck_assert(strncmp(line(out, 3), "fix: example.com. IN TXT aaa", 28) == 0);
	free(out);
	free(big);
	check_free(c);
}
END_TEST

START_TEST(test_findings_limit)
{
	/* LIMIT_FINDINGS lines kept; a later, worse finding still wins */
	struct check *c = check_new("MX");
	char *out;

	for (int i = 0; i < LIMIT_FINDINGS + 100; i++) {
		check_add(c, STATE_OK, "host %d fine", i);
	}
	check_add(c, STATE_CRITICAL, "the one that matters");
	out = render(c, NULL);
	ck_assert_int_eq(check_state(c), STATE_CRITICAL);
	ck_assert_str_eq(line(out, 0), "MX CRITICAL - the one that matters");
	ck_assert_str_eq(line(out, 1), "[CRITICAL] the one that matters");
	ck_assert_str_eq(line(out, 2), "[OK] host 0 fine");
	ck_assert_int_eq(count_lines(out), 1 + LIMIT_FINDINGS + 1);
	ck_assert_str_eq(line(out, 1 + LIMIT_FINDINGS), "(101 more findings not shown, limit 512)");
	free(out);
	check_free(c);
}
END_TEST

START_TEST(test_verbose_levels)
{
	struct check *c = check_new("MX");
	char *out;

	check_verbose(c, 1, "v1");
	check_verbose(c, 3, "v3");
	out = render(c, NULL);
	ck_assert_str_eq(out, "MX OK\n");
	free(out);
	check_set_verbosity(c, 3);
	out = render(c, NULL);
	ck_assert_str_eq(out, "MX OK\nv1\nv3\n");
	free(out);
	check_free(c);
	check_free(NULL);
}
END_TEST

/* One perfdata item as Icinga 2's PerfdataValue::Parse takes it: a label
 * (quoted if it holds a space), '=', a plain number, a known unit, then up
 * to four ';'-separated fields that are empty or plain numbers. */
static bool icinga2_parses(const char *item)
{
	static const char *const units[] = {"",   "s",  "ms", "us", "%", "B",
					    "KB", "MB", "GB", "TB", "c"};
	const char *p = item;
	const char *eq;
	char *end;
	int fields = 0;
	bool unit_ok = false;

	if (*p == '\'') {
		p = strchr(p + 1, '\'');
		if (p == NULL || p[1] != '=') {
			return false;
		}
		eq = p + 1;
	} else {
		eq = strchr(p, '=');
		if (eq == NULL || eq == p || memchr(p, ' ', (size_t)(eq - p)) != NULL) {
			return false;
		}
	}
	p = eq + 1;
	if (!(*p == '-' || (*p >= '0' && *p <= '9'))) {
		return false;
	}
	strtod(p, &end);
	if (end == p) {
		return false;
	}
	p = end;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		size_t n = strcspn(p, ";");

		if (strlen(units[i]) == n && strncmp(p, units[i], n) == 0) {
			unit_ok = true;
			p += n;
			break;
		}
	}
	if (!unit_ok) {
		return false;
	}
	while (*p == ';') {
		p++;
		fields++;
		if (*p != ';' && *p != '\0') {
			strtod(p, &end);
			if (end == p || strchr(p, ':') != NULL || *p == '@' || *p == '~') {
				return false;
			}
			p = end;
		}
	}
	return *p == '\0' && fields <= 4;
}

START_TEST(test_perfdata)
{
	struct check *c = check_new("SPF");
	struct range w, cr, in, low, high, two, all;
	const char *why;
	char *out;
	char *perf;
	char *save = NULL;
	int items = 0;

	ck_assert(range_parse("8", &w, &why));
	ck_assert(range_parse("10", &cr, &why));
	ck_assert(range_parse("@10:20", &in, &why));
	ck_assert(range_parse("2048:", &low, &why));
	ck_assert(range_parse("~:30", &high, &why));
	ck_assert(range_parse("10:20", &two, &why));
	ck_assert(range_parse("~:", &all, &why));
	check_add(c, STATE_OK, "fine");
	check_perf(c, "lookups", 12, NULL, &w, &cr, 0, 10);
	check_perf(c, "time", 0.004, "s", NULL, NULL, 0, NAN);
	check_perf(c, "dns queries", 3, "", NULL, NULL, NAN, NAN);
	check_perf(c, "it's=odd|x", 1.5, "ms", &in, NULL, NAN, NAN);
	check_perf(c, "", -0.0, "", NULL, &cr, NAN, 4096);
	check_perf(c, "bits", 1024, "", &low, &high, 0, NAN);
	check_perf(c, "two", 5, "", &two, &all, NAN, NAN);
	check_perf(c, "big", 12345678901234567890.0, "B", NULL, NULL, NAN, NAN);
	check_perf(c, "nan", NAN, "", NULL, NULL, NAN, NAN); /* left out */
	check_perf(c, "inf", INFINITY, "", NULL, NULL, NAN, NAN);
	check_perf(c, "uom", 1, "s;1|2", NULL, NULL, NAN, NAN); /* unknown unit left out */
	check_perf(c, "pct", 99.5, "%", NULL, NULL, 0, 100);
	out = render(c, NULL);
	ck_assert_str_eq(line(out, 0),
			 "SPF OK - fine | lookups=12;8;10;0;10 time=0.004s;;;0 'dns queries'=3 "
			 "itsodd_x=1.5ms _=0;;10;;4096 bits=1024;;30;0 two=5 "
			 "big=12345678901234567168B uom=1 pct=99.5%;;;0;100");
	/* every item as Icinga 2 reads it */
	perf = strstr(out, " | ") + 3;
	*strchr(perf, '\n') = '\0';
	for (char *tok = strtok_r(perf, " ", &save); tok != NULL;
	     tok = strtok_r(NULL, " ", &save)) {
		if (tok[0] == '\'' && strchr(tok + 1, '\'') == NULL) {
			/* a quoted label with a space: join with the next token */
			char *next = strtok_r(NULL, " ", &save);

			ck_assert_ptr_nonnull(next);
			next[-1] = ' ';
		}
		ck_assert_msg(icinga2_parses(tok), "Icinga 2 would not parse '%s'", tok);
		items++;
	}
	ck_assert_int_eq(items, 10);
	ck_assert(!icinga2_parses("procs=1;1:;1:;0;"));
	ck_assert(!icinga2_parses("x=1,5;;"));
	ck_assert(!icinga2_parses("x=U"));
	free(out);
	check_free(c);
}
END_TEST

/* implied: a count whose thresholds are lower bounds (check_mx -c 1:)
 * keeps them in range syntax, as check_procs does; Icinga 2.13 reads the
 * item (those fields empty), Nagios graphers the ranges. */
START_TEST(test_perf_ranges)
{
	struct check *c = check_new("MX");
	struct range w, cr, in;
	const char *why;
	char *out;

	ck_assert(range_parse("2:", &w, &why));
	ck_assert(range_parse("1:", &cr, &why));
	ck_assert(range_parse("@3:4", &in, &why));
	check_add(c, STATE_OK, "fine");
	check_perf_ranges(c, "mx", 1, "", &w, &cr, 0, NAN);
	check_perf_ranges(c, "in", 1, "", NULL, &in, 0, NAN);
	check_perf_ranges(c, "none", 1, "", NULL, NULL, 0, NAN);
	check_perf(c, "plain", 1, "", &w, &cr, 0, NAN); /* unchanged: left empty */
	out = render(c, NULL);
	ck_assert_str_eq(line(out, 0),
			 "MX OK - fine | mx=1;2:;1:;0 in=1;;@3:4;0 none=1;;;0 plain=1;;;0");
	free(out);
	check_free(c);
}
END_TEST

START_TEST(test_perfdata_german_locale)
{
	/* perfdata always has a '.' decimal point, under de_DE too */
	struct check *c = check_new("MX");
	const char *loc = setlocale(LC_ALL, "de_DE.UTF-8");
	char probe[16];
	char *out;

	if (loc == NULL) {
		loc = setlocale(LC_ALL, "de_DE.utf8");
	}
	/* Without the locale (localedef -i de_DE -f UTF-8 de_DE.UTF-8) this
	 * still checks the C-locale output. */
	if (loc != NULL) {
		snprintf(probe, sizeof(probe), "%.1f", 1.5);
		ck_assert_str_eq(probe, "1,5"); /* the locale really has a comma */
	}
	check_perf(c, "time", 1.25, "s", NULL, NULL, 0, 10.5);
	out = render(c, NULL);
	ck_assert_str_eq(out, "MX OK | time=1.25s;;;0;10.5\n");
	free(out);
	check_free(c);
	setlocale(LC_ALL, "C");
}
END_TEST

START_TEST(test_zone_txt_strings)
{
	char *s;
	char data[600];

	s = zone_txt_strings("v=spf1 mx ~all", 14);
	ck_assert_str_eq(s, "\"v=spf1 mx ~all\"");
	free(s);
	s = zone_txt_strings("", 0);
	ck_assert_str_eq(s, "\"\"");
	free(s);
	/* '"' and '\' escaped, other bytes outside 0x20-0x7e as \DDD */
	s = zone_txt_strings("a\"b\\c\0\n\xff~ ", 10);
	ck_assert_str_eq(s, "\"a\\\"b\\\\c\\000\\010\\255~ \"");
	free(s);

	/* 255 bytes: one string; 256: two; 510: two; 511: three */
	memset(data, 'x', sizeof(data));
	s = zone_txt_strings(data, 255);
	ck_assert_uint_eq(strlen(s), 257);
	free(s);
	s = zone_txt_strings(data, 256);
	ck_assert_uint_eq(strlen(s), 257 + 1 + 3);
	ck_assert(strcmp(s + 257, " \"x\"") == 0);
	free(s);
	s = zone_txt_strings(data, 510);
	ck_assert_uint_eq(strlen(s), 257 * 2 + 1);
	ck_assert(s[257] == ' ' && s[258] == '"');
	free(s);
	s = zone_txt_strings(data, 511);
	ck_assert_uint_eq(strlen(s), 257 * 2 + 1 + 4);
	free(s);

	/* the split counts raw bytes, not escaped ones: 255 quotes */
	memset(data, '"', 256);
	s = zone_txt_strings(data, 256);
	ck_assert_uint_eq(strlen(s), 2 + 255 * 2 + 1 + 2 + 2);
	free(s);
}
END_TEST

/* Review finding 3: per-host SMTP labels of long MX names collided when
 * labels were cut at 64 bytes, and the cut took the suffix. */
START_TEST(test_perf_label_long_host)
{
	struct check *c = check_new("MX");
	const char *a = "example-com.mail.protection.outlook.com.eu-west-1.example.net";
	char lab[600];
	char host[300];
	char *out;
	char *perf;

	snprintf(lab, sizeof(lab), "%s1_connect", a);
	check_perf(c, lab, 0.1, "s", NULL, NULL, 0, NAN);
	snprintf(lab, sizeof(lab), "%s2_connect", a);
	check_perf(c, lab, 0.2, "s", NULL, NULL, 0, NAN);
	/* a 253-byte host name: the label (263 bytes) must be cut, but in
	 * the middle, so "_cert_days" survives */
	memset(host, 'h', 253);
	for (int i = 63; i < 253; i += 64) {
		host[i] = '.';
	}
	host[253] = '\0';
	snprintf(lab, sizeof(lab), "%s_cert_days", host);
	check_perf(c, lab, 30, "", NULL, NULL, NAN, NAN);
	out = render(c, NULL);
	perf = strstr(out, " | ");
	ck_assert_ptr_nonnull(perf);
	ck_assert_msg(strstr(perf, " "
				   "example-com.mail.protection.outlook.com.eu-west-1."
				   "example.net1_connect=0.1s;;;0") != NULL,
		      "%s", perf);
	ck_assert_msg(strstr(perf, "example.net2_connect=0.2s;;;0") != NULL, "%s", perf);
	{
		const char *cd = strstr(perf, "_cert_days=30");
		const char *start;

		ck_assert_msg(cd != NULL, "%s", perf);
		start = cd;
		while (start[-1] != ' ') {
			start--;
		}
		ck_assert_uint_eq((size_t)(cd - start) + strlen("_cert_days"), 255);
	}
	free(out);
	check_free(c);
}
END_TEST

/* Review finding 8: a '|' in TXT data becomes \124 in a fix: line, which
 * the renderer leaves alone, not "\x7c" (a zone file reads "x7c"). */
START_TEST(test_zone_txt_pipe)
{
	struct check *c = check_new("SPF");
	char *s = zone_txt_strings("a|b", 3);
	char *out;

	ck_assert_str_eq(s, "\"a\\124b\"");
	check_fix(c, "example.com. IN TXT %s", s);
	free(s);
	out = render(c, NULL);
	ck_assert_str_eq(line(out, 1), "fix: example.com. IN TXT \"a\\124b\"");
	free(out);
	check_free(c);
}
END_TEST

Suite *unit_suite(void)
{
	Suite *s = suite_create("output");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_out_bytes_escapes, 0, sizeof(esc) / sizeof(esc[0]));
	tcase_add_test(tc, test_out_bytes_cut);
	tcase_add_test(tc, test_bidi_escaped);
	tcase_add_test(tc, test_bidi_cut);
	tcase_add_test(tc, test_o01_first_line_hostile);
	tcase_add_test(tc, test_o01_property_random_bytes);
	tcase_add_test(tc, test_format_string_not_interpreted);
	tcase_add_test(tc, test_ordering_and_state);
	tcase_add_test(tc, test_unknown_below_warning);
	tcase_add_test(tc, test_summary_rules);
	tcase_add_test(tc, test_first_line_cap);
	tcase_add_test(tc, test_long_text_kept_bounded);
	tcase_add_test(tc, test_findings_limit);
	tcase_add_test(tc, test_verbose_levels);
	tcase_add_test(tc, test_perfdata);
	tcase_add_test(tc, test_perfdata_german_locale);
	tcase_add_test(tc, test_perf_ranges);
	tcase_add_test(tc, test_zone_txt_strings);
	tcase_add_test(tc, test_perf_label_long_host);
	tcase_add_test(tc, test_zone_txt_pipe);
	suite_add_tcase(s, tc);
	return s;
}
