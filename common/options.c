/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The shared command line (doc/output-contract.md 1), parsed with
 * getopt_long in one place. Nothing is printed while parsing: the reason
 * goes back in err and plugin_start() prints it.
 */
#include "options.h"

#include <arpa/inet.h>
#include <idn2.h>
#include <netdb.h>
#include <sys/socket.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bounds.h"
#include "numparse.h"
#include "text.h"

/* Long-only shared options, below OPT_PLUGIN_BASE. */
enum {
	OPT_TCP = 0x100,
	OPT_DNSSEC,
	OPT_DNS_ERROR_STATE,
	OPT_ALL_NS,
	OPT_ALLOW_INTERNAL,
	OPT_PARKED,
	OPT_TRUST_ANCHOR,
	OPT_RRSIG_WARNING,
	OPT_RRSIG_CRITICAL,
};

#define TIMEOUT_DEFAULT 10.0
#define TIMEOUT_MAX     3600.0
#define VERBOSE_MAX     10

static const char shared_short[] = "D:H:s:p:t:46w:c:vhV";

static const struct option shared_long[] = {
	{"domain", required_argument, NULL, 'D'},
	{"hostname", required_argument, NULL, 'H'},
	{"server", required_argument, NULL, 's'},
	{"port", required_argument, NULL, 'p'},
	{"timeout", required_argument, NULL, 't'},
	{"use-ipv4", no_argument, NULL, '4'},
	{"use-ipv6", no_argument, NULL, '6'},
	{"tcp", no_argument, NULL, OPT_TCP},
	{"dnssec", no_argument, NULL, OPT_DNSSEC},
	{"trust-anchor", required_argument, NULL, OPT_TRUST_ANCHOR},
	{"rrsig-warning", required_argument, NULL, OPT_RRSIG_WARNING},
	{"rrsig-critical", required_argument, NULL, OPT_RRSIG_CRITICAL},
	{"dns-error-state", required_argument, NULL, OPT_DNS_ERROR_STATE},
	{"all-ns", no_argument, NULL, OPT_ALL_NS},
	{"allow-internal", no_argument, NULL, OPT_ALLOW_INTERNAL},
	{"parked", no_argument, NULL, OPT_PARKED},
	{"warning", required_argument, NULL, 'w'},
	{"critical", required_argument, NULL, 'c'},
	{"verbose", no_argument, NULL, 'v'},
	{"help", no_argument, NULL, 'h'},
	{"version", no_argument, NULL, 'V'},
};

#define N_SHARED_LONG (sizeof(shared_long) / sizeof(shared_long[0]))

/* "reason - value", the value escaped like any output (it may hold
 * control bytes or non-UTF-8 from a careless caller). */
static enum opts_result error(char *err, size_t errlen, const char *reason, const char *value)
{
	char esc[256];

	if (err == NULL || errlen == 0) {
		return OPTS_ERROR;
	}
	if (value == NULL) {
		snprintf(err, errlen, "%s", reason);
	} else {
		out_bytes(esc, sizeof(esc), value, strlen(value));
		snprintf(err, errlen, "%s - %s", reason, esc);
	}
	return OPTS_ERROR;
}

/* RFC 3492 6.1 bias adaptation. */
static unsigned long puny_adapt(unsigned long delta, unsigned long numpoints, bool first)
{
	unsigned long k = 0;

	delta = first ? delta / 700 : delta / 2;
	delta += delta / numpoints;
	while (delta > ((36 - 1) * 26) / 2) {
		delta /= 36 - 1;
		k += 36;
	}
	return k + (36 * delta) / (delta + 38);
}

/*
 * True if the len bytes after "xn--" are Punycode (RFC 3492 6.2) that
 * decodes to at least one non-ASCII code point, none of them a surrogate
 * or above U+10FFFF: an A-label could stand for a U-label (RFC 5890
 * 2.3.2.1). Only the decoder's checks, no IDNA2008 mapping tables.
 */
