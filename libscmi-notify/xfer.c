/* SPDX-License-Identifier: MIT */
/*
 * The agent's commands over the A2P channel: synchronous, asynchronous
 * with a wait for the delayed response, and asynchronous with a
 * completion callback. Each is described by a struct xfer (agent-priv.h):
 * the drivers' carry a header built from their protocol and message id
 * and want a response that echoes all of it; the raw interface's (raw.c)
 * carry the user's header word and want the token echoed, the rest given
 * to the user as received.
 *
 * A command, under cmd_mtx (one in flight per channel; callers on other
 * threads wait their turn):
 *   1. take the next token (a 10-bit counter), skipping tokens that
 *      asynchronous commands still hold;
 *   2. wait until the A2P area is FREE (or marked ERROR: that transfer is
 *      over too): the previous response is in, or the platform finished a
 *      command that had timed out. Waiting is on a2p_done, never a spin
 *      on the area;
 *   3. after an abnormal end of the previous command (timeout), drain a
 *      stale a2p_done so that it does not look like this one's;
 *   4. write the message (smt.c: channel_status = busy last, release) and
 *      ring a2p_doorbell;
 *   5. wait on a2p_done (channel_wait_done()) until one CLOCK_MONOTONIC
 *      deadline (the timeout, default 30 ms, covers steps 2 to 5): a done
 *      that leaves the area busy (neither FREE nor ERROR) is a stale one,
 *      so wait on;
 *   6. copy the response out (smt.c) and refuse one whose token differs
 *      from the command's, or (struct xfer's match) its protocol, message
 *      id or type (-EPROTO): a late response to an older token is never
 *      taken for this one.
 * Hang-up fails the command at once (-ECONNRESET, channel.c), and every
 * later one; a platform caught breaking the transport fails it with
 * -EPROTO.
 *
 * An asynchronous command reserves a slot for its delayed response
 * (delayed.h) with its token in step 1, goes through steps 2 to 6, gives
 * cmd_mtx back and only then waits for the delayed response (default
 * 2 s, as Linux): the A2P channel serves other commands meanwhile, and no
 * token is reused while a slot holds it. With a completion callback it
 * does not wait at all: the slot carries the callback, which the agent
 * runs once the response came, the deadline passed or the connection
 * ended (agent_run_completions()).
 *
 * Event-loop mode has no rx thread, so a thread that waits takes the P2A
 * messages itself: during step 5 (the wait returns CHANNEL_P2A), and while
 * it waits for a delayed response (one such waiter at a time takes them,
 * under pump_mtx; the others wait for it on the delayed table).
 * Notifications taken there are kept for the next dispatch (the core's
 * fd is signalled), completion callbacks made due there run in the next
 * dispatch too (the loop fd is made readable): a command never runs a
 * callback inside itself.
 */
#include <errno.h>
#include <string.h>

#include <scmi/agent.h>
#include <scmi/wire.h>

#include "agent-priv.h"
#include "protocols/protocols.h"
#include "smt.h"
#include "symbols.h"

/* ---------------------------------------------------------------- */
/* P2A in event-loop mode                                           */

bool agent_take_p2a(struct scmi_agent *a, bool kick)
{
	bool cb_due = false;

	pthread_mutex_lock(&a->rx_mtx);
	if (a->ch.region)
		while (!channel_is_dead(&a->ch) &&
		       channel_rx_one(&a->ch, kick, &cb_due))
			;
	pthread_mutex_unlock(&a->rx_mtx);
	return cb_due;
}

/* A command's wait took P2A messages: what they made due waits for dispatch. */
static void take_p2a_in_wait(struct scmi_agent *a)
{
	if (agent_take_p2a(a, true))
		loop_poke(a);
}

/* ---------------------------------------------------------------- */
/* commands                                                         */

/* cmd_mtx held: whether a command may be sent, and 0 or why not. */
static int xfer_ready_locked(struct scmi_agent *a, size_t tx_sz)
{
	if (!a->up)
		return atomic_load(&a->lost) ? -ECONNRESET : -ENOTCONN;
	if (channel_is_dead(&a->ch))
		return -ECONNRESET;
	if (tx_sz > a->ch.max_msg_size)
		return -ERANGE;
	return 0;
}

