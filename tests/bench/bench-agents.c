/* SPDX-License-Identifier: MIT */
/* The agent process and the driver's handle on it (see bench-agents.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/futex.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <scmi/agent.h>
#include <scmi/sensor.h>
#include <scmi/util.h>
#include <scmi/wire.h>

#include "bench-agents.h"
#include "sim-harness.h"

#define CMD_TIMEOUT_MS 1000u
#define SETUP_WAIT_MS 30000
#define MAX_TRIPS 2u
#define EVENT_WAIT_MS 2000u
#define SETTLE_MAX 100000u     /* pauses after an event, at most */

/* ---- in the agent process -------------------------------------------- */

struct one {
	struct scmi_agent *agent;
	struct scmi_notifier nb_lat;         /* the latency sensor's updates */
	struct scmi_notifier nb_rate;        /* the rate sensor's updates */
	struct scmi_notifier nb_trip;        /* and its trip points */
	struct bench_rec *rec;
};

static void atomic_min_u64(_Atomic uint64_t *v, uint64_t x)
{
	uint64_t old = atomic_load_explicit(v, memory_order_relaxed);

	while (x < old && !atomic_compare_exchange_weak(v, &old, x))
		;
}

static void atomic_max_u64(_Atomic uint64_t *v, uint64_t x)
{
	uint64_t old = atomic_load_explicit(v, memory_order_relaxed);

	while (x > old && !atomic_compare_exchange_weak(v, &old, x))
		;
}

static void snap(struct bench_snap *s, uint64_t now)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	s->ns = now;
	s->nvcsw = (uint64_t)ru.ru_nvcsw;
	s->nivcsw = (uint64_t)ru.ru_nivcsw;
}

/* A callback ran at @now: count it, snapshot at a mark, wake the driver. */
static void count(struct bench_rec *r, uint64_t now)
{
	uint32_t c = atomic_fetch_add(&r->delivered, 1) + 1, w;

	atomic_store_explicit(&r->last_cb_ns, now, memory_order_relaxed);
	if (c == atomic_load_explicit(&r->mark_a, memory_order_relaxed))
		snap(&r->snap_a, now);
	if (c == atomic_load_explicit(&r->mark_b, memory_order_relaxed))
		snap(&r->snap_b, now);
	/* the driver sets wait_for, then looks at delivered: seq_cst both */
	w = atomic_load(&r->wait_for);
	if (w && c >= w && atomic_exchange(&r->wait_for, 0))
		syscall(SYS_futex, &r->delivered, FUTEX_WAKE, INT_MAX, NULL,
			NULL, 0);
}

static int on_lat(struct scmi_notifier *nb, uint8_t evt_id, const void *report)
{
	uint64_t now = sim_now_ns();
	struct one *o = scmi_container_of(nb, struct one, nb_lat);
	const struct scmi_sensor_update_report *u = report;
	struct bench_rec *r = o->rec;
	uint64_t post = u->readings_count ? u->readings[0].timestamp : 0;

	if (!post || post > now) {
		atomic_fetch_add(&r->bad, 1);
	} else {
		atomic_min_u64(&r->first_ns, now - post);
		atomic_max_u64(&r->last_ns, now - post);
		/* the library may stamp the receive before it saw the message */
		if (u->timestamp < post)
			atomic_fetch_add(&r->rx_early, 1);
		else
			atomic_max_u64(&r->rx_ns, u->timestamp - post);
	}
	count(r, now);
	return SCMI_NOTIFY_OK;
}

static int on_rate(struct scmi_notifier *nb, uint8_t evt_id,
		   const void *report)
{
	uint64_t now = sim_now_ns();

	count(scmi_container_of(nb, struct one, nb_rate)->rec, now);
	return SCMI_NOTIFY_OK;
}

static int on_trip(struct scmi_notifier *nb, uint8_t evt_id,
		   const void *report)
{
	uint64_t now = sim_now_ns();

	count(scmi_container_of(nb, struct one, nb_trip)->rec, now);
	return SCMI_NOTIFY_OK;
}

