/* SPDX-License-Identifier: MIT */
/*
 * include/scmi/wire.h and include/scmi/transport.h: the header codec over
 * every field's full range, masking and refusals; the status-to-errno
 * table entry by entry; the little-endian helpers; the hello codec and
 * each of its refusals.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <scmi/transport.h>
#include <scmi/wire.h>

static const uint8_t types[] = { SCMI_MSG_TYPE_COMMAND,
				 SCMI_MSG_TYPE_DELAYED_RESP,
				 SCMI_MSG_TYPE_NOTIFICATION };

static void roundtrip(uint8_t msg_id, uint8_t type, uint8_t proto_id,
		      uint16_t token)
{
	uint32_t w = scmi_hdr_pack(msg_id, type, proto_id, token);
	struct scmi_msg_hdr h;

	assert_int_equal(w & SCMI_HDR_RESERVED_MASK, 0);
	assert_int_equal(scmi_hdr_unpack(w, &h), 0);
	assert_int_equal(h.msg_id, msg_id);
	assert_int_equal(h.type, type);
	assert_int_equal(h.proto_id, proto_id);
	assert_int_equal(h.token, token);
	/* the layout of SCMI-REFERENCE.md 3, field by field */
	assert_int_equal(w, (uint32_t)msg_id | (uint32_t)type << 8 |
				    (uint32_t)proto_id << 10 |
				    (uint32_t)token << 18);
}

/* ---- header codec ---------------------------------------------------- */

static void test_hdr_msg_id_full_range(void **state)
{
	for (unsigned int m = 0; m <= 0xFF; m++)
		for (size_t t = 0; t < sizeof(types); t++) {
			roundtrip((uint8_t)m, types[t], 0, 0);
			roundtrip((uint8_t)m, types[t], 0xFF, 1023);
			roundtrip((uint8_t)m, types[t], 0x10, 512);
		}
}

static void test_hdr_proto_full_range(void **state)
{
	for (unsigned int p = 0; p <= 0xFF; p++)
		for (size_t t = 0; t < sizeof(types); t++) {
			roundtrip(0, types[t], (uint8_t)p, 0);
			roundtrip(0xFF, types[t], (uint8_t)p, 1023);
			roundtrip(0x55, types[t], (uint8_t)p, 0x2AA);
		}
}

static void test_hdr_token_full_range(void **state)
{
	for (unsigned int tok = 0; tok < SCMI_TOKEN_MAX; tok++)
		for (size_t t = 0; t < sizeof(types); t++) {
			roundtrip(0, types[t], 0, (uint16_t)tok);
			roundtrip(0xFF, types[t], 0xFF, (uint16_t)tok);
			roundtrip(0xAA, types[t], 0x55, (uint16_t)tok);
		}
}

static void test_hdr_exhaustive_fields(void **state)
{
	/* every combination of each field's bounds and a middle value */
	static const uint8_t ids[] = { 0, 1, 0x7F, 0x80, 0xFE, 0xFF };
	static const uint16_t toks[] = { 0, 1, 511, 512, 1022, 1023 };

	for (size_t m = 0; m < sizeof(ids); m++)
		for (size_t t = 0; t < sizeof(types); t++)
			for (size_t p = 0; p < sizeof(ids); p++)
				for (size_t k = 0; k < 6; k++)
					roundtrip(ids[m], types[t], ids[p],
						  toks[k]);
}

static void test_hdr_known_values(void **state)
{
	/* SCMI-REFERENCE.md 3's examples */
	assert_int_equal(scmi_hdr_pack(0x0, 0, 0x10, 0), 0x00004000);
	assert_int_equal(scmi_hdr_pack(0x7, 0, 0x13, 5), 0x00144C07);
	assert_int_equal(scmi_hdr_pack(0x0, 3, 0x11, 0), 0x00004700);
	assert_int_equal(scmi_hdr_pack(0x1, 3, 0x13, 0), 0x00004F01);
	for (uint16_t tok = 0; tok < SCMI_TOKEN_MAX; tok += 97)
		assert_int_equal(scmi_hdr_pack(0x5, 2, 0x14, tok),
				 0x00005205u | (uint32_t)tok << 18);
	assert_int_equal(scmi_hdr_pack(0x0, 3, 0x10, 0), 0x00004300);
}

