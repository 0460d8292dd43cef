/* hss_store.h - the webrtc-hss subscriber, credential and registration store.
 *
 * Owns every byte the HSS keeps, in one SQLite file (WAL): subscriptions,
 * private (IMPI) and public (IMPU) identities and their associations,
 * credentials (sealed at rest), registration state, WebRTC authorisation data
 * (allowed WAF/WWSF identities), identity pools and leases, the outbox of
 * HSS-initiated Cx requests (RTR/PPR) and the audit log.
 *
 * No freeDiameter and no Diameter result codes in here: callers translate
 * enum hss_rc at their edge (STYLE G7).
 *
 * Threading: a struct hss_store handle is NOT thread-safe. Open one handle per
 * thread (the Cx extension keeps a pool). Several handles and processes (the
 * running HSS and hssctl) share one database file safely through WAL, short
 * transactions and busy_timeout.
 *
 * Transactions: every function that writes runs in the caller's transaction
 * when one is open (hss_store_begin), otherwise in its own. Read-modify-write
 * sequences (SQN, server assignment, leases) must be wrapped by the caller in
 * hss_store_begin(st, HSS_TX_WRITE) ... hss_store_commit(st).
 *
 * Secrets: K, OPc and H(A1) are sealed with AES-256-GCM under the master key
 * given at open; values returned to callers are plaintext copies the caller
 * must wipe (hss_secret_wipe) when done. Nothing here logs a secret.
 *
 * Failure: on any error, output structures are left untouched and the
 * transaction the function opened itself is rolled back; hss_store_errmsg()
 * tells what went wrong in one line.
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#ifndef HSS_STORE_H
#define HSS_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- errors ------------------------------------------------------------ */

enum hss_rc {
    HSS_OK = 0,
    HSS_NOT_FOUND, /* no such subscription / IMPI / IMPU / pool / row */
    HSS_EXISTS,    /* uniqueness violated */
    HSS_INVALID,   /* caller passed malformed input (length, UTF-8, range) */
    HSS_BUSY,      /* database still locked after busy_timeout */
    HSS_NOMEM,     /* out of memory */
    HSS_CRYPTO,    /* sealing/opening a secret failed (wrong key, tamper) */
    HSS_SCHEMA,    /* database schema newer than this binary, or corrupt */
    HSS_IO,        /* key file or database file could not be read/created */
    HSS_DB,        /* other SQLite error: see hss_store_errmsg() */
    HSS_EXHAUSTED, /* no free member left in an identity pool */
    HSS_CONFLICT,  /* state does not allow the change (e.g. lease held) */
};

/* Short constant text for a code ("not found", ...). Never NULL. */
const char *hss_rc_str(enum hss_rc rc);

/* ---- limits -------------------------------------------------------------- */

#define HSS_IDENTITY_MAX 255 /* bytes of an IMPI, IMPU, server name */
#define HSS_NAME_MAX 255     /* realm, subscription name, pool name, WAF */
#define HSS_HA1_HEX_MAX 64   /* SHA-256 / SHA-512-256 H(A1) in hex */
#define HSS_SCHEMA_VERSION_MAX 64

/* ---- handle ------------------------------------------------------------ */

struct hss_store;

struct hss_store_options {
    const char *db_path;  /* database file; created 0600 if missing */
    const char *key_path; /* master key file: 32 raw bytes, mode 0600 */
    bool create_key;      /* create key_path (0600, random) if missing */
    int busy_timeout_ms;  /* 0 => 5000 */
    int synchronous;      /* 1 NORMAL (default, WAL), 2 FULL */
    bool read_only;       /* open read-only, no migration */
    int schema_target;    /* 0 = migrate to this binary's version;
                           * n = stop at version n (upgrade tests) */
    int mmap_mb;          /* PRAGMA mmap_size (MiB); 0 => none */
    int cache_mb;         /* PRAGMA cache_size (MiB); 0 => 2 MB */
    bool ckpt_manual;     /* wal_autocheckpoint = 0: commits never
                           * checkpoint; the owner calls
                           * hss_store_checkpoint() periodically */
};

/* Opens (and creates/migrates, unless read_only) the database. On failure
 * *out is NULL and, when errbuf is not NULL, a one-line reason is written to
 * it. A database whose user_version is newer than this binary is refused
 * (HSS_SCHEMA); a key that does not open the database's key check value is
 * refused (HSS_CRYPTO). */
enum hss_rc hss_store_open(const struct hss_store_options *opt,
                           struct hss_store **out, char *errbuf,
                           size_t errbuf_size);
/* Closes the handle, wipes the master key copy. NULL is accepted. */
void hss_store_close(struct hss_store *st);
/* Last error message of this handle (never NULL, "" if none). */
const char *hss_store_errmsg(const struct hss_store *st);
/* Rows this handle has inserted, updated or deleted since it was opened
 * (sqlite3_total_changes64): lets tests check that a path writes nothing. */
int64_t hss_store_rows_changed(const struct hss_store *st);

