/* cx_json.h - one Diameter message as one line of JSON.
 *
 * Owns the JSON rendering used by cx-client (and later cx-bench) so that
 * integration tests can read answers with any JSON parser:
 *
 *   {"command":"MAA","code":303,"request":false,"e_bit":false,
 *    "application":16777216,"result_code":2001|null,
 *    "experimental_result":{"vendor":10415,"code":5001}|null,
 *    "avps":[{"name":"User-Name","code":1,"vendor":0,"value":"alice"},
 *            {"name":"SIP-Auth-Data-Item","code":612,"vendor":10415,
 *             "avps":[...]},
 *            {"code":494,"vendor":50,"hex":"0102"}]}
 *
 * Values: integers and enumerations as numbers; UTF8String,
 * DiameterIdentity, DiameterURI (and other string types) as strings;
 * Address as "192.0.2.1" / "2001:db8::1"; Time as Unix seconds; other
 * OctetString as {"hex":"..","text":".."} ("text" only when the bytes are
 * printable UTF-8). AVPs the dictionary does not know carry no "name" and
 * their raw bytes as "hex".
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef CX_JSON_H
#define CX_JSON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <freeDiameter/freeDiameter-host.h>
#include <freeDiameter/libfdproto.h>

/* Renders msg (not modified) against dict. Returns a malloc'd string
 * without trailing newline, or NULL (out of memory, unencodable msg). */
char *cx_json_msg(struct dictionary *dict, struct msg *msg);

/* Renders the Diameter message in wire format buf[0..len) likewise. */
char *cx_json_wire(struct dictionary *dict, const uint8_t *buf, size_t len);

/* Appends s[0..len) as a JSON string literal (with quotes) to a
 * malloc'd buffer; exposed for tests. Returns NULL on error. */
char *cx_json_quote(const char *s, size_t len);

#endif /* CX_JSON_H */
