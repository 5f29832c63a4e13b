/* SPDX-License-Identifier: MIT */
/*
 * Small helpers for users of libscmi-notify and for the other public
 * headers, in C (C99 and later) and C++ (C++11 and later) alike: macros
 * only, nothing to link.
 *
 * scmi_container_of() is the kernel's container_of(): a notifier callback
 * gets the struct scmi_notifier it registered and finds the struct that
 * embeds it,
 *
 *   struct watcher {
 *           struct scmi_notifier nb;
 *           unsigned int seen;
 *   };
 *
 *   static int on_event(struct scmi_notifier *nb, uint8_t evt_id,
 *                       const void *report)
 *   {
 *           struct watcher *w = scmi_container_of(nb, struct watcher, nb);
 *
 *           w->seen++;
 *           return SCMI_NOTIFY_OK;
 *   }
 *
 * as a kernel notifier_block's callback does.
 */
#ifndef SCMI_UTIL_H
#define SCMI_UTIL_H

#include <stddef.h>

/*
 * SCMI_CAST(type, value): @value converted to @type, written as a cast in
 * C and as a static_cast in C++, so that the headers' inline functions
 * and macros compile without -Wold-style-cast warnings in C++ code.
 */
#ifdef __cplusplus
#define SCMI_CAST(type, value) (static_cast<type>(value))
#else
#define SCMI_CAST(type, value) ((type)(value))
#endif

/*
 * scmi_container_of(ptr, type, member): the struct of type @type whose
 * member @member @ptr points to (a pointer to @type). @ptr must point to
 * a @member of a @type; its type must be a pointer to @member's type,
 * which the compiler checks (C: a warning, an error with -Werror; C++: an
 * error). @type must be a C struct (standard layout in C++, for
 * offsetof()). In C++ @ptr must not point to const; in C the result is
 * never const.
 */
#ifdef __cplusplus
#define scmi_container_of(ptr, type, member)                                   \
	(reinterpret_cast<type *>(                                             \
		reinterpret_cast<char *>(ptr) - offsetof(type, member) -       \
		0 * sizeof((ptr) == &static_cast<type *>(nullptr)->member)))
#else
#define scmi_container_of(ptr, type, member)                                   \
	((type *)(void *)((char *)(ptr) - offsetof(type, member) -             \
			  0 * sizeof((ptr) == &((type *)0)->member)))
#endif

#endif /* SCMI_UTIL_H */
