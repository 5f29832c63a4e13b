/* SPDX-License-Identifier: MIT */
/*
 * The agent end of the shared-memory + eventfd channel pair
 * (include/scmi/transport.h): connect and handshake, the doorbells, and the
 * rx thread that takes P2A messages and hands notifications to the core,
 * delayed responses to the commands waiting for them (delayed.h), and,
 * with the raw P2A path on, copies of notifications and the delayed
 * responses nobody waits for to the raw queue (rawqueue.h).
 *
 * Threads, threaded mode:
 *  - the rx thread waits (epoll) on p2a_doorbell, the socket (hang-up)
 *    and the channel's own kill eventfd; it alone reads the P2A area and calls
 *    scmi_notify() (the notify instance is single-producer) and
 *    delayed_complete();
 *  - a command (xfer.c, under its own mutex) writes the A2P area, rings
 *    a2p_doorbell and waits in channel_wait_done(), on an epoll set of
 *    a2p_done (edge-triggered, see channel.c), the kill eventfd and the
 *    socket (hang-up).
 * Event-loop mode (loop_mode): there is no rx thread; whoever dispatches,
 * or waits for a response, takes P2A messages with channel_rx_one(), one
 * thread at a time (the agent serializes them): a command's wait returns
 * CHANNEL_P2A when p2a_doorbell rang, and channel_wait_p2a() waits for
 * p2a_doorbell alone.
 * The kill eventfd is a latch: written once when the channel dies (hang-up
 * seen by either thread) or is being closed, never read, so that every
 * waiter (rx thread, command) wakes at once and every later wait fails fast.
 */
#ifndef SCMI_CHANNEL_H
#define SCMI_CHANNEL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <scmi/notify.h>
#include <scmi/transport.h>

#include "delayed.h"
#include "log.h"
#include "rawqueue.h"
#include "smt.h"

/* Counters of the transport (struct scmi_agent_stats), any thread. */
struct chan_stats {
	_Atomic uint64_t commands;
	_Atomic uint64_t timeouts;
	_Atomic uint64_t proto_errors;
	_Atomic uint64_t notifications;
	_Atomic uint64_t notify_refused;
	_Atomic uint64_t delayed_responses;
};

struct scmi_channel {
	const struct scmi_log *log;
	struct scmi_notify *ni;      /* where notifications go */
	struct chan_stats *stats;

	/* descriptors: -1 when closed; written by connect/close only */
	int sock;
	int a2p_doorbell;
	int a2p_done;
	int p2a_doorbell;
	int p2a_ack;
	int kill_efd;                /* ours: the latch (see above) */
	int cmd_epfd;                /* ours: what a command waits on */
	int p2a_epfd;                /* ours: p2a_doorbell, kill, socket */
	bool loop_mode;              /* no rx thread: see the top */
	unsigned int a2p_rings;      /* a2p_doorbell rings (under cmd_mtx) */
	unsigned int ack_rings;      /* p2a_ack rings (by the P2A taker) */

	void *region;                /* the mapped memfd, NULL when closed */
	size_t region_size;
	struct smt_area a2p;
	struct smt_area p2a;
	uint32_t agent_id;
	uint32_t max_msg_size;

	/*
	 * Called once per connection, on the thread that first sees the
	 * hang-up (the rx thread, or a command's, which may hold the agent's
	 * cmd_mtx and the notify core's locks): it must only take a leaf
	 * lock and signal. NULL: nobody is told. Set before connect.
	 */
	void (*on_dead)(void *arg);
	void *on_dead_arg;
	/*
	 * The rx thread completed a callback-style delayed response
	 * (delayed.h): its callback is due. Called with on_dead_arg, on
	 * the rx thread, holding nothing. NULL: nobody is told.
	 */
	void (*on_cb_due)(void *arg);
	/* Where delayed responses go (the rx thread completes them); set before connect. */
	struct delayed_table *delayed;
	/*
	 * The raw P2A path (include/scmi/raw.h), set before connect: where
	 * copies of P2A messages go (NULL: nowhere), whether notifications
	 * go there instead of the core, and whether a message queued there
	 * makes a callback due (*cb_due of channel_rx_one(), on_cb_due).
	 */
	struct rawq *raw;
	bool raw_instead;
	bool raw_cb;

	atomic_int dead_err;         /* 0 alive; -ECONNRESET the platform hung
				      * up; -EPROTO it broke the transport */
	atomic_bool killed;          /* kill_efd written */

