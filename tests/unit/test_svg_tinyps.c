/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The SVG Tiny PS checker (common/svg_tinyps.c): a valid tiny-ps logo,
 * every construct the profile forbids, entity bombs,
 * external entities to a local file holding a secret, the size,
 * element and depth bounds. All samples are written here.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libxml/parser.h>

#include "bounds.h"
#include "check_main.h"
#include "svg_tinyps.h"

#define SVG_OPEN                                                                                   \
	"<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.2\" baseProfile=\"tiny-ps\" "       \
	"viewBox=\"0 0 100 100\">"
#define TITLE     "<title>Example Brand</title>"
#define DOC(body) SVG_OPEN TITLE body "</svg>"

#define SECRET "s3cr3t-R02-do-not-leak"

static char xxe_path[64];

static struct svg_result *check_str(const char *s)
{
	struct svg_result *r = svg_tinyps_check(s, strlen(s));

	ck_assert_ptr_nonnull(r);
	return r;
}

static const struct finding *has(const struct svg_result *r, int code)
{
	return finding_find(&r->findings, code);
}

/* No finding's text and not the title holds needle. */
static bool nowhere(const struct svg_result *r, const char *needle)
{
	if (strstr(r->title, needle) != NULL) {
		return false;
	}
	for (size_t i = 0; i < r->findings.n; i++) {
		if (strstr(r->findings.v[i].text, needle) != NULL) {
			return false;
		}
	}
	return true;
}

/* A logo as receivers want it: no finding at all. */
START_TEST(test_valid_logo)
{
	struct svg_result *r =
		check_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" SVG_OPEN TITLE
			  "<desc>The brand mark</desc>"
			  "<defs><linearGradient id=\"g\"><stop offset=\"0\" stop-color=\"#f00\"/>"
			  "</linearGradient></defs>"
			  "<rect id=\"bg\" width=\"100\" height=\"100\" fill=\"url(#g)\"/>"
			  "<use xlink:href=\"#bg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\"/>"
			  "<path d=\"M10 10 L90 90\" stroke=\"#000\" style=\"fill:url(#g)\"/>"
			  "<g transform=\"scale(0.5)\"><circle cx=\"50\" cy=\"50\" r=\"40\"/></g>"
			  "</svg>\n");

	ck_assert(r->parsed);
	ck_assert_msg(r->valid, "%s", r->findings.n ? r->findings.v[0].text : "");
	ck_assert_uint_eq(r->findings.n, 0);
	ck_assert(r->has_title);
	ck_assert_str_eq(r->title, "Example Brand");
	ck_assert_uint_eq(r->elements, 11);
	ck_assert_uint_eq(r->depth, 4);
	svg_result_free(r);
	svg_result_free(NULL);
}
END_TEST

struct scase {
	const char *id;
	const char *svg;
	int code;
	enum state st;
	const char *text; /* substring of that finding */
};

