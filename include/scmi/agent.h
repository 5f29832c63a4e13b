/* SPDX-License-Identifier: MIT */
/*
 * libscmi-notify: the SCMI agent.
 *
 * An agent connects to a platform (scmi-sim, or anything that speaks
 * include/scmi/transport.h), discovers it through the Base protocol, sends
 * commands over the A2P channel and receives notifications on the P2A
 * channel, which it hands to its notification core instance
 * (include/scmi/notify.h).
 *
 * Life cycle:
 *   scmi_agent_create()      the agent and its notify instance, not connected:
 *                            notifiers registered now stay pending until
 *                            their protocol comes up at connect
 *   scmi_agent_connect()     handshake, Base discovery, protocols' events
 *                            registered, every pending notifier bound and
 *                            its events enabled at the platform: the first
 *                            event after connect returns is not lost
 *   scmi_agent_xfer() ...    commands, from any thread (one in flight at a
 *                            time; the others wait their turn)
 *   scmi_agent_disconnect()  protocols' events deregistered (their notifiers
 *                            go back to pending), channel closed
 *   scmi_agent_destroy()
 *
 * Two modes (scmi_agent_config.event_loop):
 *  - threaded (default): the agent has three threads of its own: the rx
 *    thread takes P2A messages (notifications, delayed responses) and acks
 *    them; the notify instance's worker runs the notifier callbacks; the
 *    supervisor handles a platform that goes away, reconnects, and runs
 *    state_fn (but for the CONNECTED and DISCONNECTED that
 *    scmi_agent_connect() and scmi_agent_disconnect() report on their
 *    caller's thread), the completion callbacks of
 *    scmi_agent_xfer_async_cb() and raw_fn (include/scmi/raw.h).
 *  - event loop: no thread of the library's own, for a program built on
 *    its own loop (poll, epoll, libev, sd-event, GLib). Poll the fd of
 *    scmi_agent_get_fd() (readable when there is work) with the timeout
 *    of scmi_agent_get_timeout(), and call scmi_agent_dispatch(): on the
 *    calling thread it takes the P2A messages, handles a hang-up and
 *    reconnects, and runs every callback (notifiers, state_fn,
 *    completions, raw_fn). A command may be called from that thread too, also
 *    from a callback: while it waits it takes P2A messages itself
 *    (notifications are kept for the next dispatch, delayed responses are
 *    completed), so nothing is lost and nothing deadlocks; a command whose
 *    result comes as a delayed response has a variant that returns at
 *    once and completes through a callback in a later dispatch.
 *
 * scmi_agent_connect(), scmi_agent_disconnect() and scmi_agent_destroy()
 * must not run concurrently with each other (nor, in event-loop mode,
 * with scmi_agent_dispatch()); every other function may be called from
 * any thread, also while the agent reconnects on its own (below).
 *
 * From a callback of the agent (a notifier, state_fn, a completion),
 * scmi_agent_disconnect() and scmi_agent_destroy() are carried out once
 * the callback returned (they return at once): by the supervisor in
 * threaded mode, at the end of the scmi_agent_dispatch() running the
 * callback in event-loop mode. After a destroy so asked for, no callback
 * of the agent runs any more once it is carried out. scmi_agent_connect()
 * from a callback fails with -EDEADLK.
 *
 * Platform restart: when the platform hangs up (it died, or restarts),
 * the agent reports it (state_fn: DISCONNECTED, -ECONNRESET; or -EPROTO
 * when the platform broke the transport, include/scmi/transport.h; a
 * warning in the log), closes the channel and deregisters the protocols'
 * events from the notify instance: every notifier goes back to pending,
 * and stays registered. Commands then fail at once with -ECONNRESET. With
 * scmi_agent_config.reconnect, the agent then tries to connect to the
 * same socket path every reconnect_interval_ms (RECONNECTING); when it
 * succeeds it runs discovery and brings the protocols up as
 * scmi_agent_connect() does, binds the pending notifiers again (those
 * registered while the platform was gone too) and enables their events
 * at the new platform, and only then reports CONNECTED: they keep
 * receiving without being registered again, and none of the first
 * events is lost. Without reconnect the agent stays disconnected
 * (-ECONNRESET) until scmi_agent_disconnect(). What discovery returned
 * for a protocol (its domains, ...) is that of the latest connection.
 *
 * Platform not there yet: with scmi_agent_config.reconnect, the first
 * scmi_agent_connect() to a socket nobody listens on (-ENOENT,
 * -ECONNREFUSED) does not fail: it returns 0 and the agent is
 * RECONNECTING (state_fn told so with that error), trying every
 * reconnect_interval_ms as after a loss, until the platform comes
 * (CONNECTED) or scmi_agent_disconnect(). Commands fail with -ENOTCONN
 * meanwhile. A daemon may so start before its platform.
 *
 * Structs that grow: a config the caller fills (struct scmi_agent_config,
 * struct scmi_notify_config) and an info or stats struct the library fills
 * may gain members at their end in a later release, as perf_event_attr or
 * clone_args do. Each function taking one is an inline wrapper of an
 * exported NAME_sized() that also takes the struct's size, sizeof as the
 * program was built: scmi_agent_create(out, cfg) is
 * scmi_agent_create_sized(out, cfg, sizeof(*cfg)). The library reads only
 * the bytes of the members a smaller (older) config has, the others zero
 * (their defaults), and refuses a larger (newer) one with -E2BIG when a
 * byte beyond those it knows is nonzero (a zero tail is accepted); it
 * writes at most size bytes of an info struct (the bytes beyond those it
 * knows zeroed). A size below that of the struct's first release is
 * -EINVAL. A program built against an older header so keeps working with
 * a newer library without being rebuilt, and one built against a newer
 * header with an older library as long as it leaves the new members zero.
 * The functions of LIBSCMI_NOTIFY_0.1 that took these structs without a
 * size stay exported for the programs linked against it, with 0.1's sizes.
 *
 * Errors are negative errnos; the ones every command can return:
 *   -ENOTCONN    the agent is not connected
 *   -ECONNRESET  the platform hung up (or died); every later command fails
 *                the same way at once, until the agent reconnected (with
 *                scmi_agent_config.reconnect) or scmi_agent_disconnect()
 *   -ETIMEDOUT   no response within the configured timeout
 *   -EPROTO      a malformed response (refused), or the platform's
 *                PROTOCOL_ERROR
 *   a platform status mapped by scmi_status_to_errno() (include/scmi/wire.h):
 *   -EOPNOTSUPP, -EINVAL, -EACCES, -ENOENT, -ERANGE, -EBUSY, -ECOMM, -EIO,
 *   -EREMOTEIO
 */
