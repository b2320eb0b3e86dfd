/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * SVG Tiny PS checks over libxml2's tree (common/svg_tinyps.h). The
 * profile (draft-svg-tiny-ps-abrotman 2) builds on SVG Tiny 1.2: it
 * requires the root's version="1.2" and baseProfile="tiny-ps" and a
 * <title>, and forbids x=/y= on the root, scripts, animation, multimedia,
 * interactivity, external references and anything but vector content.
 */
#include "svg_tinyps.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include "text.h"

#define SVG_NS    "http://www.w3.org/2000/svg"
#define XLINK_NS  "http://www.w3.org/1999/xlink"
#define EVENTS_NS "http://www.w3.org/2001/xml-events"

/* Elements the profile forbids, with why. Matched on the local
 * name in any namespace: an XHTML <script> is a script too. */
static const struct forbidden {
	const char *name;
	const char *why;
} forbidden[] = {
	{"script", "scripts are forbidden"},
	{"foreignObject", "foreign content is forbidden"},
	{"image", "raster or external images are forbidden"},
	{"animate", "animation is forbidden"},
	{"animateTransform", "animation is forbidden"},
	{"animateMotion", "animation is forbidden"},
	{"animateColor", "animation is forbidden"},
	{"set", "animation is forbidden"},
	{"discard", "animation is forbidden"},
	{"audio", "multimedia is forbidden"},
	{"video", "multimedia is forbidden"},
	{"animation", "embedded animations are forbidden"},
	{"a", "links (interactivity) are forbidden"},
	{"handler", "event handlers are forbidden"},
	{"listener", "event listeners are forbidden"},
	{"prefetch", "external prefetching is forbidden"},
	{"cursor", "cursors (external images) are forbidden"},
	{"iframe", "embedded documents are forbidden"},
	{"embed", "embedded content is forbidden"},
	{"object", "embedded content is forbidden"},
};
#define NFORBIDDEN (sizeof(forbidden) / sizeof(forbidden[0]))

struct walk {
	struct svg_result *r;
	size_t count[NFORBIDDEN];
	size_t foreign;
	char first_foreign[LIMIT_SVG_TEXT_SHOWN * 4 + 8];
	bool first_error_seen;
	int error_code;
	int error_line;
	char error_msg[256];
	bool nomem;
};

static void add(struct finding_list *f, int code, enum state st, const char *fmt, ...)
	PRINTF_LIKE(4, 5);

/* finding_add_bounded() at the per-object bound (as in common/bimi.c). */
static void add(struct finding_list *f, int code, enum state st, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	(void)finding_vadd_bounded(f, LIMIT_BIMI_FINDINGS, code, st, 0, fmt, ap);
	va_end(ap);
}

struct shown {
	char s[4 * LIMIT_SVG_TEXT_SHOWN + 8];
};

static struct shown show(const void *p, size_t n)
{
	struct shown v = {""};

	out_bytes(v.s, sizeof(v.s), p, n > LIMIT_SVG_TEXT_SHOWN ? LIMIT_SVG_TEXT_SHOWN : n);
	return v;
}

static struct shown shows(const xmlChar *s)
{
	return show(s, s != NULL ? strlen((const char *)s) : 0);
}

/* An element's or attribute's name with its prefix, escaped. */
static struct shown qname(const xmlNs *ns, const xmlChar *name)
{
	char buf[2 * LIMIT_SVG_TEXT_SHOWN + 2];

	if (ns != NULL && ns->prefix != NULL) {
		out_setf(buf, sizeof(buf), "%s:%s", (const char *)ns->prefix, (const char *)name);
	} else {
		out_setf(buf, sizeof(buf), "%s", (const char *)name);
	}
	return shows((const xmlChar *)buf);
}

static bool streq(const xmlChar *a, const char *b)
{
	return a != NULL && strcmp((const char *)a, b) == 0;
}

static bool in_ns(const xmlNode *n, const char *href)
{
	return n->ns != NULL && streq(n->ns->href, href);
}