static bool punycode_ok(const char *p, size_t len)
{
	const unsigned long maxint = 0x7fffffffUL;
	unsigned long n = 128;
	unsigned long i = 0;
	unsigned long bias = 72;
	unsigned long out = 0;
	size_t b = 0;
	size_t in;
	bool nonascii = false;

	for (size_t j = 0; j < len; j++) {
		if (p[j] == '-') {
			b = j;
		}
	}
	out = b;
	in = b > 0 ? b + 1 : 0;
	while (in < len) {
		unsigned long oldi = i;
		unsigned long w = 1;

		for (unsigned long k = 36;; k += 36) {
			unsigned long digit;
			unsigned long t;
			char ch;

			if (in >= len) {
				return false;
			}
			ch = p[in++];
			if (ch >= '0' && ch <= '9') {
				digit = (unsigned long)(ch - '0') + 26;
			} else if (ch >= 'a' && ch <= 'z') {
				digit = (unsigned long)(ch - 'a');
			} else if (ch >= 'A' && ch <= 'Z') {
				digit = (unsigned long)(ch - 'A');
			} else {
				return false;
			}
			if (digit > (maxint - i) / w) {
				return false;
			}
			i += digit * w;
			t = k <= bias ? 1 : k >= bias + 26 ? 26 : k - bias;
			if (digit < t) {
				break;
			}
			if (w > maxint / (36 - t)) {
				return false;
			}
			w *= 36 - t;
		}
		out++;
		bias = puny_adapt(i - oldi, out, oldi == 0);
		if (i / out > maxint - n) {
			return false;
		}
		n += i / out;
		i %= out;
		if (n > 0x10ffff || (n >= 0xd800 && n <= 0xdfff)) {
			return false;
		}
		nonascii = true;
		i++;
	}
	return nonascii;
}

const char *options_host_name(const char *arg, unsigned flags, struct dname *out, char *buf,
			      size_t buflen)
{
	char *ascii = NULL;
	const char *name = arg;
	const char *why = NULL;
	bool ok;
	size_t nl;

	for (const char *p = arg; *p != '\0'; p++) {
		if ((unsigned char)*p >= 0x80) {
			/* the bytes are UTF-8 whatever LC_CTYPE says (an
			 * engine's config is; a C locale must not refuse it) */
			int rc = idn2_to_ascii_8z(arg, &ascii,
						  IDN2_NONTRANSITIONAL | IDN2_NFC_INPUT);

			if (rc != IDN2_OK) {
				snprintf(buf, buflen, "IDN: %s", idn2_strerror(rc));
				return buf;
			}
			name = ascii;
			break;
		}
	}
	ok = dname_from_text(out, name, strlen(name), flags, &why);
	idn2_free(ascii); /* every path below uses out only */
	if (!ok) {
		return why != NULL ? why : "not a host name";
	}
	nl = dname_labels(out);
	for (size_t i = 0; i < nl; i++) {
		size_t len = 0;
		const char *l = (const char *)dname_label(out, i, &len);

		if (len >= 4 && strncasecmp(l, "xn--", 4) == 0 && !punycode_ok(l + 4, len - 4)) {
			return "invalid A-label";
		}
		/* RFC 952, RFC 1123 2.1: no hyphen at either end of a label. */
		if (l[0] == '-' || l[len - 1] == '-') {
			return "label starts or ends with '-'";
		}
	}
	dname_lower(out, out);
	return NULL;
}

/* "b\xc3\xbccher.example (xn--bcher-kva.example)" when the name has an
 * A-label libidn2 can show as a U-label, else the name as it is. */
static void shown_name(char *buf, size_t len, const char *text)
{
	char *u = NULL;
	bool alabel = strncmp(text, "xn--", 4) == 0 || strstr(text, ".xn--") != NULL;

	if (alabel && idn2_to_unicode_8z8z(text, &u, 0) == IDN2_OK && u != NULL &&
	    strcmp(u, text) != 0) {
		snprintf(buf, len, "%s (%s)", u, text);
	} else {
		snprintf(buf, len, "%s", text);
	}
	idn2_free(u);
}

/* -D/-H: a host name of at least two labels; an IDN
 * in U-labels is converted to A-labels. */
