/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Bounded number parsing (HACKING.md 6: a strtonum-style helper for
 * every numeric argument, never atoi). The whole string must be the
 * number: no leading blanks, no trailing bytes.
 */
#include "numparse.h"

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static bool fail(const char **why, const char *text)
{
	if (why != NULL) {
		*why = text;
	}
	return false;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

bool parse_long(const char *s, long min, long max, long *out, const char **why)
{
	char *end = NULL;
	long v;

	/* strtol skips blanks and takes "0x"-less hex never (base 10), but
	 * a leading blank or an empty string must not pass as a number. */
	if (s == NULL || !(is_digit(s[0]) || ((s[0] == '-' || s[0] == '+') && is_digit(s[1])))) {
		return fail(why, "not a number");
	}
	errno = 0;
	v = strtol(s, &end, 10);
	if (end == s || *end != '\0') {
		return fail(why, "not a number");
	}
	if (errno == ERANGE) {
		return fail(why, v < 0 ? "too small" : "too large");
	}
	if (v < min) {
		return fail(why, "too small");
	}
	if (v > max) {
		return fail(why, "too large");
	}
	*out = v;
	return true;
}

bool parse_ulong_buf(const char *s, size_t len, unsigned long max, unsigned long *out,
		     const char **why)
{
	unsigned long v = 0;

	/* DNS text: digits only, no sign, no blanks, no NUL terminator. */
	if (s == NULL || len == 0) {
		return fail(why, "not a number");
	}
	for (size_t i = 0; i < len; i++) {
		unsigned d;

		if (!is_digit(s[i])) {
			return fail(why, "not a number");
		}
		d = (unsigned)(s[i] - '0');
		/* Keep scanning after an overflow so that "99x" is still
		 * reported as not a number rather than too large. */
		if (d > max || v > (max - d) / 10) {
			for (size_t j = i + 1; j < len; j++) {
				if (!is_digit(s[j])) {
					return fail(why, "not a number");
				}
			}
			return fail(why, "too large");
		}
		v = v * 10 + d;
	}
	*out = v;
	return true;
}

/* A plain decimal: sign, digits, one point, exponent. Rules out what
 * strtod would also take: blanks, "inf", "nan", hexadecimal. */
static bool decimal_syntax(const char *s)
{
	size_t i = 0;
	size_t digits = 0;

	if (s[i] == '-' || s[i] == '+') {
		i++;
	}
	while (is_digit(s[i])) {
		i++;
		digits++;
	}
	if (s[i] == '.') {
		i++;
		while (is_digit(s[i])) {
			i++;
			digits++;
		}
	}
	if (digits == 0) {
		return false;
	}
	if (s[i] == 'e' || s[i] == 'E') {
		size_t exp_digits = 0;

		i++;
		if (s[i] == '-' || s[i] == '+') {
			i++;
		}
		while (is_digit(s[i])) {
			i++;
			exp_digits++;
		}
		if (exp_digits == 0) {
			return false;
		}
	}
	return s[i] == '\0';
}

bool parse_double(const char *s, double min, double max, double *out, const char **why)
{
	char *end = NULL;
	double v;
	locale_t c_locale;
	locale_t old;

	if (s == NULL || !decimal_syntax(s)) {
		return fail(why, "not a number");
	}
	/* The decimal point is '.', whatever LC_NUMERIC the caller set. */
	c_locale = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
	if (c_locale == (locale_t)0) {
		return fail(why, "not a number");
	}
	old = uselocale(c_locale);
	errno = 0;
	v = strtod(s, &end);
	uselocale(old);
	freelocale(c_locale);
	if (end == s || *end != '\0') {
		return fail(why, "not a number");
	}
	if (errno == ERANGE && (v == HUGE_VAL || v == -HUGE_VAL)) {
		return fail(why, v < 0 ? "too small" : "too large");
	}
	if (!isfinite(v)) {
		return fail(why, "not a number");
	}
	if (v < min) {
		return fail(why, "too small");
	}
	if (v > max) {
		return fail(why, "too large");
	}
	*out = v;
	return true;
}