/* Schema version of this binary and of the open database. */
int hss_store_schema_version(void);
enum hss_rc hss_store_db_version(struct hss_store *st, int *version);
/* Applies pending migrations (hss_store_open already does this). */
enum hss_rc hss_store_migrate(struct hss_store *st);
/* Short public identifier of the master key (hex of a hash), for `status`. */
enum hss_rc hss_store_key_id(struct hss_store *st, char *out, size_t size);
/* Re-seals every secret under the key in new_key_path in one transaction;
 * the handle then uses the new key. */
enum hss_rc hss_store_rekey(struct hss_store *st, const char *new_key_path);

/* Bulk provisioning fast path (hssctl import, benchmarks): on => synchronous
 * OFF and a large page cache for this handle; off => the configured
 * synchronous level back and a WAL checkpoint. A crash while on may lose the
 * last transactions (never corrupts the file). Not inside a transaction
 * (HSS_CONFLICT). Callers still batch rows in hss_store_begin(HSS_TX_WRITE)
 * ... hss_store_commit() of a few thousand rows each. */
enum hss_rc hss_store_bulk_mode(struct hss_store *st, bool on);

/* Copies committed WAL frames into the database file. passive: SQLite's
 * PASSIVE checkpoint (copies what no reader still needs, never waits and
 * never blocks readers or writers); else TRUNCATE (waits up to the busy
 * timeout for readers and writers, then empties the WAL). Runs the fsync of
 * synchronous = NORMAL. Not inside a transaction (HSS_CONFLICT). For
 * handles opened with ckpt_manual. */
enum hss_rc hss_store_checkpoint(struct hss_store *st, bool passive);
/* fsyncs the database file. A PASSIVE checkpoint that does not reach the
 * end of the WAL (a writer appended meanwhile) copies pages into the file
 * without syncing it; the checkpoint that finally does reach the end then
 * syncs all of them at once. Calling this after such checkpoints moves that
 * cost to the caller's thread. */
enum hss_rc hss_store_sync_db(struct hss_store *st);
/* A PASSIVE checkpoint that reports the WAL's size (*log) and how much of
 * it is still not copied back (*left), in frames (-1 when unknown). */
enum hss_rc hss_store_checkpoint_passive(struct hss_store *st, int *log,
                                         int *left);
/* Frames in the WAL after this handle's last commit (0 after one of its
 * checkpoints copied them all back, and on handles opened without
 * ckpt_manual). Its owner checkpoints when this grows too large: under
 * constant writes a PASSIVE checkpoint from another handle never catches
 * up with the writer and the WAL grows without bound. */
int hss_store_wal_frames(const struct hss_store *st);

/* ---- transactions -------------------------------------------------------- */

enum hss_tx { HSS_TX_READ, HSS_TX_WRITE /* BEGIN IMMEDIATE */ };
enum hss_rc hss_store_begin(struct hss_store *st, enum hss_tx kind);
enum hss_rc hss_store_commit(struct hss_store *st);
/* Rolls back the open transaction (no-op if none) and resets every cached
 * statement, so the handle's next read sees the latest committed data. */
void hss_store_rollback(struct hss_store *st);

/* Group commit: hss_store_batch_begin opens one BEGIN IMMEDIATE and puts the
 * handle in batch state, where hss_store_begin / commit / rollback become
 * SAVEPOINT / RELEASE / ROLLBACK TO + RELEASE of one item: code written for
 * its own transaction runs unchanged, an item that rolls back undoes only
 * its own writes, and nothing is durable (nor visible to other handles)
 * before hss_store_batch_commit. A rollback with no item open does nothing
 * (the batch stays open). batch_commit rolls back an item left open, then
 * COMMITs; on failure it rolls the whole batch back and returns the error
 * (also when SQLite already rolled the transaction back after an I/O or
 * memory error: every item of the batch is then lost). The handle leaves
 * batch state in every case. */
enum hss_rc hss_store_batch_begin(struct hss_store *st);
enum hss_rc hss_store_batch_commit(struct hss_store *st);
/* Rolls the whole batch back and leaves batch state (no-op if none). */
void hss_store_batch_rollback(struct hss_store *st);

/* ---- enumerations ------------------------------------------------------ */

enum hss_impi_kind {
    HSS_IMPI_REGULAR = 0, /* the user's regular IMS access (AKA / Annex N) */
    HSS_IMPI_WEBRTC = 1,  /* separate WebRTC credential (TS 33.203 X.2.2) */
    HSS_IMPI_POOL = 2,    /* member of a WWSF identity pool (X.4) */
};

/* Authentication schemes an IMPI may use (bit mask). */
enum hss_scheme {
    HSS_SCHEME_NONE = 0,
    HSS_SCHEME_AKA = 1u << 0,    /* "Digest-AKAv1-MD5" (AKAv1/AKAv2) */
    HSS_SCHEME_DIGEST = 1u << 1, /* "SIP Digest" (Annex N) */
};

enum hss_identity_type {
    HSS_ID_PUBLIC_USER = 0, /* PUBLIC_USER_IDENTITY */
    HSS_ID_DISTINCT_PSI = 1,
    HSS_ID_WILDCARDED_PSI = 2,
};

