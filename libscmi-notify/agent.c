/* SPDX-License-Identifier: MIT */
/*
 * The agent's life: create, connect, disconnect, destroy; the bring-up of
 * the protocol drivers (protocols/protocols.h); and what happens when the
 * platform goes away, comes back, or a callback asks for the agent to be
 * torn down. Commands are in xfer.c; the thread that serves all this in
 * threaded mode in supervisor.c, the dispatch that serves it in
 * event-loop mode in loop.c; the locks at the top of agent-priv.h.
 *
 * Subscriptions before traffic: connect (and each reconnect) binds every
 * pending notifier and turns its events on at the platform before it
 * returns (and before CONNECTED is reported), on the connecting thread,
 * so that the first event after connect reaches its notifier.
 *
 * Platform restart (agent.h). Whoever first sees the hang-up (the rx
 * thread, a command waiting, or the event-loop dispatch) marks the channel
 * dead; agent_lose() then, on the supervisor (threaded) or in the dispatch
 * (event loop), reports it, deregisters the protocols' events (every
 * notifier goes back to pending, and stays registered) and closes the
 * channel; with reconnect, agent_reconnect_once() tries the same path
 * every reconnect_interval_ms. Public calls run beside: a protocol's
 * private state is published through proto_inst.live (atomic) and, when
 * the platform goes away, retired rather than freed (a call may still
 * hold it): retired states are freed by scmi_agent_disconnect() and
 * scmi_agent_destroy() called by the user, when no call runs.
 *
 * Teardown from a callback (a notifier, state_fn, a completion): a
 * disconnect or destroy called there would tear down what runs the
 * callback, so it is recorded and carried out once the callback returned,
 * by the supervisor (threaded) or at the end of the dispatch (event loop).
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>

#include <scmi/agent.h>
#include <scmi/paths.h>
#include <scmi/wire.h>

#include "agent-priv.h"
#include "notify-priv.h"
#include "protocols/protocols.h"
#include "abi.h"
#include "symbols.h"

/* The agent whose callback the calling thread runs, if any. */
static __thread struct scmi_agent *tls_cb_agent;

/* ---------------------------------------------------------------- */
/* what the drivers reach (protocols.h)                             */

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
	for (size_t i = 0; i < SCMI_NUM_DRIVERS; i++)
		if (scmi_proto_drivers[i]->proto_id == proto_id)
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
		const struct scmi_proto_driver *drv = scmi_proto_drivers[a->retired[i].drv];

		if (drv->fini)
			drv->fini(a, a->retired[i].priv);
	}
	free(a->retired);
	a->retired = NULL;
	a->num_retired = 0;
	a->retired_cap = 0;
}

/*
 * Before protocols come up: room to retire every one of them, so that
 * taking them down (a failed attempt, the platform gone) never needs
 * memory, which it may not get (a leak, then). 0 or -ENOMEM.
 */
static int retire_reserve(struct scmi_agent *a)
{
	size_t cap = a->num_retired + SCMI_NUM_DRIVERS;
	struct retired *r;

	if (cap <= a->retired_cap)
		return 0;
	r = realloc(a->retired, cap * sizeof(*r));
	if (!r)
		return -ENOMEM;
	a->retired = r;
	a->retired_cap = cap;
	return 0;
}

/* Keep protocol @i's @priv until free_retired(). */
static void retire(struct scmi_agent *a, size_t i, void *priv)
{
	if (a->num_retired == a->retired_cap) {
		/* not reserved (cannot be): a call may still use it, leak it */
		scmi_err(&a->log, "protocol 0x%x: no room to retire its state: leaked",
			 scmi_proto_drivers[i]->proto_id);
		return;
	}
	a->retired[a->num_retired++] = (struct retired){ .drv = i, .priv = priv };
}

/*
 * Deregister events, then fini, in reverse order of bring-up. @keep:
 * public calls may run beside (the platform went away, or a deferred
 * disconnect): keep the private states until the user's disconnect
 * rather than fini() them now.
 */
