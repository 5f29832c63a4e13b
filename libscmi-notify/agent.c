/* SPDX-License-Identifier: MIT */
/*
 * The agent: commands over the A2P channel, and connect / disconnect with
 * the bring-up of the protocol drivers (protocols/protocols.h).
 *
 * A command, under cmd_mtx (one in flight per channel; callers on other
 * threads wait their turn):
 *   1. take the next token (a 10-bit counter);
 *   2. wait until the A2P area is FREE (or marked ERROR: that transfer is
 *      over too): the previous response is in, or the platform finished a
 *      command that had timed out. Waiting is on a2p_done, never a spin
 *      on the area;
 *   3. after an abnormal end of the previous command (timeout), drain a
 *      stale a2p_done so that it does not look like this one's;
 *   4. write the message (smt.c: channel_status = busy last, release) and
 *      ring a2p_doorbell;
 *   5. wait on a2p_done (epoll, channel_wait_done()) until one
 *      CLOCK_MONOTONIC deadline (the timeout, default 30 ms, covers steps
 *      2 to 5): a done that leaves the area busy (neither FREE nor ERROR)
 *      is a stale one, so wait on;
 *   6. copy the response out (smt.c) and refuse one whose protocol,
 *      message id, token or type differ from the command's (-EPROTO):
 *      a late response to an older token is never taken for this one.
 * Hang-up fails the command at once (-ECONNRESET, channel.c), and every
 * later one.
 *
 * An asynchronous command (scmi_agent_xfer_async()) reserves a slot for
 * its delayed response (delayed.h) with its token in step 1, goes through
 * steps 2 to 6, gives cmd_mtx back and only then waits for the delayed
 * response (default 2 s, as Linux), which the rx thread completes: the
 * A2P channel serves other commands meanwhile, and no token is reused
 * while a slot holds it.
 *
 * Locks: cmd_mtx protects the A2P area, the token counter, cmd_buf,
 * stale_done and up. The notify core calls drivers' set_notify_enabled()
 * (which sends a command) with its own locks held, so the order is: notify
 * core locks, then cmd_mtx; nothing here calls the core with cmd_mtx held.
 * base_mtx (base_pub), sup_mtx (hangup, stop) and the delayed table's
 * mutex are leaves: nothing is taken, and nothing is called, while
 * holding them.
 *
 * Platform restart (agent.h). Threads:
 *  - whoever first sees the hang-up (the rx thread, or a command waiting,
 *    which may hold cmd_mtx and the core's locks) calls on_hangup()
 *    (channel.h's on_dead): it sets hangup under sup_mtx and signals;
 *  - the supervisor thread (scmi_agent_connect() to
 *    scmi_agent_disconnect()) takes it: reports the loss, deregisters the
 *    protocols' events, closes the channel (joining the rx thread: never
 *    the rx thread joining itself) and, with reconnect, connects again,
 *    holding no lock between these steps, and none while it calls
 *    state_fn. It is the only thread that connects or closes the channel
 *    while it runs: scmi_agent_disconnect() stops (joins) it first.
 * Public calls run beside the supervisor: a protocol's private state is
 * published through proto_inst.live (atomic) and, when the platform goes
 * away, retired rather than freed (a call may still hold it): retired
 * states are freed at scmi_agent_disconnect(), when no call runs.
 * What Base discovery found is copied to base_pub (under base_mtx) for
 * public readers; a->base is the supervisor's (or connect's) own.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <scmi/agent.h>
#include <scmi/wire.h>

#include "channel.h"
#include "delayed.h"
#include "log.h"
#include "protocols/protocols.h"
#include "smt.h"
#include "symbols.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Protocol drivers, Base first: one row per protocol. */
static const struct scmi_proto_driver *const drivers[] = {
	&scmi_base_driver,
	&scmi_power_driver,
	&scmi_system_driver,
	&scmi_perf_driver,
	&scmi_clock_driver,
	&scmi_sensor_driver,
	&scmi_reset_driver,
	&scmi_voltage_driver,
	&scmi_powercap_driver,
};

