/* SPDX-License-Identifier: MIT */
/*
 * What every simulated protocol does the same way: its table of messages
 * (id, exact request size, handler, room its reply needs) and its
 * descriptor (struct sim_proto, made by SIM_PROTOCOL() at the end of each
 * protocol's file), the dispatch through them with SCMI's status codes
 * (and the check of the domain id a message names, and of the agent's
 * access to the protocol and the domain, access.h),
 * the three messages every protocol has (PROTOCOL_VERSION and
 * PROTOCOL_MESSAGE_ATTRIBUTES, answered alike, PROTOCOL_ATTRIBUTES, the
 * descriptor's handler), the *_NOTIFY commands, extended names and
 * fixed-size name fields.
 *
 * A protocol's table has a row for every other message the specification
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
#include "../topology.h"

struct sim_agent;

typedef int32_t sim_msg_fn(struct sim_agent *a, const uint8_t *req,
			   uint8_t *resp, size_t *resp_len);

struct sim_msg {
	uint8_t id;
	uint8_t req_sz;   /* the exact payload size */
	sim_msg_fn *fn;   /* NULL: defined, not implemented here */
	uint8_t resp_sz;  /* room the reply needs; 0: fn checks the room */
	uint8_t domain;   /* SIM_DOM_W*: a domain id, checked before fn; 0 */
};

/*
 * The request's word 0 (or word 1) is one of the protocol's domains, ids,
 * clocks or sensors: one beyond them is NOT_FOUND, before the handler
 * runs (which then takes the id as valid).
 */
#define SIM_DOM_W0 1
#define SIM_DOM_W1 2

#define SIM_MSGS(tbl) (tbl), (sizeof(tbl) / sizeof((tbl)[0]))

/* A protocol, as its messages are answered. */
struct sim_proto {
	const char *name;                 /* in logs */
	uint32_t version;                 /* PROTOCOL_VERSION */
	size_t num_off;                   /* its domains: a count in struct sim_topology */
	sim_msg_fn *attributes;           /* PROTOCOL_ATTRIBUTES */
	const struct sim_msg *msgs;
	size_t num_msgs;
	/*
	 * PROTOCOL_MESSAGE_ATTRIBUTES of message @msg_id, which the table
	 * implements: SUCCESS with its attributes in *@attr (0 on entry),
	 * or NOT_FOUND. NULL: 0 for every one.
	 */
	int32_t (*msg_attributes)(uint32_t msg_id, uint32_t *attr);
};

/*
 * Answer message @msg_id of protocol @p: DENIED, before anything, when
 * the agent may not use the protocol (access.h); PROTOCOL_VERSION,
 * PROTOCOL_ATTRIBUTES and PROTOCOL_MESSAGE_ATTRIBUTES (0 for a message
 * implemented, NOT_FOUND for any other; PROTOCOL_ERROR for a request of
 * another size); every other through the table: NOT_FOUND if the table
 * lacks it, NOT_SUPPORTED if it has no handler, PROTOCOL_ERROR for a
 * request of another size, NOT_SUPPORTED (logged) if its reply cannot fit
 * *resp_len, NOT_FOUND for a domain beyond the protocol's; else what its
 * handler returns,
 * or DENIED, after those checks, for a domain the agent may not use.
 */
int32_t sim_proto_dispatch(const struct sim_proto *p, struct sim_agent *a,
			   uint8_t msg_id, const uint8_t *req, size_t req_len,
			   uint8_t *resp, size_t *resp_len);

/*
 * The end of a protocol's file: its descriptor, name_proto (its version,
 * @num where its count of domains is, SIM_NUM(num_power) or
 * SIM_NO_DOMAINS, the handler of
 * PROTOCOL_ATTRIBUTES, the table of its other messages and the
 * attributes of their PROTOCOL_MESSAGE_ATTRIBUTES), and its entry
 * point, sim_<name>_handle() (protocols.h), which answers through it. A
 * protocol with more to do on each message writes its own entry point
 * around SIM_PROTO().
 */
#define SIM_NUM(member) offsetof(struct sim_topology, member)
#define SIM_NO_DOMAINS 0
#define SIM_PROTO(name, ver, num, attributes, msgs, msg_attrs)                \
	static const struct sim_proto name##_proto = {                        \
		#name, ver, num, attributes, SIM_MSGS(msgs), msg_attrs         \
	}
#define SIM_PROTOCOL(name, ver, num, attributes, msgs, msg_attrs)            \
	SIM_PROTO(name, ver, num, attributes, msgs, msg_attrs);               \
	int32_t sim_##name##_handle(struct sim_agent *a, uint8_t msg_id,      \
				    const uint8_t *req, size_t req_len,       \
				    uint8_t *resp, size_t *resp_len)          \
	{                                                                     \
		return sim_proto_dispatch(&name##_proto, a, msg_id, req,      \
					  req_len, resp, resp_len);           \
	}

/*
 * A *_NOTIFY command: @enable is its notify_enable word (bit 0; the
 * others reserved: INVALID_PARAMETERS), @supported whether the source
 * offers the event (else NOT_SUPPORTED). Subscribes @a to (proto, evt,
 * src) or not (GENERIC_ERROR out of memory); SUCCESS with no return
 * values.
 */
int32_t sim_notify_cmd(struct sim_agent *a, uint8_t proto_id, uint8_t evt_id,
		       uint32_t src_id, uint32_t enable, bool supported,
		       size_t *resp_len);

/* Room for a *_NAME_GET reply: flags and a 64-byte name. */
#define SIM_EXT_NAME_SZ 64
#define SIM_NAME_GET_SZ (4 + SIM_EXT_NAME_SZ)

/* Whether a *_NAME_GET reply fits max_msg_size: extended names offered. */
bool sim_ext_names(void);

/*
 * A *_NAME_GET reply: flags 0 and @name in 64 bytes; NOT_SUPPORTED when
 * the room (*resp_len) cannot hold it.
 */
int32_t sim_name_get(const char *name, uint8_t *resp, size_t *resp_len);

/*
 * The domain a control request names in @word, one of @count: 0, or
 * -EINVAL / -ENOENT with the reason in @out ("<proto>: no domain ...").
 */
int sim_ctl_domain(const char *proto, const char *word, uint32_t count,
		   uint32_t *id, char *out, size_t out_sz);

/* A verb of a control request "<verb> <domain> <value>...". */
struct sim_ctl_verb {
	const char *name;
	int nvals;                        /* values after the domain, 0..2 */
	bool sign;                        /* read as signed, else unsigned */
	int64_t min, max;                 /* each value */
};

/*
 * "<verb> <domain> <value>...", as perf's and voltage's requests are:
 * the verb's index in @verbs, with the domain (one of @count) in *@id
 * and the values in @vals; or -EOPNOTSUPP (no such verb), -EINVAL (the
 * words) or -ENOENT (no such domain), with the reason, and @usage, in
 * @out.
 */
int sim_ctl_parse(int argc, char **argv, const struct sim_ctl_verb *verbs,
		  size_t n, const char *proto, const char *usage,
		  uint32_t count, uint32_t *id, int64_t vals[2], char *out,
		  size_t out_sz);

/* Write @name into a @sz-byte field: NUL-terminated, zero-padded. */
void sim_put_name(uint8_t *p, size_t sz, const char *name);

#endif /* SIM_PROTOCOLS_COMMON_H */
