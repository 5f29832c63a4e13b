/* SPDX-License-Identifier: MIT */
/*
 * include/scmi/paths.h: the default socket path under each form of
 * XDG_RUNTIME_DIR (absolute, relative, empty, unset), and its refusals:
 * NULL, a zero size, a buffer one byte short, a path too long for a UNIX
 * socket address.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>
#include <unistd.h>

#include <cmocka.h>

#include <scmi/paths.h>

#define SUN_PATH_MAX (sizeof(((struct sockaddr_un *)0)->sun_path) - 1)

/* The path without XDG_RUNTIME_DIR: /tmp/scmi-sim-$UID/scmi-sim.sock. */
static void tmp_path(char *buf, size_t sz)
{
	snprintf(buf, sz, "/tmp/scmi-sim-%u/scmi-sim.sock", (unsigned int)getuid());
}

static void expect_path(const char *want)
{
	char buf[256];

	memset(buf, 'x', sizeof(buf));
	assert_int_equal(scmi_default_socket_path(buf, sizeof(buf)),
			 (int)strlen(want));
	assert_string_equal(buf, want);
}

static void test_xdg_runtime_dir(void **state)
{
	assert_int_equal(setenv("XDG_RUNTIME_DIR", "/run/user/1000", 1), 0);
	expect_path("/run/user/1000/scmi-sim.sock");
	assert_int_equal(setenv("XDG_RUNTIME_DIR", "/", 1), 0);
	expect_path("//scmi-sim.sock");
}

static void test_tmp_fallback(void **state)
{
	char want[64];

	tmp_path(want, sizeof(want));
	assert_int_equal(unsetenv("XDG_RUNTIME_DIR"), 0);
	expect_path(want);
	/* only an absolute XDG_RUNTIME_DIR counts */
	assert_int_equal(setenv("XDG_RUNTIME_DIR", "", 1), 0);
	expect_path(want);
	assert_int_equal(setenv("XDG_RUNTIME_DIR", "run/user/1000", 1), 0);
	expect_path(want);
}

static void test_refusals(void **state)
{
	char buf[256], dir[256];
	size_t len = strlen("/run/user/1000/scmi-sim.sock");

	assert_int_equal(setenv("XDG_RUNTIME_DIR", "/run/user/1000", 1), 0);
	assert_int_equal(scmi_default_socket_path(NULL, sizeof(buf)), -EINVAL);
	assert_int_equal(scmi_default_socket_path(buf, 0), -EINVAL);
	/* room for the path and its NUL, and one byte less */
	assert_int_equal(scmi_default_socket_path(buf, len + 1), (int)len);
	memset(buf, 'x', sizeof(buf));
	assert_int_equal(scmi_default_socket_path(buf, len), -ENAMETOOLONG);
	assert_string_equal(buf, "");

	/* the longest path a UNIX socket takes, and one byte more */
	memset(dir, 'd', sizeof(dir));
	dir[0] = '/';
	dir[SUN_PATH_MAX - strlen("/scmi-sim.sock")] = '\0';
	assert_int_equal(setenv("XDG_RUNTIME_DIR", dir, 1), 0);
	assert_int_equal(scmi_default_socket_path(buf, sizeof(buf)),
			 (int)SUN_PATH_MAX);
	strcat(dir, "d");
	assert_int_equal(setenv("XDG_RUNTIME_DIR", dir, 1), 0);
	memset(buf, 'x', sizeof(buf));
	assert_int_equal(scmi_default_socket_path(buf, sizeof(buf)),
			 -ENAMETOOLONG);
	assert_string_equal(buf, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xdg_runtime_dir),
		cmocka_unit_test(test_tmp_fallback),
		cmocka_unit_test(test_refusals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
