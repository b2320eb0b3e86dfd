/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * maxrss OUTFILE COMMAND [ARG...]: run COMMAND, write its own peak
 * resident set size in kB to OUTFILE, exit with its exit status.
 *
 * Why: a child forked from the Python test rig inherits the rig's
 * resident pages, and Linux folds the pre-exec high-water mark into the
 * child's ru_maxrss, so the rig alone cannot measure a plugin's peak RSS
 * (doc/hostile-inputs.md: <= 64 MiB). Forked from this small process instead,
 * the plugin's ru_maxrss is its own.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: maxrss OUTFILE COMMAND [ARG...]\n");
		return 125;
	}
	pid_t pid = fork();
	if (pid < 0) {
		perror("maxrss: fork");
		return 125;
	}
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		perror("maxrss: exec");
		_exit(127);
	}
	int st;
	struct rusage ru;
	while (wait4(pid, &st, 0, &ru) < 0) {
		if (errno != EINTR) {
			perror("maxrss: wait4");
			return 125;
		}
	}
	FILE *f = fopen(argv[1], "w");
	if (f != NULL) {
		fprintf(f, "%ld\n", ru.ru_maxrss);
		fclose(f);
	}
	if (WIFSIGNALED(st)) {
		/* Die the same way, so the rig sees the signal, not a code. */
		signal(WTERMSIG(st), SIG_DFL);
		raise(WTERMSIG(st));
		return 128 + WTERMSIG(st);
	}
	return WEXITSTATUS(st);
}
