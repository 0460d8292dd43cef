/* test_hss_store_batch.c - group commit (hss_store_batch_begin/commit: each
 * hss_store_begin/commit/rollback a SAVEPOINT of one batch transaction),
 * checkpoints, the serving-handle options and the write-skipping counter
 * reset (hss_store.c).
 *
 * SPDX-License-Identifier: BSD-2-Clause
 */
#include "store_fixture.h"

/* A rolled back insert's rowid is reused by the next one: check the name. */
static bool sub_named(struct hss_store *st, int64_t id, const char *name)
{
    struct hss_subscription sub;

    return hss_store_subscription_get(st, id, &sub) == HSS_OK &&
           strcmp(sub.name, name) == 0;
}

/* One item as the Cx decide functions run it: begin, write, commit or
 * rollback. */
static int64_t item(struct hss_store *st, const char *name, bool keep)
{
    int64_t id = 0;

    assert_int_equal(hss_store_begin(st, HSS_TX_WRITE), HSS_OK);
    assert_int_equal(hss_store_subscription_add(st, name, &id), HSS_OK);
    if (keep)
        assert_int_equal(hss_store_commit(st), HSS_OK);
    else
        hss_store_rollback(st);
    return id;
}

static void test_batch_items_commit_and_roll_back_alone(void **state)
{
    struct fx *f = *state;
    struct hss_store *other = fx_open(f);
    int64_t a, b, c;

    assert_int_equal(hss_store_batch_begin(f->st), HSS_OK);
    a = item(f->st, "a", true);
    b = item(f->st, "b", false);
    c = item(f->st, "c", true);
    /* inside the batch: the kept items are visible, the rolled back not */
    assert_true(sub_named(f->st, a, "a"));
    assert_false(sub_named(f->st, b, "b"));
    /* nothing is visible to another handle before the batch commits */
    assert_false(sub_named(other, a, "a"));
    assert_int_equal(hss_store_batch_commit(f->st), HSS_OK);
    assert_true(sub_named(other, a, "a"));
    assert_false(sub_named(other, b, "b"));
    assert_true(sub_named(other, c, "c"));
    /* the handle is out of batch state: plain transactions again */
    assert_int_equal(hss_store_begin(f->st, HSS_TX_WRITE), HSS_OK);
    assert_int_equal(hss_store_begin(f->st, HSS_TX_WRITE), HSS_CONFLICT);
    hss_store_rollback(f->st);
    hss_store_close(other);
}

static void test_batch_nested_op_savepoint_rolls_back_with_item(void **state)
{
    struct fx *f = *state;
    struct fx_user u;
    struct hss_impi_new in = {
        .name = "x@ims.test",
        .schemes = HSS_SCHEME_DIGEST,
        .default_scheme = HSS_SCHEME_DIGEST,
    };
    struct hss_impi impi;
    int64_t id;

    u = fx_user_add(f->st, "alice", HSS_IMPI_REGULAR);
    assert_int_equal(hss_store_batch_begin(f->st), HSS_OK);
    assert_int_equal(hss_store_begin(f->st, HSS_TX_WRITE), HSS_OK);
    /* a store function with its own op (SAVEPOINT hss_op) inside the item */
    assert_int_equal(hss_store_impi_add(f->st, u.sub, &in, &id), HSS_OK);
    hss_store_rollback(f->st);
    assert_int_equal(hss_store_batch_commit(f->st), HSS_OK);
    assert_int_equal(hss_store_impi_get(f->st, "x@ims.test", &impi),
                     HSS_NOT_FOUND);
}

static void test_batch_state_errors(void **state)
{
    struct fx *f = *state;
    int64_t a;

    assert_int_equal(hss_store_batch_commit(f->st), HSS_CONFLICT);
    assert_int_equal(hss_store_begin(f->st, HSS_TX_WRITE), HSS_OK);
    assert_int_equal(hss_store_batch_begin(f->st), HSS_CONFLICT);
    hss_store_rollback(f->st);

    assert_int_equal(hss_store_batch_begin(f->st), HSS_OK);
    assert_int_equal(hss_store_batch_begin(f->st), HSS_CONFLICT);
    assert_int_equal(hss_store_commit(f->st), HSS_CONFLICT); /* no item */
    hss_store_rollback(f->st); /* no item: the batch stays open */
    assert_int_equal(hss_store_checkpoint(f->st, true), HSS_CONFLICT);
    a = item(f->st, "a", true);
    assert_int_equal(hss_store_begin(f->st, HSS_TX_READ), HSS_OK);
    assert_int_equal(hss_store_begin(f->st, HSS_TX_READ), HSS_CONFLICT);
    hss_store_rollback(f->st);
    assert_int_equal(hss_store_batch_commit(f->st), HSS_OK);
    assert_true(sub_named(f->st, a, "a"));
}