/*
 * The text of an attribute: its text children joined (an entity
 * reference, possible without substitution, contributes nothing: its
 * declaration is a finding of its own). Cut at cap - 1 bytes; *len is
 * the length kept.
 */
static void attr_text(const xmlAttr *a, char *buf, size_t cap, size_t *len)
{
	size_t n = 0;

	for (const xmlNode *c = a->children; c != NULL; c = c->next) {
		if (c->type == XML_TEXT_NODE && c->content != NULL) {
			size_t l = strlen((const char *)c->content);

			if (l > cap - 1 - n) {
				l = cap - 1 - n;
			}
			memcpy(buf + n, c->content, l);
			n += l;
		}
	}
	buf[n] = '\0';
	*len = n;
}

static const xmlAttr *find_attr(const xmlNode *n, const char *name)
{
	for (const xmlAttr *a = n->properties; a != NULL; a = a->next) {
		if (a->ns == NULL && streq(a->name, name)) {
			return a;
		}
	}
	return NULL;
}

/*
 * Does CSS text reach outside the document? @import, or url( whose
 * target does not start with '#'.
 */
static bool css_external(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '@' && n - i >= 7 && strncmp(s + i + 1, "import", 6) == 0) {
			return true;
		}
		if ((s[i] == 'u' || s[i] == 'U') && n - i >= 4 &&
		    (s[i + 1] == 'r' || s[i + 1] == 'R') && (s[i + 2] == 'l' || s[i + 2] == 'L') &&
		    s[i + 3] == '(') {
			size_t j = i + 4;

			while (j < n && (s[j] == ' ' || s[j] == '\t' || s[j] == '\n' ||
					 s[j] == '\r' || s[j] == '"' || s[j] == '\'')) {
				j++;
			}
			if (j >= n || s[j] != '#') {
				return true;
			}
		}
	}
	return false;
}

static void check_attrs(struct walk *w, const xmlNode *n)
{
	char val[LIMIT_SVG_BYTES + 1];
	size_t vlen;

	for (const xmlAttr *a = n->properties; a != NULL; a = a->next) {
		const char *name = (const char *)a->name;
		bool svg_or_none = a->ns == NULL || streq(a->ns->href, SVG_NS);

		if (a->ns != NULL && streq(a->ns->href, EVENTS_NS)) {
			add(&w->r->findings, SVG_F_EVENT_ATTR, STATE_CRITICAL,
			    "<%s %s=...>: XML Events attributes are forbidden (interactivity)",
			    qname(n->ns, n->name).s, qname(a->ns, a->name).s);
			continue;
		}
		if (svg_or_none && (name[0] == 'o' || name[0] == 'O') &&
		    (name[1] == 'n' || name[1] == 'N')) {
			attr_text(a, val, sizeof(val), &vlen);
			add(&w->r->findings, SVG_F_EVENT_ATTR, STATE_CRITICAL,
			    "<%s %s=\"%s\">: event attributes are forbidden",
			    qname(n->ns, n->name).s, qname(a->ns, a->name).s, show(val, vlen).s);
			continue;
		}
		if (streq(a->name, "href") && (a->ns == NULL || streq(a->ns->href, XLINK_NS))) {
			size_t i = 0;

			attr_text(a, val, sizeof(val), &vlen);
			while (i < vlen && (val[i] == ' ' || val[i] == '\t' || val[i] == '\n' ||
					    val[i] == '\r')) {
				i++;
			}
			if (i >= vlen || val[i] != '#') {
				add(&w->r->findings, SVG_F_EXTERNAL_REF, STATE_CRITICAL,
				    "<%s %s=\"%s\">: external references are forbidden (only "
				    "\"#id\" within the document)",
				    qname(n->ns, n->name).s, qname(a->ns, a->name).s,
				    show(val, vlen).s);
			}
			continue;
		}
		if (a->ns == NULL && streq(a->name, "style")) {
			attr_text(a, val, sizeof(val), &vlen);
			if (css_external(val, vlen)) {
				add(&w->r->findings, SVG_F_EXTERNAL_REF, STATE_CRITICAL,
				    "<%s style=\"%s\">: a style reaching outside the document "
				    "(url() or @import) is forbidden",
				    qname(n->ns, n->name).s, show(val, vlen).s);
			}
		}
	}
}

