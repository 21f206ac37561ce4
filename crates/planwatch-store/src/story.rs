//! The story every [`Store`] must tell the same way, run by each adapter crate against its
//! real database (`tests/it/story.rs` there). Each function starts from an empty database
//! and panics, as a test does, when the store breaks an invariant.
//!
//! [`fixtures`] holds hand-built documents; the real plans are run through
//! [`round_trip`] by the adapters' tests with the plan reader's output.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::{
    ImportOutcome, PlanSummary, RegionRow, SourceDoc, Store, StoreError, load_document,
    load_document_named, resolve_region,
};
use planwatch_core::PlanDocument;

pub mod fixtures {
    //! Small documents written by hand in the shape the reader produces.

    use crate::SourceDoc;
    use planwatch_core::{
        Baseline, Comparator, Direction, Level, Plan, PlanDocument, PlanKind, QualitativeTarget,
        Section, Target,
    };

    /// A county's document with a women's and a children's plan, and its source text.
    pub fn county(province: &str, city: &str, county: &str) -> (SourceDoc, PlanDocument) {
        let lines: Vec<String> = vec![
            format!("{county}妇女发展规划（2021—2030年）"),
            "一、妇女与健康".into(),
            "主要目标：".into(),
            "1.孕产妇死亡率稳定在12/10万以下。".into(),
            "2.妇女宫颈癌和乳腺癌防治意识明显提高，乳腺癌人群筛查率逐步提高。".into(),
            "3.2020年孕产妇系统管理率为91.5%。".into(),
            "二、妇女与教育".into(),
            "4.高中阶段教育毛入学率达到92%以上，女性平均受教育年限达到11.3年。".into(),
            format!("{county}儿童发展规划（2021—2030年）"),
            "一、儿童与健康".into(),
            "1.婴儿和5岁以下儿童死亡率分别控制在5‰和7‰以下。".into(),
        ];
        let t =
            |line: u32, domain: &str, indicator: &str, cmp, value, unit: &str, text: &str| Target {
                line,
                section: Section::Main,
                domain: domain.into(),
                indicator: indicator.into(),
                comparator: cmp,
                value,
                unit: unit.into(),
                year: 2030,
                text: text.into(),
                owner: None,
                binding: None,
            };
        let women = Plan {
            kind: PlanKind::Women,
            title: format!("{county}妇女发展规划（2021—2030年）"),
            period: [2021, 2030],
            domains: vec!["妇女与健康".into(), "妇女与教育".into()],
            targets: vec![
                Target {
                    owner: Some("县卫生健康局".into()),
                    binding: Some(true),
                    ..t(
                        4,
                        "妇女与健康",
                        "孕产妇死亡率",
                        Comparator::Le,
                        12.0,
                        "1/10万",
                        "孕产妇死亡率稳定在12/10万以下",
                    )
                },
                Target {
                    owner: Some("县教育局".into()),
                    binding: Some(false),
                    ..t(
                        8,
                        "妇女与教育",
                        "高中阶段教育毛入学率",
                        Comparator::Ge,
                        92.0,
                        "%",
                        "高中阶段教育毛入学率达到92%以上",
                    )
                },
                Target {
                    section: Section::Measure,
                    year: 2025,
                    ..t(
                        8,
                        "妇女与教育",
                        "女性平均受教育年限",
                        Comparator::Ge,
                        11.3,
                        "年",
                        "女性平均受教育年限达到11.3年",
                    )
                },
            ],
            qualitative: vec![QualitativeTarget {
                line: 5,
                section: Section::Main,
                domain: "妇女与健康".into(),
                indicator: "乳腺癌人群筛查率".into(),
                direction: Direction::Up,
                text: "乳腺癌人群筛查率逐步提高".into(),
                owner: Some("县卫生健康局".into()),
                binding: None,
            }],
            baselines: vec![Baseline {
                line: 6,
                indicator: "孕产妇系统管理率".into(),
                value: 91.5,
                unit: "%".into(),
                year: 2020,
                text: "2020年孕产妇系统管理率为91.5%".into(),
            }],
        };
        let children = Plan {
            kind: PlanKind::Children,
            title: format!("{county}儿童发展规划（2021—2030年）"),
            period: [2021, 2030],
            domains: vec!["儿童与健康".into()],
            targets: vec![
                t(
                    11,
                    "儿童与健康",
                    "婴儿死亡率",
                    Comparator::Le,
                    5.0,
                    "‰",
                    "婴儿死亡率控制在5‰以下",
                ),
                t(
                    11,
                    "儿童与健康",
                    "5岁以下儿童死亡率",
                    Comparator::Le,
                    7.0,
                    "‰",
                    "5岁以下儿童死亡率控制在7‰以下",
                ),
            ],
            qualitative: vec![],
            baselines: vec![],
        };
        let doc = PlanDocument {
            region: county.into(),
            level: Level::County,
            parents: vec![province.into(), city.into()],
            plans: vec![women, children],
        };
        (SourceDoc::new(format!("{county}.txt"), lines), doc)
    }

