/* SPDX-License-Identifier: MIT */
/*
 * SCMI on the wire: the 32-bit message header, the Shared Memory Transport
 * (SMT) area layout, status codes and their one mapping to errno, protocol
 * ids, and little-endian word access. Header-only: the agent library and
 * the simulator both use it, and it is the only code they share besides
 * transport.h (and util.h's macros). All values are SCMI's own (DEN0056;
 * see SCMI-REFERENCE.md). C99 and later, C++11 and later: its inline
 * functions compile without warnings under -Wall -Wextra -Wold-style-cast.
 */
#ifndef SCMI_WIRE_H
#define SCMI_WIRE_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <scmi/util.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- protocol ids ---------------------------------------------------- */

enum scmi_protocol_id {
	SCMI_PROTOCOL_BASE = 0x10,
	SCMI_PROTOCOL_POWER = 0x11,
	SCMI_PROTOCOL_SYSTEM = 0x12,
	SCMI_PROTOCOL_PERF = 0x13,
	SCMI_PROTOCOL_CLOCK = 0x14,
	SCMI_PROTOCOL_SENSOR = 0x15,
	SCMI_PROTOCOL_RESET = 0x16,
	SCMI_PROTOCOL_VOLTAGE = 0x17,
	SCMI_PROTOCOL_POWERCAP = 0x18,
};
#define SCMI_PROTOCOL_VENDOR_FIRST 0x80

/* Commands every protocol has (message ids). */
enum scmi_common_cmd {
	SCMI_PROTOCOL_VERSION = 0x0,
	SCMI_PROTOCOL_ATTRIBUTES = 0x1,
	SCMI_PROTOCOL_MESSAGE_ATTRIBUTES = 0x2,
};

/* ---- message header -------------------------------------------------- */
/*
 * bits 7:0 message id, 9:8 type, 17:10 protocol id, 27:18 token, 31:28 0.
 */
#define SCMI_HDR_MSG_ID_MASK 0x000000FFu
#define SCMI_HDR_TYPE_SHIFT 8
#define SCMI_HDR_TYPE_MASK 0x00000300u
#define SCMI_HDR_PROTO_SHIFT 10
#define SCMI_HDR_PROTO_MASK 0x0003FC00u
#define SCMI_HDR_TOKEN_SHIFT 18
#define SCMI_HDR_TOKEN_MASK 0x0FFC0000u
#define SCMI_HDR_RESERVED_MASK 0xF0000000u
#define SCMI_TOKEN_MAX 1024u

enum scmi_msg_type {
	SCMI_MSG_TYPE_COMMAND = 0,      /* command, and its synchronous response */
	SCMI_MSG_TYPE_DELAYED_RESP = 2, /* P2A: second reply to an async command */
	SCMI_MSG_TYPE_NOTIFICATION = 3, /* P2A: an event; message id = event id */
};

struct scmi_msg_hdr {
	uint8_t msg_id;
	uint8_t type;     /* enum scmi_msg_type; 1 is reserved, never sent */
	uint8_t proto_id;
	uint16_t token;   /* 0..SCMI_TOKEN_MAX-1 */
};

/* Pack a header. Out-of-range fields are masked to their width. */
static inline uint32_t scmi_hdr_pack(uint8_t msg_id, uint8_t type,
				     uint8_t proto_id, uint16_t token)
{
	return SCMI_CAST(uint32_t, msg_id) |
	       ((SCMI_CAST(uint32_t, type) << SCMI_HDR_TYPE_SHIFT) &
		SCMI_HDR_TYPE_MASK) |
	       (SCMI_CAST(uint32_t, proto_id) << SCMI_HDR_PROTO_SHIFT) |
	       ((SCMI_CAST(uint32_t, token) << SCMI_HDR_TOKEN_SHIFT) &
		SCMI_HDR_TOKEN_MASK);
}

/*
 * Unpack a header read from the wire. Returns 0, or -EPROTO if reserved
 * bits are set or the type is the reserved value 1.
 */
static inline int scmi_hdr_unpack(uint32_t w, struct scmi_msg_hdr *h)
{
	uint32_t type = (w & SCMI_HDR_TYPE_MASK) >> SCMI_HDR_TYPE_SHIFT;
	uint32_t proto = (w & SCMI_HDR_PROTO_MASK) >> SCMI_HDR_PROTO_SHIFT;
	uint32_t token = (w & SCMI_HDR_TOKEN_MASK) >> SCMI_HDR_TOKEN_SHIFT;

	h->msg_id = SCMI_CAST(uint8_t, w & SCMI_HDR_MSG_ID_MASK);
	h->type = SCMI_CAST(uint8_t, type);
	h->proto_id = SCMI_CAST(uint8_t, proto);
	h->token = SCMI_CAST(uint16_t, token);
	if ((w & SCMI_HDR_RESERVED_MASK) || h->type == 1)
		return -EPROTO;
	return 0;
}

/* ---- SMT area -------------------------------------------------------- */
/*
 * One area per channel, 4-byte aligned, every field a little-endian u32:
 *   0x00 reserved        0x04 channel_status   0x08 reserved (2 words)
 *   0x10 flags           0x14 length (4 + payload bytes)
 *   0x18 msg_header      0x1C payload
 * channel_status is written last with release ordering and read with
 * acquire ordering; it is the only field that orders the others.
 */
#define SCMI_SMT_RESERVED0 0x00
#define SCMI_SMT_CHANNEL_STATUS 0x04
#define SCMI_SMT_RESERVED1 0x08
#define SCMI_SMT_FLAGS 0x10
#define SCMI_SMT_LENGTH 0x14
#define SCMI_SMT_MSG_HEADER 0x18
#define SCMI_SMT_PAYLOAD 0x1C
#define SCMI_SMT_HEADER_SIZE SCMI_SMT_PAYLOAD

