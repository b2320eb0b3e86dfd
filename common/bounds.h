/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Hard limits on everything that counts (doc/hostile-inputs.md rule 4).
 * Checked before allocating and before indexing. Printed by --help where
 * a user meets them; keep the two in step.
 */
#ifndef MAILDNS_BOUNDS_H
#define MAILDNS_BOUNDS_H

/* DNS */
#define LIMIT_SERVERS        8     /* -s options and resolv.conf entries used */
#define LIMIT_CNAME_HOPS     16    /* CNAMEs followed from one query name */
#define LIMIT_RRS_PER_ANSWER 1000  /* RRs inspected in one reply */
#define LIMIT_TXT_STRINGS    1000  /* character-strings in one TXT RR */
#define LIMIT_DNS_MESSAGE    65535 /* a DNS message over TCP */
#define LIMIT_EDNS_BUFSIZE   1232  /* EDNS0 UDP payload size we advertise */
#define LIMIT_BATCH          256   /* queries in flight at once */
#define LIMIT_QUERIES        512   /* queries one run may send */

/* Output */
#define LIMIT_STATUS_TEXT 256  /* bytes of the first line before perfdata */
#define LIMIT_LINE_TEXT   1024 /* bytes of one long-output line */
#define LIMIT_FINDINGS    512  /* long-output lines kept */
#define LIMIT_PERFDATA    64   /* perfdata items on the first line */

/* MX */
#define LIMIT_MX_HOSTS      100 /* MX RRs looked at */
#define LIMIT_MX_EXPECT     16  /* -e/--expect options */
#define LIMIT_MX_HOST_ADDRS 16  /* A+AAAA addresses kept per MX host */
#define LIMIT_MX_PTR_ADDRS  32  /* addresses checked by --ptr */
#define LIMIT_MX_PTR_NAMES  4   /* PTR names per address confirmed */

/* SPF (check_spf) */
#define LIMIT_SPF_RECORD_BYTES                                                                     \
	8192                    /* one record's bytes; over: permerror                             \
				   "record too long" (S-REC-02) */
#define LIMIT_SPF_TERMS     512 /* terms in one record */
#define LIMIT_SPF_LOOKUPS   10  /* RFC 7208 4.6.4 DNS-querying terms */
#define LIMIT_SPF_VOID      2   /* RFC 7208 4.6.4 void lookups */
#define LIMIT_SPF_MX_NAMES  10  /* RFC 7208 4.6.4: more is permerror */
#define LIMIT_SPF_PTR_NAMES 10  /* RFC 7208 4.6.4: the rest ignored */
#define LIMIT_SPF_DEPTH                                                                            \
	16 /* include/redirect nesting (the lookup                                                 \
	      limit keeps it at 11) */
#define LIMIT_SPF_MACRO_OUT                                                                        \
	4096                    /* bytes of one macro expansion; over:                             \
				   permerror (exp: ignored) */
#define LIMIT_SPF_EXP_SHOWN 200 /* bytes of explanation printed */
#define LIMIT_SPF_ADDRESSES 64  /* --ip plus --mail-host addresses */
#define LIMIT_SPF_AUDIT_RECORDS                                                                    \
	50                          /* records the audit fetches over the                          \
				       include/redirect tree */
#define LIMIT_SPF_AUDIT_TARGETS 64  /* a/mx/exists targets it resolves */
#define LIMIT_SPF_AUDIT_EDGES   512 /* include/redirect terms it follows */
#define LIMIT_SPF_UDP_RECORD                                                                       \
	450 /* record bytes that surely fit a                                                      \
	       512-byte UDP answer (3.4) */
#define LIMIT_SPF_EVAL_QUERIES                                                                     \
	112 /* questions of one check_host() at                                                    \
	       worst (S-LIM-07): the TXT, 10 mx                                                    \
	       terms x (MX + 10 addresses), exp= */
#define LIMIT_SPF_AUDIT_QUERIES                                                                    \
	310 /* questions of the audit at worst:                                                    \
	       TXT+SPF of the domain, 49 more TXT,                                                 \
	       64 targets x 2, 64 MX hosts x 2,                                                    \
	       MX+A+AAAA for the fix line */