    /// The same county's document after a revision: the maternal mortality target is now
    /// 10/10万 and the text says so.
    pub fn revised(province: &str, city: &str, county: &str) -> (SourceDoc, PlanDocument) {
        let (mut source, mut doc) = self::county(province, city, county);
        source.lines[3] = "1.孕产妇死亡率稳定在10/10万以下。".into();
        source.name = format!("{county}（修订）.txt");
        doc.plans[0].targets[0].value = 10.0;
        doc.plans[0].targets[0].text = "孕产妇死亡率稳定在10/10万以下".into();
        (source, doc)
    }

    /// A document whose second plan the database refuses (a year out of range): the import
    /// fails after the first plan has been written.
    pub fn failing_second_plan(
        province: &str,
        city: &str,
        county: &str,
    ) -> (SourceDoc, PlanDocument) {
        let (mut source, mut doc) = self::county(province, city, county);
        source.lines.push("（损坏）".into());
        doc.plans[1].targets[0].year = 99_999;
        (source, doc)
    }
}

/// Everything a reader of the database can see, to compare before and after.
async fn snapshot(store: &dyn Store) -> Vec<(RegionRow, Vec<PlanSummary>)> {
    let mut out = Vec::new();
    for region in store.regions().await.expect("regions") {
        let plans = store.region_plans(region.id).await.expect("region plans");
        out.push((region, plans));
    }
    out
}

/// A document comes back from the database exactly as it went in.
pub async fn round_trip(store: &dyn Store, source: &SourceDoc, doc: &PlanDocument) {
    let report = store.import(doc, source).await.expect("import");
    assert!(
        !report.unchanged(),
        "first import of {} stored nothing",
        report.region_path
    );
    let (region, loaded) = load_document_named(store, &doc.region_path(), None)
        .await
        .expect("load");
    assert_eq!(region.path, doc.region_path());
    assert_eq!(
        &loaded, doc,
        "stored document differs from the one read ({})",
        source.name
    );
    // The JSON shape too, as `plan show` prints it.
    assert_eq!(
        serde_json::to_value(&loaded).expect("json"),
        serde_json::to_value(doc).expect("json")
    );
    // Every target's line is in the stored source.
    for plan in &region_plans_of(store, &region).await {
        let stored = store
            .plan_version(plan.id, None)
            .await
            .expect("plan")
            .expect("exists");
        let lines = store
            .source_lines(stored.document_id)
            .await
            .expect("lines")
            .expect("doc");
        assert_eq!(lines, source.lines);
    }
}

async fn region_plans_of(store: &dyn Store, region: &RegionRow) -> Vec<PlanSummary> {
    store.region_plans(region.id).await.expect("region plans")
}

