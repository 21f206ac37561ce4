//! The indicator-system story ([`crate::system`]) every [`Store`] must tell the same way,
//! run by each adapter crate against its real database (`tests/it/system_story.rs`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::story::fixtures;
use crate::system::{
    self, Change, ChangeAction, MappingState, Observation, TargetPatch, TargetState,
};
use crate::{RegionRow, Store, StoreError, resolve_region};
use planwatch_core::{Comparator, PlanKind};

/// Imports the fixture county and seeds its system: 孕产妇死亡率 → W-HEA-03, 婴儿死亡率 →
/// C-HEA-02, everything else region-local.
pub async fn seeded(store: &dyn Store, county: &str) -> RegionRow {
    let (source, doc) = fixtures::county("广东省", "河源市", county);
    store.import(&doc, &source).await.expect("import");
    let regions = store.regions().await.expect("regions");
    let region = resolve_region(&regions, county).expect("region").clone();
    let map = |_: PlanKind, _: u32, indicator: &str| match indicator {
        "孕产妇死亡率" => Some(("W-HEA-03".to_string(), 0.95)),
        "婴儿死亡率" => Some(("C-HEA-02".to_string(), 0.9)),
        _ => None,
    };
    let added = system::seed_region(
        store,
        region.id,
        &system::Seeder {
            map: &map,
            baseline: &|_, _, _| None,
        },
    )
    .await
    .expect("seed");
    assert_eq!(added, 5, "every quantitative target is seeded once");
    region
}

fn who(why: &str) -> Change {
    Change::new("张三", why).expect("change")
}

/// Seeding lists the targets with their mapping; seeding again adds nothing.
pub async fn seed_and_list(store: &dyn Store) {
    let region = seeded(store, "连平县").await;
    let targets = store.system_targets(region.id).await.expect("targets");
    let names: Vec<(&str, Option<&str>, MappingState)> = targets
        .iter()
        .map(|t| {
            (
                t.state.indicator.as_str(),
                t.state.code.as_deref(),
                t.state.mapping,
            )
        })
        .collect();
    assert_eq!(
        names,
        vec![
            ("孕产妇死亡率", Some("W-HEA-03"), MappingState::Auto),
            ("高中阶段教育毛入学率", None, MappingState::Local),
            ("女性平均受教育年限", None, MappingState::Local),
            ("婴儿死亡率", Some("C-HEA-02"), MappingState::Auto),
            ("5岁以下儿童死亡率", None, MappingState::Local),
        ]
    );
    let first = &targets[0];
    assert_eq!(first.region_path, "广东省/河源市/连平县");
    assert_eq!(first.version, 1);
    assert_eq!(first.action, ChangeAction::Import);
    assert_eq!(first.line, Some(4));
    assert_eq!(first.state.owner.as_deref(), Some("县卫生健康局"));
    let map = |_: PlanKind, _: u32, _: &str| None;
    assert_eq!(
        system::seed_region(
            store,
            region.id,
            &system::Seeder {
                map: &map,
                baseline: &|_, _, _| None,
            },
        )
        .await
        .expect("again"),
        0
    );
    // A revised plan adds no second copy of a target it already seeded.
    let (source, doc) = fixtures::revised("广东省", "河源市", "连平县");
    store.import(&doc, &source).await.expect("revision");
    assert_eq!(
        system::seed_region(
            store,
            region.id,
            &system::Seeder {
                map: &map,
                baseline: &|_, _, _| None,
            },
        )
        .await
        .expect("after revision"),
        0
    );
    assert_eq!(
        store
            .system_targets(region.id)
            .await
            .expect("targets")
            .len(),
        5
    );
}

