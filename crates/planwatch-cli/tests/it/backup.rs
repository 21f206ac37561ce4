//! `planwatch db backup|restore` as an office runs them: the default SQLite file in the
//! data directory, a PostgreSQL database, and every refusal with its Chinese message.

use crate::support::{bin, err, ok, plan, run};
use std::path::Path;
use std::process::Output;

/// The command with its database in the data directory `data`.
fn in_dir(data: &Path, args: &[&str]) -> Output {
    bin()
        .env("PLANWATCH_DATA_DIR", data)
        .args(args)
        .output()
        .expect("run planwatch")
}

fn path(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 temp path")
}

const VALUES: &str = "region,indicator,year,value,source\n\
    连平县,孕产妇死亡率,2023,12.5,妇幼卫生年报\n\
    连平县,孕产妇死亡率,2024,11.8,妇幼卫生年报\n";

/// What an office sees of its data: the regions and the audit log of 连平县's values.
fn seen(data: &Path, db: Option<&str>) -> (String, String) {
    let with_db = |args: &[&str]| -> String {
        let mut args = args.to_vec();
        if let Some(db) = db {
            args.extend(["--db", db]);
        }
        ok(&in_dir(data, &args))
    };
    (
        with_db(&["region", "list", "--format", "json"]),
        with_db(&["data", "history", "连平县", "--format", "json"]),
    )
}

#[test]
fn backup_and_restore_on_sqlite_and_postgres_with_their_refusals() {
    let dir = tempfile::tempdir().expect("dir");
    let data = dir.path().join("planwatch-data");
    ok(&in_dir(
        &data,
        &["plan", "import", &plan("000_899738eeea2834b6.txt")],
    ));
    let csv = dir.path().join("values.csv");
    std::fs::write(&csv, VALUES).expect("write csv");
    ok(&in_dir(
        &data,
        &["data", "import", path(&csv), "--by", "李四"],
    ));
    let original = seen(&data, None);

    // Back up the data directory's database, as a scheduled task would.
    let file = dir.path().join("备份.db");
    let out = ok(&in_dir(&data, &["db", "backup", path(&file)]));
    assert!(out.contains("已备份"), "{out}");
    assert!(out.contains("地区 3 个"), "{out}");
    assert!(out.contains("监测数据 2 条（修改记录 2 条）"), "{out}");
    let again = err(&in_dir(&data, &["db", "backup", path(&file)]));
    assert!(again.contains("已存在，未覆盖"), "{again}");
    assert!(again.contains("--force"), "{again}");
    ok(&in_dir(&data, &["db", "backup", path(&file), "--force"]));

    // Nothing to back up where there is no database: refused, and none is created.
    let nowhere = dir.path().join("no-data");
    let e = err(&in_dir(
        &nowhere,
        &["db", "backup", path(&dir.path().join("x.db"))],
    ));
    assert!(e.contains("不存在，没有可备份的数据"), "{e}");
    assert!(!nowhere.join("planwatch.db").exists());
    assert!(!dir.path().join("x.db").exists());
    // Nor into a folder that is not there (a USB drive not plugged in).
    let unplugged = dir.path().join("U盘").join("x.db");
    let e = err(&in_dir(&data, &["db", "backup", path(&unplugged)]));
    assert!(
        e.contains("不存在") && e.contains("请先建立该文件夹"),
        "{e}"
    );

    // Restore into a new data directory: everything comes back.
    let fresh = dir.path().join("new-data");
    let out = ok(&in_dir(&fresh, &["db", "restore", path(&file)]));
    assert!(out.contains("已从"), "{out}");
    assert_eq!(seen(&fresh, None), original);

    // Not over data by accident; --replace replaces it.
    let e = err(&in_dir(&fresh, &["db", "restore", path(&file)]));
    assert!(e.contains("已有数据（3 个地区"), "{e}");
    assert!(e.contains("未做任何修改") && e.contains("--replace"), "{e}");
    let out = ok(&in_dir(
        &fresh,
        &["db", "restore", path(&file), "--replace"],
    ));
    assert!(out.contains("替换了原有数据"), "{out}");
    assert_eq!(seen(&fresh, None), original);

    // Files that are not backups.
    let text = dir.path().join("values.csv");
    let e = err(&in_dir(
        &fresh,
        &["db", "restore", path(&text), "--replace"],
    ));
    assert!(e.contains("不是 planwatch 的备份文件"), "{e}");
    assert!(e.contains("未做任何修改"), "{e}");
    let e = err(&in_dir(
        &fresh,
        &["db", "restore", path(&dir.path().join("none.db"))],
    ));
    assert!(e.contains("文件不存在"), "{e}");
    assert_eq!(seen(&fresh, None), original);

    // A backup a newer planwatch wrote.
    let newer = dir.path().join("newer.db");
    std::fs::copy(&file, &newer).expect("copy");
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(planwatch_store::sql::test_util::mark_future_schema(&newer))
        .expect("a newer schema");
    let e = err(&in_dir(
        &fresh,
        &["db", "restore", path(&newer), "--replace"],
    ));
    assert!(e.contains("由较新版本的 planwatch 生成"), "{e}");
    assert!(e.contains("请先升级 planwatch"), "{e}");
    assert_eq!(seen(&fresh, None), original);

    // The same file into PostgreSQL, and PostgreSQL's backup back into SQLite.
    let db = rt
        .block_on(planwatch_store::sql::test_util::TestDatabase::create())
        .expect("database");
    ok(&run(&["db", "restore", path(&file), "--db", &db.url]));
    assert_eq!(seen(&fresh, Some(&db.url)).0, original.0);
    let from_pg = dir.path().join("pg.db");
    let out = ok(&run(&["db", "backup", path(&from_pg), "--db", &db.url]));
    assert!(out.contains("地区 3 个"), "{out}");
    let back = dir.path().join("back-data");
    ok(&in_dir(&back, &["db", "restore", path(&from_pg)]));
    assert_eq!(seen(&back, None).0, original.0);
}
