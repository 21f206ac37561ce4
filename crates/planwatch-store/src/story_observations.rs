//! The reported-data story ([`crate::Store::import_observations`], the audit log, the
//! region's monitoring) every [`Store`] must tell the same way, run by each adapter crate
//! against its real database (`tests/it/observation_story.rs`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::story_system::seeded;
use crate::system::{Change, Observation, ObservationImport};
use crate::{Store, StoreError, region_monitoring};
use planwatch_core::evaluation::{Status, Warning};

fn obs(region_id: i64, key: &str, year: i32, value: f64, source: &str) -> Observation {
    Observation {
        region_id,
        indicator_key: key.into(),
        year,
        value,
        source: source.into(),
        demo: false,
    }
}

fn who(why: &str) -> Change {
    Change::new("王五", why).expect("change")
}

/// Importing stores every row with an audit line; importing the same rows again writes
/// nothing; a changed value is one update with its old value in the log.
pub async fn import_reimport_update(store: &dyn Store) {
    let region = seeded(store, "连平县").await;
    let id = region.id;
    let rows = vec![
        obs(id, "W-HEA-03", 2022, 11.2, "妇幼卫生年报"),
        obs(id, "W-HEA-03", 2021, 12.5, "妇幼卫生年报"),
        obs(id, "local:高中阶段教育毛入学率", 2022, 90.5, "教育统计"),
    ];
    let first = store
        .import_observations(&rows, &who("2022年年报"))
        .await
        .expect("import");
    assert_eq!(
        first,
        ObservationImport {
            inserted: 3,
            ..Default::default()
        }
    );
    let stored = store.observations(id).await.expect("observations");
    let keys: Vec<(&str, i32, f64)> = stored
        .iter()
        .map(|o| (o.indicator_key.as_str(), o.year, o.value))
        .collect();
    // By key in byte order ("W-…" before "local:…"), then year.
    assert_eq!(
        keys,
        vec![
            ("W-HEA-03", 2021, 12.5),
            ("W-HEA-03", 2022, 11.2),
            ("local:高中阶段教育毛入学率", 2022, 90.5),
        ]
    );
    assert!(stored.iter().all(|o| o.recorded_by == "王五" && !o.demo));
    assert_eq!(
        store.observation_history(id, None).await.expect("h").len(),
        3
    );

    let again = store
        .import_observations(&rows, &who("重复导入"))
        .await
        .expect("again");
    assert_eq!(
        again,
        ObservationImport {
            unchanged: 3,
            ..Default::default()
        }
    );
    assert_eq!(
        store.observation_history(id, None).await.expect("h").len(),
        3
    );

    let mut revised = rows.clone();
    revised[0].value = 10.9;
    let third = store
        .import_observations(&revised, &who("年报更正"))
        .await
        .expect("revision");
    assert_eq!(
        third,
        ObservationImport {
            updated: 1,
            unchanged: 2,
            ..Default::default()
        }
    );
    let history = store
        .observation_history(id, Some("W-HEA-03"))
        .await
        .expect("history");
    assert_eq!(history.len(), 3);
    let newest = &history[0];
    assert_eq!(
        (newest.year, newest.old_value, newest.new_value),
        (2022, Some(11.2), Some(10.9))
    );
    assert_eq!(newest.why, "年报更正");
    assert_eq!(newest.changed_by, "王五");
    assert_eq!(newest.old_source.as_deref(), Some("妇幼卫生年报"));
    assert!(
        history.windows(2).all(|w| w[0].id > w[1].id),
        "newest first"
    );
    assert_eq!(history[2].old_value, None);
    let other = store
        .observation_history(id, Some("local:高中阶段教育毛入学率"))
        .await
        .expect("other key");
    assert_eq!(other.len(), 1);
}