/// An edit is a new version with who and why; the old version stays readable.
pub async fn edit_keeps_history(store: &dyn Store) {
    let region = seeded(store, "连平县").await;
    let id = store.system_targets(region.id).await.expect("targets")[0].id;
    let patch = TargetPatch {
        value: Some(9.0),
        year: Some(2028),
        owner: Some(Some("县妇儿工委办".into())),
        binding: Some(Some(false)),
        ..TargetPatch::default()
    };
    let edited = system::edit_target(store, region.id, id, &patch, &who("市里下达新目标"))
        .await
        .expect("edit");
    assert_eq!(edited.version, 2);
    assert_eq!(edited.action, ChangeAction::Edit);
    assert_eq!(edited.state.value, 9.0);
    assert_eq!(edited.state.year, 2028);
    assert_eq!(edited.state.owner.as_deref(), Some("县妇儿工委办"));
    assert_eq!(edited.state.binding, Some(false));
    assert_eq!(edited.changed_by, "张三");
    assert_eq!(edited.why, "市里下达新目标");
    let history = store.target_history(id).await.expect("history");
    assert_eq!(history.len(), 2);
    assert_eq!(history[0].state.value, 12.0);
    assert_eq!(history[0].state.year, 2030);
    assert_eq!(history[0].action, ChangeAction::Import);
    assert_eq!(history[1], edited);
    // A stale version is refused, and so is an edit that changes nothing.
    let stale = store
        .revise_target(id, 1, &edited.state, ChangeAction::Edit, &who("x"))
        .await;
    assert!(
        matches!(stale, Err(StoreError::Conflict { found: 2, .. })),
        "{stale:?}"
    );
    let same = TargetPatch {
        value: Some(9.0),
        ..TargetPatch::default()
    };
    assert!(matches!(
        system::edit_target(store, region.id, id, &same, &who("x")).await,
        Err(StoreError::EditRefused(_))
    ));
    // Out of range years and missing reasons are refused before anything is written.
    let bad = TargetPatch {
        year: Some(30_000),
        ..TargetPatch::default()
    };
    assert!(matches!(
        system::edit_target(store, region.id, id, &bad, &who("x")).await,
        Err(StoreError::EditRefused(_))
    ));
    assert!(Change::new("张三", " ").is_err());
    assert!(Change::new("", "原因").is_err());
    assert_eq!(store.target_history(id).await.expect("history").len(), 2);
    // Another region's id, or none at all, is not found.
    assert!(matches!(
        system::edit_target(store, region.id + 1000, id, &patch, &who("x")).await,
        Err(StoreError::TargetNotFound { .. })
    ));
    assert!(
        store
            .target_history(id + 1000)
            .await
            .expect("none")
            .is_empty()
    );
}

/// Confirming, correcting and un-mapping a code; comparing regions by code.
pub async fn mapping_and_comparison(store: &dyn Store) {
    let a = seeded(store, "连平县").await;
    let b = seeded(store, "和平县").await;
    let by_code = store.targets_by_code("W-HEA-03").await.expect("by code");
    let paths: Vec<&str> = by_code.iter().map(|t| t.region_path.as_str()).collect();
    assert_eq!(paths, vec!["广东省/河源市/和平县", "广东省/河源市/连平县"]);

    let targets = store.system_targets(a.id).await.expect("targets");
    let maternal = targets[0].id;
    let confirmed = system::map_target(store, a.id, maternal, Some("W-HEA-03"), &who("核对无误"))
        .await
        .expect("confirm");
    assert_eq!(confirmed.state.mapping, MappingState::Confirmed);
    assert_eq!(confirmed.state.confidence, 1.0);
    assert_eq!(confirmed.action, ChangeAction::Map);
    let under5 = targets[4].id;
    let corrected = system::map_target(store, a.id, under5, Some("C-HEA-03"), &who("人工映射"))
        .await
        .expect("correct");
    assert_eq!(corrected.state.mapping, MappingState::Corrected);
    assert_eq!(corrected.state.code.as_deref(), Some("C-HEA-03"));
    assert_eq!(store.targets_by_code("C-HEA-03").await.expect("c").len(), 1);
    let local = system::map_target(store, a.id, maternal, None, &who("地方口径"))
        .await
        .expect("unmap");
    assert_eq!(local.state.mapping, MappingState::Local);
    // a person's decision: reviewed, off the review list
    assert!(!local.state.awaiting_review());
    let seeded_local = targets
        .iter()
        .find(|t| t.state.code.is_none())
        .expect("local");
    assert!(seeded_local.state.awaiting_review());
    assert_eq!(store.targets_by_code("W-HEA-03").await.expect("b").len(), 1);
    let _ = b;
}

