/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Unwrapping of report files (common/report_unwrap.h). libarchive reads
 * gzip and zip from memory, GMime 3 mail messages; our code only sniffs
 * the first bytes, bounds what is read and picks the part.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>

#include <archive.h>
#include <archive_entry.h>
#include <gmime/gmime.h>

#include "report_bounds.h"
#include "report_unwrap.h"
#include "text.h"

enum sniffed {
	SNIFF_XML,
	SNIFF_JSON,
	SNIFF_GZIP,
	SNIFF_ZIP,
	SNIFF_MAIL,
	SNIFF_UTF16,
	SNIFF_UNKNOWN
};

void report_unwrap_init(void)
{
	g_mime_init();
}

void report_unwrap_shutdown(void)
{
	g_mime_shutdown();
}

/* The one buffer of what is decompressed or decoded: reserved, not
 * resident until written; a byte more than the cap shows it was passed. */
#define BIG_CAP ((size_t)LIMIT_REPORT_XML_BYTES + 1)

static unsigned char *big_new(void)
{
	void *p = mmap(NULL, BIG_CAP, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

static void big_free(unsigned char *p)
{
	if (p != NULL) {
		munmap(p, BIG_CAP);
	}
}

void report_blob_free(struct report_blob *b)
{
	big_free(b->owned);
	b->owned = NULL;
	b->data = NULL;
}

/* A header line "Name:" (RFC 5322 2.2: printable ASCII but ':'). */
static bool header_line(const unsigned char *p, size_t len)
{
	size_t i = 0;

	while (i < len && i < 80 && p[i] > 32 && p[i] < 127 && p[i] != ':') {
		i++;
	}
	return i > 0 && i < len && p[i] == ':';
}

static enum sniffed sniff(const unsigned char *p, size_t len)
{
	size_t i = 0;

	if (len >= 2 && p[0] == 0x1f && p[1] == 0x8b) {
		return SNIFF_GZIP;
	}
	if (len >= 4 && memcmp(p, "PK\x03\x04", 4) == 0) {
		return SNIFF_ZIP;
	}
	if (len >= 2 && ((p[0] == 0xff && p[1] == 0xfe) || (p[0] == 0xfe && p[1] == 0xff))) {
		return SNIFF_UTF16;
	}
	if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0) {
		i = 3;
	}
	while (i < len && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n')) {
		i++;
	}
	if (i < len && p[i] == '<') {
		return SNIFF_XML;
	}
	if (i < len && p[i] == '{') {
		return SNIFF_JSON;
	}
	return header_line(p, len) ? SNIFF_MAIL : SNIFF_UNKNOWN;
}

/* Append to how (already escaped pieces). */
static void how_add(struct report_blob *out, const char *what, const char *name)
{
	size_t n = strlen(out->how);
	char shown[96] = "";

	if (name != NULL && name[0] != '\0') {
		out_bytes(shown, sizeof(shown), name, strlen(name));
	}
	out_setf(out->how + n, sizeof(out->how) - n, "%s%s%s%s", n ? ", " : "", what,
		 shown[0] ? " " : "", shown);
}

/* The data of the current entry, at most LIMIT_REPORT_XML_BYTES, into
 * out->owned. */
static bool read_entry(struct archive *a, struct report_blob *out, const char *name, char *why,
		       size_t whylen)
{
	unsigned char *buf = big_new();
	size_t len = 0;
	char shown[96];

	out_bytes(shown, sizeof(shown), name, strlen(name));
	if (buf == NULL) {
		out_setf(why, whylen, "out of memory");
		return false;
	}
	for (;;) {
		la_ssize_t n = archive_read_data(a, buf + len, BIG_CAP - len);

		if (n == 0) {
			break;
		}
		if (n < 0) {
			const char *e = archive_error_string(a);
			char err[96];

			out_bytes(err, sizeof(err), e ? e : "", e ? strlen(e) : 0);
			out_setf(why, whylen, "%s: cannot be decompressed (%s)", shown, err);
			big_free(buf);
			return false;
		}
		len += (size_t)n;
		if (len > LIMIT_REPORT_XML_BYTES) {
			/* the bomb stops at the cap */
			out_setf(why, whylen, "%s: over %u bytes decompressed", shown,
				 LIMIT_REPORT_XML_BYTES);
			big_free(buf);
			return false;
		}
	}
	out->owned = buf;
	out->data = buf;
	out->len = len;
	return true;
}

static bool name_is_report(const char *name)
{
	size_t n = strlen(name);

	return (n >= 4 && strcasecmp(name + n - 4, ".xml") == 0) ||
	       (n >= 5 && strcasecmp(name + n - 5, ".json") == 0);
}

/* gzip (the raw format: one stream) or zip: the first member that is a
 * regular file named .xml or .json, else the first regular file, among
 * the first LIMIT_REPORT_MEMBERS. */
static bool unarchive(const unsigned char *data, size_t len, bool zip, struct report_blob *out,
		      char *why, size_t whylen)
{
	struct archive *a = archive_read_new();
	struct archive_entry *e;
	bool ok = false, found = false;
	int members = 0;
	char first[256] = "";

	if (a == NULL) {
		out_setf(why, whylen, "out of memory");
		return false;
	}
	if (zip) {
		archive_read_support_format_zip(a);
	} else {
		archive_read_support_filter_gzip(a);
		archive_read_support_format_raw(a);
	}
	if (archive_read_open_memory(a, data, len) != ARCHIVE_OK) {
		out_setf(why, whylen, "%s cannot be opened", zip ? "zip archive" : "gzip data");
		goto out;
	}
	/* zip: pick by name, reading only the headers */
	while (members < LIMIT_REPORT_MEMBERS) {
		int rc = archive_read_next_header(a, &e);
		const char *name;

		if (rc == ARCHIVE_EOF) {
			break;
		}
		if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN) {
			out_setf(why, whylen, "%s is damaged", zip ? "zip archive" : "gzip data");
			goto out;
		}
		members++;
		name = archive_entry_pathname(e);
		if (name == NULL) {
			name = "";
		}
		if (zip && archive_entry_filetype(e) != AE_IFREG) {
			continue;
		}
		if (!zip || name_is_report(name)) {
			found = true;
			how_add(out, zip ? "zip member" : "gzip", zip ? name : NULL);
			ok = read_entry(a, out, name, why, whylen);
			break;
		}
		if (first[0] == '\0') {
			out_setf(first, sizeof(first), "%s", name);
		}
	}
	if (!found) {
		if (first[0] != '\0') {
			char shown[96];

			out_bytes(shown, sizeof(shown), first, strlen(first));
			out_setf(why, whylen,
				 "no .xml or .json member in the zip archive (first: %s)", shown);
		} else {
			out_setf(why, whylen, "no report in the first %d members of the %s",
				 LIMIT_REPORT_MEMBERS, zip ? "zip archive" : "gzip data");
		}
	}
out:
	archive_read_free(a);
	return ok;
}