/// A refused row (unknown indicator, duplicate, not a number) refuses the whole import.
pub async fn failed_import_stores_nothing(store: &dyn Store) {
    let region = seeded(store, "连平县").await;
    let id = region.id;
    let good = obs(id, "W-HEA-03", 2022, 11.2, "妇幼卫生年报");
    let cases = vec![
        vec![good.clone(), obs(id, "local:没有这个指标", 2022, 1.0, "x")],
        vec![good.clone(), good.clone()],
        vec![good.clone(), obs(id, "C-HEA-02", 2022, f64::NAN, "x")],
        vec![good.clone(), obs(id, "C-HEA-02", 1800, 5.0, "x")],
        vec![good.clone(), obs(id + 1000, "C-HEA-02", 2022, 5.0, "x")],
    ];
    for rows in cases {
        let r = store.import_observations(&rows, &who("导入")).await;
        assert!(
            matches!(r, Err(StoreError::EditRefused(_))),
            "{rows:?}: {r:?}"
        );
        assert!(store.observations(id).await.expect("obs").is_empty());
        assert!(
            store
                .observation_history(id, None)
                .await
                .expect("h")
                .is_empty()
        );
    }
    let unknown = store
        .import_observations(
            &[obs(id, "local:没有这个指标", 2022, 1.0, "x")],
            &who("导入"),
        )
        .await
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(unknown.contains("local:没有这个指标"), "{unknown}");
    assert!(unknown.contains("连平县"), "{unknown}");
}

/// Demo values never replace a person's; a person's value replaces a demo one.
pub async fn demo_never_overwrites_real_data(store: &dyn Store) {
    let region = seeded(store, "连平县").await;
    let id = region.id;
    store
        .import_observations(
            &[obs(id, "C-HEA-02", 2023, 4.8, "妇幼卫生年报")],
            &who("年报"),
        )
        .await
        .expect("real");
    let demo = |year, value| Observation {
        demo: true,
        ..obs(id, "C-HEA-02", year, value, "演示数据")
    };
    let change = Change::new("planwatch demo", "演示数据").expect("change");
    let r = store
        .import_observations(&[demo(2023, 6.0), demo(2024, 5.9)], &change)
        .await
        .expect("demo");
    assert_eq!(
        r,
        ObservationImport {
            inserted: 1,
            kept_real: 1,
            ..Default::default()
        }
    );
    assert!(r.summary_zh().contains("保留"), "{}", r.summary_zh());
    let again = store
        .import_observations(&[demo(2023, 6.0), demo(2024, 5.9)], &change)
        .await
        .expect("demo again");
    assert_eq!((again.inserted, again.updated), (0, 0));
    let stored = store.observations(id).await.expect("obs");
    let v: Vec<(i32, f64, bool)> = stored.iter().map(|o| (o.year, o.value, o.demo)).collect();
    assert_eq!(v, vec![(2023, 4.8, false), (2024, 5.9, true)]);
    let r = store
        .import_observations(
            &[obs(id, "C-HEA-02", 2024, 4.6, "妇幼卫生年报")],
            &who("年报"),
        )
        .await
        .expect("real over demo");
    assert_eq!(r.updated, 1);
    let stored = store.observations(id).await.expect("obs");
    assert!(stored.iter().all(|o| !o.demo));
    let history = store.observation_history(id, None).await.expect("h");
    assert_eq!(history.len(), 3);
    assert!(!history[0].demo && history[1].demo);
}