struct proto_inst {
	void *priv;
	bool up;            /* init succeeded */
	bool events;        /* events registered with the notify instance */
	_Atomic(void *) live; /* priv while up, for public calls; else NULL */
};

/* A protocol's private state, kept until disconnect (see the top). */
struct retired {
	size_t drv;
	void *priv;
};

struct scmi_agent {
	struct scmi_log log;
	uint32_t timeout_ms;
	size_t queue_sz;
	struct scmi_notify *ni;
	struct chan_stats stats;

	uint32_t delayed_timeout_ms;
	struct delayed_table delayed; /* async commands in flight (delayed.h) */

	pthread_mutex_t cmd_mtx;  /* protects everything down to 'up' */
	uint16_t token;           /* next token, modulo SCMI_TOKEN_MAX */
	bool stale_done;          /* a2p_done may hold a stale ring */
	uint8_t *cmd_buf;         /* 4 + max_msg_size: a response's copy */
	size_t cmd_buf_sz;
	bool up;                  /* the channel is open for commands */

	struct scmi_channel ch;
	atomic_bool connected;
	atomic_bool lost;         /* the platform hung up: -ECONNRESET */
	atomic_int state;         /* enum scmi_agent_state */
	_Atomic uint32_t agent_id; /* while connected, for scmi_agent_id() */
	struct scmi_base_info base; /* discovery's, connecting thread only */
	pthread_mutex_t base_mtx;   /* protects base_pub */
	struct scmi_base_info base_pub;
	struct proto_inst protos[ARRAY_SIZE(drivers)];
	struct retired *retired;  /* connect/disconnect/supervisor only */
	size_t num_retired;

	/* restart handling (see the top of this file) */
	bool reconnect;
	uint32_t reconnect_ms;
	scmi_agent_state_fn state_fn;
	void *state_userdata;
	char *path;               /* the socket path, while connected */
	pthread_mutex_t sup_mtx;  /* protects hangup and stop */
	pthread_cond_t sup_cond;  /* CLOCK_MONOTONIC */
	bool hangup;              /* the platform hung up, not handled yet */
	bool stop;                /* the supervisor must return */
	bool sup_started;
	pthread_t sup_thread;
};

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

/*
 * cmd_mtx held. Step 1 above: the next token, skipping those that
 * asynchronous commands still hold (at most DELAYED_MAX of them).
 */
static uint16_t next_token(struct scmi_agent *a)
{
	uint16_t token = a->token;

	for (int i = 0; i < DELAYED_MAX &&
			delayed_token_busy(&a->delayed, token); i++)
		token = (uint16_t)((token + 1) % SCMI_TOKEN_MAX);
	a->token = (uint16_t)((token + 1) % SCMI_TOKEN_MAX);
	return token;
}

