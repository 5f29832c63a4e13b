/* SPDX-License-Identifier: MIT */
/*
 * Programs linked against LIBSCMI_NOTIFY_0.1 keep working (compat.c):
 * the shared library (SCMI_LIB) is opened as such a program's would be,
 * and its symbols of 0.1 are taken by version with dlvsym(). Each of the
 * 0.1 names that was renamed or now takes a size is there as NAME@0.1,
 * and not as a default version (dlsym() does not find it: a program built
 * now cannot link to it). The 0.1 scmi_agent_create() and
 * scmi_notify_create() read no byte beyond a config of 0.1's size: the
 * config ends where an inaccessible page begins. The info functions of
 * 0.1 give what today's give. The 0.1 struct of a config is a local copy
 * of its layout then.
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <scmi/sensor.h>

#include "fixture.h"

#define NODE_0_1 "LIBSCMI_NOTIFY_0.1"

/* struct scmi_agent_config as LIBSCMI_NOTIFY 0.1 released it. */
struct agent_config_0_1 {
	uint32_t timeout_ms;
	scmi_log_fn log_fn;
	void *log_userdata;
	enum scmi_log_level log_level;
	size_t queue_sz;
	bool manual_dispatch;
	bool reconnect;
	uint32_t reconnect_interval_ms;
	scmi_agent_state_fn state_fn;
	void *state_userdata;
	uint32_t delayed_timeout_ms;
};

/* The 0.1 names kept as NAME@LIBSCMI_NOTIFY_0.1 alone. */
static const char *const compat_names[] = {
	"scmi_agent_state", "scmi_agent_create", "scmi_notify_create",
	"scmi_agent_base_info", "scmi_agent_get_stats",
	"scmi_notify_get_stats", "scmi_clock_protocol_info",
	"scmi_clock_info", "scmi_perf_protocol_info", "scmi_perf_domain_info",
	"scmi_power_protocol_info", "scmi_power_domain_info",
	"scmi_powercap_info", "scmi_reset_protocol_info",
	"scmi_reset_domain_info", "scmi_sensor_info",
	"scmi_system_power_info", "scmi_voltage_protocol_info",
	"scmi_voltage_domain_info",
};

struct lib {
	void *h;
	int (*create_0_1)(struct scmi_agent **, const void *);
	int (*notify_create_0_1)(struct scmi_notify **, const void *);
	int (*state_0_1)(const struct scmi_agent *);
	int (*sensor_info_0_1)(struct scmi_agent *, uint32_t,
			       struct scmi_sensor_info *);
	int (*base_info_0_1)(struct scmi_agent *, struct scmi_base_info *);
	int (*connect)(struct scmi_agent *, const char *);
	void (*destroy)(struct scmi_agent *);
	int (*notify_destroy)(struct scmi_notify *);
	int (*sensor_info_sized)(struct scmi_agent *, uint32_t,
				 struct scmi_sensor_info *, size_t);
	int (*base_info_sized)(struct scmi_agent *, struct scmi_base_info *,
			       size_t);
};

/* Take a symbol into a function pointer (POSIX: dlsym's object). */
#define TAKE(dst, sym) memcpy(&(dst), &(void *){ (sym) }, sizeof(dst))

static void lib_open(struct lib *l)
{
	const char *path = getenv("SCMI_LIB");

	memset(l, 0, sizeof(*l));
	if (!path)
		skip();
	l->h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!l->h)
		fail_msg("dlopen %s: %s", path, dlerror());
	TAKE(l->create_0_1, dlvsym(l->h, "scmi_agent_create", NODE_0_1));
	TAKE(l->notify_create_0_1,
	     dlvsym(l->h, "scmi_notify_create", NODE_0_1));
	TAKE(l->state_0_1, dlvsym(l->h, "scmi_agent_state", NODE_0_1));
	TAKE(l->sensor_info_0_1, dlvsym(l->h, "scmi_sensor_info", NODE_0_1));
	TAKE(l->base_info_0_1,
	     dlvsym(l->h, "scmi_agent_base_info", NODE_0_1));
	TAKE(l->connect, dlsym(l->h, "scmi_agent_connect"));
	TAKE(l->destroy, dlsym(l->h, "scmi_agent_destroy"));
	TAKE(l->notify_destroy, dlsym(l->h, "scmi_notify_destroy"));
	TAKE(l->sensor_info_sized, dlsym(l->h, "scmi_sensor_info_get_sized"));
	TAKE(l->base_info_sized, dlsym(l->h, "scmi_agent_base_info_sized"));
	assert_non_null(l->create_0_1);
	assert_non_null(l->notify_create_0_1);
	assert_non_null(l->state_0_1);
	assert_non_null(l->sensor_info_0_1);
	assert_non_null(l->base_info_0_1);
	assert_non_null(l->connect);
	assert_non_null(l->destroy);
	assert_non_null(l->notify_destroy);
	assert_non_null(l->sensor_info_sized);
	assert_non_null(l->base_info_sized);
}

