/* SPDX-License-Identifier: MIT */
/*
 * A fake SCMI protocol for the unit tests of the notification core, and a
 * recording notifier.
 *
 * The protocol has two events:
 *   FAKE_EVT_A (id 0): payload struct fake_payld_a {agent_id, src_id, value},
 *                      12 bytes;
 *   FAKE_EVT_B (id 1): payload struct fake_payld_b {src_id, value}, 8 bytes;
 * and a configurable number of sources. Its set_notify_enabled records every
 * call (evt_id, src_id, enable), failed ones included, in the order the core
 * made them: that is exactly what a platform would see. Tests assert that
 * sequence with fake_expect_calls(), which also resets it.
 *
 * Its fill_custom_report decodes a payload into a struct fake_report and
 * sets *src_id from it. It returns NULL (refuses the payload) when the size
 * is not the event's payload size, when the value is FAKE_VALUE_REFUSE, or
 * when fake_refuse_reports() says so.
 *
 * Every piece of state the core's ops touch is protected by a mutex, since
 * the worker thread calls the ops too.
 */
#ifndef FAKE_PROTO_H
#define FAKE_PROTO_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <scmi/notify.h>

#define FAKE_EVT_A 0
#define FAKE_EVT_B 1
#define FAKE_NUM_EVTS 2
/* an event id the fake protocol does not have */
#define FAKE_EVT_MISSING 7

#define FAKE_MAX_SOURCES 64
#define FAKE_MAX_CALLS 1024
#define FAKE_MAX_DELIVERIES 1024

/* agent_id that fake_emit() puts in FAKE_EVT_A payloads */
#define FAKE_AGENT 0x41u
/* agent_id of FAKE_EVT_B reports: their payload has no such field */
#define FAKE_NO_AGENT 0xFFFFFFFFu
/* fill_custom_report refuses a payload carrying this value */
#define FAKE_VALUE_REFUSE 0xBADu
/* the timestamp fake_emit() passes for a value */
#define FAKE_TS(value) (1000000ull + (uint64_t)(value))

struct fake_payld_a {
	uint32_t agent_id;
	uint32_t src_id;
	uint32_t value;
};

struct fake_payld_b {
	uint32_t src_id;
	uint32_t value;
};

/* What callbacks receive. */
struct fake_report {
	uint64_t timestamp;
	uint32_t agent_id;
	uint32_t src_id;
	uint32_t value;
};

/* One set_notify_enabled call as the platform saw it. */
struct fake_call {
	uint8_t evt_id;
	uint32_t src_id;
	bool enable;
};

#define FAKE_ON(evt, src) { (uint8_t)(evt), (uint32_t)(src), true }
#define FAKE_OFF(evt, src) { (uint8_t)(evt), (uint32_t)(src), false }

struct fake_proto {
	/* where fake_proto_register() and fake_emit() go */
	struct scmi_notify *ni;
	uint8_t proto_id;

	/*
	 * What scmi_register_protocol_events() is given: tests may change
	 * these before fake_proto_register() (the core copies them).
	 */
	struct scmi_event evts[FAKE_NUM_EVTS];
	struct scmi_event_ops ops;
	struct scmi_protocol_events ee;
	int get_num_sources_ret;  /* what ops.get_num_sources returns */

	pthread_mutex_t mtx;      /* protects everything below */
	pthread_cond_t cond;      /* broadcast on every recorded call */
	struct fake_call calls[FAKE_MAX_CALLS];
	size_t ncalls;
	bool calls_overflow;
	unsigned int get_num_sources_calls;
	int fail_enable[FAKE_MAX_SOURCES];  /* errno returned by enables */
	bool unsupported[FAKE_NUM_EVTS][FAKE_MAX_SOURCES];
	bool refuse_reports;
	unsigned long fill_calls;
};

/*
 * A fake protocol @proto_id on @ni with @num_sources sources (at most
 * FAKE_MAX_SOURCES), not registered yet.
 */
struct fake_proto *fake_proto_new(struct scmi_notify *ni, uint8_t proto_id,
				  unsigned int num_sources);
void fake_proto_free(struct fake_proto *fp);

/* scmi_register_protocol_events(fp->ni, fp->proto_id, fp, &fp->ee). */
int fake_proto_register(struct fake_proto *fp);
/* scmi_deregister_protocol_events(fp->ni, fp->proto_id). */
int fake_proto_deregister(struct fake_proto *fp);

/* Make enables of @src return @err (0: succeed again). */
void fake_fail_enable(struct fake_proto *fp, uint32_t src, int err);
/*
 * Install ops.is_notify_supported (before registering) and make it refuse
 * (@evt_id, @src).
 */
void fake_set_unsupported(struct fake_proto *fp, uint8_t evt_id,
			  uint32_t src);
/* Make fill_custom_report return NULL for every payload (or not). */
void fake_refuse_reports(struct fake_proto *fp, bool refuse);

/*
 * Queue one event through scmi_notify() as the transport would: the
 * payload of @evt_id (FAKE_EVT_B: fake_payld_b, anything else:
 * fake_payld_a with FAKE_AGENT) and timestamp FAKE_TS(value).
 */
