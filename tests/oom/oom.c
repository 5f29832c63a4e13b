/* SPDX-License-Identifier: MIT */
/*
 * The allocation-failure harness (oom.h): malloc & co. replaced in the
 * test program, and the k loop.
 *
 * Why a replacement, and which one
 * --------------------------------
 * The paths under test allocate through libc on our behalf (strdup, fopen,
 * open_memstream) and through json-c. `-Wl,--wrap=malloc` reaches only the
 * objects linked into the program, not libc's or json-c's calls, so it
 * would leave those allocations unfailed and their frees unaccounted. glibc
 * supports replacing the allocator in the program (manual, "Replacing
 * malloc"): every caller, libc itself included, then reaches these
 * definitions through symbol interposition. What they forward to depends
 * on who owns the heap:
 *
 *  - plain builds (and valgrind): glibc's own allocator, __libc_malloc and
 *    friends, so no dlsym() bootstrapping is needed; the count of live
 *    blocks is our own. Under valgrind, memcheck replaces __libc_malloc,
 *    so it still sees every block (use-after-free, leaks at exit), as
 *    long as it does not also replace these definitions in the program:
 *    the valgrind test setup passes --soname-synonyms=somalloc=
 *    nouserintercepts for that (oom_active() tells when it is missing).
 *
 *  - GCC's AddressSanitizer, which owns the allocator in libasan.so:
 *    forwarding to glibc would hand its interceptors chunks it never
 *    made, so we forward to its malloc, found with dlsym(RTLD_NEXT) (a
 *    small static arena serves the allocations dlsym makes meanwhile), and
 *    take the heap in use from it (__sanitizer_get_current_allocated_bytes(),
 *    exact in ASan): a count of our own would be wrong, as its strdup and
 *    a few others allocate without calling malloc. Those few allocations
 *    are the only ones not failed there; the plain and valgrind runs fail
 *    them too. ASan then adds what our count cannot: every error path
 *    checked for use after free and overflow.
 *
 *  - other sanitizers (OOM_UNAVAILABLE, oom.h): nothing is replaced and
 *    the tests skip. ThreadSanitizer's runtime calls malloc while it
 *    starts, before it can serve it, and its heap count is per-thread
 *    cached, not exact; clang links its runtimes into the program, so
 *    there is no "next" malloc to forward to.
 *
 * malloc_usable_size() is not replaced: the blocks are those of the
 * allocator we forward to, whose own malloc_usable_size() is right.
 * realloc(p, 0) frees p and returns NULL, as glibc's does.
 */
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "oom.h"

/* The definitions below replace libc's: they need prototypes. */
void *memalign(size_t align, size_t n);
void *valloc(size_t n);
void *pvalloc(size_t n);

/* ---- failing the k-th allocation --------------------------------------- */

static _Atomic unsigned long allocations;  /* every allocation call */
static _Atomic unsigned long fail_at;      /* the k armed, 0: none */
static atomic_bool fail_persist;           /* and every one after it */
static atomic_bool fail_this_thread;       /* count only the armer's */
static pthread_t armer;
static _Atomic unsigned long seen;         /* counted since armed */
static atomic_bool fired;                  /* an allocation was failed */

/* Count (k = ULONG_MAX) or fail the k-th allocation from now on. */
static void arm(unsigned long k, bool persist, bool this_thread)
{
	armer = pthread_self();
	atomic_store(&seen, 0);
	atomic_store(&fired, false);
	atomic_store(&fail_persist, persist);
	atomic_store(&fail_this_thread, this_thread);
	atomic_store_explicit(&fail_at, k, memory_order_release);
}

/* Stop failing; whether an allocation was failed since arm(). */
static bool disarm(unsigned long *counted)
{
	atomic_store(&fail_at, 0);
	if (counted)
		*counted = atomic_load(&seen);
	return atomic_load(&fired);
}

unsigned long oom_allocations(void)
{
	return atomic_load(&allocations);
}

#ifndef OOM_UNAVAILABLE

