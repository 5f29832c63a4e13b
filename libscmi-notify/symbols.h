/* SPDX-License-Identifier: MIT */
/*
 * Export control: the library is built with -fvisibility=hidden; a public
 * function is marked SCMI_EXPORT and listed in libscmi-notify.sym.
 *
 * A symbol of a released node whose function was renamed or changed
 * stays for the programs linked against that release (compat.c): a
 * function of another name, declared SCMI_COMPAT, is exported as
 * NAME@NODE with SCMI_SYMVER(function, NAME, NODE). NAME@NODE (one '@')
 * is not the default version: programs built now cannot link to it,
 * those built then still find it. The version script lists NAME in NODE
 * as before.
 */
#ifndef SCMI_SYMBOLS_H
#define SCMI_SYMBOLS_H

#define SCMI_EXPORT __attribute__((visibility("default")))

/* The visibility of a compat function (named otherwise than its symbol). */
#define SCMI_COMPAT __attribute__((visibility("default")))

/* Export @fn as name@node, not the default version: a released node's symbol. */
#define SCMI_SYMVER(fn, name, node) \
	__asm__(".symver " #fn ", " #name "@" #node)

#endif /* SCMI_SYMBOLS_H */
