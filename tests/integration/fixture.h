/* SPDX-License-Identifier: MIT */
/*
 * What every integration test of the agent against the simulator needs
 * (the per-protocol programs test-power.c, test-perf.c, ...):
 *
 *  - a fixture: a simulator started in a test's setup and killed in its
 *    teardown (which runs even when the test fails), and slots for the
 *    agents a test creates, destroyed by the teardown;
 *  - agents created and connected with the assertions a test expects;
 *  - raw commands (PROTOCOL_xxx words packed little-endian) whose status
 *    the test asserts;
 *  - an event recorder: a notifier that copies every report it receives
 *    into a log, and bounded waits on that log;
 *  - main(): the tests run, or skipped (77) when there is no simulator.
 *
 * The helpers that create agents, read statistics or send control
 * requests assert their own success (a failure fails the running test);
 * what a test checks (a status, a count, a report) the helpers return,
 * and the test asserts it. Only the main thread may call them: cmocka's
 * assertions jump back to the test, which no other thread can do.
 */
#ifndef FIXTURE_H
#define FIXTURE_H

#include <pthread.h>
#include <setjmp.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <scmi/agent.h>
#include <scmi/clock.h>
#include <scmi/notify.h>
#include <scmi/perf.h>
#include <scmi/power.h>
#include <scmi/powercap.h>
#include <scmi/protocols.h>
#include <scmi/reset.h>
#include <scmi/sensor.h>
#include <scmi/system.h>

#include "sim-harness.h"

/* The command timeout of the agents fx_agent_new() creates: generous,
 * valgrind runs these tests too. */
#define FX_TIMEOUT_MS 1000

/* How many agents one test may keep in its fixture. */
#define FX_AGENTS 10

/* ---- the fixture ------------------------------------------------------ */

struct fx {
	struct sim sim;                          /* the simulator */
	struct scmi_agent *agents[FX_AGENTS];    /* destroyed by fx_teardown */
	int log_fd;                              /* its stderr, or -1 */
};

/*
 * A cmocka setup: start the simulator with its NULL-terminated @args
 * (NULL: the default topology and options) into a new struct fx, the
 * test's *@state. 0, or -1 (the test is not run) if it cannot start.
 */
int fx_start(void **state, const char *const *args);

/*
 * fx_start() with the simulator's standard error going to a temporary
 * file of the fixture's (fx->log_fd, read with fx_log_size() and
 * fx_log_text()), and with RLIMIT_NOFILE set to @nofile unless it is 0.
 */
int fx_start_logged(void **state, const char *const *args,
		    unsigned int nofile);

/*
 * A setup whose simulator is not started: fx->sim.sock is where it will
 * listen once the test starts it (sim_restart(&fx->sim, args)).
 */
int fx_setup_unstarted(void **state);

/* fx_start() with no arguments: the setup of most tests. */
int fx_setup(void **state);

/*
 * The teardown: stop the simulator first (the agents then see a hang-up,
 * never a stall), then destroy every agent left in the fixture.
 */
int fx_teardown(void **state);

/*
 * A teardown that kills the simulator (SIGKILL, as sim_crash()) rather
 * than stopping it, then removes its sockets and directory and destroys
 * every agent left in the fixture.
 */
int fx_teardown_crash(void **state);

/* A test with the default fixture; one with a setup of its own. */
#define FX_TEST(f) cmocka_unit_test_setup_teardown(f, fx_setup, fx_teardown)
#define FX_TEST_SETUP(f, setup) \
	cmocka_unit_test_setup_teardown(f, setup, fx_teardown)

/*
 * main()'s work: run the array @tests (as cmocka_run_group_tests(), under
 * the same group name), or return 77 (skipped) when there is no simulator
 * to run. SIGPIPE is ignored: a peer that went away is an error to see,
 * not a signal that kills the test program.
 */
