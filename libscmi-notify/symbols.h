/* SPDX-License-Identifier: MIT */
/*
 * Export control: the library is built with -fvisibility=hidden; a public
 * function is marked SCMI_EXPORT and listed in libscmi-notify.sym.
 */
#ifndef SCMI_SYMBOLS_H
#define SCMI_SYMBOLS_H

#define SCMI_EXPORT __attribute__((visibility("default")))

#endif /* SCMI_SYMBOLS_H */
