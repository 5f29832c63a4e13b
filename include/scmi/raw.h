/* SPDX-License-Identifier: MIT */
/*
 * libscmi-notify: the raw interface, for compliance testing and platform
 * bring-up (in the manner of Linux's SCMI raw mode,
 * /sys/kernel/debug/scmi/<n>/raw/). See libscmi-notify-raw(3).
 *
 * What the decoded API hides, the raw interface shows:
 *  - commands: send a message given as header fields or as a header word,
 *    and payload bytes; get the response's header word as received, its
 *    status word as the platform wrote it (int32, not mapped to an
 *    errno: GENERIC_ERROR, IN_USE and an unknown value stay apart), and
 *    the bytes after it (scmi_raw_xfer());
 *  - asynchronous commands: the immediate response, then the delayed one
 *    (scmi_raw_xfer_async(), or scmi_raw_xfer_async_cb() for an event
 *    loop, which never waits for the delayed one);
 *  - the P2A channel: notifications and delayed responses as messages
 *    (header word, payload), alongside the decoded delivery or instead of
 *    it (scmi_agent_config.raw_p2a), from a bounded queue
 *    (scmi_raw_recv(), scmi_raw_recv_wait()) or a callback
 *    (scmi_agent_config.raw_fn). A delayed response that no command waits
 *    for (one to a plain command, a late one, an unknown token), which
 *    the decoded path drops, reaches the raw queue;
 *  - scmi_agent_config.raw_only: connect does the handshake (every field
 *    of the hello checked as always) and nothing else: no discovery, no
 *    protocol comes up, so the library sends nothing of its own and the
 *    user drives the platform message by message.
 *
 * Tokens are the library's, as in Linux: every command gets the next one
 * (a 10-bit counter skipping those that asynchronous commands still
 * hold), whatever the caller wrote in a header word's token bits. Raw
 * commands and the drivers' share the channel (one in flight at a time)
 * and the token space.
 *
 * What is read from the platform is checked as the decoded path checks
 * it (one copy out of the shared memory, its length within the area and
 * max_msg_size): a response whose length is below 8 (no status word),
 * beyond max_msg_size, whose header has reserved bits set or the reserved
 * type 1, or whose token is not the command's, is refused (-EPROTO) and
 * counted (scmi_agent_stats.proto_errors). Every other field of the
 * header is given as received: a platform that echoes another protocol
 * or message id is seen doing so. A malformed P2A message is dropped and
 * counted (notify_refused), raw or not.
 *
 * Threads: the calls of this header may be made from any thread, also
 * from the agent's callbacks, as scmi_agent_xfer() may (agent.h).
 */
#ifndef SCMI_RAW_H
#define SCMI_RAW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <scmi/wire.h>