static void test_hdr_pack_masks(void **state)
{
	struct scmi_msg_hdr h;

	/* a token beyond 10 bits is masked to its width */
	assert_int_equal(scmi_hdr_pack(0, 0, 0, 1024), scmi_hdr_pack(0, 0, 0, 0));
	assert_int_equal(scmi_hdr_pack(0, 0, 0, 1025), scmi_hdr_pack(0, 0, 0, 1));
	assert_int_equal(scmi_hdr_pack(0, 0, 0, 0xFFFF),
			 scmi_hdr_pack(0, 0, 0, 1023));
	/* a type beyond 2 bits too */
	assert_int_equal(scmi_hdr_pack(0, 4, 0, 0), scmi_hdr_pack(0, 0, 0, 0));
	assert_int_equal(scmi_hdr_pack(0, 7, 0, 0), scmi_hdr_pack(0, 3, 0, 0));
	/* never into the reserved bits or a neighbour field */
	assert_int_equal(scmi_hdr_pack(0xFF, 0xFF, 0xFF, 0xFFFF),
			 ~SCMI_HDR_RESERVED_MASK);
	assert_int_equal(scmi_hdr_pack(0, 0xFF, 0, 0), SCMI_HDR_TYPE_MASK);
	assert_int_equal(scmi_hdr_pack(0, 0, 0, 0xFFFF), SCMI_HDR_TOKEN_MASK);
	assert_int_equal(scmi_hdr_pack(0, 0, 0xFF, 0), SCMI_HDR_PROTO_MASK);
	assert_int_equal(scmi_hdr_pack(0xFF, 0, 0, 0), SCMI_HDR_MSG_ID_MASK);
	/* the masks tile the word */
	assert_int_equal(SCMI_HDR_MSG_ID_MASK | SCMI_HDR_TYPE_MASK |
				 SCMI_HDR_PROTO_MASK | SCMI_HDR_TOKEN_MASK |
				 SCMI_HDR_RESERVED_MASK,
			 0xFFFFFFFFu);
	assert_int_equal(scmi_hdr_unpack(0x0FFFFFFF, &h), 0);
	assert_int_equal(h.msg_id, 0xFF);
	assert_int_equal(h.type, 3);
	assert_int_equal(h.proto_id, 0xFF);
	assert_int_equal(h.token, 1023);
}

static void test_hdr_unpack_refuses(void **state)
{
	struct scmi_msg_hdr h;

	/* each reserved bit alone, over a valid header */
	for (unsigned int bit = 28; bit < 32; bit++) {
		uint32_t w = scmi_hdr_pack(0x12, 0, 0x10, 7) | 1u << bit;

		assert_int_equal(scmi_hdr_unpack(w, &h), -EPROTO);
	}
	assert_int_equal(scmi_hdr_unpack(0xF0000000u, &h), -EPROTO);
	assert_int_equal(scmi_hdr_unpack(0xFFFFFFFFu, &h), -EPROTO);
	/* the reserved type 1, whatever the other fields */
	for (unsigned int p = 0; p <= 0xFF; p += 0x11) {
		uint32_t w = scmi_hdr_pack((uint8_t)p, 1, (uint8_t)p, (uint16_t)(p * 4));

		assert_int_equal(scmi_hdr_unpack(w, &h), -EPROTO);
		assert_int_equal(h.type, 1);
	}
	assert_int_equal(scmi_hdr_unpack(1u << SCMI_HDR_TYPE_SHIFT, &h), -EPROTO);
	/* the other types are accepted */
	for (size_t t = 0; t < sizeof(types); t++)
		assert_int_equal(scmi_hdr_unpack((uint32_t)types[t] << 8, &h), 0);
}

/* ---- status codes ---------------------------------------------------- */