/* A part that can carry a report: by its media type or its file name. */
static bool part_is_report(GMimePart *part)
{
	static const char *const types[] = {
		"application/gzip",  "application/x-gzip",           "application/zip",
		"application/x-zip", "application/x-zip-compressed", "application/xml",
		"text/xml",          "application/tlsrpt+gzip",      "application/tlsrpt+json",
		"application/json",
	};
	GMimeContentType *ct = g_mime_object_get_content_type(GMIME_OBJECT(part));
	const char *fn = g_mime_part_get_filename(part);
	size_t n = fn != NULL ? strlen(fn) : 0;

	if (ct != NULL) {
		char *mt = g_mime_content_type_get_mime_type(ct);
		bool hit = false;

		for (size_t i = 0; mt != NULL && i < sizeof(types) / sizeof(types[0]); i++) {
			hit = hit || strcasecmp(mt, types[i]) == 0;
		}
		g_free(mt);
		if (hit) {
			return true;
		}
	}
	return (n >= 3 && strcasecmp(fn + n - 3, ".gz") == 0) ||
	       (n >= 4 && strcasecmp(fn + n - 4, ".zip") == 0) ||
	       (n >= 4 && strcasecmp(fn + n - 4, ".xml") == 0) ||
	       (n >= 5 && strcasecmp(fn + n - 5, ".json") == 0);
}