static enum opts_result domain_arg(struct common_opts *co, const char *arg, char *err,
				   size_t errlen)
{
	char reason[160];
	char why[128];
	const char *bad;
	size_t nl;

	bad = options_host_name(arg, DNAME_HOSTNAME | DNAME_MULTILABEL, &co->domain, why,
				sizeof(why));
	if (bad != NULL) {
		snprintf(reason, sizeof(reason), "invalid domain: %s", bad);
		return error(err, errlen, reason, arg);
	}
	nl = dname_labels(&co->domain);
	/* RFC 3696 2: a top-level domain is never all-numeric, so
	 * "192.0.2.1" is an IP address given by mistake, not a mail domain
	 * (else check_mx would advise "192.0.2.1. IN MX 10 mail.192.0.2.1."). */
	if (nl > 0) {
		size_t len = 0;
		const uint8_t *tld = dname_label(&co->domain, nl - 1, &len);
		size_t digits = 0;

		while (digits < len && tld[digits] >= '0' && tld[digits] <= '9') {
			digits++;
		}
		if (len > 0 && digits == len) {
			return error(err, errlen, "invalid domain: an IP address, not a domain",
				     arg);
		}
	}
	/* Canonical: lower case (options_host_name()), no trailing dot, in
	 * every line that names it; the U-labels only in the subject. */
	dname_to_text(&co->domain, co->domain_text, sizeof(co->domain_text));
	shown_name(co->domain_shown, sizeof(co->domain_shown), co->domain_text);
	co->domain_arg = arg;
	co->have_domain = true;
	return OPTS_OK;
}

/* -t SEC[:STATE]: SEC in (0, 3600], STATE any case. */
static enum opts_result timeout_arg(struct common_opts *co, const char *arg, bool *state_given,
				    char *err, size_t errlen)
{
	char buf[64];
	char *colon;
	double sec;
	const char *why;

	if (strlen(arg) >= sizeof(buf)) {
		return error(err, errlen, "invalid timeout", arg);
	}
	snprintf(buf, sizeof(buf), "%s", arg);
	colon = strchr(buf, ':');
	if (colon != NULL) {
		*colon = '\0';
		if (!state_parse(colon + 1, &co->timeout_state)) {
			return error(err, errlen, "invalid timeout state", arg);
		}
		*state_given = true;
	}
	if (!parse_double(buf, 0, TIMEOUT_MAX, &sec, &why) || sec <= 0) {
		return error(err, errlen, "invalid timeout (0 < SEC <= 3600)", arg);
	}
	co->timeout = sec;
	return OPTS_OK;
}

/* -s NAME: a host name (one label will do: "localhost"), no IP-ish
 * trailing label, no hyphen at either end of a label. */
static bool server_name_ok(const char *arg)
{
	struct dname d;
	size_t nl;

	if (!dname_from_text(&d, arg, strlen(arg), DNAME_HOSTNAME, NULL)) {
		return false;
	}
	nl = dname_labels(&d);
	for (size_t i = 0; i < nl; i++) {
		size_t len = 0;
		const char *l = (const char *)dname_label(&d, i, &len);

		if (len == 0 || l[0] == '-' || l[len - 1] == '-') {
			return false;
		}
		/* all digits in the last label: a mistyped address ("256.0.0.1") */
		if (i == nl - 1 && strspn(l, "0123456789") >= len) {
			return false;
		}
	}
	return nl > 0;
}

static enum opts_result range_arg(struct range *r, const char *what, const char *arg, char *err,
				  size_t errlen)
{
	char reason[128];
	const char *why = NULL;

	if (!range_parse(arg, r, &why)) {
		snprintf(reason, sizeof(reason), "invalid %s range: %s", what, why);
		return error(err, errlen, reason, arg);
	}
	return OPTS_OK;
}

/* -w/-c: a range (range_parse() drops a trailing '%', as upstream
 * does); for a plugin that counts shares (plugin_info.percent_thresholds)
 * the '%' says the range is a percentage, remembered. */
static enum opts_result threshold_arg(const struct plugin_info *pi, struct common_opts *co, int opt,
				      const char *arg, char *err, size_t errlen)
{
	size_t n = strlen(arg);

	*(opt == 'w' ? &co->warn_pct : &co->crit_pct) =
		pi != NULL && pi->percent_thresholds && n > 0 && arg[n - 1] == '%';
	return range_arg(opt == 'w' ? &co->warn : &co->crit, opt == 'w' ? "warning" : "critical",
			 arg, err, errlen);
}

/*
 * The long option getopt just complained about, as typed ("--server",
 * "--tcp=yes"), or NULL if the complaint was about a short option. glibc
 * sets optopt to the option's value for a known long option (0 for an
 * unknown one) and has stepped past it, so argv[optind - 1] is it, unless
 * the complaint was about a short option inside a cluster.
 */
