#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# floor.sh DIR: build the benchmark's floor programs into DIR.
#   floor_dyn     an empty C program with ldns, libssl and libcrypto linked
#                 (dynamically, --no-as-needed: what loading them costs)
#   floor_static  the same with those three as static archives (nothing
#                 is pulled in from them: the cost of a bare C program)
#   floor_rsa     decodes one base64 SubjectPublicKeyInfo (a DKIM p=) with
#                 OpenSSL 3 and reads its size: the least a DKIM check does
set -e
d=$1
cc=${CC:-cc}
cat > "$d/floor_empty.c" <<'C'
int main(void) { return 0; }
C
cat > "$d/floor_rsa.c" <<'C'
#include <stdio.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
int main(int argc, char **argv)
{
	static char b64[4096];
	static unsigned char der[4096];
	FILE *f = argc > 1 ? fopen(argv[1], "r") : NULL;
	if (f == NULL)
		return 3;
	size_t n = fread(b64, 1, sizeof b64 - 1, f);
	fclose(f);
	int len = EVP_DecodeBlock(der, (unsigned char *)b64, (int)n);
	if (len < 0)
		return 2;
	const unsigned char *p = der;
	EVP_PKEY *k = d2i_PUBKEY(NULL, &p, len);
	if (k == NULL)
		return 2;
	printf("%d bits\n", EVP_PKEY_get_bits(k));
	EVP_PKEY_free(k);
	return 0;
}
C
$cc -O2 -o "$d/floor_dyn" "$d/floor_empty.c" -Wl,--no-as-needed -lldns -lssl -lcrypto
$cc -O2 -o "$d/floor_static" "$d/floor_empty.c" -Wl,-Bstatic -lldns -lssl -lcrypto -Wl,-Bdynamic
$cc -O2 -o "$d/floor_rsa" "$d/floor_rsa.c" -lcrypto
