/* SPDX-License-Identifier: MIT */
/*
 * libscmi-notify/smt.c: the reads that must be refused, a good read, a
 * write then read round trip, and that no access ever leaves the area:
 * each area sits at the very end of a mapped page followed by a PROT_NONE
 * guard page, so a single byte read past it faults.
 */
#include <endian.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cmocka.h>

#include <scmi/wire.h>

#include "smt.h"

#define MAX_MSG 128u
/* a response: status + MAX_MSG return bytes */
#define MAX_PAYLD (4 + MAX_MSG)
#define AREA_SZ (SCMI_SMT_HEADER_SIZE + MAX_PAYLD)

struct fx {
	uint8_t *map;       /* two pages: data, then a guard */
	size_t page;
	struct smt_area a;  /* AREA_SZ bytes ending at the guard page */
	uint8_t buf[MAX_PAYLD];
};

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	if (!fx)
		return -1;
	fx->page = (size_t)sysconf(_SC_PAGESIZE);
	fx->map = mmap(NULL, 2 * fx->page, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (fx->map == MAP_FAILED ||
	    mprotect(fx->map + fx->page, fx->page, PROT_NONE)) {
		free(fx);
		return -1;
	}
	fx->a.size = AREA_SZ;
	fx->a.base = fx->map + fx->page - AREA_SZ;
	memset(fx->map, 0xA5, fx->page);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;

	munmap(fx->map, 2 * fx->page);
	free(fx);
	return 0;
}

/* Raw access to the area, as the platform would write it. */
static void put(struct fx *fx, size_t off, uint32_t v)
{
	scmi_put_le32((uint8_t *)fx->a.base + off, v);
}

static uint32_t get(struct fx *fx, size_t off)
{
	return scmi_get_le32((uint8_t *)fx->a.base + off);
}

/* A response as a platform writes it: status, return bytes, FREE last. */
static void post_response(struct fx *fx, uint32_t hdr, int32_t status,
			  const uint8_t *ret, size_t ret_sz)
{
	uint8_t *p = (uint8_t *)fx->a.base + SCMI_SMT_PAYLOAD;

	put(fx, SCMI_SMT_FLAGS, SCMI_SMT_FLAGS_INTR);
	put(fx, SCMI_SMT_LENGTH, (uint32_t)(8 + ret_sz));
	put(fx, SCMI_SMT_MSG_HEADER, hdr);
	scmi_put_le32(p, (uint32_t)status);
	if (ret_sz)
		memcpy(p + 4, ret, ret_sz);
	put(fx, SCMI_SMT_CHANNEL_STATUS, SCMI_SMT_STATUS_FREE);
}

static struct smt_expect exp_cmd(uint8_t proto, uint8_t msg, uint16_t tok)
{
	return (struct smt_expect){
		.hdr = { .msg_id = msg, .type = SCMI_MSG_TYPE_COMMAND,
			 .proto_id = proto, .token = tok },
		.match = SMT_MATCH_ALL,
	};
}

/* ---- good reads ------------------------------------------------------ */

static void test_good_read(void **state)
{
	struct fx *fx = *state;
	uint32_t hdr = scmi_hdr_pack(0x7, 0, 0x10, 42);
	const uint8_t ret[6] = { 1, 2, 3, 4, 5, 6 };
	struct smt_expect exp = exp_cmd(0x10, 0x7, 42);
	struct smt_msg msg;

	post_response(fx, hdr, 0, ret, sizeof(ret));
	memset(fx->buf, 0, sizeof(fx->buf));
	assert_int_equal(smt_read(&fx->a, MAX_PAYLD, &exp, fx->buf,
				  sizeof(fx->buf), &msg), 0);
	assert_int_equal(msg.status, SCMI_SMT_STATUS_FREE);
	assert_int_equal(msg.flags, SCMI_SMT_FLAGS_INTR);
	assert_int_equal(msg.hdr_word, hdr);
	assert_int_equal(msg.hdr.msg_id, 0x7);
	assert_int_equal(msg.hdr.proto_id, 0x10);
	assert_int_equal(msg.hdr.token, 42);
	assert_int_equal(msg.hdr.type, 0);
	assert_int_equal(msg.payld_sz, 4 + sizeof(ret));
	assert_int_equal(scmi_get_le32(fx->buf), 0);
	assert_memory_equal(fx->buf + 4, ret, sizeof(ret));
	/* nothing copied beyond the payload */
	assert_int_equal(fx->buf[4 + sizeof(ret)], 0);
	/* reading does not change the area */
	assert_int_equal(get(fx, SCMI_SMT_CHANNEL_STATUS), SCMI_SMT_STATUS_FREE);
}

