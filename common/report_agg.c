/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The DMARC aggregate report reader (common/report_agg.h): libxml2's
 * xmlTextReader over memory, element by element, keeping only the fields
 * the plugin needs. The reader never substitutes entities, loads no DTD
 * and touches no network (no XML_PARSE_NOENT, DTDLOAD, DTDATTR, HUGE;
 * XML_PARSE_NONET); a report has no use for a DOCTYPE or an entity, so
 * either makes it bad before anything could be expanded.
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/xmlreader.h>

#include "report_agg.h"
#include "text.h"

/* Where the reader is: the local names of the open elements. */
struct agg_state {
	struct agg_report *r;
	char names[LIMIT_REPORT_DEPTH][24];
	int depth;
	int base;  /* 1 inside an xs:schema wrapper, a quirk of real senders */
	bool done; /* </feedback> read: what follows is no report's (a
		      sender leaves its schema wrapper unclosed) */
	char text[LIMIT_REPORT_TEXT * 2];
	size_t textlen;
	size_t cap;     /* rows allocated */
	bool in_record; /* a row is open */
	bool have_ip, have_count;
	struct agg_row dk; /* the auth_results dkim being read */
	bool have_range[2];
	bool have_id, have_policy;
	char email[LIMIT_REPORT_TEXT]; /* stands for an empty org_name */
};

const char *agg_result_str(enum agg_result r)
{
	switch (r) {
	case AGG_PASS:
		return "pass";
	case AGG_FAIL:
		return "fail";
	case AGG_OTHER:
		return "other";
	default:
		return "absent";
	}
}

static void fail(struct agg_state *s, const char *fmt, ...) PRINTF_LIKE(2, 3);
static void fail(struct agg_state *s, const char *fmt, ...)
{
	va_list ap;

	if (s->r->error[0] != '\0') {
		return;
	}
	va_start(ap, fmt);
	vsnprintf(s->r->error, sizeof(s->r->error), fmt, ap);
	va_end(ap);
}

/* The text with the white space around it removed. */
static const char *trimmed(struct agg_state *s, size_t *len)
{
	const char *p = s->text;
	size_t n = s->textlen;

	while (n > 0 && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')) {
		p++;
		n--;
	}
	while (n > 0 &&
	       (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r' || p[n - 1] == '\n')) {
		n--;
	}
	*len = n;
	return p;
}

static void keep(struct agg_state *s, char *dst, size_t cap)
{
	size_t n;
	const char *p = trimmed(s, &n);

	if (n >= cap) {
		n = cap - 1;
	}
	memcpy(dst, p, n);
	dst[n] = '\0';
}

/* Senders write Pass, PASS, pass: the RFC's enumerations are lower case,
 * but nothing is gained by refusing a report for the case of a word. */
static enum agg_result result_of(struct agg_state *s)
{
	size_t n;
	const char *p = trimmed(s, &n);

	if (n == 4 && strncasecmp(p, "pass", 4) == 0) {
		return AGG_PASS;
	}
	if (n == 4 && strncasecmp(p, "fail", 4) == 0) {
		return AGG_FAIL;
	}
	return n == 0 ? AGG_ABSENT : AGG_OTHER;
}

/* A decimal count or time without sign, at most max: false otherwise. */
static bool number_of(struct agg_state *s, uint64_t max, uint64_t *out)
{
	size_t n;
	const char *p = trimmed(s, &n);
	uint64_t v = 0;

	if (n == 0 || n > 20) {
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9') {
			return false;
		}
		if (v > (max - (uint64_t)(p[i] - '0')) / 10) {
			return false;
		}
		v = v * 10 + (uint64_t)(p[i] - '0');
	}
	*out = v;
	return true;
}

static bool at(const struct agg_state *s, int depth, const char *const *path)
{
	if (s->depth - s->base != depth) {
		return false;
	}
	for (int i = 0; i < depth; i++) {
		if (strcmp(s->names[s->base + i], path[i]) != 0) {
			return false;
		}
	}
	return true;
}