/* Whether this allocation is to fail; counts it. */
static bool fail_now(void)
{
	unsigned long k, n;

	atomic_fetch_add_explicit(&allocations, 1, memory_order_relaxed);
	k = atomic_load_explicit(&fail_at, memory_order_acquire);
	if (!k)
		return false;
	if (atomic_load_explicit(&fail_this_thread, memory_order_relaxed) &&
	    !pthread_equal(pthread_self(), armer))
		return false;
	n = atomic_fetch_add(&seen, 1) + 1;
	if (n == k || (n > k && atomic_load(&fail_persist))) {
		atomic_store(&fired, true);
		return true;
	}
	return false;
}

/* A child forked while armed is not the path under test. */
static void atfork_child(void)
{
	atomic_store(&fail_at, 0);
}

/* ---- where the allocations go -------------------------------------------- */

#ifndef OOM_UNDER_SANITIZER

extern void *__libc_malloc(size_t n);
extern void *__libc_calloc(size_t nmemb, size_t n);
extern void *__libc_realloc(void *p, size_t n);
extern void *__libc_memalign(size_t align, size_t n);
extern void __libc_free(void *p);

static _Atomic long live_blocks;

#define next_malloc __libc_malloc
#define next_calloc __libc_calloc
#define next_realloc __libc_realloc
#define next_memalign __libc_memalign
#define next_free __libc_free

static void *counted(void *p)
{
	if (p)
		atomic_fetch_add_explicit(&live_blocks, 1,
					  memory_order_relaxed);
	return p;
}

static void uncounted(void *p)
{
	atomic_fetch_sub_explicit(&live_blocks, 1, memory_order_relaxed);
}

static bool in_arena(const void *p)
{
	return false;
}

static const unsigned char *arena_end(void)
{
	return NULL;
}

long oom_live(void)
{
	return atomic_load(&live_blocks);
}

#else /* OOM_UNDER_SANITIZER */

size_t __sanitizer_get_current_allocated_bytes(void);

static void *(*real_malloc)(size_t);
static void *(*real_calloc)(size_t, size_t);
static void *(*real_realloc)(void *, size_t);
static void *(*real_memalign)(size_t, size_t);
static void (*real_free)(void *);

/* What dlsym() allocates while we look the real ones up: never freed. */
static _Alignas(16) unsigned char arena[16384];
static size_t arena_used;
static atomic_bool resolving;

static bool in_arena(const void *p)
{
	return (const unsigned char *)p >= arena &&
	       (const unsigned char *)p < arena + sizeof(arena);
}

static const unsigned char *arena_end(void)
{
	return arena + sizeof(arena);
}

static void *arena_alloc(size_t n)
{
	void *p;

	n = (n + 15) & ~(size_t)15;
	if (n > sizeof(arena) - arena_used)
		return NULL;
	p = arena + arena_used;
	arena_used += n;
	return p;
}

static void resolve(void)
{
	atomic_store(&resolving, true);
	*(void **)&real_malloc = dlsym(RTLD_NEXT, "malloc");
	*(void **)&real_calloc = dlsym(RTLD_NEXT, "calloc");
	*(void **)&real_realloc = dlsym(RTLD_NEXT, "realloc");
	*(void **)&real_memalign = dlsym(RTLD_NEXT, "memalign");
	*(void **)&real_free = dlsym(RTLD_NEXT, "free");
	atomic_store(&resolving, false);
	if (!real_malloc || !real_calloc || !real_realloc || !real_memalign ||
	    !real_free)
		abort();
}

static void *next_malloc(size_t n)
{
	if (atomic_load(&resolving))
		return arena_alloc(n);
	if (!real_malloc)
		resolve();
	return real_malloc(n);
}

static void *next_calloc(size_t nmemb, size_t n)
{
	if (atomic_load(&resolving))
		/* the arena is static, so zeroed, and never reused */
		return n && nmemb > SIZE_MAX / n ? NULL : arena_alloc(nmemb * n);
	if (!real_calloc)
		resolve();
	return real_calloc(nmemb, n);
}

static void *next_realloc(void *p, size_t n)
{
	if (!real_realloc)
		resolve();
	return real_realloc(p, n);
}

