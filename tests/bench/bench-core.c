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
 *                      (eventfd + "kicked" flag). ratio = value / baseline.
 *   throughput_mp      the same with the default (multi-producer) config,
 *                      against the same baseline.
 *   allocs_per_event   heap allocations per delivered event, counted by
 *                      interposing malloc & co. in this executable, over the
 *                      event phase only (after setup and a warm-up).
 *   register_cost      ns per register + unregister pair with 65536 other
 *                      handlers registered (value) vs none (baseline);
 *                      ratio = value / baseline; median of rounds.
 *   bytes_per_handler  heap bytes per handler (one notifier, one source),
 *                      from mallinfo2() before and after registering 65536.
 *
 * Usage: bench-core [NAME]   NAME: "core" (all, the default) or a metric.
 *        bench-core --list   the metric names, one a line.
 */
#include <errno.h>
#include <malloc.h>
#include <poll.h>
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
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include <scmi/notify.h>

#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

#define BENCH "core"
#define PAYLD_SZ 16

/* throughput */
#define TP_EVENTS 2000000u
#define TP_WARMUP 50000u
#define TP_REPS 3
/* allocs_per_event */
#define AL_EVENTS 1000000u
/* register_cost, bytes_per_handler */
#define MANY 65536u
#define RC_PAIRS 20000u
#define RC_ROUNDS 9
#define MANY_SOURCES 0xFFFFu /* SCMI_MAX_SRC_ID + 1: the most there can be */

/* targets (DESIGN.md section 6 and the bench brief) */
#define TGT_TP_RATIO 0.33
#define TGT_TP_VALUE 2e6
#define TGT_ALLOCS 0.0
#define TGT_RC_RATIO 1.5
#define TGT_BYTES 256.0

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
	struct tp_listener l;
	uint64_t seq;
	uint64_t retries; /* -ENOSPC retries of the producer */
};

static void core_rig_init(struct core_rig *rig, bool single_producer)
{
	struct scmi_notify_config cfg = {
		.log_fn = quiet_log,
		.single_producer = single_producer,
	};
	uint32_t src = 0;
	int ret;

	memset(rig, 0, sizeof(*rig));
	sink_init(&rig->l.sink);
	rig->l.nb.cb = tp_cb;
	ret = scmi_notify_create(&rig->ni, &cfg);
	if (ret)
		die("scmi_notify_create: %d", ret);
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
					  PAYLD_SZ, rig->seq)) == -ENOSPC)
			full_backoff(&rig->retries);
		if (ret)
			die("scmi_notify: %d", ret);
	}
	while (sem_wait(&s->done) && errno == EINTR)
		;
	return s->t_end - t0;
}

struct tp_result {
	double rate;      /* events/s */
	double retries;   /* -ENOSPC per event */
};

static struct tp_result core_throughput_once(bool single_producer,
					     uint64_t n)
{
	struct scmi_notify_stats st;
	struct core_rig rig;
	struct tp_result res;
	uint64_t ns, retries0;

	core_rig_init(&rig, single_producer);
	core_phase(&rig, TP_WARMUP);
	retries0 = rig.retries;
	ns = core_phase(&rig, n);
	res.rate = (double)n * 1e9 / (double)ns;
	res.retries = (double)(rig.retries - retries0) / (double)n;
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
/* the baseline: a bare SPSC byte ring + eventfd/kicked wake-up        */

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
	_Alignas(64) _Atomic size_t head;  /* consumer */
	_Alignas(64) uint8_t *buf;
	size_t size;                       /* power of two */
	int efd;
	base_fn fn;
	void *fn_ctx;
	_Alignas(64) atomic_bool kicked;   /* an eventfd write is outstanding */
	atomic_bool stop;
	struct sink sink;
	uint64_t seq;
	uint64_t retries;
};

static inline size_t base_rec_size(size_t payld_sz)
{
	return sizeof(struct base_rec) + ((payld_sz + 7) & ~(size_t)7);
}

static inline void base_write(struct base_ring *r, size_t pos, const void *src,
			      size_t n)
{
	size_t off = pos & (r->size - 1);
	size_t first = r->size - off < n ? r->size - off : n;

	memcpy(r->buf + off, src, first);
	memcpy(r->buf, (const uint8_t *)src + first, n - first);
}