#define AT(...)                                                                                    \
	at(s, (int)(sizeof((const char *[]){__VA_ARGS__}) / sizeof(const char *)),                 \
	   (const char *[]){__VA_ARGS__})

static void open_record(struct agg_state *s)
{
	struct agg_report *r = s->r;

	if (r->nrows >= LIMIT_REPORT_ROWS) {
		char lim[16];

		out_setf(lim, sizeof(lim), "%d", LIMIT_REPORT_ROWS);
		fail(s, "more than %s records", lim);
		return;
	}
	if (r->nrows == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		struct agg_row *v = realloc(r->rows, cap * sizeof(*v));

		if (v == NULL) {
			fail(s, "%s", "out of memory");
			return;
		}
		r->rows = v;
		s->cap = cap;
	}
	memset(&r->rows[r->nrows], 0, sizeof(r->rows[0]));
	s->in_record = true;
	s->have_ip = s->have_count = false;
}

static void close_record(struct agg_state *s)
{
	struct agg_report *r = s->r;
	struct agg_row *row = &r->rows[r->nrows];
	char num[24];
	unsigned char addr[16];

	s->in_record = false;
	out_setf(num, sizeof(num), "%zu", r->nrows + 1);
	if (!s->have_ip) {
		fail(s, "record %s has no source_ip", num);
		return;
	}
	if (inet_pton(AF_INET, row->ip, addr) != 1 && inet_pton(AF_INET6, row->ip, addr) != 1) {
		char shown[80];

		out_bytes(shown, sizeof(shown), row->ip, strlen(row->ip));
		fail(s, "source_ip %s is not an address", shown);
		return;
	}
	if (!s->have_count) {
		fail(s, "record %s has no count", num);
		return;
	}
	r->messages += row->count;
	r->nrows++;
}

static void element_end(struct agg_state *s)
{
	struct agg_report *r = s->r;
	struct agg_row *row = s->in_record ? &r->rows[r->nrows] : NULL;
	uint64_t v;

	if (AT("feedback")) {
		s->done = true;
	} else if (AT("feedback", "report_metadata", "org_name")) {
		keep(s, r->org, sizeof(r->org));
	} else if (AT("feedback", "report_metadata", "email")) {
		keep(s, s->email, sizeof(s->email));
	} else if (AT("feedback", "report_metadata", "report_id")) {
		keep(s, r->report_id, sizeof(r->report_id));
		s->have_id = r->report_id[0] != '\0';
	} else if (AT("feedback", "report_metadata", "date_range", "begin") ||
		   AT("feedback", "report_metadata", "date_range", "end")) {
		bool end = strcmp(s->names[s->base + 3], "end") == 0;

		/* a time past 2^40 s (year 36812) is no date */
		if (!number_of(s, 1ULL << 40, &v)) {
			fail(s, "date_range %s is not a time", end ? "end" : "begin");
			return;
		}
		*(end ? &r->end : &r->begin) = v;
		s->have_range[end] = true;
	} else if (AT("feedback", "policy_published", "domain")) {
		keep(s, r->domain, sizeof(r->domain));
		s->have_policy = r->domain[0] != '\0';
	} else if (AT("feedback", "record")) {
		if (row != NULL) {
			close_record(s);
		}
	} else if (row == NULL) {
		return;
	} else if (AT("feedback", "record", "row", "source_ip")) {
		keep(s, row->ip, sizeof(row->ip));
		s->have_ip = row->ip[0] != '\0';
	} else if (AT("feedback", "record", "row", "count")) {
		if (!number_of(s, LIMIT_REPORT_COUNT, &v)) {
			char shown[48];
			size_t n;
			const char *p = trimmed(s, &n);

			out_bytes(shown, sizeof(shown), p, n);
			fail(s, "count %s out of range", shown);
			return;
		}
		row->count = v;
		s->have_count = true;
	} else if (AT("feedback", "record", "row", "policy_evaluated", "dkim")) {
		row->pe_dkim = result_of(s);
	} else if (AT("feedback", "record", "row", "policy_evaluated", "spf")) {
		row->pe_spf = result_of(s);
	} else if (AT("feedback", "record", "identifiers", "header_from")) {
		keep(s, row->header_from, sizeof(row->header_from));
	} else if (AT("feedback", "record", "auth_results", "dkim", "domain")) {
		keep(s, s->dk.dkim_domain, sizeof(s->dk.dkim_domain));
	} else if (AT("feedback", "record", "auth_results", "dkim", "selector")) {
		keep(s, s->dk.selector, sizeof(s->dk.selector));
	} else if (AT("feedback", "record", "auth_results", "dkim", "result")) {
		s->dk.dkim = result_of(s);
	} else if (AT("feedback", "record", "auth_results", "dkim")) {
		/* the first passing signature explains a pass, the first one
		 * a failure */
		if (row->dkim == AGG_ABSENT || (row->dkim != AGG_PASS && s->dk.dkim == AGG_PASS)) {
			row->dkim = s->dk.dkim == AGG_ABSENT ? AGG_OTHER : s->dk.dkim;
			memcpy(row->dkim_domain, s->dk.dkim_domain, sizeof(row->dkim_domain));
			memcpy(row->selector, s->dk.selector, sizeof(row->selector));
		}
		memset(&s->dk, 0, sizeof(s->dk));
	} else if (AT("feedback", "record", "auth_results", "spf", "domain")) {
		if (row->spf == AGG_ABSENT) {
			keep(s, row->spf_domain, sizeof(row->spf_domain));
		}
	} else if (AT("feedback", "record", "auth_results", "spf", "result")) {
		if (row->spf == AGG_ABSENT) {
			row->spf = result_of(s);
		}
	}
}