#ifndef SCMI_AGENT_H
#define SCMI_AGENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <scmi/notify.h>
#include <scmi/raw.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Command timeout used when the configuration says 0, as Linux's. */
#define SCMI_AGENT_DEFAULT_TIMEOUT_MS 30u

/**
 * How long an asynchronous command waits for its delayed response when
 * the configuration says 0: Linux's SCMI_MAX_RESPONSE_TIMEOUT.
 */
#define SCMI_AGENT_DEFAULT_DELAYED_TIMEOUT_MS 2000u

/** Reconnect interval used when the configuration says 0. */
#define SCMI_AGENT_DEFAULT_RECONNECT_MS 100u

/** An SCMI agent (opaque). */
struct scmi_agent;

/** The agent's connection, as scmi_agent_get_state() and state_fn give it. */
enum scmi_agent_state {
	/**
	 * Not connected: never connected, after scmi_agent_disconnect()
	 * (err 0), or the platform hung up (err -ECONNRESET; commands fail
	 * with -ECONNRESET; with reconnect on, RECONNECTING follows at once).
	 */
	SCMI_AGENT_DISCONNECTED = 0,
	/** Connected: by scmi_agent_connect(), or reconnected (err 0). */
	SCMI_AGENT_CONNECTED = 1,
	/**
	 * The platform is gone and the agent tries to connect again every
	 * reconnect_interval_ms (err -ECONNRESET); commands fail with
	 * -ECONNRESET meanwhile. Also after a first scmi_agent_connect()
	 * that found no platform, with reconnect on (err -ENOENT or
	 * -ECONNREFUSED; commands fail with -ENOTCONN meanwhile).
	 */
	SCMI_AGENT_RECONNECTING = 2,
};

