/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Names of the RR types (common/dns_type.h). */
#include <stdio.h>

#include "dns_type.h"

const char *dns_type_str(uint16_t type, char *buf, size_t len)
{
	const char *s = NULL;

	switch (type) {
	case DNS_T_A:
		s = "A";
		break;
	case DNS_T_NS:
		s = "NS";
		break;
	case DNS_T_CNAME:
		s = "CNAME";
		break;
	case DNS_T_SOA:
		s = "SOA";
		break;
	case DNS_T_PTR:
		s = "PTR";
		break;
	case DNS_T_MX:
		s = "MX";
		break;
	case DNS_T_TXT:
		s = "TXT";
		break;
	case DNS_T_AAAA:
		s = "AAAA";
		break;
	case DNS_T_SPF:
		s = "SPF";
		break;
	case DNS_T_TLSA:
		s = "TLSA";
		break;
	}
	if (s != NULL)
		snprintf(buf, len, "%s", s);
	else
		snprintf(buf, len, "TYPE%u", (unsigned)type);
	return buf;
}
