/* SPDX-License-Identifier: MIT */
/*
 * The agent's state, shared by the files that make up the agent:
 *   agent.c       life cycle: create, connect, disconnect, destroy; the
 *                 protocols' bring-up; what both modes do when the
 *                 platform goes away, reconnects, or a callback asks for
 *                 a disconnect or a destroy
 *   xfer.c        commands: synchronous, asynchronous with a wait, and
 *                 asynchronous with a completion callback, each as the
 *                 drivers send them or raw (a header word of the user's)
 *   raw.c         the raw interface (include/scmi/raw.h): its commands,
 *                 and the raw P2A queue's readers (rawqueue.h)
 *   supervisor.c  threaded mode: the agent's own thread (hang-up,
 *                 reconnect, completion callbacks, deferred teardown)
 *   loop.c        event-loop mode: the fd, the timeout and the dispatch
 *                 that do the same on the caller's thread
 *
 * Locks, in the order they may be taken (each says what it protects):
 *   cb_mtx     one pass over the completion callbacks at a time (held
 *              across them): a disconnect's pass waits for the
 *              supervisor's, so none runs after disconnect returned
 *   life_mtx   the connection's life: connect, disconnect, the handling
 *              of a hang-up and each reconnect attempt run under it (never
 *              held while a user callback runs)
 *   (the notify core's locks: drivers' set_notify_enabled() sends a
 *    command while the core holds them)
 *   cmd_mtx    the A2P area, the token counter, cmd_buf, stale_done, up
 *   pump_mtx   event-loop mode: one delayed-response waiter at a time takes
 *              P2A messages while it waits
 *   rx_mtx     taking P2A messages (the area, rx_buf: channel_take()):
 *              the rx thread, the dispatcher's round hook, event-loop
 *              mode's takers
 *   state_mtx  serializes the calls of state_fn (held across them: a
 *              state_fn that asks to disconnect is deferred, so it never
 *              waits for another state_fn)
 *   sup_mtx, base_mtx, the delayed table's mutex, the raw queue's mutex:
 *   leaves
 */
#ifndef SCMI_AGENT_PRIV_H
#define SCMI_AGENT_PRIV_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <scmi/agent.h>

#include "channel.h"
#include "delayed.h"
#include "log.h"
#include "protocols/protocols.h"
#include "rawqueue.h"

/* What a callback asked for (carried out once it returned). */
enum teardown {
	TEARDOWN_NONE = 0,
	TEARDOWN_DISCONNECT = 1,
	TEARDOWN_DESTROY = 2,
};

struct proto_inst {
	void *priv;
	bool up;            /* init succeeded */
	bool events;        /* events registered with the notify instance */
	_Atomic(void *) live; /* priv while up, for public calls; else NULL */
};

/* A protocol's private state, kept until disconnect (see agent.c). */
struct retired {
	size_t drv;
	void *priv;
};

struct scmi_agent {
	struct scmi_log log;
	uint32_t timeout_ms;
	uint32_t delayed_timeout_ms;
	uint32_t reconnect_ms;
	size_t queue_sz;
	bool event_loop;          /* no thread of ours: loop.c */
	bool reconnect;
	scmi_agent_state_fn state_fn;
	void *state_userdata;
	bool raw_only;            /* connect: the handshake alone */
	enum scmi_raw_p2a raw_p2a;
	scmi_raw_msg_fn raw_fn;   /* NULL: the user reads raw_q */
	void *raw_userdata;
	struct rawq *raw_q;       /* raw P2A messages; NULL when raw_p2a is OFF */
	struct scmi_notify *ni;
	struct chan_stats stats;
	struct delayed_table delayed; /* async commands in flight (delayed.h) */

	pthread_mutex_t cb_mtx;   /* agent_run_completions() */