#define LIMIT_SPF_QUERIES                                                                          \
	(LIMIT_SPF_ADDRESSES * LIMIT_SPF_EVAL_QUERIES + LIMIT_SPF_AUDIT_QUERIES + LIMIT_QUERIES)
/* check_spf's resolver_config
   max_queries (7990): the worst case
   above, plus LIMIT_QUERIES for the
   mail host, retries and --all-ns */

/* DKIM (check_dkim) */
#define LIMIT_DKIM_SELECTORS 16 /* -S options */
#define LIMIT_DKIM_TAGS      64 /* tags in one key record */
#define LIMIT_DKIM_KEY_BYTES                                                                       \
	8192                      /* decoded p= bytes, checked before any                          \
				     DER parsing (K-14); a 16384-bit SPKI                          \
				     is 2094 bytes */
#define LIMIT_DKIM_RSA_BITS 16384 /* OPENSSL_RSA_MAX_MODULUS_BITS (K-05) */
#define LIMIT_DKIM_RSA_EXP_BITS                                                                    \
	64                            /* OPENSSL_RSA_MAX_PUBEXP_BITS, for                          \
					 moduli over 3072 bits (K-05) */
#define LIMIT_DKIM_PRIVKEY_FILE 65536 /* bytes of a -k file read */

/* DMARC (check_dmarc) */
#define LIMIT_DMARC_TAGS         2048 /* tags parsed in one record (M-02) */
#define LIMIT_DMARC_URIS         1000 /* rua/ruf URIs examined per tag (M-01) */
#define LIMIT_DMARC_URIS_ADVISED 2    /* receivers need only support 2 (RFC 7489 6.2) */
#define LIMIT_DMARC_DESTINATIONS                                                                   \
	10                       /* report domains verified: authorisation                         \
				    and MX (M-09) */
#define LIMIT_DMARC_FINDINGS  64 /* parser findings kept per record */
#define LIMIT_DMARC_TREE_WALK 8  /* RFC 9989 4.10 tree walk: _dmarc queries (M-11) */

/* MTA-STS (RFC 8461) and TLS-RPT (RFC 8460) records and policies */
#define LIMIT_MTA_STS_POLICY_BYTES                                                                 \
	65536 /* policy body bytes parsed; RFC 8461                                                \
	     3.3 suggests senders accept no more                                                   \
	     than 64 KB (H-02, H-06) */
#define LIMIT_MTA_STS_LINE                                                                         \
	1024 /* bytes of one policy line parsed; a                                                 \
		longer one is named and skipped                                                    \
		(H-06): a host name is at most 253 */
#define LIMIT_MTA_STS_MX                                                                           \
	100 /* mx patterns kept and matched; more                                                  \
	       are counted and named (H-06); as                                                    \
	       many as MX hosts looked at                                                          \
	       (LIMIT_MX_HOSTS) */
#define LIMIT_MTA_STS_LINE_FINDINGS                                                                \
	16 /* findings about single lines or                                                       \
	    fields (syntax, bytes, patterns)                                                       \
	    per policy or record; the rest                                                         \
	    counted in one finding, so 10,000                                                      \
	    bad lines stay 17 findings */
#define LIMIT_MTA_STS_MAX_AGE                                                                      \
	31557600 /* RFC 8461 3.2: max_age at most a                                                \
		 year of 365.25 days (P-03) */
#define LIMIT_MTA_STS_MAX_AGE_LOW                                                                  \
	86400 /* a max_age under a day protects                                                    \
	      little between fetches (RFC 8461                                                     \
	      3.2 expects weeks): WARNING */
#define LIMIT_TLSRPT_URIS                                                                          \
	32 /* rua= URIs examined (P-04); each is a                                                 \
	      destination a plugin may look up */
#define LIMIT_TLSA_MX_HOSTS                                                                        \
	16 /* MX hosts whose _25._tcp TLSA record                                                  \
	      check_tlsrpt asks (is DANE in use?)                                                  \
	      when the record is missing: more                                                     \
	      than a domain has in practice, few                                                   \
	      enough for one batch of questions */

/* SMTP (check_mx --smtp) */
#define LIMIT_SMTP_HOSTS                                                                           \
	5 /* MX hosts probed, best preference                                                      \
	     first (hostile-inputs T-01) */
#define LIMIT_SMTP_CONNS                                                                           \
	32 /* addresses of those hosts probed, all                                                 \
	      at once */