static const struct scase scases[] = {
	/* each forbidden construct named */
	{"R-08 script", DOC("<script>alert(1)</script>"), SVG_F_FORBIDDEN, STATE_CRITICAL,
	 "<script>: scripts are forbidden"},
	{"R-08 xhtml script",
	 DOC("<h:script xmlns:h=\"http://www.w3.org/1999/xhtml\">x</h:script>"), SVG_F_FORBIDDEN,
	 STATE_CRITICAL, "<script>"},
	{"R-08 two scripts", DOC("<script/><g><script/></g>"), SVG_F_FORBIDDEN, STATE_CRITICAL,
	 "<script> (2 times)"},
	{"R-08 onclick", DOC("<rect onclick=\"steal()\" width=\"1\"/>"), SVG_F_EVENT_ATTR,
	 STATE_CRITICAL, "<rect onclick=\"steal()\">: event attributes are forbidden"},
	{"R-08 onload root",
	 "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.2\" baseProfile=\"tiny-ps\" "
	 "onload=\"x()\">" TITLE "</svg>",
	 SVG_F_EVENT_ATTR, STATE_CRITICAL, "<svg onload="},
	{"R-08 ONMOUSEOVER", DOC("<g ONMOUSEOVER=\"x\"/>"), SVG_F_EVENT_ATTR, STATE_CRITICAL,
	 "ONMOUSEOVER"},
	{"R-08 xml events",
	 DOC("<g ev:event=\"click\" xmlns:ev=\"http://www.w3.org/2001/xml-events\"/>"),
	 SVG_F_EVENT_ATTR, STATE_CRITICAL, "ev:event"},
	{"R-08 external href", DOC("<use href=\"https://evil.example/a.svg#x\"/>"),
	 SVG_F_EXTERNAL_REF, STATE_CRITICAL, "<use href=\"https://evil.example/a.svg#x\">"},
	{"R-08 external xlink:href",
	 DOC("<use xlink:href=\"other.svg#x\" xmlns:xlink=\"http://www.w3.org/1999/xlink\"/>"),
	 SVG_F_EXTERNAL_REF, STATE_CRITICAL, "xlink:href=\"other.svg#x\""},
	{"R-08 javascript href", DOC("<use href=\" javascript:alert(1)\"/>"), SVG_F_EXTERNAL_REF,
	 STATE_CRITICAL, "javascript:"},
	{"R-08 empty href", DOC("<use href=\"\"/>"), SVG_F_EXTERNAL_REF, STATE_CRITICAL, NULL},
	{"R-08 foreignObject", DOC("<foreignObject width=\"1\" height=\"1\"/>"), SVG_F_FORBIDDEN,
	 STATE_CRITICAL, "<foreignObject>: foreign content"},
	{"R-08 image", DOC("<image width=\"1\" height=\"1\" href=\"#x\"/>"), SVG_F_FORBIDDEN,
	 STATE_CRITICAL, "<image>: raster or external images"},
	{"R-08 image external", DOC("<image href=\"https://evil.example/p.png\"/>"),
	 SVG_F_EXTERNAL_REF, STATE_CRITICAL, "https://evil.example/p.png"},
	{"R-08 animate", DOC("<rect><animate attributeName=\"x\" to=\"1\"/></rect>"),
	 SVG_F_FORBIDDEN, STATE_CRITICAL, "<animate>: animation is forbidden"},
	{"R-08 animateTransform", DOC("<animateTransform/>"), SVG_F_FORBIDDEN, STATE_CRITICAL,
	 "<animateTransform>"},
	{"R-08 animateMotion", DOC("<animateMotion/>"), SVG_F_FORBIDDEN, STATE_CRITICAL,
	 "<animateMotion>"},
	{"R-08 animateColor", DOC("<animateColor/>"), SVG_F_FORBIDDEN, STATE_CRITICAL,
	 "<animateColor>"},
	{"R-08 set", DOC("<set attributeName=\"x\" to=\"1\"/>"), SVG_F_FORBIDDEN, STATE_CRITICAL,
	 "<set>: animation"},
	{"R-08 discard", DOC("<discard/>"), SVG_F_FORBIDDEN, STATE_CRITICAL, "<discard>"},
	{"R-08 audio", DOC("<audio/>"), SVG_F_FORBIDDEN, STATE_CRITICAL, "multimedia"},
	{"R-08 video", DOC("<video/>"), SVG_F_FORBIDDEN, STATE_CRITICAL, "<video>"},
	{"R-08 a", DOC("<a href=\"#bg\"><rect/></a>"), SVG_F_FORBIDDEN, STATE_CRITICAL,
	 "<a>: links"},
	{"R-08 handler", DOC("<handler/>"), SVG_F_FORBIDDEN, STATE_CRITICAL, "<handler>"},
	{"R-08 iframe", DOC("<iframe/>"), SVG_F_FORBIDDEN, STATE_CRITICAL, "<iframe>"},
	{"R-08 style @import", DOC("<style>@import \"https://evil.example/a.css\";</style>"),
	 SVG_F_EXTERNAL_REF, STATE_CRITICAL, "<style>: url() or @import"},
	{"R-08 style url", DOC("<style><![CDATA[rect{fill:URL( 'https://x.example/p')}]]></style>"),
	 SVG_F_EXTERNAL_REF, STATE_CRITICAL, "<style>"},
	{"R-08 style attribute", DOC("<rect style=\"fill:url(https://x.example/p)\"/>"),
	 SVG_F_EXTERNAL_REF, STATE_CRITICAL, "style=\"fill:url(https://x.example/p)\""},
	{"R-08 xml-stylesheet",
	 "<?xml-stylesheet type=\"text/css\" href=\"https://evil.example/a.css\"?>" DOC(""),
	 SVG_F_EXTERNAL_REF, STATE_CRITICAL, "<?xml-stylesheet"},
	/* the profile's root rules */
	{"R-08 root x",
	 "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.2\" "
	 "baseProfile=\"tiny-ps\" x=\"0\">" TITLE "</svg>",
	 SVG_F_ROOT_XY, STATE_CRITICAL, "x= on the root"},
	{"nested svg x/y allowed", DOC("<svg x=\"1\" y=\"2\"><rect/></svg><desc>d</desc>"), -1,
	 STATE_OK, NULL},
	{"R-08 root y",
	 "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.2\" "
	 "baseProfile=\"tiny-ps\" y=\"0\">" TITLE "</svg>",
	 SVG_F_ROOT_XY, STATE_CRITICAL, "y= on the root"},
	{"baseProfile missing",
	 "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.2\">" TITLE "</svg>",
	 SVG_F_BASEPROFILE, STATE_CRITICAL, "no baseProfile"},
	{"baseProfile tiny",
	 "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.2\" "
	 "baseProfile=\"tiny\">" TITLE "</svg>",
	 SVG_F_BASEPROFILE, STATE_CRITICAL, "baseProfile=\"tiny\""},
	{"baseProfile case",
	 "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.2\" "
	 "baseProfile=\"Tiny-PS\">" TITLE "</svg>",
	 SVG_F_BASEPROFILE, STATE_WARNING, "Tiny-PS"},
	{"version 1.1",
	 "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" "
	 "baseProfile=\"tiny-ps\">" TITLE "</svg>",
	 SVG_F_VERSION, STATE_CRITICAL, "version=\"1.1\""},
	{"version missing",
	 "<svg xmlns=\"http://www.w3.org/2000/svg\" baseProfile=\"tiny-ps\">" TITLE "</svg>",
	 SVG_F_VERSION, STATE_CRITICAL, "no version"},
	{"no title", SVG_OPEN "<rect/></svg>", SVG_F_TITLE_MISSING, STATE_CRITICAL, "no <title>"},
	{"title not child of root", SVG_OPEN "<g><title>x</title></g></svg>", SVG_F_TITLE_MISSING,
	 STATE_CRITICAL, NULL},
	{"empty title", SVG_OPEN "<title> </title></svg>", SVG_F_TITLE_EMPTY, STATE_WARNING,
	 "empty"},
	{"no namespace", "<svg version=\"1.2\" baseProfile=\"tiny-ps\">" TITLE "</svg>", SVG_F_ROOT,
	 STATE_CRITICAL, "not <svg> in the SVG namespace"},
	{"html root", "<html><body/></html>", SVG_F_ROOT, STATE_CRITICAL, "<html>"},
	{"editor metadata",
	 DOC("<i:pgf xmlns:i=\"http://ns.adobe.com/AdobeIllustrator/10.0/\">x</i:pgf>"),
	 SVG_F_FOREIGN, STATE_WARNING, "1 element outside the SVG namespace (first <i:pgf>)"},
	{"doctype svg 1.1",
	 "<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" "
	 "\"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">" DOC(""),
	 SVG_F_DOCTYPE, STATE_WARNING, "never fetched"},
	/* not XML */
	{"tag mismatch", SVG_OPEN TITLE "<rect></svg>", SVG_F_XML, STATE_CRITICAL,
	 "not well-formed XML: line 1: Opening and ending tag mismatch"},
	{"truncated", SVG_OPEN "<tit", SVG_F_XML, STATE_CRITICAL, "not well-formed"},
	{"undefined prefix", DOC("<x:y/>"), SVG_F_XML, STATE_CRITICAL, "not well-formed"},
	{"text escaped", DOC("<rect onclick=\"&#x202e;|\"/>"), SVG_F_EVENT_ATTR, STATE_CRITICAL,
	 "\\xe2\\x80\\xae\\x7c"},
};