/**
 * Told every change of the agent's state, with @err as documented at each
 * state. It runs on the supervisor thread (threaded mode: the loss,
 * RECONNECTING, CONNECTED after a reconnect) or in scmi_agent_dispatch()
 * (event-loop mode), or on the thread calling scmi_agent_connect()
 * (CONNECTED, or RECONNECTING when the platform is not there yet) and scmi_agent_disconnect() (and destroy: DISCONNECTED,
 * err 0). Calls are never concurrent with each other. It may send
 * commands and (un)register notifiers; scmi_agent_disconnect() and
 * scmi_agent_destroy() called from it are carried out after it returns.
 */
typedef void (*scmi_agent_state_fn)(void *userdata,
				    enum scmi_agent_state state, int err);

/**
 * The completion of a command sent with scmi_agent_xfer_async_cb() (or a
 * driver's *_async() call). @result is 0 when the delayed response said
 * SUCCESS; else the errno of its status (scmi_status_to_errno()),
 * -ETIMEDOUT (none within delayed_timeout_ms) or -ECONNRESET (the
 * platform went away, or the agent disconnected, first). @ret and @ret_sz
 * are its return values after the status (NULL and 0 when none, or on an
 * error without response), valid during the call. Called exactly once,
 * on the supervisor thread (threaded mode) or in scmi_agent_dispatch()
 * (event-loop mode), also at disconnect and destroy for the commands
 * they cut short.
 */
typedef void (*scmi_agent_async_fn)(void *userdata, int result,
				    const void *ret, size_t ret_sz);

/** Agent configuration. A zeroed struct (or NULL) means all defaults. */
struct scmi_agent_config {
	/**
	 * How long a command waits for its response, and connect for the
	 * platform's hello; 0 = SCMI_AGENT_DEFAULT_TIMEOUT_MS.
	 */
	uint32_t timeout_ms;
	/** Log sink; NULL = lines at or above log_level go to stderr. */
	scmi_log_fn log_fn;
	void *log_userdata;
	/** Most verbose level passed on; 0 = SCMI_LOG_WARNING. */
	enum scmi_log_level log_level;
	/**
	 * Bytes of each protocol's event queue; 0 = each protocol's default.
	 * It must hold at least one notification of the platform's
	 * max_msg_size (and the core's record header), or connect fails
	 * registering the protocol's events. A notification that finds its
	 * queue full stays in the P2A area until the dispatcher made room
	 * (the platform meanwhile keeps or drops what follows, by its
	 * policy); if the dispatcher takes no event of that protocol for
	 * 200 ms (a callback that blocks), those without room are dropped
	 * and counted (scmi_notify_stats.dropped_full) until it moves.
	 */
	size_t queue_sz;
	/**
	 * Threaded mode only. false (default): the notify instance runs its
	 * worker thread. true: the caller dispatches events itself
	 * (scmi_notify_get_fd(), scmi_notify_run_pending() on
	 * scmi_agent_notify()); the rx thread still takes P2A messages. For
	 * no thread at all, use event_loop.
	 */
	bool manual_dispatch;
	/**
	 * false (default): after the platform hung up the agent stays
	 * disconnected. true: it reconnects on its own, and a first
	 * scmi_agent_connect() that finds no platform yet (-ENOENT,
	 * -ECONNREFUSED) returns 0 and keeps trying (see the top of this
	 * file).
	 */
	bool reconnect;
	/** Time between reconnect attempts; 0 = SCMI_AGENT_DEFAULT_RECONNECT_MS. */
	uint32_t reconnect_interval_ms;
	/** Told each change of state (scmi_agent_state_fn); may be NULL. */
	scmi_agent_state_fn state_fn;
	void *state_userdata;
	/**
	 * How long an asynchronous command waits for its delayed response,
	 * after the immediate one; 0 = SCMI_AGENT_DEFAULT_DELAYED_TIMEOUT_MS.
	 */
	uint32_t delayed_timeout_ms;
	/**
	 * false (default): threaded mode. true: event-loop mode, no thread
	 * of the library's own (see the top of this file); manual_dispatch
	 * is then implied.
	 */
	bool event_loop;
	/*
	 * The raw interface (include/scmi/raw.h, libscmi-notify-raw(3)).
	 * Raw commands need none of what follows.
	 */
	/**
	 * false (default): connect runs discovery and brings the protocols
	 * up. true: connect (and each reconnect) does the handshake alone,
	 * every field of the hello checked as always: no discovery, no
	 * protocol comes up, so the library sends no command of its own;
	 * the drivers' calls fail with -EOPNOTSUPP, notifiers stay pending,
	 * and notifications reach the raw P2A path alone (none if raw_p2a
	 * is SCMI_RAW_P2A_OFF).
	 */
	bool raw_only;
	/**
	 * enum scmi_raw_p2a: whether P2A notifications reach a raw queue
	 * (or raw_fn) alongside the decoded delivery or instead of it; with
	 * either, a delayed response no command waits for reaches it too.
	 * Default SCMI_RAW_P2A_OFF.
	 */
	enum scmi_raw_p2a raw_p2a;
	/**
	 * Messages the raw queue holds, 1..SCMI_RAW_MAX_QUEUE_LEN; 0 =
	 * SCMI_RAW_DEFAULT_QUEUE_LEN. When it is full the oldest message is
	 * dropped (and counted) for the new one, as Linux's raw mode does.
	 */
	uint32_t raw_queue_len;
	/**
	 * NULL (default): the user reads the raw queue (scmi_raw_recv()).
	 * Else the agent hands each message to it (scmi_raw_msg_fn); needs
	 * a raw_p2a other than SCMI_RAW_P2A_OFF.
	 */
	scmi_raw_msg_fn raw_fn;
	void *raw_userdata;
};