/* <style> element text: the same rule as the style attribute. */
static void check_style_element(struct walk *w, const xmlNode *n)
{
	for (const xmlNode *c = n->children; c != NULL; c = c->next) {
		if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) &&
		    c->content != NULL &&
		    css_external((const char *)c->content, strlen((const char *)c->content))) {
			add(&w->r->findings, SVG_F_EXTERNAL_REF, STATE_CRITICAL,
			    "<style>: url() or @import reaching outside the document is "
			    "forbidden");
			return;
		}
	}
}

static void check_element(struct walk *w, const xmlNode *n)
{
	for (size_t i = 0; i < NFORBIDDEN; i++) {
		if (streq(n->name, forbidden[i].name)) {
			w->count[i]++;
			break;
		}
	}
	if (!in_ns(n, SVG_NS)) {
		if (w->foreign++ == 0) {
			out_setf(w->first_foreign, sizeof(w->first_foreign), "%s",
				 qname(n->ns, n->name).s);
		}
	} else if (streq(n->name, "style")) {
		check_style_element(w, n);
	}
	check_attrs(w, n);
}

static void check_pi(struct walk *w, const xmlNode *n)
{
	if (streq(n->name, "xml-stylesheet")) {
		add(&w->r->findings, SVG_F_EXTERNAL_REF, STATE_CRITICAL,
		    "<?xml-stylesheet %s?>: external style sheets are forbidden",
		    shows(n->content).s);
	}
}

/* The title: the text children of the root's <title>, escaped. */
static void check_title(struct walk *w, const xmlNode *root)
{
	char text[4 * LIMIT_SVG_TEXT_SHOWN];
	size_t n = 0;
	bool blank = true;

	for (const xmlNode *c = root->children; c != NULL; c = c->next) {
		if (c->type != XML_ELEMENT_NODE || !in_ns(c, SVG_NS) || !streq(c->name, "title")) {
			continue;
		}
		w->r->has_title = true;
		for (const xmlNode *t = c->children; t != NULL; t = t->next) {
			if ((t->type == XML_TEXT_NODE || t->type == XML_CDATA_SECTION_NODE) &&
			    t->content != NULL) {
				const char *s = (const char *)t->content;
				size_t l = strlen(s);

				for (size_t i = 0; i < l; i++) {
					if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' &&
					    s[i] != '\r') {
						blank = false;
					}
				}
				if (l > sizeof(text) - n) {
					l = sizeof(text) - n;
				}
				memcpy(text + n, s, l);
				n += l;
			}
		}
		break;
	}
	if (!w->r->has_title) {
		add(&w->r->findings, SVG_F_TITLE_MISSING, STATE_CRITICAL,
		    "no <title> in the root <svg>: the profile requires one (the brand "
		    "name)");
		return;
	}
	out_bytes(w->r->title, sizeof(w->r->title), text,
		  n > LIMIT_SVG_TEXT_SHOWN ? LIMIT_SVG_TEXT_SHOWN : n);
	if (blank) {
		add(&w->r->findings, SVG_F_TITLE_EMPTY, STATE_WARNING,
		    "<title> is empty: it should name the brand");
	}
}

