/* SPDX-License-Identifier: MIT */
/* What the simulator benchmarks share (see bench-common.h). */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench-common.h"
#include "sim-harness.h"

/* ---- the bare ping-pong ---------------------------------------------- */

/*
 * What the parent writes: PP_RTT (answer at once), PP_REPORT (store the
 * child's context switches, then answer), PP_STOP (the largest value an
 * eventfd write takes), or a CLOCK_MONOTONIC time (store the one-way time,
 * then answer).
 */
#define PP_RTT 1ull
#define PP_REPORT 2ull
#define PP_STOP 0xFFFFFFFFFFFFFFFEull

struct bench_pp_shared {
	_Atomic uint64_t oneway_ns;   /* the last one-way time */
	_Atomic uint64_t nvcsw;       /* the child's, at the last PP_REPORT */
};

static int efd_write(int fd, uint64_t v)
{
	return write(fd, &v, sizeof(v)) == (ssize_t)sizeof(v) ? 0 : -1;
}

static int efd_read(int fd, uint64_t *v)
{
	return read(fd, v, sizeof(*v)) == (ssize_t)sizeof(*v) ? 0 : -1;
}

static _Noreturn void pp_child(struct bench_pp *pp)
{
	struct rusage ru;
	uint64_t v, now;

	for (;;) {
		if (efd_read(pp->ping, &v))
			_exit(1);
		if (v == PP_STOP)
			_exit(0);
		if (v == PP_REPORT) {
			getrusage(RUSAGE_SELF, &ru);
			atomic_store(&pp->sh->nvcsw, (uint64_t)ru.ru_nvcsw);
		} else if (v != PP_RTT) {
			now = sim_now_ns();
			atomic_store_explicit(&pp->sh->oneway_ns, now - v,
					      memory_order_relaxed);
		}
		if (efd_write(pp->pong, 1))
			_exit(1);
	}
}

int bench_pp_start(struct bench_pp *pp)
{
	pid_t parent = getpid();
	void *shm;

	pp->pid = -1;
	pp->ping = eventfd(0, EFD_CLOEXEC);
	pp->pong = eventfd(0, EFD_CLOEXEC);
	if (pp->ping < 0 || pp->pong < 0)
		return -1;
	shm = mmap(NULL, sizeof(*pp->sh), PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shm == MAP_FAILED)
		return -1;
	pp->sh = shm;
	atomic_init(&pp->sh->oneway_ns, 0);
	atomic_init(&pp->sh->nvcsw, 0);
	fflush(NULL);
	pp->pid = fork();
	if (pp->pid < 0)
		return -1;
	if (pp->pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(1);
		if (pp->child_cpu >= 0 && bench_pin(0, pp->child_cpu))
			_exit(1);
		pp_child(pp);
	}
	return 0;
}

void bench_pp_stop(struct bench_pp *pp)
{
	if (pp->pid > 0) {
		efd_write(pp->ping, PP_STOP);
		while (waitpid(pp->pid, NULL, 0) < 0 && errno == EINTR)
			;
	}
	pp->pid = -1;
	if (pp->ping >= 0)
		close(pp->ping);
	if (pp->pong >= 0)
		close(pp->pong);
	pp->ping = pp->pong = -1;
	if (pp->sh)
		munmap(pp->sh, sizeof(*pp->sh));
	pp->sh = NULL;
}

int bench_pp_rtt(struct bench_pp *pp, uint64_t *ns)
{
	uint64_t t0 = sim_now_ns(), v;

	if (efd_write(pp->ping, PP_RTT) || efd_read(pp->pong, &v))
		return -1;
	*ns = sim_now_ns() - t0;
	return 0;
}

int bench_pp_oneway(struct bench_pp *pp, uint64_t gap_ns, uint64_t *ns)
{
	uint64_t v;

	if (gap_ns)
		bench_pause_ns(gap_ns);
	if (efd_write(pp->ping, sim_now_ns()) || efd_read(pp->pong, &v))
		return -1;
	/* the child stored its figure before it wrote the pong we read */
	*ns = atomic_load_explicit(&pp->sh->oneway_ns, memory_order_relaxed);
	return 0;
}

