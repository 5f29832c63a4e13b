/* SPDX-License-Identifier: MIT */
/*
 * The raw interface (include/scmi/raw.h): the public calls. A raw command
 * is a struct xfer (agent-priv.h) that carries the user's header word and
 * asks the response to echo its token alone; xfer.c sends it as it sends
 * the drivers' commands (one in flight, the library's tokens, every read
 * checked). The raw P2A messages are put on the agent's raw queue
 * (rawqueue.h) by whoever takes P2A messages (channel.c); here the user
 * reads them. raw_only and the raw_fn callback are the agent's (agent.c).
 * No lock of its own: those of xfer.c, and the raw queue's leaf.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <scmi/raw.h>
#include <scmi/wire.h>

#include "agent-priv.h"
#include "rawqueue.h"
#include "smt.h"
#include "abi.h"
#include "symbols.h"

/* @cmd as the struct xfer that sends it: 0, or -EINVAL. */
static int cmd_xfer(const struct scmi_raw_cmd *cmd, struct xfer *x)
{
	if ((cmd->flags & ~SCMI_RAW_HDR_WORD) || (!cmd->payld && cmd->payld_sz))
		return -EINVAL;
	*x = (struct xfer){
		.hdr = cmd->flags & SCMI_RAW_HDR_WORD ?
			       cmd->hdr_word :
			       scmi_hdr_pack(cmd->hdr.msg_id, cmd->hdr.type,
					     cmd->hdr.proto_id, 0),
		.match = SMT_MATCH_TOKEN,
		.tx = cmd->payld,
		.tx_sz = cmd->payld_sz,
	};
	return 0;
}

/* Whether @r's buffer is usable: NULL only with no room. */
static bool reply_ok(const struct scmi_raw_reply *r)
{
	return r && (r->payld || !r->payld_cap);
}

/* @r as the response @x took (the header alone when it was refused). */
static void reply_from(struct scmi_raw_reply *r, const struct xfer *x)
{
	r->hdr_word = x->rx_hdr;
	scmi_hdr_unpack(x->rx_hdr, &r->hdr);
	r->received = x->replied;
	if (!x->replied)
		return;
	r->status = x->status;
	r->payld_sz = x->rx_sz;
}

SCMI_EXPORT int scmi_raw_max_payload(struct scmi_agent *a)
{
	int ret;

	if (!a)
		return -EINVAL;
	pthread_mutex_lock(&a->cmd_mtx);
	ret = a->up && !channel_is_dead(&a->ch) ? (int)a->ch.max_msg_size :
						  -ENOTCONN;
	pthread_mutex_unlock(&a->cmd_mtx);
	return ret;
}

SCMI_EXPORT int scmi_raw_xfer(struct scmi_agent *a,
			      const struct scmi_raw_cmd *cmd,
			      struct scmi_raw_reply *reply)
{
	struct xfer x;
	int ret;

	if (!a || !cmd || !reply_ok(reply) || cmd_xfer(cmd, &x))
		return -EINVAL;
	x.rx = reply->payld;
	x.rx_cap = reply->payld_cap;
	ret = agent_xfer(a, &x);
	reply_from(reply, &x);
	return ret;
}

SCMI_EXPORT int scmi_raw_xfer_async(struct scmi_agent *a,
				    const struct scmi_raw_cmd *cmd,
				    struct scmi_raw_reply *imm,
				    struct scmi_raw_reply *delayed,
				    uint32_t timeout_ms)
{
	struct xfer x, d;
	int ret;

	if (!a || !cmd || !reply_ok(imm) || !reply_ok(delayed) ||
	    cmd_xfer(cmd, &x))
		return -EINVAL;
	x.rx = imm->payld;
	x.rx_cap = imm->payld_cap;
	d = (struct xfer){ .rx = delayed->payld, .rx_cap = delayed->payld_cap };
	ret = agent_xfer_async(a, &x, timeout_ms, &d);
	reply_from(imm, &x);
	delayed->received = false;
	if (!ret && x.status == SCMI_SUCCESS) {
		d.replied = true;
		reply_from(delayed, &d);
	}
	return ret;
}