/* Registration state of an IMPU (TS 29.228 §6.1.2). */
enum hss_reg_state {
    HSS_REG_NOT_REGISTERED = 0,
    HSS_REG_REGISTERED = 1,
    HSS_REG_UNREGISTERED = 2, /* S-CSCF assigned for unregistered services */
};

enum hss_digest_algo_id {
    HSS_HA1_MD5 = 0,
    HSS_HA1_SHA256 = 1,
    HSS_HA1_SHA512_256 = 2,
};

/* ---- plain row types (copies; strings are NUL-terminated) --------------- */

struct hss_subscription {
    int64_t id;
    char name[HSS_NAME_MAX + 1];
    bool web_auth; /* enabled for TNA/web credentials (X.3) */
    char scscf_name[HSS_IDENTITY_MAX + 1];    /* assigned S-CSCF, "" = none */
    char scscf_host[HSS_IDENTITY_MAX + 1];    /* its Diameter Origin-Host */
    char scscf_realm[HSS_IDENTITY_MAX + 1];   /* its Diameter Origin-Realm */
    char charging_pecf[HSS_IDENTITY_MAX + 1]; /* Charging-Information */
    char charging_secf[HSS_IDENTITY_MAX + 1];
    char charging_pccf[HSS_IDENTITY_MAX + 1];
    char charging_sccf[HSS_IDENTITY_MAX + 1];
    bool roaming_any; /* no visited-network restriction */
};

struct hss_impi {
    int64_t id;
    int64_t subscription_id;
    char name[HSS_IDENTITY_MAX + 1];
    enum hss_impi_kind kind;
    unsigned schemes;               /* enum hss_scheme bits */
    enum hss_scheme default_scheme; /* for MAR scheme "Unknown" */
    int64_t valid_from;             /* unix seconds, 0 = always */
    int64_t valid_until;            /* unix seconds, 0 = no expiry */
    bool revoked;
    int64_t locked_until; /* brute-force lock, 0 = not locked */
    bool counters_set;    /* failure (or legacy MAR) counters not zero */
};

struct hss_impu {
    int64_t id;
    int64_t subscription_id;
    char name[HSS_IDENTITY_MAX + 1];
    enum hss_identity_type type;
    bool barred;
    int64_t irs_id;             /* implicit registration set id */
    int64_t service_profile_id; /* 0 = subscription's default profile */
    enum hss_reg_state reg_state;
    bool psi_activated;
    bool has_unreg_services; /* profile has iFCs for unregistered */
    char display_name[HSS_NAME_MAX + 1];
};

/* IMPI<->IMPU association state (TS 29.228 §6.3.1 auth-pending). */
struct hss_assoc {
    bool auth_pending;
    bool registered; /* this IMPU is registered via this IMPI */
};

/* AKA material, plaintext after opening the seals. Wipe after use. */
struct hss_aka_cred {
    uint8_t k[16];
    uint8_t opc[16];
    uint8_t amf[2];
    uint64_t sqn; /* SQN_HE, 48 bits (SEQ||IND) */
};

/* ---- lookups used by Cx ------------------------------------------------- */

enum hss_rc hss_store_subscription_get(struct hss_store *st, int64_t id,
                                       struct hss_subscription *out);
enum hss_rc hss_store_subscription_by_name(struct hss_store *st,
                                           const char *name,
                                           struct hss_subscription *out);
enum hss_rc hss_store_impi_get(struct hss_store *st, const char *impi,
                               struct hss_impi *out);
enum hss_rc hss_store_impu_get(struct hss_store *st, const char *impu,
                               struct hss_impu *out);
/* hss_store_impu_get without resolving the service profile:
 * service_profile_id is the IMPU's own (0 = the subscription's default,
 * not resolved) and has_unreg_services is false. For the callers that use
 * neither (UAR, MAR, SAR): an IMPU read a third cheaper. */
enum hss_rc hss_store_impu_get_brief(struct hss_store *st, const char *impu,
                                     struct hss_impu *out);
/* Whether some IMPU of the subscription is REGISTERED or UNREGISTERED (one
 * indexed EXISTS, no rows copied). */
enum hss_rc hss_store_subscription_active(struct hss_store *st, int64_t sub_id,
                                          bool *active);
/* Whether some pair of the IMPI is registered or has its authentication-
 * pending flag stored: the subscription's stored S-CSCF then serves this
 * IMPI (one indexed EXISTS). */
enum hss_rc hss_store_impi_served(struct hss_store *st, int64_t impi_id,
                                  bool *served);
/* HSS_NOT_FOUND when the two are not associated. */
enum hss_rc hss_store_assoc_get(struct hss_store *st, int64_t impi_id,
                                int64_t impu_id, struct hss_assoc *out);
