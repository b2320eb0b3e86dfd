/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_dmarc_reports: the files of --dir (plugins/reports_files.h).
 * Only openat(O_RDONLY | O_NOFOLLOW) and read(): the monitoring user
 * may read a mailbox it must never change, and a symbolic link planted
 * in it must not make the plugin read another file.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "clock.h"
#include "plugin.h"
#include "reports_files.h"

void reports_bad(struct reports_run *r, const char *name, const char *why)
{
	if (r->nbad < LIMIT_REPORT_SHOWN) {
		struct bad_file *b = &r->bad[r->nbad];

		out_bytes(b->name, sizeof(b->name), name, strlen(name));
		out_setf(b->why, sizeof(b->why), "%s", why);
	}
	r->nbad++;
}

/* The whole file, at most LIMIT_REPORT_FILE_BYTES; NULL when it is not
 * a regular file (skipped) or cannot be read (bad, with why). */
static unsigned char *read_file(struct reports_run *r, int dfd, const char *name, size_t *len,
				char *why, size_t whylen)
{
	int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	struct stat st;
	unsigned char *buf = NULL;
	size_t got = 0;

	why[0] = '\0';
	if (fd < 0) {
		if (errno == ELOOP) {
			r->skipped++; /* a symbolic link: never followed */
		} else {
			out_setf(why, whylen, "cannot be opened: %s", strerror(errno));
		}
		return NULL;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		r->skipped++;
		goto out;
	}
	if ((uintmax_t)st.st_size > LIMIT_REPORT_FILE_BYTES) {
		/* a 1 GiB file (sparse or not) is never read */
		out_setf(why, whylen, "%jd bytes, over the limit of %u", (intmax_t)st.st_size,
			 LIMIT_REPORT_FILE_BYTES);
		goto out;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (buf == NULL) {
		out_setf(why, whylen, "out of memory");
		goto out;
	}
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);

		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n <= 0) {
			break; /* shrunk while read: what was there */
		}
		got += (size_t)n;
	}
	*len = got;
out:
	close(fd);
	return buf;
}

/* The names of a directory, sorted so the output does not depend on
 * the file system's order. */
static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool read_one_dir(struct reports_run *r, int dfd, const char *sub, reports_file_fn fn)
{
	DIR *d;
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0;
	int fd = sub ? openat(dfd, sub, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) : dup(dfd);

	if (fd < 0 || (d = fdopendir(fd)) == NULL) {
		if (fd >= 0) {
			close(fd);
		}
		return false;
	}
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.') {
			continue; /* ., .., and Maildir's hidden files */
		}
		if (r->files + n >= LIMIT_REPORT_FILES) {
			r->not_read++;
			continue;
		}
		if (n == cap) {
			char **v = realloc(names, (cap ? cap * 2 : 64) * sizeof(*v));

			if (v == NULL) {
				break;
			}
			names = v;
			cap = cap ? cap * 2 : 64;
		}
		names[n] = strdup(e->d_name);
		if (names[n] != NULL) {
			n++;
		}
	}
	if (n > 0) {
		qsort(names, n, sizeof(*names), by_name);
	}
	for (size_t i = 0; i < n; i++) {
		char why[200], label[300];
		size_t len = 0;
		unsigned char *data;

		/* leave a tenth of -t for DNS and the output */
		if (clock_monotonic_now() > r->co->deadline - r->co->timeout / 10) {
			r->not_read += (unsigned)(n - i);
			for (; i < n; i++) {
				free(names[i]);
			}
			break;
		}
		out_setf(label, sizeof(label), "%s%s%s", sub ? sub : "", sub ? "/" : "", names[i]);
		data = read_file(r, dirfd(d), names[i], &len, why, sizeof(why));
		if (data != NULL) {
			r->files++;
			fn(r, label, data, len);
			free(data);
		} else if (why[0] != '\0') {
			r->files++;
			reports_bad(r, label, why);
		}
		free(names[i]);
	}
	free(names);
	closedir(d);
	return true;
}

bool reports_read_dir(struct reports_run *r, reports_file_fn fn, char *why, size_t whylen)
{
	int dfd = open(r->o->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct stat st;
	bool maildir;

	if (dfd < 0) {
		out_setf(why, whylen, "cannot read directory %s: %s", r->o->dir, strerror(errno));
		return false;
	}
	/* a Maildir: its cur/ and new/ (tmp/ holds mail being delivered) */
	maildir = fstatat(dfd, "cur", &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode) &&
		  fstatat(dfd, "new", &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode);
	if (maildir) {
		check_verbose(r->c, 1, "%s is a Maildir: reading cur/ and new/", r->o->dir);
		read_one_dir(r, dfd, "cur", fn);
		read_one_dir(r, dfd, "new", fn);
	} else if (!read_one_dir(r, dfd, NULL, fn)) {
		out_setf(why, whylen, "cannot read directory %s", r->o->dir);
		close(dfd);
		return false;
	}
	close(dfd);
	return true;
}