static void element_start(struct agg_state *s, xmlTextReaderPtr rd)
{
	const char *name = (const char *)xmlTextReaderConstLocalName(rd);

	if (name == NULL) {
		fail(s, "%s", "out of memory");
		return;
	}
	/* a sender wraps the report in the XML Schema's root element */
	if (s->depth == 0 && strcmp(name, "schema") == 0) {
		s->base = 1;
	} else if (s->depth == s->base && strcmp(name, "feedback") != 0) {
		char shown[48];

		out_bytes(shown, sizeof(shown), name, strlen(name));
		fail(s, "root element is %s, not feedback", shown);
		return;
	}
	if (s->depth >= LIMIT_REPORT_DEPTH) {
		char lim[16];

		out_setf(lim, sizeof(lim), "%d", LIMIT_REPORT_DEPTH);
		fail(s, "elements nested deeper than %s", lim);
		return;
	}
	/* a name longer than any of the format's is kept cut: it matches
	 * nothing */
	out_setf(s->names[s->depth], sizeof(s->names[0]), "%s", name);
	s->depth++;
	s->textlen = 0;
	if (AT("feedback", "record")) {
		open_record(s);
	} else if (AT("feedback", "record", "auth_results", "dkim")) {
		memset(&s->dk, 0, sizeof(s->dk));
	}
}

static void text_add(struct agg_state *s, xmlTextReaderPtr rd)
{
	const char *v = (const char *)xmlTextReaderConstValue(rd);
	size_t n = v != NULL ? strlen(v) : 0, room = sizeof(s->text) - s->textlen;

	if (v == NULL) {
		return;
	}
	if (n > room) {
		n = room;
	}
	memcpy(s->text + s->textlen, v, n);
	s->textlen += n;
}

/* The reader's own message is a parser diagnostic; only the line is
 * kept (the message may quote the input). */
