/* SPDX-License-Identifier: MIT */
/*
 * libscmi-notify: the SCMI notification core.
 *
 * A userspace mirror of the Linux arm_scmi notification core. Protocols
 * register the events they can emit; users register notifiers on a tuple
 * (proto_id, evt_id, src_id); the core turns event generation on at the
 * platform when a source's first user appears and off when its last one
 * leaves, keeps registrations for protocols that are not registered yet
 * ("pending"), queues incoming events per protocol in bounded queues and
 * delivers them from a worker thread (or from the caller's own event loop,
 * see scmi_notify_get_fd() and scmi_notify_run_pending()).
 *
 * Every function that can fail returns 0 (or a count) on success and a
 * negative errno on failure.
 */
#ifndef SCMI_NOTIFY_H
#define SCMI_NOTIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Source id meaning "every source of the event" (also: pass src_id NULL). */
#define SCMI_ALL_SRC_IDS 0xFFFFu
/** Largest source id a notifier can name; sources are 0..SCMI_MAX_SRC_ID. */
#define SCMI_MAX_SRC_ID 0xFFFEu
/** Default size in bytes of a protocol's event queue. */
#define SCMI_NOTIFY_DEFAULT_QUEUE_SZ 4096u

/** Callback return values, as the kernel's NOTIFY_DONE / NOTIFY_OK / NOTIFY_STOP_MASK. */
#define SCMI_NOTIFY_DONE 0x0000
#define SCMI_NOTIFY_OK 0x0001
#define SCMI_NOTIFY_STOP_MASK 0x8000

/** The notification core of one platform instance (opaque). */
struct scmi_notify;

/** One event a protocol can emit. */
struct scmi_event {
	uint8_t id;           /**< event id: the message id of the notification */
	size_t max_payld_sz;  /**< largest wire payload accepted for it, in bytes */
	size_t max_report_sz; /**< size of the report buffer fill_custom_report writes */
};

/** Operations every protocol provides; called by the core. */
struct scmi_event_ops {
	/**
	 * Number of sources (domains, sensors...) of the protocol; called once
	 * at protocol registration when scmi_protocol_events.num_sources is 0.
	 * Return > 0, or a negative errno.
	 */
	int (*get_num_sources)(void *proto_priv);
	/**
	 * Turn generation of @evt_id for @src_id on or off at the platform
	 * (the protocol's *_NOTIFY command). Return 0 or a negative errno.
	 * Called with the core's locks held: it must not call back into the
	 * core on the same instance.
	 */
	int (*set_notify_enabled)(void *proto_priv, uint8_t evt_id,
				  uint32_t src_id, bool enable);
	/**
	 * Decode a queued payload into @report (max_report_sz bytes) and set
	 * *src_id to the source the event is about. Return @report, or NULL to
	 * refuse the payload (it is dropped and counted in dropped_report, as
	 * is a report naming a source at or beyond the number of sources).
	 * Runs on the dispatching thread.
	 */
	void *(*fill_custom_report)(void *proto_priv, uint8_t evt_id,
				    uint64_t timestamp_ns, const void *payld,
				    size_t payld_sz, void *report,
				    uint32_t *src_id);
	/**
	 * Optional (NULL: every source supports every event). Whether @src_id
	 * can emit @evt_id at all. When it cannot, registering a notifier for
	 * it fails with -EOPNOTSUPP and no command is sent.
	 */
	bool (*is_notify_supported)(void *proto_priv, uint8_t evt_id,
				    uint32_t src_id);
};

/** What a protocol registers: its events and the ops to drive them. */
struct scmi_protocol_events {
	/**
	 * Bytes; 0 = the instance's default. It must hold one record of the
	 * largest event: 16 bytes of header plus max_payld_sz rounded up to
	 * a multiple of 8 (the ring is then rounded up to a power of two).
	 */
	size_t queue_sz;
	const struct scmi_event_ops *ops;
	const struct scmi_event *evts;
	unsigned int num_events;
	unsigned int num_sources;         /**< 0 = ask ops->get_num_sources */
};

struct scmi_notifier;
/**
 * A notifier callback. @evt_id is the event, @report the protocol's report
 * struct (valid only during the call). Return SCMI_NOTIFY_DONE or
 * SCMI_NOTIFY_OK; a value with SCMI_NOTIFY_STOP_MASK set stops the rest of
 * this chain (the other chain of the event still runs).
 */
typedef int (*scmi_notifier_fn)(struct scmi_notifier *nb, uint8_t evt_id,
				const void *report);

/**
 * A notifier, owned by the caller: embed it in your own struct and use
 * container_of() in the callback. Set cb and priority; next belongs to the
 * core while the notifier is registered.
 */
struct scmi_notifier {
	scmi_notifier_fn cb;
	int priority;               /**< higher runs first; equal: in registration order */
	struct scmi_notifier *next; /**< owned by the chain */
};