double bench_pp_rate(struct bench_pp *pp, unsigned int n)
{
	uint64_t t0 = sim_now_ns(), t1, v;

	for (unsigned int i = 0; i < n; i++)
		if (efd_write(pp->ping, PP_RTT) || efd_read(pp->pong, &v))
			return -1;
	t1 = sim_now_ns();
	return t1 > t0 ? (double)n * 1e9 / (double)(t1 - t0) : -1;
}

int bench_pp_child_switches(struct bench_pp *pp, uint64_t *nvcsw)
{
	uint64_t v;

	if (efd_write(pp->ping, PP_REPORT) || efd_read(pp->pong, &v))
		return -1;
	*nvcsw = atomic_load(&pp->sh->nvcsw);
	return 0;
}

void bench_pause_ns(uint64_t ns)
{
	struct timespec ts = {
		.tv_sec = (time_t)(ns / 1000000000u),
		.tv_nsec = (long)(ns % 1000000000u),
	};

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* ---- processes ------------------------------------------------------ */

int bench_proc_switches(pid_t pid, uint64_t *nvcsw)
{
	char path[64], line[128];
	unsigned long long v;
	int ret = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "voluntary_ctxt_switches: %llu", &v) == 1) {
			*nvcsw = v;
			ret = 0;
			break;
		}
	fclose(f);
	return ret;
}

/* ---- numbers --------------------------------------------------------- */

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

void bench_sort_u64(uint64_t *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_u64);
}

uint64_t bench_percentile(const uint64_t *sorted, size_t n, double p)
{
	size_t i = (size_t)(p * (double)(n - 1) + 0.5);

	return n ? sorted[i < n ? i : n - 1] : 0;
}

double bench_median(double *v, size_t n)
{
	if (!n)
		return 0;
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

double bench_loadavg(void)
{
	double l = -1;
	FILE *f = fopen("/proc/loadavg", "re");

	if (f) {
		if (fscanf(f, "%lf", &l) != 1)
			l = -1;
		fclose(f);
	}
	return l;
}

/* ---- the program ----------------------------------------------------- */

int bench_matrix(int *state, const char *bench,
		 int (*fn)(void *arg, const struct bench_place *place,
			   enum bench_mode mode),
		 void *arg)
{
	struct bench_place places[2];
	enum bench_mode modes[2];
	size_t np, nm;

	if (*state)
		return *state < 0 ? -1 : 0;
	*state = -1;
	if (!sim_exe()) {
		fprintf(stderr, "bench-%s: no simulator (--sim PATH or SCMI_SIM)\n",
			bench);
		return -1;
	}
	np = bench_places(places);
	nm = bench_modes(modes);
	for (size_t p = 0; p < np; p++)
		for (size_t m = 0; m < nm; m++)
			if (fn(arg, &places[p], modes[m]))
				return -1;
	*state = np ? 1 : -1;
	return *state < 0 ? -1 : 0;
}

int bench_main(int argc, char **argv, const char *bench,
	       const struct bench_metric *metrics, size_t num_metrics)
{
	const char *name = bench;
	int ret = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--sim") && i + 1 < argc) {
			setenv("SCMI_SIM", argv[++i], 1);
		} else if (!strcmp(argv[i], "--pin") && i + 1 < argc) {
			if (bench_place_only(argv[++i]))
				return 2;
		} else if (!strcmp(argv[i], "--mode") && i + 1 < argc) {
			if (bench_mode_only(argv[++i]))
				return 2;
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fprintf(stderr,
				"usage: bench-%s [--sim PATH] [--pin PLATFORM_CPU,AGENT_CPU]\n"
				"       [--mode threaded|event_loop] [%s|--list|METRIC]\n",
				bench, bench);
			return 0;
		} else {
			name = argv[i];
		}
	}
	signal(SIGPIPE, SIG_IGN);
	/* pauses as long as asked (the default slack is 50 us) */
	prctl(PR_SET_TIMERSLACK, 1UL);
	if (!strcmp(name, "--list")) {
		for (size_t i = 0; i < num_metrics; i++)
			printf("%s\n", metrics[i].name);
		return 0;
	}
	if (!strcmp(name, bench)) {
		for (size_t i = 0; i < num_metrics; i++)
			ret |= metrics[i].run();
		return ret;
	}
	for (size_t i = 0; i < num_metrics; i++)
		if (!strcmp(name, metrics[i].name))
			return metrics[i].run();
	fprintf(stderr, "bench-%s: unknown metric '%s' (try --list)\n", bench,
		name);
	return 2;
}