/// Retiring or remapping the last target of reported data is refused; with another live
/// target for the same indicator it is allowed; adding and restoring work.
pub async fn reported_data_is_never_orphaned(store: &dyn Store) {
    let region = seeded(store, "连平县").await;
    let targets = store.system_targets(region.id).await.expect("targets");
    let maternal = targets[0].clone();
    store
        .record_observation(&Observation {
            region_id: region.id,
            indicator_key: "W-HEA-03".into(),
            year: 2022,
            value: 11.2,
            source: "妇幼卫生年报".into(),
            demo: false,
        })
        .await
        .expect("observation");
    let retire = system::set_retired(store, region.id, maternal.id, true, &who("不再监测")).await;
    match retire {
        Err(StoreError::WouldOrphan { count, ref key, .. }) => {
            assert_eq!(count, 1);
            assert_eq!(key, "W-HEA-03");
            let message = retire
                .as_ref()
                .err()
                .map(ToString::to_string)
                .unwrap_or_default();
            assert!(message.contains("监测数据"), "{message}");
        }
        other => panic!("retiring the last target of reported data: {other:?}"),
    }
    let remap =
        system::map_target(store, region.id, maternal.id, Some("W-HEA-02"), &who("改")).await;
    assert!(
        matches!(remap, Err(StoreError::WouldOrphan { .. })),
        "{remap:?}"
    );
    assert_eq!(store.target_history(maternal.id).await.expect("h").len(), 1);

    // A second target for the indicator takes over the data: now the first may go.
    let state = TargetState {
        domain: "妇女与健康".into(),
        indicator: "孕产妇死亡率".into(),
        code: Some("W-HEA-03".into()),
        confidence: 1.0,
        mapping: MappingState::Confirmed,
        comparator: Comparator::Le,
        value: 10.0,
        unit: "1/10万".into(),
        year: 2025,
        owner: Some("县卫生健康局".into()),
        binding: Some(true),
        text: "到2025年孕产妇死亡率控制在10/10万以下".into(),
        retired: false,
        baseline_year: None,
        baseline_value: None,
    };
    let added = system::add_target(
        store,
        region.id,
        PlanKind::Women,
        &state,
        &who("增设中期目标"),
    )
    .await
    .expect("add");
    assert_eq!(added.action, ChangeAction::Add);
    assert_eq!(added.line, None);
    assert_eq!(added.plan_id, None);
    let retired = system::set_retired(store, region.id, maternal.id, true, &who("由中期目标替代"))
        .await
        .expect("retire");
    assert!(retired.state.retired);
    assert_eq!(retired.action, ChangeAction::Retire);
    // Retired targets stay listed but leave the comparison.
    assert_eq!(store.system_targets(region.id).await.expect("t").len(), 6);
    let by_code = store.targets_by_code("W-HEA-03").await.expect("by code");
    assert_eq!(
        by_code.iter().map(|t| t.id).collect::<Vec<_>>(),
        vec![added.id]
    );
    // Now the added one is the last: it cannot go.
    assert!(matches!(
        system::set_retired(store, region.id, added.id, true, &who("x")).await,
        Err(StoreError::WouldOrphan { .. })
    ));
    // A retired target cannot be edited until restored.
    let patch = TargetPatch {
        value: Some(8.0),
        ..TargetPatch::default()
    };
    assert!(
        system::edit_target(store, region.id, maternal.id, &patch, &who("x"))
            .await
            .is_err()
    );
    let restored = system::set_retired(store, region.id, maternal.id, false, &who("恢复"))
        .await
        .expect("restore");
    assert_eq!(restored.action, ChangeAction::Restore);
    assert_eq!(restored.version, 3);
    // Targets without reported data retire freely.
    let other = targets[1].id;
    system::set_retired(store, region.id, other, true, &who("口径调整"))
        .await
        .expect("retire local");
}