/* cmd_mtx held. Step 1 above. */
static uint16_t next_token(struct scmi_agent *a)
{
	uint16_t token = a->token;

	for (int i = 0; i < DELAYED_MAX &&
			delayed_token_busy(&a->delayed, token); i++)
		token = (uint16_t)((token + 1) % SCMI_TOKEN_MAX);
	a->token = (uint16_t)((token + 1) % SCMI_TOKEN_MAX);
	return token;
}

/* cmd_mtx held: wait for a2p_done, taking P2A messages meanwhile. */
static int wait_done(struct scmi_agent *a, uint64_t deadline)
{
	int ret;

	while ((ret = channel_wait_done(&a->ch, deadline)) == CHANNEL_P2A)
		take_p2a_in_wait(a);
	return ret;
}

/*
 * The token bits of @hdr replaced by @token: what is sent, and what the
 * response is checked against.
 */
static uint32_t hdr_with_token(uint32_t hdr, uint16_t token)
{
	return (hdr & ~SCMI_HDR_TOKEN_MASK) |
	       ((uint32_t)token << SCMI_HDR_TOKEN_SHIFT);
}

/* cmd_mtx held, xfer_ready_locked() said 0. Steps 2 to 6 above. */
static int xfer_locked(struct scmi_agent *a, uint16_t token, struct xfer *x)
{
	struct scmi_channel *ch = &a->ch;
	uint64_t deadline = scmi_now_ns() + (uint64_t)a->timeout_ms * 1000000ull;
	uint32_t hdr = hdr_with_token(x->hdr, token);
	struct smt_expect exp = { .match = x->match | SMT_MATCH_TOKEN };
	struct scmi_msg_hdr h;
	struct smt_msg msg;
	size_t ret_sz;
	int ret;

	/* a header word of the user's may have reserved bits: its fields still */
	scmi_hdr_unpack(hdr, &exp.hdr);
	h = exp.hdr;
	x->rx_hdr = 0;
	/* ours again once the last transfer is over: FREE, or ERROR */
	while (!(smt_get_status(&ch->a2p) &
		 (SCMI_SMT_STATUS_FREE | SCMI_SMT_STATUS_ERROR))) {
		ret = wait_done(a, deadline);
		if (ret == -ETIMEDOUT) {
			scmi_warn(&a->log,
				  "command 0x%x/0x%x: the A2P channel stayed busy",
				  h.proto_id, h.msg_id);
			atomic_fetch_add(&a->stats.timeouts, 1);
			a->stale_done = true;
		}
		if (ret)
			return ret;
	}
	if (a->stale_done) {
		channel_drain_done(ch);
		a->stale_done = false;
	}

	ret = smt_write(&ch->a2p, ch->max_msg_size, SCMI_SMT_FLAGS_INTR, hdr,
			x->tx, x->tx_sz);
	if (ret)
		return ret;
	atomic_fetch_add_explicit(&a->stats.commands, 1, memory_order_relaxed);
	ret = channel_ring(ch, ch->a2p_doorbell, &ch->a2p_rings);
	if (ret)
		return ret;

	for (;;) {
		ret = wait_done(a, deadline);
		if (ret == -ETIMEDOUT) {
			scmi_warn(&a->log,
				  "command 0x%x/0x%x token %u: no response in %u ms",
				  h.proto_id, h.msg_id, token, a->timeout_ms);
			atomic_fetch_add(&a->stats.timeouts, 1);
			a->stale_done = true;
		}
		if (ret)
			return ret;
		/* done: FREE, or ERROR (SMT's completion test, as Linux polls) */
		if (smt_get_status(&ch->a2p) &
		    (SCMI_SMT_STATUS_FREE | SCMI_SMT_STATUS_ERROR))
			break;
		/* a stale done: the area is still ours-and-busy; wait on */
	}

	ret = smt_read(&ch->a2p, a->cmd_buf_sz, &exp, a->cmd_buf,
		       a->cmd_buf_sz, &msg);
	x->rx_hdr = msg.hdr_word;
	if (!ret && msg.payld_sz < 4)
		ret = -EPROTO; /* no status word */
	if (ret) {
		atomic_fetch_add(&a->stats.proto_errors, 1);
		scmi_warn(&a->log,
			  "command 0x%x/0x%x token %u: response refused (%d): header 0x%08x, %zu payload bytes%s",
			  h.proto_id, h.msg_id, token, ret, msg.hdr_word,
			  msg.payld_sz,
			  ret == -ECOMM ? ", area marked in error" : "");
		return ret;
	}
	x->status = (int32_t)scmi_get_le32(a->cmd_buf);
	ret_sz = msg.payld_sz - 4;
	if (x->rx_cap)
		memcpy(x->rx, a->cmd_buf + 4,
		       ret_sz < x->rx_cap ? ret_sz : x->rx_cap);
	x->rx_sz = ret_sz;
	x->replied = true;
	return 0;
}

