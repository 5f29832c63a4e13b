/* SPDX-License-Identifier: MIT */
/*
 * What the protocol drivers share beyond what agent.c offers them
 * (protocols.h): the prologue of their public calls, the start of their
 * discovery, the copy of a name field out of a reply, the extended-name
 * command (*_NAME_GET), one page of a paged list, an asynchronous
 * command's delayed response, and the *_async() calls that complete
 * through a callback.
 */
#ifndef SCMI_PROTOCOLS_COMMON_H
#define SCMI_PROTOCOLS_COMMON_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <scmi/agent.h>

#include "../abi.h"

/*
 * The prologue of a public call: the private struct that protocol
 * @proto_id's init() returned for @agent, or NULL with *@err set to
 * -EINVAL (NULL @agent), -ENOTCONN (the agent is not connected) or
 * -EOPNOTSUPP (connected, but the protocol is not up: the platform does
 * not offer it, or its discovery failed). The pointer stays valid for the
 * call: disconnect never runs beside other calls on the agent (agent.h).
 */
void *scmi_proto_lookup(struct scmi_agent *agent, uint8_t proto_id, int *err);

/*
 * As scmi_proto_lookup(), and @id must be one that discovery found: below
 * the uint32_t count at byte @count_off of the private struct (give it as
 * offsetof(struct x_priv, num_domains)); else NULL with *@err = -EINVAL.
 */
void *scmi_proto_lookup_id(struct scmi_agent *agent, uint8_t proto_id,
			   size_t count_off, uint32_t id, int *err);

/*
 * The body of a public *_count(): the uint32_t count at byte @count_off of
 * protocol @proto_id's private struct (what discovery found), or the
 * error of scmi_proto_lookup().
 */
int scmi_proto_count(struct scmi_agent *agent, uint8_t proto_id,
		     size_t count_off);

/*
 * The body of a public *_protocol_info(): copy the @info_sz bytes at byte
 * @info_off of protocol @proto_id's private struct (give it as
 * offsetof(struct x_priv, info)) to @info. Returns 0, -EINVAL NULL @info,
 * or the error of scmi_proto_lookup().
 */
int scmi_proto_info_get(struct scmi_agent *agent, uint8_t proto_id,
			size_t info_off, void *info, size_t info_sz);

/*
 * The start of every protocol's discovery: PROTOCOL_VERSION (4 bytes, into
 * *@version), then PROTOCOL_ATTRIBUTES, whose reply must be exactly
 * @attrs_sz bytes (into @attrs). Returns 0 or the first error of
 * scmi_agent_xfer_exact(): the protocol cannot come up.
 */
int scmi_proto_version_attrs(struct scmi_agent *agent, uint8_t proto_id,
			     uint32_t *version, void *attrs, size_t attrs_sz);

/*
 * Copy a name field of a reply into @dst (@dst_sz bytes): at most @max_len
 * characters of @src, fewer at a NUL, and at most @dst_sz - 1; @dst is
 * NUL-terminated and zero-padded.
 */
void scmi_proto_copy_name(char *dst, size_t dst_sz, const uint8_t *src,
			  size_t max_len);

/* The reply of every *_NAME_GET: +0 flags, +4 name[64] (SCMI_MAX_STR_SIZE). */
#define SCMI_PROTO_EXT_NAME_SZ 64
#define SCMI_PROTO_NAME_GET_RX_SZ (4 + SCMI_PROTO_EXT_NAME_SZ)

/*
 * The extended name of @id (command @msg_id of @proto_id, with @id as its
 * only parameter) into @name (@name_sz bytes). When the platform refuses
 * it or answers another size than SCMI_PROTO_NAME_GET_RX_SZ, @name (the
 * short name) stays, as Linux keeps it, and a warning names @what and
 * @id. Returns 0 (whether or not the name changed), or the transport
 * error of scmi_agent_do_xfer(): the caller decides whether to go on.
 */
int scmi_proto_ext_name_get(struct scmi_agent *agent, uint8_t proto_id,
			    uint8_t msg_id, const char *what, uint32_t id,
			    char *name, size_t name_sz);

/*
 * One page of a paged list: command @msg_id of @proto_id with (@id,
 * @index), the reply in @rx (@rx_cap bytes), its size in *@rx_sz.
 * Returns 0 with *@rx_sz >= 4 (the flags word is there); the platform's
 * status mapped by scmi_status_to_errno(); -EPROTO a reply of fewer than
 * 4 bytes; or a transport error.
 */
int scmi_proto_page_get(struct scmi_agent *agent, uint8_t proto_id,
			uint8_t msg_id, uint32_t id, uint32_t index, void *rx,
			size_t rx_cap, size_t *rx_sz);