static void test_status_table(void **state)
{
	static const struct {
		int32_t status;
		int err;
		const char *name;
	} table[] = {
		{ SCMI_SUCCESS, 0, "SUCCESS" },
		{ SCMI_ERR_SUPPORT, -EOPNOTSUPP, "NOT_SUPPORTED" },
		{ SCMI_ERR_PARAMS, -EINVAL, "INVALID_PARAMETERS" },
		{ SCMI_ERR_ACCESS, -EACCES, "DENIED" },
		{ SCMI_ERR_ENTRY, -ENOENT, "NOT_FOUND" },
		{ SCMI_ERR_RANGE, -ERANGE, "OUT_OF_RANGE" },
		{ SCMI_ERR_BUSY, -EBUSY, "BUSY" },
		{ SCMI_ERR_COMMS, -ECOMM, "COMMS_ERROR" },
		{ SCMI_ERR_GENERIC, -EIO, "GENERIC_ERROR" },
		{ SCMI_ERR_HARDWARE, -EREMOTEIO, "HARDWARE_ERROR" },
		{ SCMI_ERR_PROTOCOL, -EPROTO, "PROTOCOL_ERROR" },
		{ SCMI_ERR_IN_USE, -EIO, "IN_USE" },
	};

	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		assert_int_equal(table[i].status, -(int32_t)i);
		assert_int_equal(scmi_status_to_errno(table[i].status),
				 table[i].err);
		assert_string_equal(scmi_status_name(table[i].status),
				    table[i].name);
	}
}

static void test_status_unknown_is_eio(void **state)
{
	static const int32_t unknown[] = {
		1, 2, 11, 0x7FFFFFFF, -12, -13, -100, -0x7FFFFFFF, INT32_MIN,
	};

	for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
		assert_int_equal(scmi_status_to_errno(unknown[i]), -EIO);
		assert_string_equal(scmi_status_name(unknown[i]), "UNKNOWN");
	}
	/* as read from the wire: an unsigned word cast to int32_t */
	assert_int_equal(scmi_status_to_errno((int32_t)0xFFFFFFFFu), -EOPNOTSUPP);
	assert_int_equal(scmi_status_to_errno((int32_t)0xFFFFFFF6u), -EPROTO);
	assert_int_equal(scmi_status_to_errno((int32_t)0xFFFFFFF4u), -EIO);
	assert_int_equal(scmi_status_to_errno((int32_t)0x80000000u), -EIO);
}

/* ---- little-endian words --------------------------------------------- */

static void test_le_helpers(void **state)
{
	uint8_t buf[16];

	memset(buf, 0xEE, sizeof(buf));
	scmi_put_le32(buf + 1, 0x12345678); /* unaligned on purpose */
	assert_int_equal(buf[0], 0xEE);
	assert_int_equal(buf[1], 0x78);
	assert_int_equal(buf[2], 0x56);
	assert_int_equal(buf[3], 0x34);
	assert_int_equal(buf[4], 0x12);
	assert_int_equal(buf[5], 0xEE);
	assert_int_equal(scmi_get_le32(buf + 1), 0x12345678);

	memset(buf, 0xEE, sizeof(buf));
	scmi_put_le64(buf + 3, 0x0102030405060708ull);
	static const uint8_t want[8] = { 8, 7, 6, 5, 4, 3, 2, 1 };
	assert_memory_equal(buf + 3, want, 8);
	assert_int_equal(buf[2], 0xEE);
	assert_int_equal(buf[11], 0xEE);
	assert_true(scmi_get_le64(buf + 3) == 0x0102030405060708ull);
	/* low word first */
	assert_int_equal(scmi_get_le32(buf + 3), 0x05060708);
	assert_int_equal(scmi_get_le32(buf + 7), 0x01020304);

	static const uint32_t v32[] = { 0, 1, 0x80, 0xFF, 0x100, 0x7FFFFFFF,
					0x80000000u, 0xFFFFFFFFu, 0xDEADBEEFu };
	for (size_t i = 0; i < sizeof(v32) / sizeof(v32[0]); i++) {
		scmi_put_le32(buf, v32[i]);
		assert_int_equal(scmi_get_le32(buf), v32[i]);
	}
	static const uint64_t v64[] = { 0, 1, 0xFFFFFFFFull, 0x100000000ull,
					UINT64_MAX, 0x8000000000000000ull };
	for (size_t i = 0; i < sizeof(v64) / sizeof(v64[0]); i++) {
		scmi_put_le64(buf, v64[i]);
		assert_true(scmi_get_le64(buf) == v64[i]);
	}
}

