/* SPDX-License-Identifier: MIT */
/*
 * bench-core: the benchmark of the notification core (DESIGN.md section 6),
 * through the public API of libscmi-notify.so only.
 *
 * Prints one JSON object per line on stdout (diagnostics go to stderr):
 *
 *   throughput         events/s from scmi_notify() to the callback: one
 *                      producer thread (this one), one notifier on one
 *                      source, 16-byte payloads, worker thread,
 *                      single_producer = true. Baseline: a bare two-thread
 *                      SPSC byte ring of the same size handing the same 16
 *                      bytes to a function pointer through the same wake-up
 *                      as the core's worker (a "kicked" and a "sleeping"
 *                      bit in a word, a futex: libscmi-notify/worker.c).
 *                      ratio = value / baseline. Target (DESIGN.md
 *                      section 6): at least 0.5x the baseline and at least
 *                      2 million events/s, and no lost wake-up. Median of
 *                      3 to 5 runs, interleaved with the baseline's; the
 *                      producer retries -ENOSPC (spin, sched_yield every
 *                      64th retry). In both placements (bench-place.h):
 *                      "placement" P,C puts the producer on CPU P and the
 *                      consumer (the core's worker, the baseline's
 *                      consumer) on CPU C, one CPU then two.
 *   throughput_mp      the same with the default (multi-producer) config,
 *                      against the same baseline.
 *   allocs_per_event   heap allocations per delivered event, counted by
 *                      interposing malloc & co. in this executable, over the
 *                      event phase only (after setup and a warm-up).
 *                      Target: 0.
 *   register_cost      ns per register + unregister pair with 65536 other
 *                      handlers registered (value) vs one (baseline);
 *                      ratio = value / baseline; median of rounds. With one
 *                      other handler the tables exist, so that a pair
 *                      allocates in the baseline what it does in the
 *                      measure ("allocs_per_pair", "baseline_allocs_per_pair":
 *                      counted, and equal for a pass). Target: ratio <= 1.5.
 *   bytes_per_handler  heap bytes per handler (one notifier, one source),
 *                      from mallinfo2() before and after registering 65536.
 *                      Target: at most 256.
 *
 * Usage: bench-core [--pin P,C] [NAME]   NAME: "core" (all, the default)
 *                                        or a metric; --pin: one placement
 *        bench-core --list               the metric names, one a line.
 * Environment (for profiling only): BENCH_CORE_EVENTS (events per
 * throughput run, default 2000000), BENCH_CORE_ALLOC_EVENTS (default
 * 1000000), BENCH_CORE_NO_WATCHDOG (do not repair lost wake-ups: hang).
 *
 * Each line is a JSON object (bench-line.h); "mode" is "threaded" (the
 * core's worker thread) for the event metrics, null for the others.
 *
 * The throughput runs carry a lost wake-up watchdog (see stall_check()):
 * a consumer found asleep in futex() with work queued is woken by hand and
 * counted in "lost_wakeups", so that a wake-up bug shows up as a number
 * instead of a hang.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/futex.h>
#include <malloc.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <scmi/notify.h>

#include "bench-line.h"
#include "bench-place.h"

#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

#define BENCH "core"
#define PAYLD_SZ 16

/* throughput */
#define TP_EVENTS 2000000u
#define TP_WARMUP 50000u
#define TP_REPS_MIN 3         /* runs of each, interleaved ... */
#define TP_REPS_MAX 5         /* ... more while within the time budget */
#define TP_BUDGET_NS 12000000000ull
/* allocs_per_event */
#define AL_EVENTS 1000000u
/* register_cost, bytes_per_handler */
#define MANY 65536u
#define RC_PAIRS 4000u
#define RC_ROUNDS 21
#define MANY_SOURCES 0xFFFFu /* SCMI_MAX_SRC_ID + 1: the most there can be */

/* targets (DESIGN.md section 6) */
#define TGT_TP_RATIO 0.5
#define TGT_TP_VALUE 2e6
#define TGT_RC_RATIO 1.5
#define TGT_BYTES 256.0

/*
 * Event counts; the environment may shrink them for profiling under
 * valgrind or perf (BENCH_CORE_EVENTS, BENCH_CORE_ALLOC_EVENTS).
 */
static unsigned int g_tp_events = TP_EVENTS;
static unsigned int g_al_events = AL_EVENTS;

/* ------------------------------------------------------------------ */
/* heap accounting: malloc & co. interposed, forwarded to glibc's own   */

extern void *__libc_malloc(size_t n);
extern void *__libc_calloc(size_t nmemb, size_t n);
extern void *__libc_realloc(void *p, size_t n);
extern void *__libc_memalign(size_t align, size_t n);
extern void __libc_free(void *p);

static atomic_bool g_counting;        /* count allocations now */
static _Atomic uint64_t g_allocs;     /* allocations while counting */
static _Atomic int64_t g_live_bytes;  /* usable bytes in use, always */

static inline void acct_alloc(void *p, bool count)
{
	if (!p)
		return;
	atomic_fetch_add_explicit(&g_live_bytes,
				  (int64_t)malloc_usable_size(p),
				  memory_order_relaxed);
	if (count && atomic_load_explicit(&g_counting, memory_order_relaxed))
		atomic_fetch_add_explicit(&g_allocs, 1, memory_order_relaxed);
}

static inline void acct_free(void *p)
{
	if (p)
		atomic_fetch_sub_explicit(&g_live_bytes,
					  (int64_t)malloc_usable_size(p),
					  memory_order_relaxed);
}

void *malloc(size_t n)
{
	void *p = __libc_malloc(n);

	acct_alloc(p, true);
	return p;
}

void *calloc(size_t nmemb, size_t n)
{
	void *p = __libc_calloc(nmemb, n);

	acct_alloc(p, true);
	return p;
}

void *realloc(void *old, size_t n)
{
	size_t old_sz = old ? malloc_usable_size(old) : 0;
	void *p = __libc_realloc(old, n);

	if (old && (p || !n))
		atomic_fetch_sub_explicit(&g_live_bytes, (int64_t)old_sz,
					  memory_order_relaxed);
	acct_alloc(p, true);
	return p;
}