/* A command's protocol and message ids, from its header word. */
static uint8_t hdr_proto(uint32_t hdr)
{
	return (uint8_t)((hdr & SCMI_HDR_PROTO_MASK) >> SCMI_HDR_PROTO_SHIFT);
}

static uint8_t hdr_msg_id(uint32_t hdr)
{
	return (uint8_t)(hdr & SCMI_HDR_MSG_ID_MASK);
}

int agent_xfer(struct scmi_agent *a, struct xfer *x)
{
	int ret;

	if (!a || (!x->tx && x->tx_sz) || (!x->rx && x->rx_cap))
		return -EINVAL;
	pthread_mutex_lock(&a->cmd_mtx);
	ret = xfer_ready_locked(a, x->tx_sz);
	if (!ret)
		ret = xfer_locked(a, next_token(a), x);
	pthread_mutex_unlock(&a->cmd_mtx);
	if (!ret && x->status != SCMI_SUCCESS)
		scmi_dbg(&a->log, "command 0x%x/0x%x: %s", hdr_proto(x->hdr),
			 hdr_msg_id(x->hdr), scmi_status_name(x->status));
	return ret;
}

int scmi_agent_do_xfer(struct scmi_agent *a, uint8_t proto_id, uint8_t msg_id,
		       const void *tx, size_t tx_sz, void *rx, size_t rx_cap,
		       size_t *rx_sz, int32_t *status)
{
	struct xfer x = {
		.hdr = xfer_cmd_hdr(proto_id, msg_id), .match = SMT_MATCH_ALL,
		.tx = tx, .tx_sz = tx_sz, .rx = rx, .rx_cap = rx_cap,
	};
	int ret;

	if (!status)
		return -EINVAL;
	ret = agent_xfer(a, &x);
	if (ret)
		return ret;
	*status = x.status;
	if (rx_sz)
		*rx_sz = x.rx_sz;
	return 0;
}

/*
 * The first half of an asynchronous command: reserve its slot (with
 * @reserve), send it, and take the immediate response into @x. Returns
 * the slot index (>= 0), still reserved only when x->status is SUCCESS;
 * or a negative errno (nothing reserved).
 */
static int send_async(struct scmi_agent *a, struct xfer *x,
		      int (*reserve)(struct scmi_agent *a, uint8_t proto_id,
				     uint8_t msg_id, uint16_t token, void *arg),
		      void *arg)
{
	uint16_t token;
	int idx, ret;

	if (!a || (!x->tx && x->tx_sz) || (!x->rx && x->rx_cap))
		return -EINVAL;
	pthread_mutex_lock(&a->cmd_mtx);
	ret = xfer_ready_locked(a, x->tx_sz);
	if (ret)
		goto out;
	token = next_token(a);
	idx = reserve(a, hdr_proto(x->hdr), hdr_msg_id(x->hdr), token, arg);
	if (idx < 0) {
		ret = idx;
		goto out;
	}
	ret = xfer_locked(a, token, x);
	if (ret || x->status != SCMI_SUCCESS)
		delayed_release(&a->delayed, idx);
	if (!ret)
		ret = idx;
out:
	pthread_mutex_unlock(&a->cmd_mtx);
	if (ret >= 0 && x->status != SCMI_SUCCESS)
		scmi_dbg(&a->log, "async command 0x%x/0x%x: %s",
			 hdr_proto(x->hdr), hdr_msg_id(x->hdr),
			 scmi_status_name(x->status));
	return ret;
}

static int reserve_waiter(struct scmi_agent *a, uint8_t proto_id,
			  uint8_t msg_id, uint16_t token, void *arg)
{
	const struct xfer *d = arg;

	return delayed_reserve(&a->delayed, proto_id, msg_id, token, d->rx_cap);
}

/*
 * Event-loop mode: wait for slot @idx until @deadline, taking P2A
 * messages meanwhile when no other waiter does (see the top).
 * Returns as delayed_poll(), or -ETIMEDOUT.
 */