static void test_read_without_expectation(void **state)
{
	struct fx *fx = *state;
	uint32_t hdr = scmi_hdr_pack(0x1, 3, 0x13, 0);
	struct smt_expect only_type = {
		.hdr = { .type = SCMI_MSG_TYPE_NOTIFICATION },
		.match = SMT_MATCH_TYPE,
	};
	struct smt_msg msg;

	put(fx, SCMI_SMT_LENGTH, 4);
	put(fx, SCMI_SMT_MSG_HEADER, hdr);
	put(fx, SCMI_SMT_CHANNEL_STATUS, 0);
	assert_int_equal(smt_read(&fx->a, MAX_PAYLD, NULL, fx->buf,
				  sizeof(fx->buf), &msg), 0);
	assert_int_equal(msg.payld_sz, 0);
	assert_int_equal(msg.hdr.type, 3);
	assert_int_equal(smt_read(&fx->a, MAX_PAYLD, &only_type, fx->buf,
				  sizeof(fx->buf), &msg), 0);
	only_type.hdr.type = SCMI_MSG_TYPE_DELAYED_RESP;
	assert_int_equal(smt_read(&fx->a, MAX_PAYLD, &only_type, fx->buf,
				  sizeof(fx->buf), &msg), -EPROTO);
}

static void test_read_fills_area_exactly(void **state)
{
	struct fx *fx = *state;
	uint8_t ret[MAX_MSG];
	struct smt_expect exp = exp_cmd(0x80, 0xFF, 1023);
	struct smt_msg msg;

	for (size_t i = 0; i < sizeof(ret); i++)
		ret[i] = (uint8_t)(i * 7 + 1);
	post_response(fx, scmi_hdr_pack(0xFF, 0, 0x80, 1023), -10, ret,
		      sizeof(ret));
	assert_int_equal(smt_read(&fx->a, MAX_PAYLD, &exp, fx->buf,
				  sizeof(fx->buf), &msg), 0);
	assert_int_equal(msg.payld_sz, MAX_PAYLD);
	assert_int_equal((int32_t)scmi_get_le32(fx->buf), -10);
	assert_memory_equal(fx->buf + 4, ret, sizeof(ret));
}

/* ---- refusals -------------------------------------------------------- */

static void test_refuse_short_length(void **state)
{
	struct fx *fx = *state;
	struct smt_msg msg;

	for (uint32_t len = 0; len < 4; len++) {
		post_response(fx, scmi_hdr_pack(0, 0, 0x10, 0), 0, NULL, 0);
		put(fx, SCMI_SMT_LENGTH, len);
		assert_int_equal(smt_read(&fx->a, MAX_PAYLD, NULL, fx->buf,
					  sizeof(fx->buf), &msg), -EPROTO);
	}
}

static void test_refuse_long_length(void **state)
{
	struct fx *fx = *state;
	struct smt_msg msg;
	static const uint32_t lens[] = {
		4 + MAX_PAYLD + 1, 4 + MAX_PAYLD + 4, 4096, 0x7FFFFFFF,
		0x80000000u, 0xFFFFFFFBu, 0xFFFFFFFFu,
	};

	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		post_response(fx, scmi_hdr_pack(0, 0, 0x10, 0), 0, NULL, 0);
		put(fx, SCMI_SMT_LENGTH, lens[i]);
		assert_int_equal(smt_read(&fx->a, MAX_PAYLD, NULL, fx->buf,
					  sizeof(fx->buf), &msg), -EPROTO);
	}
	/* beyond the caller's maximum, though inside the area */
	post_response(fx, scmi_hdr_pack(0, 0, 0x10, 0), 0, NULL, 0);
	put(fx, SCMI_SMT_LENGTH, 4 + 64 + 1);
	assert_int_equal(smt_read(&fx->a, 64, NULL, fx->buf, sizeof(fx->buf),
				  &msg), -EPROTO);
	put(fx, SCMI_SMT_LENGTH, 4 + 64);
	assert_int_equal(smt_read(&fx->a, 64, NULL, fx->buf, sizeof(fx->buf),
				  &msg), 0);
}