/** Log levels, syslog's numbers. */
enum scmi_log_level {
	SCMI_LOG_ERR = 3,
	SCMI_LOG_WARNING = 4,
	SCMI_LOG_INFO = 6,
	SCMI_LOG_DEBUG = 7,
};

/** Receives one formatted log line (no trailing newline). */
typedef void (*scmi_log_fn)(void *userdata, enum scmi_log_level level,
			    const char *msg);

/** Instance configuration. A zeroed struct (or NULL) means all defaults. */
struct scmi_notify_config {
	/** Log sink; NULL = lines at or above log_level go to stderr. */
	scmi_log_fn log_fn;
	void *log_userdata;
	/** Most verbose level passed on; 0 = SCMI_LOG_WARNING. */
	enum scmi_log_level log_level;
	/** Queue size of protocols that ask for 0; 0 = SCMI_NOTIFY_DEFAULT_QUEUE_SZ. */
	size_t default_queue_sz;
	/**
	 * false (default): a worker thread binds pending handlers and
	 * dispatches events, woken at most once per burst of events.
	 * true: no thread is started; the caller runs
	 * scmi_notify_run_pending() when scmi_notify_get_fd() is readable.
	 */
	bool manual_dispatch;
	/**
	 * The caller promises that, for each protocol, at most one thread at
	 * a time calls scmi_notify() (a transport's single rx thread): the
	 * enqueue then takes no lock at all. false (default): any number of
	 * threads may call scmi_notify() concurrently.
	 */
	bool single_producer;
};

/**
 * Per-protocol counters. Each is counted before what it counts can be seen
 * by the other side, and scmi_notify_get_stats() reads them in an order
 * that keeps these relations true in every copy, also while events flow:
 *   received >= queued + dropped_invalid + dropped_full
 *   queued   >= delivered + dropped_report + discarded
 * The first is an equality when no scmi_notify() call is in flight; the
 * second when, besides, no event is queued or being dispatched.
 */
struct scmi_notify_stats {
	uint64_t received;        /**< scmi_notify() calls naming this protocol */
	uint64_t queued;          /**< accepted into the protocol's queue */
	uint64_t dropped_invalid; /**< unknown protocol or event, or payload too large */
	uint64_t dropped_full;    /**< refused with -ENOSPC: the queue was full */
	uint64_t dropped_report;  /**< fill_custom_report refused the payload */
	uint64_t discarded;       /**< still queued when the protocol deregistered */
	uint64_t delivered;       /**< reports built and handed to the chains,
				       *   whether or not a notifier listens */
};

/**
 * scmi_notify_create() for a struct of @size bytes, as the caller was built
 * with (see "Structs that grow" in <scmi/agent.h>): it reads the first
 * @size bytes of *@cfg (an older, smaller struct: the members it lacks are
 * zero, their defaults); a larger one is accepted when the bytes beyond
 * those this library knows are zero.
 * Errors: those of scmi_notify_create(); -EINVAL @size below the size of
 * the struct's first release; -E2BIG a larger struct with a nonzero byte
 * beyond those this library knows.
 */
int scmi_notify_create_sized(struct scmi_notify **out,
			     const struct scmi_notify_config *cfg, size_t size);

/**
 * Create a notification core instance in *out, starting its worker thread
 * unless cfg->manual_dispatch.
 * Errors: -EINVAL out is NULL; -ENOMEM; or the negative errno of a failed
 * eventfd() or pthread_create().
 */
static inline int scmi_notify_create(struct scmi_notify **out,
				     const struct scmi_notify_config *cfg)
{
	return scmi_notify_create_sized(out, cfg, sizeof(*cfg));
}

/**
 * Stop the worker, deregister every protocol (turning off at the platform
 * every source still enabled), free every handler. No callback runs after
 * it returns. NULL is a no-op (0).
 * Errors: -EDEADLK called from a callback of @ni (it would wait for
 * itself): nothing is done.
 */
int scmi_notify_destroy(struct scmi_notify *ni);

/**
 * Register the events of protocol @proto_id. Pending handlers of this
 * protocol are bound by the worker (or the next scmi_notify_run_pending()),
 * which then turns generation on for their sources.
 * Errors: -EINVAL NULL ni or ee, missing ops, no events, duplicate event
 * ids, a max_report_sz of 0, a queue that cannot hold the largest event
 * (see queue_sz), no sources (or more than
 * SCMI_MAX_SRC_ID + 1); -EEXIST the protocol is already registered;
 * -ENOMEM; a negative errno from ops->get_num_sources.
 */
int scmi_register_protocol_events(struct scmi_notify *ni, uint8_t proto_id,
				  void *proto_priv,
				  const struct scmi_protocol_events *ee);

/**
 * Deregister protocol @proto_id: turn off every source still enabled, discard
 * its queued events (counted in stats.discarded) and put its handlers back to
 * pending, so that a later registration binds and enables them again. No
 * callback runs for it after this returns. It never allocates, so it cannot
 * fail for want of memory.
 * Errors: -EINVAL NULL ni; -ENOENT the protocol is not registered;
 * -EDEADLK called from a callback of @ni (it would wait for the dispatch
 * that runs it): nothing is done.
 */