void free(void *p)
{
	acct_free(p);
	__libc_free(p);
}

void *memalign(size_t align, size_t n)
{
	void *p = __libc_memalign(align, n);

	acct_alloc(p, true);
	return p;
}

void *aligned_alloc(size_t align, size_t n)
{
	return memalign(align, n);
}

int posix_memalign(void **out, size_t align, size_t n)
{
	void *p;

	if (!align || (align & (align - 1)) || align % sizeof(void *))
		return EINVAL;
	p = memalign(align, n);
	if (!p)
		return ENOMEM;
	*out = p;
	return 0;
}

void *valloc(size_t n)
{
	return memalign((size_t)sysconf(_SC_PAGESIZE), n);
}

/* heap in use per glibc: arena chunks in use plus mmapped chunks */
static int64_t heap_in_use(void)
{
	struct mallinfo2 mi = mallinfo2();

	return (int64_t)(mi.uordblks + mi.hblkhd);
}

/* ------------------------------------------------------------------ */
/* helpers                                                             */

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "bench-core: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ __volatile__("yield");
#endif
}

/* what a producer does when the queue is full: spin, then yield */
static inline void full_backoff(uint64_t *retries)
{
	if (++*retries % 64 == 0)
		sched_yield();
	else
		cpu_relax();
}

/*
 * Lost wake-up watchdog. The consumer (the core's worker, or the baseline's
 * consumer thread) sleeps in futex() on its wake-up word. If it is asleep
 * there (state S, in FUTEX_WAIT) while work is queued (the producer gets
 * -ENOSPC, or events are still undelivered) and no progress was made for
 * STALL_NS, seen so twice STALL_NS / 2 apart, the wake-up was lost: the
 * consumer would sleep forever. Wake the address it sleeps on ourselves
 * (read from /proc/self/task/TID/syscall) so the run can finish, count
 * it, and account the dead time. Any count above zero is a bug in the
 * wake-up protocol, not noise: a merely slow or preempted consumer is
 * runnable (state R), not asleep.
 */
#define STALL_NS 2000000ull /* 2 ms without progress */

struct stall_watch {
	pid_t tid;             /* the consumer thread, 0 = unknown */
	uint64_t last;         /* progress counter at the last change */
	uint64_t since_ns;     /* when it last changed */
	uint64_t suspect_ns;   /* first seen asleep with work queued, or 0 */
	unsigned int rescues;  /* lost wake-ups found and repaired */
	uint64_t stalled_ns;   /* time lost to them (last progress to rescue) */
};

/* The first line of /proc/self/task/@tid/@file into @buf; its length or 0. */
static size_t read_task_file(pid_t tid, const char *file, char *buf,
			     size_t cap)
{
	char path[64];
	ssize_t n;
	int fd;

	/* plain syscalls: no stdio, so no heap use while allocs are counted */
	snprintf(path, sizeof(path), "/proc/self/task/%d/%s", (int)tid, file);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, cap - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	return (size_t)n;
}

/*
 * Whether thread @tid of this process sleeps (state S) in a futex wait;
 * then the address it waits on and whether the futex is private.
 */
static bool thread_futex_wait(pid_t tid, unsigned long *uaddr, bool *private)
{
	unsigned long op;
	char buf[256];
	const char *st;
	long nr;

	if (!read_task_file(tid, "stat", buf, sizeof(buf)))
		return false;
	st = strrchr(buf, ')');
	if (!st || st[1] != ' ' || st[2] != 'S')
		return false;
	/* "NR ARG1 ARG2 ...": the futex's address, then its op */
	if (!read_task_file(tid, "syscall", buf, sizeof(buf)) ||
	    sscanf(buf, "%ld %lx %lx", &nr, uaddr, &op) != 3 ||
	    nr != SYS_futex)
		return false;
	*private = op & FUTEX_PRIVATE_FLAG;
	op &= FUTEX_CMD_MASK;
	return op == FUTEX_WAIT || op == FUTEX_WAIT_BITSET;
}

static void stall_check(struct stall_watch *w, uint64_t progress)
{
	uint64_t now = now_ns();
	unsigned long uaddr;
	bool private;

	if (progress != w->last || !w->since_ns) {
		w->last = progress;
		w->since_ns = now;
		w->suspect_ns = 0;
		return;
	}
	if (now - w->since_ns < STALL_NS)
		return;
	if (!w->tid || !thread_futex_wait(w->tid, &uaddr, &private)) {
		/* running or runnable: not asleep */
		w->suspect_ns = 0;
		return;
	}
	/* seen so twice, STALL_NS / 2 apart, with no progress between */
	if (!w->suspect_ns) {
		w->suspect_ns = now;
		return;
	}
	if (now - w->suspect_ns < STALL_NS / 2)
		return;
	w->suspect_ns = 0;
	w->rescues++;
	w->stalled_ns += now - w->since_ns;
	w->since_ns = now;
	if (getenv("BENCH_CORE_NO_WATCHDOG")) {
		/* to see the hang for yourself: say it once, do not repair */
		static const char msg[] =
			"bench-core: lost wake-up found (consumer asleep in futex() with work queued); BENCH_CORE_NO_WATCHDOG set: not repairing, this run will hang\n";

		if (w->rescues == 1 &&
		    write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0)
			(void)0;
		return;
	}
	syscall(SYS_futex, (void *)uaddr,
		FUTEX_WAKE | (private ? FUTEX_PRIVATE_FLAG : 0), INT_MAX, NULL,
		NULL, 0);
}

/* The ids of this process's threads; returns how many (at most cap). */
static size_t list_tids(pid_t *out, size_t cap)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *de;
	size_t n = 0;

	if (!d)
		return 0;
	while ((de = readdir(d)) && n < cap)
		if (de->d_name[0] != '.')
			out[n++] = (pid_t)atoi(de->d_name);
	closedir(d);
	return n;
}

/* A thread that is not in @before[0..n), or 0. */
static pid_t new_tid(const pid_t *before, size_t n)
{
	pid_t now[64];
	size_t m = list_tids(now, 64);

	for (size_t i = 0; i < m; i++) {
		size_t j;

		for (j = 0; j < n && before[j] != now[i]; j++)
			;
		if (j == n)
			return now[i];
	}
	return 0;
}