static void test_refuse_beyond_area(void **state)
{
	struct fx *fx = *state;
	struct smt_area small = { fx->map + fx->page - 64, 64 };
	struct smt_msg msg;

	/* a caller maximum larger than the area: the area still bounds it */
	put(fx, SCMI_SMT_LENGTH, 0);
	scmi_put_le32((uint8_t *)small.base + SCMI_SMT_CHANNEL_STATUS,
		      SCMI_SMT_STATUS_FREE);
	scmi_put_le32((uint8_t *)small.base + SCMI_SMT_MSG_HEADER, 0);
	scmi_put_le32((uint8_t *)small.base + SCMI_SMT_LENGTH, 4 + 64 - 0x1C + 1);
	assert_int_equal(smt_read(&small, MAX_PAYLD, NULL, fx->buf,
				  sizeof(fx->buf), &msg), -EPROTO);
	scmi_put_le32((uint8_t *)small.base + SCMI_SMT_LENGTH, 4 + 64 - 0x1C);
	assert_int_equal(smt_read(&small, MAX_PAYLD, NULL, fx->buf,
				  sizeof(fx->buf), &msg), 0);
	assert_int_equal(msg.payld_sz, 64 - 0x1C);
}

static void test_refuse_channel_error(void **state)
{
	struct fx *fx = *state;
	struct smt_expect exp = exp_cmd(0x10, 0, 0);
	struct smt_msg msg;

	post_response(fx, scmi_hdr_pack(0, 0, 0x10, 0), 0, NULL, 0);
	put(fx, SCMI_SMT_CHANNEL_STATUS,
	    SCMI_SMT_STATUS_FREE | SCMI_SMT_STATUS_ERROR);
	assert_int_equal(smt_read(&fx->a, MAX_PAYLD, &exp, fx->buf,
				  sizeof(fx->buf), &msg), -ECOMM);
	assert_int_equal(msg.status, SCMI_SMT_STATUS_FREE | SCMI_SMT_STATUS_ERROR);
	put(fx, SCMI_SMT_CHANNEL_STATUS, SCMI_SMT_STATUS_ERROR);
	assert_int_equal(smt_read(&fx->a, MAX_PAYLD, &exp, fx->buf,
				  sizeof(fx->buf), &msg), -ECOMM);
	/* even with a length that would be refused: the error comes first */
	put(fx, SCMI_SMT_LENGTH, 0);
	assert_int_equal(smt_read(&fx->a, MAX_PAYLD, &exp, fx->buf,
				  sizeof(fx->buf), &msg), -ECOMM);
}

static void test_refuse_header_mismatch(void **state)
{
	struct fx *fx = *state;
	struct smt_expect exp = exp_cmd(0x10, 0x7, 5);
	struct smt_msg msg;
	static const struct {
		uint8_t msg_id, type, proto;
		uint16_t token;
	} bad[] = {
		{ 0x6, 0, 0x10, 5 },     /* message id */
		{ 0x7, 2, 0x10, 5 },     /* type: delayed response */
		{ 0x7, 3, 0x10, 5 },     /* type: notification */
		{ 0x7, 0, 0x11, 5 },     /* protocol */
		{ 0x7, 0, 0x10, 4 },     /* token: an older one */
		{ 0x7, 0, 0x10, 1023 },  /* token */
	};

	post_response(fx, scmi_hdr_pack(0x7, 0, 0x10, 5), 0, NULL, 0);
	assert_int_equal(smt_read(&fx->a, MAX_PAYLD, &exp, fx->buf,
				  sizeof(fx->buf), &msg), 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		uint32_t hdr = scmi_hdr_pack(bad[i].msg_id, bad[i].type,
					     bad[i].proto, bad[i].token);

		post_response(fx, hdr, 0, NULL, 0);
		assert_int_equal(smt_read(&fx->a, MAX_PAYLD, &exp, fx->buf,
					  sizeof(fx->buf), &msg), -EPROTO);
		assert_int_equal(msg.hdr_word, hdr);
	}
	/* reserved bits and the reserved type 1 are refused even unchecked */
	post_response(fx, scmi_hdr_pack(0x7, 0, 0x10, 5) | 1u << 31, 0, NULL, 0);
	assert_int_equal(smt_read(&fx->a, MAX_PAYLD, NULL, fx->buf,
				  sizeof(fx->buf), &msg), -EPROTO);
	post_response(fx, scmi_hdr_pack(0x7, 1, 0x10, 5), 0, NULL, 0);
	assert_int_equal(smt_read(&fx->a, MAX_PAYLD, NULL, fx->buf,
				  sizeof(fx->buf), &msg), -EPROTO);
}