/**
 * scmi_agent_create() for a struct of @size bytes, as the caller was built
 * with (see "Structs that grow" in <scmi/agent.h>): it reads the first
 * @size bytes of *@cfg (an older, smaller struct: the members it lacks are
 * zero, their defaults); a larger one is accepted when the bytes beyond
 * those this library knows are zero.
 * Errors: those of scmi_agent_create(); -EINVAL @size below the size of the
 * struct's first release; -E2BIG a larger struct with a nonzero byte beyond
 * those this library knows.
 */
int scmi_agent_create_sized(struct scmi_agent **out,
			    const struct scmi_agent_config *cfg, size_t size);

/**
 * Create an agent, not connected, and its notification core instance
 * (reach it with scmi_agent_notify(); it is fed by the agent alone). In
 * threaded mode the supervisor thread starts here. @cfg may be NULL.
 * Errors: -EINVAL @out is NULL, or a raw_p2a that is not an enum
 * scmi_raw_p2a, a raw_queue_len above SCMI_RAW_MAX_QUEUE_LEN, a raw_fn
 * without raw_p2a; -ENOMEM; or an error of
 * scmi_notify_create(), epoll_create1(), eventfd() or pthread_create().
 */
static inline int scmi_agent_create(struct scmi_agent **out,
				    const struct scmi_agent_config *cfg)
{
	return scmi_agent_create_sized(out, cfg, sizeof(*cfg));
}

/**
 * Disconnect if connected, run the completion callbacks still due
 * (-ECONNRESET), stop the agent's threads, destroy the notify instance
 * and free the agent. No callback runs after it returns. NULL is a no-op.
 * From a callback of the agent it is carried out once the callback
 * returned (see the top of this file).
 */
void scmi_agent_destroy(struct scmi_agent *agent);

/**
 * The agent's notification core instance, owned by the agent. Register
 * notifiers on it at any time: before connect they stay pending and bind
 * when their protocol comes up. NULL if @agent is NULL.
 */
struct scmi_notify *scmi_agent_notify(struct scmi_agent *agent);

