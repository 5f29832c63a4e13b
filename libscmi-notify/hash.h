/* SPDX-License-Identifier: MIT */
/*
 * uthash, included one way for the whole library: in its non-fatal OOM
 * mode. By default uthash calls exit(-1) when it cannot allocate a table
 * or grow its buckets; here a HASH_ADD that cannot allocate leaves the
 * table as it was and the element out of it, and HASH_ADDED() says so.
 * HASH_DEL and HASH_FIND never allocate.
 */
#ifndef SCMI_HASH_H
#define SCMI_HASH_H

#define HASH_NONFATAL_OOM 1

#include <uthash.h>

/*
 * Whether the element @elt (handle @hh) is in a table: after HASH_ADD*,
 * false means the add failed for want of memory (uthash then sets the
 * handle's table pointer to NULL).
 */
#define HASH_ADDED(elt, hh) ((elt)->hh.tbl != NULL)

#endif /* SCMI_HASH_H */