static void test_bad_arguments(void **state)
{
	struct fx *fx = *state;
	struct smt_area odd = { (uint8_t *)fx->a.base + 2, 64 };
	struct smt_area odd_sz = { fx->a.base, 62 };
	struct smt_area tiny = { fx->a.base, SCMI_SMT_HEADER_SIZE - 4 };
	struct smt_msg msg;

	assert_int_equal(smt_read(&odd, 8, NULL, fx->buf, 8, &msg), -EINVAL);
	assert_int_equal(smt_read(&odd_sz, 8, NULL, fx->buf, 8, &msg), -EINVAL);
	assert_int_equal(smt_read(&tiny, 8, NULL, fx->buf, 8, &msg), -EINVAL);
	assert_int_equal(smt_read(&fx->a, 8, NULL, fx->buf, 4, &msg), -EINVAL);
	assert_int_equal(smt_read(&fx->a, 8, NULL, fx->buf, 8, NULL), -EINVAL);
	assert_int_equal(smt_write(&odd, 8, 0, 0, fx->buf, 4), -EINVAL);
	assert_int_equal(smt_write(&fx->a, 8, 0, 0, NULL, 4), -EINVAL);
}

/* ---- writes ---------------------------------------------------------- */

static void test_write_read_roundtrip(void **state)
{
	struct fx *fx = *state;
	uint8_t tx[MAX_MSG];
	struct smt_msg msg;

	for (size_t sz = 0; sz <= MAX_MSG; sz++) {
		uint32_t hdr = scmi_hdr_pack((uint8_t)sz, 0, 0x10,
					     (uint16_t)(sz * 8 % SCMI_TOKEN_MAX));
		struct smt_expect exp = exp_cmd(0x10, (uint8_t)sz,
						(uint16_t)(sz * 8 % SCMI_TOKEN_MAX));

		for (size_t i = 0; i < sz; i++)
			tx[i] = (uint8_t)(sz + i);
		put(fx, SCMI_SMT_CHANNEL_STATUS, SCMI_SMT_STATUS_FREE);
		assert_int_equal(smt_write(&fx->a, MAX_MSG, SCMI_SMT_FLAGS_INTR,
					   hdr, tx, sz), 0);
		/* busy now, the fields as SCMI lays them out */
		assert_int_equal(get(fx, SCMI_SMT_CHANNEL_STATUS), 0);
		assert_int_equal(get(fx, SCMI_SMT_FLAGS), SCMI_SMT_FLAGS_INTR);
		assert_int_equal(get(fx, SCMI_SMT_LENGTH), 4 + sz);
		assert_int_equal(get(fx, SCMI_SMT_MSG_HEADER), hdr);
		assert_memory_equal((uint8_t *)fx->a.base + SCMI_SMT_PAYLOAD,
				    tx, sz);
		/* the last word is padded with zeros */
		for (size_t i = sz; i % 4; i++)
			assert_int_equal(((uint8_t *)fx->a.base)[SCMI_SMT_PAYLOAD + i], 0);

		assert_int_equal(smt_read(&fx->a, MAX_PAYLD, &exp, fx->buf,
					  sizeof(fx->buf), &msg), 0);
		assert_int_equal(msg.payld_sz, sz);
		assert_memory_equal(fx->buf, tx, sz);
		assert_int_equal(msg.status, 0);
	}
	/* the reserved words are left alone */
	assert_int_equal(get(fx, SCMI_SMT_RESERVED0), 0xA5A5A5A5u);
	assert_int_equal(get(fx, SCMI_SMT_RESERVED1), 0xA5A5A5A5u);
	assert_int_equal(get(fx, SCMI_SMT_RESERVED1 + 4), 0xA5A5A5A5u);
}