/*
 * An asynchronous command (@tx carries the protocol's async flag) whose
 * delayed response carries @id first (the domain, clock or sensor the
 * command named) and then exactly @ret_sz bytes, copied to @ret (NULL:
 * only their number is checked). Returns 0; the status of the immediate or the
 * delayed response mapped by scmi_status_to_errno(); -EPROTO a delayed
 * response for another id or of another size (logged); -ENOMEM; or an
 * error of scmi_agent_do_xfer_async().
 */
int scmi_proto_xfer_async_id(struct scmi_agent *agent, uint8_t proto_id,
			     uint8_t msg_id, const void *tx, size_t tx_sz,
			     uint32_t id, void *ret, size_t ret_sz);

/*
 * The command of a driver's *_async() call (scmi_proto_async_call()).
 * @async: the platform does it asynchronously, @tx carries the
 * protocol's async flag, and its delayed response must carry @id (the
 * domain, clock or sensor the command named) and then exactly @ret_sz
 * bytes, as scmi_proto_xfer_async_id() checks. Otherwise @tx is sent as
 * a synchronous command, whose reply must carry exactly @sync_ret_sz
 * return bytes (0: any number, none used, as scmi_agent_xfer() takes
 * them).
 */
struct scmi_proto_async_cmd {
	uint8_t proto_id;
	uint8_t msg_id;
	const void *tx;
	size_t tx_sz;
	bool async;
	uint32_t id;
	size_t ret_sz;
	size_t sync_ret_sz;
};

/*
 * The driver's end of a *_async() call: it decodes the outcome and calls
 * its user's callback. Called exactly once, with the driver's context
 * (scmi_proto_async_call()'s copy of it), and either @result 0 and the
 * return values (the ret_sz bytes after the id of the delayed response,
 * or the sync_ret_sz bytes of the synchronous reply; NULL when there are
 * none), or a negative errno and NULL: the delayed response's status
 * mapped by scmi_status_to_errno(), -EPROTO a delayed response for
 * another id or of another size (logged), -ETIMEDOUT or -ECONNRESET
 * (agent.h's scmi_agent_async_fn).
 */
typedef void (*scmi_proto_async_done_fn)(void *ctx, int result,
					 const uint8_t *ret);

/*
 * A driver's *_async() call: send @cmd and return, without waiting for a
 * delayed response; @done completes it later, where the agent runs its
 * completions (scmi_agent_complete_later()), never inside this call.
 * @cmd NULL: nothing to send (the driver did what the call asks by
 * itself), it completes with 0. The @ctx_sz bytes at @ctx are copied into
 * the call's own allocation, freed once @done returned: the caller keeps
 * nothing alive.
 * Returns 0, and @done will be called exactly once; or a negative errno,
 * and @done is never called: -ENOMEM; the status of the immediate
 * response, or of the synchronous reply, mapped by scmi_status_to_errno();
 * -EPROTO a synchronous reply of another size; an error of
 * scmi_agent_do_xfer_async_cb() (-EBUSY too many wait) or of the
 * synchronous command; or of scmi_agent_complete_later().
 */
int scmi_proto_async_call(struct scmi_agent *agent,
			  const struct scmi_proto_async_cmd *cmd,
			  scmi_proto_async_done_fn done, const void *ctx,
			  size_t ctx_sz);

/*
 * The user's callback of a *_async() call that returns nothing (reset.h,
 * clock.h, voltage.h and powercap.h each give this type a name).
 */
typedef void (*scmi_proto_result_fn)(void *userdata, int result);

/*
 * scmi_proto_async_call() completed by @fn(@userdata, result): the return
 * values are checked, not handed on.
 */
int scmi_proto_async_result(struct scmi_agent *agent,
			    const struct scmi_proto_async_cmd *cmd,
			    scmi_proto_result_fn fn, void *userdata);

/*
 * Whether @ret says the platform is gone or does not answer (-ETIMEDOUT,
 * -ECONNRESET, -ENOTCONN): a discovery that meets it stops, where it
 * would go on after a refusal or a malformed reply.
 */
static inline bool scmi_proto_unreachable(int ret)
{
	return ret == -ETIMEDOUT || ret == -ECONNRESET || ret == -ENOTCONN;
}

/*
 * The result of a set_notify_enabled() command: turning a notification
 * off succeeds when the platform is gone (-ECONNRESET, -ENOTCONN), as
 * nothing is left on to turn off.
 */
static inline int scmi_proto_notify_result(bool enable, int ret)
{
	if (!enable && (ret == -ECONNRESET || ret == -ENOTCONN))
		return 0;
	return ret;
}

#endif /* SCMI_PROTOCOLS_COMMON_H */