static int subscribe(struct one *o, uint8_t evt, uint32_t src,
		     struct scmi_notifier *nb,
		     int (*cb)(struct scmi_notifier *, uint8_t, const void *))
{
	int ret;

	nb->cb = cb;
	ret = scmi_event_notifier_register(scmi_agent_notify(o->agent),
					   SCMI_PROTOCOL_SENSOR, evt, &src, nb);
	if (ret)
		fprintf(stderr, "bench: register sensor %u event %u: %s\n",
			src, evt, strerror(-ret));
	return ret;
}

/* The latency sensor enabled and timestamped; the rate sensor and its trips. */
static int configure(struct scmi_agent *a, const struct bench_agents_cfg *cfg,
		     unsigned int *trips)
{
	struct scmi_sensor_info info;
	int ret;

	ret = scmi_sensor_info_get(a, cfg->lat_sensor, &info);
	if (ret || !info.update_notify || !info.timestamped) {
		fprintf(stderr, "bench: sensor %u: %s\n", cfg->lat_sensor,
			ret ? strerror(-ret) : "no SENSOR_UPDATE or no timestamps");
		return ret ? ret : -EOPNOTSUPP;
	}
	ret = scmi_sensor_config_set(a, cfg->lat_sensor,
				     SCMI_SENSOR_CONFIG(0, 0,
					SCMI_SENSOR_CONFIG_ENABLE |
					SCMI_SENSOR_CONFIG_TIMESTAMP));
	if (ret || !cfg->rate)
		return ret;
	ret = scmi_sensor_info_get(a, cfg->rate_sensor, &info);
	if (ret || !info.update_notify)
		return ret ? ret : -EOPNOTSUPP;
	ret = scmi_sensor_config_set(a, cfg->rate_sensor,
				     SCMI_SENSOR_CONFIG(0, 0,
					SCMI_SENSOR_CONFIG_ENABLE));
	*trips = info.num_trip_points < MAX_TRIPS ? info.num_trip_points :
						    MAX_TRIPS;
	for (unsigned int t = 0; t < *trips && !ret; t++)
		ret = scmi_sensor_trip_point_config(a, cfg->rate_sensor, t,
						    SCMI_SENSOR_TRIP_BOTH,
						    cfg->rate_trip);
	return ret;
}

static int setup(struct one *ag, const struct bench_agents_cfg *cfg)
{
	struct scmi_agent_config acfg = {
		.timeout_ms = CMD_TIMEOUT_MS,
		.event_loop = cfg->mode == BENCH_EVENT_LOOP,
	};
	unsigned int trips = 0;
	int ret;

	for (unsigned int i = 0; i < cfg->n; i++) {
		ret = scmi_agent_create(&ag[i].agent, &acfg);
		if (!ret)
			ret = scmi_agent_connect(ag[i].agent, cfg->sock);
		if (ret) {
			fprintf(stderr, "bench: agent %u of %u: connect: %s\n",
				i + 1, cfg->n, strerror(-ret));
			return ret;
		}
	}
	ret = configure(ag[0].agent, cfg, &trips);
	if (ret) {
		fprintf(stderr, "bench: configure the sensors: %s\n", strerror(-ret));
		return ret;
	}
	if (cfg->rate) {
		ag[0].rec->per_rate_req = 1 + trips;
		ret = subscribe(&ag[0], SCMI_EVENT_SENSOR_UPDATE,
				cfg->rate_sensor, &ag[0].nb_rate, on_rate);
		if (!ret && trips)
			ret = subscribe(&ag[0], SCMI_EVENT_SENSOR_TRIP_POINT_EVENT,
					cfg->rate_sensor, &ag[0].nb_trip,
					on_trip);
	}
	for (unsigned int i = 0; i < cfg->n && !ret; i++)
		ret = subscribe(&ag[i], SCMI_EVENT_SENSOR_UPDATE,
				cfg->lat_sensor, &ag[i].nb_lat, on_lat);
	return ret;
}

