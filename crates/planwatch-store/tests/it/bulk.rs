//! `Store::bulk_load` on both databases: parents reused, rows readable through the trait
//! (values with their audit log), and a region that exists (here, one with a real plan)
//! refuses the whole set.

use planwatch_core::{Comparator, Level, PlanKind};
use planwatch_store::bulk::{BulkRegion, BulkSet, BulkTarget, BulkValue, RegionData};
use planwatch_store::sql::test_util;
use planwatch_store::system::{ChangeAction, MappingState, TargetState};
use planwatch_store::{SourceDoc, Store, StoreError};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

fn target(indicator: &str, code: Option<&str>, origin: &str) -> BulkTarget {
    BulkTarget {
        kind: PlanKind::Children,
        origin: origin.into(),
        action: ChangeAction::Import,
        why: "合成数据：测试".into(),
        state: TargetState {
            domain: "儿童与健康".into(),
            indicator: indicator.into(),
            code: code.map(str::to_string),
            confidence: if code.is_some() { 0.9 } else { 0.0 },
            mapping: if code.is_some() {
                MappingState::Auto
            } else {
                MappingState::Local
            },
            comparator: Comparator::Le,
            value: 5.0,
            unit: "‰".into(),
            year: 2030,
            owner: Some("县卫生健康局".into()),
            binding: Some(true),
            // A tab and a backslash: COPY's text format must escape them.
            text: "到2030年，\t婴儿死亡率\\控制在5‰以下".into(),
            retired: false,
            baseline_year: Some(2020),
            baseline_value: Some(6.5),
        },
    }
}

/// 湖北省/随州市/随县 next to the 曾都区 that a plan import created; `own` says which
/// county gets the data.
fn set(own: &str) -> BulkSet {
    let parent = |path: &str, level| BulkRegion {
        path: path.into(),
        level,
        data: None,
    };
    BulkSet {
        by: "planwatch synth".into(),
        source: "合成数据".into(),
        why: "合成数据（测试）".into(),
        systems: vec![vec![
            target("婴儿死亡率", Some("C-H-02"), "synth|a"),
            target("本地指标", None, "synth|b"),
        ]],
        keys: vec!["C-H-02".into(), "local:本地指标".into()],
        regions: vec![
            parent("湖北省", Level::Province),
            parent("湖北省/随州市", Level::City),
            BulkRegion {
                path: format!("湖北省/随州市/{own}"),
                level: Level::County,
                data: Some(RegionData {
                    system: 0,
                    extra: vec![target("婴儿死亡率", Some("C-H-02"), "synth|stage")],
                    values: (2016..=2025)
                        .filter(|y| *y != 2019)
                        .map(|year| BulkValue {
                            key: 0,
                            year,
                            value: 7.0 - 0.1 * f64::from(year - 2016) + 1e-13,
                        })
                        .chain([BulkValue {
                            key: 1,
                            year: 2025,
                            value: 0.1 + 0.2,
                        }])
                        .collect(),
                }),
            },
        ],
    }
}

async fn bulk_story(store: &dyn Store) {
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../assets/plans/004_f195922d897a1781.txt");
    let (source, doc) = planwatch_ingest::parse_file(&file).expect("the 曾都区 plan");
    store
        .import(
            &doc,
            &SourceDoc::new(source.name.clone(), source.lines.clone()),
        )
        .await
        .expect("import");
    let before = store.regions().await.expect("regions");
    assert_eq!(before.len(), 3);

    let rows = AtomicU64::new(0);
    let progress = |n| {
        rows.fetch_add(n, Ordering::Relaxed);
    };
    let s = set("随县");
    let report = store.bulk_load(&s, &progress).await.expect("bulk load");
    assert_eq!(report.regions, 1);
    assert_eq!(report.parents_created, [0, 0], "parents are reused");
    assert_eq!(report.targets, 3);
    assert_eq!(report.values, 10);
    assert_eq!(rows.load(Ordering::Relaxed), s.row_count());

    let regions = store.regions().await.expect("regions");
    let city = regions
        .iter()
        .find(|r| r.path == "湖北省/随州市")
        .expect("city");
    let county = regions
        .iter()
        .find(|r| r.path == "湖北省/随州市/随县")
        .expect("county");
    assert_eq!(county.parent_id, Some(city.id));
    assert_eq!(county.level, Some(Level::County));
    let targets = store.system_targets(county.id).await.expect("targets");
    assert_eq!(targets.len(), 3);
    let first = &targets[0];
    assert_eq!(first.state, s.systems[0][0].state);
    assert_eq!(first.plan_id, None);
    assert_eq!(first.changed_by, "planwatch synth");
    assert_eq!(first.action, ChangeAction::Import);
    let values = store.observations(county.id).await.expect("values");
    assert_eq!(values.len(), 10);
    let v2016 = values
        .iter()
        .find(|o| o.indicator_key == "C-H-02" && o.year == 2016)
        .expect("2016");
    // Floats come back to the bit, whichever way they went in.
    assert_eq!(v2016.value.to_bits(), (7.0f64 + 1e-13).to_bits());
    assert!(values.iter().all(|o| o.demo && o.source == "合成数据"));
    let local = values
        .iter()
        .find(|o| o.indicator_key == "local:本地指标")
        .expect("local");
    assert_eq!(local.value.to_bits(), (0.1f64 + 0.2).to_bits());
    let history = store
        .observation_history(county.id, None)
        .await
        .expect("history");
    assert_eq!(history.len(), 10);
    assert!(
        history
            .iter()
            .all(|h| h.old_value.is_none() && h.why == "合成数据（测试）")
    );

    // The same set again, or a set naming the region of a real plan: refused, nothing
    // written.
    let after = store.regions().await.expect("regions");
    for own in ["随县", "曾都区"] {
        match store.bulk_load(&set(own), &|_| {}).await {
            Err(StoreError::EditRefused(msg)) => assert!(msg.contains(own), "{msg}"),
            other => panic!("{own}: {other:?}"),
        }
    }
    assert_eq!(store.regions().await.expect("regions"), after);
    let zengdu = after.iter().find(|r| r.name == "曾都区").expect("曾都区");
    assert!(
        store
            .observations(zengdu.id)
            .await
            .expect("values")
            .is_empty()
    );

    // Values without a live target are never written.
    let mut orphan = set("广水市");
    if let Some(data) = orphan.regions[2].data.as_mut() {
        data.values.push(BulkValue {
            key: 2,
            year: 2020,
            value: 1.0,
        });
    }
    orphan.keys.push("C-X-99".into());
    assert!(matches!(
        store.bulk_load(&orphan, &|_| {}).await,
        Err(StoreError::EditRefused(_))
    ));
    assert_eq!(store.regions().await.expect("regions"), after);
}

#[tokio::test]
async fn bulk_load_on_sqlite() {
    let (store, _dir) = test_util::fresh_sqlite().await.expect("open");
    bulk_story(&store).await;
}

#[tokio::test]
async fn bulk_load_on_postgres() {
    let (store, _db) = test_util::fresh_postgres().await.expect("open");
    bulk_story(&store).await;
}
