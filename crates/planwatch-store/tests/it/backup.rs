//! Backups and restores on real databases: the four real plans with their demo data, a
//! person's values and a target edit, backed up on SQLite (while the newest rows are only
//! in the `-wal` file) and on PostgreSQL, restored into fresh databases of both kinds, and
//! compared table by table and through the store; then every refusal.

use planwatch_core::access::{Role, TokenScope};
use planwatch_core::reporting::ReportKind;
use planwatch_core::round::{Channel, Entry};
use planwatch_store::member_units;
use planwatch_store::people::{AuditAction, NewAudit};
use planwatch_store::publications::NewPublication;
use planwatch_store::rounds::{NewRound, Review, Save};
use planwatch_store::sql::backup::Dump;
use planwatch_store::sql::test_util::{self, TestDatabase, fresh_postgres, fresh_sqlite};
use planwatch_store::story_people;
use planwatch_store::synth::Template;
use planwatch_store::system::{self, Change, Observation, Seeder, TargetPatch};
use planwatch_store::{
    PostgresStore, RegionRow, SourceDoc, SqliteStore, Store, StoreError, TableCounts, demo,
};
use std::path::Path;

fn who(by: &str, why: &str) -> Change {
    Change::new(by, why).expect("change")
}

/// The region of the first plan with plans of its own.
async fn first_county(store: &dyn Store) -> RegionRow {
    let regions = store.regions().await.expect("regions");
    regions
        .into_iter()
        .find(|r| r.plan_count > 0)
        .expect("a region with plans")
}

/// The four real plans seeded into their indicator systems, their demo data, a target
/// edited by a person and a person's value replacing a demo value (an audit row with an
/// old value).
async fn fill(store: &dyn Store) {
    let files = test_util::shipped_plans().expect("assets/plans");
    assert_eq!(files.len(), 4);
    let map = |_, _, _: &str| None;
    let baseline = |_, _, _: &str| None;
    let seeder = Seeder {
        map: &map,
        baseline: &baseline,
    };
    let mut templates = Vec::new();
    for file in &files {
        let (source, doc) = planwatch_ingest::parse_file(file).expect("the reader reads it");
        let source = SourceDoc::new(source.name.clone(), source.lines.clone());
        store
            .import_seeded(&doc, &source, Some(&seeder))
            .await
            .expect("import");
        templates.push(Template::new(&doc, &seeder));
    }
    for region in store.regions().await.expect("regions") {
        if region.plan_count > 0 {
            demo::load_demo(store, &region).await.expect("demo data");
        }
    }
    // 曾都区's neighbours made up by the demo (演示地区): the mark must survive the trip.
    let made = demo::load_demo_regions(store, &templates, &["湖北省/随州市/曾都区"])
        .await
        .expect("made-up regions");
    assert_eq!(made.map(|r| r.regions), Some(2));
    // `same_story` compares the region rows, so the marks are checked on every copy.
    let marked: Vec<String> = store
        .regions()
        .await
        .expect("regions")
        .into_iter()
        .filter(|r| r.generated)
        .map(|r| r.name)
        .collect();
    assert_eq!(marked, ["广水市", "随县"]);
    let county = first_county(store).await;
    let target = &store.system_targets(county.id).await.expect("targets")[0];
    let patch = TargetPatch {
        value: Some(target.state.value + 1.0),
        baseline: Some(Some((2020, 1.5))),
        ..TargetPatch::default()
    };
    system::edit_target(
        store,
        county.id,
        target.id,
        &patch,
        &who("李四", "年度评估调整"),
    )
    .await
    .expect("edit");
    let real = Observation {
        region_id: county.id,
        indicator_key: target.state.indicator_key(),
        year: 2023,
        value: 12.25,
        source: "妇幼卫生年报".into(),
        demo: false,
    };
    let done = store
        .import_observations(&[real], &who("王五", "2023年报送"))
        .await
        .expect("a person's value");
    assert_eq!(done.updated, 1, "it replaces the demo value");
    people(store, &county).await;
}