/* The start of UAR, MAR and SAR in one read (hss_store_pair_get). */
struct hss_pair {
    struct hss_impi impi;
    struct hss_impu impu;   /* as hss_store_impu_get_brief reads it */
    bool associated;        /* the IMPI and the IMPU are associated */
    struct hss_assoc assoc; /* their flags when associated, else false */
    bool pool_member;       /* the IMPI's subscription is in a pool (X.4) */
};
/* The IMPI and the IMPU by name, their association and whether the
 * subscription is a pool member, in one statement. HSS_NOT_FOUND when
 * either name is unknown, HSS_INVALID for a bad name. */
enum hss_rc hss_store_pair_get(struct hss_store *st, const char *impi,
                               const char *impu, struct hss_pair *out);

/* Iterators: the callback gets a row copy; a non-zero return stops the walk
 * and is passed back as HSS_OK (the walk was not an error). */
typedef int (*hss_impu_cb)(void *ctx, const struct hss_impu *impu);
typedef int (*hss_impi_cb)(void *ctx, const struct hss_impi *impi);
typedef int (*hss_str_cb)(void *ctx, const char *value);

/* The IMPUs of an implicit registration set, with the brief columns of
 * hss_store_impu_get_brief (profile not resolved). */
enum hss_rc hss_store_impu_each_in_irs(struct hss_store *st, int64_t irs_id,
                                       hss_impu_cb cb, void *ctx);
/* The IMPUs of a subscription, with the same brief columns: a caller that
 * needs the resolved service profile reads it (hss_store_impu_get, or
 * User-Data's own resolution). */
enum hss_rc hss_store_impu_each_of_subscription(struct hss_store *st,
                                                int64_t sub_id, hss_impu_cb cb,
                                                void *ctx);
enum hss_rc hss_store_impu_each_of_impi(struct hss_store *st, int64_t impi_id,
                                        hss_impu_cb cb, void *ctx);
enum hss_rc hss_store_impi_each_of_subscription(struct hss_store *st,
                                                int64_t sub_id, hss_impi_cb cb,
                                                void *ctx);
/* IMPUs currently registered through this IMPI (assoc.registered). */
enum hss_rc hss_store_impu_each_registered_by_impi(struct hss_store *st,
                                                   int64_t impi_id,
                                                   hss_impu_cb cb, void *ctx);

/* UAR roaming check: true when the subscription may register from vnid.
 * Policy: allowed when roaming_any is set (default false for a new
 * subscription), or when the subscription lists no visited network at all
 * (no restriction provisioned), or when vnid is one of those listed. */
enum hss_rc hss_store_visited_allowed(struct hss_store *st, int64_t sub_id,
                                      const char *vnid, bool *allowed);

/* S-CSCF capabilities for UAR/LIR Server-Capabilities (subscription-level,
 * falling back to the global default set). The global set is provisioned
 * with hss_store_capability_add / hss_store_preferred_scscf_add on
 * sub_id 0; capabilities and preferred names fall back independently. At
 * most 16 + 16 capabilities and 4 names are returned. */
struct hss_capabilities {
    uint32_t mandatory[16];
    size_t n_mandatory;
    uint32_t optional[16];
    size_t n_optional;
    char server_names[4][HSS_IDENTITY_MAX + 1]; /* preferred S-CSCFs */
    size_t n_server_names;
};
enum hss_rc hss_store_capabilities_get(struct hss_store *st, int64_t sub_id,
                                       struct hss_capabilities *out);

/* Allowed WAF / WWSF identities (TS 29.229 §6.3.64-66) of a subscription,
 * including those inherited from its pool: a pool member ALWAYS yields its
 * pool's WWSF (and WAF when set), leased or not (REQ 3.2: pool identities
 * belong to that WWSF). Sorted, without duplicates. */
enum hss_rc hss_store_waf_each(struct hss_store *st, int64_t sub_id,
                               hss_str_cb cb, void *ctx);
enum hss_rc hss_store_wwsf_each(struct hss_store *st, int64_t sub_id,
                                hss_str_cb cb, void *ctx);

/* ---- credentials used by MAR -------------------------------------------- */

/* Opens the sealed K/OPc. HSS_NOT_FOUND when the IMPI has no AKA material. */
enum hss_rc hss_store_aka_get(struct hss_store *st, int64_t impi_id,
                              struct hss_aka_cred *out)
    __attribute__((warn_unused_result));
/* Stores a new SQN_HE (call inside the HSS_TX_WRITE that read it). */
enum hss_rc hss_store_aka_sqn_set(struct hss_store *st, int64_t impi_id,
                                  uint64_t sqn);

/* H(A1) in lowercase hex for (IMPI, realm, algorithm). When realm is NULL or
 * no credential exists for it, the IMPI's default realm is used and written
 * to realm_out (may be NULL). HSS_NOT_FOUND when there is none. */
enum hss_rc hss_store_digest_get(struct hss_store *st, int64_t impi_id,
                                 const char *realm,
                                 enum hss_digest_algo_id algo,
                                 char ha1_hex[HSS_HA1_HEX_MAX + 1],
                                 char *realm_out, size_t realm_out_size)
    __attribute__((warn_unused_result));

