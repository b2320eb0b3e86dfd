/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_core_stub: a plugin made only to exercise plugins/plugin.c (start,
 * backstop, exit, die, DNS errors) from tests/unit/test_plugin_runtime.py.
 * The resolver is stood in for below, so this tests the runtime, not DNS.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "plugin.h"

enum {
	OPT_MODE = OPT_PLUGIN_BASE
};

static const char *mode = "ok";

static const char *handle(void *ctx, int opt, const char *arg)
{
	(void)ctx;
	if (opt == OPT_MODE) {
		mode = arg;
		return NULL;
	}
	return "unexpected option";
}

static const struct option long_opts[] = {
	{"mode", required_argument, NULL, OPT_MODE},
	{NULL, 0, NULL, 0},
};

static const struct plugin_info info = {
	.progname = "check_core_stub",
	.service = "CORE",
	.blurb = "This plugin exercises the shared plugin runtime of maildns-plugins:\n"
		 "option parsing, the timeout backstop, output and exit codes.",
	.usage = "[--mode=MODE]",
	.options_help = " --mode=MODE\n"
			"    What to do: ok, sleep, die, dnserror, resolver, deadline, bigout\n"
			"    (default: ok)\n",
	.notes = "Examples:\n"
		 " check_core_stub -D example.com --mode=sleep -t 1:warning\n"
		 "    WARNING after one second, from the backstop\n",
	.short_opts = "",
	.long_opts = long_opts,
	.handle = handle,
	.ctx = NULL,
	.domain_optional = false,
};

/* Resolver stand-ins (resolver.h), so that no DNS is involved. */
struct resolver {
	unsigned sent;
};

struct resolver *resolver_new(const struct resolver_config *cfg, char *err, size_t errlen)
{
	struct resolver *res;

	if (cfg->nservers == 0) {
		snprintf(err, errlen, "no nameserver in /etc/resolv.conf");
		return NULL;
	}
	res = calloc(1, sizeof(*res));
	if (res != NULL) {
		res->sent = 3;
	}
	return res;
}

void resolver_free(struct resolver *res)
{
	free(res);
}

unsigned resolver_queries_sent(const struct resolver *res)
{
	return res->sent;
}

unsigned resolver_round_trips(const struct resolver *res)
{
	(void)res;
	return 1;
}

int64_t resolver_rrsig_expire(const struct resolver *res)
{
	(void)res;
	return 0; /* no --dnssec validation in the stub */
}

bool resolver_dnssec_note(const struct resolver *res, size_t i, char *buf, size_t len)
{
	(void)res, (void)i, (void)buf, (void)len;
	return false;
}

const char *resolver_anchor_problem(const struct resolver *res)
{
	(void)res;
	return NULL;
}

bool resolver_failover_note(const struct resolver *res, size_t i, char *buf, size_t len)
{
	(void)res;
	if (i > 0) {
		return false;
	}
	snprintf(buf, len, "127.0.0.1#5301 answered REFUSED to 1 question");
	return true;
}

char *answer_describe(const struct dns_answer *ans, char *buf, size_t len)
{
	snprintf(buf, len, "DNS timeout for _dmarc.example.com/TXT via %s after 2.0s", ans->server);
	return buf;
}

int main(int argc, char **argv)
{
	struct common_opts co;
	struct check *c;

	plugin_start(argc, argv, &info, &co);
	c = check_new(info.service);
	check_set_verbosity(c, co.verbose);
	check_subject(c, "%s", co.domain_shown);

	if (strcmp(mode, "sleep") == 0) {
		plugin_stage("waiting for a silent server");
		for (;;) {
			pause();
		}
	} else if (strcmp(mode, "die") == 0) {
		check_free(c);
		plugin_die(&info, "cannot read key file %s", "/tmp/x|y\n");
	} else if (strcmp(mode, "dnserror") == 0) {
		struct dns_answer ans;

		memset(&ans, 0, sizeof(ans));
		ans.status = RES_TIMEOUT;
		snprintf(ans.server, sizeof(ans.server), "127.0.0.1#5300");
		plugin_dns_error(c, &co, &ans, "DMARC record");
		plugin_dns_error(c, &co, &ans, NULL);
		plugin_exit(c, NULL);
	} else if (strcmp(mode, "resolver") == 0) {
		struct resolver *res = plugin_resolver(&co);

		check_add(c, STATE_OK, "resolver ready");
		plugin_exit(c, res);
	} else if (strcmp(mode, "deadline") == 0) {
		check_add(c, STATE_OK, "deadline in %.3f s, verbose %d",
			  co.deadline - clock_monotonic_now(), co.rcfg.verbose);
		plugin_exit(c, NULL);
	} else if (strcmp(mode, "bigout") == 0) {
		/* O-03: the reader has gone by the time we write */
		usleep(300000);
		for (int i = 0; i < 500; i++) {
			check_add(c, STATE_OK, "line %d of a long output that nobody reads", i);
		}
		plugin_exit(c, NULL);
	}
	check_add(c, STATE_OK, "all fine");
	plugin_exit(c, NULL);
}
