/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Compiler attributes, apart from any module so that parsers need not
 * include the renderer for them. */
#ifndef MAILDNS_COMPILER_H
#define MAILDNS_COMPILER_H

#if defined(__GNUC__)
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#else
#define PRINTF_LIKE(f, a)
#endif

#endif
