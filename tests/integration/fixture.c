/* SPDX-License-Identifier: MIT */
/* The integration tests' fixture, agents and event recorder (fixture.h). */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <scmi/wire.h>

#include "fixture.h"

/* ---- the fixture ------------------------------------------------------ */

int fx_start(void **state, const char *const *args)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	if (!fx)
		return -1;
	if (sim_start(&fx->sim, args)) {
		free(fx);
		return -1;
	}
	*state = fx;
	return 0;
}

int fx_setup(void **state)
{
	return fx_start(state, NULL);
}

int fx_teardown(void **state)
{
	struct fx *fx = *state;

	/* the platform first: agents then see a hang-up, never a stall */
	sim_stop(&fx->sim);
	for (size_t i = 0; i < FX_AGENTS; i++)
		scmi_agent_destroy(fx->agents[i]);
	free(fx);
	return 0;
}

int fx_run_tests_(const char *name, const struct CMUnitTest *tests,
		  size_t num_tests)
{
	if (!sim_exe()) {
		fprintf(stderr, "no simulator: set SCMI_SIM\n");
		return 77; /* skipped */
	}
	signal(SIGPIPE, SIG_IGN);
	return _cmocka_run_group_tests(name, tests, num_tests, NULL, NULL);
}

/* ---- agents ----------------------------------------------------------- */

struct scmi_agent *fx_agent(struct fx *fx, size_t slot, uint32_t timeout_ms)
{
	struct scmi_agent_config cfg = { .timeout_ms = timeout_ms };
	struct scmi_agent *a = NULL;

	assert_true(slot < FX_AGENTS);
	assert_int_equal(scmi_agent_create(&a, &cfg), 0);
	assert_non_null(a);
	fx->agents[slot] = a;
	return a;
}

struct scmi_agent *fx_agent_new(struct fx *fx, size_t slot)
{
	return fx_agent(fx, slot, FX_TIMEOUT_MS);
}

struct scmi_agent *fx_connect(struct fx *fx, struct scmi_agent *a)
{
	assert_int_equal(scmi_agent_connect(a, fx->sim.sock), 0);
	return a;
}

struct scmi_agent *fx_agent_connected(struct fx *fx, size_t slot)
{
	return fx_connect(fx, fx_agent_new(fx, slot));
}

void fx_agent_destroy(struct fx *fx, size_t slot)
{
	assert_true(slot < FX_AGENTS);
	scmi_agent_destroy(fx->agents[slot]);
	fx->agents[slot] = NULL;
}

uint64_t fx_commands(struct scmi_agent *a)
{
	struct scmi_agent_stats st;

	assert_int_equal(scmi_agent_get_stats(a, &st), 0);
	return st.commands;
}

uint64_t fx_notifications(struct scmi_agent *a)
{
	struct scmi_agent_stats st;

	assert_int_equal(scmi_agent_get_stats(a, &st), 0);
	return st.notifications;
}

/* ---- commands ----------------------------------------------------------- */

int fx_raw(struct scmi_agent *a, uint8_t proto, uint8_t msg_id,
	   const uint32_t *words, size_t n, void *rx, size_t rx_cap,
	   size_t *rx_sz)
{
	uint8_t tx[4 * FX_RAW_MAX_WORDS];

	assert_true(n <= FX_RAW_MAX_WORDS);
	for (size_t i = 0; i < n; i++)
		scmi_put_le32(tx + 4 * i, words[i]);
	return scmi_agent_xfer(a, proto, msg_id, tx, 4 * n, rx, rx_cap, rx_sz);
}

void fx_ctl(struct fx *fx, const char *fmt, ...)
{
	char req[256], reply[256] = "";
	va_list ap;
	int ret;

	va_start(ap, fmt);
	vsnprintf(req, sizeof(req), fmt, ap);
	va_end(ap);
	ret = sim_ctl(&fx->sim, reply, sizeof(reply), "%s", req);
	if (ret) {
		fprintf(stderr, "control '%s': %d: %s\n", req, ret, reply);
		fail();
	}
}

void fx_assert_time(uint64_t ts, uint64_t t0, uint64_t t1)
{
	if (ts < t0 || ts > t1)
		fail_msg("timestamp %llu not in [%llu, %llu]",
			 (unsigned long long)ts, (unsigned long long)t0,
			 (unsigned long long)t1);
}

/* ---- the event recorder --------------------------------------------- */