START_TEST(test_table)
{
	const struct scase *c = &scases[_i];
	struct svg_result *r = check_str(c->svg);
	const struct finding *f = has(r, c->code);

	if (c->code < 0) {
		/* no finding at all */
		ck_assert_msg(r->findings.n == 0 && r->valid, "%s: %s", c->id,
			      r->findings.n ? r->findings.v[0].text : "");
		svg_result_free(r);
		return;
	}
	ck_assert_msg(f != NULL, "%s: no finding %d (first: %s)", c->id, c->code,
		      r->findings.n ? r->findings.v[0].text : "none");
	ck_assert_msg(f->state == c->st, "%s: state %d", c->id, f->state);
	if (c->text != NULL) {
		ck_assert_msg(strstr(f->text, c->text) != NULL, "%s: \"%s\"", c->id, f->text);
	}
	ck_assert_msg(r->valid == (c->st == STATE_WARNING), "%s: valid %d", c->id, r->valid);
	svg_result_free(r);
}
END_TEST

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* the classic billion laughs (10^9 "lol"s from 1 KB): libxml2
 * 2.9.14's own amplification guard refuses it with our options, in
 * bounded time; the finding names it. */
START_TEST(test_billion_laughs)
{
	char doc[4096];
	size_t o = 0;
	struct svg_result *r;
	const struct finding *f;
	double t0;

	o += (size_t)snprintf(doc + o, sizeof(doc) - o,
			      "<?xml version=\"1.0\"?><!DOCTYPE svg [<!ENTITY a \"lol\">");
	for (int i = 0; i < 9; i++) {
		o += (size_t)snprintf(doc + o, sizeof(doc) - o, "<!ENTITY %c \"", 'b' + i);
		for (int k = 0; k < 10; k++) {
			o += (size_t)snprintf(doc + o, sizeof(doc) - o, "&%c;", 'a' + i);
		}
		o += (size_t)snprintf(doc + o, sizeof(doc) - o, "\">");
	}
	snprintf(doc + o, sizeof(doc) - o, "]>" DOC("<text>&j;</text>"));
	t0 = now_s();
	r = check_str(doc);
	ck_assert(now_s() - t0 < 2.0);
	f = has(r, SVG_F_ENTITY_BOMB);
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->state, STATE_CRITICAL);
	ck_assert(strstr(f->text, "entity expansion refused by the XML parser") != NULL);
	ck_assert(!r->valid);
	svg_result_free(r);

	/* the same bomb in an attribute value */
	o = 0;
	o += (size_t)snprintf(doc + o, sizeof(doc) - o, "<!DOCTYPE svg [<!ENTITY a \"lol\">");
	for (int i = 0; i < 9; i++) {
		o += (size_t)snprintf(doc + o, sizeof(doc) - o, "<!ENTITY %c \"", 'b' + i);
		for (int k = 0; k < 10; k++) {
			o += (size_t)snprintf(doc + o, sizeof(doc) - o, "&%c;", 'a' + i);
		}
		o += (size_t)snprintf(doc + o, sizeof(doc) - o, "\">");
	}
	snprintf(doc + o, sizeof(doc) - o, "]>" DOC("<rect class=\"&j;\"/>"));
	t0 = now_s();
	r = check_str(doc);
	ck_assert(now_s() - t0 < 2.0);
	ck_assert(!r->valid);
	ck_assert_ptr_nonnull(has(r, SVG_F_ENTITY_BOMB));
	svg_result_free(r);
}
END_TEST

