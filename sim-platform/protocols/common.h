/* SPDX-License-Identifier: MIT */
/*
 * What every simulated protocol does the same way: its table of messages
 * (id, exact request size, handler, room its reply needs), the dispatch
 * through that table with SCMI's status codes, PROTOCOL_MESSAGE_ATTRIBUTES,
 * and fixed-size name fields.
 *
 * A protocol's table has a row for every message the specification
 * defines at the version the protocol reports, and for no other: a
 * message this platform does not implement has a row without handler.
 * The statuses follow from the table as the reference platform
 * (SCP-firmware) answers them: an id without a row is NOT_FOUND, a row
 * without handler NOT_SUPPORTED.
 */
#ifndef SIM_PROTOCOLS_COMMON_H
#define SIM_PROTOCOLS_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../number.h"   /* the numbers of control requests */

struct sim_agent;

typedef int32_t sim_msg_fn(struct sim_agent *a, const uint8_t *req,
			   uint8_t *resp, size_t *resp_len);

struct sim_msg {
	uint8_t id;
	uint8_t req_sz;   /* the exact payload size */
	sim_msg_fn *fn;   /* NULL: defined, not implemented here */
	uint8_t resp_sz;  /* room the reply needs; 0: fn checks the room */
};

#define SIM_MSGS(tbl) (tbl), (sizeof(tbl) / sizeof((tbl)[0]))

/* Whether message @id of the table has a handler. */
bool sim_msg_implemented(const struct sim_msg *msgs, size_t n, uint32_t id);

/*
 * Run message @msg_id: NOT_FOUND if the table lacks it, NOT_SUPPORTED if
 * it has no handler, PROTOCOL_ERROR for a request of another size,
 * NOT_SUPPORTED (logged, naming @proto) if its reply cannot fit
 * *resp_len; else what its handler returns.
 */
int32_t sim_msg_dispatch(const char *proto, const struct sim_msg *msgs,
			 size_t n, struct sim_agent *a, uint8_t msg_id,
			 const uint8_t *req, size_t req_len, uint8_t *resp,
			 size_t *resp_len);

/*
 * PROTOCOL_MESSAGE_ATTRIBUTES: 0 for a message implemented, NOT_FOUND for
 * any other (not defined, or defined and not implemented).
 */
int32_t sim_msg_attributes(const struct sim_msg *msgs, size_t n,
			   const uint8_t *req, uint8_t *resp, size_t *resp_len);

/* Write @name into a @sz-byte field: NUL-terminated, zero-padded. */
void sim_put_name(uint8_t *p, size_t sz, const char *name);

#endif /* SIM_PROTOCOLS_COMMON_H */
