/* SPDX-License-Identifier: MIT */
/* The integration tests' fixture, agents and event recorder (fixture.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <scmi/wire.h>

#include "fixture.h"
#include "mini-json.h"

/* ---- the fixture ------------------------------------------------------ */

/* Start the simulator with @o into a new fixture; 0 or -1. */
static int start(void **state, const char *const *args,
		 const struct sim_opts *o, int log_fd)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	if (!fx) {
		if (log_fd >= 0)
			close(log_fd);
		return -1;
	}
	fx->log_fd = log_fd;
	if (sim_start_opts(&fx->sim, args, o)) {
		if (log_fd >= 0)
			close(log_fd);
		free(fx);
		return -1;
	}
	*state = fx;
	return 0;
}

int fx_start(void **state, const char *const *args)
{
	return start(state, args, NULL, -1);
}

int fx_start_logged(void **state, const char *const *args,
		    unsigned int nofile)
{
	char path[] = "/tmp/scmi-test-log-XXXXXX";
	int fd = mkostemp(path, O_CLOEXEC);
	struct sim_opts o = { .stderr_fd = fd, .nofile = nofile };

	if (fd < 0)
		return -1;
	unlink(path);
	return start(state, args, &o, fd);
}

int fx_setup_unstarted(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	if (!fx)
		return -1;
	fx->log_fd = -1;
	if (sim_prepare(&fx->sim, NULL)) {
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
	if (fx->log_fd >= 0)
		close(fx->log_fd);
	free(fx);
	return 0;
}

int fx_teardown_crash(void **state)
{
	struct fx *fx = *state;

	/* the platform first: agents then see a hang-up, never a stall */
	sim_crash(&fx->sim);
	sim_stop(&fx->sim);    /* its sockets, control socket and directory */
	for (size_t i = 0; i < FX_AGENTS; i++)
		scmi_agent_destroy(fx->agents[i]);
	if (fx->log_fd >= 0)
		close(fx->log_fd);
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

int fx_sock_connect(struct fx *fx)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	assert_true(strlen(fx->sim.sock) < sizeof(sun.sun_path));
	memcpy(sun.sun_path, fx->sim.sock, strlen(fx->sim.sock) + 1);
	assert_int_equal(connect(fd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	return fd;
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

int fx_loop_turn(struct scmi_agent *a, int max_ms)
{
	struct pollfd p = { .fd = scmi_agent_get_fd(a), .events = POLLIN };
	uint64_t usec, now_us = sim_now_ns() / 1000;
	int ms = max_ms;

	assert_int_equal(scmi_agent_get_timeout(a, &usec), 0);
	if (usec != UINT64_MAX && usec < now_us + (uint64_t)max_ms * 1000)
		ms = usec <= now_us ? 0 : (int)((usec - now_us + 999) / 1000);
	poll(&p, 1, ms);
	return scmi_agent_dispatch(a);
}

struct scmi_agent_stats fx_stats(struct scmi_agent *a)
{
	struct scmi_agent_stats st;

	assert_int_equal(scmi_agent_get_stats(a, &st), 0);
	return st;
}

uint64_t fx_ms_since(uint64_t t0)
{
	return (sim_now_ns() - t0) / 1000000u;
}

unsigned int fx_count_dir(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	unsigned int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
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
	if (n > FX_RAW_MAX_WORDS)       /* assert_true() may return, to gcc */
		return -E2BIG;
	for (size_t i = 0; i < n; i++)
		scmi_put_le32(tx + 4 * i, words[i]);
	return scmi_agent_xfer(a, proto, msg_id, tx, 4 * n, rx, rx_cap, rx_sz);
}

/* Whether @id is one of ids->unimpl. */
static bool msg_unimplemented(const struct fx_msg_ids *ids, unsigned int id)
{
	for (size_t i = 0; i < ids->num_unimpl; i++)
		if (ids->unimpl[i] == id)
			return true;
	return false;
}

unsigned int fx_msg_ids_mismatches(struct scmi_agent *a,
				   const struct fx_msg_ids *ids)
{
	unsigned int bad = 0;

	for (unsigned int id = 0; id <= 0xFF; id++) {
		uint32_t w = id;
		int cmd = fx_raw(a, ids->proto, (uint8_t)id, NULL, 0, NULL, 0,
				 NULL);
		int attr = fx_raw(a, ids->proto,
				  SCMI_PROTOCOL_MESSAGE_ATTRIBUTES, &w, 1, NULL,
				  0, NULL);
		bool ok;

		if (id > ids->last)
			ok = cmd == -ENOENT && attr == -ENOENT;
		else if (msg_unimplemented(ids, id))
			ok = cmd == -EOPNOTSUPP && attr == -ENOENT;
		else
			ok = (cmd == 0 || cmd == -EPROTO) && attr == 0;
		if (!ok) {
			fprintf(stderr,
				"protocol 0x%x message 0x%x: command %d, attributes %d (%s)\n",
				ids->proto, id, cmd, attr,
				id > ids->last ? "not defined" :
				msg_unimplemented(ids, id) ? "not implemented" :
				"implemented");
			bad++;
		}
	}
	return bad;
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
		if (evt_id == SCMI_EVENT_PERFORMANCE_LIMITS_CHANGED)
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
		if (evt_id == SCMI_EVENT_SENSOR_TRIP_POINT_EVENT)
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

/* ---- a persistent control connection -------------------------------- */

void fx_ctlc_open(struct fx *fx, struct fx_ctlc *c)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct timeval tv = { .tv_sec = 10 };

	assert_true(strlen(fx->sim.sock) + 5 <= sizeof(sun.sun_path));
	memcpy(sun.sun_path, fx->sim.sock, strlen(fx->sim.sock));
	memcpy(sun.sun_path + strlen(fx->sim.sock), ".ctl", 5);
	c->rep_cap = 65536 + 1;
	c->rep = malloc(c->rep_cap);
	assert_non_null(c->rep);
	c->rep[0] = '\0';
	c->fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	assert_true(c->fd >= 0);
	assert_int_equal(setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &tv,
				    sizeof(tv)), 0);
	assert_int_equal(connect(c->fd, (struct sockaddr *)&sun, sizeof(sun)), 0);
}

void fx_ctlc_close(struct fx_ctlc *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	free(c->rep);
	c->rep = NULL;
	c->rep_cap = 0;
}

size_t fx_ctlc_raw(struct fx_ctlc *c, const void *req, size_t len)
{
	size_t got = 0;
	bool more = true;

	assert_int_equal(send(c->fd, req, len, MSG_NOSIGNAL), (ssize_t)len);
	c->parts = 0;
	while (more) {
		ssize_t n = recv(c->fd, NULL, 0, MSG_PEEK | MSG_TRUNC);

		if (n > 0 && got + (size_t)n + 1 > c->rep_cap) {
			c->rep_cap = 2 * (got + (size_t)n + 1);
			c->rep = realloc(c->rep, c->rep_cap);
			assert_non_null(c->rep);
		}
		if (n > 0)
			n = recv(c->fd, c->rep + got, (size_t)n, 0);
		if (n <= 0)
			fail_msg("control request '%.*s': no reply (%s)",
				 (int)(len < 64 ? len : 64), (const char *)req,
				 n < 0 ? strerror(errno) : "closed");
		/* a part of a long reply: '+' and more to come */
		c->parts++;
		more = c->rep[got] == '+';
		if (more)
			memmove(c->rep + got, c->rep + got + 1, (size_t)--n);
		got += (size_t)n;
	}
	c->rep[got] = '\0';
	return got;
}

void fx_ctlc_req(struct fx_ctlc *c, const char *fmt, ...)
{
	char req[1024];
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(req, sizeof(req), fmt, ap);
	va_end(ap);
	assert_true(len > 0 && (size_t)len < sizeof(req));
	fx_ctlc_raw(c, req, (size_t)len);
	if (strncmp(c->rep, "ok", 2) != 0)
		fail_msg("control request '%s': %s", req, c->rep);
}

struct fx_sim_counts fx_sim_agent_counts(struct fx_ctlc *c, uint32_t id)
{
	struct fx_sim_counts sc = { -1, -1, -1, -1, -1, -1 };
	const struct mj *arr, *n;
	struct mj *v = NULL;
	bool found = false;

	fx_ctlc_req(c, "agents --json");
	assert_int_equal(mj_parse(c->rep + 3, &v), 0);
	arr = mj_get(v, "agents");
	assert_non_null(arr);
	assert_int_equal(arr->type, MJ_ARR);
	for (size_t i = 0; i < arr->n; i++) {
		const struct mj *a = &arr->kids[i];

		n = mj_get(a, "id");
		if (!n || n->i != (int64_t)id)
			continue;
		found = true;
		n = mj_get(a, "notifications_sent");
		assert_non_null(n);
		sc.sent = n->i;
		n = mj_get(a, "notifications_queued");
		assert_non_null(n);
		sc.queued = n->i;
		n = mj_get(a, "notifications_dropped");
		assert_non_null(n);
		sc.dropped = n->i;
		n = mj_get(a, "waiting");
		assert_non_null(n);
		sc.waiting = n->i;
		n = mj_get(a, "delayed_sent");
		assert_non_null(n);
		sc.delayed_sent = n->i;
		n = mj_get(a, "delayed_lost");
		assert_non_null(n);
		sc.delayed_lost = n->i;
	}
	mj_free(v);
	assert_true(found);
	return sc;
}

/* ---- a counting notifier and a pinger --------------------------------- */

static int counter_cb(struct scmi_notifier *nb, uint8_t evt_id,
		      const void *report)
{
	struct fx_counter *c = (struct fx_counter *)nb;
	const struct scmi_sensor_update_report *r = report;
	int64_t v = r->readings[0].value;

	if (evt_id != SCMI_EVENT_SENSOR_UPDATE || r->sensor_id != c->sensor ||
	    r->readings_count != 1)
		atomic_fetch_add(&c->out_of_order, 1);
	if (atomic_load(&c->count) == 0)
		atomic_store(&c->first, v);
	else if (v <= atomic_load(&c->last))
		atomic_fetch_add(&c->out_of_order, 1);
	atomic_store(&c->last, v);
	if (c->sleep_us)
		usleep(c->sleep_us);
	atomic_fetch_add(&c->count, 1);
	return SCMI_NOTIFY_OK;
}

void fx_counter_init(struct fx_counter *c, uint32_t sensor,
		     unsigned int sleep_us)
{
	memset(c, 0, sizeof(*c));
	c->nb.cb = counter_cb;
	c->sensor = sensor;
	c->sleep_us = sleep_us;
}

void *fx_pinger_main(void *arg)
{
	struct fx_pinger *p = arg;

	while (!atomic_load(&p->stop)) {
		uint8_t rx[8];
		size_t n = 0;
		uint64_t t0 = sim_now_ns(), dt;
		int r = scmi_agent_xfer(p->a, SCMI_PROTOCOL_BASE, 0x0, NULL, 0,
					rx, sizeof(rx), &n);

		dt = sim_now_ns() - t0;
		p->sent++;
		if (dt > p->max_rtt_ns)
			p->max_rtt_ns = dt;
		if (r == -ETIMEDOUT)
			p->timeouts++;
		else if (r != 0 || n != 4)
			p->errors++;
		usleep(1000);
	}
	return NULL;
}

/* ---- the simulator's log (fx_start_logged()) -------------------------- */

size_t fx_log_size(struct fx *fx)
{
	struct stat st;

	assert_true(fx->log_fd >= 0);
	assert_int_equal(fstat(fx->log_fd, &st), 0);
	return (size_t)st.st_size;
}

char *fx_log_text(struct fx *fx)
{
	assert_true(fx->log_fd >= 0);
	return fx_slurp(fx->log_fd);
}

unsigned int fx_log_count(struct fx *fx, const char *needle)
{
	char *text = fx_log_text(fx), *save = NULL;
	unsigned int n = 0;

	for (char *l = strtok_r(text, "\n", &save); l;
	     l = strtok_r(NULL, "\n", &save))
		n += strstr(l, needle) != NULL;
	free(text);
	return n;
}

/* ---- running a tool ---------------------------------------------------- */

/* Read what @fd has into @buf (@cap bytes, *@len used); *@open false at its end. */
static void drain(int fd, const char *prog, char *buf, size_t cap,
		  size_t *len, bool *open)
{
	ssize_t n = read(fd, buf + *len, cap - 1 - *len);

	if (n > 0) {
		*len += (size_t)n;
	} else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
		*open = false;
	}
	buf[*len] = '\0';
	if (*len == cap - 1)
		fail_msg("%s printed more than %zu bytes", prog, cap - 1);
}

int fx_run_tool(char *const *argv, bool close_stdout, struct fx_run *r)
{
	int po[2], pe[2], status;
	size_t lo = 0, le = 0;
	bool oo = true, eo = true;
	pid_t pid;

	assert_int_equal(pipe2(po, O_CLOEXEC), 0);
	assert_int_equal(pipe2(pe, O_CLOEXEC), 0);
	r->out[0] = r->err[0] = '\0';
	if (close_stdout) {
		close(po[0]);
		oo = false;
	}
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		signal(SIGPIPE, SIG_DFL);
		dup2(po[1], 1);
		dup2(pe[1], 2);
		execv(argv[0], argv);
		_exit(127);
	}
	close(po[1]);
	close(pe[1]);
	while (oo || eo) {
		struct pollfd p[2] = { { .fd = oo ? po[0] : -1, .events = POLLIN },
				       { .fd = eo ? pe[0] : -1, .events = POLLIN } };

		if (poll(p, 2, 10000) <= 0)
			fail_msg("%s: no end in 10 s", argv[0]);
		if (p[0].revents)
			drain(po[0], argv[0], r->out, sizeof(r->out), &lo, &oo);
		if (p[1].revents)
			drain(pe[0], argv[0], r->err, sizeof(r->err), &le, &eo);
	}
	if (!close_stdout)
		close(po[0]);
	close(pe[0]);
	while (waitpid(pid, &status, 0) < 0)
		assert_int_equal(errno, EINTR);
	r->status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	return r->status;
}

/* ---- a directory of the test's own ------------------------------------ */

void fx_dir_make(struct fx_dir *d, const char *tag)
{
	snprintf(d->path, sizeof(d->path), "/tmp/scmi-%s-XXXXXX", tag);
	assert_non_null(mkdtemp(d->path));
}

void fx_dir_file(const struct fx_dir *d, const char *name, char *path,
		 size_t sz)
{
	snprintf(path, sz, "%s/%s", d->path, name);
}

void fx_write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_true(fputs(text, f) >= 0);
	assert_int_equal(fclose(f), 0);
}

void fx_dir_remove(struct fx_dir *d)
{
	char cmd[128];

	/* only a mkdtemp directory of fx_dir_make(), whose name we made */
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", d->path);
	if (strncmp(d->path, "/tmp/scmi-", 10) == 0)
		assert_int_equal(system(cmd), 0);
}

char *fx_slurp(int fd)
{
	size_t len = 0, cap = 4096;
	char *buf = malloc(cap);
	ssize_t n;

	assert_non_null(buf);
	lseek(fd, 0, SEEK_SET);
	while ((n = read(fd, buf + len, cap - len - 1)) > 0) {
		len += (size_t)n;
		if (len + 1 == cap) {
			cap *= 2;
			buf = realloc(buf, cap);
			assert_non_null(buf);
		}
	}
	buf[len] = '\0';
	return buf;
}