/* Every H(A1) of one realm of the IMPI, in one statement (what a MAR
 * needs): the realm asked for when the IMPI has any credential there, else
 * its default realm. ha1[a] is lowercase hex, have[a] whether it exists, for
 * a indexed by enum hss_digest_algo_id. Secrets: wipe with
 * hss_secret_wipe / OPENSSL_cleanse. HSS_NOT_FOUND when neither realm has a
 * credential. */
struct hss_digest_realm {
    char realm[HSS_NAME_MAX + 1];
    bool have[HSS_HA1_SHA512_256 + 1];
    char ha1[HSS_HA1_SHA512_256 + 1][HSS_HA1_HEX_MAX + 1];
};
enum hss_rc hss_store_digest_realm_get(struct hss_store *st, int64_t impi_id,
                                       const char *realm,
                                       struct hss_digest_realm *out)
    __attribute__((warn_unused_result));

/* ---- registration state written by MAR / SAR ---------------------------- */

enum hss_rc hss_store_assoc_set_auth_pending(struct hss_store *st,
                                             int64_t impi_id, int64_t impu_id,
                                             bool pending);
enum hss_rc hss_store_assoc_set_registered(struct hss_store *st,
                                           int64_t impi_id, int64_t impu_id,
                                           bool registered);
enum hss_rc hss_store_impu_set_reg_state(struct hss_store *st, int64_t impu_id,
                                         enum hss_reg_state state);
/* name == NULL or "" clears the assigned S-CSCF (name, host and realm). */
enum hss_rc hss_store_subscription_set_scscf(struct hss_store *st,
                                             int64_t sub_id, const char *name,
                                             const char *host,
                                             const char *realm);
/* The same, writing nothing when name, host and realm are already those
 * (no read needed first); *changed (may be NULL) says whether it wrote.
 * HSS_NOT_FOUND only when the subscription does not exist. */
enum hss_rc hss_store_subscription_set_scscf_if_changed(
    struct hss_store *st, int64_t sub_id, const char *name, const char *host,
    const char *realm, bool *changed);
/* Overwrites the assigned S-CSCF only when one is assigned and name, host
 * or realm differ; a subscription with none keeps none (MAR of an identity
 * not registered, the name kept in the extension's memory). name must not
 * be empty. No existence check: an unknown subscription is HSS_OK. */
enum hss_rc hss_store_subscription_replace_scscf(struct hss_store *st,
                                                 int64_t sub_id,
                                                 const char *name,
                                                 const char *host,
                                                 const char *realm);

/* Brute-force protection: locks the IMPI until `until` (the MAR windows
 * that decide it are kept by the extension, cx_marwin.h). HSS_NOT_FOUND
 * when the IMPI does not exist. */
enum hss_rc hss_store_impi_lock(struct hss_store *st, int64_t impi_id,
                                int64_t until);
/* Consecutive failures: locked (until now + lock_s) when the count reaches
 * max_failures. */
enum hss_rc hss_store_impi_note_auth_failure(struct hss_store *st,
                                             int64_t impi_id, int64_t now,
                                             int max_failures, int lock_s,
                                             bool *locked);
/* Successful registration: counters back to zero (lock untouched). */
enum hss_rc hss_store_impi_reset_counters(struct hss_store *st,
                                          int64_t impi_id);
enum hss_rc hss_store_impi_unlock(struct hss_store *st, int64_t impi_id);

/* ---- User-Data material -------------------------------------------------- */

/* A service profile: its IMPUs are those with service_profile_id == id (or 0
 * mapped to the subscription's default profile). ifc_xml is the operator's
 * <InitialFilterCriteria> elements, validated at provisioning, stored as is;
 * the caller owns *ifc_xml (free()): each profile handed to the callback
 * passes ownership of its ifc_xml to the callback, which must free() it (or
 * keep it); profiles not delivered (walk stopped) are freed by the store.
 * A subscription without any profile yields one implicit default profile
 * (id 0, name "default", ifc_xml NULL). The default profile of a subscription
 * is its profile with the lowest id; hss_impu.service_profile_id is returned
 * resolved to it (0 only when the subscription has no profile). An IMPU's
 * has_unreg_services is true when its profile's iFC XML contains
 * <ProfilePartIndicator>1</ProfilePartIndicator>. */
struct hss_service_profile {
    int64_t id;
    char name[HSS_NAME_MAX + 1];
    char *ifc_xml;                       /* malloc'd, may be NULL */
    int32_t subscribed_media_profile_id; /* -1 = none */
};
typedef int (*hss_profile_cb)(void *ctx, const struct hss_service_profile *p);
enum hss_rc hss_store_profile_each_of_subscription(struct hss_store *st,
                                                   int64_t sub_id,
                                                   hss_profile_cb cb,
                                                   void *ctx);

/* ---- outbox of HSS-initiated requests (transactional outbox) ------------ */