/// Accounts with roles (a reporter of a member unit), a session, a token, a failed login,
/// the county's member units seeded and one assignment changed by a person, and the audit
/// lines all of it left.
async fn people(store: &dyn Store, county: &RegionRow) {
    let admin = store
        .create_user(&story_people::new_user("admin"), "安装程序")
        .await
        .expect("admin");
    store
        .grant_role(admin, Role::Admin, None, None, "安装程序")
        .await
        .expect("admin role");
    let office = store
        .create_user(&story_people::new_user("office"), "admin")
        .await
        .expect("office");
    store
        .grant_role(office, Role::Office, Some(county.id), None, "admin")
        .await
        .expect("office role");
    member_units::seed_member_units(
        store,
        county.id,
        story_people::owner_units,
        story_people::departments_of,
    )
    .await
    .expect("seed units");
    let health = store
        .add_member_unit(county.id, "卫健委", "office")
        .await
        .expect("unit");
    let women = store
        .add_member_unit(county.id, "妇联", "office")
        .await
        .expect("unit");
    store
        .grant_role(
            office,
            Role::Reporter,
            Some(county.id),
            Some(health),
            "admin",
        )
        .await
        .expect("reporter role");
    let target = &store.system_targets(county.id).await.expect("targets")[0];
    let current = store
        .assignment_history(target.id)
        .await
        .expect("history")
        .last()
        .map(|a| a.version);
    store
        .assign(
            target.id,
            Some(health),
            &[women],
            current,
            &who("office", "卫健委牵头"),
        )
        .await
        .expect("assign");
    store
        .create_session(&format!("{:064x}", 1), office, "csrf", story_people::at(1))
        .await
        .expect("session");
    store
        .create_token(
            office,
            "报送脚本",
            TokenScope::Write,
            &format!("{:064x}", 2),
            "pw_2",
            "office",
        )
        .await
        .expect("token");
    store
        .record_login_failure("admin", "192.0.2.1", story_people::at(2))
        .await
        .expect("failure");
    store
        .audit(&NewAudit {
            actor: "office".into(),
            action: AuditAction::Denied,
            region_id: Some(county.id),
            subject: "/regions".into(),
            detail: String::new(),
            address: Some("192.0.2.1".into()),
        })
        .await
        .expect("audit");
    // A reporting round with a unit's submission, returned with a comment.
    let day = |m, d| chrono::NaiveDate::from_ymd_opt(2025, m, d).expect("date");
    let round = store
        .open_round(
            &NewRound {
                region_id: county.id,
                year: 2024,
                opens_on: day(1, 1),
                closes_on: day(3, 31),
            },
            "office",
        )
        .await
        .expect("round");
    let key = target.state.indicator_key();
    let entries = [(
        key.clone(),
        Entry {
            value: Some(12.5),
            parts: [("性别:女".to_string(), 12.0)].into(),
            explanation: Some("口径调整".into()),
        },
    )]
    .into();
    let submitted = store
        .save_submission(
            &Save {
                round_id: round.id,
                unit_id: health,
                based_on: None,
                entries: &entries,
                channel: Channel::Form,
                by: "office",
                submit: true,
                late: false,
            },
            day(2, 1),
        )
        .await
        .expect("submit");
    store
        .review_submission(
            round.id,
            health,
            submitted.row.version,
            &Review::Return {
                comment: Some("请核对".into()),
                per_value: [(key, "偏高".to_string())].into(),
            },
            "office",
        )
        .await
        .expect("return");
    // A published report: its frozen JSON goes along with everything else.
    let input = planwatch_store::reporting::report_input(
        store,
        county,
        ReportKind::Annual,
        2024,
        "2025年1月31日".into(),
    )
    .await
    .expect("report input");
    let report = planwatch_core::reporting::build(&input).expect("report");
    let json = NewPublication::json_of(&report).expect("json");
    store
        .publish(&NewPublication {
            region_id: county.id,
            year: 2024,
            kind: ReportKind::Annual,
            title: &report.title,
            report_json: &json,
            by: "office",
            why: Some("备份测试"),
        })
        .await
        .expect("publish");
}

/// A value imported last, after the backup's fixtures.
fn late_value(county: &RegionRow, key: &str) -> Observation {
    Observation {
        region_id: county.id,
        indicator_key: key.to_string(),
        year: 2024,
        value: 99.5,
        source: "刚导入".into(),
        demo: false,
    }
}

fn counts_of(dump: &Dump) -> TableCounts {
    TableCounts(
        dump.tables
            .iter()
            .map(|(t, (_, rows))| (t.clone(), rows.len() as i64))
            .collect(),
    )
}

fn sorted(c: &TableCounts) -> Vec<(String, i64)> {
    let mut v = c.0.clone();
    v.sort();
    v
}