/**
 * Connect to the platform listening on the UNIX socket @socket_path (NULL:
 * the simulator's default, scmi_default_socket_path()): take
 * its hello (include/scmi/transport.h, every field and descriptor
 * checked), map the shared memory, start the rx thread (threaded mode),
 * run discovery, register each protocol's events with the notify
 * instance, and bind every pending notifier, its events enabled at the
 * platform, before it returns (a raw_only agent stops after the hello
 * and the rx thread: include/scmi/raw.h).
 * Errors: -EINVAL NULL @agent or a path too long for a UNIX socket; an
 * error of scmi_default_socket_path() (NULL @socket_path);
 * -EISCONN already connected (also when the platform hung up and
 * scmi_agent_disconnect() was not called yet); -EDEADLK called from a
 * callback of the agent; -ENOENT no such socket;
 * -ECONNREFUSED nobody listens there, or the platform closed the connection without a
 * hello (it accepts no more agents) (with reconnect, neither fails: 0,
 * RECONNECTING, the agent keeps trying: see the top of this file); -ETIMEDOUT no hello within the
 * timeout; -EPROTO a malformed hello (any field, the number of
 * descriptors, the size of the shared memory) or a malformed discovery
 * reply; -ENOMEM (also when a protocol's discovery or its events ran
 * out of memory: no protocol is left down for want of it); the negative errno of a failed socket(), connect(),
 * mmap() or pthread_create(); any command error (above) of a Base
 * discovery command that must succeed (PROTOCOL_VERSION,
 * PROTOCOL_ATTRIBUTES, DISCOVER_LIST_PROTOCOLS); or an error of
 * scmi_register_protocol_events() for Base (-EINVAL: queue_sz too small).
 * On error nothing is left connected. The connect timeout covers the
 * connection and the hello; each discovery command has its own.
 * On success it reports CONNECTED to state_fn (on this thread).
 */
int scmi_agent_connect(struct scmi_agent *agent, const char *socket_path);

/**
 * Deregister the protocols' events from the notify instance (turning off,
 * while the platform is still there, what was turned on; the notifiers go
 * back to pending), close the channel (its descriptors and memory), end
 * reconnecting, and run the completion callbacks of the commands it cut
 * short (-ECONNRESET) and those already due. When it returns, no
 * completion callback runs any more: one that the supervisor runs is
 * waited for. A reconnect attempt in progress ends first, within
 * the configured timeout. Reports DISCONNECTED (err 0) to state_fn unless
 * the state already was. Idempotent; NULL is a no-op. From a callback of
 * the agent it is carried out once the callback returned (see the top of
 * this file).
 */
void scmi_agent_disconnect(struct scmi_agent *agent);

/**
 * The agent's state now (enum scmi_agent_state), which may change at
 * once (the supervisor thread changes it).
 * Errors: -EINVAL NULL @agent.
 */
int scmi_agent_get_state(const struct scmi_agent *agent);

/** The agent id the platform assigned (1..255), or 0 if not connected. */
uint32_t scmi_agent_id(const struct scmi_agent *agent);

/**
 * Send one raw command (@proto_id, @msg_id) with the @tx_sz bytes of @tx
 * as its payload, and wait for its response. On success the first
 * min(@rx_cap, return bytes) return bytes (those after the status word)
 * are copied to @rx, and *@rx_sz (if not NULL) is set to the number of
 * return bytes the platform sent.
 * Errors: -EINVAL NULL @agent, NULL @tx with @tx_sz > 0, or NULL @rx with
 * @rx_cap > 0; -ERANGE @tx_sz above the channel's max_msg_size (nothing is
 * sent); the platform's status mapped by scmi_status_to_errno(); and every
 * command error listed at the top of this file.
 */
int scmi_agent_xfer(struct scmi_agent *agent, uint8_t proto_id,
		    uint8_t msg_id, const void *tx, size_t tx_sz, void *rx,
		    size_t rx_cap, size_t *rx_sz);

/**
 * Send one raw asynchronous command: @tx must carry the protocol's own
 * "asynchronous" flag (the agent cannot know where a protocol keeps it).
 * When the immediate response says SUCCESS, wait for the delayed response
 * (message type 2, the command's protocol, message id and token) on the
 * P2A channel; its status decides the result and its return values are
 * copied as scmi_agent_xfer() copies a response's. The A2P channel serves
 * other commands while this one waits; the token stays reserved until
 * this call returns. A delayed response that overtakes the immediate one
 * is taken. Up to 16 asynchronous commands may wait at once.
 * Errors: as scmi_agent_xfer(), the immediate response's status (then no
 * delayed response is awaited) or the delayed one's mapped by
 * scmi_status_to_errno(); -EBUSY 16 asynchronous commands already wait;
 * -ETIMEDOUT no delayed response within delayed_timeout_ms (one that
 * comes later is dropped and counted in notify_refused); -ECONNRESET the
 * platform hung up (or the agent disconnected) while it waited.
 */
int scmi_agent_xfer_async(struct scmi_agent *agent, uint8_t proto_id,
			  uint8_t msg_id, const void *tx, size_t tx_sz,
			  void *rx, size_t rx_cap, size_t *rx_sz);