static void *next_memalign(size_t align, size_t n)
{
	if (!real_memalign)
		resolve();
	return real_memalign(align, n);
}

static void next_free(void *p)
{
	if (!real_free) {
		if (atomic_load(&resolving))
			return; /* cannot be given back yet: kept */
		resolve();
	}
	real_free(p);
}

static void *counted(void *p)
{
	return p;
}

static void uncounted(void *p)
{
}

long oom_live(void)
{
	return (long)__sanitizer_get_current_allocated_bytes();
}

#endif /* OOM_UNDER_SANITIZER */

__attribute__((constructor)) static void oom_init(void)
{
	pthread_atfork(NULL, NULL, atfork_child);
}

/* ---- the replacement ----------------------------------------------------- */

void *malloc(size_t n)
{
	if (fail_now()) {
		errno = ENOMEM;
		return NULL;
	}
	return counted(next_malloc(n));
}

void *calloc(size_t nmemb, size_t n)
{
	if (fail_now()) {
		errno = ENOMEM;
		return NULL;
	}
	return counted(next_calloc(nmemb, n));
}

void *realloc(void *old, size_t n)
{
	void *p;

	if (!old)
		return malloc(n);
	if (!n) {
		free(old);
		return NULL;
	}
	if (fail_now()) {
		errno = ENOMEM;
		return NULL;
	}
	if (in_arena(old)) {
		/* from the arena: it cannot grow there; its size is unknown */
		size_t room = (size_t)(arena_end() - (const unsigned char *)old);

		p = next_malloc(n);
		if (p)
			memcpy(p, old, n < room ? n : room);
		return counted(p);
	}
	return next_realloc(old, n);
}

void free(void *p)
{
	if (!p || in_arena(p))
		return;
	uncounted(p);
	next_free(p);
}

void *memalign(size_t align, size_t n)
{
	if (fail_now()) {
		errno = ENOMEM;
		return NULL;
	}
	return counted(next_memalign(align, n));
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

void *pvalloc(size_t n)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);

	if (n > SIZE_MAX - page) {
		errno = ENOMEM;
		return NULL;
	}
	return memalign(page, (n + page - 1) & ~(page - 1));
}

bool oom_active(void)
{
	/* through a volatile pointer, so that the pair is not optimized out */
	void *(*volatile alloc)(size_t) = malloc;
	unsigned long before = oom_allocations();
	void *p = alloc(1);

	free(p);
	return oom_allocations() != before;
}

#else /* OOM_UNAVAILABLE */

bool oom_active(void)
{
	return false;
}

long oom_live(void)
{
	return 0;
}

#endif /* OOM_UNAVAILABLE */

unsigned int oom_find_growth(void (*step)(void *ctx, unsigned int i),
			     void *ctx, unsigned int n, unsigned int *at,
			     unsigned int max)
{
	unsigned long usual = 0;
	unsigned int found = 0;

	for (unsigned int i = 0; i < n && found < max; i++) {
		unsigned long before = oom_allocations(), made;

		step(ctx, i);
		made = oom_allocations() - before;
		if (i == 1)
			usual = made;
		else if (i > 1 && made > usual)
			at[found++] = i;
	}
	return found;
}

/* ---- the k loop ------------------------------------------------------------ */

#define OOM_MAX_STEPS 100000ul

static const char *const mode_name[2] = { "transient", "persistent" };

