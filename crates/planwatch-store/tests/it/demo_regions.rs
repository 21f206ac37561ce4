//! The demo's made-up regions (演示地区) on both databases: the four real plans with their
//! demo data, then their neighbours — a city with several counties and a province with
//! several cities —, each marked, with its own values, made once; a real plan imported for
//! one of them clears its mark.

use planwatch_store::monitoring::GENERATED_LABEL;
use planwatch_store::sql::test_util;
use planwatch_store::synth::Template;
use planwatch_store::system::Seeder;
use planwatch_store::{RegionRow, SourceDoc, Store, demo};
use std::collections::BTreeSet;

async fn demo_story(store: &dyn Store) {
    let map = |_, _, _: &str| None;
    let baseline = |_, _, _: &str| None;
    let seeder = Seeder {
        map: &map,
        baseline: &baseline,
    };
    let mut templates = Vec::new();
    let mut real = Vec::new();
    let mut docs = Vec::new();
    for file in test_util::shipped_plans().expect("assets/plans") {
        let (source, doc) = planwatch_ingest::parse_file(&file).expect("the reader reads it");
        let source = SourceDoc::new(source.name.clone(), source.lines.clone());
        store
            .import_seeded(&doc, &source, Some(&seeder))
            .await
            .expect("import");
        templates.push(Template::labelled(&doc, &seeder, GENERATED_LABEL));
        real.push(doc.region_path());
        docs.push((source, doc));
    }
    for region in store.regions().await.expect("regions") {
        if region.plan_count > 0 {
            demo::load_demo(store, &region).await.expect("demo data");
        }
    }
    let real: Vec<&str> = real.iter().map(String::as_str).collect();
    let report = demo::load_demo_regions(store, &templates, &real)
        .await
        .expect("made-up regions")
        .expect("something to make");
    // 河源市 5, 随州市 2, 丽水市's 9 counties, 浙江省's 10 other cities; none beside 石柱
    // (a county of a municipality).
    assert_eq!(report.regions, 26);
    assert_eq!(
        report.parents_created,
        [0, 0],
        "the real regions' parents hold them"
    );

    let regions = store.regions().await.expect("regions");
    let by_path = |p: &str| -> &RegionRow {
        regions
            .iter()
            .find(|r| r.path == p)
            .unwrap_or_else(|| panic!("{p}"))
    };
    let children = |p: &str| -> Vec<&RegionRow> {
        let id = by_path(p).id;
        regions.iter().filter(|r| r.parent_id == Some(id)).collect()
    };
    let heyuan = children("广东省/河源市");
    assert_eq!(heyuan.len(), 6, "连平县 and its five neighbours");
    for r in &heyuan {
        assert_eq!(r.generated, r.name != "连平县", "{}", r.path);
    }
    let zhejiang = children("浙江省");
    assert_eq!(zhejiang.len(), 11);
    assert!(zhejiang.iter().all(|r| r.generated == (r.name != "丽水市")));
    assert_eq!(children("浙江省/丽水市").len(), 9);
    assert!(children("浙江省/丽水市").iter().all(|r| r.generated));
    for p in &real {
        let r = by_path(p);
        assert!(!r.generated && r.plan_count > 0, "{p}");
    }
    for p in [
        "广东省",
        "广东省/河源市",
        "浙江省",
        "湖北省/随州市",
        "重庆市",
    ] {
        assert!(
            !by_path(p).generated,
            "{p}: a parent holds, it is not made up"
        );
    }
    assert_eq!(children("重庆市").len(), 1);

    // Each has its own values (seeded by its path), all demo data, and the system of a
    // plan next door: 河源市's counties take 连平县's.
    let mut first_values = BTreeSet::new();
    for r in heyuan.iter().filter(|r| r.generated) {
        let values = store.observations(r.id).await.expect("values");
        assert!(values.len() > 100, "{}: {}", r.path, values.len());
        assert!(values.iter().all(|o| o.demo && o.source == "演示数据"));
        let first: Vec<u64> = values.iter().take(20).map(|o| o.value.to_bits()).collect();
        first_values.insert(first);
        let targets = store.system_targets(r.id).await.expect("targets");
        assert!(
            targets.iter().all(|t| t.why.starts_with("演示地区：")
                && (t.why.contains("《连平县") || t.why.ends_with("阶段目标"))),
            "{}: {:?}",
            r.path,
            targets.iter().map(|t| &t.why).collect::<BTreeSet<_>>()
        );
    }
    assert_eq!(first_values.len(), 5, "every county has values of its own");

    // Again: nothing is made twice.
    let again = demo::load_demo_regions(store, &templates, &real)
        .await
        .expect("again");
    assert!(again.is_none(), "{again:?}");
    assert_eq!(store.regions().await.expect("regions"), regions);

    // A real plan imported for a made-up region: it is no longer 演示地区.
    let (source, doc) = docs
        .iter()
        .find(|(_, d)| d.region == "曾都区")
        .expect("曾都区");
    let mut suixian = doc.clone();
    suixian.region = "随县".into();
    store
        .import_seeded(&suixian, source, Some(&seeder))
        .await
        .expect("import 随县");
    let after = store.regions().await.expect("regions");
    let r = after
        .iter()
        .find(|r| r.path == "湖北省/随州市/随县")
        .expect("随县");
    assert!(!r.generated && r.plan_count > 0);
    assert!(
        after
            .iter()
            .find(|r| r.path == "湖北省/随州市/广水市")
            .is_some_and(|r| r.generated),
        "its neighbour keeps its mark"
    );
}

#[tokio::test]
async fn demo_regions_on_sqlite() {
    let (store, _dir) = test_util::fresh_sqlite().await.expect("open");
    demo_story(&store).await;
}

#[tokio::test]
async fn demo_regions_on_postgres() {
    let (store, _db) = test_util::fresh_postgres().await.expect("open");
    demo_story(&store).await;
}