static const char *long_typed(int argc, char **argv, const struct option *longopts)
{
	const char *last = (optind > 0 && optind <= argc) ? argv[optind - 1] : NULL;
	size_t n;

	if (last == NULL || strncmp(last, "--", 2) != 0) {
		return NULL;
	}
	if (optopt == 0) {
		return last;
	}
	n = strcspn(last + 2, "=");
	for (const struct option *o = longopts; o->name != NULL; o++) {
		if (o->val == optopt && strncmp(o->name, last + 2, n) == 0) {
			return last;
		}
	}
	return NULL;
}

/* "-e" or "--smtp" for an option value. */
static const char *opt_name(char *buf, size_t len, int opt, const struct option *longopts)
{
	if (opt > 0 && opt < 0x100) {
		snprintf(buf, len, "-%c", opt);
		return buf;
	}
	for (const struct option *o = longopts; o->name != NULL; o++) {
		if (o->val == opt) {
			snprintf(buf, len, "--%s", o->name);
			return buf;
		}
	}
	return "?";
}

/* The option named in a getopt complaint. */
static const char *option_text(char *buf, size_t len, int argc, char **argv,
			       const struct option *longopts)
{
	const char *typed = long_typed(argc, argv, longopts);

	return typed != NULL ? typed : opt_name(buf, len, optopt, longopts);
}

/* Everything that is not shared goes to the plugin's handler. */
static enum opts_result plugin_arg(const struct plugin_info *pi, int opt,
				   const struct option *longopts, char *err, size_t errlen)
{
	const char *reason;
	char name[64];

	if (pi == NULL || pi->handle == NULL) {
		return error(err, errlen, "unknown option",
			     opt_name(name, sizeof(name), opt, longopts));
	}
	reason = pi->handle(pi->ctx, opt, optarg);
	if (reason != NULL) {
		return error(err, errlen, reason, optarg);
	}
	return OPTS_OK;
}

/* What the shared options saw beyond the values they set. */
struct seen_opts {
	bool v4, v6;
	bool timeout_state;   /* -t SEC:STATE */
	bool dns_error_state; /* --dns-error-state */
};

static enum opts_result shared_arg(const struct plugin_info *pi, int opt, struct common_opts *co,
				   struct seen_opts *seen, char *err, size_t errlen)
{
	long port;
	const char *why;
	unsigned char addr[16];

	switch (opt) {
	case 'D':
	case 'H':
		return domain_arg(co, optarg, err, errlen);
	case 's':
		/* an address, or a host name resolved once after parsing
		 * (options_resolve_servers(), -4/-6 known by then) */
		if (inet_pton(AF_INET, optarg, addr) != 1 &&
		    inet_pton(AF_INET6, optarg, addr) != 1 && !server_name_ok(optarg)) {
			return error(err, errlen, "invalid server address or host name", optarg);
		}
		if (co->rcfg.nservers >= LIMIT_SERVERS) {
			return error(err, errlen, "too many servers (at most 8)", optarg);
		}
		co->rcfg.servers[co->rcfg.nservers++] = optarg;
		return OPTS_OK;
	case 'p':
		if (!parse_long(optarg, 1, 65535, &port, &why)) {
			return error(err, errlen, "invalid port (1-65535)", optarg);
		}
		co->rcfg.port = (uint16_t)port;
		return OPTS_OK;
	case 't':
		return timeout_arg(co, optarg, &seen->timeout_state, err, errlen);
	case '4':
	case '6':
		*(opt == '4' ? &seen->v4 : &seen->v6) = true;
		if (seen->v4 && seen->v6) {
			return error(err, errlen, "-4 and -6 exclude each other",
				     opt == '4' ? "-4" : "-6");
		}
		co->rcfg.family = opt == '4' ? 4 : 6;
		return OPTS_OK;
	case OPT_TCP:
		co->rcfg.tcp_only = true;
		return OPTS_OK;
	case OPT_DNSSEC:
		co->rcfg.dnssec = true;
		return OPTS_OK;
	case OPT_TRUST_ANCHOR:
		co->rcfg.trust_anchor = optarg;
		return OPTS_OK;
	case OPT_RRSIG_WARNING:
	case OPT_RRSIG_CRITICAL: {
		long days;

		if (!parse_long(optarg, 0, 3650, &days, &why)) {
			return error(err, errlen, "invalid number of days (0-3650)", optarg);
		}
		*(opt == OPT_RRSIG_WARNING ? &co->rrsig_warn_days : &co->rrsig_crit_days) =
			(unsigned)days;
		return OPTS_OK;
	}
	case OPT_DNS_ERROR_STATE:
		if (!state_parse(optarg, &co->dns_error_state)) {
			return error(err, errlen, "invalid state for --dns-error-state", optarg);
		}
		seen->dns_error_state = true;
		return OPTS_OK;
	case OPT_ALL_NS:
		co->all_ns = true;
		return OPTS_OK;
	case OPT_ALLOW_INTERNAL:
		co->allow_internal = true;
		return OPTS_OK;
	case OPT_PARKED:
		co->parked = true;
		return OPTS_OK;
	case 'w':
	case 'c':
		if (pi != NULL && pi->no_thresholds) {
			return error(err, errlen, "-w and -c do not apply to this plugin",
				     opt == 'w' ? "-w" : "-c");
		}
		return threshold_arg(pi, co, opt, optarg, err, errlen);
	case 'v':
		if (co->verbose < VERBOSE_MAX) {
			co->verbose++;
		}
		co->rcfg.verbose = co->verbose;
		return OPTS_OK;
	case 'h':
		return OPTS_HELP;
	case 'V':
		return OPTS_VERSION;
	default:
		return OPTS_ERROR;
	}
}