#ifdef __cplusplus
extern "C" {
#endif

struct scmi_agent;

/** Messages the raw queue holds when scmi_agent_config says 0. */
#define SCMI_RAW_DEFAULT_QUEUE_LEN 64u
/** The most messages scmi_agent_config.raw_queue_len may ask for. */
#define SCMI_RAW_MAX_QUEUE_LEN 65536u

/** What the agent does with the P2A channel's messages (scmi_agent_config.raw_p2a). */
enum scmi_raw_p2a {
	/** No raw P2A: notifications are decoded, unclaimed delayed responses dropped. */
	SCMI_RAW_P2A_OFF = 0,
	/**
	 * A copy of every notification reaches the raw queue (or raw_fn)
	 * and the decoded delivery (the notifiers) too.
	 */
	SCMI_RAW_P2A_ALONGSIDE = 1,
	/** Notifications reach the raw queue (or raw_fn) alone, no notifier. */
	SCMI_RAW_P2A_INSTEAD = 2,
};

/** scmi_raw_cmd.flags: send hdr_word rather than a header built from hdr. */
#define SCMI_RAW_HDR_WORD (1u << 0)

/** A message to send on the A2P channel. */
struct scmi_raw_cmd {
	/**
	 * The header as fields: msg_id, type (0, a command, unless the
	 * point is to see what the platform does with another), proto_id.
	 * The token is ignored: the library sets it.
	 */
	struct scmi_msg_hdr hdr;
	/**
	 * With SCMI_RAW_HDR_WORD in flags: the header word sent as it is,
	 * but for its token bits (27:18), which the library sets. Reserved
	 * bits and type 1 are sent as given (a platform's handling of them
	 * is for a compliance test to see).
	 */
	uint32_t hdr_word;
	/** SCMI_RAW_HDR_WORD, or 0. */
	uint32_t flags;
	/** The payload bytes (any number up to max_msg_size, no padding). */
	const void *payld;
	size_t payld_sz;
};

/** A response (immediate or delayed), as the platform wrote it. */
struct scmi_raw_reply {
	/** Out: the header word received (token included). */
	uint32_t hdr_word;
	/** Out: its fields. */
	struct scmi_msg_hdr hdr;
	/** Out: the status word, as written (SCMI's enum scmi_status, or any value). */
	int32_t status;
	/** In: where the bytes after the status go; may be NULL with payld_cap 0. */
	void *payld;
	/** In: room at payld; scmi_raw_max_payload() bytes always suffice. */
	size_t payld_cap;
	/**
	 * Out: the bytes after the status the platform sent; when more
	 * than payld_cap, only payld_cap of them were copied.
	 */
	size_t payld_sz;
	/**
	 * Out: whether this response came (well formed): only then do the
	 * fields above hold it. False after an error of the call, but
	 * -ETIMEDOUT and -ECONNRESET of an asynchronous command's wait,
	 * which come after its immediate response.
	 */
	bool received;
};

/** A message taken from the P2A channel: a notification or a delayed response. */
struct scmi_raw_msg {
	/** The header word (type 3 notification, or 2 delayed response). */
	uint32_t hdr_word;
	/** Its fields. */
	struct scmi_msg_hdr hdr;
	/** When the agent took it from the channel (CLOCK_MONOTONIC, ns). */
	uint64_t timestamp_ns;
	/**
	 * The payload: a notification's event payload; a delayed
	 * response's status word (little-endian) then its return values.
	 * scmi_raw_recv*(): in, where to copy it (may be NULL with
	 * payld_cap 0). raw_fn: the library's copy, valid during the call.
	 */
	void *payld;
	/** scmi_raw_recv*(): in, room at payld. raw_fn: payld_sz. */
	size_t payld_cap;
	/** Bytes of the payload as sent (at most payld_cap were copied). */
	size_t payld_sz;
};

/**
 * scmi_agent_config.raw_fn: one P2A message, in the order the agent took
 * them. It runs on the agent's supervisor thread (threaded mode) or in
 * scmi_agent_dispatch() (event-loop mode), never concurrently with
 * another raw_fn call; it may call what a notifier may (agent.h), raw
 * commands included.
 */
typedef void (*scmi_raw_msg_fn)(void *userdata, const struct scmi_raw_msg *msg);

/**
 * The completion of scmi_raw_xfer_async_cb(): @result is 0 when the
 * delayed response came (@delayed: it, as received, valid during the
 * call; its status says how the command ended), -ETIMEDOUT when it did
 * not within the timeout (a later one goes to the raw queue, if any),
 * -ECONNRESET when the platform went away or the agent disconnected
 * first (@delayed NULL for both). Called exactly once, where the
 * agent's completion callbacks run (agent.h's scmi_agent_async_fn).
 */
typedef void (*scmi_raw_delayed_fn)(void *userdata, int result,
				    const struct scmi_raw_reply *delayed);

/** Counters of the raw P2A path, since the agent was created. */
struct scmi_raw_stats {
	uint64_t queued;    /**< P2A messages put on the raw queue */
	uint64_t dropped;   /**< of them, dropped: the queue was full (the oldest goes) or no memory */
	uint64_t delivered; /**< handed to scmi_raw_recv*() or raw_fn */
	uint64_t waiting;   /**< in the queue now */
};

/**
 * The payload bytes a message may carry on the current connection (the
 * platform's max_msg_size, from its hello): a command's payload above it
 * is refused; a buffer of this size holds the bytes after the status of
 * any response, and a notification's payload; a P2A delayed response's
 * payload may be 4 bytes more (its status comes first).
 * Errors: -EINVAL NULL @agent; -ENOTCONN not connected (also while the
 * platform is gone).
 */
int scmi_raw_max_payload(struct scmi_agent *agent);

/**
 * Send @cmd and wait for its response (at most the agent's timeout_ms),
 * into *@reply. Returns 0 when a well-formed response came, whatever its
 * status: the status is reply->status, as written.
 * Errors: -EINVAL NULL @agent, @cmd or @reply, NULL payload with a size,
 * NULL reply->payld with a payld_cap, unknown flags; -ERANGE
 * cmd->payld_sz above max_msg_size (nothing is sent); -EPROTO a
 * malformed response (see the top of this file: reply->hdr_word holds
 * the header word read, 0 if none, and reply->received is false); -ECOMM
 * the platform marked the area
 * in error; and the transport's errors of every command (agent.h):
 * -ENOTCONN, -ECONNRESET, -ETIMEDOUT.
 */
int scmi_raw_xfer(struct scmi_agent *agent, const struct scmi_raw_cmd *cmd,
		  struct scmi_raw_reply *reply);

/**
 * Send @cmd as an asynchronous command (its payload carries the
 * protocol's own "asynchronous" flag: the library cannot know where a
 * protocol keeps it) and take its immediate response into *@imm; when
 * imm->status is SUCCESS, wait for the delayed response (type 2, the
 * command's protocol, message id and token, on the P2A channel) at most
 * @timeout_ms (0: the agent's delayed_timeout_ms) into *@delayed (as
 * Linux, none is awaited after an error: delayed->received then says
 * false). The A2P channel serves other commands meanwhile; in
 * event-loop mode this thread takes the P2A messages while it waits (they
 * are kept for the next dispatch), so a loop that must never wait that
 * long uses scmi_raw_xfer_async_cb(). Up to 16 asynchronous commands
 * (raw or the drivers') may wait at once.
 * Errors: as scmi_raw_xfer() for the immediate response; -EINVAL NULL
 * @delayed or a NULL delayed->payld with a payld_cap; -EBUSY 16
 * asynchronous commands already wait; -ETIMEDOUT no delayed response in
 * time (imm->received: the immediate one came, no delayed one; a later
 * delayed response goes to the raw queue, if any); -ECONNRESET the
 * platform hung up (or the agent disconnected) while it waited (or
 * before the immediate response: imm->received says which).
 */
int scmi_raw_xfer_async(struct scmi_agent *agent,
			const struct scmi_raw_cmd *cmd,
			struct scmi_raw_reply *imm,
			struct scmi_raw_reply *delayed, uint32_t timeout_ms);

/**
 * scmi_raw_xfer_async() without the wait: once the immediate response is
 * in *@imm this returns 0, and when imm->status is SUCCESS,
 * @done(@userdata, ...) is called exactly once later
 * (scmi_raw_delayed_fn), with the delayed response or why none came
 * within @timeout_ms (0: the agent's delayed_timeout_ms). In event-loop
 * mode that deadline is part of scmi_agent_get_timeout(). When
 * imm->status is not SUCCESS @done is never called.
 * Errors (then @done is never called): -EINVAL NULL @done; every error
 * of scmi_raw_xfer(); -EBUSY 16 asynchronous commands already wait.
 */
int scmi_raw_xfer_async_cb(struct scmi_agent *agent,
			   const struct scmi_raw_cmd *cmd,
			   struct scmi_raw_reply *imm, uint32_t timeout_ms,
			   scmi_raw_delayed_fn done, void *userdata);

/**
 * Take the oldest message of the raw queue into *@msg, without waiting.
 * In event-loop mode the agent's fd (scmi_agent_get_fd()) stays readable
 * while the queue holds a message: poll it, call scmi_agent_dispatch()
 * (which takes the P2A messages) and then this, until -EAGAIN.
 * Errors: -EINVAL NULL @agent or @msg, NULL msg->payld with a payld_cap;
 * -EOPNOTSUPP the agent has no raw queue (raw_p2a is
 * SCMI_RAW_P2A_OFF) or hands its messages to raw_fn; -EAGAIN the queue
 * is empty.
 */
int scmi_raw_recv(struct scmi_agent *agent, struct scmi_raw_msg *msg);

/**
 * Threaded mode: scmi_raw_recv(), waiting at most @timeout_ms for a
 * message. It waits for the queue alone: a platform that went away is
 * the agent's state_fn's to tell.
 * Errors: those of scmi_raw_recv() but -EAGAIN; -EOPNOTSUPP event-loop
 * mode too (poll the agent's fd); -ETIMEDOUT nothing came in time.
 */
int scmi_raw_recv_wait(struct scmi_agent *agent, struct scmi_raw_msg *msg,
		       uint32_t timeout_ms);

/**
 * scmi_raw_get_stats() for a struct of @size bytes, as the caller was built
 * with (see "Structs that grow" in <scmi/agent.h>): it writes at most @size
 * bytes into *@st (an older, smaller struct gets the members it has; bytes
 * beyond those this library knows are zeroed).
 * Errors: those of scmi_raw_get_stats(); -EINVAL @size below the size of
 * the struct's first release.
 */
int scmi_raw_get_stats_sized(struct scmi_agent *agent,
			     struct scmi_raw_stats *st, size_t size);

/**
 * Copy the raw P2A path's counters into *@st (all zero when raw_p2a is
 * SCMI_RAW_P2A_OFF).
 * Errors: -EINVAL NULL argument.
 */
static inline int scmi_raw_get_stats(struct scmi_agent *agent,
				     struct scmi_raw_stats *st)
{
	return scmi_raw_get_stats_sized(agent, st, sizeof(*st));
}

#ifdef __cplusplus
}
#endif

#endif /* SCMI_RAW_H */