/* sem_wait() that keeps the watchdog running while it waits. */
static void wait_done(sem_t *done, struct stall_watch *w,
		      uint64_t (*progress)(void *), void *arg)
{
	for (;;) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 20000000; /* 20 ms */
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		if (!sem_timedwait(done, &ts))
			return;
		if (errno != ETIMEDOUT && errno != EINTR)
			die("sem_timedwait: %s", strerror(errno));
		stall_check(w, progress(arg));
	}
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, unsigned int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* The core's warnings (a full queue is logged, rate limited): counted. */
static _Atomic unsigned long g_log_lines;

static void quiet_log(void *userdata, enum scmi_log_level level,
		      const char *msg)
{
	atomic_fetch_add_explicit(&g_log_lines, 1, memory_order_relaxed);
}

/* ------------------------------------------------------------------ */
/* the bench protocol: one event, 16-byte payload                      */

#define TP_PROTO 0x80
#define TP_EVT 0x0

struct tp_report {
	uint64_t timestamp_ns;
	uint32_t src;
	uint8_t data[PAYLD_SZ];
};

static int fake_set_notify_enabled(void *priv, uint8_t evt_id,
				   uint32_t src_id, bool enable)
{
	return 0;
}

static void *tp_fill_report(void *priv, uint8_t evt_id, uint64_t ts,
			    const void *payld, size_t sz, void *report,
			    uint32_t *src_id)
{
	struct tp_report *r = report;

	if (sz != PAYLD_SZ)
		return NULL;
	r->timestamp_ns = ts;
	r->src = 0;
	memcpy(r->data, payld, PAYLD_SZ);
	*src_id = 0;
	return r;
}

static const struct scmi_event_ops tp_ops = {
	.set_notify_enabled = fake_set_notify_enabled,
	.fill_custom_report = tp_fill_report,
};

static const struct scmi_event tp_events[] = {
	{ .id = TP_EVT, .max_payld_sz = PAYLD_SZ,
	  .max_report_sz = sizeof(struct tp_report) },
};

static const struct scmi_protocol_events tp_proto = {
	.queue_sz = 0, /* the default: SCMI_NOTIFY_DEFAULT_QUEUE_SZ */
	.ops = &tp_ops,
	.evts = tp_events,
	.num_events = 1,
	.num_sources = 1,
};

/*
 * What is common to the core run and the baseline run: the consumer side
 * counts events and, on the last one of a phase, stamps the time and posts.
 */
struct sink {
	_Atomic uint64_t target; /* count at which the phase is over */
	uint64_t count;          /* consumer thread only */
	uint64_t sum;            /* so that the payload is really read */
	uint64_t t_end;
	sem_t done;
};

static inline void sink_take(struct sink *s, const uint8_t *data)
{
	uint64_t v;

	memcpy(&v, data, sizeof(v));
	s->sum += v;
	if (++s->count ==
	    atomic_load_explicit(&s->target, memory_order_relaxed)) {
		s->t_end = now_ns();
		sem_post(&s->done);
	}
}

static void sink_init(struct sink *s)
{
	memset(s, 0, sizeof(*s));
	atomic_init(&s->target, 0);
	sem_init(&s->done, 0, 0);
}

/* ------------------------------------------------------------------ */
/* the core run                                                        */

struct tp_listener {
	struct scmi_notifier nb;
	struct sink sink;
};

static int tp_cb(struct scmi_notifier *nb, uint8_t evt_id, const void *report)
{
	struct tp_listener *l = container_of(nb, struct tp_listener, nb);
	const struct tp_report *r = report;

	sink_take(&l->sink, r->data);
	return SCMI_NOTIFY_OK;
}

struct core_rig {
	struct scmi_notify *ni;
	struct tp_listener l;              /* written by the worker */
	_Alignas(64) uint64_t seq;         /* the producer's, a line apart */
	uint64_t retries; /* -ENOSPC retries of the producer */
	struct stall_watch watch;
};

static uint64_t core_progress(void *arg)
{
	struct core_rig *rig = arg;
	struct scmi_notify_stats st;

	scmi_notify_get_stats(rig->ni, TP_PROTO, &st);
	return st.delivered;
}

/* @cpu: the worker's (-1: where it is created). */
static void core_rig_init(struct core_rig *rig, bool single_producer, int cpu)
{
	struct scmi_notify_config cfg = {
		.log_fn = quiet_log,
		.single_producer = single_producer,
	};
	uint32_t src = 0;
	pid_t before[64];
	size_t nbefore;
	int ret;

	memset(rig, 0, sizeof(*rig));
	sink_init(&rig->l.sink);
	rig->l.nb.cb = tp_cb;
	nbefore = list_tids(before, 64);
	ret = scmi_notify_create(&rig->ni, &cfg);
	if (ret)
		die("scmi_notify_create: %d", ret);
	rig->watch.tid = new_tid(before, nbefore); /* the worker */
	if (!rig->watch.tid && cpu >= 0)
		die("worker thread not found: cannot pin it");
	if (!rig->watch.tid)
		fprintf(stderr, "bench-core: worker thread not found: lost wake-up watchdog off\n");
	if (bench_pin(rig->watch.tid, cpu))
		die("cannot pin the worker to CPU %d", cpu);
	ret = scmi_register_protocol_events(rig->ni, TP_PROTO, NULL, &tp_proto);
	if (ret)
		die("scmi_register_protocol_events: %d", ret);
	ret = scmi_event_notifier_register(rig->ni, TP_PROTO, TP_EVT, &src,
					   &rig->l.nb);
	if (ret)
		die("scmi_event_notifier_register: %d", ret);
}

static void core_rig_fini(struct core_rig *rig)
{
	scmi_notify_destroy(rig->ni);
	sem_destroy(&rig->l.sink.done);
}