static void check_root(struct walk *w, const xmlNode *root)
{
	char val[LIMIT_SVG_TEXT_SHOWN + 1];
	size_t vlen;
	const xmlAttr *a;

	if (!streq(root->name, "svg") || !in_ns(root, SVG_NS)) {
		add(&w->r->findings, SVG_F_ROOT, STATE_CRITICAL,
		    "the root element is <%s>%s, not <svg> in the SVG namespace (%s)",
		    qname(root->ns, root->name).s,
		    root->ns != NULL && root->ns->href != NULL ? " of another namespace" : "",
		    SVG_NS);
		return;
	}
	a = find_attr(root, "baseProfile");
	if (a == NULL) {
		add(&w->r->findings, SVG_F_BASEPROFILE, STATE_CRITICAL,
		    "no baseProfile=\"tiny-ps\" on the root <svg>");
	} else {
		attr_text(a, val, sizeof(val), &vlen);
		if (strcmp(val, "tiny-ps") == 0) {
			/* as the profile writes it */
		} else if (strcasecmp(val, "tiny-ps") == 0) {
			add(&w->r->findings, SVG_F_BASEPROFILE, STATE_WARNING,
			    "baseProfile=\"%s\": write it \"tiny-ps\" (some receivers compare "
			    "exactly)",
			    show(val, vlen).s);
		} else {
			add(&w->r->findings, SVG_F_BASEPROFILE, STATE_CRITICAL,
			    "baseProfile=\"%s\" on the root <svg>: must be \"tiny-ps\"",
			    show(val, vlen).s);
		}
	}
	a = find_attr(root, "version");
	if (a == NULL) {
		add(&w->r->findings, SVG_F_VERSION, STATE_CRITICAL,
		    "no version=\"1.2\" on the root <svg>");
	} else {
		attr_text(a, val, sizeof(val), &vlen);
		if (strcmp(val, "1.2") != 0) {
			add(&w->r->findings, SVG_F_VERSION, STATE_CRITICAL,
			    "version=\"%s\" on the root <svg>: must be \"1.2\"", show(val, vlen).s);
		}
	}
	if (find_attr(root, "x") != NULL) {
		add(&w->r->findings, SVG_F_ROOT_XY, STATE_CRITICAL,
		    "x= on the root <svg>: forbidden by the profile");
	}
	if (find_attr(root, "y") != NULL) {
		add(&w->r->findings, SVG_F_ROOT_XY, STATE_CRITICAL,
		    "y= on the root <svg>: forbidden by the profile");
	}
	check_title(w, root);
}

/* Iterative walk (no recursion on attacker data): every element and
 * processing instruction under the document, entity references not
 * followed (their children belong to the declaration). */
static void walk_tree(struct walk *w, xmlNode *top)
{
	xmlNode *n = top;
	size_t depth = 1;
	bool deep_reported = false;
	size_t entity_refs = 0;

	while (n != NULL) {
		bool descend = false;

		if (n->type == XML_ELEMENT_NODE) {
			if (++w->r->elements > LIMIT_SVG_ELEMENTS) {
				w->r->elements--;
				add(&w->r->findings, SVG_F_TOO_MANY, STATE_CRITICAL,
				    "more than %d elements: the rest not checked",
				    LIMIT_SVG_ELEMENTS);
				break;
			}
			if (depth > w->r->depth) {
				w->r->depth = depth;
			}
			check_element(w, n);
			if (n->children != NULL) {
				if (depth < LIMIT_SVG_DEPTH) {
					descend = true;
				} else if (!deep_reported) {
					deep_reported = true;
					add(&w->r->findings, SVG_F_TOO_DEEP, STATE_CRITICAL,
					    "elements nested deeper than %d: the deeper part not "
					    "checked",
					    LIMIT_SVG_DEPTH);
				}
			}
		} else if (n->type == XML_PI_NODE) {
			check_pi(w, n);
		} else if (n->type == XML_ENTITY_REF_NODE) {
			if (entity_refs++ == 0) {
				add(&w->r->findings, SVG_F_ENTITY, STATE_CRITICAL,
				    "entity reference &%s;: not expanded here, receivers differ",
				    shows(n->name).s);
			}
		}
		if (descend) {
			n = n->children;
			depth++;
			continue;
		}
		while (n != NULL && n != top && n->next == NULL) {
			n = n->parent;
			depth--;
		}
		if (n == NULL || n == top) {
			break;
		}
		n = n->next;
	}
}