/*
 * Two pages, the second inaccessible: the address of @sz bytes that end
 * where it begins. *@map is the mapping (for guard_free()).
 */
static void *guarded(size_t sz, void **map)
{
	long page = sysconf(_SC_PAGESIZE);
	unsigned char *m = mmap(NULL, 2 * (size_t)page, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	assert_true(m != MAP_FAILED);
	assert_int_equal(mprotect(m + page, (size_t)page, PROT_NONE), 0);
	*map = m;
	return m + page - sz;
}

static void guard_free(void *map)
{
	munmap(map, 2 * (size_t)sysconf(_SC_PAGESIZE));
}

/* Every compat name is there in 0.1, and not as a default version. */
static void test_names_kept(void **state)
{
	struct lib l;

	(void)state;
	lib_open(&l);
	for (size_t i = 0; i < sizeof(compat_names) / sizeof(compat_names[0]);
	     i++) {
		if (!dlvsym(l.h, compat_names[i], NODE_0_1))
			fail_msg("%s@%s is missing", compat_names[i], NODE_0_1);
		if (dlsym(l.h, compat_names[i]))
			fail_msg("%s has a default version", compat_names[i]);
	}
	dlclose(l.h);
}

/*
 * A 0.1 program: its configs end at an inaccessible page (a read beyond
 * them is a crash), its info structs are of 0.1's size; it connects and
 * gets what a program of today gets.
 */
static void test_program_of_0_1(void **state)
{
	struct fx *fx = *state;
	struct agent_config_0_1 *cfg;
	struct scmi_sensor_info *info, want;
	struct scmi_base_info *bi, bwant;
	struct scmi_notify *ni = NULL;
	struct scmi_agent *a = NULL;
	void *m1, *m2, *m3, *m4;
	struct lib l;

	lib_open(&l);
	cfg = guarded(sizeof(*cfg), &m1);
	memset(cfg, 0, sizeof(*cfg));
	cfg->timeout_ms = FX_TIMEOUT_MS;
	assert_int_equal(l.create_0_1(&a, cfg), 0);
	assert_int_equal(l.state_0_1(a), SCMI_AGENT_DISCONNECTED);
	assert_int_equal(l.connect(a, fx->sim.sock), 0);
	assert_int_equal(l.state_0_1(a), SCMI_AGENT_CONNECTED);

	info = guarded(sizeof(*info), &m2);
	assert_int_equal(l.sensor_info_0_1(a, 0, info), 0);
	assert_int_equal(l.sensor_info_sized(a, 0, &want, sizeof(want)), 0);
	assert_memory_equal(info, &want, sizeof(want));
	bi = guarded(sizeof(*bi), &m3);
	assert_int_equal(l.base_info_0_1(a, bi), 0);
	assert_int_equal(l.base_info_sized(a, &bwant, sizeof(bwant)), 0);
	assert_memory_equal(bi, &bwant, sizeof(bwant));
	assert_true(bi->num_protocols > 0);
	l.destroy(a);

	/* the notify config of 0.1 (as today's): read no further */
	m4 = NULL;
	{
		struct scmi_notify_config *ncfg = guarded(sizeof(*ncfg), &m4);

		memset(ncfg, 0, sizeof(*ncfg));
		ncfg->manual_dispatch = true;
		assert_int_equal(l.notify_create_0_1(&ni, ncfg), 0);
		assert_int_equal(l.notify_destroy(ni), 0);
	}

	guard_free(m1);
	guard_free(m2);
	guard_free(m3);
	guard_free(m4);
	dlclose(l.h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names_kept),
		FX_TEST(test_program_of_0_1),
	};

	return fx_run_tests(tests);
}
