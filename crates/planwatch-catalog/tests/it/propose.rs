//! Proposals for the targets the four sample plans leave region-local (their names as
//! `planwatch indicator review` lists them after importing `assets/plans/*.txt`), with
//! the top proposal a clerk reading both names would choose, and the never-merge rules.

use planwatch_catalog::Catalog;
use planwatch_catalog::mapping::Query;
use planwatch_catalog::propose::{MAX_PROPOSALS, Proposal, propose};
use planwatch_core::PlanKind::{self, Children, Women};

fn catalog() -> Catalog {
    Catalog::shipped().unwrap_or_else(|e| panic!("{e}"))
}

fn proposals(c: &Catalog, kind: PlanKind, unit: &str, domain: &str, name: &str) -> Vec<Proposal> {
    propose(
        c,
        &Query {
            indicator: name,
            unit: Some(unit).filter(|u| !u.is_empty()),
            kind,
            domain: Some(domain).filter(|d| !d.is_empty()),
        },
    )
}

fn codes(ps: &[Proposal]) -> Vec<&str> {
    ps.iter().map(|p| p.code.as_str()).collect()
}

#[test]
fn the_sample_plans_local_targets_get_the_entry_a_reader_would_choose() {
    let c = catalog();
    // (kind, unit, domain, name as the plan writes it, expected top proposal, certainty)
    let cases: &[(PlanKind, &str, &str, &str, &str, &str)] = &[
        // 连平县 lines 68–70: the school level written after the measure
        (
            Children,
            "小时",
            "儿童与健康",
            "每天睡眠时间小学生",
            "C-HEA-36",
            "高",
        ),
        (
            Children,
            "小时",
            "儿童与健康",
            "每天睡眠时间初中生",
            "C-HEA-37",
            "高",
        ),
        (
            Children,
            "小时",
            "儿童与健康",
            "每天睡眠时间高中生",
            "C-HEA-38",
            "高",
        ),
        // 连平县, 曾都区: the subject without 基层医疗卫生机构 and 数
        (
            Children,
            "人",
            "儿童与健康",
            "专业从事儿童保健的医生",
            "C-HEA-35",
            "中",
        ),
        // 石柱县: 在校/校内, 锻炼/活动, 每天 at the end
        (
            Children,
            "小时",
            "儿童与健康",
            "中小学生在校体育锻炼时间每天",
            "C-HEA-50",
            "中",
        ),
        // outline measures added to the catalog: now mapped, proposed with the mapper's
        // confidence
        (
            Children,
            "小时",
            "儿童与健康",
            "中小学生每天非学习目的使用电子屏幕产品",
            "C-HEA-51",
            "高",
        ),
        (
            Children,
            "小时",
            "儿童与健康",
            "儿童每天接触户外自然光",
            "C-HEA-52",
            "高",
        ),
        (
            Women,
            "比",
            "妇女与环境",
            "城镇公共厕所男女厕位比例（人流量较大地区）",
            "W-ENV-19",
            "高",
        ),
        (Women, "分钟", "妇女与健康", "城乡健身圈", "W-HEA-51", "高"),
        (
            Children,
            "%",
            "儿童与教育",
            "国家财政性教育经费支出占国内生产总值比例",
            "C-EDU-16",
            "高",
        ),
    ];
    let mut wrong = Vec::new();
    for (kind, unit, domain, name, want, certainty) in cases {
        let ps = proposals(&c, *kind, unit, domain, name);
        match ps.first() {
            Some(p) if p.code == *want && p.certainty_zh() == *certainty => {}
            other => wrong.push(format!(
                "{name} → {:?}, expected {want} ({certainty})",
                other.map(|p| (&p.code, p.confidence, p.certainty_zh()))
            )),
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn a_proposal_says_why() {
    let c = catalog();
    let ps = proposals(&c, Children, "小时", "儿童与健康", "每天睡眠时间小学生");
    let top = &ps[0];
    assert_eq!(top.shared, vec!["每天睡眠时间", "小学生"]);
    assert!(top.same_domain && top.same_unit && !top.mapped);
    assert_eq!(
        top.basis_zh(),
        "共同词语“每天睡眠时间、小学生”；同一领域；单位相同"
    );
    // 连平县 line 34 生活圈 (妇女与家庭建设, 分钟): urban or rural is not said, so both are
    // proposed, at equal and low confidence
    let ps = proposals(&c, Women, "分钟", "妇女与家庭建设", "生活圈");
    let mut top2 = codes(&ps[..2]).to_vec();
    top2.sort();
    assert_eq!(top2, vec!["W-FAM-08", "W-FAM-09"]);
    assert_eq!(ps[0].confidence, ps[1].confidence);
    assert_eq!(ps[0].certainty_zh(), "低");
}

#[test]
fn names_with_no_close_entry_get_no_confident_proposal() {
    let c = catalog();
    let cases: &[(PlanKind, &str, &str, &str)] = &[
        // 丽水市, 曾都区: local indicators of their own
        (Women, "个", "", "市级示范带动的四新妇联组织"),
        (Women, "分钟", "妇女与健康", "中心城区急救圈"),
        (Women, "分钟", "妇女与健康", "城市社区卫生服务圈"),
        (Children, "所", "儿童与教育", "中小学教学楼、运动场、食堂"),
    ];
    for (kind, unit, domain, name) in cases {
        let ps = proposals(&c, *kind, unit, domain, name);
        assert!(
            ps.iter().all(|p| p.certainty_zh() == "低"),
            "{name} → {:?}",
            ps.iter()
                .map(|p| (&p.code, p.confidence))
                .collect::<Vec<_>>()
        );
    }
    // a count is never a rate: 丽水市's 标准化妇幼保健机构 (所) is not the coverage rate
    let ps = proposals(
        &c,
        Children,
        "所",
        "儿童与健康",
        "市、县二级标准化妇幼保健机构",
    );
    assert!(!codes(&ps).contains(&"W-HEA-29"), "{:?}", codes(&ps));
}

#[test]
fn proposals_are_few_sorted_and_bounded() {
    let c = catalog();
    for (kind, name) in [
        (Women, "孕产妇系统管理"),
        (Children, "儿童伤害"),
        (Women, "女性比例"),
        (Children, "率"),
        (Women, ""),
    ] {
        let ps = proposals(&c, kind, "", "", name);
        assert!(ps.len() <= MAX_PROPOSALS, "{name}");
        for w in ps.windows(2) {
            assert!(w[0].confidence >= w[1].confidence, "{name}: {ps:?}");
        }
        for p in &ps {
            assert!(p.confidence > 0.0 && p.confidence <= 1.0, "{name}: {p:?}");
        }
    }
    assert!(proposals(&c, Women, "", "", "").is_empty());
}

/// Pairs of names of different indicators: neither the mapper nor the proposals ever put
/// one onto the other's entry (宫颈癌/乳腺癌, 城镇/农村, 婴儿/新生儿/5岁以下, 男/女,
/// 初中/高中).
#[test]
fn the_never_merge_pairs_are_never_proposed() {
    let c = catalog();
    // (kind, the name a plan writes, an entry it must never be proposed)
    let cases: &[(PlanKind, &str, &str)] = &[
        (Women, "宫颈癌早诊率", "W-HEA-06"),
        (Women, "宫颈癌早诊率", "W-HEA-05"),
        (Women, "乳腺癌筛查覆盖率", "W-HEA-04"),
        (Women, "宫颈癌治疗率", "W-HEA-08"),
        (Women, "农村卫生厕所覆盖面", "W-ENV-04"),
        (Women, "城镇自来水普及率", "W-ENV-01"),
        (Women, "城市集中供水率", "W-ENV-06"),
        (Women, "农村单位就业人员中女性比例", "W-ECO-02"),
        (Children, "婴儿贫血患病率", "C-HEA-13"),
        (Children, "新生儿死亡率（全县）", "C-HEA-02"),
        (Children, "婴儿死亡率（按户籍人口）", "C-HEA-01"),
        (Children, "婴儿死亡率（按户籍人口）", "C-HEA-03"),
        (Children, "5岁以下儿童死亡率（户籍）", "C-HEA-02"),
        (Children, "婴儿低体重率", "C-HEA-15"),
        (Women, "男性就业人员比例", "W-ECO-01"),
        (Women, "男性高级专业技术人员比例", "W-ECO-03"),
        (Children, "初中学生睡眠时长", "C-HEA-38"),
        (Children, "高中学生每天睡眠", "C-HEA-37"),
        (Children, "初中生近视发生比例", "C-HEA-25"),
        (Children, "高中生近视发生比例", "C-HEA-24"),
    ];
    let mut wrong = Vec::new();
    for (kind, name, never) in cases {
        let ps = proposals(&c, *kind, "", "", name);
        if codes(&ps).contains(never) {
            wrong.push(format!("{name} → proposes {never}: {:?}", codes(&ps)));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
    // and the right neighbour is still proposed where there is one
    let top = |kind, name| {
        proposals(&c, kind, "", "", name)
            .first()
            .map(|p| p.code.clone())
    };
    assert_eq!(
        top(Children, "初中学生睡眠时长").as_deref(),
        Some("C-HEA-37")
    );
    assert_eq!(
        top(Children, "高中生近视发生比例").as_deref(),
        Some("C-HEA-25")
    );
    assert_eq!(
        top(Children, "新生儿死亡率（全县）").as_deref(),
        Some("C-HEA-01")
    );
}