/* quadratic blow-up (an 8,000-byte entity used 2,000 times: 16 MB
 * if expanded) is never expanded: the declaration is named, bounded
 * time. */
START_TEST(test_quadratic)
{
	char *doc = malloc(LIMIT_SVG_BYTES);
	size_t o = 0;
	struct svg_result *r;
	double t0;

	ck_assert_ptr_nonnull(doc);
	o += (size_t)snprintf(doc, LIMIT_SVG_BYTES, "<!DOCTYPE svg [<!ENTITY q \"");
	memset(doc + o, 'x', 8000);
	o += 8000;
	o += (size_t)snprintf(doc + o, LIMIT_SVG_BYTES - o, "\">]>" SVG_OPEN TITLE "<text>");
	for (int i = 0; i < 2000; i++) {
		memcpy(doc + o, "&q;", 3);
		o += 3;
	}
	o += (size_t)snprintf(doc + o, LIMIT_SVG_BYTES - o, "</text></svg>");
	ck_assert_uint_lt(o, LIMIT_SVG_BYTES);
	t0 = now_s();
	r = svg_tinyps_check(doc, o);
	ck_assert(now_s() - t0 < 2.0);
	ck_assert(!r->valid);
	ck_assert(strstr(has(r, SVG_F_ENTITY)->text, "entity q declared") != NULL);
	svg_result_free(r);
	free(doc);
}
END_TEST