static void test_write_refuses_too_large(void **state)
{
	struct fx *fx = *state;
	uint8_t tx[MAX_PAYLD + 8] = { 0 };
	struct smt_area small = { fx->map + fx->page - 64, 64 };

	put(fx, SCMI_SMT_CHANNEL_STATUS, SCMI_SMT_STATUS_FREE);
	put(fx, SCMI_SMT_LENGTH, 0x11111111);
	assert_int_equal(smt_write(&fx->a, MAX_MSG, 0, 0, tx, MAX_MSG + 1),
			 -ERANGE);
	/* nothing was written */
	assert_int_equal(get(fx, SCMI_SMT_CHANNEL_STATUS), SCMI_SMT_STATUS_FREE);
	assert_int_equal(get(fx, SCMI_SMT_LENGTH), 0x11111111);
	/* the area bounds it too, whatever the maximum */
	assert_int_equal(smt_write(&small, MAX_MSG, 0, 0, tx, 64 - 0x1C + 1),
			 -ERANGE);
	assert_int_equal(smt_write(&small, MAX_MSG, 0, 0, tx, 64 - 0x1C), 0);
}

static void test_mark_free_and_status(void **state)
{
	struct fx *fx = *state;

	put(fx, SCMI_SMT_CHANNEL_STATUS, 0);
	assert_int_equal(smt_get_status(&fx->a), 0);
	smt_mark_free(&fx->a);
	assert_int_equal(get(fx, SCMI_SMT_CHANNEL_STATUS), SCMI_SMT_STATUS_FREE);
	assert_int_equal(smt_get_status(&fx->a), SCMI_SMT_STATUS_FREE);
	/* FREE is a full-word write: it also clears ERROR */
	put(fx, SCMI_SMT_CHANNEL_STATUS, SCMI_SMT_STATUS_ERROR);
	smt_mark_free(&fx->a);
	assert_int_equal(get(fx, SCMI_SMT_CHANNEL_STATUS), SCMI_SMT_STATUS_FREE);
}

/* ---- the guard page -------------------------------------------------- */

static void test_never_past_the_area(void **state)
{
	struct fx *fx = *state;
	struct smt_msg msg;

	/*
	 * Every length, each a read at the end of a page followed by a
	 * PROT_NONE page: any access past the area would fault. Areas of
	 * several sizes, the smallest holding just the SMT header.
	 */
	for (size_t area_sz = SCMI_SMT_HEADER_SIZE; area_sz <= AREA_SZ;
	     area_sz += 4) {
		struct smt_area a = { fx->map + fx->page - area_sz, area_sz };
		size_t room = area_sz - SCMI_SMT_HEADER_SIZE;

		for (uint32_t len = 0; len <= 4 + MAX_PAYLD + 8; len++) {
			int ret;

			scmi_put_le32((uint8_t *)a.base + SCMI_SMT_CHANNEL_STATUS,
				      SCMI_SMT_STATUS_FREE);
			scmi_put_le32((uint8_t *)a.base + SCMI_SMT_LENGTH, len);
			scmi_put_le32((uint8_t *)a.base + SCMI_SMT_MSG_HEADER,
				      scmi_hdr_pack(1, 0, 0x10, 1));
			ret = smt_read(&a, MAX_PAYLD, NULL, fx->buf,
				       sizeof(fx->buf), &msg);
			if (len >= 4 && len - 4 <= room)
				assert_int_equal(ret, 0);
			else
				assert_int_equal(ret, -EPROTO);
		}
		/* and writes up to the last byte of it */
		for (size_t sz = 0; sz <= room && sz <= MAX_PAYLD; sz++) {
			uint8_t tx[MAX_PAYLD];

			memset(tx, 0x5A, sizeof(tx));
			assert_int_equal(smt_write(&a, MAX_PAYLD, 0, 0, tx, sz), 0);
		}
	}
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_good_read),
		T(test_read_without_expectation),
		T(test_read_fills_area_exactly),
		T(test_refuse_short_length),
		T(test_refuse_long_length),
		T(test_refuse_beyond_area),
		T(test_refuse_channel_error),
		T(test_refuse_header_mismatch),
		T(test_bad_arguments),
		T(test_write_read_roundtrip),
		T(test_write_refuses_too_large),
		T(test_mark_free_and_status),
		T(test_never_past_the_area),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