static bool is_shared(int opt)
{
	return opt == OPT_TCP || opt == OPT_DNSSEC || opt == OPT_TRUST_ANCHOR ||
	       opt == OPT_RRSIG_WARNING || opt == OPT_RRSIG_CRITICAL ||
	       opt == OPT_DNS_ERROR_STATE || opt == OPT_ALL_NS || opt == OPT_ALLOW_INTERNAL ||
	       opt == OPT_PARKED ||
	       (opt > 0 && opt < 0x100 && strchr(shared_short, opt) != NULL && opt != ':');
}

enum opts_result options_parse(int argc, char **argv, const struct plugin_info *pi,
			       struct common_opts *co, char *err, size_t errlen)
{
	const char *pshort = (pi != NULL && pi->short_opts != NULL) ? pi->short_opts : "";
	size_t nplong = 0;
	struct option *longopts = NULL;
	char *shortopts = NULL;
	enum opts_result res = OPTS_OK;
	struct seen_opts seen = {0};
	char name[64];
	int opt;

	memset(co, 0, sizeof(*co));
	co->timeout = TIMEOUT_DEFAULT;
	co->rrsig_warn_days = 7;
	co->rrsig_crit_days = 2;
	co->timeout_state = STATE_CRITICAL;
	co->dns_error_state = STATE_CRITICAL;
	if (err != NULL && errlen > 0) {
		err[0] = '\0';
	}

	if (pi != NULL && pi->long_opts != NULL) {
		while (pi->long_opts[nplong].name != NULL) {
			nplong++;
		}
	}
	/* ':' first: getopt reports a missing argument as ':' and prints
	 * nothing itself (opterr = 0 below as well). */
	shortopts = malloc(1 + sizeof(shared_short) + strlen(pshort));
	longopts = calloc(N_SHARED_LONG + nplong + 1, sizeof(*longopts));
	if (shortopts == NULL || longopts == NULL) {
		res = error(err, errlen, "out of memory", NULL);
		goto out;
	}
	shortopts[0] = ':';
	memcpy(shortopts + 1, shared_short, sizeof(shared_short));
	strcat(shortopts, pshort);
	memcpy(longopts, shared_long, sizeof(shared_long));
	if (nplong > 0) {
		memcpy(longopts + N_SHARED_LONG, pi->long_opts, nplong * sizeof(*longopts));
	}

