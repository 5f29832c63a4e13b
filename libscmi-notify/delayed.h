/* SPDX-License-Identifier: MIT */
/*
 * The agent's asynchronous commands waiting for their delayed response
 * (SCMI message type 2, same protocol, message id and token as the
 * command): a small table of slots, one per command in flight.
 *
 * A slot is reserved before the command is written (so that a delayed
 * response that overtakes the immediate one, which the reference allows
 * and Linux accepts as "valid OoO Delayed Response", finds it), completed
 * by whoever takes the P2A message (the rx thread, or in event-loop mode
 * the thread that dispatches or waits), and released by the waiting
 * thread alone, whatever the outcome.
 *
 * A slot of a command sent with a completion callback
 * (scmi_agent_xfer_async_cb(), or scmi_raw_xfer_async_cb() whose callback
 * takes the response as received) has no waiter: it carries the
 * callback, its user data and a deadline, and once it is over (its
 * delayed response came, its deadline passed, or its connection ended)
 * delayed_next_cb() hands the callback to whoever runs callbacks and
 * releases the slot. While a slot is reserved its token is not reused
 * (delayed_token_busy()), as Linux keeps a token until the transfer,
 * delayed response included, is over.
 *
 * Connections: delayed_kill() ends the current one (hang-up or
 * disconnect): every waiter wakes with -ECONNRESET, and nothing that
 * arrives for its slots is taken any more. delayed_revive() opens the next
 * one; a waiter of the old one that has not woken yet still sees its own
 * connection gone (each slot records the epoch it was reserved in).
 *
 * Lock: one mutex, a leaf: nothing is taken or called while holding it.
 * It may be taken under the agent's cmd_mtx and the notify core's locks
 * (delayed_kill() runs on whichever thread first sees a hang-up).
 */
#ifndef SCMI_DELAYED_H
#define SCMI_DELAYED_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <scmi/agent.h>
#include <scmi/raw.h>
#include <scmi/wire.h>

/* Asynchronous commands in flight at once, per agent. */
#define DELAYED_MAX 16

struct delayed_slot {
	bool used;
	bool done;                /* the delayed response is in buf */
	uint64_t epoch;           /* the connection it belongs to */
	struct scmi_msg_hdr hdr;  /* what the response must carry (type 2) */
	int32_t status;
	uint8_t *buf;             /* the return values after the status */
	size_t buf_cap;
	size_t ret_sz;            /* as sent: may exceed buf_cap (truncated) */
	/* a callback-style slot (fn or raw_fn set): no waiter */
	scmi_agent_async_fn fn;
	scmi_raw_delayed_fn raw_fn;
	void *userdata;
	uint64_t deadline_ns;     /* when it ends with -ETIMEDOUT */
};

/* A callback-style command that is over, for its callback to be called. */
struct delayed_cb {
	scmi_agent_async_fn fn;   /* exactly one of fn and raw_fn is set */
	scmi_raw_delayed_fn raw_fn;
	void *userdata;
	int result;               /* 0, the status' errno, -ETIMEDOUT, -ECONNRESET */
	bool timed_out;           /* its deadline passed (result -ETIMEDOUT) */
	bool responded;           /* the delayed response came: */
	struct scmi_msg_hdr hdr;  /*   its header */
	int32_t status;           /*   its status, as written */
	const uint8_t *ret;       /* its return values */
	size_t ret_sz;            /* bytes in ret */
	void *mem;                /* what holds them: free() it after the call */
};

/*
 * A completion already due (delayed_add_done()): no command waits for a
 * response; it only has to be called where completions are called.
 */
struct delayed_done {
	struct delayed_done *next;
	scmi_agent_async_fn fn;
	void *userdata;
	size_t ret_sz;
	uint8_t ret[];
};

struct delayed_table {
	pthread_mutex_t mtx;
	pthread_cond_t cond;      /* CLOCK_MONOTONIC; any slot changed */
	uint64_t epoch;
	bool dead;                /* this epoch is over */
	struct delayed_slot slots[DELAYED_MAX];
	struct delayed_done *done, **done_tail; /* due already, oldest first */
};

/* Returns 0 or a negative errno (-ENOMEM). The table starts dead. */
int delayed_init(struct delayed_table *t);
/* No slot may be in use; done completions not handed out are dropped. */
void delayed_fini(struct delayed_table *t);

/*
 * Reserve a slot for the command (@proto_id, @msg_id, @token) whose
 * return values are taken into a buffer of @ret_cap bytes. Returns the slot
 * index, -EBUSY all DELAYED_MAX slots are in use, -ECONNRESET the
 * connection is over, -ENOMEM.
 */