/// The same regions, plans with their source lines, targets with every version, reported
/// values and audit log, read through the store.
async fn same_story(a: &dyn Store, b: &dyn Store) {
    let regions = a.regions().await.expect("regions");
    assert_eq!(regions, b.regions().await.expect("regions"));
    for r in &regions {
        let plans = a.region_plans(r.id).await.expect("plans");
        assert_eq!(
            plans,
            b.region_plans(r.id).await.expect("plans"),
            "{}",
            r.path
        );
        for p in &plans {
            let stored = a.plan_version(p.id, None).await.expect("plan");
            assert_eq!(stored, b.plan_version(p.id, None).await.expect("plan"));
            let doc = stored.expect("latest version").document_id;
            let lines = a.source_lines(doc).await.expect("lines");
            assert!(lines.as_ref().is_some_and(|l| !l.is_empty()));
            assert_eq!(lines, b.source_lines(doc).await.expect("lines"));
        }
        let targets = a.system_targets(r.id).await.expect("targets");
        assert_eq!(targets, b.system_targets(r.id).await.expect("targets"));
        for t in &targets {
            let history = a.target_history(t.id).await.expect("history");
            assert_eq!(history, b.target_history(t.id).await.expect("history"));
        }
        let values = a.observations(r.id).await.expect("values");
        assert_eq!(values, b.observations(r.id).await.expect("values"));
        let log = a.observation_history(r.id, None).await.expect("log");
        assert_eq!(log, b.observation_history(r.id, None).await.expect("log"));
        let units = a.member_units(r.id).await.expect("units");
        assert_eq!(units, b.member_units(r.id).await.expect("units"));
        let assigned = a.assignments(r.id).await.expect("assignments");
        assert_eq!(assigned, b.assignments(r.id).await.expect("assignments"));
        for t in &assigned {
            let history = a.assignment_history(t.target_id).await.expect("history");
            assert_eq!(
                history,
                b.assignment_history(t.target_id).await.expect("history")
            );
        }
        let roles = a.region_grants(r.id).await.expect("grants");
        assert_eq!(roles, b.region_grants(r.id).await.expect("grants"));
    }
    let users = a.users().await.expect("users");
    assert_eq!(users, b.users().await.expect("users"));
    for u in &users {
        assert_eq!(
            a.grants(u.id).await.expect("grants"),
            b.grants(u.id).await.expect("grants")
        );
        assert_eq!(
            a.tokens(u.id).await.expect("tokens"),
            b.tokens(u.id).await.expect("tokens")
        );
    }
    assert_eq!(
        a.audit_log(None, 100_000).await.expect("audit"),
        b.audit_log(None, 100_000).await.expect("audit")
    );
    assert_eq!(
        a.session(&format!("{:064x}", 1)).await.expect("session"),
        b.session(&format!("{:064x}", 1)).await.expect("session")
    );
}

/// A restored database goes on as any other: new rows get new ids (PostgreSQL's identity
/// sequences were moved past the restored ids).
async fn goes_on(store: &dyn Store) {
    let county = first_county(store).await;
    let targets = store.system_targets(county.id).await.expect("targets");
    let highest = targets.iter().map(|t| t.id).max().expect("targets");
    let mut state = targets[0].state.clone();
    state.text = "恢复后新增的目标".into();
    let added = system::add_target(
        store,
        county.id,
        targets[0].kind,
        &state,
        &who("赵六", "补充"),
    )
    .await
    .expect("a new target after the restore");
    assert!(added.id > highest);
    let before = store
        .observation_history(county.id, None)
        .await
        .expect("log");
    let mut row = late_value(&county, &state.indicator_key());
    row.year = 2016;
    row.value = 1.0;
    store
        .import_observations(&[row], &who("赵六", "补报"))
        .await
        .expect("a new value after the restore");
    let after = store
        .observation_history(county.id, None)
        .await
        .expect("log");
    assert_eq!(after.len(), before.len() + 1);
    assert!(after[0].id > before.iter().map(|c| c.id).max().unwrap_or(0));

    // New accounts, units and audit lines too.
    let users = store.users().await.expect("users");
    let log = store.audit_log(None, 1).await.expect("audit");
    let user = store
        .create_user(&story_people::new_user("restored"), "赵六")
        .await
        .expect("a new account after the restore");
    assert!(user > users.iter().map(|u| u.id).max().unwrap_or(0));
    let unit = store
        .add_member_unit(county.id, "恢复后新增的单位", "赵六")
        .await
        .expect("a new unit after the restore");
    let units = store.member_units(county.id).await.expect("units");
    assert!(units.iter().all(|u| u.id <= unit));
    let newest = store.audit_log(None, 1).await.expect("audit");
    assert!(newest[0].id > log.first().map(|e| e.id).unwrap_or(0));
}