enum hss_outbox_kind { HSS_OUTBOX_RTR = 1, HSS_OUTBOX_PPR = 2 };
enum hss_outbox_state {
    HSS_OUTBOX_PENDING = 0,
    HSS_OUTBOX_SENT = 1,   /* in flight, awaiting answer */
    HSS_OUTBOX_DONE = 2,   /* answered with success */
    HSS_OUTBOX_FAILED = 3, /* final failure / timeout after retries */
};
/* PPR payload selectors (bit mask). */
enum hss_ppr_what {
    HSS_PPR_USER_DATA = 1u << 0,
    HSS_PPR_CHARGING = 1u << 1,
    HSS_PPR_AUTH_DATA = 1u << 2, /* SIP-Auth-Data-Item (digest change) */
    HSS_PPR_WAF_WWSF = 1u << 3,  /* Allowed-WAF-WWSF-Identities */
};

struct hss_outbox_item {
    int64_t id;
    enum hss_outbox_kind kind;
    enum hss_outbox_state state;
    int64_t subscription_id;
    char dest_host[HSS_IDENTITY_MAX + 1];
    char dest_realm[HSS_IDENTITY_MAX + 1];
    char user_name[HSS_IDENTITY_MAX + 1]; /* IMPI */
    char impus[8][HSS_IDENTITY_MAX + 1];  /* RTR Public-Identity list */
    size_t n_impus;
    int reason_code; /* RTR Deregistration-Reason */
    char reason_info[HSS_NAME_MAX + 1];
    unsigned ppr_what; /* enum hss_ppr_what bits */
    int attempts;
    int64_t next_attempt; /* unix seconds */
    int64_t created;
    uint32_t last_result; /* last Result/Exp code seen */
};

/* Appends an item (state PENDING, next_attempt = now). id is written back. */
enum hss_rc hss_store_outbox_add(struct hss_store *st,
                                 struct hss_outbox_item *item, int64_t now);
/* Claims up to max PENDING items due at `now`, marking them SENT. */
typedef int (*hss_outbox_cb)(void *ctx, const struct hss_outbox_item *item);
enum hss_rc hss_store_outbox_claim(struct hss_store *st, int64_t now,
                                   size_t max, hss_outbox_cb cb, void *ctx);
enum hss_rc hss_store_outbox_finish(struct hss_store *st, int64_t id,
                                    enum hss_outbox_state state,
                                    uint32_t result, int64_t next_attempt);
/* Lists items (newest first); state < 0 means any; limit 0 = no limit. */
enum hss_rc hss_store_outbox_each(struct hss_store *st, int state, size_t limit,
                                  hss_outbox_cb cb, void *ctx);

/* ---- audit log (append-only; never secret values) ----------------------- */

enum hss_rc hss_store_audit(struct hss_store *st, int64_t now,
                            const char *actor, const char *action,
                            const char *object, const char *detail);
struct hss_audit_entry {
    int64_t id;
    int64_t ts;
    char actor[HSS_NAME_MAX + 1];
    char action[HSS_NAME_MAX + 1];
    char object[HSS_IDENTITY_MAX + 1];
    char detail[512];
};
typedef int (*hss_audit_cb)(void *ctx, const struct hss_audit_entry *e);
/* Entries with id > since_id, oldest first; limit 0 = no limit. */
enum hss_rc hss_store_audit_each(struct hss_store *st, int64_t since_id,
                                 size_t limit, hss_audit_cb cb, void *ctx);

/* ---- provisioning (hssctl, tests) ---------------------------------------- */

enum hss_rc hss_store_subscription_add(struct hss_store *st, const char *name,
                                       int64_t *id_out);
enum hss_rc hss_store_subscription_delete(struct hss_store *st, int64_t sub_id);
enum hss_rc hss_store_subscription_set_web_auth(struct hss_store *st,
                                                int64_t sub_id, bool on);
enum hss_rc
hss_store_subscription_set_charging(struct hss_store *st, int64_t sub_id,
                                    const char *pecf, const char *secf,
                                    const char *pccf, const char *sccf);
enum hss_rc hss_store_subscription_set_roaming_any(struct hss_store *st,
                                                   int64_t sub_id, bool any);
enum hss_rc hss_store_visited_network_add(struct hss_store *st, int64_t sub_id,
                                          const char *vnid);
enum hss_rc hss_store_visited_network_remove(struct hss_store *st,
                                             int64_t sub_id, const char *vnid);
enum hss_rc hss_store_capability_add(struct hss_store *st, int64_t sub_id,
                                     bool mandatory, uint32_t value);
enum hss_rc hss_store_preferred_scscf_add(struct hss_store *st, int64_t sub_id,
                                          const char *server_name);

struct hss_impi_new {
    const char *name;
    enum hss_impi_kind kind;
    unsigned schemes;
    enum hss_scheme default_scheme;
    int64_t valid_until; /* 0 = no expiry */
};
enum hss_rc hss_store_impi_add(struct hss_store *st, int64_t sub_id,
                               const struct hss_impi_new *n, int64_t *id_out);
enum hss_rc hss_store_impi_delete(struct hss_store *st, int64_t impi_id);
enum hss_rc hss_store_impi_set_revoked(struct hss_store *st, int64_t impi_id,
                                       bool revoked);
enum hss_rc hss_store_impi_set_validity(struct hss_store *st, int64_t impi_id,
                                        int64_t valid_until);