static inline void base_read(const struct base_ring *r, size_t pos, void *dst,
			     size_t n)
{
	size_t off = pos & (r->size - 1);
	size_t first = r->size - off < n ? r->size - off : n;

	memcpy(dst, r->buf + off, first);
	memcpy((uint8_t *)dst + first, r->buf, n - first);
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
	size_t head = atomic_load_explicit(&r->head, memory_order_acquire);

	if (r->size - (tail - head) < need)
		return -ENOSPC;
	base_write(r, tail, &rec, sizeof(rec));
	base_write(r, tail + sizeof(rec), payld, payld_sz);
	atomic_store_explicit(&r->tail, tail + need, memory_order_release);

	/* the same kick as the core: one eventfd write per burst */
	atomic_thread_fence(memory_order_seq_cst);
	if (!atomic_load_explicit(&r->kicked, memory_order_relaxed) &&
	    !atomic_exchange(&r->kicked, true)) {
		uint64_t one = 1;

		while (write(r->efd, &one, sizeof(one)) < 0 && errno == EINTR)
			;
	}
	return 0;
}

static bool base_pop(struct base_ring *r, struct base_rec *rec, void *payld)
{
	size_t head = atomic_load_explicit(&r->head, memory_order_relaxed);
	size_t tail = atomic_load_explicit(&r->tail, memory_order_acquire);

	if (head == tail)
		return false;
	base_read(r, head, rec, sizeof(*rec));
	base_read(r, head + sizeof(*rec), payld, rec->payld_sz);
	atomic_store_explicit(&r->head, head + base_rec_size(rec->payld_sz),
			      memory_order_release);
	return true;
}

static void base_handler(void *ctx, uint8_t evt_id, const void *payld,
			 size_t payld_sz)
{
	sink_take(ctx, payld);
}

static void *base_consumer(void *arg)
{
	struct base_ring *r = arg;
	struct pollfd pfd = { .fd = r->efd, .events = POLLIN };
	uint8_t payld[PAYLD_SZ];
	struct base_rec rec;

	while (!atomic_load(&r->stop)) {
		uint64_t v;

		if (poll(&pfd, 1, -1) < 0 && errno != EINTR)
			break;
		if (atomic_load(&r->stop))
			break;
		atomic_exchange(&r->kicked, false);
		while (read(r->efd, &v, sizeof(v)) < 0 && errno == EINTR)
			;
		while (base_pop(r, &rec, payld))
			r->fn(r->fn_ctx, rec.evt_id, payld, rec.payld_sz);
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
		while (base_push(r, TP_EVT, r->seq, payld, PAYLD_SZ) == -ENOSPC)
			full_backoff(&r->retries);
	}
	while (sem_wait(&s->done) && errno == EINTR)
		;
	return s->t_end - t0;
}

static struct tp_result base_throughput_once(uint64_t n)
{
	struct base_ring *r = aligned_alloc(64, sizeof(*r));
	struct tp_result res;
	pthread_t th;
	uint64_t ns, retries0, one = 1;

	if (!r)
		die("out of memory");
	memset(r, 0, sizeof(*r));
	r->size = SCMI_NOTIFY_DEFAULT_QUEUE_SZ; /* the core's default queue */
	r->buf = malloc(r->size);
	r->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (!r->buf || r->efd < 0)
		die("baseline setup failed");
	r->fn = base_handler;
	r->fn_ctx = &r->sink;
	sink_init(&r->sink);
	if (pthread_create(&th, NULL, base_consumer, r))
		die("pthread_create failed");

	base_phase(r, TP_WARMUP);
	retries0 = r->retries;
	ns = base_phase(r, n);
	res.rate = (double)n * 1e9 / (double)ns;
	res.retries = (double)(r->retries - retries0) / (double)n;

	atomic_store(&r->stop, true);
	while (write(r->efd, &one, sizeof(one)) < 0 && errno == EINTR)
		;
	pthread_join(th, NULL);
	if (r->sink.count != TP_WARMUP + n)
		die("baseline run: %llu seen, %llu expected",
		    (unsigned long long)r->sink.count,
		    (unsigned long long)(TP_WARMUP + n));
	close(r->efd);
	sem_destroy(&r->sink.done);
	free(r->buf);
	free(r);
	return res;
}