static int pump_until(struct scmi_agent *a, int idx, uint64_t deadline)
{
	for (;;) {
		int st = delayed_poll(&a->delayed, idx, 0);

		if (st)
			return st;
		if (scmi_now_ns() >= deadline)
			return -ETIMEDOUT;
		if (pthread_mutex_trylock(&a->pump_mtx)) {
			/* another waiter takes them: wake when it is done */
			st = delayed_poll(&a->delayed, idx, deadline);
			if (st)
				return st;
			continue;
		}
		take_p2a_in_wait(a);
		st = delayed_poll(&a->delayed, idx, 0);
		if (!st)
			st = channel_wait_p2a(&a->ch, deadline) < 0 ?
				     -ECONNRESET : 0;
		pthread_mutex_unlock(&a->pump_mtx);
		/* whoever waits next takes over the taking */
		delayed_wake(&a->delayed);
		if (st == -ECONNRESET &&
		    delayed_poll(&a->delayed, idx, 0) == 1)
			return 1;
		if (st)
			return st;
	}
}

uint64_t agent_delayed_deadline(const struct scmi_agent *a,
				uint32_t timeout_ms)
{
	return scmi_now_ns() +
	       (uint64_t)(timeout_ms ? timeout_ms : a->delayed_timeout_ms) *
		       1000000ull;
}

int agent_xfer_async(struct scmi_agent *a, struct xfer *x,
		     uint32_t timeout_ms, struct xfer *d)
{
	uint64_t deadline;
	int idx, ret;

	if (!d || (!d->rx && d->rx_cap))
		return -EINVAL;
	idx = send_async(a, x, reserve_waiter, d);
	if (idx < 0 || x->status != SCMI_SUCCESS)
		return idx < 0 ? idx : 0;

	deadline = agent_delayed_deadline(a, timeout_ms);
	if (a->event_loop) {
		ret = pump_until(a, idx, deadline);
		if (ret == -ETIMEDOUT)
			delayed_release(&a->delayed, idx);
		else
			ret = delayed_take(&a->delayed, idx, &d->status, d->rx,
					   d->rx_cap, &d->rx_sz);
	} else {
		ret = delayed_wait(&a->delayed, idx, deadline, &d->status,
				   d->rx, d->rx_cap, &d->rx_sz);
	}
	if (ret == -ETIMEDOUT) {
		atomic_fetch_add(&a->stats.timeouts, 1);
		scmi_warn(&a->log,
			  "command 0x%x/0x%x: no delayed response in %u ms",
			  hdr_proto(x->hdr), hdr_msg_id(x->hdr),
			  timeout_ms ? timeout_ms : a->delayed_timeout_ms);
	} else if (!ret) {
		/*
		 * what the slot matched field by field (the command's ids,
		 * its token, which the immediate response echoed): the word
		 * received, reserved bits refused
		 */
		d->rx_hdr = scmi_hdr_pack(hdr_msg_id(x->hdr),
					  SCMI_MSG_TYPE_DELAYED_RESP,
					  hdr_proto(x->hdr),
					  (uint16_t)((x->rx_hdr & SCMI_HDR_TOKEN_MASK) >>
						     SCMI_HDR_TOKEN_SHIFT));
		if (d->status != SCMI_SUCCESS)
			scmi_dbg(&a->log,
				 "command 0x%x/0x%x: delayed response %s",
				 hdr_proto(x->hdr), hdr_msg_id(x->hdr),
				 scmi_status_name(d->status));
	}
	return ret;
}

int scmi_agent_do_xfer_async(struct scmi_agent *a, uint8_t proto_id,
			     uint8_t msg_id, const void *tx, size_t tx_sz,
			     void *rx, size_t rx_cap, size_t *rx_sz,
			     int32_t *status)
{
	struct xfer x = {
		.hdr = xfer_cmd_hdr(proto_id, msg_id), .match = SMT_MATCH_ALL,
		.tx = tx, .tx_sz = tx_sz,
	};
	struct xfer d = { .rx = rx, .rx_cap = rx_cap };
	int ret;

	if (!status)
		return -EINVAL;
	ret = agent_xfer_async(a, &x, 0, &d);
	if (ret)
		return ret;
	*status = x.status;
	if (x.status == SCMI_SUCCESS) {
		*status = d.status;
		if (rx_sz)
			*rx_sz = d.rx_sz;
	}
	return 0;
}

