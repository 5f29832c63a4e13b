/* SPDX-License-Identifier: MIT */
/* What the simulator benchmarks share (see bench-common.h). */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench-common.h"
#include "sim-harness.h"

/* ---- the bare ping-pong ---------------------------------------------- */

/* The largest value an eventfd write takes: the child's "stop". */
#define PP_STOP 0xFFFFFFFFFFFFFFFEull

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
	uint64_t v, now;

	for (;;) {
		if (efd_read(pp->ping, &v))
			_exit(1);
		if (v == 1) {                   /* bare: just answer */
			if (efd_write(pp->pong, 1))
				_exit(1);
			continue;
		}
		now = sim_now_ns();
		if (v == PP_STOP)
			_exit(0);
		/* a timestamp: the way here, then one for the way back */
		atomic_store_explicit(pp->child_ns, now - v,
				      memory_order_relaxed);
		if (efd_write(pp->pong, sim_now_ns()))
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
	shm = mmap(NULL, sizeof(*pp->child_ns), PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shm == MAP_FAILED)
		return -1;
	pp->child_ns = shm;
	atomic_init(pp->child_ns, 0);
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
	if (pp->child_ns)
		munmap((void *)pp->child_ns, sizeof(*pp->child_ns));
	pp->child_ns = NULL;
}

int bench_pp_rtt(struct bench_pp *pp, uint64_t *ns)
{
	uint64_t t0 = sim_now_ns(), v;

	if (efd_write(pp->ping, 1) || efd_read(pp->pong, &v))
		return -1;
	*ns = sim_now_ns() - t0;
	return 0;
}

int bench_pp_oneway(struct bench_pp *pp, uint64_t *ping_ns, uint64_t *pong_ns)
{
	uint64_t v, now;

	if (efd_write(pp->ping, sim_now_ns()) || efd_read(pp->pong, &v))
		return -1;
	now = sim_now_ns();
	/* the child stored its figure before it wrote the pong we read */
	*ping_ns = atomic_load_explicit(pp->child_ns, memory_order_relaxed);
	*pong_ns = now - v;
	return 0;
}

double bench_pp_rate(struct bench_pp *pp, unsigned int n)
{
	uint64_t t0 = sim_now_ns(), t1, v;

	for (unsigned int i = 0; i < n; i++)
		if (efd_write(pp->ping, 1) || efd_read(pp->pong, &v))
			return -1;
	t1 = sim_now_ns();
	return t1 > t0 ? (double)n * 1e9 / (double)(t1 - t0) : -1;
}

int bench_pp_reference(int parent_cpu, int child_cpu, unsigned int n,
		       struct bench_pp_ref *ref)
{
	struct bench_pp pp = BENCH_PP_INIT;
	uint64_t *ns = calloc(2 * (size_t)n, sizeof(*ns));
	cpu_set_t saved;
	int ret = -1;

	if (!ns || sched_getaffinity(0, sizeof(saved), &saved) < 0) {
		free(ns);
		return -1;
	}
	pp.child_cpu = child_cpu;
	if (bench_pin(0, parent_cpu) || bench_pp_start(&pp))
		goto out;
	for (unsigned int i = 0; i < n / 10; i++)
		if (bench_pp_oneway(&pp, &ns[0], &ns[1]))
			goto out;
	for (unsigned int i = 0; i < n; i++)
		if (bench_pp_oneway(&pp, &ns[2 * i], &ns[2 * i + 1]))
			goto out;
	bench_sort_u64(ns, 2 * (size_t)n);
	ref->oneway_p50 = bench_percentile(ns, 2 * (size_t)n, 0.50);
	ref->oneway_p99 = bench_percentile(ns, 2 * (size_t)n, 0.99);
	ref->rate = bench_pp_rate(&pp, n);
	ret = ref->rate > 0 ? 0 : -1;
out:
	bench_pp_stop(&pp);
	sched_setaffinity(0, sizeof(saved), &saved);
	free(ns);
	return ret;
}

/* ---- CPUs ------------------------------------------------------------ */

int bench_pin(pid_t pid, int cpu)
{
	cpu_set_t cs;

	if (cpu < 0)
		return 0;
	CPU_ZERO(&cs);
	CPU_SET(cpu, &cs);
	return sched_setaffinity(pid, sizeof(cs), &cs) < 0 ? -1 : 0;
}

int bench_cpus(int *first, int *second)
{
	cpu_set_t cs;
	int n = 0;

	*first = *second = -1;
	if (sched_getaffinity(0, sizeof(cs), &cs) < 0)
		return 0;
	for (int c = 0; c < CPU_SETSIZE && n < 2; c++) {
		if (!CPU_ISSET(c, &cs))
			continue;
		if (n++ == 0)
			*first = c;
		else
			*second = c;
	}
	return n;
}

int bench_pin_request(int *platform_cpu, int *agent_cpu)
{
	const char *s = getenv("SCMI_BENCH_PIN");

	*platform_cpu = *agent_cpu = -1;
	if (!s || !*s)
		return 0;
	if (sscanf(s, "%d,%d", platform_cpu, agent_cpu) != 2 ||
	    *platform_cpu < 0 || *agent_cpu < 0 ||
	    *platform_cpu >= CPU_SETSIZE || *agent_cpu >= CPU_SETSIZE) {
		fprintf(stderr, "SCMI_BENCH_PIN / --pin: '%s' is not CPU,CPU\n", s);
		*platform_cpu = *agent_cpu = -1;
		return -1;
	}
	return 1;
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

int bench_main(int argc, char **argv, const char *bench,
	       const struct bench_metric *metrics, size_t num_metrics)
{
	const char *name = bench;
	int ret = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--sim") && i + 1 < argc) {
			setenv("SCMI_SIM", argv[++i], 1);
		} else if (!strcmp(argv[i], "--pin") && i + 1 < argc) {
			setenv("SCMI_BENCH_PIN", argv[++i], 1);
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fprintf(stderr,
				"usage: bench-%s [--sim PATH] [--pin PLATFORM_CPU,AGENT_CPU]\n"
				"       [%s|--list|METRIC]\n", bench, bench);
			return 0;
		} else {
			name = argv[i];
		}
	}
	signal(SIGPIPE, SIG_IGN);
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