/* The threads of this process; -1 if one may run elsewhere than @cpu. */
static int count_threads(int cpu)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *de;
	int n = 0;

	if (!d)
		return -1;
	while ((de = readdir(d))) {
		cpu_set_t cs;

		if (de->d_name[0] == '.')
			continue;
		if (sched_getaffinity((pid_t)atoi(de->d_name), sizeof(cs), &cs) < 0 ||
		    CPU_COUNT(&cs) != 1 || !CPU_ISSET(cpu, &cs)) {
			n = -1;
			break;
		}
		n++;
	}
	closedir(d);
	return n;
}

/* What the agents dropped: the notify cores' and the transports'. */
static uint64_t dropped(const struct one *ag, unsigned int n)
{
	uint64_t sum = 0;

	for (unsigned int i = 0; i < n; i++) {
		struct scmi_notify_stats st = { 0 };
		struct scmi_agent_stats ast = { 0 };

		scmi_notify_get_stats(scmi_agent_notify(ag[i].agent),
				      SCMI_PROTOCOL_SENSOR, &st);
		scmi_agent_get_stats(ag[i].agent, &ast);
		sum += st.dropped_invalid + st.dropped_full +
		       st.dropped_report + ast.notify_refused;
	}
	return sum;
}

/*
 * One request of the driver on @sock (a byte: take snap_end and the
 * drops, then answer). Returns false when the driver closed it (or it
 * failed).
 */
static bool serve(const struct one *ag, unsigned int n, int sock)
{
	char cmd, ok = 1;

	if (read(sock, &cmd, 1) != 1)
		return false;
	snap(&ag[0].rec->snap_end, sim_now_ns());
	ag[0].rec->dropped = dropped(ag, n);
	return write(sock, &ok, 1) == 1;
}

/* Event loop: one poll() over every agent's fd and the driver's socket. */
static void run_loop(struct one *ag, unsigned int n, int sock)
{
	struct pollfd *pfd = calloc(n + 1, sizeof(*pfd));
	uint64_t *due = calloc(n, sizeof(*due));

	if (!pfd || !due)
		goto out;
	for (unsigned int i = 0; i < n; i++) {
		pfd[i].fd = scmi_agent_get_fd(ag[i].agent);
		pfd[i].events = POLLIN;
		scmi_agent_get_timeout(ag[i].agent, &due[i]);
	}
	pfd[n].fd = sock;
	pfd[n].events = POLLIN;
	for (;;) {
		uint64_t next = UINT64_MAX, now_us = 0;
		int timeout = -1;

		for (unsigned int i = 0; i < n; i++)
			if (due[i] < next)
				next = due[i];
		if (next != UINT64_MAX) {
			uint64_t ms;

			now_us = sim_now_ns() / 1000;
			ms = next <= now_us ? 0 : (next - now_us + 999) / 1000;
			timeout = ms > INT_MAX ? INT_MAX : (int)ms;
		}
		if (poll(pfd, n + 1, timeout) < 0 && errno != EINTR)
			break;
		if (pfd[n].revents && !serve(ag, n, sock))
			break; /* the driver is done (or gone) */
		if (next != UINT64_MAX)
			now_us = sim_now_ns() / 1000;
		for (unsigned int i = 0; i < n; i++) {
			if (!(pfd[i].revents & POLLIN) &&
			    (next == UINT64_MAX || due[i] > now_us))
				continue;
			scmi_agent_dispatch(ag[i].agent);
			scmi_agent_get_timeout(ag[i].agent, &due[i]);
		}
	}
out:
	free(pfd);
	free(due);
}

static _Noreturn void agents_main(const struct bench_agents_cfg *cfg,
				  struct bench_rec *rec, int sock)
{
	struct one *ag = calloc(cfg->n, sizeof(*ag));
	char ok = 1;
	int threads;

	if (!ag) {
		rec->status = -ENOMEM;
		goto out;
	}
	if (bench_pin(0, cfg->cpu)) {
		rec->status = -errno;
		goto out;
	}
	for (unsigned int i = 0; i < cfg->n; i++)
		ag[i].rec = rec;
	rec->status = setup(ag, cfg);
	threads = count_threads(cfg->cpu);
	if (!rec->status && threads < 0) {
		fprintf(stderr, "bench: a thread of the agent process is not on CPU %d alone\n",
			cfg->cpu);
		rec->status = -EINVAL;
	}
	rec->threads = threads < 0 ? 0 : (unsigned int)threads;
	if (write(sock, &ok, 1) != 1 || rec->status)
		goto out;
	if (cfg->mode == BENCH_EVENT_LOOP)
		run_loop(ag, cfg->n, sock);
	else
		while (serve(ag, cfg->n, sock))
			;
out:
	for (unsigned int i = 0; ag && i < cfg->n; i++)
		scmi_agent_destroy(ag[i].agent);
	free(ag);
	_exit(rec->status ? 1 : 0);
}