static bool defect(struct oom_result *res, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static bool defect(struct oom_result *res, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(res->why, sizeof(res->why), fmt, ap);
	va_end(ap);
	res->ok = false;
	return false;
}

static bool error_allowed(const struct oom_path *p, int err)
{
	static const int enomem_only[] = { -ENOMEM, 0 };
	const int *e = p->errors ? p->errors : enomem_only;

	for (; *e; e++)
		if (*e == err)
			return true;
	return false;
}

/*
 * One run of the path with allocation @k failed (0: none, counting only).
 * *@hit: whether an allocation was failed; *@n: allocations counted.
 */
static bool run_step(const struct oom_path *p, struct oom_result *res,
		     unsigned long k, int mode, bool check_leaks, bool *hit,
		     unsigned long *n)
{
	long base = oom_live(), after;
	int ret;

	if (p->setup)
		p->setup(p->ctx);
	arm(k ? k : ULONG_MAX, mode == 1, p->this_thread_only);
	ret = p->call(p->ctx);
	*hit = disarm(n);

	if (!*hit) {
		if (ret)
			return defect(res,
				      "%s: returns %d (%s) with no allocation failed (k=%lu, %s)",
				      p->name, ret, strerror(-ret), k,
				      mode_name[mode]);
		if (p->check_done)
			p->check_done(p->ctx);
	} else if (!ret) {
		/* it did without the memory: then it must have done it all */
		res->absorbed++;
		if (p->check_done)
			p->check_done(p->ctx);
	} else {
		if (!error_allowed(p, ret))
			return defect(res,
				      "%s: allocation %lu failed (%s): returns %d (%s), not an error it documents",
				      p->name, k, mode_name[mode], ret,
				      ret < 0 ? strerror(-ret) : "?");
		if (p->check_failed)
			p->check_failed(p->ctx, ret);
		ret = p->call(p->ctx);
		if (ret)
			return defect(res,
				      "%s: allocation %lu failed (%s), then the same call with memory returns %d (%s)",
				      p->name, k, mode_name[mode], ret,
				      ret < 0 ? strerror(-ret) : "?");
		if (p->check_done)
			p->check_done(p->ctx);
	}
	if (p->teardown)
		p->teardown(p->ctx);
	after = oom_live();
	if (check_leaks && after != base)
		return defect(res,
			      "%s: allocation %lu failed (%s): %ld %s more in use after teardown than before setup (a leak)",
			      p->name, k, mode_name[mode], after - base,
#ifdef OOM_UNDER_SANITIZER
			      "bytes"
#else
			      "blocks"
#endif
		);
	return true;
}

bool oom_run(const struct oom_path *p, struct oom_result *res)
{
	struct oom_result local;
	unsigned long n;
	bool hit;

	if (!res)
		res = &local;
	memset(res, 0, sizeof(*res));
	res->ok = true;
	if (!oom_active())
		return defect(res,
			      "malloc is not the harness's (valgrind without --soname-synonyms=somalloc=nouserintercepts?): no allocation can be failed");

	/*
	 * A first run lets libc set up what it keeps for good (stdio
	 * buffers, a thread stack cache); a second one counts.
	 */
	if (!run_step(p, res, 0, 0, false, &hit, &res->allocs) ||
	    !run_step(p, res, 0, 0, true, &hit, &res->allocs))
		return false;
	if (p->never_allocates && res->allocs)
		return defect(res, "%s: allocates %lu times, and must not",
			      p->name, res->allocs);

	for (int mode = 0; mode < 2; mode++) {
		for (unsigned long k = 1;; k++) {
			if (k > OOM_MAX_STEPS)
				return defect(res,
					      "%s: still failing allocations after %lu steps (%s)",
					      p->name, OOM_MAX_STEPS,
					      mode_name[mode]);
			if (!run_step(p, res, k, mode, true, &hit, &n))
				return false;
			res->steps[mode] = k;
			if (!hit)
				break;
		}
	}
	return true;
}

void oom_require(void)
{
#ifdef OOM_UNAVAILABLE
	skip();
#else
	if (!oom_active())
		fail_msg("malloc is not the harness's (valgrind without --soname-synonyms=somalloc=nouserintercepts?)");
#endif
}

void oom_assert_path(const struct oom_path *p, struct oom_result *res,
		     const char *file, int line)
{
	struct oom_result local;

	oom_require();
	if (!res)
		res = &local;
	if (!oom_run(p, res)) {
		print_error("%s\n", res->why);
		_fail(file, line);
	}
	print_message("oom: %s: %lu allocations; k = 1..%lu transient, 1..%lu persistent%s\n",
		      p->name, res->allocs, res->steps[0], res->steps[1],
		      res->absorbed ? " (some failures absorbed)" : "");
}