static void check_doctype(struct walk *w, const xmlDoc *doc)
{
	const xmlDtd *dtd = doc->intSubset;

	if (dtd == NULL) {
		return;
	}
	add(&w->r->findings, SVG_F_DOCTYPE, STATE_WARNING,
	    "a document type declaration (<!DOCTYPE %s%s%s%s>): SVG Tiny 1.2 has none; some "
	    "validators refuse it%s",
	    shows(dtd->name).s, dtd->SystemID != NULL ? " SYSTEM \"" : "",
	    dtd->SystemID != NULL ? shows(dtd->SystemID).s : "", dtd->SystemID != NULL ? "\"" : "",
	    dtd->SystemID != NULL ? " (the DTD is never fetched here)" : "");
	for (const xmlNode *c = dtd->children; c != NULL; c = c->next) {
		const xmlEntity *e = (const xmlEntity *)c;

		if (c->type != XML_ENTITY_DECL) {
			continue;
		}
		if (e->etype == XML_EXTERNAL_GENERAL_PARSED_ENTITY ||
		    e->etype == XML_EXTERNAL_GENERAL_UNPARSED_ENTITY ||
		    e->etype == XML_EXTERNAL_PARAMETER_ENTITY) {
			/* declared, never resolved or read */
			add(&w->r->findings, SVG_F_ENTITY, STATE_CRITICAL,
			    "external entity %s (SYSTEM \"%s\") declared: never read here; "
			    "forbidden (external reference)",
			    shows(e->name).s, shows(e->SystemID).s);
		} else {
			add(&w->r->findings, SVG_F_ENTITY, STATE_CRITICAL,
			    "entity %s declared: receivers differ on expanding it",
			    shows(e->name).s);
		}
	}
}

/* libxml2's errors, through the parser's own SAX handler (no global
 * handler): the first error is kept, nothing printed. */
static void on_error(void *data, xmlErrorPtr err)
{
	xmlParserCtxtPtr ctxt = data;
	struct walk *w = ctxt != NULL ? ctxt->_private : NULL;

	if (w == NULL || err == NULL || err->level < XML_ERR_ERROR) {
		return;
	}
	if (err->code == XML_ERR_NO_MEMORY) {
		w->nomem = true;
	}
	if (w->first_error_seen && err->code != XML_ERR_ENTITY_LOOP) {
		return;
	}
	w->first_error_seen = true;
	w->error_code = err->code;
	w->error_line = err->line;
	if (err->message != NULL) {
		size_t l = strlen(err->message);

		while (l > 0 && (err->message[l - 1] == '\n' || err->message[l - 1] == ' ')) {
			l--;
		}
		out_bytes(w->error_msg, sizeof(w->error_msg), err->message, l);
	}
}

/* Never resolve an external entity or subset, whatever the options
 * the parser's resolver returns nothing. */
static xmlParserInputPtr refuse_entity(void *ctx, const xmlChar *public_id,
				       const xmlChar *system_id)
{
	(void)ctx;
	(void)public_id;
	(void)system_id;
	return NULL;
}

