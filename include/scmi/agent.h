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
 *   scmi_agent_connect()     handshake, rx thread, Base discovery, protocols'
 *                            events registered with the notify instance
 *   scmi_agent_xfer() ...    commands, from any thread (one in flight at a
 *                            time; the others wait their turn)
 *   scmi_agent_disconnect()  protocols' events deregistered (their notifiers
 *                            go back to pending), rx thread stopped
 *   scmi_agent_destroy()
 *
 * scmi_agent_connect(), scmi_agent_disconnect() and scmi_agent_destroy()
 * must not run concurrently with each other or with any other call on the
 * same agent; every other function may be called from any thread.
 *
 * Errors are negative errnos; the ones every command can return:
 *   -ENOTCONN    the agent is not connected
 *   -ECONNRESET  the platform hung up (or died); every later command fails
 *                the same way at once, until scmi_agent_disconnect()
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

#ifdef __cplusplus
extern "C" {
#endif

/** Command timeout used when the configuration says 0, as Linux's. */
#define SCMI_AGENT_DEFAULT_TIMEOUT_MS 30u

/** An SCMI agent (opaque). */
struct scmi_agent;

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
	 * registering the protocol's events.
	 */
	size_t queue_sz;
	/**
	 * false (default): the notify instance runs its worker thread.
	 * true: the caller dispatches events itself (scmi_notify_get_fd(),
	 * scmi_notify_run_pending() on scmi_agent_notify()).
	 */
	bool manual_dispatch;
};

/**
 * Create an agent, not connected, and its notification core instance
 * (reach it with scmi_agent_notify(); it is fed by the agent's rx thread
 * alone). @cfg may be NULL.
 * Errors: -EINVAL @out is NULL; -ENOMEM; or an error of
 * scmi_notify_create().
 */
int scmi_agent_create(struct scmi_agent **out,
		      const struct scmi_agent_config *cfg);

/**
 * Disconnect if connected, destroy the notify instance and free the agent.
 * No notifier callback runs after it returns. NULL is a no-op.
 */
void scmi_agent_destroy(struct scmi_agent *agent);

/**
 * The agent's notification core instance, owned by the agent. Register
 * notifiers on it at any time: before connect they stay pending and bind
 * when their protocol comes up. NULL if @agent is NULL.
 */
struct scmi_notify *scmi_agent_notify(struct scmi_agent *agent);

/**
 * Connect to the platform listening on the UNIX socket @socket_path: take
 * its hello (include/scmi/transport.h, every field checked), map the
 * shared memory, start the rx thread, run Base discovery and register the
 * events of the Base protocol with the notify instance.
 * Errors: -EINVAL NULL argument or a path too long for a UNIX socket;
 * -EISCONN already connected; -ENOENT no such socket; -ECONNREFUSED
 * nobody listens there, or the platform closed the connection without a
 * hello (it accepts no more agents); -ETIMEDOUT no hello within the
 * timeout; -EPROTO a malformed hello (any field, the number of
 * descriptors, the size of the shared memory) or a malformed discovery
 * reply; -ENOMEM; the negative errno of a failed socket(), connect(),
 * mmap() or pthread_create(); any command error (above) of a Base
 * discovery command that must succeed (PROTOCOL_VERSION,
 * PROTOCOL_ATTRIBUTES, DISCOVER_LIST_PROTOCOLS); or an error of
 * scmi_register_protocol_events() for Base (-EINVAL: queue_sz too small).
 * On error nothing is left connected. The connect timeout covers the
 * connection and the hello; each discovery command has its own.
 */
int scmi_agent_connect(struct scmi_agent *agent, const char *socket_path);

/**
 * Deregister the protocols' events from the notify instance (turning off,
 * while the platform is still there, what was turned on; the notifiers go
 * back to pending), stop the rx thread, unmap the shared memory and close
 * the socket and descriptors. Idempotent; NULL is a no-op.
 */
void scmi_agent_disconnect(struct scmi_agent *agent);

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
 * Copy what Base discovery learned at connect into *@info.
 * Errors: -EINVAL NULL argument; -ENOTCONN not connected.
 */
int scmi_agent_base_info(struct scmi_agent *agent,
			 struct scmi_base_info *info);

/**
 * BASE_DISCOVER_AGENT: the id and name of agent @agent_id (0 = the
 * platform, 0xFFFFFFFF = this agent). Either output may be NULL; @name
 * receives a NUL-terminated string of at most 15 characters.
 * Errors: -EINVAL NULL @agent; -ENOENT no such agent (the platform's
 * NOT_FOUND); -EPROTO a reply of the wrong size; and every command error.
 */
int scmi_base_discover_agent(struct scmi_agent *agent, uint32_t agent_id,
			     uint32_t *id_out, char name[16]);

/** Counters of the agent's transport, since creation. */
struct scmi_agent_stats {
	uint64_t commands;       /**< commands sent */
	uint64_t timeouts;       /**< commands that got no response in time */
	uint64_t proto_errors;   /**< responses refused as malformed (-EPROTO) */
	uint64_t notifications;  /**< notifications received and handed to the core */
	uint64_t notify_refused; /**< malformed or unexpected P2A messages dropped */
};

/**
 * Copy the transport's counters into *@st.
 * Errors: -EINVAL NULL argument.
 */
int scmi_agent_get_stats(const struct scmi_agent *agent,
			 struct scmi_agent_stats *st);

#ifdef __cplusplus
}
#endif

#endif /* SCMI_AGENT_H */