static void xml_error(void *arg, const char *msg, xmlParserSeverities severity,
		      xmlTextReaderLocatorPtr loc)
{
	struct agg_state *s = arg;
	char line[24];

	if (s->done) {
		return;
	}
	if (msg != NULL && strstr(msg, "ntit") != NULL) {
		/* libxml2's amplification guard, or an undeclared entity */
		fail(s, "an entity the XML parser refused (entities are never expanded)");
		return;
	}
	if (severity != XML_PARSER_SEVERITY_ERROR &&
	    severity != XML_PARSER_SEVERITY_VALIDITY_ERROR) {
		return;
	}
	out_setf(line, sizeof(line), "%d", xmlTextReaderLocatorLineNumber(loc));
	fail(s, "not well-formed XML (line %s)", line);
}

static void walk(struct agg_state *s, xmlTextReaderPtr rd)
{
	int ret;

	while (s->r->error[0] == '\0' && (ret = xmlTextReaderRead(rd)) == 1) {
		switch (xmlTextReaderNodeType(rd)) {
		case XML_READER_TYPE_ELEMENT: {
			bool empty = xmlTextReaderIsEmptyElement(rd) == 1;

			element_start(s, rd);
			if (empty && s->r->error[0] == '\0') {
				element_end(s);
				s->depth--;
			}
			break;
		}
		case XML_READER_TYPE_END_ELEMENT:
			if (s->depth > 0) {
				element_end(s);
				s->depth--;
			}
			s->textlen = 0;
			break;
		case XML_READER_TYPE_TEXT:
		case XML_READER_TYPE_CDATA:
		case XML_READER_TYPE_SIGNIFICANT_WHITESPACE:
		case XML_READER_TYPE_WHITESPACE:
			text_add(s, rd);
			break;
		case XML_READER_TYPE_DOCUMENT_TYPE:
			fail(s, "%s",
			     "a DOCTYPE (no report has one; DTDs and entities are never read)");
			break;
		case XML_READER_TYPE_ENTITY_REFERENCE:
		case XML_READER_TYPE_ENTITY:
			fail(s, "%s", "an entity reference (entities are never expanded)");
			break;
		default:
			break;
		}
	}
	if (s->r->error[0] == '\0' && ret != 0 && !s->done) {
		fail(s, "%s", "not well-formed XML");
	}
}

/* What a usable report must have once read. */
static void complete(struct agg_state *s)
{
	if (s->r->error[0] != '\0') {
		return;
	}
	/* real senders leave org_name empty: their email names them */
	if (s->r->org[0] == '\0') {
		memcpy(s->r->org, s->email, sizeof(s->r->org));
	}
	if (!s->have_id) {
		fail(s, "%s", "no report_metadata report_id");
	} else if (!s->have_range[0] || !s->have_range[1]) {
		fail(s, "%s", "no report_metadata date_range");
	} else if (!s->have_policy) {
		fail(s, "%s", "no policy_published domain");
	}
}

struct agg_report *agg_report_parse(const void *data, size_t len)
{
	/* see the top of the file */
	const int opts = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING;
	struct agg_report *r = calloc(1, sizeof(*r));
	struct agg_state s = {.r = r};
	xmlTextReaderPtr rd;

	if (r == NULL) {
		return NULL;
	}
	if (len == 0 || len > LIMIT_REPORT_XML_BYTES) {
		out_setf(r->error, sizeof(r->error), "%s",
			 len == 0 ? "empty" : "over the size limit");
		return r;
	}
	rd = xmlReaderForMemory(data, (int)len, NULL, NULL, opts);
	if (rd == NULL) {
		out_setf(r->error, sizeof(r->error), "%s", "not XML");
		return r;
	}
	xmlTextReaderSetErrorHandler(rd, xml_error, &s);
	walk(&s, rd);
	xmlFreeTextReader(rd);
	complete(&s);
	return r;
}

void agg_report_free(struct agg_report *r)
{
	if (r == NULL) {
		return;
	}
	free(r->rows);
	free(r);
}
