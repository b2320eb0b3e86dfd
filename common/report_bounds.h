/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The limits of reading DMARC aggregate and SMTP TLS reports (rule 4 of
 * doc/hostile-inputs.md), each with the reason for its value. Kept apart
 * from common/bounds.h: only check_dmarc_reports and its tests use them.
 */
#ifndef MAILDNS_REPORT_BOUNDS_H
#define MAILDNS_REPORT_BOUNDS_H

/* bytes of one file read from the directory: a day's aggregate report
 * of a large receiver for a busy domain is a few MiB of XML, less as
 * .gz, .zip or in a mail; more is refused unread */
#define LIMIT_REPORT_FILE_BYTES (16u << 20)
/* bytes of the report once unwrapped (gunzip, unzip, MIME decoding):
 * the decompressed size is capped, not the ratio, so a 1000:1 bomb
 * stops here; 10,000 records of XML are about 4 MiB */
#define LIMIT_REPORT_XML_BYTES (16u << 20)
/* records kept of one aggregate report: each is a source address of
 * one day; more than a busy domain's few thousand is refused */
#define LIMIT_REPORT_ROWS 20000
/* element nesting read in a report; the format nests 5 deep */
#define LIMIT_REPORT_DEPTH 16
/* bytes kept of one element's text (org_name, report_id, selector...);
 * longer text is cut, never read past */
#define LIMIT_REPORT_TEXT 128
/* a message count above this is not a day's mail of one address but
 * garbage or an attack on the sums (R-05: 2^63, negative): refused */
#define LIMIT_REPORT_COUNT 1000000000000ULL
/* members of a zip archive looked at for the report (R-03: 10,000
 * members); a report zip holds one */
#define LIMIT_REPORT_MEMBERS 16
/* MIME parts walked in a message, and their nesting; a report
 * mail has two or three parts at depth 2 */
#define LIMIT_REPORT_MIME_PARTS 64
#define LIMIT_REPORT_MIME_DEPTH 8
/* lines starting with "--" (boundaries) in a message: GMime builds an
 * object for every part before any is looked at, about 2 KiB each, so a
 * message of 10,000 one-line parts is refused by this count
 * first; base64 never starts a line with "--" */
#define LIMIT_REPORT_MIME_LINES 1000
/* nesting of a JSON TLS report; the format nests 5 deep */
#define LIMIT_REPORT_JSON_DEPTH 32

/* files read from one directory (cur/ and new/ of a Maildir together):
 * a week of reports for a few hundred domains; the rest is counted
 * and named as not read */
#define LIMIT_REPORT_FILES 50000
/* distinct source addresses whose SPF is evaluated to tell own sources
 * (each a check_host() through the cached resolver); the rest count as
 * other sources, said in the output */
#define LIMIT_REPORT_SPF_IPS 1024
/* distinct other sources counted for the top list; the rest are summed */
#define LIMIT_REPORT_OTHER_IPS 4096
/* distinct (reporter, source, reason) of own failures kept */
#define LIMIT_REPORT_OWN_FAILS 256
/* lines of each list in the long output */
#define LIMIT_REPORT_SHOWN 10

#endif
