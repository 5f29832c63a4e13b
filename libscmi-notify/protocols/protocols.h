/* SPDX-License-Identifier: MIT */
/*
 * The agent's protocol drivers, and what agent.c offers them.
 *
 * Each SCMI protocol is one file in this folder that ends in one constant
 * struct scmi_proto_driver, plus one row in drivers.c's table (and one
 * extern line below; agent.c still has a table of its own, the same). At connect the agent brings up Base first, then
 * every driver whose protocol the platform listed in
 * BASE_DISCOVER_LIST_PROTOCOLS: it calls init() (the protocol's discovery)
 * and registers the driver's events with the notify instance, with the
 * private pointer init() returned. The protocol is up when both succeeded;
 * when the events cannot be registered, fini() undoes init() and the
 * protocol stays down, as after a failed init(). At disconnect it
 * deregisters the events (the notify core turns their notifiers back to
 * pending) and calls fini(). Public calls reach their private struct
 * through scmi_agent_proto_priv() (common.h wraps it for them).
 * The agent never switches on a protocol id: it calls through this table.
 */
#ifndef SCMI_PROTOCOLS_INTERNAL_H
#define SCMI_PROTOCOLS_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <scmi/agent.h>
#include <scmi/notify.h>
#include <scmi/wire.h>

#include "log.h"

struct scmi_proto_driver {
	uint8_t proto_id;
	const char *name;
	/*
	 * Discovery, on the connecting thread, commands allowed. Sets *priv
	 * (passed to the event ops and to fini). Returns 0 or a negative
	 * errno: a failure of Base fails the connect; of another protocol,
	 * only that protocol stays down.
	 */
	int (*init)(struct scmi_agent *agent, void **priv);
	/* Undo init, after the events are deregistered. May be NULL. */
	void (*fini)(struct scmi_agent *agent, void *priv);
	/*
	 * The protocol's events, or NULL. A queue_sz of 0 here means the
	 * notify core's default; scmi_agent_config.queue_sz overrides it.
	 */
	const struct scmi_protocol_events *events;
	/*
	 * The SCMI specification's name of each event, indexed by event id
	 * (events->num_events of them, ids 0..num_events-1); NULL when
	 * events is (names.c gives them to users).
	 */
	const char *const *event_names;
};

/* The drivers (one line per protocol file). */
extern const struct scmi_proto_driver scmi_base_driver;
extern const struct scmi_proto_driver scmi_power_driver;
extern const struct scmi_proto_driver scmi_system_driver;
extern const struct scmi_proto_driver scmi_perf_driver;
extern const struct scmi_proto_driver scmi_clock_driver;
extern const struct scmi_proto_driver scmi_sensor_driver;
extern const struct scmi_proto_driver scmi_reset_driver;
extern const struct scmi_proto_driver scmi_voltage_driver;
extern const struct scmi_proto_driver scmi_powercap_driver;

/* Every driver, Base first (drivers.c): the one table of them. */
/* Rows of scmi_proto_drivers[] (drivers.c), for arrays sized by it. */
#define SCMI_NUM_DRIVERS 9

extern const struct scmi_proto_driver *const scmi_proto_drivers[];
extern const unsigned int scmi_proto_num_drivers;

/* ---- what agent.c offers drivers ------------------------------------- */

/*
 * Send one command and wait for its response. Returns 0 when a well-formed
 * response arrived, with the platform's status in *status (not mapped) and
 * the return bytes as scmi_agent_xfer() gives them; or a negative errno of
 * the transport (-ENOTCONN, -ECONNRESET, -ETIMEDOUT, -EPROTO a malformed
 * response, -ECOMM the area marked in error, -ERANGE @tx_sz too large,
 * -EINVAL).
 */
int scmi_agent_do_xfer(struct scmi_agent *agent, uint8_t proto_id,
		       uint8_t msg_id, const void *tx, size_t tx_sz, void *rx,
		       size_t rx_cap, size_t *rx_sz, int32_t *status);

/*
 * An asynchronous command (@tx carries the protocol's async flag): as
 * scmi_agent_do_xfer(); when the immediate status is SUCCESS, *status and
 * the return bytes are the delayed response's. Further errors: -EBUSY
 * too many asynchronous commands wait, -ETIMEDOUT no delayed response in
 * time, -ECONNRESET the platform left while waiting (agent.h).
 */
int scmi_agent_do_xfer_async(struct scmi_agent *agent, uint8_t proto_id,
			     uint8_t msg_id, const void *tx, size_t tx_sz,
			     void *rx, size_t rx_cap, size_t *rx_sz,
			     int32_t *status);

/*
 * An asynchronous command completed through @fn (agent.h's
 * scmi_agent_xfer_async_cb()): returns 0 with the immediate response's
 * status in *@imm (@fn is called later only when that is SUCCESS), or a
 * negative errno of the transport as above (-EBUSY too many wait).
 */
int scmi_agent_do_xfer_async_cb(struct scmi_agent *agent, uint8_t proto_id,
				uint8_t msg_id, const void *tx, size_t tx_sz,
				int32_t *imm, scmi_agent_async_fn fn,
				void *userdata);

/*
 * Complete through @fn what is already done: for a driver's *_async()
 * call whose command the platform did synchronously (or that needed no
 * command), so that it completes as those that got a delayed response
 * do. @fn(@userdata, 0, @ret, @ret_sz) is called exactly once, where the
 * completions of scmi_agent_do_xfer_async_cb() run (the supervisor
 * thread; in event-loop mode a later scmi_agent_dispatch(); at the latest
 * disconnect or destroy), never inside this call: a caller may hold a
 * lock its callback takes. @ret (@ret_sz bytes, at most the channel's
 * max_msg_size) is copied. Returns 0, or a negative errno and @fn is
 * never called: -EINVAL NULL @agent or @fn, NULL @ret with @ret_sz > 0,
 * or @ret_sz too large; -ENOMEM. It holds none of the 16 slots of
 * asynchronous commands, and a disconnect does not cut it short: it is
 * called with 0 even then (what it reports was done).
 */
int scmi_agent_complete_later(struct scmi_agent *agent,
			      scmi_agent_async_fn fn, void *userdata,
			      const void *ret, size_t ret_sz);

/*
 * A command whose response must carry exactly @rx_sz return bytes.
 * Returns 0; the platform's status mapped by scmi_status_to_errno();
 * -EPROTO a response of another size; or a transport error as above.
 */
int scmi_agent_xfer_exact(struct scmi_agent *agent, uint8_t proto_id,
			  uint8_t msg_id, const void *tx, size_t tx_sz,
			  void *rx, size_t rx_sz);

/*
 * The private pointer that @proto_id's driver init() returned for this
 * agent, or NULL if that protocol is not up. Valid until disconnect, which
 * must not run concurrently with other calls on the agent (agent.h): when
 * the platform goes away it is no longer returned, but kept until then.
 */
void *scmi_agent_proto_priv(const struct scmi_agent *agent, uint8_t proto_id);

/* The agent's log. */
const struct scmi_log *scmi_agent_log(const struct scmi_agent *agent);

/* The Base discovery results, filled by the Base driver's init. */
struct scmi_base_info *scmi_agent_base(struct scmi_agent *agent);

/* The agent id the platform assigned in its hello (also during connect). */
uint32_t scmi_agent_assigned_id(const struct scmi_agent *agent);

/* Whether the agent is connected (scmi_agent_connect() returned 0). */
bool scmi_agent_is_connected(const struct scmi_agent *agent);


#endif /* SCMI_PROTOCOLS_INTERNAL_H */