	opterr = 0;
	optind = 0; /* glibc: start afresh, so parsing can run again (tests) */
	while ((opt = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		if (opt == ':') {
			res = error(err, errlen, "option requires an argument",
				    option_text(name, sizeof(name), argc, argv, longopts));
		} else if (opt == '?' && optopt != 0 && long_typed(argc, argv, longopts) != NULL) {
			/* a known long option given "=value" it does not take */
			res = error(err, errlen, "option takes no argument", argv[optind - 1]);
		} else if (opt == '?') {
			res = error(err, errlen, "unknown option",
				    option_text(name, sizeof(name), argc, argv, longopts));
		} else if (is_shared(opt)) {
			res = shared_arg(pi, opt, co, &seen, err, errlen);
		} else {
			res = plugin_arg(pi, opt, longopts, err, errlen);
		}
		if (res != OPTS_OK) {
			goto out;
		}
	}
	if (optind < argc) {
		res = error(err, errlen, "unexpected argument", argv[optind]);
		goto out;
	}
	/* -t SEC:STATE also stands for a DNS answer that did not come in
	 * time (the nrpe and Monitoring Plugins habit, -t 10:UNKNOWN);
	 * --dns-error-state, wherever it stands, says otherwise. */
	if (seen.timeout_state && !seen.dns_error_state) {
		co->dns_error_state = co->timeout_state;
	}
	if (!co->have_domain && (pi == NULL || !pi->domain_optional)) {
		res = error(err, errlen, "no domain given (-D)", NULL);
		goto out;
	}
out:
	free(shortopts);
	free(longopts);
	return res;
}

/* Is text (a numeric address) already among the first n servers? */
static bool server_listed(const struct resolver_config *rc, size_t n, const char *text)
{
	for (size_t i = 0; i < n; i++) {
		if (strcmp(rc->servers[i], text) == 0) {
			return true;
		}
	}
	return false;
}

bool options_resolve_servers(struct common_opts *co, char *err, size_t errlen)
{
	struct resolver_config *rc = &co->rcfg;
	const char *given[LIMIT_SERVERS];
	size_t ngiven = rc->nservers < LIMIT_SERVERS ? rc->nservers : LIMIT_SERVERS;
	size_t n = 0;
	size_t used = 0; /* slots of co->server_addr taken */

	memcpy(given, rc->servers, ngiven * sizeof(given[0]));
	for (size_t i = 0; i < ngiven; i++) {
		unsigned char bin[16];
		struct addrinfo hints;
		struct addrinfo *ai = NULL;
		size_t found = 0;
		int rv;

		if (inet_pton(AF_INET, given[i], bin) == 1 ||
		    inet_pton(AF_INET6, given[i], bin) == 1) {
			if (n < LIMIT_SERVERS) {
				rc->servers[n++] = given[i];
			}
			continue;
		}
		memset(&hints, 0, sizeof(hints));
		hints.ai_family = rc->family == 4   ? AF_INET
				  : rc->family == 6 ? AF_INET6
						    : AF_UNSPEC;
		hints.ai_socktype = SOCK_DGRAM;
		rv = getaddrinfo(given[i], NULL, &hints, &ai);
		if (rv != 0) {
			char reason[160];

			snprintf(reason, sizeof(reason), "cannot resolve DNS server (-s): %s",
				 gai_strerror(rv));
			error(err, errlen, reason, given[i]);
			return false;
		}
		for (const struct addrinfo *a = ai; a != NULL; a = a->ai_next) {
			char *slot;

			if (a->ai_family != AF_INET && a->ai_family != AF_INET6) {
				continue;
			}
			found++;
			if (n >= LIMIT_SERVERS || used >= LIMIT_SERVERS) {
				continue;
			}
			slot = co->server_addr[used];
			if (getnameinfo(a->ai_addr, a->ai_addrlen, slot, OPTS_ADDR_MAX, NULL, 0,
					NI_NUMERICHOST) != 0 ||
			    server_listed(rc, n, slot)) {
				continue;
			}
			used++;
			rc->servers[n++] = slot;
		}
		freeaddrinfo(ai);
		if (found == 0) {
			char reason[96];

			snprintf(reason, sizeof(reason), "DNS server (-s) has no %s address",
				 rc->family == 4   ? "IPv4"
				 : rc->family == 6 ? "IPv6"
						   : "IP");
			error(err, errlen, reason, given[i]);
			return false;
		}
	}
	rc->nservers = n;
	return true;
}

/* No '|' anywhere: a monitoring engine reads what follows one as
 * perfdata, also on the UNKNOWN line of a mistyped option (O-01). */
void options_print_usage(const struct plugin_info *pi, FILE *out)
{
	fprintf(out,
		"Usage: %s %s [-s SERVER]... [-p PORT] [-t SEC[:STATE]] [-4] [-6] [--tcp] "
		"[--dnssec] [--trust-anchor=FILE] [--rrsig-warning=DAYS] [--rrsig-critical=DAYS] "
		"[--dns-error-state=STATE] [--all-ns] "
		"[--allow-internal]%s "
		"[-v]...%s%s\n",
		pi->progname, pi->domain_optional ? "[-D DOMAIN]" : "-D DOMAIN",
		pi->no_thresholds ? "" : " [-w RANGE] [-c RANGE]",
		(pi->usage != NULL && pi->usage[0] != '\0') ? " " : "",
		pi->usage != NULL ? pi->usage : "");
}

void options_print_version(const struct plugin_info *pi, FILE *out)
{
	fprintf(out, "%s v%s (%s %s)\n", pi->progname, PACKAGE_VERSION, PACKAGE_NAME,
		PACKAGE_VERSION);
}

/* A block of text, with a newline at the end if it lacks one. */
static void put_block(const char *s, FILE *out)
{
	size_t n;

	if (s == NULL || s[0] == '\0') {
		return;
	}
	n = strlen(s);
	fputs(s, out);
	if (s[n - 1] != '\n') {
		fputc('\n', out);
	}
}

static const char ranges_help[] =
	"Ranges use the Monitoring Plugins syntax, endpoints inclusive: 10 (0 to 10),\n"
	"10: (10 or more), ~:10 (10 or less), 10:20, @10:20 (alert inside 10 to 20).\n";

void options_print_help(const struct plugin_info *pi, FILE *out)
{
	options_print_version(pi, out);
	fputc('\n', out);
	put_block(pi->blurb, out);
	fputc('\n', out);
	options_print_usage(pi, out);
	fputs("\nOptions:\n"
	      " -h, --help\n"
	      "    Print detailed help screen\n"
	      " -V, --version\n"
	      "    Print version information\n",
	      out);
	fprintf(out,
		" -D, --domain=DOMAIN\n"
		"    The mail domain to check%s; -H, --hostname is an alias. Shown in\n"
		"    lower case without a trailing dot. An international name may be given\n"
		"    in U-labels (UTF-8, whatever the locale): converted to A-labels as\n"
		"    mail software does (IDNA2008, UTS #46 non-transitional), and shown\n"
		"    once in both forms, the U-labels first\n",
		pi->domain_optional ? "" : " (required)");
	fprintf(out,
		" -s, --server=SERVER\n"
		"    DNS server to ask: an IPv4 or IPv6 address, or a host name resolved once\n"
		"    with the system resolver (/etc/hosts, NSS) to its addresses of the -4/-6\n"
		"    family (repeatable, at most %d servers in all, the addresses of a name\n"
		"    counted each); an unresolvable name is UNKNOWN. Default: the\n"
		"    nameservers in /etc/resolv.conf. Servers are asked in turn; one\n"
		"    that answers REFUSED, SERVFAIL or NOTIMP is left for the next\n"
		" -p, --port=PORT\n"
		"    Port of the DNS servers (default: 53)\n"
		" -t, --timeout=SEC[:STATE]\n"
		"    Seconds before the plugin gives up (default: %.0f, at most %.0f) and the\n"
		"    state it then returns (default: CRITICAL); each DNS query's timeout is\n"
		"    taken from what is left, so a silent server is reported as a DNS error\n"
		"    first. A STATE given here is also the default of --dns-error-state\n",
		LIMIT_SERVERS, TIMEOUT_DEFAULT, TIMEOUT_MAX);
	fputs(" -4, --use-ipv4\n"
	      "    Query over IPv4 only\n"
	      " -6, --use-ipv6\n"
	      "    Query over IPv6 only\n"
	      " --tcp\n"
	      "    Query over TCP only\n"
	      " --dnssec\n"
	      "    Validate DNSSEC here, trusting no resolver's AD bit: the DNSKEY, DS and\n"
	      "    RRSIG records from the trust anchor down to every answer are fetched\n"
	      "    with the DO and CD bits through the same servers and checked\n"
	      "    (algorithms 8, 10, 13, 14, 15; NSEC, NSEC3 with opt-out). Each answer\n"
	      "    is secure; insecure, a proven unsigned delegation (CRITICAL 'zone X is\n"
	      "    not signed', naming the zone cut; algorithms or digests not supported\n"
	      "    count as unsigned, RFC 6840 5.2); or bogus (CRITICAL with the reason:\n"
	      "    expired or not yet valid signature, no signature, no matching key, DS\n"
	      "    digest mismatch, a wildcard answer without the NSEC/NSEC3 proof that\n"
	      "    the name asked does not exist). Insecure and bogus are CRITICAL whatever\n"
	      "    --dns-error-state or -t SEC:STATE say\n"
	      " --trust-anchor=FILE\n"
	      "    The trust anchor of --dnssec and --dane: DS or DNSKEY records of one\n"
	      "    zone in zone-file form (default: /usr/share/dns/root.key, Debian's\n"
	      "    dns-root-data). Missing, empty, unparsable or for a zone not above\n"
	      "    the names checked is UNKNOWN\n"
	      " --rrsig-warning=DAYS\n"
	      "    With --dnssec: WARNING when a signature the check relied on expires\n"
	      "    in under DAYS days (default: 7); perfdata rrsig_days is the fewest days\n"
	      " --rrsig-critical=DAYS\n"
	      "    As --rrsig-warning, CRITICAL (default: 2)\n"
	      " --dns-error-state=STATE\n"
	      "    State when a DNS answer cannot be had (timeout, SERVFAIL, REFUSED,\n"
	      "    malformed reply): this STATE, else the STATE of -t SEC:STATE, else\n"
	      "    CRITICAL. Not for an insecure or bogus answer (--dnssec, --dane):\n"
	      "    CRITICAL\n"
	      " --all-ns\n"
	      "    Also ask every authoritative server of the zones that hold the records\n"
	      "    the check used (at most 16 addresses per zone, port -p, no recursion)\n"
	      "    and report any that serves another answer (WARNING; CRITICAL when that\n"
	      "    answer would fail the check), does not answer, refuses or is lame;\n"
	      "    -v shows each server's SOA serial\n"
	      " --allow-internal\n"
	      "    Also contact addresses that are loopback, unspecified, private (RFC 1918),\n"
	      "    shared (CGNAT), link-local, unique local, multicast or reserved: the\n"
	      "    authoritative servers of --all-ns and, in check_mx, the MX hosts of\n"
	      "    --smtp/--starttls/--dane. Without it such an address is reported as\n"
	      "    not contacted (WARNING), so a hostile zone cannot make the check talk\n"
	      "    to the monitoring host's own services\n"
	      " --parked\n"
	      "    The domain sends and receives no mail: OK when its records say so (a\n"
	      "    null MX, SPF v=spf1 -all, DMARC p=reject, no DKIM key or a revoked one);\n"
	      "    whatever would let it receive or send mail is the finding\n",
	      out);
	if (!pi->no_thresholds) {
		fputs(" -w, --warning=RANGE\n"
		      "    Warning threshold (what it applies to: see below)\n"
		      " -c, --critical=RANGE\n"
		      "    Critical threshold\n",
		      out);
	}
	fputs(" -v, --verbose\n"
	      "    Show more detail; -vvv traces every DNS query on stderr\n",
	      out);
	put_block(pi->options_help, out);
	fputc('\n', out);
	if (!pi->no_thresholds) {
		fputs(ranges_help, out);
	}
	fputs("States: OK, WARNING, CRITICAL, UNKNOWN or 0-3, in any case.\n", out);
	fprintf(out,
		"\nLimits (all plugins):\n"
		" at most %d DNS servers (-s), %d CNAMEs followed from one name,\n"
		" %d queries per run (unless the notes below say more), %d records\n"
		" inspected per answer, %d strings per TXT record; a status line of at\n"
		" most %d bytes before perfdata, %d long-output lines of %d bytes\n",
		LIMIT_SERVERS, LIMIT_CNAME_HOPS, LIMIT_QUERIES, LIMIT_RRS_PER_ANSWER,
		LIMIT_TXT_STRINGS, LIMIT_STATUS_TEXT, LIMIT_FINDINGS, LIMIT_LINE_TEXT);
	if (pi->notes != NULL && pi->notes[0] != '\0') {
		fputs("\nNotes:\n", out);
		put_block(pi->notes, out);
	}
}