/* external entities to a local file holding a secret: in content,
 * in an attribute, as a parameter entity, as the external DTD. The file
 * is never read: its content is in no finding and not in the title. */
START_TEST(test_xxe)
{
	char doc[2048];
	/* the document around the file's path */
	static const struct {
		const char *pre, *post;
	} forms[] = {
		{"<!DOCTYPE svg [<!ENTITY x SYSTEM \"file://",
		 "\">]>" SVG_OPEN "<title>&x;</title><text>&x;</text></svg>"},
		{"<!DOCTYPE svg [<!ENTITY x SYSTEM \"",
		 "\">]>" SVG_OPEN TITLE "<rect class=\"&x;\"/></svg>"},
		{"<!DOCTYPE svg [<!ENTITY % p SYSTEM \"file://",
		 "\"> %p;]>" SVG_OPEN TITLE "</svg>"},
		{"<!DOCTYPE svg SYSTEM \"file://", "\">" SVG_OPEN TITLE "</svg>"},
	};

	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		struct svg_result *r;

		snprintf(doc, sizeof(doc), "%s%s%s", forms[i].pre, xxe_path, forms[i].post);
		r = check_str(doc);
		ck_assert_msg(nowhere(r, SECRET), "R-02 form %zu: the secret leaked", i);
		ck_assert_msg(!r->valid || i == 3, "R-02 form %zu: valid", i);
		if (i < 3) {
			/* an external entity in an attribute is not even
			 * well-formed XML (WFC: No External Entity References) */
			ck_assert_msg(has(r, SVG_F_ENTITY) != NULL || has(r, SVG_F_XML) != NULL,
				      "R-02 form %zu: not named", i);
		}
		svg_result_free(r);
	}
}
END_TEST

/* The control for test_xxe: the same document with XML_PARSE_NOENT (which
 * svg_tinyps.c never sets) does read the file, so the test above would
 * see a leak. */