static void test_batch_commit_rolls_back_an_open_item(void **state)
{
    struct fx *f = *state;
    int64_t a, b = 0;

    assert_int_equal(hss_store_batch_begin(f->st), HSS_OK);
    a = item(f->st, "a", true);
    assert_int_equal(hss_store_begin(f->st, HSS_TX_WRITE), HSS_OK);
    assert_int_equal(hss_store_subscription_add(f->st, "b", &b), HSS_OK);
    assert_int_equal(hss_store_batch_commit(f->st), HSS_OK);
    assert_true(sub_named(f->st, a, "a"));
    assert_false(sub_named(f->st, b, "b"));
}

static void test_batch_rollback_discards_everything(void **state)
{
    struct fx *f = *state;
    int64_t a;

    assert_int_equal(hss_store_batch_begin(f->st), HSS_OK);
    a = item(f->st, "a", true);
    hss_store_batch_rollback(f->st);
    assert_false(sub_named(f->st, a, "a"));
    hss_store_batch_rollback(f->st); /* none open: no-op */
    assert_int_equal(hss_store_batch_begin(f->st), HSS_OK);
    hss_store_close(f->st); /* closing with a batch open rolls it back */
    f->st = fx_open(f);
    assert_int_equal(hss_store_begin(f->st, HSS_TX_WRITE), HSS_OK);
    hss_store_rollback(f->st);
}

static void test_serving_options_and_checkpoint(void **state)
{
    struct fx *f = *state;
    struct hss_store_options o = fx_opts(f);
    struct hss_store *st = NULL;
    int64_t id;
    int log = -1, left = -1;

    o.mmap_mb = 64;
    o.cache_mb = 8;
    o.ckpt_manual = true;
    assert_int_equal(hss_store_open(&o, &st, NULL, 0), HSS_OK);
    assert_int_equal(hss_store_wal_frames(st), 0);
    assert_int_equal(hss_store_subscription_add(st, "a", &id), HSS_OK);
    assert_true(hss_store_wal_frames(st) > 0); /* the commit's frames */
    assert_true(sub_named(f->st, id, "a"));
    /* nobody else writes: a PASSIVE checkpoint copies the whole WAL */
    assert_int_equal(hss_store_checkpoint_passive(st, &log, &left), HSS_OK);
    assert_true(log > 0);
    assert_int_equal(left, 0);
    assert_int_equal(hss_store_wal_frames(st), 0);
    assert_int_equal(hss_store_sync_db(st), HSS_OK);
    assert_int_equal(hss_store_sync_db(NULL), HSS_INVALID);
    assert_int_equal(hss_store_checkpoint(st, true), HSS_OK);
    assert_int_equal(hss_store_checkpoint(st, false), HSS_OK);
    assert_int_equal(hss_store_bulk_mode(st, true), HSS_OK);
    assert_int_equal(hss_store_bulk_mode(st, false), HSS_OK);
    hss_store_close(st);
    o.mmap_mb = -1;
    assert_int_equal(hss_store_open(&o, &st, NULL, 0), HSS_INVALID);
    assert_null(st);
}

/* SAR resets the counters only when the IMPI read says some are set. */
static void test_counters_set_flag(void **state)
{
    struct fx *f = *state;
    struct fx_user u = fx_user_add(f->st, "alice", HSS_IMPI_REGULAR);
    struct hss_impi i;
    bool locked = true;

    assert_int_equal(hss_store_impi_get(f->st, "alice@ims.test", &i), HSS_OK);
    assert_false(i.counters_set);
    assert_int_equal(
        hss_store_impi_note_auth_failure(f->st, u.impi, 100, 2, 30, &locked),
        HSS_OK);
    assert_false(locked);
    assert_int_equal(hss_store_impi_get(f->st, "alice@ims.test", &i), HSS_OK);
    assert_true(i.counters_set);
    assert_int_equal(hss_store_impi_reset_counters(f->st, u.impi), HSS_OK);
    assert_int_equal(hss_store_impi_get(f->st, "alice@ims.test", &i), HSS_OK);
    assert_false(i.counters_set);
    /* the reset took: one more failure does not reach a max of 2 */
    assert_int_equal(
        hss_store_impi_note_auth_failure(f->st, u.impi, 101, 2, 30, &locked),
        HSS_OK);
    assert_false(locked);
    assert_int_equal(hss_store_impi_reset_counters(f->st, 999), HSS_NOT_FOUND);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        FX_TEST(test_batch_items_commit_and_roll_back_alone),
        FX_TEST(test_batch_nested_op_savepoint_rolls_back_with_item),
        FX_TEST(test_batch_state_errors),
        FX_TEST(test_batch_commit_rolls_back_an_open_item),
        FX_TEST(test_batch_rollback_discards_everything),
        FX_TEST(test_serving_options_and_checkpoint),
        FX_TEST(test_counters_set_flag),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