/// Import a hand-built document, read it back, and find its region in the tree.
pub async fn import_and_load(store: &dyn Store) {
    let (source, doc) = fixtures::county("广东省", "河源市", "连平县");
    round_trip(store, &source, &doc).await;
    let regions = store.regions().await.expect("regions");
    let paths: Vec<&str> = regions.iter().map(|r| r.path.as_str()).collect();
    assert_eq!(
        paths,
        vec!["广东省", "广东省/河源市", "广东省/河源市/连平县"]
    );
    let county = &regions[2];
    assert_eq!(county.plan_count, 2);
    assert_eq!(county.level, Some(planwatch_core::Level::County));
    assert_eq!(county.parent_id, Some(regions[1].id));
    assert_eq!(regions[0].plan_count, 0);
    let plans = store.region_plans(county.id).await.expect("plans");
    assert_eq!(plans.len(), 2);
    assert_eq!(plans[0].kind, planwatch_core::PlanKind::Women);
    assert_eq!(plans[0].latest().map(|v| v.target_count), Some(3));
    // A bare name works when unique.
    let (_, by_name) = load_document_named(store, "连平县", None)
        .await
        .expect("by name");
    assert_eq!(by_name, doc);
}

/// Two 城关区 in different provinces are two regions.
pub async fn namesakes_stay_apart(store: &dyn Store) {
    let (s1, d1) = fixtures::county("甘肃省", "兰州市", "城关区");
    let (mut s2, mut d2) = fixtures::county("西藏自治区", "拉萨市", "城关区");
    s2.lines.push("拉萨市城关区".into());
    d2.plans[1].targets[0].value = 6.5;
    store.import(&d1, &s1).await.expect("import 1");
    store.import(&d2, &s2).await.expect("import 2");
    let regions = store.regions().await.expect("regions");
    let namesakes: Vec<&RegionRow> = regions.iter().filter(|r| r.name == "城关区").collect();
    assert_eq!(namesakes.len(), 2);
    assert!(namesakes.iter().all(|r| r.plan_count == 2));
    match resolve_region(&regions, "城关区") {
        Err(StoreError::AmbiguousRegion { candidates, .. }) => assert_eq!(candidates.len(), 2),
        other => panic!("a bare 城关区 must be ambiguous, got {other:?}"),
    }
    let (_, a) = load_document_named(store, "甘肃省/兰州市/城关区", None)
        .await
        .expect("a");
    let (_, b) = load_document_named(store, "拉萨市/城关区", None)
        .await
        .expect("b");
    assert_eq!(a, d1);
    assert_eq!(b, d2);
}

/// Importing the same document twice writes nothing the second time.
pub async fn reimport_changes_nothing(store: &dyn Store) {
    let (source, doc) = fixtures::county("广东省", "河源市", "连平县");
    store.import(&doc, &source).await.expect("first");
    let before = snapshot(store).await;
    let again = store.import(&doc, &source).await.expect("second");
    assert!(again.unchanged());
    assert!(
        again
            .plans
            .iter()
            .all(|p| p.outcome == ImportOutcome::Unchanged { version: 1 })
    );
    // A different file name with the same text is the same document.
    let renamed = SourceDoc::new("copy of it.txt", source.lines.clone());
    assert!(
        store
            .import(&doc, &renamed)
            .await
            .expect("third")
            .unchanged()
    );
    assert_eq!(snapshot(store).await, before);
}

