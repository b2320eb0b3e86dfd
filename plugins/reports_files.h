/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_dmarc_reports: reading the report files of --dir. */
#ifndef MAILDNS_REPORTS_FILES_H
#define MAILDNS_REPORTS_FILES_H

#include <stddef.h>

#include "reports_run.h"

/* What is done with each file read: name as found (outside bytes),
 * its contents. */
typedef void (*reports_file_fn)(struct reports_run *r, const char *name, const unsigned char *data,
				size_t len);

/*
 * Every regular file of r->o->dir (a Maildir's cur/ and new/, else the
 * directory itself, not recursing), opened read-only with O_NOFOLLOW and
 * never changed: symbolic links, directories and devices are skipped
 * (counted), files over LIMIT_REPORT_FILE_BYTES are bad unread, at most
 * LIMIT_REPORT_FILES are read and none after the run's deadline comes
 * near (counted in r->not_read). False with why when the directory
 * cannot be read at all.
 */
bool reports_read_dir(struct reports_run *r, reports_file_fn fn, char *why, size_t whylen);

/* Count a bad file and keep its name and why (escaped) for the output. */
void reports_bad(struct reports_run *r, const char *name, const char *why);

#endif