	/* the rx thread's own */
	bool rx_started;
	pthread_t rx_thread;
	uint8_t *rx_buf;             /* 4 + max_msg_size bytes */
	size_t rx_buf_sz;
	struct scmi_ratelimit refuse_rl;
};

/* Set every descriptor to -1; no resources are taken. */
void channel_init(struct scmi_channel *ch, const struct scmi_log *log,
		  struct scmi_notify *ni, struct chan_stats *stats);

/*
 * Connect to @path, receive and check the hello (every check of
 * transport.h), map the region; @loop_mode: no rx thread will be started
 * (see the top). On failure everything is closed again.
 * Returns 0; -EINVAL path too long; -ENOENT / -ECONNREFUSED from
 * connect(), or -ECONNREFUSED when the platform closes without a hello;
 * -ETIMEDOUT no hello (or no room in the listen queue) within
 * @timeout_ms; -EPROTO a bad hello; or another negative errno.
 */
int channel_connect(struct scmi_channel *ch, const char *path,
		    uint32_t timeout_ms, bool loop_mode);

/* Start the rx thread. Returns 0 or a negative errno. */
int channel_start_rx(struct scmi_channel *ch);

/*
 * Latch the kill eventfd: the rx thread and any command waiter wake and
 * return. Idempotent; any thread.
 */
void channel_kill(struct scmi_channel *ch);

/*
 * Kill, join the rx thread, unmap, close every descriptor. No command may
 * be in flight. Idempotent.
 */
void channel_close(struct scmi_channel *ch);

/*
 * The platform hung up (or broke the transport): every wait fails with
 * -ECONNRESET.
 */
static inline bool channel_is_dead(const struct scmi_channel *ch)
{
	return atomic_load_explicit(&ch->dead_err, memory_order_acquire) != 0;
}

/* Why the channel died: -ECONNRESET, -EPROTO, or 0 while it lives. */
static inline int channel_dead_err(const struct scmi_channel *ch)
{
	return atomic_load_explicit(&ch->dead_err, memory_order_acquire);
}

/*
 * Ring one of the platform's doorbells (transport.h: a write of 0, which
 * never blocks); *@rings counts its rings, and every
 * SCMI_DOORBELL_CHECK_EVERY-th its flags are checked first. A platform
 * that cleared O_NONBLOCK on it broke the transport: the channel is
 * marked dead (-EPROTO) and so is returned. Returns 0 or a negative errno.
 */
int channel_ring(struct scmi_channel *ch, int efd, unsigned int *rings);

/* channel_wait_done(): p2a_doorbell rang (event-loop mode). */
#define CHANNEL_P2A 1

/*
 * Wait for a2p_done until @deadline_ns (CLOCK_MONOTONIC) and consume it.
 * Returns 0 when it was rung; CHANNEL_P2A p2a_doorbell rang first
 * (event-loop mode only: take the P2A messages, then wait again);
 * -ETIMEDOUT; -ECONNRESET the platform hung up or the channel is being
 * closed.
 */
int channel_wait_done(struct scmi_channel *ch, uint64_t deadline_ns);

/*
 * Wait for p2a_doorbell until @until_ns: 1 it rang; 0 @until_ns passed;
 * -ECONNRESET the platform hung up or the channel is being closed. One
 * thread at a time (it harvests the channel's p2a epoll set).
 */
int channel_wait_p2a(struct scmi_channel *ch, uint64_t until_ns);

/*
 * Take the message posted in the P2A area, if any: a notification goes to
 * the notify core (signalled to its dispatcher only when @kick) and, with
 * the raw path, a copy to the raw queue (or there alone: raw_instead); a
 * delayed response to the command waiting for it, or to the raw queue
 * when none does. *@cb_due is set when a callback became due (a
 * callback-style command's, or raw_cb's). Returns whether a message was
 * taken. One thread at a time: the rx thread, or (event-loop mode)
 * whoever the agent lets.
 */
bool channel_rx_one(struct scmi_channel *ch, bool kick, bool *cb_due);

/*
 * Without waiting: whether the platform hung up (the socket), marking the
 * channel dead when it did. Returns 0, or the error it died of.
 */
int channel_check_sock(struct scmi_channel *ch);

/* Consume an a2p_done that is already rung (a stale one), without waiting. */
void channel_drain_done(struct scmi_channel *ch);

#endif /* SCMI_CHANNEL_H */