int scmi_deregister_protocol_events(struct scmi_notify *ni, uint8_t proto_id);

/**
 * The transport's side: queue one notification for delivery. Never blocks
 * and never allocates.
 * Errors: -EINVAL NULL ni, unknown (unregistered) protocol or event, payload
 * larger than the event's max_payld_sz, or NULL payld with payld_sz > 0;
 * -ENOSPC the protocol's queue is full. Every refusal but a NULL ni is
 * counted in the protocol's stats.
 */
int scmi_notify(struct scmi_notify *ni, uint8_t proto_id, uint8_t evt_id,
		const void *payld, size_t payld_sz, uint64_t timestamp_ns);

/**
 * Register @nb for (proto_id, evt_id, *src_id); src_id NULL (or pointing to
 * SCMI_ALL_SRC_IDS) means every source. If the protocol is not registered
 * yet the registration is kept pending and nothing is sent. Otherwise the
 * first user of a source turns its generation on at the platform.
 * A notifier registered from a callback receives events from the next one on.
 * A notifier is on one tuple at a time (its next link is the chain's).
 * Errors: -EINVAL NULL ni or nb or nb->cb, src_id above SCMI_ALL_SRC_IDS,
 * or (registered protocol) an event it lacks or a source at or beyond its
 * number of sources; -EEXIST @nb is already registered on this tuple;
 * -EBUSY @nb is registered on another tuple;
 * -EOPNOTSUPP the source cannot emit this event (is_notify_supported), or
 * no source of an all-sources registration can; -ENOMEM; or the errno of
 * ops->set_notify_enabled when the platform refused every enable.
 * On any error nothing is left behind.
 */
int scmi_event_notifier_register(struct scmi_notify *ni, uint8_t proto_id,
				 uint8_t evt_id, const uint32_t *src_id,
				 struct scmi_notifier *nb);

/**
 * Unregister @nb from (proto_id, evt_id, *src_id). When the last notifier
 * of a tuple goes, generation is turned off for the sources it had turned
 * on: at once, or, if a batch of events is being dispatched at that
 * moment (the dispatcher may hold the tuple), by the dispatcher when that
 * batch ends (the kernel's "freed by whoever puts it last"). A notifier
 * registered while an event is being dispatched does not receive that
 * event. Called on any thread but the
 * dispatching one, it returns only once @nb's callback is not running,
 * and it never runs again: the caller may free it. A callback may
 * unregister itself or any other notifier.
 * Errors: -EINVAL NULL ni or nb, src_id above SCMI_ALL_SRC_IDS; -ENOENT no
 * such tuple, or @nb is not registered on it.
 */
int scmi_event_notifier_unregister(struct scmi_notify *ni, uint8_t proto_id,
				   uint8_t evt_id, const uint32_t *src_id,
				   struct scmi_notifier *nb);

/**
 * scmi_notify_get_stats() for a struct of @size bytes, as the caller was
 * built with (see "Structs that grow" in <scmi/agent.h>): it writes at most
 * @size bytes into *@st (an older, smaller struct gets the members it has;
 * bytes beyond those this library knows are zeroed).
 * Errors: those of scmi_notify_get_stats(); -EINVAL @size below the size of
 * the struct's first release.
 */
int scmi_notify_get_stats_sized(struct scmi_notify *ni, uint8_t proto_id,
				struct scmi_notify_stats *st, size_t size);

/**
 * Copy the counters of @proto_id (registered or not) into *st.
 * Errors: -EINVAL NULL ni or st.
 */
static inline int scmi_notify_get_stats(struct scmi_notify *ni,
					uint8_t proto_id,
					struct scmi_notify_stats *st)
{
	return scmi_notify_get_stats_sized(ni, proto_id, st, sizeof(*st));
}

/**
 * A file descriptor that is readable while the instance has work (events
 * queued, pending handlers to bind). For callers with manual_dispatch that
 * run the core from their own event loop (libev, sd-event, poll): wait for
 * it, then call scmi_notify_run_pending(). Owned by the instance.
 * Errors: -EINVAL NULL ni; -EOPNOTSUPP the instance runs its worker thread
 * (no manual_dispatch): that thread is woken without a descriptor.
 */
int scmi_notify_get_fd(struct scmi_notify *ni);

/**
 * Do the work that is pending on the calling thread: bind pending handlers
 * of registered protocols, then drain every queue and run the notifier
 * chains. Safe beside a running worker (dispatch is serialized).
 * Returns the number of events taken from the queues (delivered or
 * dropped by their report filler).
 * Errors: -EINVAL NULL ni; -EDEADLK called from a callback; -ENOMEM a
 * pending handler could not be bound for want of memory: it stays pending
 * with nothing sent for it, and the next call (or the worker's next pass)
 * tries again; the queues were drained all the same.
 */
int scmi_notify_run_pending(struct scmi_notify *ni);

#ifdef __cplusplus
}
#endif

#endif /* SCMI_NOTIFY_H */