/// The first bytes of a SQLite file name its journal mode: 1 1 is a rollback journal (the
/// file is whole by itself), 2 2 is WAL.
fn journal_bytes(path: &Path) -> [u8; 2] {
    let bytes = std::fs::read(path).expect("read backup");
    [bytes[18], bytes[19]]
}

#[tokio::test]
async fn a_sqlite_backup_holds_what_is_only_in_the_wal_and_restores_on_both_databases() {
    let (src, dir) = fresh_sqlite().await.expect("sqlite");
    fill(&src).await;
    let county = first_county(&src).await;
    let key = src.system_targets(county.id).await.expect("targets")[1]
        .state
        .indicator_key();

    // A reader that started before the last import keeps SQLite from moving that import's
    // pages into the main file: they stay in the -wal only, as after an import while the
    // server runs.
    let mut reader = src.pool().begin().await.expect("reader");
    let _: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM observations")
        .fetch_one(&mut *reader)
        .await
        .expect("read");
    src.import_observations(&[late_value(&county, &key)], &who("王五", "刚报送"))
        .await
        .expect("the last import");

    // Copying planwatch.db by hand loses it.
    let by_hand = tempfile::tempdir().expect("dir");
    std::fs::copy(
        dir.path().join("planwatch.db"),
        by_hand.path().join("planwatch.db"),
    )
    .expect("copy by hand");
    let hand = SqliteStore::open_path(&by_hand.path().join("planwatch.db"))
        .await
        .expect("open the hand copy");
    let late = |values: &[planwatch_store::system::StoredObservation]| {
        values
            .iter()
            .any(|o| o.indicator_key == key && o.year == 2024 && o.source == "刚导入")
    };
    let hand_regions = hand.regions().await.expect("regions");
    let hand_has_it = match hand_regions.iter().find(|r| r.path == county.path) {
        Some(r) => late(&hand.observations(r.id).await.expect("values")),
        None => false,
    };
    assert!(!hand_has_it, "the hand copy lacks the newest value");

    // The backup has it, while the reader still holds its snapshot.
    let out = tempfile::tempdir().expect("dir");
    let file = out.path().join("备份 2025-01-31.db");
    let report = src.backup(&file, false).await.expect("backup");
    reader.rollback().await.expect("end reader");
    let expected = src.dump(None).await.expect("dump");
    assert_eq!(sorted(&report.counts), sorted(&counts_of(&expected)));
    assert_eq!(report.bytes, std::fs::metadata(&file).expect("file").len());
    assert_eq!(journal_bytes(&file), [1, 1], "one self-contained file");
    assert!(!out.path().join("备份 2025-01-31.db-wal").exists());
    let names: Vec<_> = std::fs::read_dir(out.path())
        .expect("dir")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(names.len(), 1, "nothing left beside the backup: {names:?}");

    // Into a fresh SQLite database: every row of every table, and the same story.
    let (sq, _sq_dir) = fresh_sqlite().await.expect("sqlite");
    let restored = sq.restore(&file, false).await.expect("restore");
    assert_eq!(restored.replaced, None);
    assert_eq!(sorted(&restored.counts), sorted(&report.counts));
    assert_eq!(sq.dump(None).await.expect("dump"), expected);
    assert!(late(&sq.observations(county.id).await.expect("values")));
    same_story(&src, &sq).await;
    goes_on(&sq).await;

    // Into a fresh PostgreSQL database: the same rows, times to PostgreSQL's microsecond.
    let (pg, _db) = fresh_postgres().await.expect("postgres");
    pg.restore(&file, false).await.expect("restore");
    let on_pg = pg.dump(None).await.expect("dump");
    let src_as_pg = src.dump(Some(&on_pg)).await.expect("dump");
    assert_eq!(src_as_pg.in_microseconds(), on_pg);
    goes_on(&pg).await;
}