	/* commands (xfer.c) */
	pthread_mutex_t cmd_mtx;
	uint16_t token;           /* next token, modulo SCMI_TOKEN_MAX */
	bool stale_done;          /* a2p_done may hold a stale ring */
	uint8_t *cmd_buf;         /* 4 + max_msg_size: a response's copy */
	size_t cmd_buf_sz;
	bool up;                  /* the channel is open for commands */
	pthread_mutex_t pump_mtx; /* event-loop mode, see the top */
	pthread_mutex_t rx_mtx;   /* the channel's takers, see the top */

	/* the connection */
	pthread_mutex_t life_mtx;
	struct scmi_channel ch;
	char *path;               /* the socket path, while connected */
	bool want_connected;      /* connect .. disconnect; life_mtx */
	atomic_bool connected;
	atomic_bool lost;         /* the platform hung up: -ECONNRESET */
	atomic_int state;         /* enum scmi_agent_state */
	pthread_mutex_t state_mtx;
	_Atomic uint32_t agent_id; /* while connected, for scmi_agent_id() */
	struct scmi_base_info base; /* discovery's, connecting thread only */
	pthread_mutex_t base_mtx;   /* protects base_pub */
	struct scmi_base_info base_pub;
	struct proto_inst protos[SCMI_NUM_DRIVERS];
	struct retired *retired;  /* life_mtx */
	size_t num_retired;
	size_t retired_cap;       /* entries allocated (retire_reserve()) */
	atomic_int teardown;      /* enum teardown, asked for by a callback */
	/* next reconnect attempt while RECONNECTING, else 0; life_mtx writes */
	_Atomic uint64_t reconnect_at_ns;
	unsigned int attempts;    /* reconnect attempts since the loss; life_mtx */

	/* threaded mode: the supervisor (supervisor.c) */
	pthread_mutex_t sup_mtx;  /* protects hangup, stop, wake */
	pthread_cond_t sup_cond;  /* CLOCK_MONOTONIC */
	bool hangup;              /* the platform hung up, not handled yet */
	bool stop;                /* the supervisor must return */
	bool wake;                /* something else to look at */
	bool sup_started;
	pthread_t sup_thread;

	/* event-loop mode (loop.c) */
	int loop_fd;              /* epoll: readable when there is work */
	int wake_efd;             /* ours: deferred work for the dispatch */
};

/* ---- agent.c --------------------------------------------------------- */

/*
 * Whether the calling thread runs a callback of @a right now (a notifier,
 * state_fn, a completion): calls that would tear down what runs it are
 * then deferred.
 */
bool agent_in_callback(struct scmi_agent *a);

/* Call state_fn (if any) for @st, @err, recording the state first. */
void agent_set_state(struct scmi_agent *a, enum scmi_agent_state st, int err);

/* Call a completion callback the way every callback of the agent is. */
void agent_run_cb(struct scmi_agent *a, const struct delayed_cb *cb);

/*
 * The platform went away (hang-up seen, or it broke the transport):
 * report it, put the notifiers back to pending, close the channel and,
 * with reconnect, schedule the first attempt (now). Takes life_mtx; a
 * no-op if not connected. Returns the error reported, or 0.
 */
int agent_lose(struct scmi_agent *a);

/*
 * When the supervisor (or the loop) must look again at the latest: the
 * next reconnect attempt or completion deadline (CLOCK_MONOTONIC ns);
 * UINT64_MAX for none, 0 for now.
 */
uint64_t agent_next_deadline(struct scmi_agent *a);

/*
 * One reconnect attempt (RECONNECTING): 0 connected (CONNECTED reported),
 * or the error of the attempt. Takes life_mtx.
 */
int agent_reconnect_once(struct scmi_agent *a);

/*
 * Carry out what a callback asked for (a->teardown). Returns true when
 * the agent was destroyed: the caller must not touch it any more.
 */
bool agent_do_teardown(struct scmi_agent *a, bool from_supervisor);

/* Run every completion callback that is due. */
void agent_run_completions(struct scmi_agent *a);