#define fx_run_tests(tests) \
	fx_run_tests_(#tests, tests, sizeof(tests) / sizeof((tests)[0]))
int fx_run_tests_(const char *name, const struct CMUnitTest *tests,
		  size_t num_tests);

/* ---- agents ----------------------------------------------------------- */

/*
 * Create an agent with @timeout_ms (0: the library's default) and keep it
 * in fx->agents[@slot], where the teardown destroys it. Asserts the
 * creation.
 */
struct scmi_agent *fx_agent(struct fx *fx, size_t slot, uint32_t timeout_ms);

/* fx_agent() with FX_TIMEOUT_MS; not connected. */
struct scmi_agent *fx_agent_new(struct fx *fx, size_t slot);

/* Connect @a to the fixture's simulator, asserting it succeeds; @a. */
struct scmi_agent *fx_connect(struct fx *fx, struct scmi_agent *a);

/*
 * A bare connection to the simulator's agent socket, as an agent's first
 * step (its hello is not read): the descriptor, asserted connected.
 */
int fx_sock_connect(struct fx *fx);

/* fx_agent_new(), then fx_connect(). */
struct scmi_agent *fx_agent_connected(struct fx *fx, size_t slot);

/* The agent's transport counters (asserted readable). */
struct scmi_agent_stats fx_stats(struct scmi_agent *a);

/* Milliseconds since @t0 (a sim_now_ns() time). */
uint64_t fx_ms_since(uint64_t t0);

/*
 * Entries of the directory @path, "." and ".." aside (asserted readable):
 * /proc/self/task counts threads, /proc/PID/fd descriptors.
 */
unsigned int fx_count_dir(const char *path);

/* Destroy the agent in @slot now, and empty the slot. */
void fx_agent_destroy(struct fx *fx, size_t slot);

/*
 * One turn of an event-loop agent's loop, as a user's loop runs it: poll
 * scmi_agent_get_fd() until it is readable, at most until
 * scmi_agent_get_timeout()'s deadline or @max_ms, then
 * scmi_agent_dispatch(): its result.
 */
int fx_loop_turn(struct scmi_agent *a, int max_ms);

/* The agent's statistics (asserted readable): commands sent,
 * notifications received. */
uint64_t fx_commands(struct scmi_agent *a);
uint64_t fx_notifications(struct scmi_agent *a);

/* ---- commands ----------------------------------------------------------- */

/* The most payload words fx_raw() sends. */
#define FX_RAW_MAX_WORDS 4

/*
 * A raw command of protocol @proto: @n (at most FX_RAW_MAX_WORDS, asserted)
 * words of payload, each little-endian; the return values in @rx (up to
 * @rx_cap bytes, their number in *@rx_sz; both may be NULL/0).
 * scmi_agent_xfer()'s result: 0 or the platform's status as a negative
 * errno. A test file binds its protocol once, e.g.
 *   #define raw(a, ...) fx_raw(a, SCMI_PROTOCOL_POWER, __VA_ARGS__)
 */
int fx_raw(struct scmi_agent *a, uint8_t proto, uint8_t msg_id,
	   const uint32_t *words, size_t n, void *rx, size_t rx_cap,
	   size_t *rx_sz);

/*
 * A protocol's message ids, as the reference platform answers them: those
 * up to @last it defines; among them @unimpl (@num_unimpl of them) this
 * platform does not implement.
 */
struct fx_msg_ids {
	uint8_t proto;
	uint8_t last;
	const uint8_t *unimpl;
	size_t num_unimpl;
};

/*
 * Send every message id 0..0xFF of ids->proto with no payload, and
 * PROTOCOL_MESSAGE_ATTRIBUTES about each: the number of ids not answered
 * as the reference platform does (each printed), to assert 0. An
 * implemented message answers 0 or PROTOCOL_ERROR (its payload is
 * missing) and its attributes are 0; one not implemented is
 * NOT_SUPPORTED and its attributes NOT_FOUND; beyond @last both are
 * NOT_FOUND.
 */
unsigned int fx_msg_ids_mismatches(struct scmi_agent *a,
				   const struct fx_msg_ids *ids);

/*
 * A control request (printf-style) that must succeed: on an error it and
 * the simulator's reply are printed and the test fails. For a request
 * whose error is the point, call sim_ctl() and assert its result.
 */
void fx_ctl(struct fx *fx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Fail the test unless @t0 <= @ts <= @t1 (a report's timestamp). */
void fx_assert_time(uint64_t ts, uint64_t t0, uint64_t t1);

/* ---- the event recorder --------------------------------------------- */

/* How many reports a recorder keeps; those after are counted only. */
#define FX_REC_MAX 64

/* BASE_ERROR_EVENT's report, with room for every entry a message holds. */
#define FX_BASE_ERROR_MAX 15
struct fx_base_error {
	uint64_t timestamp;
	uint32_t agent_id;
	bool fatal;
	uint32_t cmd_count;
	uint64_t reports[FX_BASE_ERROR_MAX]; /* the first cmd_count */
};

/* One report as the callback received it: the member of its event. */
struct fx_event {
	uint8_t evt_id;
	union {
		struct fx_base_error base_error;
		struct scmi_power_state_changed_report power;
		struct scmi_system_power_state_notifier_report system;
		struct scmi_perf_limits_report perf_limits;
		struct scmi_perf_level_report perf_level;
		struct scmi_clock_rate_notif_report clock; /* either event */
		struct scmi_sensor_trip_point_report sensor_trip;
		struct scmi_sensor_update_report sensor_update;
		struct scmi_reset_issued_report reset;
		struct scmi_powercap_cap_changed_report powercap_cap;
		struct scmi_powercap_meas_changed_report powercap_meas;
	} r;
};

/*
 * Register rec.nb (with fx_rec_register(), or with the scmi_event_*
 * calls themselves) on one tuple at a time; the callback runs on the
 * agent's dispatcher and only records.
 */
struct fx_recorder {
	struct scmi_notifier nb;
	uint8_t proto;                  /* whose reports these are */
	pthread_mutex_t mtx;            /* guards what follows */
	pthread_cond_t cond;            /* broadcast at each report */
	unsigned int count;             /* received, kept or not */
	struct fx_event ev[FX_REC_MAX]; /* the first FX_REC_MAX */
	struct fx_event last;           /* the latest */
};

/* An empty recorder for the events of protocol @proto; fx_rec_fini()
 * when it is unregistered. */
void fx_rec_init(struct fx_recorder *rec, uint8_t proto);
void fx_rec_fini(struct fx_recorder *rec);

/*
 * scmi_event_notifier_register() / _unregister() of @rec on @a's notify
 * instance, for (rec->proto, @evt_id, *@src_id) (@src_id NULL: every
 * source). Their result, for the test to assert.
 */
int fx_rec_register(struct fx_recorder *rec, struct scmi_agent *a,
		    uint8_t evt_id, const uint32_t *src_id);
int fx_rec_unregister(struct fx_recorder *rec, struct scmi_agent *a,
		      uint8_t evt_id, const uint32_t *src_id);

/* How many reports @rec received so far. */
unsigned int fx_rec_count(struct fx_recorder *rec);

/*
 * Wait until @rec received @n reports, or @ms passed; the count then
 * (assert it is @n).
 */
unsigned int fx_rec_wait(struct fx_recorder *rec, unsigned int n,
			 unsigned int ms);

/*
 * Let @ms pass, then the count: to assert that no report arrives, give
 * one the time to, then check the count is still what it was.
 */
unsigned int fx_rec_count_after(struct fx_recorder *rec, unsigned int ms);

/* Report @i (0-based); asserts it was received and kept. */
struct fx_event fx_rec_get(struct fx_recorder *rec, unsigned int i);

/* The latest report (all zero before the first). */
struct fx_event fx_rec_last(struct fx_recorder *rec);

/* Forget every report (the count back to 0), e.g. between two rounds. */
void fx_rec_reset(struct fx_recorder *rec);

/* ---- a persistent control connection -------------------------------- */

/*
 * One connection to the simulator's control socket (its --socket path +
 * ".ctl"), kept open across requests: unlike fx_ctl(), which connects per
 * request, it sees the requests of one client in order, and fast.
 */
struct fx_ctlc {
	int fd;                                  /* -1: closed */
	char *rep;                               /* the last reply, its parts joined */
	size_t rep_cap;
	unsigned int parts;                      /* its messages */
};

/* Connect @c to the fixture's simulator (10 s receive timeout); asserted. */
void fx_ctlc_open(struct fx *fx, struct fx_ctlc *c);

/* Close @c (its last reply too). Idempotent. */
void fx_ctlc_close(struct fx_ctlc *c);

/*
 * Send the @len bytes at @req as one message, as they are, and receive
 * the reply into c->rep (NUL-terminated; a long one comes in parts, each
 * but the last marked '+', joined here); its length. A reply is
 * asserted to come.
 */
size_t fx_ctlc_raw(struct fx_ctlc *c, const void *req, size_t len);

/* One request (printf-style) that must succeed ("ok"); the reply in c->rep. */
void fx_ctlc_req(struct fx_ctlc *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The simulator's notification and delayed-response counters of one agent. */
struct fx_sim_counts {
	int64_t sent, queued, dropped, waiting;
	int64_t delayed_sent, delayed_lost;
};

/*
 * The counters of agent @id, from the simulator's "agents --json" entry
 * (asserted present and complete).
 */
struct fx_sim_counts fx_sim_agent_counts(struct fx_ctlc *c, uint32_t id);

/* ---- a counting notifier and a pinger --------------------------------- */

/*
 * A notifier of sensor update reports of one sensor: counts them, keeps
 * the first and last reading, and counts the out-of-order ones (another
 * event or sensor, or a reading not above the last). Sleeps @sleep_us in
 * each callback when set: a slow consumer.
 */
struct fx_counter {
	struct scmi_notifier nb;                 /* first: the callback's cast */
	uint32_t sensor;
	unsigned int sleep_us;
	atomic_uint count;
	atomic_uint out_of_order;
	_Atomic int64_t first, last;
};

/* Zero @c and set it up for @sensor; then register &c->nb. */
void fx_counter_init(struct fx_counter *c, uint32_t sensor,
		     unsigned int sleep_us);

/*
 * A thread sending BASE PROTOCOL_VERSION on agent @a every millisecond
 * until @stop: the commands sent, those that timed out, other errors and
 * the largest round trip. Run as pthread_create(&p.th, NULL,
 * fx_pinger_main, &p); set p.stop and join it.
 */
struct fx_pinger {
	struct scmi_agent *a;
	pthread_t th;
	atomic_bool stop;
	unsigned int sent, timeouts, errors;
	uint64_t max_rtt_ns;
};

void *fx_pinger_main(void *arg);

/* ---- the simulator's log (fx_start_logged()) -------------------------- */

/* How many bytes the simulator has written to its standard error so far. */
size_t fx_log_size(struct fx *fx);

/* All it wrote, NUL-terminated, malloc()ed: the caller frees it. */
char *fx_log_text(struct fx *fx);

/* How many lines of its log hold @needle. */
unsigned int fx_log_count(struct fx *fx, const char *needle);

/* ---- running a tool ---------------------------------------------------- */

/* What a tool printed, and how it ended (fx_run_tool()). */
struct fx_run {
	int status;                   /* exit status; -1 killed by a signal */
	char out[256 * 1024];         /* its stdout, NUL-terminated */
	char err[4096];               /* its stderr, NUL-terminated */
};

/*
 * Run the NULL-terminated @argv (argv[0] the program's path) with
 * SIGPIPE's default action (as a shell starts it), to its end (asserted
 * within 10 s), its stdout and stderr read into *@r (asserted to fit).
 * With @close_stdout its stdout is a pipe whose reader is gone before it
 * starts (r->out stays ""). Its exit status (r->status).
 */
int fx_run_tool(char *const *argv, bool close_stdout, struct fx_run *r);

/* ---- a directory of the test's own ------------------------------------ */

struct fx_dir {
	char path[64];
};

/* Make a fresh directory /tmp/scmi-@tag-XXXXXX; asserted. */
void fx_dir_make(struct fx_dir *d, const char *tag);

/* The path of file @name in @d, into @path (@sz bytes). */
void fx_dir_file(const struct fx_dir *d, const char *name, char *path,
		 size_t sz);

/* Write @text to the file @path (created or truncated); asserted. */
void fx_write_file(const char *path, const char *text);

/* Remove @d and all in it (only a directory fx_dir_make() named); asserted. */
void fx_dir_remove(struct fx_dir *d);

/*
 * All of the file @fd from its start, NUL-terminated, in a malloc()ed
 * buffer the caller frees; allocation asserted.
 */
char *fx_slurp(int fd);

#endif /* FIXTURE_H */