/// A revised document makes new versions; the old ones stay, with their dates.
pub async fn revision_makes_a_new_version(store: &dyn Store) {
    let (s1, d1) = fixtures::county("广东省", "河源市", "连平县");
    let (s2, d2) = fixtures::revised("广东省", "河源市", "连平县");
    store.import(&d1, &s1).await.expect("v1");
    let report = store.import(&d2, &s2).await.expect("v2");
    assert_eq!(
        report.plans[0].outcome,
        ImportOutcome::Stored { version: 2 }
    );
    let (region, latest) = load_document_named(store, "连平县", None)
        .await
        .expect("latest");
    assert_eq!(latest, d2);
    let v1 = load_document(store, &region, Some(1)).await.expect("v1");
    assert_eq!(v1, d1);
    let v2 = load_document(store, &region, Some(2)).await.expect("v2");
    assert_eq!(v2, d2);
    match load_document(store, &region, Some(3)).await {
        Err(StoreError::NoSuchVersion {
            version: 3,
            latest: 2,
            ..
        }) => {}
        other => panic!("version 3 must not exist, got {other:?}"),
    }
    let plans = store.region_plans(region.id).await.expect("plans");
    assert_eq!(plans.len(), 2, "a revision is a version, not another plan");
    let versions = &plans[0].versions;
    assert_eq!(versions.len(), 2);
    assert!(versions[0].imported_at <= versions[1].imported_at);
    assert_eq!(versions[1].document_name, s2.name);
    // The old version still shows its own source text.
    let old = store
        .plan_version(plans[0].id, Some(1))
        .await
        .expect("old")
        .expect("exists");
    let lines = store
        .source_lines(old.document_id)
        .await
        .expect("lines")
        .expect("doc");
    assert_eq!(lines[3], s1.lines[3]);
    // Importing the first document again is a revision back, not a no-op on version 2.
    let back = store.import(&d1, &s1).await.expect("v3");
    assert_eq!(back.plans[0].outcome, ImportOutcome::Stored { version: 3 });
}

/// An import that fails after its first plan is written leaves the database as it was.
pub async fn failed_import_leaves_nothing(store: &dyn Store) {
    let (source, doc) = fixtures::county("广东省", "河源市", "连平县");
    store.import(&doc, &source).await.expect("good");
    let before = snapshot(store).await;
    // A new region whose second plan the database refuses.
    let (bad_source, bad) = fixtures::failing_second_plan("湖北省", "随州市", "曾都区");
    let err = store.import(&bad, &bad_source).await;
    assert!(err.is_err(), "a year of 99999 must be refused");
    // A revision of the stored region that fails the same way.
    let (bad_source, bad) = fixtures::failing_second_plan("广东省", "河源市", "连平县");
    assert!(store.import(&bad, &bad_source).await.is_err());
    assert_eq!(snapshot(store).await, before);
    let (_, still) = load_document_named(store, "连平县", None)
        .await
        .expect("load");
    assert_eq!(still, doc);
    assert!(matches!(
        load_document_named(store, "曾都区", None).await,
        Err(StoreError::RegionNotFound { .. })
    ));
    // Refused before any write: two women's plans of the same period.
    let (s, mut twice) = fixtures::county("浙江省", "丽水市", "莲都区");
    twice.plans[1].kind = planwatch_core::PlanKind::Women;
    assert!(matches!(
        store.import(&twice, &s).await,
        Err(StoreError::Invalid(_))
    ));
    assert_eq!(snapshot(store).await, before);
}