/* Push @n events and wait for their delivery. Returns ns, start to last. */
static uint64_t core_phase(struct core_rig *rig, uint64_t n)
{
	uint8_t payld[PAYLD_SZ] = { 0 };
	struct sink *s = &rig->l.sink;
	uint64_t t0;

	atomic_store_explicit(&s->target, s->count + n, memory_order_relaxed);
	t0 = now_ns();
	for (uint64_t i = 0; i < n; i++) {
		int ret;

		rig->seq++;
		memcpy(payld, &rig->seq, sizeof(rig->seq));
		while ((ret = scmi_notify(rig->ni, TP_PROTO, TP_EVT, payld,
					  PAYLD_SZ, rig->seq)) == -ENOSPC) {
			full_backoff(&rig->retries);
			if (rig->retries % 1024 == 0)
				stall_check(&rig->watch, core_progress(rig));
		}
		if (ret)
			die("scmi_notify: %d", ret);
	}
	wait_done(&s->done, &rig->watch, core_progress, rig);
	return s->t_end - t0;
}

struct tp_result {
	double rate;      /* events/s */
	double retries;   /* -ENOSPC per event */
	double rate_raw;  /* the same, dead time of lost wake-ups included */
	unsigned int lost_wakeups;
};

static struct tp_result core_throughput_once(bool single_producer,
					     uint64_t n, int cpu)
{
	struct scmi_notify_stats st;
	struct core_rig rig;
	struct tp_result res;
	uint64_t ns, retries0, stalled0;
	unsigned int lost0;

	core_rig_init(&rig, single_producer, cpu);
	core_phase(&rig, TP_WARMUP);
	retries0 = rig.retries;
	lost0 = rig.watch.rescues;
	stalled0 = rig.watch.stalled_ns;
	ns = core_phase(&rig, n);
	res.rate_raw = (double)n * 1e9 / (double)ns;
	res.rate = (double)n * 1e9 /
		   (double)(ns - (rig.watch.stalled_ns - stalled0));
	res.retries = (double)(rig.retries - retries0) / (double)n;
	res.lost_wakeups = rig.watch.rescues - lost0;
	scmi_notify_get_stats(rig.ni, TP_PROTO, &st);
	if (st.delivered != TP_WARMUP + n || rig.l.sink.count != TP_WARMUP + n)
		die("core run: %llu delivered, %llu seen, %llu expected",
		    (unsigned long long)st.delivered,
		    (unsigned long long)rig.l.sink.count,
		    (unsigned long long)(TP_WARMUP + n));
	core_rig_fini(&rig);
	return res;
}

/* ------------------------------------------------------------------ */
/* the baseline: a bare SPSC byte ring with the same wake-up as the
 * core's worker (libscmi-notify/worker.c: a word with a "kicked" and a
 * "sleeping" bit, a futex), the same cached positions, one-memcpy writes
 * and in-place reads as the core's queue (evqueue.c)                   */

#define BASE_KICKED 1u     /* work was signalled since the last consume */
#define BASE_SLEEPING 2u   /* the consumer waits on the word */

struct base_rec {               /* the same record as the core's queue */
	uint64_t timestamp_ns;
	uint32_t payld_sz;
	uint8_t evt_id;
	uint8_t pad[3];
};

typedef void (*base_fn)(void *ctx, uint8_t evt_id, const void *payld,
			size_t payld_sz);

struct base_ring {
	_Alignas(64) _Atomic size_t tail;  /* producer */
	size_t head_cache;                 /* producer's last look at head */
	_Alignas(64) _Atomic size_t head;  /* consumer */
	size_t tail_cache;                 /* consumer's last look at tail */
	_Alignas(64) uint8_t *buf;
	size_t size;                       /* power of two */
	base_fn fn;
	void *fn_ctx;
	_Alignas(64) _Atomic uint32_t word; /* BASE_KICKED | BASE_SLEEPING */
	atomic_bool stop;
	_Alignas(64) struct sink sink;     /* the consumer's */
	_Alignas(64) uint64_t seq;         /* the producer's */
	uint64_t retries;
	struct stall_watch watch;
	_Atomic pid_t consumer_tid;
};

static uint64_t base_progress(void *arg)
{
	struct base_ring *r = arg;

	return atomic_load(&r->head);
}

static inline size_t base_rec_size(size_t payld_sz)
{
	return sizeof(struct base_rec) + ((payld_sz + 7) & ~(size_t)7);
}

static inline void base_write(struct base_ring *r, size_t pos, const void *src,
			      size_t n)
{
	size_t off = pos & (r->size - 1);
	size_t first = r->size - off < n ? r->size - off : n;

	if (first == n) {
		memcpy(r->buf + off, src, n);
		return;
	}
	memcpy(r->buf + off, src, first);
	memcpy(r->buf, (const uint8_t *)src + first, n - first);
}

static inline void base_read(const struct base_ring *r, size_t pos, void *dst,
			     size_t n)
{
	size_t off = pos & (r->size - 1);
	size_t first = r->size - off < n ? r->size - off : n;

	if (first == n) {
		memcpy(dst, r->buf + off, n);
		return;
	}
	memcpy(dst, r->buf + off, first);
	memcpy((uint8_t *)dst + first, r->buf, n - first);
}

/*
 * The same kick as the core's: set KICKED once per burst, and wake the
 * consumer only if it sleeps. The fence orders the producer's publication
 * before its look at the word (see worker_kick()).
 */
static void base_kick(struct base_ring *r)
{
	uint32_t old;

	atomic_thread_fence(memory_order_seq_cst);
	if (atomic_load_explicit(&r->word, memory_order_relaxed) & BASE_KICKED)
		return;
	old = atomic_fetch_or(&r->word, BASE_KICKED);
	if (!(old & BASE_KICKED) && (old & BASE_SLEEPING))
		syscall(SYS_futex, &r->word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL,
			0);
}

