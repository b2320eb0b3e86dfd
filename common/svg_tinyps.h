/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A BIMI indicator checked against the SVG Tiny Portable/Secure profile
 * (draft-svg-tiny-ps-abrotman, "the profile" below) as receivers enforce
 * it: the root, the title, and what the profile forbids (scripts, event
 * attributes, external references, foreignObject, raster images,
 * animation, multimedia, interactivity, x=/y= on the root).
 *
 * The bytes are parsed by libxml2 (common/libmaildns_bimi.a links it;
 * nothing else in the tree does) with no entity substitution, no DTD
 * loading, no network, no XML_PARSE_HUGE, its own entity-amplification
 * limits left on, and a refusing entity resolver on the parser's own
 * SAX handler (doc/hostile-inputs.md ): an external entity is
 * never read, a DTD never fetched. The size is checked before libxml2
 * sees the bytes (LIMIT_SVG_BYTES); elements and depth are bounded
 * (LIMIT_SVG_ELEMENTS, LIMIT_SVG_DEPTH).
 *
 * A pure function over (pointer, length) (HACKING.md 1): no I/O, no
 * globals of ours, nothing printed (libxml2's error printing is off; its
 * messages become findings, escaped). libxml2 initialises its own global
 * state once (xmlInitParser()); the tree is freed before returning.
 *
 * For check_bimi: the body fetched from l= (at most LIMIT_SVG_BYTES read:
 * the fetcher can stop there and pass the length it saw, or pass a
 * longer length to get SVG_F_TOO_LARGE naming it), decompressed if it
 * was SVGZ; r->findings mapped to states, r->title for the summary
 * ("logo 'Example Brand'"), r->elements and r->size for perfdata.
 */
#ifndef MAILDNS_SVG_TINYPS_H
#define MAILDNS_SVG_TINYPS_H

#include <stdbool.h>
#include <stddef.h>

#include "bounds.h"
#include "finding.h"

enum svg_code {
	SVG_F_TOO_LARGE = 400, /* over LIMIT_SVG_BYTES, refused before
				  parsing: CRITICAL naming the size */
	SVG_F_GZIP,            /* gzip bytes (SVGZ): the caller must
				  decompress first: UNKNOWN */
	SVG_F_XML,             /* empty, or not well-formed XML (libxml2's
				  message, line): CRITICAL */
	SVG_F_ENTITY_BOMB,     /* libxml2 stopped an entity expansion
				  ("billion laughs", R-01): CRITICAL */
	SVG_F_DOCTYPE,         /* a document type declaration: SVG Tiny 1.2
				  has no DTD; editors write SVG 1.1 ones:
				  WARNING */
	SVG_F_ENTITY,          /* an entity declared (external ones named
				  as never read, R-02) or referenced:
				  receivers differ on expanding them:
				  CRITICAL */
	SVG_F_ROOT,            /* root not <svg> in the SVG namespace:
				  CRITICAL */
	SVG_F_BASEPROFILE,     /* baseProfile missing or not "tiny-ps":
				  CRITICAL; another case ("Tiny-PS"):
				  WARNING */
	SVG_F_VERSION,         /* version missing or not "1.2": CRITICAL */
	SVG_F_ROOT_XY,         /* x= or y= on the root (the profile):
				  CRITICAL */
	SVG_F_TITLE_MISSING,   /* no <title> child of the root (required by
				  the profile): CRITICAL */
	SVG_F_TITLE_EMPTY,     /* a <title> with no text: WARNING */
	SVG_F_FORBIDDEN,       /* a forbidden element: <script>,
				  <foreignObject>, <image>, animation
				  (<animate>, <animateTransform>,
				  <animateMotion>, <animateColor>, <set>,
				  <discard>), multimedia (<audio>,
				  <video>, <animation>), interactivity
				  (<a>, <handler>, <listener>, <prefetch>,
				  <cursor>), HTML embedding (<iframe>,
				  <embed>, <object>), in any namespace:
				  CRITICAL naming it and how often */
	SVG_F_EVENT_ATTR,      /* an on* attribute or an XML Events one
				  CRITICAL naming element and
				  attribute */
	SVG_F_EXTERNAL_REF,    /* href / xlink:href not "#...", url() or
				  @import in a style to outside, an
				  xml-stylesheet processing instruction
				  CRITICAL naming it */
	SVG_F_FOREIGN,         /* elements outside the SVG namespace
				  (editor metadata such as Illustrator's
				  or Inkscape's): schema-based validators
				  refuse them: WARNING, one finding with
				  the count and the first */
	SVG_F_TOO_MANY,        /* over LIMIT_SVG_ELEMENTS: CRITICAL, the
				  rest not checked */
	SVG_F_TOO_DEEP,        /* nesting over LIMIT_SVG_DEPTH: CRITICAL,
				  the deeper part not checked */
	SVG_F_NOMEM,           /* out of memory in libxml2: UNKNOWN */
};

struct svg_result {
	bool parsed;     /* libxml2 built a tree */
	bool valid;      /* no CRITICAL (or UNKNOWN) finding: the
			    profile's rules we check all hold */
	size_t size;     /* bytes given */
	size_t elements; /* elements walked */
	size_t depth;    /* deepest nesting walked (root: 1) */
	bool has_title;
	char title[4 * LIMIT_SVG_TEXT_SHOWN + 8]; /* the root's <title>
				   text, escaped and cut: safe to print */
	struct finding_list findings;             /* owned */
};

/*
 * Check len bytes of an SVG document (already decompressed) against the
 * profile. Never NULL but when out of memory. Caller frees with
 * svg_result_free() (NULL accepted).
 */
struct svg_result *svg_tinyps_check(const void *data, size_t len);
void svg_result_free(struct svg_result *r);

#endif