/* ------------------------------------------------------------------ */
/* JSON                                                                */

static void emit(const char *metric, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void emit(const char *metric, const char *fmt, ...)
{
	va_list ap;

	printf("{\"bench\":\"%s\",\"metric\":\"%s\",", BENCH, metric);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("}\n");
	fflush(stdout);
}

/* ------------------------------------------------------------------ */
/* metrics                                                             */

static bool have_baseline;
static struct tp_result g_base;
static double g_base_runs[TP_REPS];

static void measure_baseline(void)
{
	struct tp_result runs[TP_REPS];
	double rates[TP_REPS], retries[TP_REPS];

	if (have_baseline)
		return;
	for (unsigned int i = 0; i < TP_REPS; i++) {
		runs[i] = base_throughput_once(TP_EVENTS);
		rates[i] = g_base_runs[i] = runs[i].rate;
		retries[i] = runs[i].retries;
	}
	g_base.rate = median(rates, TP_REPS);
	g_base.retries = median(retries, TP_REPS);
	have_baseline = true;
}

static void metric_throughput(const char *metric, bool single_producer)
{
	double rates[TP_REPS], retries[TP_REPS], runs[TP_REPS];
	double value, ratio, spins;

	measure_baseline();
	for (unsigned int i = 0; i < TP_REPS; i++) {
		struct tp_result res = core_throughput_once(single_producer,
							    TP_EVENTS);

		rates[i] = runs[i] = res.rate;
		retries[i] = res.retries;
	}
	value = median(rates, TP_REPS);
	spins = median(retries, TP_REPS);
	ratio = value / g_base.rate;
	emit(metric,
	     "\"value\":%.0f,\"unit\":\"events/s\",\"baseline\":%.0f,"
	     "\"ratio\":%.3f,\"target\":{\"ratio_min\":%.2f,\"value_min\":%.0f},"
	     "\"pass\":%s,\"events\":%u,\"payload_bytes\":%u,"
	     "\"single_producer\":%s,\"queue_bytes\":%u,"
	     "\"runs\":[%.0f,%.0f,%.0f],\"baseline_runs\":[%.0f,%.0f,%.0f],"
	     "\"enospc_retries_per_event\":%.3f,"
	     "\"baseline_enospc_retries_per_event\":%.3f",
	     value, g_base.rate, ratio, TGT_TP_RATIO, TGT_TP_VALUE,
	     ratio >= TGT_TP_RATIO && value >= TGT_TP_VALUE ? "true" : "false",
	     TP_EVENTS, PAYLD_SZ, single_producer ? "true" : "false",
	     SCMI_NOTIFY_DEFAULT_QUEUE_SZ, runs[0], runs[1], runs[2],
	     g_base_runs[0], g_base_runs[1], g_base_runs[2], spins,
	     g_base.retries);
}

static void metric_throughput_sp(void)
{
	metric_throughput("throughput", true);
}

static void metric_throughput_mp(void)
{
	metric_throughput("throughput_mp", false);
}

static void metric_allocs(void)
{
	struct core_rig rig;
	uint64_t allocs;
	double value;

	core_rig_init(&rig, false); /* the default config */
	core_phase(&rig, TP_WARMUP);

	atomic_store(&g_allocs, 0);
	atomic_store(&g_counting, true);
	core_phase(&rig, AL_EVENTS);
	atomic_store(&g_counting, false);
	allocs = atomic_load(&g_allocs);
	core_rig_fini(&rig);

	value = (double)allocs / AL_EVENTS;
	emit("allocs_per_event",
	     "\"value\":%.6f,\"unit\":\"allocs/event\",\"target\":%.0f,"
	     "\"pass\":%s,\"events\":%u,\"allocs\":%llu",
	     value, TGT_ALLOCS, allocs == 0 ? "true" : "false", AL_EVENTS,
	     (unsigned long long)allocs);
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

/* One round: ns per register + unregister pair. */
static double rc_round(struct scmi_notify *ni, struct scmi_notifier *nb)
{
	const uint32_t src = MEASURED_SRC;
	uint64_t t0 = now_ns();

	for (unsigned int i = 0; i < RC_PAIRS; i++) {
		if (scmi_event_notifier_register(ni, MANY_PROTO, MEASURED_EVT,
						 &src, nb))
			die("register failed");
		if (scmi_event_notifier_unregister(ni, MANY_PROTO,
						   MEASURED_EVT, &src, nb))
			die("unregister failed");
	}
	return (double)(now_ns() - t0) / RC_PAIRS;
}

static void metric_register_cost(void)
{
	struct scmi_notifier nb_a = { .cb = nop_cb }, nb_b = { .cb = nop_cb };
	double empty[RC_ROUNDS], full[RC_ROUNDS];
	struct scmi_notify *ni_empty, *ni_full;
	struct scmi_notifier *nbs = others_new();
	double value, baseline, ratio;

	ni_empty = many_instance();
	ni_full = many_instance();
	others_register(ni_full, nbs);

	/* warm both, then alternate rounds so that drift hits both alike */
	rc_round(ni_empty, &nb_a);
	rc_round(ni_full, &nb_b);
	for (unsigned int r = 0; r < RC_ROUNDS; r++) {
		empty[r] = rc_round(ni_empty, &nb_a);
		full[r] = rc_round(ni_full, &nb_b);
	}
	baseline = median(empty, RC_ROUNDS);
	value = median(full, RC_ROUNDS);
	ratio = value / baseline;

	others_unregister(ni_full, nbs);
	scmi_notify_destroy(ni_full);
	scmi_notify_destroy(ni_empty);
	free(nbs);

	emit("register_cost",
	     "\"value\":%.1f,\"unit\":\"ns/pair\",\"baseline\":%.1f,"
	     "\"ratio\":%.3f,\"target\":{\"ratio_max\":%.2f},\"pass\":%s,"
	     "\"handlers\":%u,\"pairs_per_round\":%u,\"rounds\":%u,"
	     "\"value_min\":%.1f,\"value_max\":%.1f,"
	     "\"baseline_min\":%.1f,\"baseline_max\":%.1f",
	     value, baseline, ratio, TGT_RC_RATIO,
	     ratio <= TGT_RC_RATIO ? "true" : "false", MANY, RC_PAIRS,
	     RC_ROUNDS, full[0], full[RC_ROUNDS - 1], empty[0],
	     empty[RC_ROUNDS - 1]);
}

static void metric_bytes_per_handler(void)
{
	struct scmi_notifier *nbs = others_new(); /* the caller's, not counted */
	struct scmi_notify *ni = many_instance();
	int64_t heap0, heap1, live0, live1;
	double value, usable;

	heap0 = heap_in_use();
	live0 = atomic_load(&g_live_bytes);
	others_register(ni, nbs);
	heap1 = heap_in_use();
	live1 = atomic_load(&g_live_bytes);

	others_unregister(ni, nbs);
	scmi_notify_destroy(ni);
	free(nbs);

	value = (double)(heap1 - heap0) / MANY;
	usable = (double)(live1 - live0) / MANY;
	emit("bytes_per_handler",
	     "\"value\":%.1f,\"unit\":\"bytes/handler\",\"target\":%.0f,"
	     "\"pass\":%s,\"handlers\":%u,\"usable_bytes_per_handler\":%.1f,"
	     "\"source\":\"mallinfo2 uordblks+hblkhd\"",
	     value, TGT_BYTES, value <= TGT_BYTES ? "true" : "false", MANY,
	     usable);
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
	const char *name = argc > 1 ? argv[1] : BENCH;

	if (argc > 2 || !strcmp(name, "-h") || !strcmp(name, "--help")) {
		fprintf(stderr, "usage: bench-core [core|--list|METRIC]\n");
		return argc > 2 ? 2 : 0;
	}
	if (!strcmp(name, "--list")) {
		for (size_t i = 0; i < NUM_METRICS; i++)
			printf("%s\n", metrics[i].name);
		return 0;
	}
	if (!strcmp(name, BENCH)) {
		for (size_t i = 0; i < NUM_METRICS; i++)
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