enum hss_rc hss_store_impi_set_schemes(struct hss_store *st, int64_t impi_id,
                                       unsigned schemes,
                                       enum hss_scheme default_scheme);

struct hss_impu_new {
    const char *name;
    enum hss_identity_type type;
    bool barred;
    int64_t irs_id;             /* 0 = a new implicit set of its own */
    int64_t service_profile_id; /* 0 = default profile */
    const char *display_name;   /* NULL = none */
};
enum hss_rc hss_store_impu_add(struct hss_store *st, int64_t sub_id,
                               const struct hss_impu_new *n, int64_t *id_out);
enum hss_rc hss_store_impu_delete(struct hss_store *st, int64_t impu_id);
enum hss_rc hss_store_impu_set_barred(struct hss_store *st, int64_t impu_id,
                                      bool barred);
enum hss_rc hss_store_impu_set_irs(struct hss_store *st, int64_t impu_id,
                                   int64_t irs_id);
/* Both must belong to the same subscription (else HSS_INVALID). */
enum hss_rc hss_store_assoc_add(struct hss_store *st, int64_t impi_id,
                                int64_t impu_id);
enum hss_rc hss_store_assoc_remove(struct hss_store *st, int64_t impi_id,
                                   int64_t impu_id);

enum hss_rc hss_store_profile_add(struct hss_store *st, int64_t sub_id,
                                  const char *name, const char *ifc_xml,
                                  int64_t *id_out);
enum hss_rc hss_store_impu_set_profile(struct hss_store *st, int64_t impu_id,
                                       int64_t profile_id);

/* AKA: seals K and OPc; sqn is the initial SQN_HE. */
enum hss_rc hss_store_aka_set(struct hss_store *st, int64_t impi_id,
                              const struct hss_aka_cred *cred);
/* Digest: stores sealed H(A1) for (realm, algo); is_default marks the realm
 * used when a MAR gives none (for all algorithms; the first realm stored
 * for an IMPI is the default until another is marked). ha1_hex: 32 hex
 * digits for MD5, 64 for SHA-256/SHA-512-256, any case (stored lowercase).
 * The password itself is never passed here. */
enum hss_rc hss_store_digest_set(struct hss_store *st, int64_t impi_id,
                                 const char *realm,
                                 enum hss_digest_algo_id algo,
                                 const char *ha1_hex, bool is_default);
enum hss_rc hss_store_digest_clear(struct hss_store *st, int64_t impi_id);

/* WAF / WWSF identities of a subscription. */
enum hss_rc hss_store_waf_add(struct hss_store *st, int64_t sub_id,
                              const char *waf);
enum hss_rc hss_store_waf_remove(struct hss_store *st, int64_t sub_id,
                                 const char *waf);
enum hss_rc hss_store_wwsf_add(struct hss_store *st, int64_t sub_id,
                               const char *wwsf);
enum hss_rc hss_store_wwsf_remove(struct hss_store *st, int64_t sub_id,
                                  const char *wwsf);

/* ---- bulk provisioning (hssctl import) --------------------------------- */

/* One import row. Each of subscription / impi / impu is either a name (a
 * NEW row is inserted and its id written to the *_id field) or NULL (the
 * *_id field names an existing row; impi_id / impu_id 0 = none). A new IMPI
 * is REGULAR with the given schemes; a new IMPU is a public user identity in
 * an implicit set of its own with the default profile. When there is an
 * IMPI and an IMPU they are associated (an existing association is kept).
 * ha1_hex (indexed by enum hss_digest_algo_id, NULL = none) and aka are only
 * accepted with a new IMPI (else HSS_INVALID): H(A1) as for
 * hss_store_digest_set with realm as the default realm; aka as for
 * hss_store_aka_set. */
enum hss_bulk_part {
    HSS_BULK_NONE = 0,
    HSS_BULK_SUBSCRIPTION,
    HSS_BULK_IMPI,
    HSS_BULK_IMPU,
    HSS_BULK_ASSOC,
    HSS_BULK_DIGEST,
    HSS_BULK_AKA,
};
struct hss_bulk_row {
    const char *subscription;
    const char *impi;
    unsigned schemes; /* enum hss_scheme bits of a new IMPI */
    enum hss_scheme default_scheme;
    const char *impu;
    const char *realm;
    const char *ha1_hex[HSS_HA1_SHA512_256 + 1];
    const struct hss_aka_cred *aka;
    int64_t sub_id, impi_id, impu_id; /* in (names NULL) / out (new rows) */
    enum hss_bulk_part failed;        /* out: the part that failed */
};

/* Inserts one row with dedicated INSERTs: no savepoint and no lookup of
 * what the caller said is new (constraints still reject duplicates:
 * HSS_EXISTS). Must run inside hss_store_begin(HSS_TX_WRITE) (else
 * HSS_CONFLICT); on any failure the WHOLE transaction is rolled back, so
 * nothing of the batch remains (the import's all-or-nothing rule). Input is
 * validated as by the single-row functions. */