static int base_push(struct base_ring *r, uint8_t evt_id, uint64_t ts,
		     const void *payld, size_t payld_sz)
{
	struct base_rec rec = {
		.timestamp_ns = ts,
		.payld_sz = (uint32_t)payld_sz,
		.evt_id = evt_id,
	};
	size_t need = base_rec_size(payld_sz);
	size_t tail = atomic_load_explicit(&r->tail, memory_order_relaxed);
	size_t head = r->head_cache;

	if (r->size - (tail - head) < need) {
		head = atomic_load_explicit(&r->head, memory_order_acquire);
		r->head_cache = head;
		if (r->size - (tail - head) < need)
			return -ENOSPC;
	}
	base_write(r, tail, &rec, sizeof(rec));
	base_write(r, tail + sizeof(rec), payld, payld_sz);
	atomic_store_explicit(&r->tail, tail + need, memory_order_release);

	base_kick(r);
	return 0;
}

/*
 * The next record, its payload read in place (copied to @bounce only when
 * it wraps), as the core's queue does (evq_peek()); base_consume() frees
 * it once handled.
 */
static bool base_peek(struct base_ring *r, struct base_rec *rec,
		      const void **payld, void *bounce)
{
	size_t head = atomic_load_explicit(&r->head, memory_order_relaxed);
	size_t tail = r->tail_cache;
	size_t off;

	if (head == tail) {
		tail = atomic_load_explicit(&r->tail, memory_order_seq_cst);
		r->tail_cache = tail;
		if (head == tail)
			return false;
	}
	base_read(r, head, rec, sizeof(*rec));
	off = (head + sizeof(*rec)) & (r->size - 1);
	if (off + rec->payld_sz <= r->size) {
		*payld = r->buf + off;
	} else {
		base_read(r, head + sizeof(*rec), bounce, rec->payld_sz);
		*payld = bounce;
	}
	return true;
}

static void base_consume(struct base_ring *r, const struct base_rec *rec)
{
	size_t head = atomic_load_explicit(&r->head, memory_order_relaxed);

	atomic_store_explicit(&r->head, head + base_rec_size(rec->payld_sz),
			      memory_order_release);
}

static void base_handler(void *ctx, uint8_t evt_id, const void *payld,
			 size_t payld_sz)
{
	sink_take(ctx, payld);
}

/* The core worker's loop: consume the kick, drain, sleep if not kicked. */
static void *base_consumer(void *arg)
{
	struct base_ring *r = arg;
	uint8_t bounce[PAYLD_SZ];
	struct base_rec rec;
	const void *payld;

	atomic_store(&r->consumer_tid, (pid_t)syscall(SYS_gettid));
	while (!atomic_load(&r->stop)) {
		uint32_t idle = 0;

		atomic_fetch_and(&r->word, ~BASE_KICKED);
		while (base_peek(r, &rec, &payld, bounce)) {
			r->fn(r->fn_ctx, rec.evt_id, payld, rec.payld_sz);
			base_consume(r, &rec);
		}
		if (!atomic_compare_exchange_strong(&r->word, &idle,
						    BASE_SLEEPING))
			continue;
		while (atomic_load(&r->word) == BASE_SLEEPING &&
		       !atomic_load(&r->stop))
			syscall(SYS_futex, &r->word, FUTEX_WAIT_PRIVATE,
				BASE_SLEEPING, NULL, NULL, 0);
		atomic_fetch_and(&r->word, ~BASE_SLEEPING);
	}
	return NULL;
}

static uint64_t base_phase(struct base_ring *r, uint64_t n)
{
	uint8_t payld[PAYLD_SZ] = { 0 };
	struct sink *s = &r->sink;
	uint64_t t0;

	atomic_store_explicit(&s->target, s->count + n, memory_order_relaxed);
	t0 = now_ns();
	for (uint64_t i = 0; i < n; i++) {
		r->seq++;
		memcpy(payld, &r->seq, sizeof(r->seq));
		while (base_push(r, TP_EVT, r->seq, payld, PAYLD_SZ) ==
		       -ENOSPC) {
			full_backoff(&r->retries);
			if (r->retries % 1024 == 0)
				stall_check(&r->watch, base_progress(r));
		}
	}
	wait_done(&s->done, &r->watch, base_progress, r);
	return s->t_end - t0;
}

/* @cpu: the consumer's (-1: where it is created). */
static struct tp_result base_throughput_once(uint64_t n, int cpu)
{
	struct base_ring *r = aligned_alloc(64, sizeof(*r));
	struct tp_result res;
	pthread_t th;
	uint64_t ns, retries0, stalled0;
	unsigned int lost0;

	if (!r)
		die("out of memory");
	memset(r, 0, sizeof(*r));
	r->size = SCMI_NOTIFY_DEFAULT_QUEUE_SZ; /* the core's default queue */
	r->buf = malloc(r->size);
	if (!r->buf)
		die("baseline setup failed");
	r->fn = base_handler;
	r->fn_ctx = &r->sink;
	sink_init(&r->sink);
	if (pthread_create(&th, NULL, base_consumer, r))
		die("pthread_create failed");
	while (!(r->watch.tid = atomic_load(&r->consumer_tid)))
		sched_yield();
	if (bench_pin(r->watch.tid, cpu))
		die("cannot pin the consumer to CPU %d", cpu);

	base_phase(r, TP_WARMUP);
	retries0 = r->retries;
	lost0 = r->watch.rescues;
	stalled0 = r->watch.stalled_ns;
	ns = base_phase(r, n);
	res.rate_raw = (double)n * 1e9 / (double)ns;
	res.rate = (double)n * 1e9 / (double)(ns - (r->watch.stalled_ns - stalled0));
	res.retries = (double)(r->retries - retries0) / (double)n;
	res.lost_wakeups = r->watch.rescues - lost0;