/**
 * Send one raw asynchronous command as scmi_agent_xfer_async() does, but
 * do not wait for the delayed response: once the immediate response says
 * SUCCESS this returns 0, and @done(@userdata, ...) is called exactly
 * once later (scmi_agent_async_fn), in the manner of sd_bus_call_async().
 * For an event loop that must never wait delayed_timeout_ms.
 * Errors (then @done is never called): -EINVAL NULL @agent or @done, NULL
 * @tx with @tx_sz > 0; every error of scmi_agent_xfer(); the immediate
 * response's status mapped by scmi_status_to_errno(); -EBUSY 16
 * asynchronous commands already wait.
 */
int scmi_agent_xfer_async_cb(struct scmi_agent *agent, uint8_t proto_id,
			     uint8_t msg_id, const void *tx, size_t tx_sz,
			     scmi_agent_async_fn done, void *userdata);

/**
 * Event-loop mode: a file descriptor that is readable when the agent has
 * work for scmi_agent_dispatch() (a P2A message, a hang-up, notifications
 * to dispatch, a callback due), or messages wait in the raw queue for
 * scmi_raw_recv() (include/scmi/raw.h). Poll it for reading; it is the same for
 * the agent's whole life (across connections), owned by the agent.
 * Errors: -EINVAL NULL @agent; -EOPNOTSUPP threaded mode.
 */
int scmi_agent_get_fd(struct scmi_agent *agent);

/**
 * Event-loop mode: when scmi_agent_dispatch() must run at the latest even
 * if the fd stays quiet (a reconnect attempt, a completion callback's
 * timeout), as an absolute CLOCK_MONOTONIC time in microseconds into
 * *@usec; UINT64_MAX when there is none, 0 when it is due now. Ask again
 * after every dispatch (as sd_bus_get_timeout()).
 * Errors: -EINVAL NULL argument; -EOPNOTSUPP threaded mode.
 */
int scmi_agent_get_timeout(struct scmi_agent *agent, uint64_t *usec);

/**
 * Event-loop mode: do the agent's work on the calling thread, without
 * waiting for anything: take the P2A messages posted (and ack them when
 * the platform asks), handle a hang-up (state_fn) and, when one is due, a
 * reconnect attempt (its discovery commands each bounded by the command
 * timeout), run the completion callbacks due, raw_fn for each raw P2A
 * message and the notifier callbacks of the notifications queued. A
 * destroy asked for by a callback is
 * carried out before it returns: the agent is gone then.
 * Returns the number of notifications dispatched (>= 0).
 * Errors: -EINVAL NULL @agent; -EOPNOTSUPP threaded mode; -EDEADLK called
 * from a callback of the agent.
 */
int scmi_agent_dispatch(struct scmi_agent *agent);

/** What Base discovery learned at connect. */
struct scmi_base_info {
	uint32_t version;       /**< Base protocol version (major 31:16, minor 15:0) */
	uint32_t num_protocols; /**< entries of protocols[] (Base excluded) */
	uint32_t num_agents;    /**< agents the platform serves */
	char vendor[16];        /**< NUL-terminated; "" if the platform has none */
	char sub_vendor[16];    /**< NUL-terminated; "" if the platform has none */
	uint32_t impl_version;  /**< vendor-defined implementation version */
	uint8_t protocols[255]; /**< ids of the protocols the platform implements */
};

/**
 * scmi_agent_base_info() for a struct of @size bytes, as the caller was
 * built with (see "Structs that grow" in <scmi/agent.h>): it writes at most
 * @size bytes into *@info (an older, smaller struct gets the members it
 * has; bytes beyond those this library knows are zeroed).
 * Errors: those of scmi_agent_base_info(); -EINVAL @size below the size of
 * the struct's first release.
 */
int scmi_agent_base_info_sized(struct scmi_agent *agent,
			       struct scmi_base_info *info, size_t size);

/**
 * Copy what Base discovery learned at connect (or the latest reconnect)
 * into *@info.
 * Errors: -EINVAL NULL argument; -ENOTCONN not connected (also while the
 * platform is gone); -EOPNOTSUPP a raw_only agent (no discovery ran).
 */
