/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Which servers to ask: numeric -s addresses (port -p), else the first
 * LIMIT_SERVERS usable "nameserver" lines of resolv.conf.
 */
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>

#include "dns_servers.h"
#include "resolver.h"

static bool add_server(struct dns_server *s, const char *text, uint16_t port, int family)
{
	struct addrinfo hints, *ai = NULL;
	char portstr[8], host[48];

	memset(&hints, 0, sizeof(hints));
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
	hints.ai_socktype = SOCK_DGRAM;
	hints.ai_family = family == 4 ? AF_INET : family == 6 ? AF_INET6 : AF_UNSPEC;
	snprintf(portstr, sizeof(portstr), "%u", (unsigned)port);
	if (getaddrinfo(text, portstr, &hints, &ai) != 0 || ai == NULL)
		return false;
	if (ai->ai_addrlen > sizeof(s->addr)) {
		freeaddrinfo(ai);
		return false;
	}
	memcpy(&s->addr, ai->ai_addr, ai->ai_addrlen);
	s->addrlen = ai->ai_addrlen;
	freeaddrinfo(ai);
	if (getnameinfo((struct sockaddr *)&s->addr, s->addrlen, host, sizeof(host), NULL, 0,
			NI_NUMERICHOST) != 0)
		snprintf(host, sizeof(host), "?");
	snprintf(s->name, sizeof(s->name), "%s#%u", host, (unsigned)port);
	return true;
}

bool dns_server_parse(struct dns_server *s, const char *text, uint16_t port, int family)
{
	return add_server(s, text, port, family);
}

/* Is text a numeric address of the other family (for "-4/-6" errors)? */
static bool other_family(const char *text, int family)
{
	struct dns_server tmp;

	return family != 0 && add_server(&tmp, text, 53, 0);
}

static bool load_resolv_conf(const char *path, const struct resolver_config *cfg, uint16_t port,
			     struct dns_server *servers, size_t *n, char *err, size_t errlen)
{
	char line[512];
	size_t skipped = 0;
	FILE *f = fopen(path, "r");

	if (f == NULL) {
		snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
		return false;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		char *p = line, *addr;
		size_t len = strlen(line);

		if (len > 0 && line[len - 1] != '\n' && !feof(f)) {
			int c; /* overlong line: skip the rest of it */
			while ((c = fgetc(f)) != EOF && c != '\n')
				;
			continue;
		}
		while (*p == ' ' || *p == '\t')
			p++;
		if (*n >= LIMIT_SERVERS || strncmp(p, "nameserver", 10) != 0 ||
		    (p[10] != ' ' && p[10] != '\t'))
			continue;
		p += 10;
		while (*p == ' ' || *p == '\t')
			p++;
		addr = p;
		while (*p != '\0' && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r' &&
		       *p != '#' && *p != ';')
			p++;
		*p = '\0';
		if (*addr == '\0')
			continue;
		if (add_server(&servers[*n], addr, port, cfg->family))
			(*n)++;
		else
			skipped++;
	}
	fclose(f);
	if (*n == 0) {
		if (skipped > 0 && cfg->family != 0)
			snprintf(err, errlen, "no IPv%d nameserver in %s", cfg->family, path);
		else
			snprintf(err, errlen, "no nameserver in %s", path);
		return false;
	}
	return true;
}

bool dns_servers_load(const struct resolver_config *cfg, struct dns_server *servers,
		      size_t *nservers, char *err, size_t errlen)
{
	uint16_t port = cfg->port ? cfg->port : 53;
	size_t i;

	*nservers = 0;
	if (cfg->family != 0 && cfg->family != 4 && cfg->family != 6) {
		snprintf(err, errlen, "invalid address family %d", cfg->family);
		return false;
	}
	if (cfg->nservers == 0)
		return load_resolv_conf(cfg->resolv_conf ? cfg->resolv_conf : "/etc/resolv.conf",
					cfg, port, servers, nservers, err, errlen);
	if (cfg->nservers > LIMIT_SERVERS) {
		snprintf(err, errlen, "too many servers (%zu > %d)", cfg->nservers, LIMIT_SERVERS);
		return false;
	}
	for (i = 0; i < cfg->nservers; i++) {
		const char *s = cfg->servers[i] ? cfg->servers[i] : "";

		if (add_server(&servers[*nservers], s, port, cfg->family)) {
			(*nservers)++;
			continue;
		}
		if (!other_family(s, cfg->family)) {
			snprintf(err, errlen, "invalid server address: %.64s", s);
			return false;
		}
	}
	if (*nservers == 0) {
		snprintf(err, errlen, "no IPv%d address among the servers", cfg->family);
		return false;
	}
	return true;
}