static void protocols_down(struct scmi_agent *a, bool keep)
{
	for (size_t i = SCMI_NUM_DRIVERS; i-- > 0;) {
		const struct scmi_proto_driver *drv = scmi_proto_drivers[i];
		struct proto_inst *pi = &a->protos[i];

		atomic_store(&pi->live, NULL);
		if (pi->events) {
			/* never from a callback (teardown is deferred) */
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
	 * No notification carries more than max_msg_size bytes (they are
	 * dropped when taken): the core's limit per event is capped to it,
	 * so that queues are sized for what can come.
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
	const struct scmi_proto_driver *drv = scmi_proto_drivers[i];
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
	for (size_t i = 0; i < SCMI_NUM_DRIVERS; i++) {
		uint8_t id = scmi_proto_drivers[i]->proto_id;
		int ret;

		if (id != SCMI_PROTOCOL_BASE && !proto_listed(a, id))
			continue;
		ret = protocol_up(a, i);
		/*
		 * A protocol whose discovery fails stays down, but not for
		 * want of memory: that fails the connect (or the reconnect
		 * attempt), to be tried again, rather than leave a protocol
		 * the platform offers, and its notifiers, down for the whole
		 * connection.
		 */
		if (ret && (id == SCMI_PROTOCOL_BASE || ret == -ENOMEM))
			return ret;
	}
	return 0;
}

/* ---------------------------------------------------------------- */
/* callbacks                                                        */

bool agent_in_callback(struct scmi_agent *a)
{
	return tls_cb_agent == a || notify_in_callback(a->ni);
}

void agent_set_state(struct scmi_agent *a, enum scmi_agent_state st, int err)
{
	struct scmi_agent *prev;

	pthread_mutex_lock(&a->state_mtx);
	/*
	 * A CONNECTED that a disconnect overtook is not news any more, nor
	 * the DISCONNECTED of a disconnect when it already was
	 */
	if ((st == SCMI_AGENT_CONNECTED && !atomic_load(&a->connected)) ||
	    (st == SCMI_AGENT_DISCONNECTED && !err &&
	     atomic_load(&a->state) == SCMI_AGENT_DISCONNECTED)) {
		pthread_mutex_unlock(&a->state_mtx);
		return;
	}
	atomic_store(&a->state, (int)st);
	if (a->state_fn) {
		prev = tls_cb_agent;
		tls_cb_agent = a;
		a->state_fn(a->state_userdata, st, err);
		tls_cb_agent = prev;
	}
	pthread_mutex_unlock(&a->state_mtx);
}

/* A raw completion: the delayed response as received, or NULL. */
static void run_raw_cb(const struct delayed_cb *cb)
{
	struct scmi_raw_reply r = {
		.hdr_word = scmi_hdr_pack(cb->hdr.msg_id, cb->hdr.type,
					  cb->hdr.proto_id, cb->hdr.token),
		.hdr = cb->hdr,
		.status = cb->status,
		.payld = cb->mem,
		.payld_cap = cb->ret_sz,
		.payld_sz = cb->ret_sz,
		.received = true,
	};

	cb->raw_fn(cb->userdata, cb->responded ? 0 : cb->result,
		   cb->responded ? &r : NULL);
}

void agent_run_cb(struct scmi_agent *a, const struct delayed_cb *cb)
{
	struct scmi_agent *prev = tls_cb_agent;

	tls_cb_agent = a;
	if (cb->raw_fn)
		run_raw_cb(cb);
	else
		cb->fn(cb->userdata, cb->result, cb->ret_sz ? cb->ret : NULL,
		       cb->ret_sz);
	tls_cb_agent = prev;
	free(cb->mem);
}

void agent_run_completions(struct scmi_agent *a)
{
	struct delayed_cb cb;

	pthread_mutex_lock(&a->cb_mtx);
	while (delayed_next_cb(&a->delayed, scmi_now_ns(), &cb)) {
		if (cb.timed_out) {
			atomic_fetch_add(&a->stats.timeouts, 1);
			scmi_warn(&a->log,
				  "an asynchronous command's delayed response did not come in time");
		}
		agent_run_cb(a, &cb);
	}
	pthread_mutex_unlock(&a->cb_mtx);
}

void agent_run_raw(struct scmi_agent *a)
{
	struct scmi_agent *prev = tls_cb_agent;
	struct rawq_entry *e;

	if (!a->raw_fn)
		return;
	tls_cb_agent = a;
	/* a teardown asked for by a callback ends the calls at once */
	while (atomic_load(&a->teardown) == TEARDOWN_NONE &&
	       (e = rawq_pop(a->raw_q, 0))) {
		struct scmi_raw_msg m = {
			.hdr_word = e->hdr_word,
			.hdr = e->hdr,
			.timestamp_ns = e->ts,
			.payld = e->payld_sz ? e->payld : NULL,
			.payld_cap = e->payld_sz,
			.payld_sz = e->payld_sz,
		};

		a->raw_fn(a->raw_userdata, &m);
		free(e);
	}
	tls_cb_agent = prev;
}

/* Something for whoever serves the agent: the supervisor or the loop. */
static void poke(struct scmi_agent *a, bool hangup)
{
	if (a->event_loop)
		loop_poke(a);
	else
		sup_poke(a, hangup);
}

/* channel.h's on_dead: any thread, maybe holding cmd_mtx and core locks. */
static void on_hangup(void *arg)
{
	struct scmi_agent *a = arg;

	delayed_kill(&a->delayed);
	poke(a, true);
}

/* channel.h's on_cb_due: the rx thread completed a callback's command. */
static void on_cb_due(void *arg)
{
	poke(arg, false);
}

/*
 * Threaded mode, the worker's round hook (notify_set_round_hook()): it
 * just made room in a queue; a notification that the rx thread left in
 * the P2A area for want of room is taken now, on this thread, without a
 * wake-up of the rx thread (channel_take() with CHANNEL_HOLD). What is
 * queued here the same pass dispatches.
 */
static void take_held(void *arg)
{
	struct scmi_agent *a = arg;
	bool cb_due = false;

	if (!channel_held(&a->ch))
		return;
	channel_take(&a->ch, CHANNEL_HOLD, &cb_due);
	if (cb_due)
		sup_poke(a, false);
}

static void request_teardown(struct scmi_agent *a, enum teardown what)
{
	int cur = atomic_load(&a->teardown);

	while (cur < (int)what &&
	       !atomic_compare_exchange_weak(&a->teardown, &cur, (int)what))
		;
	poke(a, false);
}

/* ---------------------------------------------------------------- */
/* the raw P2A path (include/scmi/raw.h)                            */

/* The raw interface's part of the configuration: 0 or -EINVAL. */
static int raw_config_ok(const struct scmi_agent_config *cfg)
{
	switch (cfg->raw_p2a) {
	case SCMI_RAW_P2A_OFF:
		return cfg->raw_fn ? -EINVAL : 0;
	case SCMI_RAW_P2A_ALONGSIDE:
	case SCMI_RAW_P2A_INSTEAD:
		return cfg->raw_queue_len > SCMI_RAW_MAX_QUEUE_LEN ? -EINVAL : 0;
	default:
		return -EINVAL;
	}
}

/* The raw P2A path (a queue when raw_p2a asks for one): 0 or a negative errno. */
static int raw_init(struct scmi_agent *a, const struct scmi_agent_config *cfg)
{
	int ret;

	a->raw_only = cfg->raw_only;
	a->raw_p2a = cfg->raw_p2a;
	a->raw_fn = cfg->raw_fn;
	a->raw_userdata = cfg->raw_userdata;
	if (a->raw_p2a == SCMI_RAW_P2A_OFF)
		return 0;
	a->raw_q = malloc(sizeof(*a->raw_q));
	if (!a->raw_q)
		return -ENOMEM;
	ret = rawq_init(a->raw_q, cfg->raw_queue_len ? cfg->raw_queue_len :
						      SCMI_RAW_DEFAULT_QUEUE_LEN,
			a->event_loop);
	if (ret) {
		free(a->raw_q);
		a->raw_q = NULL;
		return ret;
	}
	a->ch.raw = a->raw_q;
	a->ch.raw_instead = a->raw_p2a == SCMI_RAW_P2A_INSTEAD;
	a->ch.raw_cb = a->raw_fn != NULL;
	return 0;
}

static void raw_fini(struct scmi_agent *a)
{
	if (!a->raw_q)
		return;
	rawq_fini(a->raw_q);
	free(a->raw_q);
	a->raw_q = NULL;
}

/* ---------------------------------------------------------------- */
/* the connection                                                   */

/*
 * Close the channel; no command or P2A taker may be in it after this.
 * @lost: the platform hung up, commands say -ECONNRESET from now on.
 */
static void channel_down(struct scmi_agent *a, bool lost)
{
	channel_kill(&a->ch); /* a command or a P2A waiter returns at once */
	if (delayed_kill(&a->delayed))
		poke(a, false); /* callbacks now due (-ECONNRESET) */
	pthread_mutex_lock(&a->cmd_mtx);
	a->up = false;
	atomic_store(&a->lost, lost);
	free(a->cmd_buf);
	a->cmd_buf = NULL;
	a->cmd_buf_sz = 0;
	pthread_mutex_unlock(&a->cmd_mtx);
	if (a->event_loop) {
		loop_detach(a);
		/* no command waiter pumps P2A messages any more */
		pthread_mutex_lock(&a->pump_mtx);
		channel_close(&a->ch);
		pthread_mutex_unlock(&a->pump_mtx);
	} else {
		channel_close(&a->ch);
	}
}

/*
 * life_mtx held. Connect the channel, run discovery, bring the protocols
 * up and bind every pending notifier. @beside: public calls may run
 * beside (a reconnect). On error nothing is left open.
 */
static int connect_once(struct scmi_agent *a, const char *path, bool beside)
{
	int ret;

	ret = retire_reserve(a);
	if (ret)
		return ret;
	ret = channel_connect(&a->ch, path, a->timeout_ms, a->event_loop);
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
	ret = a->event_loop ? loop_attach(a) : channel_start_rx(&a->ch);
	if (ret)
		goto fail;

	memset(&a->base, 0, sizeof(a->base));
	/* raw_only: the handshake alone, nothing sent (include/scmi/raw.h) */
	ret = a->raw_only ? 0 : protocols_up(a);
	if (!ret && !a->raw_only)
		ret = notify_bind_pending(a->ni);
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

int agent_lose(struct scmi_agent *a)
{
	bool again;
	int err;

	pthread_mutex_lock(&a->life_mtx);
	if (!atomic_load(&a->connected)) {
		pthread_mutex_unlock(&a->life_mtx);
		return 0;
	}
	err = channel_dead_err(&a->ch);
	if (!err)
		err = -ECONNRESET;
	atomic_store(&a->connected, false);
	atomic_store(&a->lost, true);
	again = a->reconnect && a->want_connected;
	scmi_warn(&a->log, "agent %u: connection to the platform at %s lost%s%s",
		  atomic_load(&a->agent_id), a->path,
		  err == -EPROTO ? " (it broke the transport)" : "",
		  again ? ": reconnecting" : "");
	/* the notifiers go back to pending; the disables fail at once */
	protocols_down(a, true);
	channel_down(a, true);
	atomic_store(&a->agent_id, 0);
	a->attempts = 0;
	atomic_store(&a->reconnect_at_ns, again ? scmi_now_ns() : 0);
	pthread_mutex_unlock(&a->life_mtx);

	agent_set_state(a, SCMI_AGENT_DISCONNECTED, err);
	if (again)
		agent_set_state(a, SCMI_AGENT_RECONNECTING, err);
	return err;
}

uint64_t agent_next_deadline(struct scmi_agent *a)
{
	uint64_t at = atomic_load(&a->reconnect_at_ns);
	uint64_t cb = delayed_cb_deadline(&a->delayed);

	if (!at)
		at = UINT64_MAX;
	return cb < at ? cb : at;
}

int agent_reconnect_once(struct scmi_agent *a)
{
	unsigned int attempt;
	int ret;

	pthread_mutex_lock(&a->life_mtx);
	if (!a->want_connected || !a->reconnect ||
	    atomic_load(&a->connected)) {
		atomic_store(&a->reconnect_at_ns, 0);
		pthread_mutex_unlock(&a->life_mtx);
		return -ECANCELED;
	}
	attempt = ++a->attempts;
	ret = connect_once(a, a->path, true);
	atomic_store(&a->reconnect_at_ns,
		     ret ? scmi_now_ns() + (uint64_t)a->reconnect_ms * 1000000ull :
			   0);
	if (ret)
		scmi_dbg(&a->log, "reconnect to %s: attempt %u failed: %d",
			 a->path, attempt, ret);
	else
		scmi_info(&a->log, "reconnected to %s as agent %u (attempt %u)",
			  a->path, a->ch.agent_id, attempt);
	pthread_mutex_unlock(&a->life_mtx);
	if (!ret)
		agent_set_state(a, SCMI_AGENT_CONNECTED, 0);
	return ret;
}

/*
 * life_mtx held. What a disconnect does; @beside: public calls may still
 * run (a deferred disconnect): private states are kept, not freed.
 */
static void disconnect_locked(struct scmi_agent *a, bool beside)
{
	a->want_connected = false;
	atomic_store(&a->reconnect_at_ns, 0);
	if (a->ch.sock >= 0) {
		atomic_store(&a->connected, false);
		protocols_down(a, beside);
		channel_down(a, false);
		scmi_dbg(&a->log, "disconnected");
	}
	if (!beside)
		free_retired(a);
	atomic_store(&a->lost, false);
	atomic_store(&a->agent_id, 0);
	free(a->path);
	a->path = NULL;
}

/* A disconnect, with its report. */
static void disconnect(struct scmi_agent *a, bool beside)
{
	pthread_mutex_lock(&a->life_mtx);
	disconnect_locked(a, beside);
	pthread_mutex_unlock(&a->life_mtx);
	/* completion callbacks of commands it cut short (-ECONNRESET) */
	agent_run_completions(a);
	agent_set_state(a, SCMI_AGENT_DISCONNECTED, 0);
}

static void free_mutexes(struct scmi_agent *a)
{
	pthread_mutex_destroy(&a->sup_mtx);
	pthread_mutex_destroy(&a->state_mtx);
	pthread_mutex_destroy(&a->base_mtx);
	pthread_mutex_destroy(&a->life_mtx);
	pthread_mutex_destroy(&a->rx_mtx);
	pthread_mutex_destroy(&a->pump_mtx);
	pthread_mutex_destroy(&a->cmd_mtx);
	pthread_mutex_destroy(&a->cb_mtx);
}

/*
 * Free everything. @from_supervisor: the supervisor does it (a destroy
 * asked for by a callback); it must not join itself, and exits after.
 */
static void destroy(struct scmi_agent *a, bool from_supervisor)
{
	if (from_supervisor) {
		pthread_detach(pthread_self());
		a->sup_started = false;
	} else {
		sup_stop(a);
	}
	disconnect(a, false);
	scmi_notify_destroy(a->ni);
	if (a->event_loop)
		loop_fini(a);
	raw_fini(a);
	delayed_fini(&a->delayed);
	pthread_cond_destroy(&a->sup_cond);
	free_mutexes(a);
	free(a);
}

bool agent_do_teardown(struct scmi_agent *a, bool from_supervisor)
{
	switch (atomic_exchange(&a->teardown, TEARDOWN_NONE)) {
	case TEARDOWN_DESTROY:
		destroy(a, from_supervisor);
		return true;
	case TEARDOWN_DISCONNECT:
		disconnect(a, true);
		return false;
	default:
		return false;
	}
}

/* ---------------------------------------------------------------- */
/* the public life cycle                                            */

int scmi_agent_create_full(struct scmi_agent **out,
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
	ret = raw_config_ok(cfg);
	if (ret)
		return ret;

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
	a->event_loop = cfg->event_loop;
	a->reconnect = cfg->reconnect;
	a->reconnect_ms = cfg->reconnect_interval_ms ?
				  cfg->reconnect_interval_ms :
				  SCMI_AGENT_DEFAULT_RECONNECT_MS;
	a->state_fn = cfg->state_fn;
	a->state_userdata = cfg->state_userdata;
	a->loop_fd = a->wake_efd = -1;

	ncfg.log_fn = cfg->log_fn;
	ncfg.log_userdata = cfg->log_userdata;
	ncfg.log_level = cfg->log_level;
	ncfg.default_queue_sz = cfg->queue_sz;
	ncfg.manual_dispatch = cfg->manual_dispatch || cfg->event_loop;
	/* one producer per protocol: the rx thread, or the P2A taker */
	ncfg.single_producer = true;
	ret = scmi_notify_create(&a->ni, &ncfg);
	if (ret) {
		free(a);
		return ret;
	}
	pthread_mutex_init(&a->cb_mtx, NULL);
	pthread_mutex_init(&a->cmd_mtx, NULL);
	pthread_mutex_init(&a->pump_mtx, NULL);
	pthread_mutex_init(&a->rx_mtx, NULL);
	pthread_mutex_init(&a->life_mtx, NULL);
	pthread_mutex_init(&a->base_mtx, NULL);
	pthread_mutex_init(&a->state_mtx, NULL);
	pthread_mutex_init(&a->sup_mtx, NULL);
	channel_init(&a->ch, &a->log, a->ni, &a->stats);
	a->ch.on_dead = on_hangup;
	a->ch.on_cb_due = on_cb_due;
	a->ch.on_dead_arg = a;
	a->ch.delayed = &a->delayed;
	a->ch.rx_mtx = &a->rx_mtx;
	atomic_init(&a->connected, false);
	atomic_init(&a->lost, false);
	atomic_init(&a->state, SCMI_AGENT_DISCONNECTED);
	atomic_init(&a->agent_id, 0);
	atomic_init(&a->teardown, TEARDOWN_NONE);
	atomic_init(&a->reconnect_at_ns, 0);
	for (size_t i = 0; i < SCMI_NUM_DRIVERS; i++)
		atomic_init(&a->protos[i].live, NULL);

	ret = scmi_cond_init_monotonic(&a->sup_cond);
	if (ret)
		goto fail_cond;
	ret = delayed_init(&a->delayed);
	if (ret)
		goto fail_delayed;
	ret = raw_init(a, cfg);
	if (ret)
		goto fail_raw;
	if (!a->event_loop)
		notify_set_round_hook(a->ni, take_held, a);
	ret = a->event_loop ? loop_init(a) : sup_start(a);
	if (ret)
		goto fail_mode;
	*out = a;
	return 0;

fail_mode:
	raw_fini(a);
fail_raw:
	delayed_fini(&a->delayed);
fail_delayed:
	pthread_cond_destroy(&a->sup_cond);
fail_cond:
	free_mutexes(a);
	scmi_notify_destroy(a->ni);
	free(a);
	return ret;
}

SCMI_EXPORT struct scmi_notify *scmi_agent_notify(struct scmi_agent *a)
{
	return a ? a->ni : NULL;
}

/*
 * life_mtx held, released here. The first connect found no platform at
 * @path (@err: -ENOENT, -ECONNREFUSED) and reconnect is on: the agent is
 * RECONNECTING as after a loss, its first attempt scheduled only once
 * that is reported, so that a CONNECTED cannot come before it.
 */
static int connect_later(struct scmi_agent *a, char *path, int err)
{
	atomic_store(&a->lost, false);
	a->path = path;
	a->want_connected = true;
	a->attempts = 0;
	scmi_info(&a->log, "no platform at %s yet (%d): retrying every %u ms",
		  path, err, a->reconnect_ms);
	pthread_mutex_unlock(&a->life_mtx);
	agent_set_state(a, SCMI_AGENT_RECONNECTING, err);

	pthread_mutex_lock(&a->life_mtx);
	if (a->want_connected && !atomic_load(&a->connected))
		atomic_store(&a->reconnect_at_ns, scmi_now_ns() +
				 (uint64_t)a->reconnect_ms * 1000000ull);
	pthread_mutex_unlock(&a->life_mtx);
	poke(a, false);
	return 0;
}

SCMI_EXPORT int scmi_agent_connect(struct scmi_agent *a,
				   const char *socket_path)
{
	char def[sizeof(((struct sockaddr_un *)0)->sun_path)];
	char *path;
	int ret;

	if (!a)
		return -EINVAL;
	if (agent_in_callback(a))
		return -EDEADLK;
	if (!socket_path) {
		int n = scmi_default_socket_path(def, sizeof(def));

		if (n < 0)
			return n;
		socket_path = def;
	}
	path = strdup(socket_path);
	if (!path)
		return -ENOMEM;

	pthread_mutex_lock(&a->life_mtx);
	if (a->want_connected || a->ch.sock >= 0) {
		pthread_mutex_unlock(&a->life_mtx);
		free(path);
		return -EISCONN;
	}
	ret = connect_once(a, socket_path, false);
	if (ret && a->reconnect && (ret == -ENOENT || ret == -ECONNREFUSED))
		return connect_later(a, path, ret);
	if (ret) {
		atomic_store(&a->lost, false);
		pthread_mutex_unlock(&a->life_mtx);
		free(path);
		return ret;
	}
	a->path = path;
	a->want_connected = true;
	scmi_info(&a->log, "connected to %s as agent %u", socket_path,
		  a->ch.agent_id);
	pthread_mutex_unlock(&a->life_mtx);
	agent_set_state(a, SCMI_AGENT_CONNECTED, 0);
	return 0;
}

SCMI_EXPORT void scmi_agent_disconnect(struct scmi_agent *a)
{
	if (!a)
		return;
	if (agent_in_callback(a)) {
		request_teardown(a, TEARDOWN_DISCONNECT);
		return;
	}
	disconnect(a, false);
}

SCMI_EXPORT void scmi_agent_destroy(struct scmi_agent *a)
{
	if (!a)
		return;
	if (agent_in_callback(a)) {
		request_teardown(a, TEARDOWN_DESTROY);
		return;
	}
	destroy(a, false);
}

/*
 * The public copy of what Base discovery found (base.c's public calls are
 * read beside a reconnect: base_pub is written under base_mtx only).
 */
int scmi_agent_base_info_full(struct scmi_agent *a, struct scmi_base_info *info)
{
	int ret = 0;

	if (!a || !info)
		return -EINVAL;
	if (a->raw_only)
		return -EOPNOTSUPP;
	pthread_mutex_lock(&a->base_mtx);
	if (atomic_load(&a->connected))
		*info = a->base_pub;
	else
		ret = -ENOTCONN;
	pthread_mutex_unlock(&a->base_mtx);
	return ret;
}

SCMI_EXPORT int scmi_agent_get_state(const struct scmi_agent *a)
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

int scmi_agent_get_stats_full(const struct scmi_agent *a,
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