/// `plan import` stores the plans and seeds the indicator system in one transaction: the
/// targets come with the plans; a second run adds nothing; a seed the store refuses takes
/// the plans back with it (no region is left with plans and no targets).
pub async fn seeded_import_is_one_transaction(store: &dyn Store) {
    use crate::system::Seeder;
    let map = |_: planwatch_core::PlanKind, _: u32, indicator: &str| {
        (indicator == "孕产妇死亡率").then(|| ("W-HEA-03".to_string(), 1.0))
    };
    let baseline = |_: planwatch_core::PlanKind, _: u32, _: &str| Some((2020, 13.0));
    let seeder = Seeder {
        map: &map,
        baseline: &baseline,
    };
    let (source, doc) = fixtures::county("广东省", "河源市", "连平县");
    let report = store
        .import_seeded(&doc, &source, Some(&seeder))
        .await
        .expect("import");
    let quantitative: usize = doc.plans.iter().map(|p| p.targets.len()).sum();
    assert_eq!(report.seeded, quantitative);
    assert_eq!(report.seeded_local, quantitative - 1);
    let targets = store
        .system_targets(report.region_id)
        .await
        .expect("targets");
    assert_eq!(targets.len(), quantitative);
    let mmr = targets
        .iter()
        .find(|t| t.state.indicator == "孕产妇死亡率")
        .expect("seeded");
    assert_eq!(mmr.state.code.as_deref(), Some("W-HEA-03"));
    assert_eq!(
        (mmr.state.baseline_year, mmr.state.baseline_value),
        (Some(2020), Some(13.0))
    );
    let again = store
        .import_seeded(&doc, &source, Some(&seeder))
        .await
        .expect("again");
    assert!(again.unchanged());

    // A plan whose target the indicator system refuses (a blank indicator name): nothing of
    // the new region is stored.
    let before = snapshot(store).await;
    let (source, mut bad) = fixtures::county("湖北省", "随州市", "曾都区");
    bad.plans[1].targets[0].indicator = " ".into();
    let err = store.import_seeded(&bad, &source, Some(&seeder)).await;
    assert!(err.is_err(), "a blank indicator cannot be seeded: {err:?}");
    assert_eq!(snapshot(store).await, before);
    assert!(matches!(
        load_document_named(store, "曾都区", None).await,
        Err(StoreError::RegionNotFound { .. })
    ));
}

/// Unknown regions, plans and versions are errors, not panics.
pub async fn unknown_things_are_errors(store: &dyn Store) {
    assert!(matches!(
        load_document_named(store, "不存在县", None).await,
        Err(StoreError::RegionNotFound { .. })
    ));
    assert!(
        store
            .plan_version(987_654, None)
            .await
            .expect("query")
            .is_none()
    );
    assert!(store.source_lines(987_654).await.expect("query").is_none());
    assert!(store.region_plans(987_654).await.expect("query").is_empty());
    let (source, doc) = fixtures::county("广东省", "河源市", "连平县");
    store.import(&doc, &source).await.expect("import");
    // A parent region has no plans of its own.
    assert!(matches!(
        load_document_named(store, "河源市", None).await,
        Err(StoreError::NoPlans { .. })
    ));
    let plans = store
        .region_plans(store.regions().await.expect("r")[2].id)
        .await
        .expect("plans");
    assert!(
        store
            .plan_version(plans[0].id, Some(9))
            .await
            .expect("query")
            .is_none()
    );
}

/// Every story above, in order, each on a store that starts empty: `fresh` makes one.
#[macro_export]
macro_rules! story_tests {
    ($fresh:expr) => {
        #[tokio::test]
        async fn story_import_and_load() {
            let (store, _guard) = $fresh.await;
            $crate::story::import_and_load(&store).await;
        }
        #[tokio::test]
        async fn story_namesakes_stay_apart() {
            let (store, _guard) = $fresh.await;
            $crate::story::namesakes_stay_apart(&store).await;
        }
        #[tokio::test]
        async fn story_reimport_changes_nothing() {
            let (store, _guard) = $fresh.await;
            $crate::story::reimport_changes_nothing(&store).await;
        }
        #[tokio::test]
        async fn story_revision_makes_a_new_version() {
            let (store, _guard) = $fresh.await;
            $crate::story::revision_makes_a_new_version(&store).await;
        }
        #[tokio::test]
        async fn story_failed_import_leaves_nothing() {
            let (store, _guard) = $fresh.await;
            $crate::story::failed_import_leaves_nothing(&store).await;
        }
        #[tokio::test]
        async fn story_seeded_import_is_one_transaction() {
            let (store, _guard) = $fresh.await;
            $crate::story::seeded_import_is_one_transaction(&store).await;
        }
        #[tokio::test]
        async fn story_unknown_things_are_errors() {
            let (store, _guard) = $fresh.await;
            $crate::story::unknown_things_are_errors(&store).await;
        }
    };
}