START_TEST(test_xxe_control)
{
	char doc[1024];
	xmlDocPtr d;
	xmlChar *content;

	snprintf(doc, sizeof(doc),
		 "<!DOCTYPE svg [<!ENTITY x SYSTEM \"file://%s\">]><svg>&x;</svg>", xxe_path);
	d = xmlReadMemory(doc, (int)strlen(doc), NULL, NULL,
			  XML_PARSE_NOENT | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	ck_assert_ptr_nonnull(d);
	content = xmlNodeGetContent(xmlDocGetRootElement(d));
	ck_assert(content != NULL && strstr((const char *)content, SECRET) != NULL);
	xmlFree(content);
	xmlFreeDoc(d);
}
END_TEST

/* LIMIT_SVG_BYTES: over it refused before parsing, naming the size;
 * at it parsed. */
START_TEST(test_size)
{
	char *doc = malloc(LIMIT_SVG_BYTES + 2);
	size_t head = strlen(SVG_OPEN TITLE "<!--");
	struct svg_result *r;
	const struct finding *f;

	ck_assert_ptr_nonnull(doc);
	memcpy(doc, SVG_OPEN TITLE "<!--", head);
	memset(doc + head, 'x', LIMIT_SVG_BYTES + 1 - head);
	memcpy(doc + LIMIT_SVG_BYTES + 1 - 9, "--></svg>", 9);
	r = svg_tinyps_check(doc, LIMIT_SVG_BYTES + 1);
	f = has(r, SVG_F_TOO_LARGE);
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->state, STATE_CRITICAL);
	ck_assert(strstr(f->text, "SVG of 32769 bytes refused") != NULL);
	ck_assert(!r->parsed);
	svg_result_free(r);
	memcpy(doc + LIMIT_SVG_BYTES - 9, "--></svg>", 9);
	r = svg_tinyps_check(doc, LIMIT_SVG_BYTES);
	ck_assert(r->parsed);
	ck_assert(r->valid);
	svg_result_free(r);
	free(doc);
}
END_TEST

/* LIMIT_SVG_ELEMENTS and LIMIT_SVG_DEPTH */
START_TEST(test_bounds)
{
	char *doc = malloc(LIMIT_SVG_BYTES);
	size_t o;
	struct svg_result *r;

	ck_assert_ptr_nonnull(doc);
	o = (size_t)snprintf(doc, LIMIT_SVG_BYTES, SVG_OPEN TITLE);
	for (int i = 0; i < LIMIT_SVG_ELEMENTS + 10; i++) {
		memcpy(doc + o, "<g/>", 4);
		o += 4;
	}
	memcpy(doc + o, "</svg>", 6);
	o += 6;
	r = svg_tinyps_check(doc, o);
	ck_assert_ptr_nonnull(has(r, SVG_F_TOO_MANY));
	ck_assert_uint_eq(r->elements, LIMIT_SVG_ELEMENTS);
	ck_assert(!r->valid);
	svg_result_free(r);

	/* 100 levels: libxml2 accepts (its limit is 256), we stop at 64 */
	o = (size_t)snprintf(doc, LIMIT_SVG_BYTES, SVG_OPEN TITLE);
	for (int i = 0; i < 100; i++) {
		memcpy(doc + o, "<g>", 3);
		o += 3;
	}
	memcpy(doc + o, "<script/>", 9);
	o += 9;
	for (int i = 0; i < 100; i++) {
		memcpy(doc + o, "</g>", 4);
		o += 4;
	}
	memcpy(doc + o, "</svg>", 6);
	o += 6;
	r = svg_tinyps_check(doc, o);
	ck_assert_ptr_nonnull(has(r, SVG_F_TOO_DEEP));
	ck_assert_uint_eq(r->depth, LIMIT_SVG_DEPTH);
	ck_assert(!r->valid);
	svg_result_free(r);
	free(doc);
}
END_TEST