/// The region's monitoring judges each live target on its key's values.
pub async fn monitoring(store: &dyn Store) {
    let region = seeded(store, "连平县").await;
    let id = region.id;
    let mut rows = vec![
        // 孕产妇死亡率 ≤ 12 (2030): met in 2024.
        obs(id, "W-HEA-03", 2023, 12.6, "妇幼卫生年报"),
        obs(id, "W-HEA-03", 2024, 11.8, "妇幼卫生年报"),
        // 高中阶段教育毛入学率 ≥ 92 (2030): one value, 2023.
        obs(id, "local:高中阶段教育毛入学率", 2023, 90.0, "教育统计"),
    ];
    // 婴儿死亡率 ≤ 5 (2030): 6.0 → 5.8, slope -0.2, projected 4.6 in 2030.
    rows.push(Observation {
        demo: true,
        ..obs(id, "C-HEA-02", 2023, 6.0, "演示数据")
    });
    rows.push(obs(id, "C-HEA-02", 2024, 5.8, "妇幼卫生年报"));
    store
        .import_observations(&rows, &who("年报"))
        .await
        .expect("import");
    let m = region_monitoring(store, &region, 2024)
        .await
        .expect("monitoring");
    assert!(m.demo);
    let got: Vec<(&str, Result<Status, ()>)> = m
        .rows
        .iter()
        .map(|r| {
            (
                r.target.state.indicator.as_str(),
                r.evaluation.as_ref().map(|e| e.status).map_err(|_| ()),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("孕产妇死亡率", Ok(Status::Achieved)),
            ("高中阶段教育毛入学率", Ok(Status::NoTrend)),
            ("女性平均受教育年限", Ok(Status::NoData)),
            ("婴儿死亡率", Ok(Status::OnTrack)),
            ("5岁以下儿童死亡率", Ok(Status::NoData)),
        ]
    );
    let infant = &m.rows[3];
    assert!(infant.demo);
    assert_eq!(infant.series.len(), 2);
    assert!(
        infant.explanation.contains("能够实现"),
        "{}",
        infant.explanation
    );
    let school = m.rows[1].evaluation.as_ref().expect("school");
    assert!(school.warnings.contains(Warning::Missing));
    assert!(!m.rows[0].demo);
    let summary = m.summary_zh();
    assert!(summary.starts_with("2024年监测：共 5 项目标"), "{summary}");
    assert!(summary.contains("演示数据"), "{summary}");
    let json = m.to_json();
    assert_eq!(json["rows"][3]["evaluation"]["status"], "on_track");
    assert_eq!(json["rows"][3]["demo"], true);
    assert_eq!(json["counts"]["by_status"]["no_data"], 2);
    // An earlier report year ignores later values.
    let m = region_monitoring(store, &region, 2023)
        .await
        .expect("monitoring 2023");
    assert_eq!(
        m.rows[0].evaluation.as_ref().map(|e| e.status).ok(),
        Some(Status::NoTrend)
    );
}

/// A target whose plan states no baseline is judged from the plan's base year (2020 for
/// 2021–2030) when that year has a value, not from the earliest value on record; without a
/// 2020 value the earliest stands in.
pub async fn base_year_is_the_default_baseline(store: &dyn Store) {
    let region = seeded(store, "连平县").await;
    let id = region.id;
    let rows = vec![
        obs(id, "W-HEA-03", 2016, 20.0, "妇幼卫生年报"),
        obs(id, "W-HEA-03", 2020, 14.0, "妇幼卫生年报"),
        obs(id, "W-HEA-03", 2024, 13.0, "妇幼卫生年报"),
    ];
    store
        .import_observations(&rows, &who("年报"))
        .await
        .expect("import");
    let m = region_monitoring(store, &region, 2024)
        .await
        .expect("monitoring");
    let mmr = &m.rows[0];
    assert_eq!(mmr.target.state.indicator, "孕产妇死亡率");
    assert_eq!(mmr.target.state.baseline_year, None, "the plan states none");
    assert_eq!(mmr.spec.baseline_year, Some(2020));
    assert_eq!(mmr.spec.baseline_value, Some(14.0));
    let e = mmr.evaluation.as_ref().expect("judged");
    // 14 + (12 − 14) × 4/10 = 13.2, and progress (13 − 14)/(13.2 − 14) = 1.25.
    assert!((e.expected.expect("expected") - 13.2).abs() < 1e-9, "{e:?}");
    assert!(
        (e.progress_ratio.expect("ratio") - 1.25).abs() < 1e-9,
        "{e:?}"
    );
    assert_eq!(e.status, Status::OnTrack);

    // No 2020 value: the earliest value (2016) is the baseline.
    let other = seeded(store, "和平县").await;
    let rows = vec![
        obs(other.id, "W-HEA-03", 2016, 20.0, "妇幼卫生年报"),
        obs(other.id, "W-HEA-03", 2024, 13.0, "妇幼卫生年报"),
    ];
    store
        .import_observations(&rows, &who("年报"))
        .await
        .expect("import");
    let m = region_monitoring(store, &other, 2024)
        .await
        .expect("monitoring");
    assert_eq!(m.rows[0].spec.baseline_year, None);
    let e = m.rows[0].evaluation.as_ref().expect("judged");
    // 20 + (12 − 20) × 8/14.
    let expected = 20.0 + (12.0 - 20.0) * 8.0 / 14.0;
    assert!(
        (e.expected.expect("expected") - expected).abs() < 1e-9,
        "{e:?}"
    );

    // The whole province judged at once, or one region a round, agrees with each county
    // judged alone.
    let all = crate::subtree_monitoring(store, None, 2024)
        .await
        .expect("subtree");
    assert_eq!(all.len(), 2);
    let mut one_by_one = Vec::new();
    crate::monitoring::for_each_in_rounds(store, None, 2024, 1, |m| one_by_one.push(m))
        .await
        .expect("rounds");
    assert_eq!(one_by_one.len(), 2);
    let province = store
        .regions()
        .await
        .expect("regions")
        .into_iter()
        .find(|r| r.path == "广东省")
        .expect("province");
    let below = crate::subtree_monitoring(store, Some(&province), 2024)
        .await
        .expect("below the province");
    assert_eq!(below.len(), 2);
    for judged in &all {
        let alone = region_monitoring(store, &judged.region, 2024)
            .await
            .expect("alone");
        let a: Vec<_> = judged
            .rows
            .iter()
            .map(|r| (r.spec, r.evaluation.clone().ok()))
            .collect();
        let b: Vec<_> = alone
            .rows
            .iter()
            .map(|r| (r.spec, r.evaluation.clone().ok()))
            .collect();
        assert_eq!(a, b, "{}", judged.region.path);
    }
}

/// Loading the demo twice writes nothing the second time, adds its stage target once, and
/// leaves a person's values alone.
pub async fn demo_load_is_idempotent(store: &dyn Store) {
    let region = seeded(store, "连平县").await;
    let id = region.id;
    store
        .import_observations(
            &[obs(id, "W-HEA-03", 2024, 9.9, "妇幼卫生年报")],
            &who("年报"),
        )
        .await
        .expect("real");
    let first = crate::demo::load_demo(store, &region).await.expect("demo");
    assert!(first.stage_added);
    assert!(first.import.inserted > 0);
    assert_eq!(first.import.kept_real, 1);
    let targets = store.system_targets(id).await.expect("targets");
    let stage: Vec<_> = targets
        .iter()
        .filter(|t| t.state.text.starts_with(crate::demo::DEMO_TEXT))
        .collect();
    assert_eq!(stage.len(), 1);
    assert_eq!(stage[0].state.binding, Some(true));
    assert_eq!(stage[0].changed_by, crate::demo::DEMO_BY);
    let second = crate::demo::load_demo(store, &region).await.expect("again");
    assert!(!second.stage_added);
    assert_eq!((second.import.inserted, second.import.updated), (0, 0));
    assert_eq!(
        store.system_targets(id).await.expect("t").len(),
        targets.len()
    );
    let stored = store.observations(id).await.expect("obs");
    let real: Vec<_> = stored.iter().filter(|o| !o.demo).collect();
    assert_eq!(real.len(), 1);
    assert_eq!(real[0].value, 9.9);
    assert!(
        stored
            .iter()
            .filter(|o| o.demo)
            .all(|o| o.source == "演示数据" && o.recorded_by == "planwatch demo")
    );
    let m = region_monitoring(store, &region, 2024).await.expect("m");
    assert!(m.demo);
    assert!(
        m.rows
            .iter()
            .filter_map(|r| r.evaluation.as_ref().ok())
            .any(|e| e.status == Status::Missed && e.warnings.contains(Warning::BindingMissed))
    );
}

#[macro_export]
macro_rules! observation_story_tests {
    ($fresh:expr) => {
        #[tokio::test]
        async fn observations_import_reimport_update() {
            let (store, _guard) = $fresh.await;
            $crate::story_observations::import_reimport_update(&store).await;
        }
        #[tokio::test]
        async fn observations_base_year_is_the_default_baseline() {
            let (store, _guard) = $fresh.await;
            $crate::story_observations::base_year_is_the_default_baseline(&store).await;
        }
        #[tokio::test]
        async fn observations_failed_import_stores_nothing() {
            let (store, _guard) = $fresh.await;
            $crate::story_observations::failed_import_stores_nothing(&store).await;
        }
        #[tokio::test]
        async fn observations_demo_never_overwrites_real_data() {
            let (store, _guard) = $fresh.await;
            $crate::story_observations::demo_never_overwrites_real_data(&store).await;
        }
        #[tokio::test]
        async fn observations_monitoring() {
            let (store, _guard) = $fresh.await;
            $crate::story_observations::monitoring(&store).await;
        }
        #[tokio::test]
        async fn observations_demo_load_is_idempotent() {
            let (store, _guard) = $fresh.await;
            $crate::story_observations::demo_load_is_idempotent(&store).await;
        }
    };
}