int fake_emit(struct fake_proto *fp, uint8_t evt_id, uint32_t src,
	      uint32_t value);

/* Number of set_notify_enabled calls recorded so far. */
size_t fake_ncalls(struct fake_proto *fp);
/* Wait up to @timeout_ms for at least @n recorded calls; true if reached. */
bool fake_wait_ncalls(struct fake_proto *fp, size_t n, unsigned int timeout_ms);
/* Forget the recorded calls. */
void fake_reset_calls(struct fake_proto *fp);

/* Assert the exact recorded sequence, then reset it. */
void fake_expect_calls_at(struct fake_proto *fp, const struct fake_call *exp,
			  size_t n, bool any_order, const char *file, int line);
#define fake_expect_calls(fp, ...)                                         \
	fake_expect_calls_at((fp), (const struct fake_call[]){ __VA_ARGS__ }, \
			     sizeof((const struct fake_call[]){ __VA_ARGS__ }) / \
				     sizeof(struct fake_call),             \
			     false, __FILE__, __LINE__)
/* The same calls in any order (the core walks a hash table). */
#define fake_expect_calls_any_order(fp, ...)                               \
	fake_expect_calls_at((fp), (const struct fake_call[]){ __VA_ARGS__ }, \
			     sizeof((const struct fake_call[]){ __VA_ARGS__ }) / \
				     sizeof(struct fake_call),             \
			     true, __FILE__, __LINE__)
#define fake_expect_no_calls(fp) \
	fake_expect_calls_at((fp), NULL, 0, false, __FILE__, __LINE__)

/* ---------------------------------------------------------------- */
/* a recording notifier                                             */

struct fake_delivery {
	int tag;                /* which notifier */
	uint8_t evt_id;         /* as passed to the callback */
	struct fake_report r;   /* copy of the report */
	pthread_t thread;       /* where the callback ran */
};

/* Where recording notifiers write what they receive, in order. */
struct fake_sink {
	pthread_mutex_t mtx;
	pthread_cond_t cond;
	struct fake_delivery d[FAKE_MAX_DELIVERIES];
	size_t n;
	bool overflow;
};

void fake_sink_init(struct fake_sink *sink);
void fake_sink_fini(struct fake_sink *sink);
size_t fake_sink_count(struct fake_sink *sink);
/* Wait up to @timeout_ms for at least @n deliveries; true if reached. */
bool fake_sink_wait(struct fake_sink *sink, size_t n, unsigned int timeout_ms);
/* Copy delivery @i (asserting it exists). */
struct fake_delivery fake_sink_get(struct fake_sink *sink, size_t i);
void fake_sink_reset(struct fake_sink *sink);

struct fake_nb;
/* Runs inside the callback, after the delivery is recorded. */
typedef void (*fake_hook_fn)(struct fake_nb *fnb, uint8_t evt_id,
			     const struct fake_report *r);

struct fake_nb {
	struct scmi_notifier nb;
	int tag;
	int ret;               /* what the callback returns */
	struct fake_sink *sink;
	fake_hook_fn hook;     /* optional */
	void *arg;             /* for the hook */
};

/* A notifier that records into @sink under @tag and returns SCMI_NOTIFY_OK. */
void fake_nb_init(struct fake_nb *fnb, struct fake_sink *sink, int tag,
		  int priority);

/* What a test expects a recording notifier to have received. */
struct fake_seen {
	int tag;
	uint8_t evt_id;
	uint32_t src_id;
	uint32_t value;
};

/*
 * Assert the exact sequence of deliveries (tag, evt_id, and a report whose
 * src_id, value, timestamp FAKE_TS(value) and agent_id are those fake_emit()
 * sent), then reset the sink.
 */
void fake_expect_deliveries_at(struct fake_sink *sink,
			       const struct fake_seen *exp, size_t n,
			       const char *file, int line);
#define fake_expect_deliveries(sink, ...)                                   \
	fake_expect_deliveries_at((sink),                                   \
				  (const struct fake_seen[]){ __VA_ARGS__ }, \
				  sizeof((const struct fake_seen[]){ __VA_ARGS__ }) / \
					  sizeof(struct fake_seen),         \
				  __FILE__, __LINE__)
#define fake_expect_no_deliveries(sink) \
	fake_expect_deliveries_at((sink), NULL, 0, __FILE__, __LINE__)

/* ---------------------------------------------------------------- */
/* a log sink                                                       */

struct fake_logcap {
	pthread_mutex_t mtx;
	unsigned int count[8];  /* by level */
	char last[256];
};

void fake_logcap_init(struct fake_logcap *lc);
void fake_logcap_fini(struct fake_logcap *lc);
/* A scmi_log_fn; userdata is a struct fake_logcap. */
void fake_logcap_fn(void *userdata, enum scmi_log_level level,
		    const char *msg);
unsigned int fake_logcap_count(struct fake_logcap *lc,
			       enum scmi_log_level level);

/* A deadline @ms from now on CLOCK_REALTIME, for timed waits. */
struct timespec fake_deadline(unsigned int ms);

#endif /* FAKE_PROTO_H */