/* cmd_mtx held, xfer_ready_locked() said 0. Steps 2 to 6 above. */
static int xfer_locked(struct scmi_agent *a, uint16_t token, uint8_t proto_id,
		       uint8_t msg_id, const void *tx, size_t tx_sz, void *rx,
		       size_t rx_cap, size_t *rx_sz, int32_t *status)
{
	struct scmi_channel *ch = &a->ch;
	uint64_t deadline = scmi_now_ns() + (uint64_t)a->timeout_ms * 1000000ull;
	struct smt_expect exp = {
		.hdr = { .msg_id = msg_id, .type = SCMI_MSG_TYPE_COMMAND,
			 .proto_id = proto_id, .token = token },
		.match = SMT_MATCH_ALL,
	};
	struct smt_msg msg;
	size_t ret_sz;
	int ret;

	/* ours again once the last transfer is over: FREE, or ERROR */
	while (!(smt_get_status(&ch->a2p) &
		 (SCMI_SMT_STATUS_FREE | SCMI_SMT_STATUS_ERROR))) {
		ret = channel_wait_done(ch, deadline);
		if (ret == -ETIMEDOUT) {
			scmi_warn(&a->log,
				  "command 0x%x/0x%x: the A2P channel stayed busy",
				  proto_id, msg_id);
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

	ret = smt_write(&ch->a2p, ch->max_msg_size, SCMI_SMT_FLAGS_INTR,
			scmi_hdr_pack(msg_id, SCMI_MSG_TYPE_COMMAND, proto_id,
				      token),
			tx, tx_sz);
	if (ret)
		return ret;
	atomic_fetch_add_explicit(&a->stats.commands, 1, memory_order_relaxed);
	ret = channel_ring(ch, ch->a2p_doorbell);
	if (ret)
		return ret;

	for (;;) {
		ret = channel_wait_done(ch, deadline);
		if (ret == -ETIMEDOUT) {
			scmi_warn(&a->log,
				  "command 0x%x/0x%x token %u: no response in %u ms",
				  proto_id, msg_id, token, a->timeout_ms);
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
	if (!ret && msg.payld_sz < 4)
		ret = -EPROTO; /* no status word */
	if (ret) {
		atomic_fetch_add(&a->stats.proto_errors, 1);
		scmi_warn(&a->log,
			  "command 0x%x/0x%x token %u: response refused (%d): header 0x%08x, %zu payload bytes%s",
			  proto_id, msg_id, token, ret, msg.hdr_word,
			  msg.payld_sz,
			  ret == -ECOMM ? ", area marked in error" : "");
		return ret;
	}
	*status = (int32_t)scmi_get_le32(a->cmd_buf);
	ret_sz = msg.payld_sz - 4;
	if (rx_cap)
		memcpy(rx, a->cmd_buf + 4, ret_sz < rx_cap ? ret_sz : rx_cap);
	if (rx_sz)
		*rx_sz = ret_sz;
	return 0;
}

int scmi_agent_do_xfer(struct scmi_agent *a, uint8_t proto_id, uint8_t msg_id,
		       const void *tx, size_t tx_sz, void *rx, size_t rx_cap,
		       size_t *rx_sz, int32_t *status)
{
	int ret;

	if (!a || !status || (!tx && tx_sz) || (!rx && rx_cap))
		return -EINVAL;
	pthread_mutex_lock(&a->cmd_mtx);
	ret = xfer_ready_locked(a, tx_sz);
	if (!ret)
		ret = xfer_locked(a, next_token(a), proto_id, msg_id, tx, tx_sz,
				  rx, rx_cap, rx_sz, status);
	pthread_mutex_unlock(&a->cmd_mtx);
	if (!ret && *status != SCMI_SUCCESS)
		scmi_dbg(&a->log, "command 0x%x/0x%x: %s", proto_id, msg_id,
			 scmi_status_name(*status));
	return ret;
}

/*
 * An asynchronous command: its slot is reserved before it is written (a
 * delayed response may overtake the immediate one), the A2P channel is
 * given back with the immediate response, and the wait for the delayed
 * one holds no lock of the agent's: other commands go on meanwhile.
 */
int scmi_agent_do_xfer_async(struct scmi_agent *a, uint8_t proto_id,
			     uint8_t msg_id, const void *tx, size_t tx_sz,
			     void *rx, size_t rx_cap, size_t *rx_sz,
			     int32_t *status)
{
	uint16_t token = 0;
	int32_t imm = SCMI_SUCCESS;
	int idx = -1, ret;

	if (!a || !status || (!tx && tx_sz) || (!rx && rx_cap))
		return -EINVAL;
	pthread_mutex_lock(&a->cmd_mtx);
	ret = xfer_ready_locked(a, tx_sz);
	if (!ret) {
		token = next_token(a);
		idx = delayed_reserve(&a->delayed, proto_id, msg_id, token,
				      rx_cap);
		ret = idx < 0 ? idx : 0;
	}
	if (!ret) {
		ret = xfer_locked(a, token, proto_id, msg_id, tx, tx_sz, NULL, 0,
				  NULL, &imm);
		if (ret || imm != SCMI_SUCCESS)
			delayed_release(&a->delayed, idx);
	}
	pthread_mutex_unlock(&a->cmd_mtx);
	if (ret)
		return ret;
	if (imm != SCMI_SUCCESS) {
		*status = imm;
		scmi_dbg(&a->log, "async command 0x%x/0x%x: %s", proto_id,
			 msg_id, scmi_status_name(imm));
		return 0;
	}

	ret = delayed_wait(&a->delayed, idx,
			   scmi_now_ns() +
				   (uint64_t)a->delayed_timeout_ms * 1000000ull,
			   status, rx, rx_cap, rx_sz);
	if (ret == -ETIMEDOUT) {
		atomic_fetch_add(&a->stats.timeouts, 1);
		scmi_warn(&a->log,
			  "command 0x%x/0x%x token %u: no delayed response in %u ms",
			  proto_id, msg_id, token, a->delayed_timeout_ms);
	} else if (!ret && *status != SCMI_SUCCESS) {
		scmi_dbg(&a->log, "command 0x%x/0x%x: delayed response %s",
			 proto_id, msg_id, scmi_status_name(*status));
	}
	return ret;
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

const struct scmi_log *scmi_agent_log(const struct scmi_agent *a)
{
	return &a->log;
}

struct scmi_base_info *scmi_agent_base(struct scmi_agent *a)
{
	return &a->base;
}

uint32_t scmi_agent_assigned_id(const struct scmi_agent *a)
{
	return a->ch.agent_id;
}

bool scmi_agent_is_connected(const struct scmi_agent *a)
{
	return atomic_load(&a->connected);
}

void *scmi_agent_proto_priv(const struct scmi_agent *a, uint8_t proto_id)
{
	for (size_t i = 0; i < ARRAY_SIZE(drivers); i++)
		if (drivers[i]->proto_id == proto_id)
			return atomic_load_explicit(
				&((struct scmi_agent *)a)->protos[i].live,
				memory_order_acquire);
	return NULL;
}

/* ---------------------------------------------------------------- */
/* protocols                                                        */

static bool proto_listed(const struct scmi_agent *a, uint8_t proto_id)
{
	for (uint32_t i = 0; i < a->base.num_protocols; i++)
		if (a->base.protocols[i] == proto_id)
			return true;
	return false;
}

/* fini() every retired private state, oldest first. No call may run. */
static void free_retired(struct scmi_agent *a)
{
	for (size_t i = 0; i < a->num_retired; i++) {
		const struct scmi_proto_driver *drv = drivers[a->retired[i].drv];

		if (drv->fini)
			drv->fini(a, a->retired[i].priv);
	}
	free(a->retired);
	a->retired = NULL;
	a->num_retired = 0;
}

/* Keep protocol @i's @priv until free_retired(). */
static void retire(struct scmi_agent *a, size_t i, void *priv)
{
	struct retired *r;

	r = realloc(a->retired, (a->num_retired + 1) * sizeof(*r));
	if (!r) {
		/* a public call may still use it: leak it rather than free */
		scmi_err(&a->log, "protocol 0x%x: no memory to retire its state: leaked",
			 drivers[i]->proto_id);
		return;
	}
	a->retired = r;
	r[a->num_retired++] = (struct retired){ .drv = i, .priv = priv };
}

/*
 * Deregister events, then fini, in reverse order of bring-up. @keep:
 * public calls may run beside (the supervisor): keep the private states
 * until disconnect rather than fini() them now.
 */
static void protocols_down(struct scmi_agent *a, bool keep)
{
	for (size_t i = ARRAY_SIZE(drivers); i-- > 0;) {
		const struct scmi_proto_driver *drv = drivers[i];
		struct proto_inst *pi = &a->protos[i];

		atomic_store(&pi->live, NULL);
		if (pi->events) {
			scmi_deregister_protocol_events(a->ni, drv->proto_id);
			pi->events = false;
		}
		if (pi->up && keep)
			retire(a, i, pi->priv);
		else if (pi->up && drv->fini)
			drv->fini(a, pi->priv);
		pi->up = false;
		pi->priv = NULL;
	}
}

/*
 * Register @drv's events with the notify instance, with @priv.
 * Returns 0 or the negative errno of the registration.
 */
static int protocol_events(struct scmi_agent *a,
			   const struct scmi_proto_driver *drv, void *priv)
{
	struct scmi_protocol_events ee = *drv->events;
	struct scmi_event *evts;
	int ret;

	/*
	 * No notification carries more than max_msg_size bytes (the rx
	 * thread drops larger ones): the core's limit per event is capped to
	 * it, so that queues are sized for what can come.
	 */
	evts = calloc(ee.num_events, sizeof(*evts));
	if (!evts)
		return -ENOMEM;
	for (unsigned int e = 0; e < ee.num_events; e++) {
		evts[e] = drv->events->evts[e];
		if (evts[e].max_payld_sz > a->ch.max_msg_size)
			evts[e].max_payld_sz = a->ch.max_msg_size;
	}
	ee.evts = evts;
	if (a->queue_sz)
		ee.queue_sz = a->queue_sz;
	ret = scmi_register_protocol_events(a->ni, drv->proto_id, priv, &ee);
	free(evts); /* the core keeps its own copy */
	return ret;
}

/*
 * Bring protocol @i up: init(), then its events. A protocol is up only
 * when both succeeded: when the events cannot be registered, fini() undoes
 * init() and the protocol stays down (its calls return -EOPNOTSUPP), as
 * after a failed discovery.
 */
static int protocol_up(struct scmi_agent *a, size_t i)
{
	const struct scmi_proto_driver *drv = drivers[i];
	struct proto_inst *pi = &a->protos[i];
	int ret = 0;

	if (drv->init)
		ret = drv->init(a, &pi->priv);
	if (ret) {
		scmi_warn(&a->log, "protocol 0x%x (%s): discovery failed: %d",
			  drv->proto_id, drv->name, ret);
		pi->priv = NULL;
		return ret;
	}
	if (drv->events) {
		ret = protocol_events(a, drv, pi->priv);
		if (ret) {
			scmi_warn(&a->log,
				  "protocol 0x%x (%s): registering its events failed: %d; the protocol stays down",
				  drv->proto_id, drv->name, ret);
			if (drv->fini)
				drv->fini(a, pi->priv);
			pi->priv = NULL;
			return ret;
		}
		pi->events = true;
	}
	pi->up = true;
	atomic_store_explicit(&pi->live, pi->priv, memory_order_release);
	scmi_dbg(&a->log, "protocol 0x%x (%s) up", drv->proto_id, drv->name);
	return 0;
}

static int protocols_up(struct scmi_agent *a)
{
	for (size_t i = 0; i < ARRAY_SIZE(drivers); i++) {
		uint8_t id = drivers[i]->proto_id;
		int ret;

		if (id != SCMI_PROTOCOL_BASE && !proto_listed(a, id))
			continue;
		ret = protocol_up(a, i);
		if (ret && id == SCMI_PROTOCOL_BASE)
			return ret;
	}
	return 0;
}

/* ---------------------------------------------------------------- */
/* the agent                                                        */

/* channel.h's on_dead: any thread, maybe holding cmd_mtx and core locks. */
static void on_hangup(void *arg)
{
	struct scmi_agent *a = arg;

	delayed_kill(&a->delayed);
	pthread_mutex_lock(&a->sup_mtx);
	a->hangup = true;
	pthread_cond_signal(&a->sup_cond);
	pthread_mutex_unlock(&a->sup_mtx);
}

SCMI_EXPORT int scmi_agent_create(struct scmi_agent **out,
				  const struct scmi_agent_config *cfg)
{
	static const struct scmi_agent_config defaults;
	struct scmi_notify_config ncfg = { 0 };
	struct scmi_agent *a;
	int ret;

	if (!out)
		return -EINVAL;
	if (!cfg)
		cfg = &defaults;

	a = calloc(1, sizeof(*a));
	if (!a)
		return -ENOMEM;
	scmi_log_init(&a->log, cfg->log_fn, cfg->log_userdata, cfg->log_level);
	a->timeout_ms = cfg->timeout_ms ? cfg->timeout_ms :
					  SCMI_AGENT_DEFAULT_TIMEOUT_MS;
	a->delayed_timeout_ms = cfg->delayed_timeout_ms ?
					cfg->delayed_timeout_ms :
					SCMI_AGENT_DEFAULT_DELAYED_TIMEOUT_MS;
	a->queue_sz = cfg->queue_sz;
	a->reconnect = cfg->reconnect;
	a->reconnect_ms = cfg->reconnect_interval_ms ?
				  cfg->reconnect_interval_ms :
				  SCMI_AGENT_DEFAULT_RECONNECT_MS;
	a->state_fn = cfg->state_fn;
	a->state_userdata = cfg->state_userdata;

	ncfg.log_fn = cfg->log_fn;
	ncfg.log_userdata = cfg->log_userdata;
	ncfg.log_level = cfg->log_level;
	ncfg.default_queue_sz = cfg->queue_sz;
	ncfg.manual_dispatch = cfg->manual_dispatch;
	ncfg.single_producer = true; /* only the rx thread calls scmi_notify() */
	ret = scmi_notify_create(&a->ni, &ncfg);
	if (ret) {
		free(a);
		return ret;
	}
	pthread_mutex_init(&a->cmd_mtx, NULL);
	pthread_mutex_init(&a->base_mtx, NULL);
	pthread_mutex_init(&a->sup_mtx, NULL);
	ret = scmi_cond_init_monotonic(&a->sup_cond);
	if (!ret) {
		ret = delayed_init(&a->delayed);
		if (ret)
			pthread_cond_destroy(&a->sup_cond);
	}
	if (ret) {
		pthread_mutex_destroy(&a->sup_mtx);
		pthread_mutex_destroy(&a->base_mtx);
		pthread_mutex_destroy(&a->cmd_mtx);
		scmi_notify_destroy(a->ni);
		free(a);
		return ret;
	}
	channel_init(&a->ch, &a->log, a->ni, &a->stats);
	a->ch.on_dead = on_hangup;
	a->ch.on_dead_arg = a;
	a->ch.delayed = &a->delayed;
	atomic_init(&a->connected, false);
	atomic_init(&a->lost, false);
	atomic_init(&a->state, SCMI_AGENT_DISCONNECTED);
	atomic_init(&a->agent_id, 0);
	for (size_t i = 0; i < ARRAY_SIZE(drivers); i++)
		atomic_init(&a->protos[i].live, NULL);
	*out = a;
	return 0;
}

SCMI_EXPORT struct scmi_notify *scmi_agent_notify(struct scmi_agent *a)
{
	return a ? a->ni : NULL;
}

/*
 * Close the channel; no command may be in flight after it. @lost: the
 * platform hung up, commands say -ECONNRESET from now on.
 */
static void channel_down(struct scmi_agent *a, bool lost)
{
	channel_kill(&a->ch); /* a command in flight returns at once */
	delayed_kill(&a->delayed);
	pthread_mutex_lock(&a->cmd_mtx);
	a->up = false;
	atomic_store(&a->lost, lost);
	free(a->cmd_buf);
	a->cmd_buf = NULL;
	a->cmd_buf_sz = 0;
	pthread_mutex_unlock(&a->cmd_mtx);
	channel_close(&a->ch);
}

/*
 * Connect the channel, run discovery and bring the protocols up: the
 * connect of scmi_agent_connect() and of the supervisor. @beside: public
 * calls may run beside (the supervisor's reconnect). On error nothing is
 * left open.
 */
static int connect_once(struct scmi_agent *a, const char *path, bool beside)
{
	int ret;

	ret = channel_connect(&a->ch, path, a->timeout_ms);
	if (ret)
		return ret;

	pthread_mutex_lock(&a->cmd_mtx);
	a->cmd_buf_sz = 4 + (size_t)a->ch.max_msg_size;
	a->cmd_buf = malloc(a->cmd_buf_sz);
	a->token = 0;
	a->stale_done = false;
	a->up = a->cmd_buf != NULL;
	if (a->up) {
		atomic_store(&a->lost, false);
		delayed_revive(&a->delayed);
	}
	pthread_mutex_unlock(&a->cmd_mtx);
	if (!a->cmd_buf) {
		ret = -ENOMEM;
		goto fail;
	}
	ret = channel_start_rx(&a->ch);
	if (ret)
		goto fail;

	memset(&a->base, 0, sizeof(a->base));
	ret = protocols_up(a);
	if (ret)
		goto fail_protocols;

	pthread_mutex_lock(&a->base_mtx);
	a->base_pub = a->base;
	pthread_mutex_unlock(&a->base_mtx);
	atomic_store(&a->agent_id, a->ch.agent_id);
	atomic_store(&a->connected, true);
	return 0;

fail_protocols:
	protocols_down(a, beside);
fail:
	channel_down(a, beside);
	return ret;
}

/* Record and report the new state; no lock held. */
static void set_state(struct scmi_agent *a, enum scmi_agent_state st, int err)
{
	atomic_store(&a->state, (int)st);
	if (a->state_fn)
		a->state_fn(a->state_userdata, st, err);
}

/* Wait @ms, or until stopped. true when the supervisor must stop. */
static bool sup_wait(struct scmi_agent *a, uint32_t ms)
{
	struct timespec ts =
		scmi_ns_to_timespec(scmi_now_ns() + (uint64_t)ms * 1000000ull);
	bool stop;

	pthread_mutex_lock(&a->sup_mtx);
	while (!a->stop && ms &&
	       pthread_cond_timedwait(&a->sup_cond, &a->sup_mtx, &ts) !=
		       ETIMEDOUT)
		;
	stop = a->stop;
	pthread_mutex_unlock(&a->sup_mtx);
	return stop;
}

/* The supervisor: the platform hung up. */
static void handle_loss(struct scmi_agent *a)
{
	int why = channel_dead_err(&a->ch);
	unsigned int attempts;
	int ret;

	atomic_store(&a->connected, false);
	atomic_store(&a->lost, true);
	scmi_warn(&a->log, "agent %u: connection to the platform at %s lost%s%s",
		  atomic_load(&a->agent_id), a->path,
		  why == -EPROTO ? " (it broke the transport)" : "",
		  a->reconnect ? ": reconnecting" : "");
	set_state(a, SCMI_AGENT_DISCONNECTED, why ? why : -ECONNRESET);
	/* the notifiers go back to pending; the disables fail at once */
	protocols_down(a, true);
	channel_down(a, true);
	atomic_store(&a->agent_id, 0);
	if (!a->reconnect)
		return;

	set_state(a, SCMI_AGENT_RECONNECTING, -ECONNRESET);
	for (attempts = 1;; attempts++) {
		if (sup_wait(a, attempts == 1 ? 0 : a->reconnect_ms))
			return;
		ret = connect_once(a, a->path, true);
		if (!ret)
			break;
		scmi_dbg(&a->log, "reconnect to %s: attempt %u failed: %d",
			 a->path, attempts, ret);
		/* a hang-up of that attempt's channel is over and done */
		pthread_mutex_lock(&a->sup_mtx);
		a->hangup = false;
		pthread_mutex_unlock(&a->sup_mtx);
	}
	scmi_info(&a->log, "reconnected to %s as agent %u (attempt %u)",
		  a->path, a->ch.agent_id, attempts);
	set_state(a, SCMI_AGENT_CONNECTED, 0);
}

static void *sup_main(void *arg)
{
	struct scmi_agent *a = arg;

	pthread_mutex_lock(&a->sup_mtx);
	while (!a->stop) {
		if (a->hangup) {
			a->hangup = false;
			pthread_mutex_unlock(&a->sup_mtx);
			handle_loss(a);
			pthread_mutex_lock(&a->sup_mtx);
			continue;
		}
		pthread_cond_wait(&a->sup_cond, &a->sup_mtx);
	}
	pthread_mutex_unlock(&a->sup_mtx);
	return NULL;
}

static int sup_start(struct scmi_agent *a)
{
	sigset_t all, old;
	int ret;

	/* it takes no signal: they go to the application's threads */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	ret = pthread_create(&a->sup_thread, NULL, sup_main, a);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (ret)
		return -ret;
	a->sup_started = true;
	return 0;
}

static void sup_stop(struct scmi_agent *a)
{
	if (!a->sup_started)
		return;
	pthread_mutex_lock(&a->sup_mtx);
	a->stop = true;
	pthread_cond_signal(&a->sup_cond);
	pthread_mutex_unlock(&a->sup_mtx);
	pthread_join(a->sup_thread, NULL);
	a->sup_started = false;
}

SCMI_EXPORT int scmi_agent_connect(struct scmi_agent *a,
				   const char *socket_path)
{
	int ret;

	if (!a || !socket_path)
		return -EINVAL;
	/* the supervisor first: while it runs, the channel is its own */
	if (a->sup_started || atomic_load(&a->connected) || a->ch.sock >= 0)
		return -EISCONN;

	a->path = strdup(socket_path);
	if (!a->path)
		return -ENOMEM;
	pthread_mutex_lock(&a->sup_mtx);
	a->hangup = false;
	a->stop = false;
	pthread_mutex_unlock(&a->sup_mtx);

	ret = connect_once(a, socket_path, false);
	if (ret) {
		free(a->path);
		a->path = NULL;
		atomic_store(&a->lost, false);
		return ret;
	}
	scmi_info(&a->log, "connected to %s as agent %u", socket_path,
		  a->ch.agent_id);
	set_state(a, SCMI_AGENT_CONNECTED, 0);
	ret = sup_start(a);
	if (ret) {
		scmi_err(&a->log, "starting the supervisor thread failed: %d",
			 ret);
		scmi_agent_disconnect(a);
	}
	return ret;
}

SCMI_EXPORT void scmi_agent_disconnect(struct scmi_agent *a)
{
	if (!a)
		return;
	sup_stop(a);
	if (a->ch.sock >= 0) {
		atomic_store(&a->connected, false);
		protocols_down(a, false);
		channel_down(a, false);
		scmi_dbg(&a->log, "disconnected");
	}
	free_retired(a);
	atomic_store(&a->lost, false);
	atomic_store(&a->agent_id, 0);
	free(a->path);
	a->path = NULL;
	if (atomic_load(&a->state) != SCMI_AGENT_DISCONNECTED)
		set_state(a, SCMI_AGENT_DISCONNECTED, 0);
}

SCMI_EXPORT void scmi_agent_destroy(struct scmi_agent *a)
{
	if (!a)
		return;
	scmi_agent_disconnect(a);
	scmi_notify_destroy(a->ni);
	delayed_fini(&a->delayed);
	pthread_cond_destroy(&a->sup_cond);
	pthread_mutex_destroy(&a->sup_mtx);
	pthread_mutex_destroy(&a->base_mtx);
	pthread_mutex_destroy(&a->cmd_mtx);
	free(a);
}

/*
 * The public copy of what Base discovery found (base.c's public calls are
 * read beside a reconnect: base_pub is written under base_mtx only).
 */
SCMI_EXPORT int scmi_agent_base_info(struct scmi_agent *a,
				     struct scmi_base_info *info)
{
	int ret = 0;

	if (!a || !info)
		return -EINVAL;
	pthread_mutex_lock(&a->base_mtx);
	if (atomic_load(&a->connected))
		*info = a->base_pub;
	else
		ret = -ENOTCONN;
	pthread_mutex_unlock(&a->base_mtx);
	return ret;
}

SCMI_EXPORT int scmi_agent_state(const struct scmi_agent *a)
{
	if (!a)
		return -EINVAL;
	return atomic_load(&((struct scmi_agent *)a)->state);
}

SCMI_EXPORT uint32_t scmi_agent_id(const struct scmi_agent *a)
{
	if (!a || !atomic_load(&a->connected))
		return 0;
	return atomic_load(&((struct scmi_agent *)a)->agent_id);
}

SCMI_EXPORT int scmi_agent_get_stats(const struct scmi_agent *a,
				     struct scmi_agent_stats *st)
{
	if (!a || !st)
		return -EINVAL;
	st->commands = atomic_load(&a->stats.commands);
	st->timeouts = atomic_load(&a->stats.timeouts);
	st->proto_errors = atomic_load(&a->stats.proto_errors);
	st->notifications = atomic_load(&a->stats.notifications);
	st->notify_refused = atomic_load(&a->stats.notify_refused);
	st->delayed_responses = atomic_load(&a->stats.delayed_responses);
	return 0;
}