static inline int scmi_agent_base_info(struct scmi_agent *agent,
				       struct scmi_base_info *info)
{
	return scmi_agent_base_info_sized(agent, info, sizeof(*info));
}

/**
 * BASE_DISCOVER_AGENT: the id and name of agent @agent_id (0 = the
 * platform, 0xFFFFFFFF = this agent). Either output may be NULL; @name
 * receives a NUL-terminated string of at most 15 characters.
 * Errors: -EINVAL NULL @agent; -ENOENT no such agent (the platform's
 * NOT_FOUND); -EPROTO a reply of the wrong size; and every command error.
 */
int scmi_base_discover_agent(struct scmi_agent *agent, uint32_t agent_id,
			     uint32_t *id_out, char name[16]);

/**
 * BASE_SET_DEVICE_PERMISSIONS: allow (@allow true) or deny agent
 * @agent_id access to device @device_id (ids are the platform's; for
 * scmi-sim, protocol id << 16 | domain id). Only a trusted agent may.
 * Errors: -EINVAL NULL @agent, or the platform's INVALID_PARAMETERS;
 * -EACCES the platform's DENIED (this agent is not trusted); -ENOENT
 * NOT_FOUND (no such agent or device); -EOPNOTSUPP NOT_SUPPORTED (the
 * platform has no permissions); and every command error.
 */
int scmi_base_set_device_permissions(struct scmi_agent *agent,
				     uint32_t agent_id, uint32_t device_id,
				     bool allow);

/**
 * BASE_SET_PROTOCOL_PERMISSIONS: allow (@allow true) or deny agent
 * @agent_id access to protocol @protocol_id for device @device_id. Only a
 * trusted agent may, and not for the Base protocol.
 * Errors: -EINVAL NULL @agent, or the platform's INVALID_PARAMETERS;
 * -EACCES DENIED (this agent is not trusted, or @protocol_id is Base);
 * -ENOENT NOT_FOUND (no such agent, device or protocol); -EOPNOTSUPP
 * NOT_SUPPORTED; and every command error.
 */
int scmi_base_set_protocol_permissions(struct scmi_agent *agent,
				       uint32_t agent_id, uint32_t device_id,
				       uint8_t protocol_id, bool allow);

/**
 * BASE_RESET_AGENT_CONFIGURATION: reset agent @agent_id's configuration
 * and, with @reset_permissions, its access permissions to the platform's
 * defaults. Only a trusted agent may.
 * Errors: -EINVAL NULL @agent, or the platform's INVALID_PARAMETERS;
 * -EACCES DENIED (this agent is not trusted); -ENOENT NOT_FOUND (no such
 * agent); -EOPNOTSUPP NOT_SUPPORTED; and every command error.
 */
int scmi_base_reset_agent_configuration(struct scmi_agent *agent,
					uint32_t agent_id,
					bool reset_permissions);

/** Counters of the agent's transport, since creation. */
struct scmi_agent_stats {
	uint64_t commands;       /**< commands sent */
	uint64_t timeouts;       /**< commands that got no response in time */
	uint64_t proto_errors;   /**< responses refused as malformed (-EPROTO) */
	uint64_t notifications;  /**< notifications received and handed to the core (or the raw P2A path) */
	uint64_t notify_refused; /**< malformed or unexpected P2A messages dropped */
	uint64_t delayed_responses; /**< delayed responses taken by a waiting command */
};

/**
 * scmi_agent_get_stats() for a struct of @size bytes, as the caller was
 * built with (see "Structs that grow" in <scmi/agent.h>): it writes at most
 * @size bytes into *@st (an older, smaller struct gets the members it has;
 * bytes beyond those this library knows are zeroed).
 * Errors: those of scmi_agent_get_stats(); -EINVAL @size below the size of
 * the struct's first release.
 */
int scmi_agent_get_stats_sized(const struct scmi_agent *agent,
			       struct scmi_agent_stats *st, size_t size);

/**
 * Copy the transport's counters into *@st.
 * Errors: -EINVAL NULL argument.
 */
static inline int scmi_agent_get_stats(const struct scmi_agent *agent,
				       struct scmi_agent_stats *st)
{
	return scmi_agent_get_stats_sized(agent, st, sizeof(*st));
}

#ifdef __cplusplus
}
#endif

#endif /* SCMI_AGENT_H */