static void test_version_macros(void **state)
{
	assert_int_equal(SCMI_VERSION(2, 1), 0x00020001);
	assert_int_equal(SCMI_VERSION_MAJOR(0x00020001), 2);
	assert_int_equal(SCMI_VERSION_MINOR(0x00020001), 1);
	assert_int_equal(SCMI_VERSION(0xFFFF, 0xFFFF), 0xFFFFFFFFu);
	assert_int_equal(SCMI_VERSION_MAJOR(0xFFFF0000u), 0xFFFF);
	assert_int_equal(SCMI_VERSION_MINOR(0xFFFF0000u), 0);
}

static void test_smt_layout(void **state)
{
	assert_int_equal(SCMI_SMT_CHANNEL_STATUS, 0x04);
	assert_int_equal(SCMI_SMT_FLAGS, 0x10);
	assert_int_equal(SCMI_SMT_LENGTH, 0x14);
	assert_int_equal(SCMI_SMT_MSG_HEADER, 0x18);
	assert_int_equal(SCMI_SMT_PAYLOAD, 0x1C);
	assert_int_equal(SCMI_SMT_MIN_AREA_SIZE, 0x1C + 4 + 128);
}

/* ---- hello ----------------------------------------------------------- */

static struct scmi_hello good_hello(void)
{
	return (struct scmi_hello){
		.magic = SCMI_HELLO_MAGIC,
		.version = SCMI_TRANSPORT_VERSION,
		.agent_id = 3,
		.flags = 0,
		.region_size = 8192,
		.a2p_offset = 0,
		.a2p_size = 4096,
		.p2a_offset = 4096,
		.p2a_size = 4096,
		.max_msg_size = 128,
		.num_fds = SCMI_HELLO_NUM_FDS,
	};
}

static int decode(const struct scmi_hello *h)
{
	uint8_t buf[SCMI_HELLO_SIZE];
	struct scmi_hello out;

	scmi_hello_encode(h, buf);
	return scmi_hello_decode(buf, sizeof(buf), &out);
}

static void test_hello_roundtrip(void **state)
{
	struct scmi_hello h = good_hello(), out;
	uint8_t buf[SCMI_HELLO_SIZE];

	scmi_hello_encode(&h, buf);
	/* "SCMI" on the wire */
	assert_memory_equal(buf, "SCMI", 4);
	assert_int_equal(scmi_get_le32(buf + SCMI_HELLO_AGENT_ID_OFF), 3);
	assert_int_equal(scmi_get_le32(buf + SCMI_HELLO_NUM_FDS_OFF), 5);
	memset(&out, 0xAA, sizeof(out));
	assert_int_equal(scmi_hello_decode(buf, sizeof(buf), &out), 0);
	assert_memory_equal(&out, &h, sizeof(h));

	/* the bounds that are accepted */
	h.agent_id = 1;
	assert_int_equal(decode(&h), 0);
	h.agent_id = 255;
	assert_int_equal(decode(&h), 0);
	h.max_msg_size = 8;
	assert_int_equal(decode(&h), 0);
	/* areas of exactly the minimum size, back to back */
	h = good_hello();
	h.a2p_size = SCMI_SMT_HEADER_SIZE + 4 + 128;
	h.p2a_offset = h.a2p_size;
	h.p2a_size = SCMI_SMT_HEADER_SIZE + 4 + 128;
	h.region_size = h.a2p_size + h.p2a_size;
	assert_int_equal(decode(&h), 0);
	/* P2A first */
	h = good_hello();
	h.a2p_offset = 4096;
	h.p2a_offset = 0;
	assert_int_equal(decode(&h), 0);
	/* largest max_msg_size with areas that fit it */
	h = good_hello();
	h.max_msg_size = 65536;
	h.a2p_size = h.p2a_size = 65536 + 4096;
	h.p2a_offset = h.a2p_size;
	h.region_size = 2 * h.a2p_size;
	assert_int_equal(decode(&h), 0);
}