#[tokio::test]
async fn a_postgres_backup_is_a_planwatch_sqlite_file_and_restores_on_both_databases() {
    let (src, _src_db) = fresh_postgres().await.expect("postgres");
    fill(&src).await;
    let out = tempfile::tempdir().expect("dir");
    let file = out.path().join("pg.db");
    let report = src.backup(&file, false).await.expect("backup");
    let expected = src.dump(None).await.expect("dump");
    assert_eq!(sorted(&report.counts), sorted(&counts_of(&expected)));
    assert_eq!(journal_bytes(&file), [1, 1], "one self-contained file");
    let names: Vec<_> = std::fs::read_dir(out.path()).expect("dir").collect();
    assert_eq!(names.len(), 1, "nothing left beside the backup");

    // The file is a planwatch database of this build's schema, its migrations applied:
    // opened as the database itself, it is used as is.
    let copy = tempfile::tempdir().expect("dir");
    std::fs::copy(&file, copy.path().join("planwatch.db")).expect("copy");
    let opened = SqliteStore::open_path(&copy.path().join("planwatch.db"))
        .await
        .expect("the backup opens as a database");
    let versions: Vec<(i64, bool)> =
        sqlx::query_as("SELECT version, success FROM _sqlx_migrations ORDER BY version")
            .fetch_all(opened.pool())
            .await
            .expect("migrations");
    assert_eq!(
        versions.last(),
        Some(&(SqliteStore::supported_schema_version(), true))
    );
    assert!(versions.iter().all(|(_, ok)| *ok));
    same_story(&src, &opened).await;

    // Into a fresh PostgreSQL database: identical.
    let (pg, _db) = fresh_postgres().await.expect("postgres");
    pg.restore(&file, false).await.expect("restore");
    assert_eq!(pg.dump(None).await.expect("dump"), expected);
    same_story(&src, &pg).await;
    goes_on(&pg).await;

    // Into a fresh SQLite database: the same rows, and the same story.
    let (sq, _dir) = fresh_sqlite().await.expect("sqlite");
    sq.restore(&file, false).await.expect("restore");
    assert_eq!(sq.dump(Some(&expected)).await.expect("dump"), expected);
    same_story(&src, &sq).await;
    goes_on(&sq).await;
}