/* Copy @report, the report of (@proto, @evt_id), into @e. */
static void copy_report(struct fx_event *e, uint8_t proto, uint8_t evt_id,
			const void *report)
{
	e->evt_id = evt_id;
	switch (proto) {
	case SCMI_PROTOCOL_BASE: {
		const struct scmi_base_error_report *r = report;

		e->r.base_error.timestamp = r->timestamp;
		e->r.base_error.agent_id = r->agent_id;
		e->r.base_error.fatal = r->fatal;
		e->r.base_error.cmd_count = r->cmd_count;
		for (uint32_t i = 0; i < r->cmd_count && i < FX_BASE_ERROR_MAX;
		     i++)
			e->r.base_error.reports[i] = r->reports[i];
		break;
	}
	case SCMI_PROTOCOL_POWER:
		memcpy(&e->r.power, report, sizeof(e->r.power));
		break;
	case SCMI_PROTOCOL_SYSTEM:
		memcpy(&e->r.system, report, sizeof(e->r.system));
		break;
	case SCMI_PROTOCOL_PERF:
		if (evt_id == SCMI_EVENT_PERF_LIMITS_CHANGED)
			memcpy(&e->r.perf_limits, report,
			       sizeof(e->r.perf_limits));
		else
			memcpy(&e->r.perf_level, report,
			       sizeof(e->r.perf_level));
		break;
	case SCMI_PROTOCOL_CLOCK:
		memcpy(&e->r.clock, report, sizeof(e->r.clock));
		break;
	case SCMI_PROTOCOL_SENSOR:
		if (evt_id == SCMI_EVENT_SENSOR_TRIP_POINT)
			memcpy(&e->r.sensor_trip, report,
			       sizeof(e->r.sensor_trip));
		else
			memcpy(&e->r.sensor_update, report,
			       sizeof(e->r.sensor_update));
		break;
	case SCMI_PROTOCOL_RESET:
		memcpy(&e->r.reset, report, sizeof(e->r.reset));
		break;
	case SCMI_PROTOCOL_POWERCAP:
		if (evt_id == SCMI_EVENT_POWERCAP_CAP_CHANGED)
			memcpy(&e->r.powercap_cap, report,
			       sizeof(e->r.powercap_cap));
		else
			memcpy(&e->r.powercap_meas, report,
			       sizeof(e->r.powercap_meas));
		break;
	default:
		break; /* a protocol without events here: the id only */
	}
}

/* The notifier callback, on the dispatcher: record, wake the waiters. */
static int on_event(struct scmi_notifier *nb, uint8_t evt_id,
		    const void *report)
{
	struct fx_recorder *rec = (struct fx_recorder *)(void *)
		((char *)nb - offsetof(struct fx_recorder, nb));

	pthread_mutex_lock(&rec->mtx);
	copy_report(&rec->last, rec->proto, evt_id, report);
	if (rec->count < FX_REC_MAX)
		rec->ev[rec->count] = rec->last;
	rec->count++;
	pthread_cond_broadcast(&rec->cond);
	pthread_mutex_unlock(&rec->mtx);
	return SCMI_NOTIFY_OK;
}

void fx_rec_init(struct fx_recorder *rec, uint8_t proto)
{
	memset(rec, 0, sizeof(*rec));
	rec->nb.cb = on_event;
	rec->proto = proto;
	pthread_mutex_init(&rec->mtx, NULL);
	pthread_cond_init(&rec->cond, NULL);
}

void fx_rec_fini(struct fx_recorder *rec)
{
	pthread_mutex_destroy(&rec->mtx);
	pthread_cond_destroy(&rec->cond);
}

int fx_rec_register(struct fx_recorder *rec, struct scmi_agent *a,
		    uint8_t evt_id, const uint32_t *src_id)
{
	return scmi_event_notifier_register(scmi_agent_notify(a), rec->proto,
					    evt_id, src_id, &rec->nb);
}

int fx_rec_unregister(struct fx_recorder *rec, struct scmi_agent *a,
		      uint8_t evt_id, const uint32_t *src_id)
{
	return scmi_event_notifier_unregister(scmi_agent_notify(a), rec->proto,
					      evt_id, src_id, &rec->nb);
}

unsigned int fx_rec_count(struct fx_recorder *rec)
{
	unsigned int n;

	pthread_mutex_lock(&rec->mtx);
	n = rec->count;
	pthread_mutex_unlock(&rec->mtx);
	return n;
}

unsigned int fx_rec_wait(struct fx_recorder *rec, unsigned int n,
			 unsigned int ms)
{
	uint64_t deadline = sim_now_ns() + (uint64_t)ms * 1000000ull;
	unsigned int count;

	pthread_mutex_lock(&rec->mtx);
	while (rec->count < n && sim_now_ns() < deadline) {
		struct timespec ts;

		/* in short steps: the condvar's clock is not the deadline's */
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 10 * 1000000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&rec->cond, &rec->mtx, &ts);
	}
	count = rec->count;
	pthread_mutex_unlock(&rec->mtx);
	return count;
}

unsigned int fx_rec_count_after(struct fx_recorder *rec, unsigned int ms)
{
	sim_sleep_ms(ms);
	return fx_rec_count(rec);
}

struct fx_event fx_rec_get(struct fx_recorder *rec, unsigned int i)
{
	struct fx_event e = { 0 };
	unsigned int count;

	pthread_mutex_lock(&rec->mtx);
	count = rec->count;
	if (i < FX_REC_MAX)
		e = rec->ev[i];
	pthread_mutex_unlock(&rec->mtx);
	/* asserted unlocked: a failure jumps out of this function */
	assert_true(i < FX_REC_MAX && i < count);
	return e;
}

struct fx_event fx_rec_last(struct fx_recorder *rec)
{
	struct fx_event e;

	pthread_mutex_lock(&rec->mtx);
	e = rec->last;
	pthread_mutex_unlock(&rec->mtx);
	return e;
}

void fx_rec_reset(struct fx_recorder *rec)
{
	pthread_mutex_lock(&rec->mtx);
	rec->count = 0;
	pthread_mutex_unlock(&rec->mtx);
}