#define SCMI_SMT_STATUS_FREE (1u << 0)  /* owned by the side that may post */
#define SCMI_SMT_STATUS_ERROR (1u << 1) /* platform reports a transport error */
#define SCMI_SMT_FLAGS_INTR (1u << 0)   /* sender wants a completion signal */

/* Payload bytes a message carries by default (Linux's max_msg_size). */
#define SCMI_MAX_MSG_SIZE 128u
/* Area size that fits a default response: header, status, 128 bytes. */
#define SCMI_SMT_MIN_AREA_SIZE (SCMI_SMT_HEADER_SIZE + 4 + SCMI_MAX_MSG_SIZE)

/* ---- status codes ---------------------------------------------------- */

enum scmi_status {
	SCMI_SUCCESS = 0,
	SCMI_ERR_SUPPORT = -1,  /* NOT_SUPPORTED */
	SCMI_ERR_PARAMS = -2,   /* INVALID_PARAMETERS */
	SCMI_ERR_ACCESS = -3,   /* DENIED */
	SCMI_ERR_ENTRY = -4,    /* NOT_FOUND */
	SCMI_ERR_RANGE = -5,    /* OUT_OF_RANGE */
	SCMI_ERR_BUSY = -6,     /* BUSY */
	SCMI_ERR_COMMS = -7,    /* COMMS_ERROR */
	SCMI_ERR_GENERIC = -8,  /* GENERIC_ERROR */
	SCMI_ERR_HARDWARE = -9, /* HARDWARE_ERROR */
	SCMI_ERR_PROTOCOL = -10, /* PROTOCOL_ERROR */
	SCMI_ERR_IN_USE = -11,  /* IN_USE (newer revisions) */
};

/*
 * The one mapping of a platform status to an errno: 0 for SUCCESS, else a
 * negative errno; anything unknown (positive values included) is -EIO.
 */
static inline int scmi_status_to_errno(int32_t status)
{
	static const int map[] = {
		0,            /* SUCCESS */
		-EOPNOTSUPP,  /* NOT_SUPPORTED */
		-EINVAL,      /* INVALID_PARAMETERS */
		-EACCES,      /* DENIED */
		-ENOENT,      /* NOT_FOUND */
		-ERANGE,      /* OUT_OF_RANGE */
		-EBUSY,       /* BUSY */
		-ECOMM,       /* COMMS_ERROR */
		-EIO,         /* GENERIC_ERROR */
		-EREMOTEIO,   /* HARDWARE_ERROR */
		-EPROTO,      /* PROTOCOL_ERROR */
		-EIO,         /* IN_USE */
	};

	if (status > 0 ||
	    status < -SCMI_CAST(int32_t, sizeof(map) / sizeof(map[0]) - 1))
		return -EIO;
	return map[-status];
}

/* The spec's name of a status, for logs. */
static inline const char *scmi_status_name(int32_t status)
{
	static const char *const names[] = {
		"SUCCESS", "NOT_SUPPORTED", "INVALID_PARAMETERS", "DENIED",
		"NOT_FOUND", "OUT_OF_RANGE", "BUSY", "COMMS_ERROR",
		"GENERIC_ERROR", "HARDWARE_ERROR", "PROTOCOL_ERROR", "IN_USE",
	};

	if (status > 0 ||
	    status < -SCMI_CAST(int32_t, sizeof(names) / sizeof(names[0]) - 1))
		return "UNKNOWN";
	return names[-status];
}

/* ---- little-endian words --------------------------------------------- */

static inline uint32_t scmi_get_le32(const void *p)
{
	const uint8_t *b = SCMI_CAST(const uint8_t *, p);

	return SCMI_CAST(uint32_t, b[0]) | (SCMI_CAST(uint32_t, b[1]) << 8) |
	       (SCMI_CAST(uint32_t, b[2]) << 16) |
	       (SCMI_CAST(uint32_t, b[3]) << 24);
}

static inline void scmi_put_le32(void *p, uint32_t v)
{
	uint8_t *b = SCMI_CAST(uint8_t *, p);

	b[0] = SCMI_CAST(uint8_t, v);
	b[1] = SCMI_CAST(uint8_t, v >> 8);
	b[2] = SCMI_CAST(uint8_t, v >> 16);
	b[3] = SCMI_CAST(uint8_t, v >> 24);
}

/* 64-bit values travel as two words, low word first. */
static inline uint64_t scmi_get_le64(const void *p)
{
	return SCMI_CAST(uint64_t, scmi_get_le32(p)) |
	       (SCMI_CAST(uint64_t,
			  scmi_get_le32(SCMI_CAST(const uint8_t *, p) + 4)) << 32);
}

static inline void scmi_put_le64(void *p, uint64_t v)
{
	scmi_put_le32(p, SCMI_CAST(uint32_t, v));
	scmi_put_le32(SCMI_CAST(uint8_t *, p) + 4, SCMI_CAST(uint32_t, v >> 32));
}

/* Version words: major in bits 31:16, minor in 15:0. */
#define SCMI_VERSION(major, minor)                                              \
	((SCMI_CAST(uint32_t, major) << 16) | SCMI_CAST(uint16_t, minor))
#define SCMI_VERSION_MAJOR(v) SCMI_CAST(uint16_t, (v) >> 16)
#define SCMI_VERSION_MINOR(v) SCMI_CAST(uint16_t, v)

#ifdef __cplusplus
}
#endif

#endif /* SCMI_WIRE_H */