struct mime_walk {
	int parts;
	bool limited;
	GMimePart *found;
};

/* Depth-first, the first part that carries a report; R-07: at most
 * LIMIT_REPORT_MIME_PARTS parts and LIMIT_REPORT_MIME_DEPTH levels. */
static void mime_find(GMimeObject *o, int depth, struct mime_walk *w)
{
	if (o == NULL || w->found != NULL) {
		return;
	}
	if (depth > LIMIT_REPORT_MIME_DEPTH || ++w->parts > LIMIT_REPORT_MIME_PARTS) {
		w->limited = true;
		return;
	}
	if (GMIME_IS_MULTIPART(o)) {
		GMimeMultipart *m = GMIME_MULTIPART(o);
		int n = g_mime_multipart_get_count(m);

		for (int i = 0; i < n && w->found == NULL && !w->limited; i++) {
			mime_find(g_mime_multipart_get_part(m, i), depth + 1, w);
		}
	} else if (GMIME_IS_MESSAGE_PART(o)) {
		GMimeMessage *msg = g_mime_message_part_get_message(GMIME_MESSAGE_PART(o));

		if (msg != NULL) {
			mime_find(g_mime_message_get_mime_part(msg), depth + 1, w);
		}
	} else if (GMIME_IS_PART(o) && part_is_report(GMIME_PART(o))) {
		w->found = GMIME_PART(o);
	}
}

/* The decoded content of the part (transfer encoding undone), read
 * through GMime's decoding filter into a new big buffer, at most
 * LIMIT_REPORT_XML_BYTES. NULL when empty, over or out of memory. */
static unsigned char *part_bytes(GMimePart *part, size_t *len)
{
	GMimeDataWrapper *w = g_mime_part_get_content(part);
	GMimeStream *raw, *fs;
	GMimeFilter *f;
	unsigned char *buf;
	size_t got = 0;

	if (w == NULL || (raw = g_mime_data_wrapper_get_stream(w)) == NULL ||
	    (buf = big_new()) == NULL) {
		return NULL;
	}
	g_mime_stream_reset(raw);
	fs = g_mime_stream_filter_new(raw);
	f = g_mime_filter_basic_new(g_mime_data_wrapper_get_encoding(w), FALSE);
	if (f != NULL) {
		g_mime_stream_filter_add(GMIME_STREAM_FILTER(fs), f);
		g_object_unref(f);
	}
	for (;;) {
		ssize_t n = g_mime_stream_read(fs, (char *)buf + got, BIG_CAP - got);

		if (n <= 0) {
			break;
		}
		got += (size_t)n;
		if (got > LIMIT_REPORT_XML_BYTES) {
			break;
		}
	}
	g_object_unref(fs);
	if (got == 0 || got > LIMIT_REPORT_XML_BYTES) {
		big_free(buf);
		return NULL;
	}
	*len = got;
	return buf;
}

/* Plain XML or JSON: the blob points into data (no copy). */
static bool plain(const unsigned char *data, size_t len, enum sniffed kind, struct report_blob *out,
		  char *why, size_t whylen)
{
	if (len > LIMIT_REPORT_XML_BYTES) {
		out_setf(why, whylen, "over %u bytes", LIMIT_REPORT_XML_BYTES);
		return false;
	}
	out->data = data;
	out->len = len;
	out->format = kind == SNIFF_JSON ? REPORT_JSON : REPORT_XML;
	return true;
}

/* The report in data, which is not a mail (inside=true: already
 * unwrapped once, so no archive may follow). */