int agent_xfer_async_cb(struct scmi_agent *a, struct xfer *x,
			int (*reserve)(struct scmi_agent *a, uint8_t proto_id,
				       uint8_t msg_id, uint16_t token,
				       void *arg),
			void *arg)
{
	int idx = send_async(a, x, reserve, arg);

	if (idx < 0)
		return idx;
	/* the deadline is the supervisor's (or the loop's) to keep now */
	if (x->status == SCMI_SUCCESS) {
		if (a->event_loop)
			loop_poke(a);
		else
			sup_poke(a, false);
	}
	return 0;
}

struct cb_arg {
	scmi_agent_async_fn fn;
	void *userdata;
	uint64_t deadline;
	size_t ret_cap;
};

static int reserve_cb(struct scmi_agent *a, uint8_t proto_id, uint8_t msg_id,
		      uint16_t token, void *arg)
{
	const struct cb_arg *c = arg;

	return delayed_reserve_cb(&a->delayed, proto_id, msg_id, token,
				  c->ret_cap, c->fn, c->userdata, c->deadline);
}

int scmi_agent_do_xfer_async_cb(struct scmi_agent *a, uint8_t proto_id,
				uint8_t msg_id, const void *tx, size_t tx_sz,
				int32_t *imm, scmi_agent_async_fn fn,
				void *userdata)
{
	struct xfer x = {
		.hdr = xfer_cmd_hdr(proto_id, msg_id), .match = SMT_MATCH_ALL,
		.tx = tx, .tx_sz = tx_sz,
	};
	struct cb_arg c = { .fn = fn, .userdata = userdata };
	int ret;

	if (!a || !imm || !fn)
		return -EINVAL;
	c.deadline = agent_delayed_deadline(a, 0);
	c.ret_cap = a->ch.max_msg_size;
	ret = agent_xfer_async_cb(a, &x, reserve_cb, &c);
	if (!ret)
		*imm = x.status;
	return ret;
}

int scmi_agent_complete_later(struct scmi_agent *a, scmi_agent_async_fn fn,
			      void *userdata, const void *ret, size_t ret_sz)
{
	int err;

	if (!a || !fn || (!ret && ret_sz) || ret_sz > a->ch.max_msg_size)
		return -EINVAL;
	err = delayed_add_done(&a->delayed, fn, userdata, ret, ret_sz);
	if (err)
		return err;
	if (a->event_loop)
		loop_poke(a);
	else
		sup_poke(a, false);
	return 0;
}

SCMI_EXPORT int scmi_agent_xfer_async_cb(struct scmi_agent *a,
					 uint8_t proto_id, uint8_t msg_id,
					 const void *tx, size_t tx_sz,
					 scmi_agent_async_fn done,
					 void *userdata)
{
	int32_t imm;
	int ret;

	ret = scmi_agent_do_xfer_async_cb(a, proto_id, msg_id, tx, tx_sz, &imm,
					  done, userdata);
	return ret ? ret : scmi_status_to_errno(imm);
}

SCMI_EXPORT int scmi_agent_xfer_async(struct scmi_agent *a, uint8_t proto_id,
				      uint8_t msg_id, const void *tx,
				      size_t tx_sz, void *rx, size_t rx_cap,
				      size_t *rx_sz)
{
	int32_t status;
	int ret;

	ret = scmi_agent_do_xfer_async(a, proto_id, msg_id, tx, tx_sz, rx,
				       rx_cap, rx_sz, &status);
	return ret ? ret : scmi_status_to_errno(status);
}

SCMI_EXPORT int scmi_agent_xfer(struct scmi_agent *a, uint8_t proto_id,
				uint8_t msg_id, const void *tx, size_t tx_sz,
				void *rx, size_t rx_cap, size_t *rx_sz)
{
	int32_t status;
	int ret;

	ret = scmi_agent_do_xfer(a, proto_id, msg_id, tx, tx_sz, rx, rx_cap,
				 rx_sz, &status);
	return ret ? ret : scmi_status_to_errno(status);
}

int scmi_agent_xfer_exact(struct scmi_agent *a, uint8_t proto_id,
			  uint8_t msg_id, const void *tx, size_t tx_sz,
			  void *rx, size_t rx_sz)
{
	size_t got = 0;
	int ret;

	ret = scmi_agent_xfer(a, proto_id, msg_id, tx, tx_sz, rx, rx_sz, &got);
	if (ret)
		return ret;
	if (got != rx_sz) {
		scmi_warn(&a->log,
			  "command 0x%x/0x%x: %zu return bytes, expected %zu",
			  proto_id, msg_id, got, rx_sz);
		return -EPROTO;
	}
	return 0;
}