/// A target seeded with its plan's baseline is judged from it; editing the baseline is a
/// version like any other, the old one kept; clearing it falls back to the earliest value.
pub async fn baselines_seed_edit_and_judge(store: &dyn Store) {
    let (source, doc) = fixtures::county("广东省", "河源市", "连平县");
    store.import(&doc, &source).await.expect("import");
    let regions = store.regions().await.expect("regions");
    let region = resolve_region(&regions, "连平县").expect("region").clone();
    let map = |_: PlanKind, _: u32, indicator: &str| match indicator {
        "孕产妇死亡率" => Some(("W-HEA-03".to_string(), 0.95)),
        _ => None,
    };
    // 孕产妇死亡率 gets 14/10万 in 2020; a baseline after the target's year (2030), out of
    // range or not finite is left out without refusing the import.
    let baseline = |_: PlanKind, _: u32, indicator: &str| match indicator {
        "孕产妇死亡率" => Some((2020, 14.0)),
        "婴儿死亡率" => Some((2031, 6.0)),
        "5岁以下儿童死亡率" => Some((2020, f64::NAN)),
        "女性平均受教育年限" => Some((1800, 9.0)),
        _ => None,
    };
    let added = system::seed_region(
        store,
        region.id,
        &system::Seeder {
            map: &map,
            baseline: &baseline,
        },
    )
    .await
    .expect("seed");
    assert_eq!(added, 5);
    let targets = store.system_targets(region.id).await.expect("targets");
    let named: Vec<(&str, Option<i32>, Option<f64>)> = targets
        .iter()
        .map(|t| {
            (
                t.state.indicator.as_str(),
                t.state.baseline_year,
                t.state.baseline_value,
            )
        })
        .collect();
    assert_eq!(
        named,
        vec![
            ("孕产妇死亡率", Some(2020), Some(14.0)),
            ("高中阶段教育毛入学率", None, None),
            ("女性平均受教育年限", None, None),
            ("婴儿死亡率", None, None),
            ("5岁以下儿童死亡率", None, None),
        ]
    );
    let mmr = targets[0].clone();
    assert_eq!(mmr.state.baseline_zh().as_deref(), Some("14（2020年）"));
    // Seeding again changes nothing.
    assert_eq!(
        system::seed_region(
            store,
            region.id,
            &system::Seeder {
                map: &map,
                baseline: &baseline,
            },
        )
        .await
        .expect("again"),
        0
    );
    assert_eq!(
        store.system_target(mmr.id).await.expect("t").expect("some"),
        mmr
    );

    // Reported: 20 in 2018, 13 in 2022, 12.5 in 2024; the target is <= 12 by 2030.
    let rows: Vec<Observation> = [(2018, 20.0), (2022, 13.0), (2024, 12.5)]
        .into_iter()
        .map(|(year, value)| Observation {
            region_id: region.id,
            indicator_key: "W-HEA-03".into(),
            year,
            value,
            source: "妇幼卫生年报".into(),
            demo: false,
        })
        .collect();
    store
        .import_observations(&rows, &who("年报"))
        .await
        .expect("observations");
    let expected = |m: &crate::RegionMonitoring| {
        let row = m.rows.iter().find(|r| r.target.id == mmr.id).expect("row");
        let e = row.evaluation.as_ref().expect("evaluation");
        (
            e.baseline_year,
            e.baseline_value,
            e.expected.map(|x| (x * 1e6).round() / 1e6),
        )
    };
    // No value reported for 2020: y0 is the stated 14.
    // expected = 14 + (12 - 14) * (2024 - 2020) / (2030 - 2020) = 13.2
    let m = crate::region_monitoring(store, &region, 2024)
        .await
        .expect("monitoring");
    assert_eq!(expected(&m), (Some(2020), Some(14.0), Some(13.2)));

    // A person moves the baseline to 2022, for which a value is reported: y0 is that
    // value (13), not the stated 15. expected = 13 + (12 - 13) * 2 / 8 = 12.75
    let patch = TargetPatch {
        baseline: Some(Some((2022, 15.0))),
        ..TargetPatch::default()
    };
    let edited = system::edit_target(store, region.id, mmr.id, &patch, &who("以2022年为基期"))
        .await
        .expect("edit");
    assert_eq!(edited.version, 2);
    assert_eq!(
        (edited.state.baseline_year, edited.state.baseline_value),
        (Some(2022), Some(15.0))
    );
    let m = crate::region_monitoring(store, &region, 2024)
        .await
        .expect("monitoring");
    assert_eq!(expected(&m), (Some(2022), Some(13.0), Some(12.75)));
    let history = store.target_history(mmr.id).await.expect("history");
    assert_eq!(history.len(), 2);
    assert_eq!(history[0].state.baseline_year, Some(2020));
    assert_eq!(history[0].state.baseline_value, Some(14.0));
    assert_eq!(history[1], edited);

    // Refused before anything is written: a baseline after the target's year, out of
    // range, not finite; the same baseline again.
    for bad in [
        (2031, 10.0),
        (1800, 10.0),
        (2020, f64::INFINITY),
        (2022, 15.0),
    ] {
        let patch = TargetPatch {
            baseline: Some(Some(bad)),
            ..TargetPatch::default()
        };
        let r = system::edit_target(store, region.id, mmr.id, &patch, &who("x")).await;
        assert!(
            matches!(r, Err(StoreError::EditRefused(_))),
            "{bad:?}: {r:?}"
        );
    }
    // Moving the target's year before its baseline is refused too.
    let early = TargetPatch {
        year: Some(2021),
        ..TargetPatch::default()
    };
    assert!(matches!(
        system::edit_target(store, region.id, mmr.id, &early, &who("x")).await,
        Err(StoreError::EditRefused(_))
    ));

    // Cleared: the earliest reported value is the baseline again.
    // expected = 20 + (12 - 20) * (2024 - 2018) / (2030 - 2018) = 16
    let clear = TargetPatch {
        baseline: Some(None),
        ..TargetPatch::default()
    };
    let cleared = system::edit_target(store, region.id, mmr.id, &clear, &who("不设基期"))
        .await
        .expect("clear");
    assert_eq!(cleared.version, 3);
    assert_eq!(cleared.state.baseline_year, None);
    assert_eq!(cleared.state.baseline_value, None);
    let m = crate::region_monitoring(store, &region, 2024)
        .await
        .expect("monitoring");
    assert_eq!(expected(&m), (Some(2018), Some(20.0), Some(16.0)));
    assert_eq!(store.target_history(mmr.id).await.expect("h").len(), 3);
}

#[macro_export]
macro_rules! system_story_tests {
    ($fresh:expr) => {
        #[tokio::test]
        async fn system_seed_and_list() {
            let (store, _guard) = $fresh.await;
            $crate::story_system::seed_and_list(&store).await;
        }
        #[tokio::test]
        async fn system_edit_keeps_history() {
            let (store, _guard) = $fresh.await;
            $crate::story_system::edit_keeps_history(&store).await;
        }
        #[tokio::test]
        async fn system_mapping_and_comparison() {
            let (store, _guard) = $fresh.await;
            $crate::story_system::mapping_and_comparison(&store).await;
        }
        #[tokio::test]
        async fn system_reported_data_is_never_orphaned() {
            let (store, _guard) = $fresh.await;
            $crate::story_system::reported_data_is_never_orphaned(&store).await;
        }
        #[tokio::test]
        async fn system_baselines_seed_edit_and_judge() {
            let (store, _guard) = $fresh.await;
            $crate::story_system::baselines_seed_edit_and_judge(&store).await;
        }
    };
}