/* What reserve_raw_cb() needs to reserve a slot. */
struct raw_cb_arg {
	scmi_raw_delayed_fn fn;
	void *userdata;
	uint64_t deadline;
	size_t ret_cap;
};

static int reserve_raw_cb(struct scmi_agent *a, uint8_t proto_id,
			  uint8_t msg_id, uint16_t token, void *arg)
{
	const struct raw_cb_arg *c = arg;

	return delayed_reserve_raw_cb(&a->delayed, proto_id, msg_id, token,
				      c->ret_cap, c->fn, c->userdata,
				      c->deadline);
}

SCMI_EXPORT int scmi_raw_xfer_async_cb(struct scmi_agent *a,
				       const struct scmi_raw_cmd *cmd,
				       struct scmi_raw_reply *imm,
				       uint32_t timeout_ms,
				       scmi_raw_delayed_fn done,
				       void *userdata)
{
	struct raw_cb_arg c = { .fn = done, .userdata = userdata };
	struct xfer x;
	int ret;

	if (!a || !cmd || !reply_ok(imm) || !done || cmd_xfer(cmd, &x))
		return -EINVAL;
	x.rx = imm->payld;
	x.rx_cap = imm->payld_cap;
	c.deadline = agent_delayed_deadline(a, timeout_ms);
	c.ret_cap = a->ch.max_msg_size;
	ret = agent_xfer_async_cb(a, &x, reserve_raw_cb, &c);
	reply_from(imm, &x);
	return ret;
}

/* Pop the oldest raw message by @until_ns into @msg: 0, or -EAGAIN. */
static int recv_until(struct scmi_agent *a, struct scmi_raw_msg *msg,
		      uint64_t until_ns)
{
	struct rawq_entry *e = rawq_pop(a->raw_q, until_ns);

	if (!e)
		return -EAGAIN;
	msg->hdr_word = e->hdr_word;
	msg->hdr = e->hdr;
	msg->timestamp_ns = e->ts;
	msg->payld_sz = e->payld_sz;
	if (msg->payld_cap)
		memcpy(msg->payld, e->payld,
		       e->payld_sz < msg->payld_cap ? e->payld_sz :
						      msg->payld_cap);
	free(e);
	return 0;
}

/* The checks both receives share: 0, -EINVAL or -EOPNOTSUPP. */
static int recv_ok(struct scmi_agent *a, const struct scmi_raw_msg *msg)
{
	if (!a || !msg || (!msg->payld && msg->payld_cap))
		return -EINVAL;
	return a->raw_q && !a->raw_fn ? 0 : -EOPNOTSUPP;
}

SCMI_EXPORT int scmi_raw_recv(struct scmi_agent *a, struct scmi_raw_msg *msg)
{
	int ret = recv_ok(a, msg);

	return ret ? ret : recv_until(a, msg, 0);
}

SCMI_EXPORT int scmi_raw_recv_wait(struct scmi_agent *a,
				   struct scmi_raw_msg *msg,
				   uint32_t timeout_ms)
{
	int ret = recv_ok(a, msg);

	if (ret)
		return ret;
	if (a->event_loop)
		return -EOPNOTSUPP;
	ret = recv_until(a, msg,
			 scmi_now_ns() + (uint64_t)timeout_ms * 1000000ull);
	return ret == -EAGAIN ? -ETIMEDOUT : ret;
}

int scmi_raw_get_stats_full(struct scmi_agent *a, struct scmi_raw_stats *st)
{
	if (!a || !st)
		return -EINVAL;
	if (a->raw_q)
		rawq_stats(a->raw_q, st);
	else
		*st = (struct scmi_raw_stats){ 0 };
	return 0;
}