	atomic_store(&r->stop, true);
	atomic_fetch_or(&r->word, BASE_KICKED);
	syscall(SYS_futex, &r->word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
	pthread_join(th, NULL);
	if (r->sink.count != TP_WARMUP + n)
		die("baseline run: %llu seen, %llu expected",
		    (unsigned long long)r->sink.count,
		    (unsigned long long)(TP_WARMUP + n));
	sem_destroy(&r->sink.done);
	free(r->buf);
	free(r);
	return res;
}

/* ------------------------------------------------------------------ */
/* metrics                                                             */

/* The 1-minute load average: others' work on this machine skews rates. */
static double loadavg(void)
{
	double l = -1;
	FILE *f = fopen("/proc/loadavg", "r");

	if (f) {
		if (fscanf(f, "%lf", &l) != 1)
			l = -1;
		fclose(f);
	}
	return l;
}

/* "[a,b,c]" of @n rates */
static const char *fmt_runs(char *buf, size_t cap, const double *v,
			    unsigned int n)
{
	size_t len = 0;

	buf[len++] = '[';
	for (unsigned int i = 0; i < n && len < cap; i++)
		len += (size_t)snprintf(buf + len, cap - len, "%s%.0f",
					i ? "," : "", v[i]);
	if (len < cap - 1) {
		buf[len++] = ']';
		buf[len] = '\0';
	}
	return buf;
}

struct tp_series {
	double rate[TP_REPS_MAX], raw[TP_REPS_MAX], retries[TP_REPS_MAX];
	unsigned int lost;
	unsigned int n;
};

static void series_add(struct tp_series *s, const struct tp_result *res)
{
	s->rate[s->n] = res->rate;
	s->raw[s->n] = res->rate_raw;
	s->retries[s->n] = res->retries;
	s->lost += res->lost_wakeups;
	s->n++;
}

/*
 * value: the median rate over the runs, the dead time of lost wake-ups
 * (if any: a library bug, counted in "lost_wakeups") taken out;
 * "value_with_stalls" keeps it in (the watchdog repairs a lost wake-up
 * after STALL_NS; without it the run would never end). "pass" needs the
 * rate targets and no lost wake-up; "pass_rate" is the rate targets alone.
 */
static void emit_throughput(const char *metric, bool single_producer,
			    const struct bench_place *place,
			    const struct tp_series *core,
			    const struct tp_series *base)
{
	struct tp_series c = *core, b = *base; /* median() sorts */
	struct bench_line l = {
		.bench = BENCH, .metric = metric, .unit = "events/s",
		.mode = "threaded", .placement = place->name,
	};
	char runs_s[160], base_s[160], target[96];
	double value, value_raw, ratio, spins, brate, braw, bspins;
	bool pass_rate;

	fmt_runs(runs_s, sizeof(runs_s), c.rate, c.n);
	fmt_runs(base_s, sizeof(base_s), b.rate, b.n);
	value = median(c.rate, c.n);
	value_raw = median(c.raw, c.n);
	spins = median(c.retries, c.n);
	brate = median(b.rate, b.n);
	braw = median(b.raw, b.n);
	bspins = median(b.retries, b.n);
	ratio = value / brate;
	if (c.lost)
		fprintf(stderr,
			"bench-core: %s: %u lost wake-ups (worker asleep in futex() with events queued), repaired by the watchdog\n",
			metric, c.lost);
	pass_rate = ratio >= TGT_TP_RATIO && value >= TGT_TP_VALUE;
	snprintf(target, sizeof(target),
		 "{\"ratio_min\":%.2f,\"value_min\":%.0f,\"lost_wakeups\":0}",
		 TGT_TP_RATIO, TGT_TP_VALUE);
	l.value = value;
	l.baseline = brate;
	l.has_baseline = true;
	l.target = target;
	l.pass = pass_rate && !c.lost;
	bench_line(&l,
		   "\"pass_rate\":%s,"
		   "\"lost_wakeups\":%u,\"baseline_lost_wakeups\":%u,"
		   "\"value_with_stalls\":%.0f,\"baseline_with_stalls\":%.0f,"
		   "\"runs\":%s,\"baseline_runs\":%s,"
		   "\"enospc_retries_per_event\":%.3f,"
		   "\"baseline_enospc_retries_per_event\":%.3f,"
		   "\"events\":%u,\"payload_bytes\":%u,\"single_producer\":%s,"
		   "\"queue_bytes\":%u,"
		   "\"placement_kind\":\"producer CPU,worker CPU\","
		   "\"baseline_kind\":\"bare SPSC ring, the worker's futex wake-up\","
		   "\"loadavg\":%.2f,\"cpus\":%ld",
		   pass_rate ? "true" : "false", c.lost, b.lost, value_raw,
		   braw, runs_s, base_s, spins, bspins, g_tp_events, PAYLD_SZ,
		   single_producer ? "true" : "false",
		   SCMI_NOTIFY_DEFAULT_QUEUE_SZ, loadavg(),
		   sysconf(_SC_NPROCESSORS_ONLN));
}

/*
 * The throughput metrics share one baseline. Runs are interleaved
 * (baseline, single-producer core, multi-producer core, again...) so that
 * load from elsewhere on the machine hits them alike; at least
 * TP_REPS_MIN rounds, up to TP_REPS_MAX while within TP_BUDGET_NS. In
 * each placement: the producer (this thread) on its first CPU, the
 * consumer (the core's worker, the baseline's consumer) on its second.
 */
static void throughput_place(const struct bench_place *place, bool want_sp,
			     bool want_mp)
{
	struct tp_series base = { 0 }, sp = { 0 }, mp = { 0 };
	int cpu = place->agent_cpu;
	uint64_t t0 = now_ns();

	if (bench_pin(0, place->platform_cpu))
		die("cannot pin the producer to CPU %d", place->platform_cpu);
	for (unsigned int r = 0; r < TP_REPS_MAX; r++) {
		struct tp_result res;

		if (r >= TP_REPS_MIN && now_ns() - t0 > TP_BUDGET_NS * r /
								TP_REPS_MAX)
			break;
		res = base_throughput_once(g_tp_events, cpu);
		series_add(&base, &res);
		if (want_sp) {
			res = core_throughput_once(true, g_tp_events, cpu);
			series_add(&sp, &res);
		}
		if (want_mp) {
			res = core_throughput_once(false, g_tp_events, cpu);
			series_add(&mp, &res);
		}
	}
	if (want_sp)
		emit_throughput("throughput", true, place, &sp, &base);
	if (want_mp)
		emit_throughput("throughput_mp", false, place, &mp, &base);
}

static void metric_throughput_group(bool want_sp, bool want_mp)
{
	struct bench_place places[2];
	size_t np = bench_places(places);
	cpu_set_t saved;

	if (sched_getaffinity(0, sizeof(saved), &saved) < 0)
		die("sched_getaffinity: %s", strerror(errno));
	for (size_t i = 0; i < np; i++)
		throughput_place(&places[i], want_sp, want_mp);
	sched_setaffinity(0, sizeof(saved), &saved);
}

static void metric_throughput_sp(void)
{
	metric_throughput_group(true, false);
}

static void metric_throughput_mp(void)
{
	metric_throughput_group(false, true);
}

static void metric_allocs(void)
{
	struct bench_line l = {
		.bench = BENCH, .metric = "allocs_per_event",
		.unit = "allocs/event", .decimals = 6, .mode = "threaded",
		.placement = "free", .target = "{\"value_max\":0}",
	};
	struct core_rig rig;
	uint64_t allocs;
	unsigned int lost;

	core_rig_init(&rig, false, -1); /* the default config */
	core_phase(&rig, TP_WARMUP);

	atomic_store(&g_allocs, 0);
	atomic_store(&g_counting, true);
	core_phase(&rig, g_al_events);
	atomic_store(&g_counting, false);
	allocs = atomic_load(&g_allocs);
	lost = rig.watch.rescues;
	core_rig_fini(&rig);

	l.value = (double)allocs / g_al_events;
	l.pass = allocs == 0;
	if (lost)
		fprintf(stderr,
			"bench-core: allocs_per_event: %u lost wake-ups repaired by the watchdog\n",
			lost);
	bench_line(&l,
		   "\"events\":%u,\"allocs\":%llu,\"lost_wakeups\":%u",
		   g_al_events, (unsigned long long)allocs, lost);
}

/* A protocol with as many sources as there can be and a few events. */
#define MANY_PROTO 0x81
#define MANY_EVTS 3
#define MEASURED_EVT 2     /* the others use events 0 and 1 */
#define MEASURED_SRC 12345u

static void *many_fill_report(void *priv, uint8_t evt_id, uint64_t ts,
			      const void *payld, size_t sz, void *report,
			      uint32_t *src_id)
{
	*src_id = 0;
	return report;
}

static const struct scmi_event_ops many_ops = {
	.set_notify_enabled = fake_set_notify_enabled,
	.fill_custom_report = many_fill_report,
};

static const struct scmi_event many_events[MANY_EVTS] = {
	{ .id = 0, .max_payld_sz = PAYLD_SZ, .max_report_sz = 32 },
	{ .id = 1, .max_payld_sz = PAYLD_SZ, .max_report_sz = 32 },
	{ .id = 2, .max_payld_sz = PAYLD_SZ, .max_report_sz = 32 },
};

static const struct scmi_protocol_events many_proto = {
	.ops = &many_ops,
	.evts = many_events,
	.num_events = MANY_EVTS,
	.num_sources = MANY_SOURCES,
};

static int nop_cb(struct scmi_notifier *nb, uint8_t evt_id, const void *report)
{
	return SCMI_NOTIFY_DONE;
}

static struct scmi_notify *many_instance(void)
{
	struct scmi_notify_config cfg = { .log_fn = quiet_log };
	struct scmi_notify *ni;
	int ret;