/* ---- in the driver --------------------------------------------------- */

int bench_rig_start(struct bench_rig *r, const char *const *sim_args,
		    const struct bench_place *place)
{
	struct bench_pp pp = BENCH_PP_INIT;
	struct bench_ctl ctl = BENCH_CTL_INIT;
	struct bench_agents ap = BENCH_AGENTS_INIT;

	r->pp = pp;
	r->ctl = ctl;
	r->ap = ap;
	if (sim_start(&r->sim, sim_args)) {
		fprintf(stderr, "bench: cannot start %s\n", sim_exe());
		return -1;
	}
	r->pp.child_cpu = place->agent_cpu;
	if (bench_pin(r->sim.pid, place->platform_cpu) ||
	    bench_pin(0, place->platform_cpu)) {
		perror("bench: sched_setaffinity");
		return -1;
	}
	return bench_pp_start(&r->pp) || bench_ctl_open(&r->ctl, r->sim.sock) ?
		       -1 : 0;
}

void bench_rig_stop(struct bench_rig *r)
{
	bench_agents_stop(&r->ap);
	bench_ctl_close(&r->ctl);
	bench_pp_stop(&r->pp);
	sim_stop(&r->sim);
}

/* Open the /proc stat file of each thread of the agent process. */
static int open_tasks(struct bench_agents *ap)
{
	char path[320];
	struct dirent *de;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)ap->pid);
	d = opendir(path);
	if (!d)
		return -1;
	while ((de = readdir(d))) {
		int *more, fd;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task/%s/stat",
			 (int)ap->pid, de->d_name);
		more = realloc(ap->task_stat,
			       (ap->num_tasks + 1) * sizeof(*more));
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (!more || fd < 0) {
			if (more)
				ap->task_stat = more;
			closedir(d);
			return -1;
		}
		ap->task_stat = more;
		ap->task_stat[ap->num_tasks++] = fd;
	}
	closedir(d);
	return 0;
}

/* Whether every thread of the agent process sleeps (state S or D). */
static bool tasks_asleep(const struct bench_agents *ap)
{
	for (unsigned int i = 0; i < ap->num_tasks; i++) {
		char buf[256];
		ssize_t n = pread(ap->task_stat[i], buf, sizeof(buf) - 1, 0);
		const char *p;

		if (n <= 0)
			return false;
		buf[n] = '\0';
		/* "TID (COMM) STATE ...": COMM may hold anything, ')' too */
		p = strrchr(buf, ')');
		if (!p || p[1] != ' ' || (p[2] != 'S' && p[2] != 'D'))
			return false;
	}
	return true;
}

int bench_agents_start(struct bench_agents *ap,
		       const struct bench_agents_cfg *cfg)
{
	pid_t parent = getpid();
	struct pollfd pfd;
	int sv[2];
	void *shm;
	char ok;

	ap->pid = -1;
	ap->sock = -1;
	ap->n = cfg->n;
	shm = mmap(NULL, sizeof(*ap->rec), PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shm == MAP_FAILED) {
		ap->rec = NULL;
		return -1;
	}
	ap->rec = shm;
	memset(ap->rec, 0, sizeof(*ap->rec));
	atomic_init(&ap->rec->first_ns, UINT64_MAX);
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return -1;
	fflush(NULL);
	ap->pid = fork();
	if (ap->pid == 0) {
		close(sv[0]);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(1);
		agents_main(cfg, ap->rec, sv[1]);
	}
	close(sv[1]);
	ap->sock = sv[0];
	if (ap->pid < 0)
		return -1;
	pfd.fd = ap->sock;
	pfd.events = POLLIN;
	if (poll(&pfd, 1, SETUP_WAIT_MS) != 1 || read(ap->sock, &ok, 1) != 1 ||
	    ap->rec->status) {
		fprintf(stderr, "bench: the agent process (%u %s agents) did not set up\n",
			cfg->n, bench_mode_name(cfg->mode));
		return -1;
	}
	if (open_tasks(ap)) {
		perror("bench: the agent process's threads");
		return -1;
	}
	return 0;
}