static void parse_and_check(struct walk *w, const void *data, size_t len)
{
	struct svg_result *r = w->r;
	xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
	xmlDocPtr doc = NULL;
	xmlNode *root;
	/* no XML_PARSE_NOENT (no substitution), no DTDLOAD,
	 * DTDATTR or DTDVALID (no DTD read), NONET, no HUGE (libxml2's
	 * amplification limits stay on); errors not printed. */
	const int opts = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING;

	if (ctxt == NULL) {
		add(&r->findings, SVG_F_NOMEM, STATE_UNKNOWN, "out of memory in the XML parser");
		return;
	}
	ctxt->_private = w;
	ctxt->sax->serror = on_error;
	ctxt->sax->resolveEntity = refuse_entity;
	ctxt->sax->externalSubset = NULL;
	doc = xmlCtxtReadMemory(ctxt, data, (int)len, NULL, NULL, opts);
	if (w->nomem) {
		add(&r->findings, SVG_F_NOMEM, STATE_UNKNOWN, "out of memory in the XML parser");
		goto out;
	}
	if (w->first_error_seen && w->error_code == XML_ERR_ENTITY_LOOP) {
		/* libxml2's own amplification guard fired */
		add(&r->findings, SVG_F_ENTITY_BOMB, STATE_CRITICAL,
		    "entity expansion refused by the XML parser (line %d: %s): an entity "
		    "bomb",
		    w->error_line, w->error_msg);
		goto out;
	}
	if (doc == NULL || w->first_error_seen) {
		add(&r->findings, SVG_F_XML, STATE_CRITICAL, "not well-formed XML: line %d: %s",
		    w->error_line, w->first_error_seen ? w->error_msg : "no document");
	}
	if (doc == NULL) {
		goto out;
	}
	/* a tree with a recoverable error (a namespace one): still checked */
	r->parsed = true;
	check_doctype(w, doc);
	root = xmlDocGetRootElement(doc);
	if (root == NULL) {
		add(&r->findings, SVG_F_ROOT, STATE_CRITICAL, "no root element");
		goto out;
	}
	check_root(w, root);
	/* processing instructions before and after the root */
	for (xmlNode *c = doc->children; c != NULL; c = c->next) {
		if (c->type == XML_PI_NODE) {
			check_pi(w, c);
		}
	}
	walk_tree(w, root);
	for (size_t i = 0; i < NFORBIDDEN; i++) {
		if (w->count[i] == 1) {
			add(&r->findings, SVG_F_FORBIDDEN, STATE_CRITICAL, "<%s>: %s",
			    forbidden[i].name, forbidden[i].why);
		} else if (w->count[i] > 1) {
			add(&r->findings, SVG_F_FORBIDDEN, STATE_CRITICAL, "<%s> (%zu times): %s",
			    forbidden[i].name, w->count[i], forbidden[i].why);
		}
	}
	if (w->foreign > 0) {
		add(&r->findings, SVG_F_FOREIGN, STATE_WARNING,
		    "%zu element%s outside the SVG namespace (first <%s>): validators built "
		    "from the profile's schema refuse them",
		    w->foreign, w->foreign == 1 ? "" : "s", w->first_foreign);
	}
out:
	xmlFreeDoc(doc);
	xmlFreeParserCtxt(ctxt);
}

struct svg_result *svg_tinyps_check(const void *data, size_t len)
{
	struct svg_result *r = calloc(1, sizeof(*r));
	struct walk *w;
	const unsigned char *b = data;

	if (r == NULL) {
		return NULL;
	}
	r->size = len;
	if (data == NULL) {
		len = 0;
	}
	if (len > LIMIT_SVG_BYTES) {
		/* checked before libxml2 sees a byte */
		add(&r->findings, SVG_F_TOO_LARGE, STATE_CRITICAL,
		    "SVG of %zu bytes refused: over %d bytes (32 KiB, the draft's maximum)", len,
		    LIMIT_SVG_BYTES);
		return r;
	}
	if (len >= 2 && b[0] == 0x1f && b[1] == 0x8b) {
		add(&r->findings, SVG_F_GZIP, STATE_UNKNOWN,
		    "gzip-compressed (SVGZ): decompress it before checking");
		return r;
	}
	if (len == 0) {
		add(&r->findings, SVG_F_XML, STATE_CRITICAL, "empty document");
		return r;
	}
	/* the walk state holds a copy buffer per forbidden name only: small */
	w = calloc(1, sizeof(*w));
	if (w == NULL) {
		svg_result_free(r);
		return NULL;
	}
	w->r = r;
	parse_and_check(w, data, len);
	free(w);
	r->valid = true;
	for (size_t i = 0; i < r->findings.n; i++) {
		if (r->findings.v[i].state == STATE_CRITICAL ||
		    r->findings.v[i].state == STATE_UNKNOWN) {
			r->valid = false;
		}
	}
	return r;
}

void svg_result_free(struct svg_result *r)
{
	if (r == NULL) {
		return;
	}
	finding_list_clear(&r->findings);
	free(r);
}