	ret = scmi_notify_create(&ni, &cfg);
	if (ret)
		die("scmi_notify_create: %d", ret);
	ret = scmi_register_protocol_events(ni, MANY_PROTO, NULL, &many_proto);
	if (ret)
		die("scmi_register_protocol_events: %d", ret);
	return ni;
}

/* The i-th of the others: a distinct (event, source) tuple each. */
static void other_tuple(unsigned int i, uint8_t *evt, uint32_t *src)
{
	*evt = (uint8_t)(i & 1);
	*src = i >> 1;
}

static struct scmi_notifier *others_new(void)
{
	struct scmi_notifier *nbs = calloc(MANY, sizeof(*nbs));

	if (!nbs)
		die("out of memory");
	for (unsigned int i = 0; i < MANY; i++)
		nbs[i].cb = nop_cb;
	return nbs;
}

static void others_register(struct scmi_notify *ni, struct scmi_notifier *nbs)
{
	for (unsigned int i = 0; i < MANY; i++) {
		uint32_t src;
		uint8_t evt;
		int ret;

		other_tuple(i, &evt, &src);
		ret = scmi_event_notifier_register(ni, MANY_PROTO, evt, &src,
						   &nbs[i]);
		if (ret)
			die("register other %u: %d", i, ret);
	}
}

static void others_unregister(struct scmi_notify *ni,
			      struct scmi_notifier *nbs)
{
	for (unsigned int i = 0; i < MANY; i++) {
		uint32_t src;
		uint8_t evt;

		other_tuple(i, &evt, &src);
		scmi_event_notifier_unregister(ni, MANY_PROTO, evt, &src,
					       &nbs[i]);
	}
}

/* One round: ns per register + unregister pair; heap allocations added to
 * *allocs if not NULL. */
static double rc_round(struct scmi_notify *ni, struct scmi_notifier *nb,
		       uint64_t *allocs)
{
	const uint32_t src = MEASURED_SRC;
	uint64_t t0, a0 = atomic_load(&g_allocs);
	double ns;

	atomic_store(&g_counting, allocs != NULL);
	t0 = now_ns();

	for (unsigned int i = 0; i < RC_PAIRS; i++) {
		if (scmi_event_notifier_register(ni, MANY_PROTO, MEASURED_EVT,
						 &src, nb))
			die("register failed");
		if (scmi_event_notifier_unregister(ni, MANY_PROTO,
						   MEASURED_EVT, &src, nb))
			die("unregister failed");
	}
	ns = (double)(now_ns() - t0) / RC_PAIRS;
	atomic_store(&g_counting, false);
	if (allocs)
		*allocs += atomic_load(&g_allocs) - a0;
	return ns;
}

static void metric_register_cost(void)
{
	struct scmi_notifier nb_full = { .cb = nop_cb }, nb_one = { .cb = nop_cb };
	struct scmi_notifier nb_other = { .cb = nop_cb };
	struct bench_line l = {
		.bench = BENCH, .metric = "register_cost", .unit = "ns/pair",
		.decimals = 1, .has_baseline = true,
	};
	double full[RC_ROUNDS], one[RC_ROUNDS];
	struct scmi_notify *ni_full, *ni_one;
	struct scmi_notifier *nbs = others_new();
	const uint32_t src0 = 0;
	uint64_t al_full = 0, al_one = 0;
	char target[64];

	ni_full = many_instance();
	others_register(ni_full, nbs);
	/*
	 * The baseline has one other handler: its tables exist, as the
	 * loaded instance's do, so that a pair allocates in it what it does
	 * in the loaded one (with none, each pair would also create and free
	 * the empty tables: more allocations, a slower baseline, a flattered
	 * ratio). The line gives both counts.
	 */
	ni_one = many_instance();
	if (scmi_event_notifier_register(ni_one, MANY_PROTO, 0, &src0,
					 &nb_other))
		die("register one other failed");

	/* warm both, then alternate rounds so that drift hits both alike */
	rc_round(ni_full, &nb_full, NULL);
	rc_round(ni_one, &nb_one, NULL);
	for (unsigned int r = 0; r < RC_ROUNDS; r++) {
		full[r] = rc_round(ni_full, &nb_full, r ? NULL : &al_full);
		one[r] = rc_round(ni_one, &nb_one, r ? NULL : &al_one);
	}
	l.value = median(full, RC_ROUNDS);
	l.baseline = median(one, RC_ROUNDS);

	others_unregister(ni_full, nbs);
	scmi_event_notifier_unregister(ni_one, MANY_PROTO, 0, &src0, &nb_other);
	scmi_notify_destroy(ni_one);
	scmi_notify_destroy(ni_full);
	free(nbs);

	snprintf(target, sizeof(target),
		 "{\"ratio_max\":%.2f,\"same_allocs\":true}", TGT_RC_RATIO);
	l.target = target;
	l.pass = l.value <= TGT_RC_RATIO * l.baseline && al_full == al_one;
	bench_line(&l,
		   "\"handlers\":%u,\"baseline_handlers\":1,"
		   "\"allocs_per_pair\":%.2f,\"baseline_allocs_per_pair\":%.2f,"
		   "\"pairs_per_round\":%u,\"rounds\":%u,"
		   "\"value_min\":%.1f,\"value_max\":%.1f,"
		   "\"baseline_min\":%.1f,\"baseline_max\":%.1f",
		   MANY, (double)al_full / RC_PAIRS, (double)al_one / RC_PAIRS,
		   RC_PAIRS, RC_ROUNDS, full[0], full[RC_ROUNDS - 1], one[0],
		   one[RC_ROUNDS - 1]);
}

static void metric_bytes_per_handler(void)
{
	struct scmi_notifier *nbs = others_new(); /* the caller's, not counted */
	struct scmi_notify *ni = many_instance();
	struct bench_line l = {
		.bench = BENCH, .metric = "bytes_per_handler",
		.unit = "bytes/handler", .decimals = 1,
	};
	int64_t heap0, heap1, live0, live1;
	char target[32];

	heap0 = heap_in_use();
	live0 = atomic_load(&g_live_bytes);
	others_register(ni, nbs);
	heap1 = heap_in_use();
	live1 = atomic_load(&g_live_bytes);

	others_unregister(ni, nbs);
	scmi_notify_destroy(ni);
	free(nbs);

	l.value = (double)(heap1 - heap0) / MANY;
	snprintf(target, sizeof(target), "{\"value_max\":%.0f}", TGT_BYTES);
	l.target = target;
	l.pass = l.value <= TGT_BYTES;
	bench_line(&l,
		   "\"handlers\":%u,\"usable_bytes_per_handler\":%.1f,"
		   "\"source\":\"mallinfo2 uordblks+hblkhd\"",
		   MANY, (double)(live1 - live0) / MANY);
}

/* ------------------------------------------------------------------ */

static const struct {
	const char *name;
	void (*run)(void);
} metrics[] = {
	{ "throughput", metric_throughput_sp },
	{ "throughput_mp", metric_throughput_mp },
	{ "allocs_per_event", metric_allocs },
	{ "register_cost", metric_register_cost },
	{ "bytes_per_handler", metric_bytes_per_handler },
};

#define NUM_METRICS (sizeof(metrics) / sizeof(metrics[0]))

int main(int argc, char **argv)
{
	const char *name;

	if (argc > 2 && !strcmp(argv[1], "--pin")) {
		if (bench_place_only(argv[2]))
			return 2;
		argv += 2;
		argc -= 2;
	}
	name = argc > 1 ? argv[1] : BENCH;
	if (argc > 2 || !strcmp(name, "-h") || !strcmp(name, "--help")) {
		fprintf(stderr, "usage: bench-core [--pin P,C] [core|--list|METRIC]\n");
		return argc > 2 ? 2 : 0;
	}
	if (!strcmp(name, "--list")) {
		for (size_t i = 0; i < NUM_METRICS; i++)
			printf("%s\n", metrics[i].name);
		return 0;
	}
	if (getenv("BENCH_CORE_EVENTS"))
		g_tp_events = (unsigned int)strtoul(getenv("BENCH_CORE_EVENTS"),
						    NULL, 0);
	if (getenv("BENCH_CORE_ALLOC_EVENTS"))
		g_al_events = (unsigned int)strtoul(
			getenv("BENCH_CORE_ALLOC_EVENTS"), NULL, 0);
	if (!g_tp_events || !g_al_events) {
		fprintf(stderr, "bench-core: event counts must be > 0\n");
		return 2;
	}
	if (!strcmp(name, BENCH)) {
		/* both throughput lines from one interleaved series */
		metric_throughput_group(true, true);
		/* metrics[0] and [1] are the two throughput lines: done */
		for (size_t i = 2; i < NUM_METRICS; i++)
			metrics[i].run();
		return 0;
	}
	for (size_t i = 0; i < NUM_METRICS; i++) {
		if (!strcmp(name, metrics[i].name)) {
			metrics[i].run();
			return 0;
		}
	}
	fprintf(stderr, "bench-core: unknown metric '%s' (try --list)\n", name);
	return 2;
}