void bench_agents_stop(struct bench_agents *ap)
{
	if (ap->sock >= 0)
		close(ap->sock);
	ap->sock = -1;
	if (ap->pid > 0) {
		kill(ap->pid, SIGCONT);
		while (waitpid(ap->pid, NULL, 0) < 0 && errno == EINTR)
			;
	}
	ap->pid = -1;
	for (unsigned int i = 0; i < ap->num_tasks; i++)
		close(ap->task_stat[i]);
	free(ap->task_stat);
	ap->task_stat = NULL;
	ap->num_tasks = 0;
	if (ap->rec)
		munmap(ap->rec, sizeof(*ap->rec));
	ap->rec = NULL;
}

int bench_agents_wait(struct bench_agents *ap, uint32_t target,
		      unsigned int ms)
{
	struct bench_rec *r = ap->rec;
	uint64_t end = sim_now_ns() + (uint64_t)ms * 1000000u;

	atomic_store(&r->wait_for, target);
	for (;;) {
		uint32_t d = atomic_load(&r->delivered);
		uint64_t now = sim_now_ns(), left;
		struct timespec ts;

		if (d >= target)
			break;
		if (now >= end) {
			atomic_store(&r->wait_for, 0);
			return -1;
		}
		left = end - now;
		ts.tv_sec = (time_t)(left / 1000000000u);
		ts.tv_nsec = (long)(left % 1000000000u);
		syscall(SYS_futex, &r->delivered, FUTEX_WAIT, d, &ts, NULL, 0);
	}
	atomic_store(&r->wait_for, 0);
	return 0;
}

uint32_t bench_agents_drain(struct bench_agents *ap, uint32_t target,
			    unsigned int quiet_ms)
{
	uint32_t seen = atomic_load(&ap->rec->delivered);

	while (bench_agents_wait(ap, target, quiet_ms)) {
		uint32_t now = atomic_load(&ap->rec->delivered);

		if (now == seen)
			break;
		seen = now;
	}
	return atomic_load(&ap->rec->delivered);
}

int bench_agents_snapshot(struct bench_agents *ap)
{
	char cmd = 's', ok;
	struct pollfd pfd = { .fd = ap->sock, .events = POLLIN };

	if (write(ap->sock, &cmd, 1) != 1 ||
	    poll(&pfd, 1, EVENT_WAIT_MS) != 1 || read(ap->sock, &ok, 1) != 1) {
		fprintf(stderr, "bench: the agent process did not answer\n");
		return -1;
	}
	return 0;
}

int bench_agents_event(struct bench_agents *ap, struct bench_ctl *c,
		       struct bench_toggle *t, unsigned int per_event,
		       uint64_t gap_ns)
{
	struct bench_rec *r = ap->rec;
	uint32_t target = atomic_load(&r->delivered) + per_event;

	atomic_store(&r->first_ns, UINT64_MAX);
	atomic_store(&r->last_ns, 0);
	atomic_store(&r->rx_ns, 0);
	if (bench_toggle_send(c, t))
		return -1;
	if (bench_agents_wait(ap, target, EVENT_WAIT_MS)) {
		fprintf(stderr, "bench: %u of %u callbacks after %u ms\n",
			atomic_load(&r->delivered), target, EVENT_WAIT_MS);
		return -1;
	}
	bench_pause_ns(gap_ns);
	for (unsigned int i = 0; !tasks_asleep(ap); i++) {
		if (i == SETTLE_MAX) {
			fprintf(stderr, "bench: the agent process still busy %u pauses after an event\n",
				i);
			return -1;
		}
		ap->settle_pauses++;
		bench_pause_ns(gap_ns);
	}
	return bench_ctl_recv(c, NULL, 0);
}

