/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * runstat N COMMAND [ARG...]: run COMMAND N times, one after another,
 * with stdin, stdout and stderr on /dev/null, and print one line per run:
 *
 *     wall_us cpu_us maxrss_kb status
 *
 * wall from CLOCK_MONOTONIC around fork..wait4, CPU = ru_utime + ru_stime
 * and ru_maxrss from wait4() of that child (both include the children it
 * waited for, e.g. the dig that check_dig forks).
 *
 * Why our own timer: hyperfine reports user and system time as means of
 * the whole set, not per run, and no peak RSS; /usr/bin/time forks a
 * shell-free child too but one process per run. Forked from this small
 * process the child's ru_maxrss is its own (Linux folds the parent's
 * pre-exec high-water mark into it: a Python parent would inflate it).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int main(int argc, char **argv)
{
	char *end;
	long n = argc >= 3 ? strtol(argv[1], &end, 10) : 0;

	if (argc < 3 || *end != '\0' || n < 1 || n > 100000) {
		fprintf(stderr, "usage: runstat N COMMAND [ARG...]\n");
		return 2;
	}
	for (long i = 0; i < n; i++) {
		long long t0 = now_us();
		pid_t pid = fork();
		if (pid < 0) {
			perror("runstat: fork");
			return 2;
		}
		if (pid == 0) {
			int fd = open("/dev/null", O_RDWR);
			if (fd >= 0) {
				dup2(fd, 0);
				dup2(fd, 1);
				dup2(fd, 2);
			}
			execvp(argv[2], argv + 2);
			_exit(127);
		}
		int st;
		struct rusage ru;
		while (wait4(pid, &st, 0, &ru) < 0) {
			if (errno != EINTR) {
				perror("runstat: wait4");
				return 2;
			}
		}
		long long wall = now_us() - t0;
		long long cpu = (long long)ru.ru_utime.tv_sec * 1000000 + ru.ru_utime.tv_usec +
				(long long)ru.ru_stime.tv_sec * 1000000 + ru.ru_stime.tv_usec;
		printf("%lld %lld %ld %d\n", wall, cpu, ru.ru_maxrss,
		       WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
	}
	return 0;
}