int delayed_reserve(struct delayed_table *t, uint8_t proto_id, uint8_t msg_id,
		    uint16_t token, size_t ret_cap);

/*
 * Reserve a callback-style slot (see the top): @fn(@userdata, ...) is due
 * once the delayed response came, once @deadline_ns (CLOCK_MONOTONIC)
 * passed, or once the connection ended. Return values up to @ret_cap
 * bytes are kept. Errors as delayed_reserve().
 */
int delayed_reserve_cb(struct delayed_table *t, uint8_t proto_id,
		       uint8_t msg_id, uint16_t token, size_t ret_cap,
		       scmi_agent_async_fn fn, void *userdata,
		       uint64_t deadline_ns);

/*
 * Queue a completion that is due already: @fn(@userdata, 0, @ret, @ret_sz)
 * (@ret copied), for delayed_next_cb() to hand out first. It holds no
 * slot and no token, and outlives the connection. 0 or -ENOMEM.
 */
int delayed_add_done(struct delayed_table *t, scmi_agent_async_fn fn,
		     void *userdata, const void *ret, size_t ret_sz);

/*
 * delayed_reserve_cb() for scmi_raw_xfer_async_cb(): @fn takes the
 * delayed response as received (delayed_cb.raw_fn).
 */
int delayed_reserve_raw_cb(struct delayed_table *t, uint8_t proto_id,
			   uint8_t msg_id, uint16_t token, size_t ret_cap,
			   scmi_raw_delayed_fn fn, void *userdata,
			   uint64_t deadline_ns);

/* Whether a reserved slot of the current connection holds @token. */
bool delayed_token_busy(struct delayed_table *t, uint16_t token);

/*
 * Whoever takes P2A messages: a type-2 message @hdr with payload @payld
 * (@sz bytes: status, return values). Returns 0 taken by a waiter, 1
 * taken by a callback-style slot (its callback is now due: see
 * delayed_next_cb()), each after adding one to *@taken (may be NULL)
 * before the waiter can wake, so that the waiter sees it counted;
 * -ENOENT no slot waits for it (an unknown token, another protocol or
 * message id, a slot already completed, or a waiter that gave up);
 * -EPROTO a payload without status.
 */
int delayed_complete(struct delayed_table *t, const struct scmi_msg_hdr *hdr,
		     const uint8_t *payld, size_t sz, _Atomic uint64_t *taken);

/*
 * Wait until slot @idx is completed or @deadline_ns (CLOCK_MONOTONIC),
 * then release it. Returns 0 with the response's status in *@status, its
 * return values copied to @rx (at most @rx_cap bytes) and their size as
 * sent in *@rx_sz (may be NULL); -ETIMEDOUT; -ECONNRESET the connection
 * ended first.
 */
int delayed_wait(struct delayed_table *t, int idx, uint64_t deadline_ns,
		 int32_t *status, void *rx, size_t rx_cap, size_t *rx_sz);

/*
 * Whether slot @idx is over, without releasing it: 1 completed, 0 not
 * yet, -ECONNRESET its connection ended. When not yet, it first waits
 * until @until_ns or until any slot changes or delayed_wake() is called
 * (whichever comes first, or a spurious wake-up: the caller loops).
 */
int delayed_poll(struct delayed_table *t, int idx, uint64_t until_ns);

/* Wake every thread in delayed_poll(). */
void delayed_wake(struct delayed_table *t);

/*
 * Take slot @idx's response, as delayed_wait() gives it, and release the
 * slot: 0, or -ECONNRESET when it did not complete.
 */
int delayed_take(struct delayed_table *t, int idx, int32_t *status, void *rx,
		 size_t rx_cap, size_t *rx_sz);

/* Release slot @idx without waiting (the command failed). */
void delayed_release(struct delayed_table *t, int idx);

/*
 * One completion due at @now_ns into *@cb: a queued done one first, else
 * a callback-style slot that is over (completed, past its deadline, or of
 * an ended connection), the slot released. Returns false when none is.
 */
bool delayed_next_cb(struct delayed_table *t, uint64_t now_ns,
		     struct delayed_cb *cb);

/* The earliest deadline of the callback-style slots; UINT64_MAX if none. */
uint64_t delayed_cb_deadline(struct delayed_table *t);

/*
 * The connection is over: wake every waiter (-ECONNRESET). Returns whether
 * a callback-style slot is now due. Any thread.
 */
bool delayed_kill(struct delayed_table *t);

/* A new connection begins: slots reserved from now on belong to it. */
void delayed_revive(struct delayed_table *t);

#endif /* SCMI_DELAYED_H */