#define LIMIT_SMTP_LINE                                                                            \
	512                          /* octets of one reply line, CRLF                             \
					included (RFC 5321 4.5.3.1.5; T-04) */
#define LIMIT_SMTP_REPLY_LINES 100   /* lines of one reply (T-05, T-14) */
#define LIMIT_SMTP_REPLY_BYTES 65536 /* octets of one reply (T-05, T-14) */
#define LIMIT_SMTP_TEXT_SHOWN                                                                      \
	200                /* bytes of a banner, reply or                                          \
			      certificate subject printed */
#define LIMIT_TLS_CHAIN 10 /* certificates of a chain kept */
#define LIMIT_TLS_CHAIN_BYTES                                                                      \
	102400            /* certificate message accepted                                          \
			    (OpenSSL's max_cert_list) */
#define LIMIT_TLSA_RRS 32 /* TLSA records matched per host */

/* Propagation (--all-ns: every authoritative server of a zone asked) */
#define LIMIT_PROP_ADDRS 16 /* server addresses asked per zone */
#define LIMIT_PROP_SERVERS                                                                         \
	64 /* distinct servers asked directly in                                                   \
	      one run (resolver_query_direct) */
#define LIMIT_PROP_QUERIES                                                                         \
	256 /* direct questions in the one wave                                                    \
	       (= LIMIT_BATCH) */
#define LIMIT_PROP_ZONE_WALK                                                                       \
	8 /* names asked for an SOA, from a                                                        \
	     record's name up, to find its zone */

/* HTTPS fetches (MTA-STS policy, BIMI files; common/https_fetch.h). The
 * body cap is the caller's: each format has its own (H-02). */
#define LIMIT_HTTPS_ADDRS                                                                          \
	16                   /* addresses of the host tried (as                                    \
				LIMIT_MX_HOST_ADDRS) */
#define LIMIT_HTTPS_URL 2048 /* bytes of a URL fetched */

/* BIMI (check_bimi: the assertion record, the SVG indicator, the VMC) */
#define LIMIT_BIMI_TAGS                                                                            \
	64 /* tags parsed in one assertion record;                                                 \
	      the draft defines 5 */
#define LIMIT_BIMI_URL                                                                             \
	2048 /* bytes of an l= or a= URL; over:                                                    \
		refused before it is parsed (P-05:                                                 \
		a 10 KB URL). HTTP servers and                                                     \
		proxies commonly refuse longer                                                     \
		request lines; no logo URL needs                                                   \
		more */
#define LIMIT_BIMI_FINDINGS                                                                        \
	32 /* findings of one record, SVG or                                                       \
	      certificate kept; the rest are                                                       \
	      counted, with their worst state                                                      \
	      (finding_add_bounded) */
#define LIMIT_SVG_BYTES                                                                            \
	32768 /* bytes of an SVG indicator; over:                                                  \
		 refused before libxml2 sees it.                                                   \
		 The BIMI draft's and the receivers'                                               \
		 recommended maximum (32 KiB) */
#define LIMIT_SVG_ELEMENTS                                                                         \
	4096 /* elements walked in one SVG; a logo                                                 \
		has a few hundred. 32 KiB of                                                       \
		"<g/>" would be 8192 */
#define LIMIT_SVG_DEPTH                                                                            \
	64 /* element nesting walked (libxml2's                                                    \
	      own limit without XML_PARSE_HUGE                                                     \
	      is 256); exported logos nest                                                         \
	      under 20 */
#define LIMIT_SVG_TEXT_SHOWN                                                                       \
	80 /* bytes of a title or attribute                                                        \
	      value quoted in a finding */
#define LIMIT_BIMI_PEM_BYTES                                                                       \
	65536 /* bytes of a VMC PEM bundle; over:                                                  \
		 refused before any PEM parsing                                                    \
		 (P-05: a 1 MiB PEM). A VMC chain                                                  \
		 with its embedded logo is about                                                   \
		 10-40 KiB */
#define LIMIT_BIMI_CHAIN                                                                           \
	LIMIT_TLS_CHAIN /* certificates of a VMC                                                   \
		 bundle kept (leaf first) */
#define LIMIT_BIMI_SAN_SHOWN                                                                       \
	8 /* subjectAltName DNS names kept for                                                     \
	     the messages */

#endif