/* implied (rule 4): 100 event attributes give a bounded list
 * (finding_add_bounded()): the first are kept, the rest counted in
 * dropped with their worst state in dropped_worst */
START_TEST(test_findings_bound)
{
	char doc[8192];
	size_t o = (size_t)snprintf(doc, sizeof(doc), SVG_OPEN TITLE);
	struct svg_result *r;

	for (int i = 0; i < 100; i++) {
		o += (size_t)snprintf(doc + o, sizeof(doc) - o, "<g onclick=\"%d\"/>", i);
	}
	o += (size_t)snprintf(doc + o, sizeof(doc) - o, "</svg>");
	r = svg_tinyps_check(doc, o);
	ck_assert_uint_eq(r->findings.n, LIMIT_BIMI_FINDINGS);
	ck_assert_uint_eq(r->findings.dropped, 100 - LIMIT_BIMI_FINDINGS);
	ck_assert_int_eq(r->findings.dropped_worst, STATE_CRITICAL);
	ck_assert(strstr(r->findings.v[0].text, "onclick"));
	ck_assert(strstr(r->findings.v[LIMIT_BIMI_FINDINGS - 1].text, "onclick"));
	ck_assert_int_eq(finding_list_worst(&r->findings), STATE_CRITICAL);
	ck_assert(!r->valid);
	svg_result_free(r);
}
END_TEST

START_TEST(test_odd_inputs)
{
	static const unsigned char gz[] = {0x1f, 0x8b, 8, 0, 0, 0};
	struct svg_result *r = svg_tinyps_check(gz, sizeof(gz));

	ck_assert_int_eq(has(r, SVG_F_GZIP)->state, STATE_UNKNOWN);
	svg_result_free(r);
	r = svg_tinyps_check(NULL, 0);
	ck_assert_ptr_nonnull(has(r, SVG_F_XML));
	svg_result_free(r);
	r = svg_tinyps_check("\0\0\0\0", 4);
	ck_assert_ptr_nonnull(has(r, SVG_F_XML));
	svg_result_free(r);
	/* UTF-16 with a BOM is XML too */
	{
		const char *s = DOC("");
		size_t n = strlen(s);
		unsigned char *u = malloc(2 * n + 2);

		ck_assert_ptr_nonnull(u);
		u[0] = 0xff;
		u[1] = 0xfe;
		for (size_t i = 0; i < n; i++) {
			u[2 + 2 * i] = (unsigned char)s[i];
			u[3 + 2 * i] = 0;
		}
		r = svg_tinyps_check(u, 2 * n + 2);
		ck_assert(r->valid);
		svg_result_free(r);
		free(u);
	}
}
END_TEST

static bool cleanup(void)
{
	return unlink(xxe_path) == 0;
}

Suite *unit_suite(void)
{
	Suite *s = suite_create("svg_tinyps");
	TCase *tc = tcase_create("profile");
	TCase *th = tcase_create("hostile");
	int fd;

	/* a local file holding a secret that must never be read */
	snprintf(xxe_path, sizeof(xxe_path), "/tmp/maildns-xxe-XXXXXX");
	fd = mkstemp(xxe_path);
	if (fd < 0 || write(fd, SECRET "\n", strlen(SECRET) + 1) < 0 || close(fd) != 0) {
		return NULL;
	}
	unit_cleanup = cleanup;

	tcase_add_test(tc, test_valid_logo);
	tcase_add_loop_test(tc, test_table, 0, (int)(sizeof(scases) / sizeof(scases[0])));
	tcase_add_test(tc, test_size);
	tcase_add_test(tc, test_bounds);
	tcase_add_test(tc, test_findings_bound);
	tcase_add_test(tc, test_odd_inputs);
	tcase_add_test(th, test_billion_laughs);
	tcase_add_test(th, test_quadratic);
	tcase_add_test(th, test_xxe);
	tcase_add_test(th, test_xxe_control);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, th);
	return s;
}