/// Refusals change nothing: the database dumps the same before and after.
async fn refusals(target: &dyn Store, dump: impl AsyncFn() -> Dump) {
    let dir = tempfile::tempdir().expect("dir");

    // A database with data is not overwritten by accident.
    let file = dir.path().join("b.db");
    let report = target.backup(&file, false).await.expect("backup");
    let before = dump().await;
    let err = target.restore(&file, false).await.expect_err("refused");
    assert!(matches!(err, StoreError::TargetNotEmpty { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(msg.contains("已有数据（12 个地区"), "{msg}");
    assert!(
        msg.contains("未做任何修改") && msg.contains("--replace"),
        "{msg}"
    );
    assert_eq!(dump().await, before);

    // An existing backup is not overwritten, unless forced.
    let err = target.backup(&file, false).await.expect_err("refused");
    assert!(matches!(err, StoreError::BackupExists { .. }), "{err:?}");
    assert!(err.to_string().contains("--force"), "{err}");
    target.backup(&file, true).await.expect("forced");

    // Files that are no planwatch backup.
    let text = dir.path().join("规划.txt");
    std::fs::write(&text, "这不是数据库").expect("write");
    let empty = dir.path().join("empty.db");
    std::fs::write(&empty, b"").expect("write");
    let other = dir.path().join("other.db");
    {
        let other_db = SqliteStore::open_path(&other).await.expect("sqlite");
        sqlx::query("UPDATE _sqlx_migrations SET checksum = x'00' WHERE version = 1")
            .execute(other_db.pool())
            .await
            .expect("another schema");
        other_db.pool().close().await;
    }
    let plain = dir.path().join("plain.db");
    {
        let opts = sqlx::sqlite::SqliteConnectOptions::new()
            .filename(&plain)
            .create_if_missing(true);
        let pool = sqlx::SqlitePool::connect_with(opts).await.expect("sqlite");
        sqlx::query("CREATE TABLE regions (id INTEGER PRIMARY KEY)")
            .execute(&pool)
            .await
            .expect("table");
        pool.close().await;
    }
    for bad in [&text, &empty, &other, &plain] {
        let err = target.restore(bad, true).await.expect_err("refused");
        assert!(matches!(err, StoreError::NotABackup { .. }), "{err:?}");
        let msg = err.to_string();
        assert!(msg.contains("不是 planwatch 的备份文件"), "{msg}");
        assert!(msg.contains("未做任何修改"), "{msg}");
    }
    let err = target
        .restore(&dir.path().join("none.db"), true)
        .await
        .expect_err("refused");
    assert!(err.to_string().contains("文件不存在"), "{err}");

    // A backup a newer planwatch wrote.
    let newer = dir.path().join("newer.db");
    std::fs::copy(&file, &newer).expect("copy");
    test_util::mark_future_schema(&newer)
        .await
        .expect("a newer schema");
    let err = target.restore(&newer, true).await.expect_err("refused");
    assert!(
        matches!(
            err,
            StoreError::BackupTooNew {
                found: 99990101000000,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("请先升级 planwatch"), "{err}");
    assert_eq!(dump().await, before);

    // --replace replaces everything, in one go.
    let (small, _small_dir) = fresh_sqlite().await.expect("sqlite");
    let (source, doc) = planwatch_store::story::fixtures::county("广东省", "河源市", "连平县");
    small.import(&doc, &source).await.expect("import");
    let small_file = dir.path().join("small.db");
    small.backup(&small_file, false).await.expect("backup");
    let done = target.restore(&small_file, true).await.expect("replaced");
    assert_eq!(done.replaced.map(|c| c.get("regions")), Some(12));
    assert_eq!(done.counts.get("regions"), 3);
    assert_eq!(target.regions().await.expect("regions").len(), 3);
    assert!(
        target
            .observation_history(first_county(target).await.id, None)
            .await
            .expect("log")
            .is_empty()
    );
    // And back again.
    let back = target.restore(&file, true).await.expect("back");
    assert_eq!(sorted(&back.counts), sorted(&report.counts));
    assert_eq!(dump().await, before);
}

#[tokio::test]
async fn refusals_on_sqlite_change_nothing() {
    let (store, dir) = fresh_sqlite().await.expect("sqlite");
    fill(&store).await;
    refusals(&store, async || store.dump(None).await.expect("dump")).await;
    // The audit log emptied by --replace is append-only again.
    let err = sqlx::query("DELETE FROM audit_log")
        .execute(store.pool())
        .await
        .expect_err("refused");
    assert!(err.to_string().contains("审计日志不可删除"), "{err}");
    // Not over the database itself, even when forced.
    let db = dir.path().join("planwatch.db");
    let err = store.backup(&db, true).await.expect_err("refused");
    assert!(
        matches!(err, StoreError::BackupOverDatabase { .. }),
        "{err:?}"
    );
    assert!(store.regions().await.expect("regions").len() == 12);
}

#[tokio::test]
async fn refusals_on_postgres_change_nothing() {
    let (store, _db): (PostgresStore, TestDatabase) = fresh_postgres().await.expect("postgres");
    fill(&store).await;
    refusals(&store, async || store.dump(None).await.expect("dump")).await;
    // The audit log emptied by --replace is append-only again.
    let err = sqlx::query("DELETE FROM audit_log")
        .execute(store.pool())
        .await
        .expect_err("refused");
    assert!(err.to_string().contains("审计日志不可删除"), "{err}");
}

/// A backup of an older planwatch (here: one without migration 0004's baseline columns)
/// is brought up to this build's schema on the way in; the file itself is not touched.
#[tokio::test]
async fn an_older_backup_is_migrated_on_restore() {
    let (src, _dir) = fresh_sqlite().await.expect("sqlite");
    let (source, doc) = planwatch_store::story::fixtures::county("广东省", "河源市", "连平县");
    src.import(&doc, &source).await.expect("import");
    let out = tempfile::tempdir().expect("dir");
    let file = out.path().join("old.db");
    src.backup(&file, false).await.expect("backup");
    {
        let opts = sqlx::sqlite::SqliteConnectOptions::new().filename(&file);
        let pool = sqlx::SqlitePool::connect_with(opts).await.expect("sqlite");
        for sql in [
            "ALTER TABLE system_target_versions DROP COLUMN baseline_year",
            "ALTER TABLE system_target_versions DROP COLUMN baseline_value",
            "DELETE FROM _sqlx_migrations WHERE version = 4",
        ] {
            sqlx::query(sql).execute(&pool).await.expect(sql);
        }
        pool.close().await;
    }
    let old = std::fs::read(&file).expect("read");
    let (sq, _sq_dir) = fresh_sqlite().await.expect("sqlite");
    let done = sq.restore(&file, false).await.expect("restore");
    assert_eq!(done.counts.get("regions"), 3);
    assert_eq!(
        std::fs::read(&file).expect("read"),
        old,
        "the backup is untouched"
    );
    same_story(&src, &sq).await;
}