static bool unwrap_data(const unsigned char *data, size_t len, bool inside, struct report_blob *out,
			char *why, size_t whylen)
{
	enum sniffed kind = sniff(data, len);

	switch (kind) {
	case SNIFF_XML:
	case SNIFF_JSON:
		return plain(data, len, kind, out, why, whylen);
	case SNIFF_GZIP:
	case SNIFF_ZIP: {
		enum sniffed inner;

		if (!unarchive(data, len, kind == SNIFF_ZIP, out, why, whylen)) {
			return false;
		}
		inner = sniff(out->data, out->len);
		if (inner == SNIFF_XML || inner == SNIFF_JSON) {
			out->format = inner == SNIFF_JSON ? REPORT_JSON : REPORT_XML;
			return true;
		}
		/* nested archives are not opened */
		out_setf(why, whylen, "%s",
			 inner == SNIFF_GZIP || inner == SNIFF_ZIP
				 ? "an archive inside the archive (not opened)"
				 : "the archive holds neither XML nor JSON");
		report_blob_free(out);
		return false;
	}
	case SNIFF_UTF16:
		out_setf(why, whylen, "UTF-16 text (reports are UTF-8)");
		return false;
	default:
		out_setf(why, whylen, "%s",
			 inside ? "the part holds no XML, JSON, gzip or zip"
				: "neither XML, JSON, gzip, zip nor a mail message");
		return false;
	}
}

static bool unwrap_mail(const unsigned char *data, size_t len, struct report_blob *out, char *why,
			size_t whylen)
{
	GMimeStream *st = g_mime_stream_mem_new_with_buffer((const char *)data, len);
	GMimeParser *ps = g_mime_parser_new_with_stream(st);
	GMimeMessage *msg = g_mime_parser_construct_message(ps, NULL);
	struct mime_walk w = {0};
	unsigned char *part = NULL;
	size_t plen = 0;
	bool ok = false;

	if (msg == NULL) {
		out_setf(why, whylen, "not a mail message");
		goto out;
	}
	mime_find(g_mime_message_get_mime_part(msg), 0, &w);
	if (w.found == NULL) {
		if (w.limited) {
			out_setf(why, whylen,
				 "no report in the first %d MIME parts (at most %d levels deep)",
				 LIMIT_REPORT_MIME_PARTS, LIMIT_REPORT_MIME_DEPTH);
		} else {
			out_setf(why, whylen, "no report attached to the message");
		}
		goto out;
	}
	how_add(out, "mail part", g_mime_part_get_filename(w.found));
	part = part_bytes(w.found, &plen);
	if (part == NULL) {
		out_setf(why, whylen,
			 "the report part is empty, over %u bytes or cannot be decoded",
			 LIMIT_REPORT_XML_BYTES);
		goto out;
	}
	ok = unwrap_data(part, plen, true, out, why, whylen);
	if (ok && out->owned == NULL) {
		out->owned = part; /* plain XML or JSON: the blob points into it */
		part = NULL;
	}
out:
	big_free(part);
	if (msg != NULL) {
		g_object_unref(msg);
	}
	g_object_unref(ps);
	g_object_unref(st);
	return ok;
}

/* Lines that start with "--", up to one more than the limit. */
static size_t boundary_lines(const unsigned char *p, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i + 1 < len && n <= LIMIT_REPORT_MIME_LINES; i++) {
		if ((i == 0 || p[i - 1] == '\n') && p[i] == '-' && p[i + 1] == '-') {
			n++;
		}
	}
	return n;
}

bool report_unwrap(const void *data, size_t len, struct report_blob *out, char *why, size_t whylen)
{
	memset(out, 0, sizeof(*out));
	why[0] = '\0';
	if (len == 0) {
		out_setf(why, whylen, "empty file");
		return false;
	}
	if (len > LIMIT_REPORT_FILE_BYTES) {
		out_setf(why, whylen, "over %u bytes", LIMIT_REPORT_FILE_BYTES);
		return false;
	}
	if (sniff(data, len) == SNIFF_MAIL) {
		if (boundary_lines(data, len) > LIMIT_REPORT_MIME_LINES) {
			out_setf(why, whylen,
				 "a message of more than %d MIME boundary lines (a report has a "
				 "few)",
				 LIMIT_REPORT_MIME_LINES);
			return false;
		}
		return unwrap_mail(data, len, out, why, whylen);
	}
	return unwrap_data(data, len, false, out, why, whylen);
}