enum hss_rc hss_store_bulk_add(struct hss_store *st, struct hss_bulk_row *row);

/* ---- identity pools and leases (TS 33.203 X.4) --------------------------- */

struct hss_pool {
    int64_t id;
    char name[HSS_NAME_MAX + 1];
    char wwsf[HSS_NAME_MAX + 1]; /* owning WWSF identity */
    char waf[HSS_NAME_MAX + 1];  /* its WAF, "" = none */
    int lease_ttl_s;             /* default lease duration */
    int quarantine_s;            /* rest before reuse */
    bool release_on_dereg;       /* lease ends when the user de-registers */
};
struct hss_lease {
    int64_t id;
    int64_t pool_id;
    int64_t subscription_id;
    char impi[HSS_IDENTITY_MAX + 1];
    char impu[HSS_IDENTITY_MAX + 1];
    char holder[HSS_NAME_MAX + 1]; /* web user identity given by the WWSF */
    int64_t created;
    int64_t expires;
    int64_t released; /* 0 = active */
};

enum hss_rc hss_store_pool_add(struct hss_store *st, const struct hss_pool *p,
                               int64_t *id_out);
enum hss_rc hss_store_pool_get(struct hss_store *st, const char *name,
                               struct hss_pool *out);
/* Adds a member subscription (exactly one IMPI and one IMPU, both kind
 * POOL); a subscription belongs to at most one pool. */
enum hss_rc hss_store_pool_member_add(struct hss_store *st, int64_t pool_id,
                                      int64_t sub_id);
/* The pool a subscription belongs to; HSS_NOT_FOUND when none. */
enum hss_rc hss_store_pool_of_subscription(struct hss_store *st, int64_t sub_id,
                                           struct hss_pool *out);
/* Atomically leases one free member (not leased, out of quarantine; the
 * one rested longest) to holder until now + ttl_s (ttl_s <= 0: pool
 * default), after ending the pool's expired leases as hss_store_lease_expire
 * does. HSS_EXHAUSTED when none is free. Must be called without an open
 * transaction: it runs its own BEGIN IMMEDIATE so two callers never get the
 * same member (inside a caller's transaction it runs in a savepoint; that
 * transaction must then be HSS_TX_WRITE). */
enum hss_rc hss_store_lease_acquire(struct hss_store *st, int64_t pool_id,
                                    const char *holder, int64_t now, int ttl_s,
                                    struct hss_lease *out);
enum hss_rc hss_store_lease_renew(struct hss_store *st, int64_t lease_id,
                                  int64_t now, int ttl_s);
/* Ends the lease at `now`, puts the member in quarantine, and when its IMPU
 * is registered clears the registration and queues the RTR in the outbox,
 * all in one transaction. */
enum hss_rc hss_store_lease_release(struct hss_store *st, int64_t lease_id,
                                    int64_t now);
/* The active lease of a subscription; HSS_NOT_FOUND when none is active. */
enum hss_rc hss_store_lease_active(struct hss_store *st, int64_t sub_id,
                                   int64_t now, struct hss_lease *out);
/* Releases every lease expired at `now` (as hss_store_lease_release);
 * *count gets how many. Used by the extension's periodic sweep. */
enum hss_rc hss_store_lease_expire(struct hss_store *st, int64_t now,
                                   size_t *count);
/* pool_id <= 0 lists the leases of every pool; active_only keeps those with
 * released == 0 and expires > now. */
typedef int (*hss_lease_cb)(void *ctx, const struct hss_lease *l);
enum hss_rc hss_store_lease_each(struct hss_store *st, int64_t pool_id,
                                 bool active_only, int64_t now, hss_lease_cb cb,
                                 void *ctx);

/* One-time SIP Digest credential of a lease, for S-CSCFs without Trusted
 * Node Authentication: stores H(A1) (sealed, as hss_store_digest_set) for
 * the IMPI of the lease's member, marked as minted by lease_id, and allows
 * the digest scheme on that IMPI (digest becomes its default scheme when it
 * had none). Whatever ends the lease (release, expiry, de-registration with
 * release_on_dereg) deletes the minted credentials in the same transaction
 * and takes the digest scheme away again unless credentials the operator
 * provisioned remain. Call it inside the HSS_TX_WRITE transaction that
 * acquired the lease, once per algorithm. HSS_CONFLICT when the lease is not
 * active at `now` or when the operator provisioned a credential for the
 * same (realm, algo) (it is never overwritten). */
enum hss_rc hss_store_lease_digest_mint(struct hss_store *st, int64_t lease_id,
                                        int64_t now, const char *realm,
                                        enum hss_digest_algo_id algo,
                                        const char *ha1_hex);

/* ---- counts for `hssctl status` ----------------------------------------- */

struct hss_store_counts {
    int64_t subscriptions, impis, impus, registered_impus, pools, active_leases,
        outbox_pending;
};
enum hss_rc hss_store_counts_get(struct hss_store *st, int64_t now,
                                 struct hss_store_counts *out);

#ifdef __cplusplus
}
#endif

#endif /* HSS_STORE_H */