static void test_hello_refusals(void **state)
{
	struct scmi_hello h;
	uint8_t buf[SCMI_HELLO_SIZE + 4];
	struct scmi_hello out;

	/* length */
	h = good_hello();
	scmi_hello_encode(&h, buf);
	assert_int_equal(scmi_hello_decode(buf, SCMI_HELLO_SIZE - 1, &out), -EPROTO);
	assert_int_equal(scmi_hello_decode(buf, SCMI_HELLO_SIZE + 4, &out), -EPROTO);
	assert_int_equal(scmi_hello_decode(buf, 0, &out), -EPROTO);

#define REFUSED(stmt)                                                         \
	do {                                                                  \
		h = good_hello();                                             \
		stmt;                                                         \
		assert_int_equal(decode(&h), -EPROTO);                        \
	} while (0)

	REFUSED(h.magic = 0x494D4354);
	REFUSED(h.magic = 0);
	REFUSED(h.version = 0);
	REFUSED(h.version = 1); /* version 1 rang with writes of 1 */
	REFUSED(h.version = 3);
	REFUSED(h.flags = 1);
	REFUSED(h.flags = 0x80000000u);
	REFUSED(h.agent_id = 0);
	REFUSED(h.agent_id = 256);
	REFUSED(h.agent_id = 0xFFFFFFFFu);
	REFUSED(h.num_fds = 4);
	REFUSED(h.num_fds = 6);
	REFUSED(h.max_msg_size = 7);
	REFUSED(h.max_msg_size = 0);
	REFUSED(h.max_msg_size = 65537);
	/* misaligned areas */
	REFUSED(h.a2p_offset = 2);
	REFUSED(h.p2a_offset = 4098);
	REFUSED(h.a2p_size = 4094);
	REFUSED(h.p2a_size = 4094);
	/* too small for a header, a status and max_msg_size bytes */
	REFUSED(h.a2p_size = SCMI_SMT_HEADER_SIZE + 4 + 128 - 4);
	REFUSED(h.p2a_size = SCMI_SMT_HEADER_SIZE + 4 + 124);
	REFUSED(h.max_msg_size = 4096);
	/* outside the region */
	REFUSED(h.region_size = 8188);
	REFUSED(h.p2a_offset = 8192);
	REFUSED(h.p2a_offset = 0xFFFFF000u);
	REFUSED(h.p2a_size = 0xFFFFF000u);
	REFUSED((h.p2a_offset = 0xFFFFFFFCu, h.p2a_size = 8));
	REFUSED(h.region_size = 0);
	/* overlapping areas */
	REFUSED(h.p2a_offset = 4092);
	REFUSED(h.p2a_offset = 0);
	REFUSED((h.region_size = 16384, h.a2p_offset = 4096, h.a2p_size = 8192,
		 h.p2a_offset = 8192));
	REFUSED((h.region_size = 16384, h.a2p_offset = 8192, h.p2a_offset = 4096,
		 h.p2a_size = 8192));
#undef REFUSED
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hdr_msg_id_full_range),
		cmocka_unit_test(test_hdr_proto_full_range),
		cmocka_unit_test(test_hdr_token_full_range),
		cmocka_unit_test(test_hdr_exhaustive_fields),
		cmocka_unit_test(test_hdr_known_values),
		cmocka_unit_test(test_hdr_pack_masks),
		cmocka_unit_test(test_hdr_unpack_refuses),
		cmocka_unit_test(test_status_table),
		cmocka_unit_test(test_status_unknown_is_eio),
		cmocka_unit_test(test_le_helpers),
		cmocka_unit_test(test_version_macros),
		cmocka_unit_test(test_smt_layout),
		cmocka_unit_test(test_hello_roundtrip),
		cmocka_unit_test(test_hello_refusals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