/* @n events; their times into @s from index *@at on (NULL: not kept). */
static int events(struct bench_agents *ap, struct bench_ctl *c,
		  struct bench_toggle *t, unsigned int n, uint64_t gap_ns,
		  struct bench_series *s, size_t *at)
{
	struct bench_rec *r = ap->rec;

	for (unsigned int i = 0; i < n; i++) {
		if (bench_agents_event(ap, c, t, ap->n, gap_ns))
			return -1;
		if (!at)
			continue;
		if (s->last_ns)
			s->last_ns[*at] = atomic_load(&r->last_ns);
		if (s->first_ns)
			s->first_ns[*at] = atomic_load(&r->first_ns);
		if (s->rx_ns)
			s->rx_ns[*at] = atomic_load(&r->rx_ns);
		(*at)++;
	}
	return 0;
}

/* @n bare one-ways, paced as the events; into @base from *@at (or not). */
static int oneways(struct bench_pp *pp, unsigned int n, uint64_t gap_ns,
		   uint64_t *base, size_t *at)
{
	uint64_t ns;

	for (unsigned int i = 0; i < n; i++) {
		if (bench_pp_oneway(pp, gap_ns, &ns))
			return -1;
		if (at)
			base[(*at)++] = ns;
	}
	return 0;
}

int bench_agents_series(struct bench_rig *rig, struct bench_toggle *t,
			unsigned int samples, unsigned int blocks,
			uint64_t gap_ns, struct bench_series *s)
{
	struct bench_agents *ap = &rig->ap;
	struct bench_ctl *c = &rig->ctl;
	struct bench_pp *pp = &rig->pp;
	pid_t sim_pid = rig->sim.pid;
	struct bench_rec *r = ap->rec;
	unsigned int per_block = samples / blocks;
	uint64_t pp0, pp1, sim0 = 0, sim1 = 0;
	size_t n = 0, nb = 0;
	uint32_t first;

	if (events(ap, c, t, samples / 10, gap_ns, s, NULL) ||
	    oneways(pp, samples / 10, gap_ns, NULL, NULL))
		return -1;
	first = atomic_load(&r->delivered) + 1;
	memset(&r->snap_a, 0, sizeof(r->snap_a));
	memset(&r->snap_b, 0, sizeof(r->snap_b));
	atomic_store(&r->mark_a, first);
	atomic_store(&r->mark_b, first + per_block * blocks * ap->n - 1);
	if (bench_pp_child_switches(pp, &pp0))
		return -1;
	bench_proc_switches(sim_pid, &sim0);
	for (unsigned int b = 0; b < blocks; b++)
		if (oneways(pp, per_block, gap_ns, s->base_ns, &nb) ||
		    events(ap, c, t, per_block, gap_ns, s, &n))
			return -1;
	bench_proc_switches(sim_pid, &sim1);
	if (bench_pp_child_switches(pp, &pp1))
		return -1;
	s->n = n;
	s->wakeups = bench_snap_switches(r, (double)(n - 1));
	s->involuntary = (double)(r->snap_b.nivcsw - r->snap_a.nivcsw) /
			 (double)(n - 1);
	s->base_wakeups = (double)(pp1 - pp0) / (double)nb;
	s->sim_wakeups = (double)(sim1 - sim0) / (double)n;
	if (s->wakeups < 0) {
		fprintf(stderr, "bench: a switch snapshot is missing\n");
		return -1;
	}
	return 0;
}

int bench_agents_pause(struct bench_agents *ap)
{
	int st;

	if (kill(ap->pid, SIGSTOP) < 0)
		return -1;
	while (waitpid(ap->pid, &st, WUNTRACED) < 0)
		if (errno != EINTR)
			return -1;
	return WIFSTOPPED(st) ? 0 : -1;
}

int bench_agents_resume(struct bench_agents *ap)
{
	return kill(ap->pid, SIGCONT) < 0 ? -1 : 0;
}

double bench_snap_switches(const struct bench_rec *r, double events)
{
	if (!r->snap_a.ns || !r->snap_b.ns || events <= 0)
		return -1;
	return (double)(r->snap_b.nvcsw - r->snap_a.nvcsw) / events;
}