/*
 * With a raw_fn: hand it every message of the raw queue, in order, until
 * the queue is empty or a callback asked for a teardown. Only from the
 * supervisor (threaded mode) or the dispatch (event-loop mode), so that
 * raw_fn calls never overlap.
 */
void agent_run_raw(struct scmi_agent *a);

/* ---- xfer.c ---------------------------------------------------------- */

/* One command, as xfer.c sends it and takes its response. */
struct xfer {
	uint32_t hdr;          /* in: the header word; its token bits are set
				* by xfer.c */
	unsigned int match;    /* in: SMT_MATCH_* the response must echo;
				* the token always */
	const void *tx;        /* in: the payload */
	size_t tx_sz;
	void *rx;              /* in: where the return values go ... */
	size_t rx_cap;         /* ... at most this many */
	size_t rx_sz;          /* out: the return bytes the platform sent */
	int32_t status;        /* out: the status word, as written */
	uint32_t rx_hdr;       /* out: the response's header word (also when
				* it was refused: 0 if none was read) */
	bool replied;          /* out: a well-formed response came */
};

/* The header word of a command the drivers send (its fields, type 0). */
static inline uint32_t xfer_cmd_hdr(uint8_t proto_id, uint8_t msg_id)
{
	return scmi_hdr_pack(msg_id, SCMI_MSG_TYPE_COMMAND, proto_id, 0);
}

/*
 * Send @x and wait for its response. Returns 0 when a well-formed one
 * came (whatever its status), or a negative errno of the transport
 * (scmi_agent_do_xfer()'s).
 */
int agent_xfer(struct scmi_agent *a, struct xfer *x);

/*
 * An asynchronous command: @x as agent_xfer() (its response the
 * immediate one); when its status is SUCCESS, wait at most @timeout_ms
 * (0: delayed_timeout_ms) for the delayed response into @delayed (rx and
 * rx_cap in; status, rx_sz and rx_hdr out). Returns 0, or a negative
 * errno (scmi_agent_do_xfer_async()'s).
 */
int agent_xfer_async(struct scmi_agent *a, struct xfer *x,
		     uint32_t timeout_ms, struct xfer *delayed);

/*
 * An asynchronous command completed through a callback: @x as
 * agent_xfer(); when its status is SUCCESS, the command's slot is
 * reserved by @reserve(@a, proto_id, msg_id, token, @arg) (a
 * delayed_reserve_*cb() call, returning its slot or a negative errno)
 * and its callback becomes due later. Returns 0 or a negative errno
 * (then no callback is due).
 */
int agent_xfer_async_cb(struct scmi_agent *a, struct xfer *x,
			int (*reserve)(struct scmi_agent *a, uint8_t proto_id,
				       uint8_t msg_id, uint16_t token,
				       void *arg),
			void *arg);

/* The deadline of a delayed response waited for @timeout_ms (0: the default). */
uint64_t agent_delayed_deadline(const struct scmi_agent *a,
				uint32_t timeout_ms);

/*
 * Take the P2A messages posted: channel_take() with @flags (CHANNEL_*).
 * Returns whether a completion callback became due.
 */
bool agent_take_p2a(struct scmi_agent *a, unsigned int flags);

/* ---- supervisor.c (threaded mode) ------------------------------------ */

int sup_start(struct scmi_agent *a);
/* Stop and join the supervisor. Not from the supervisor itself. */
void sup_stop(struct scmi_agent *a);
/* Something for the supervisor to look at (any thread, a leaf lock). */
void sup_poke(struct scmi_agent *a, bool hangup);

/* ---- loop.c (event-loop mode) ---------------------------------------- */

int loop_init(struct scmi_agent *a);
void loop_fini(struct scmi_agent *a);
/* The channel joins (after connect) or leaves (before close) the loop fd. */
int loop_attach(struct scmi_agent *a);
void loop_detach(struct scmi_agent *a);
/* Make the loop fd readable: deferred work for the next dispatch. */
void loop_poke(struct scmi_agent *a);

#endif /* SCMI_AGENT_PRIV_H */
