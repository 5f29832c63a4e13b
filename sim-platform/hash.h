/* SPDX-License-Identifier: MIT */
/*
 * uthash for the simulator, always in its non-fatal OOM mode: by default
 * uthash calls exit(-1) when a HASH_ADD cannot allocate its table or grow
 * its buckets, which would take the whole platform down with every agent
 * on it. Here such an add leaves the table as it was and the element out
 * of it, HASH_ADDED() says so, and the caller answers with an error.
 * Include this, never <uthash.h>. (The library has its own, in
 * libscmi-notify/: the two programs share no private header.)
 */
#ifndef SIM_HASH_H
#define SIM_HASH_H

#define HASH_NONFATAL_OOM 1

#include <uthash.h>

/* After HASH_ADD*: whether @elt (handle @hh) went into the table. */
#define HASH_ADDED(elt, hh) ((elt)->hh.tbl != NULL)

#endif /* SIM_HASH_H */
