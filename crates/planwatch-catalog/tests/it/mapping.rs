//! Mapping on indicator names as the four sample plans write them (strings copied from
//! `assets/plans/*.txt`), and the pairs that must never share a code.

use planwatch_catalog::Catalog;
use planwatch_catalog::mapping::{Query, map, map_compound};
use planwatch_core::PlanKind::{self, Children, Women};

fn catalog() -> Catalog {
    Catalog::shipped().unwrap_or_else(|e| panic!("{e}"))
}

fn code_of(c: &Catalog, text: &str, unit: Option<&str>, kind: PlanKind) -> Option<String> {
    map(
        c,
        &Query {
            indicator: text,
            unit,
            kind,
            domain: None,
        },
    )
    .map(|m| m.indicator.code.clone())
}

/// `(text as the plan writes it, unit, expected code)`.
fn check(kind: PlanKind, cases: &[(&str, Option<&str>, &str)]) {
    let c = catalog();
    let mut wrong = Vec::new();
    for (text, unit, want) in cases {
        let got = code_of(&c, text, *unit, kind);
        if got.as_deref() != Some(*want) {
            wrong.push(format!("{text} → {got:?}, expected {want}"));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn lianping_000() {
    // 连平县: numbered lists
    check(
        Women,
        &[
            ("孕产妇死亡率", Some("1/10万"), "W-HEA-03"),
            ("适龄妇女宫颈癌人群筛查率", Some("%"), "W-HEA-04"),
            ("乳腺癌人群筛查率", None, "W-HEA-05"),
            ("全县婚前医学检查率", Some("%"), "W-HEA-10"),
            ("孕前优生检查率", Some("%"), "W-HEA-11"),
            ("孕产妇艾滋病、梅毒和乙肝检测率", Some("%"), "W-HEA-16"),
            ("艾滋病、梅毒孕产妇感染者治疗率", Some("%"), "W-HEA-19"),
            ("女性化妆用品抽查合格率", Some("%"), "W-HEA-32"),
            (
                "65岁以上老年人城乡社区规范健康管理服务率",
                Some("%"),
                "W-HEA-31",
            ),
            ("九年义务教育巩固率", Some("%"), "C-EDU-05"),
            ("高中阶段毛入学率", Some("%"), "C-EDU-06"),
            ("就业人员中女性比例", Some("%"), "W-ECO-01"),
            ("城镇单位就业人员中的女性比例", Some("%"), "W-ECO-02"),
            ("高级专业技术人员中女性比例", Some("%"), "W-ECO-03"),
            ("社区居委会主任中女性比例", Some("%"), "W-DEC-26"),
            ("全县乡镇社会工作服务站覆盖率", Some("%"), "W-FAM-05"),
        ],
    );
    check(
        Children,
        &[
            ("新生儿死亡率", Some("‰"), "C-HEA-01"),
            ("婴儿死亡率", Some("‰"), "C-HEA-02"),
            ("5岁以下儿童死亡率", Some("‰"), "C-HEA-03"),
            (
                "5岁以下儿童乙型肝炎病毒表面抗原流行率",
                Some("%"),
                "C-HEA-08",
            ),
            ("5岁儿童乳牙龋齿患病率", Some("%"), "C-HEA-20"),
            ("0-6岁儿童眼保健和视力检查覆盖率", Some("%"), "C-HEA-29"),
            (
                "中小学生国家学生体质健康标准达标优良率",
                Some("%"),
                "C-HEA-30",
            ),
            ("儿童药品用品质量抽检合格率", Some("%"), "C-SAF-08"),
            ("普惠性民办园在园幼儿占比", Some("%"), "C-EDU-03"),
            (
                "每千常住人口就拥有3岁以下婴幼儿托位数",
                Some("个"),
                "C-WEL-01",
            ),
            ("农村自来水普及率", Some("%"), "W-ENV-01"),
        ],
    );
}

#[test]
fn shizhu_002() {
    // 石柱县: 专栏 indicator tables, names with unit brackets
    check(
        Women,
        &[
            ("婚前医学检查率（%）", None, "W-HEA-10"),
            ("妇女人均预期寿命（岁）", None, "W-HEA-01"),
            ("孕产妇死亡率（1/10万）", None, "W-HEA-03"),
            ("适龄妇女乳腺癌人群筛查率（%）", None, "W-HEA-05"),
            ("孕产妇感染艾滋病、梅毒治疗率（%）", None, "W-HEA-19"),
            (
                "由政府举办的标准化妇幼保健机构数覆盖率（%）",
                None,
                "W-HEA-29",
            ),
            ("女童九年义务教育巩固率（%）", None, "C-EDU-05"),
            ("高中阶段教育女性毛入学率（%）", None, "C-EDU-06"),
            (
                "国有企事业单位高级专业技术人员女性比例（%）",
                None,
                "W-ECO-03",
            ),
            ("全县中国共产党女党员比例（%）", None, "W-DEC-01"),
            ("县党代会女代表比例（%）", None, "W-DEC-02"),
            (
                "县党委、政府领导班子中女干部的配备率（%）",
                None,
                "W-DEC-08",
            ),
            (
                "县级工作部门领导班子中由女性担任正职的比例（%）",
                None,
                "W-DEC-12",
            ),
            (
                "县级各类事业单位领导班子中有女性成员的比例（%）",
                None,
                "W-DEC-14",
            ),
            ("村（社区）党组织书记中女性比例（%）", None, "W-DEC-28"),
            ("失业保险女性参保人数（万人）", None, "W-SOC-04"),
            ("女性在城乡低保对象人数中总体占比（%）", None, "W-SOC-08"),
            ("出生人口性别比", None, "W-ENV-14"),
            ("城镇公共厕所男女厕位比", Some("比"), "W-ENV-04"),
            (
                "强奸案件、拐卖妇女案件占刑事案件比重（%）",
                None,
                "W-LAW-04",
            ),
        ],
    );
    check(
        Children,
        &[
            ("6个月内婴儿纯母乳喂养率（%）", None, "C-HEA-17"),
            (
                "以乡镇（街道）为单位的适龄儿童免疫规划疫苗接种率（%）",
                None,
                "C-HEA-09",
            ),
            ("每千名（0-14岁）儿童拥有床位数（张）", None, "C-HEA-32"),
            (
                "每千名（0-14岁）儿童拥有儿科执业（助理）医生数（名）",
                None,
                "C-HEA-33",
            ),
            ("高中生每天睡眠时间（小时）", None, "C-HEA-38"),
            ("儿童意外伤害死亡率（‰）", None, "C-SAF-05"),
            ("学前教育普惠率（%）", None, "C-EDU-02"),
            ("0-6岁残疾儿童康复救助人数（人）", None, "C-WEL-05"),
            (
                "农村社区（村）中家长学校或家庭教育指导服务站点覆盖率（%）",
                None,
                "C-FAM-02",
            ),
            (
                "未成年人犯罪人数占未成年人人口数量的比重（%）",
                None,
                "C-LAW-01",
            ),
            (
                "抓获刑事案件犯罪嫌疑人中未成年人占比（%）",
                None,
                "C-LAW-03",
            ),
        ],
    );
}

#[test]
fn lishui_003() {
    // 丽水市: "——" bullets
    check(
        Women,
        &[
            ("孕前优生健康检查率", Some("%"), "W-HEA-11"),
            ("孕、产妇艾滋病、梅毒和乙肝检测率", Some("%"), "W-HEA-16"),
            ("孕产妇中贫血患病率", None, "W-HEA-21"),
            ("妇女国民体质合格率", Some("%"), "W-HEA-28"),
            ("高等教育毛入学率", Some("%"), "W-EDU-03"),
            ("城镇单位从业人员女性比例", Some("%"), "W-ECO-02"),
            ("女性接受再就业技能培训的合格率", Some("%"), "W-ECO-10"),
            ("村委员会成员中女性比例", Some("%"), "W-DEC-21"),
            ("最低生活保障年标准", Some("元"), "W-SOC-09"),
            ("65岁及以上老年妇女健康管理率", Some("%"), "W-HEA-31"),
            (
                "乡镇（街道）级以上文明家庭创建达标率",
                Some("%"),
                "W-FAM-04",
            ),
            ("妇女的生态文明教育普及率", Some("%"), "W-ENV-15"),
            ("刑事案件结案率", None, "W-LAW-07"),
        ],
    );
    check(
        Children,
        &[
            ("新生儿访视率", Some("%"), "C-HEA-06"),
            ("幼儿体质抽样检测合格率", Some("%"), "C-HEA-31"),
            ("每千名儿童床位数", Some("张"), "C-HEA-32"),
            ("0-6个月婴儿纯母乳喂养率", Some("%"), "C-HEA-17"),
            ("0-3岁中医药健康管理服务覆盖率", Some("%"), "C-HEA-39"),
            ("5岁以下儿童贫血患病率", Some("%"), "C-HEA-13"),
            ("3岁以下婴幼儿健康管理率", Some("%"), "C-HEA-12"),
            ("儿童食品抽查批次合格率", Some("%"), "C-SAF-09"),
            ("学前教育毛入园率", Some("%"), "C-EDU-01"),
            ("义务教育标准化中小学校比例", Some("%"), "C-EDU-09"),
            ("随迁子女在义务教育公办学校就读比例", Some("%"), "C-EDU-10"),
            ("残疾儿童义务教育入学率", Some("%"), "C-EDU-07"),
            ("未成年人救助保护中心实体化运行率", Some("%"), "C-WEL-10"),
            ("生态文明教育普及率", Some("%"), "C-ENV-04"),
            ("未成年人重新犯罪率", None, "C-LAW-02"),
        ],
    );
}

#[test]
fn zengdu_004() {
    // 曾都区: copied from a web page, half-width punctuation
    check(
        Women,
        &[
            ("产前筛查率", Some("%"), "W-HEA-13"),
            ("孕产妇死亡率", Some("1/10万"), "W-HEA-03"),
            ("孕产妇艾滋病检测率", Some("%"), "W-HEA-41"),
            ("孕产妇梅毒检测率", Some("%"), "W-HEA-42"),
            (
                "艾滋病感染孕产妇抗艾滋病病毒药物应用率",
                Some("%"),
                "W-HEA-20",
            ),
            ("孕产妇贫血率", Some("%"), "W-HEA-21"),
            ("保健食品质量抽检合格率", Some("%"), "W-HEA-34"),
            ("九年义务教育巩固率", Some("%"), "C-EDU-05"),
            ("村委会成员中的女性比例", Some("%"), "W-DEC-21"),
            ("社区居委会主任中女性比例", Some("%"), "W-DEC-26"),
            ("空气质量优良天数比率", Some("%"), "W-ENV-09"),
            ("重点城市声环境功能区夜间达标率", Some("%"), "W-ENV-11"),
            ("全区农村清洁能源普及率", None, "W-ENV-13"),
        ],
    );
    check(
        Children,
        &[
            ("新生儿死亡率", Some("‰"), "C-HEA-01"),
            ("纳入国家免疫规划的疫苗接种率", Some("%"), "C-HEA-09"),
            ("低出生体重发生率", Some("%"), "C-HEA-16"),
            ("7岁以下儿童健康管理率", Some("%"), "C-HEA-11"),
            ("高中生近视率", Some("%"), "C-HEA-25"),
            ("0—6岁儿童眼保健和视力检查覆盖率", Some("%"), "C-HEA-29"),
            ("学生体质健康标准达标优良率", Some("%"), "C-HEA-30"),
            ("儿童伤害死亡率较基数年下降幅度", Some("%"), "C-SAF-02"),
            ("学前三年毛入园率", Some("%"), "C-EDU-01"),
            ("公办幼儿园和普惠性民办幼儿园覆盖率", Some("%"), "C-EDU-02"),
            ("适龄残疾儿童义务教育入学率", Some("%"), "C-EDU-07"),
            ("每千人口拥有3岁以下婴幼儿托位数", Some("个"), "C-WEL-01"),
            ("农村自来水普及率", Some("%"), "W-ENV-01"),
        ],
    );
}

#[test]
fn the_same_indicator_written_differently_gets_the_same_code() {
    let c = catalog();
    let groups: &[(PlanKind, &[&str])] = &[
        (
            Women,
            &[
                "孕产妇死亡率",
                "全县孕产妇死亡率",
                "孕产妇死亡率（1/10万）",
                "3.孕产妇死亡率",
                "我市孕产妇死亡率",
            ],
        ),
        (
            Women,
            &[
                "适龄妇女宫颈癌人群筛查率",
                "宫颈癌人群筛查率",
                "适龄妇女宫颈癌人群筛查率（%）",
                "妇女宫颈癌筛查率",
            ],
        ),
        (
            Women,
            &[
                "城镇单位就业人员中女性比例",
                "城镇单位就业人员中的女性比例",
                "城镇单位从业人员女性比例",
            ],
        ),
        (
            Children,
            &[
                "5岁以下儿童贫血率",
                "5岁以下儿童贫血患病率",
                "8.5岁以下儿童贫血率",
                "５岁以下儿童贫血患病率（%）",
            ],
        ),
        (
            Children,
            &[
                "高中阶段学生近视率",
                "高中生近视率",
                "高中阶段学生近视率（%）",
            ],
        ),
        (
            Children,
            &[
                "0-6岁儿童眼保健和视力检查覆盖率",
                "0—6岁儿童眼保健和视力检查覆盖率",
                "０～６岁儿童眼保健和视力检查覆盖率",
            ],
        ),
        (
            Children,
            &[
                "学前教育毛入园率",
                "学前三年毛入园率",
                "全区学前教育毛入园率",
            ],
        ),
    ];
    for (kind, names) in groups {
        let codes: Vec<Option<String>> =
            names.iter().map(|n| code_of(&c, n, None, *kind)).collect();
        assert!(codes[0].is_some(), "{} does not map", names[0]);
        assert!(
            codes.iter().all(|x| x == &codes[0]),
            "{names:?} → {codes:?}"
        );
    }
}

#[test]
fn distinct_indicators_never_share_a_code() {
    let c = catalog();
    // each group: different indicators that differ in one distinguishing word
    let groups: &[(PlanKind, &[&str])] = &[
        (
            Women,
            &[
                "宫颈癌筛查率",
                "乳腺癌筛查率",
                "宫颈癌死亡率",
                "乳腺癌死亡率",
            ],
        ),
        (
            Children,
            &[
                "新生儿死亡率",
                "婴儿死亡率",
                "5岁以下儿童死亡率",
                "儿童伤害死亡率",
                "儿童溺水死亡率",
            ],
        ),
        (
            Women,
            &[
                "城镇单位就业人员中女性比例",
                "就业人员中女性比例",
                "城镇新增就业人员中女性比例",
            ],
        ),
        (
            Women,
            &[
                "农村自来水普及率",
                "农村卫生厕所普及率",
                "农村无害化卫生厕所普及率",
                "农村集中供水率",
            ],
        ),
        (
            Children,
            &[
                "小学生近视率",
                "初中生近视率",
                "高中阶段学生近视率",
                "6岁儿童近视率",
                "儿童新发近视率",
            ],
        ),
        (
            Children,
            &[
                "小学生每天睡眠时间",
                "初中生每天睡眠时间",
                "高中生每天睡眠时间",
            ],
        ),
        (
            Women,
            &["孕产妇死亡率", "孕产妇贫血患病率", "女职工职业病发病率"],
        ),
        (
            Women,
            &[
                "艾滋病母婴传播率",
                "孕产妇艾滋病检测率",
                "孕产妇梅毒检测率",
                "孕产妇乙肝检测率",
                "孕产妇艾滋病、梅毒和乙肝检测率",
            ],
        ),
        (
            Women,
            &[
                "村委会成员中女性比例",
                "村委会主任中女性比例",
                "社区居委会成员中女性比例",
                "社区居委会主任中女性比例",
            ],
        ),
        (
            Women,
            &[
                "村党组织成员中女性比例",
                "村党组织书记中女性比例",
                "社区党组织成员中女性比例",
                "社区党组织书记中女性比例",
            ],
        ),
        (
            Women,
            &[
                "高级专业技术人员中女性比例",
                "专业技术人员中女性比例",
                "中高级专业技术人员中女性比例",
            ],
        ),
        (
            Women,
            &[
                "党委、政府领导班子中女干部的配备率",
                "党委、人大、政府、政协领导班子中女干部比例",
            ],
        ),
        (
            Women,
            &[
                "妇女基本医疗保险参保率",
                "妇女基本养老保险参保率",
                "生育保险参保率",
                "失业保险女性参保人数",
                "工伤保险女性参保人数",
            ],
        ),
        (Women, &["妇女焦虑障碍患病率", "妇女抑郁症患病率"]),
        (
            Children,
            &[
                "3岁以下儿童系统管理率",
                "7岁以下儿童健康管理率",
                "3岁以下婴幼儿健康管理率",
            ],
        ),
        (
            Children,
            &[
                "5岁以下儿童低体重率",
                "低出生体重发生率",
                "5岁以下儿童生长迟缓率",
            ],
        ),
        (Children, &["5岁儿童乳牙龋患率", "12岁儿童龋患率"]),
        (
            Children,
            &[
                "儿童伤害死亡率",
                "儿童伤害死亡率较基数年下降幅度",
                "儿童意外伤害死亡率",
            ],
        ),
        (
            Children,
            &[
                "普惠性幼儿园覆盖率",
                "普惠性民办园在园幼儿占比",
                "公办幼儿园在园幼儿比例",
            ],
        ),
        (
            Children,
            &[
                "城市社区家长学校或家庭教育指导服务站点覆盖率",
                "农村社区（村）家长学校或家庭教育指导服务站点覆盖率",
            ],
        ),
        (Children, &["儿童心理健康素养水平", "儿童健康素养水平"]),
        // entries added for the national outlines
        (
            Women,
            &[
                "乙肝母婴传播率",
                "艾滋病母婴传播率",
                "孕产妇乙肝检测率",
                "适龄女孩HPV疫苗接种率",
                "适龄妇女宫颈癌人群筛查率",
            ],
        ),
        (
            Children,
            &[
                "集中养育孤儿基本生活最低养育标准",
                "社会散居孤儿基本生活最低养育标准",
            ],
        ),
        (
            Children,
            &[
                "新生儿先天性心脏病筛查率",
                "新生儿听力筛查率",
                "新生儿遗传代谢病筛查率",
            ],
        ),
    ];
    for (kind, names) in groups {
        let codes: Vec<Option<String>> =
            names.iter().map(|n| code_of(&c, n, None, *kind)).collect();
        for (i, a) in codes.iter().enumerate() {
            assert!(a.is_some(), "{} does not map", names[i]);
            for (j, b) in codes.iter().enumerate().skip(i + 1) {
                assert_ne!(a, b, "{} and {} share a code", names[i], names[j]);
            }
        }
    }
}

#[test]
fn fuzzy_never_crosses_a_distinguishing_word() {
    let c = catalog();
    // names no plan here uses: the fuzzy step must not pull them onto a neighbour
    let cases: &[(PlanKind, &str)] = &[
        (Women, "男性就业人员中男性比例"),
        (Women, "乳腺癌早诊率"),
        (Children, "初中生每日锻炼时间"),
        (Children, "城市自来水普及率"),
        (Women, "村委会副主任中女性比例"),
        (Children, "婴儿贫血患病率"),
        (Children, "新生儿乙肝疫苗接种率"),
    ];
    for (kind, text) in cases {
        let m = map(
            &c,
            &Query {
                indicator: text,
                unit: None,
                kind: *kind,
                domain: None,
            },
        );
        assert!(m.is_none(), "{text} → {:?}", m.map(|m| &m.indicator.code));
    }
}

#[test]
fn fuzzy_matches_wording_variants() {
    let c = catalog();
    let cases: &[(PlanKind, &str, &str)] = &[
        (
            Women,
            "市、县(市、区)党委、人大、政府、政协领导班子中女干部比例",
            "W-DEC-07",
        ),
        (Children, "每千名儿童拥有床位", "C-HEA-32"),
        (Children, "未成年伤害死亡率较基数年下降幅度", "C-SAF-02"),
    ];
    for (kind, text, want) in cases {
        let m = map(
            &c,
            &Query {
                indicator: text,
                unit: None,
                kind: *kind,
                domain: None,
            },
        );
        let m = m.unwrap_or_else(|| panic!("{text} does not map"));
        assert_eq!(m.indicator.code, *want, "{text}");
        assert!(
            m.confidence > 0.7 && m.confidence < 0.97,
            "{text}: {}",
            m.confidence
        );
    }
}

#[test]
fn incompatible_unit_lowers_confidence_and_blocks_fuzzy() {
    let c = catalog();
    let q = |unit| Query {
        indicator: "孕产妇系统管理率",
        unit,
        kind: Women,
        domain: None,
    };
    assert_eq!(map(&c, &q(Some("%"))).map(|m| m.confidence), Some(1.0));
    let m = map(&c, &q(Some("个"))).map(|m| m.confidence).unwrap_or(0.0);
    assert!(m < 0.7, "{m}");
    // a fuzzy variant with a count unit does not reach a rate
    let q = Query {
        indicator: "孕产妇系统管理覆盖人数",
        unit: Some("人"),
        kind: Women,
        domain: None,
    };
    assert!(map(&c, &q).is_none());
}

#[test]
fn unsplit_enumerations_map_part_by_part() {
    let c = catalog();
    let parts = |text: &str, kind| {
        map_compound(
            &c,
            &Query {
                indicator: text,
                unit: None,
                kind,
                domain: None,
            },
        )
        .map(|ps| {
            ps.iter()
                .map(|p| p.mapping.indicator.code.clone())
                .collect::<Vec<_>>()
        })
    };
    assert_eq!(
        parts("村党组织成员、村党组织书记中女性比例", Women),
        Some(vec!["W-DEC-19".into(), "W-DEC-20".into()])
    );
    assert_eq!(
        parts("婚前、孕前医学检查率", Women),
        Some(vec!["W-HEA-10".into(), "W-HEA-11".into()])
    );
    assert_eq!(
        parts("未成年人犯罪率与重新犯罪率", Children),
        Some(vec!["C-LAW-01".into(), "C-LAW-02".into()])
    );
    assert_eq!(
        parts("新生儿、婴儿和5岁以下儿童死亡率", Children),
        Some(vec![
            "C-HEA-01".into(),
            "C-HEA-02".into(),
            "C-HEA-03".into()
        ])
    );
    assert_eq!(parts("托育机构和托位数量", Children), None);
}

#[test]
fn a_generic_measure_word_takes_its_subject_from_the_sentence() {
    use planwatch_catalog::mapping::{map_with_text, subject_context};
    let c = catalog();
    // 曾都区 line 643 and 丽水市 line 560, as the documents write them
    let line = "5.孤儿和事实无人抚养儿童的生存、发展、安全权益得到有效保障,保障覆盖率达到100%。";
    let ctx = subject_context(line, "覆盖率");
    let q = Query {
        indicator: "覆盖率",
        unit: Some("%"),
        kind: Children,
        domain: None,
    };
    let m = map_with_text(&c, &q, ctx).unwrap_or_else(|| panic!("覆盖率 in {ctx}"));
    assert_eq!(m.indicator.code, "C-WEL-07");
    assert!(m.confidence <= 0.75);

    let line = "——积极推进0-3岁儿童发育监测与筛查工作，监测筛查率达到85%以上。3岁以下婴幼儿健康管理率≥95%。";
    let q = Query {
        indicator: "监测筛查率",
        unit: Some("%"),
        kind: Children,
        domain: None,
    };
    let m = map_with_text(&c, &q, subject_context(line, "监测筛查率"));
    assert_eq!(m.map(|m| m.indicator.code.as_str()), Some("C-HEA-40"));

    // two subjects (宫颈癌, 乳腺癌): no single code
    let line = "3.提高宫颈癌和乳腺癌的早诊早治率,降低死亡率。适龄妇女宫颈癌人群筛查率达70%以上。";
    let q = Query {
        indicator: "死亡率",
        unit: None,
        kind: Women,
        domain: None,
    };
    assert!(map_with_text(&c, &q, subject_context(line, "死亡率")).is_none());
}

#[test]
fn a_womens_plan_target_on_an_indicator_reported_by_sex_takes_the_female_value() {
    use planwatch_catalog::mapping::female_breakdown;
    let c = catalog();
    let edu = c.get("C-EDU-05").unwrap_or_else(|| panic!("C-EDU-05"));
    assert!(female_breakdown(edu, Women, "九年义务教育巩固率"));
    assert!(female_breakdown(edu, Children, "女童九年义务教育巩固率"));
    assert!(!female_breakdown(edu, Children, "九年义务教育巩固率"));
    // already a women's indicator: its value is the female value
    let eco = c.get("W-ECO-01").unwrap_or_else(|| panic!("W-ECO-01"));
    assert!(!female_breakdown(eco, Women, "就业人员中女性比例"));
}

/// Ways plans write a catalog name: word order, 的, 人数比例/比重/占比, 少年儿童, a
/// bracketed qualifier that names nothing distinguishing.
#[test]
fn tolerant_of_how_plans_write_a_name() {
    check(
        Women,
        &[
            // word order: the population word where the plan puts it
            ("基本养老保险妇女参保率", Some("%"), "W-SOC-03"),
            ("基本医疗保险妇女参保率", Some("%"), "W-SOC-02"),
            ("女性占就业人员的比例", Some("%"), "W-ECO-01"),
            ("女性在城镇单位就业人员中的比例", Some("%"), "W-ECO-02"),
            ("女性占高级专业技术人员的比重", Some("%"), "W-ECO-03"),
            // 的, 人数比例, 占比, 比重
            ("经常参加体育锻炼的妇女人数比例", Some("%"), "W-HEA-27"),
            ("妇女经常参加体育锻炼的人口比例", Some("%"), "W-HEA-27"),
            ("女性高级专业技术人员占比", Some("%"), "W-ECO-03"),
            ("女性就业人员占比", Some("%"), "W-ECO-01"),
            ("村委会成员中的女性比重", Some("%"), "W-DEC-21"),
            ("居委会成员中女性占比", Some("%"), "W-DEC-25"),
            // a bracketed qualifier
            ("孕产妇死亡率（全县）", Some("1/10万"), "W-HEA-03"),
            ("孕产妇系统管理率（常住人口）", Some("%"), "W-HEA-12"),
        ],
    );
    check(
        Children,
        &[
            ("少年儿童伤害死亡率", Some("1/10万"), "C-SAF-01"),
            ("残疾少年儿童义务教育入学率", Some("%"), "C-EDU-07"),
            ("残疾儿童少年义务教育巩固率", Some("%"), "C-EDU-08"),
            ("学前教育毛入园率（学前三年）", Some("%"), "C-EDU-01"),
            ("婴儿死亡率（按常住人口）", Some("‰"), "C-HEA-02"),
        ],
    );
}

/// A rewriting never merges what a distinguishing word keeps apart: a bracketed 城镇,
/// 农村, 乳腺癌 or age is a different indicator (or a breakdown), not the total.
#[test]
fn tolerance_never_drops_a_distinguishing_qualifier() {
    let c = catalog();
    let cases: &[(PlanKind, &str)] = &[
        (Women, "孕产妇死亡率（农村）"),
        (Women, "孕产妇死亡率（城镇）"),
        (Women, "宫颈癌筛查率（乳腺癌）"),
        (Children, "死亡率（新生儿）"),
        (Children, "婴儿死亡率（新生儿）"),
        (Children, "5岁以下儿童死亡率（婴儿）"),
        (Children, "儿童伤害死亡率（0—6岁）"),
        (Women, "城镇女性就业人员比例（农村）"),
        (Children, "儿童伤害死亡率（较2020年下降）"),
    ];
    for (kind, text) in cases {
        let m = map(
            &c,
            &Query {
                indicator: text,
                unit: None,
                kind: *kind,
                domain: None,
            },
        );
        assert!(m.is_none(), "{text} → {:?}", m.map(|m| &m.indicator.code));
    }
    // 连平县 line 184: the high-traffic standard (1:2) is not the general one (2:3); it
    // has an entry of its own
    assert_eq!(
        code_of(
            &c,
            "城镇公共厕所男女厕位比例（人流量较大地区）",
            Some("比"),
            Women
        )
        .as_deref(),
        Some("W-ENV-19")
    );
    // and the rewritten match says so, below an alias
    let m = map(
        &c,
        &Query {
            indicator: "基本养老保险妇女参保率",
            unit: Some("%"),
            kind: Women,
            domain: None,
        },
    )
    .unwrap_or_else(|| panic!("基本养老保险妇女参保率"));
    assert_eq!(m.method, planwatch_catalog::mapping::Method::Variant);
    assert!(
        m.confidence < 0.97 && m.confidence >= 0.85,
        "{}",
        m.confidence
    );
}

/// The main targets of 中国妇女发展纲要（2021—2030年） and 中国儿童发展纲要（2021—2030年）,
/// written as the outlines and the plans that copy them write them: each maps onto its
/// catalog entry (the catalog covers the outlines, issue 14 point 5).
#[test]
fn the_national_outlines_main_targets_all_map() {
    check(
        Women,
        &[
            ("妇女人均预期寿命", None, "W-HEA-01"),
            ("人均健康预期寿命", None, "W-HEA-02"),
            ("孕产妇死亡率", None, "W-HEA-03"),
            ("适龄妇女宫颈癌人群筛查率", None, "W-HEA-04"),
            ("乳腺癌人群筛查率", None, "W-HEA-05"),
            ("艾滋病母婴传播率", None, "W-HEA-18"),
            ("乙肝母婴传播率", None, "W-HEA-48"),
            ("妇女心理健康素养水平", None, "W-HEA-23"),
            ("妇女焦虑障碍患病率", None, "W-HEA-24"),
            ("妇女抑郁症患病率", None, "W-HEA-25"),
            ("妇女健康素养水平", None, "W-HEA-26"),
            ("孕产妇贫血患病率", None, "W-HEA-21"),
            ("妇女经常参加体育锻炼的人数比例", None, "W-HEA-27"),
            ("妇女体质测定标准合格比例", None, "W-HEA-28"),
            ("妇女常见病筛查率", None, "W-HEA-09"),
            ("孕产妇系统管理率", None, "W-HEA-12"),
            ("女性人均预期寿命", None, "W-HEA-01"),
            ("宫颈癌和乳腺癌早诊早治率", None, "W-HEA-06"),
            ("九年义务教育巩固率", None, "C-EDU-05"),
            ("女童九年义务教育巩固率", None, "C-EDU-05"),
            ("高中阶段毛入学率", None, "C-EDU-06"),
            ("高中阶段教育毛入学率", None, "C-EDU-06"),
            ("高等教育在学总规模中女性比例", None, "W-EDU-04"),
            ("男女两性的科学素质水平差距", None, "W-EDU-06"),
            ("女性平均受教育年限", None, "W-EDU-01"),
            ("女性青壮年文盲率", None, "W-EDU-02"),
            ("就业人员中的女性比例", None, "W-ECO-01"),
            ("女性就业人员占比", None, "W-ECO-01"),
            ("城镇单位就业人员中的女性比例", None, "W-ECO-02"),
            ("高级专业技术人员中的女性比例", None, "W-ECO-03"),
            ("女性高级专业技术人员占比", None, "W-ECO-03"),
            ("男女收入差距", None, "W-ECO-09"),
            ("女职工职业病发病率", None, "W-ECO-06"),
            ("中国共产党女党员比例", None, "W-DEC-01"),
            ("党员代表大会中女党员代表比例", None, "W-DEC-02"),
            ("人大代表中女性比例", None, "W-DEC-03"),
            ("人大常委会委员中的女性比例", None, "W-DEC-04"),
            ("政协委员中女性比例", None, "W-DEC-05"),
            ("政协常委中女性比例", None, "W-DEC-06"),
            ("领导班子中女干部比例", None, "W-DEC-07"),
            ("事业单位领导班子成员中的女性比例", None, "W-DEC-13"),
            (
                "企业董事会、监事会成员及管理层中的女性比例",
                None,
                "W-DEC-15",
            ),
            ("企业职工代表大会中女代表比例", None, "W-DEC-16"),
            ("村党组织成员中女性比例", None, "W-DEC-19"),
            ("村党组织书记中女性比例", None, "W-DEC-20"),
            ("村委会成员中女性比例", None, "W-DEC-21"),
            ("村委会主任中女性比例", None, "W-DEC-22"),
            ("社区党组织成员中女性比例", None, "W-DEC-23"),
            ("社区党组织书记中女性比例", None, "W-DEC-24"),
            ("社区居委会成员中女性比例", None, "W-DEC-25"),
            ("居委会成员中女性比例", None, "W-DEC-25"),
            ("社区居委会主任中女性比例", None, "W-DEC-26"),
            ("社会组织负责人中女性比例", None, "W-DEC-29"),
            ("生育保险参保率", None, "W-SOC-01"),
            ("妇女基本医疗保险参保率", None, "W-SOC-02"),
            ("女性参加基本医疗保险比例", None, "W-SOC-02"),
            ("妇女基本养老保险参保率", None, "W-SOC-03"),
            ("女性参加基本养老保险比例", None, "W-SOC-03"),
            ("妇女失业保险参保人数", None, "W-SOC-04"),
            ("妇女工伤保险参保人数", None, "W-SOC-05"),
            ("两性家务劳动时间差距", None, "W-FAM-01"),
            ("农村自来水普及率", None, "W-ENV-01"),
            ("农村集中供水率", None, "W-ENV-06"),
            ("农村卫生厕所普及率", None, "W-ENV-02"),
            ("城镇公共厕所男女厕位比例", None, "W-ENV-04"),
            ("法规政策性别平等评估机制覆盖率", None, "W-LAW-09"),
            ("妇女获得法律援助人次", None, "W-LAW-11"),
        ],
    );
    check(
        Children,
        &[
            ("新生儿死亡率", None, "C-HEA-01"),
            ("婴儿死亡率", None, "C-HEA-02"),
            ("5岁以下儿童死亡率", None, "C-HEA-03"),
            ("出生缺陷发生率", None, "C-HEA-07"),
            ("适龄儿童免疫规划疫苗接种率", None, "C-HEA-09"),
            ("5岁以下儿童贫血患病率", None, "C-HEA-13"),
            ("5岁以下儿童生长迟缓率", None, "C-HEA-14"),
            ("5岁以下儿童低体重率", None, "C-HEA-15"),
            ("儿童生长迟缓率", None, "C-HEA-14"),
            ("低体重率", None, "C-HEA-15"),
            ("6个月内纯母乳喂养率", None, "C-HEA-17"),
            ("儿童青少年总体近视率", None, "C-HEA-26"),
            ("儿童新发近视率", None, "C-HEA-28"),
            ("小学生近视率", None, "C-HEA-23"),
            ("初中生近视率", None, "C-HEA-24"),
            ("高中阶段学生近视率", None, "C-HEA-25"),
            ("0—6岁儿童眼保健和视力检查覆盖率", None, "C-HEA-29"),
            ("中小学生国家学生体质健康标准达标优良率", None, "C-HEA-30"),
            ("国家学生体质健康标准达标优良率", None, "C-HEA-30"),
            ("儿童伤害死亡率", None, "C-SAF-01"),
            ("儿童溺水死亡率", None, "C-SAF-03"),
            ("儿童安全座椅使用率", None, "C-SAF-11"),
            ("学前教育毛入园率", None, "C-EDU-01"),
            ("普惠性幼儿园覆盖率", None, "C-EDU-02"),
            ("九年义务教育巩固率", None, "C-EDU-05"),
            ("高中阶段毛入学率", None, "C-EDU-06"),
            ("残疾儿童义务教育巩固率", None, "C-EDU-08"),
            ("每千人口拥有3岁以下婴幼儿托位数", None, "C-WEL-01"),
            ("儿童基本医疗保险参保率", None, "C-WEL-03"),
            ("残疾儿童康复服务覆盖率", None, "C-WEL-04"),
            ("县级未成年人救助保护机构覆盖率", None, "C-WEL-08"),
            ("未成年人保护工作站覆盖率", None, "C-WEL-09"),
            ("乡镇（街道）未成年人保护工作站覆盖率", None, "C-WEL-09"),
            ("儿童之家覆盖率", None, "C-WEL-11"),
            ("村（居）儿童主任配备率", None, "C-WEL-13"),
            ("乡镇（街道）儿童督导员配备率", None, "C-WEL-14"),
            (
                "城市社区家长学校或家庭教育指导服务站点覆盖率",
                None,
                "C-FAM-01",
            ),
            (
                "农村社区家长学校或家庭教育指导服务站点覆盖率",
                None,
                "C-FAM-02",
            ),
            ("儿童友好社区覆盖率", None, "C-ENV-01"),
            ("未成年人犯罪人数占未成年人人口数的比重", None, "C-LAW-01"),
            ("未成年人重新犯罪率", None, "C-LAW-02"),
            ("儿童出生登记率", None, "C-LAW-05"),
            ("少年儿童伤害死亡率", None, "C-SAF-01"),
            ("5岁以下儿童乙肝表面抗原流行率", None, "C-HEA-08"),
            ("3岁以下儿童系统管理率", None, "C-HEA-10"),
            ("7岁以下儿童健康管理率", None, "C-HEA-11"),
            ("中小学心理健康教育教师配备率", None, "C-HEA-49"),
            ("课后服务覆盖率", None, "C-EDU-15"),
            ("孤儿和事实无人抚养儿童保障覆盖率", None, "C-WEL-07"),
        ],
    );
}

/// The indicators the outlines name with a number in their 策略措施 (not only the main
/// targets), the provincial additions the sample plans use, and each in 2–3 of the ways
/// plans rewrite it (word order, 的, 人数比例/占比/比重, 少年儿童, a bracketed qualifier):
/// every one maps onto its entry.
#[test]
fn the_outlines_measures_and_their_rewritings_map() {
    check(
        Women,
        &[
            // 妇女与健康
            ("婚前医学检查率", None, "W-HEA-10"),
            ("婚前医学检查率（%）", None, "W-HEA-10"),
            ("全县婚前医学检查率", None, "W-HEA-10"),
            ("孕前优生健康检查率", None, "W-HEA-11"),
            ("产前筛查率", None, "W-HEA-13"),
            ("孕妇产前筛查率", None, "W-HEA-13"),
            ("孕产妇系统管理率（常住人口）", None, "W-HEA-12"),
            ("宫颈癌和乳腺癌早诊早治率", None, "W-HEA-06"),
            ("两癌早诊早治率", None, "W-HEA-06"),
            ("适龄女孩HPV疫苗接种率", None, "W-HEA-49"),
            ("孕产妇艾滋病、梅毒和乙肝检测率", None, "W-HEA-16"),
            ("经常参加体育锻炼的妇女人数比例", None, "W-HEA-27"),
            ("妇女经常参加体育锻炼人口比例", None, "W-HEA-27"),
            ("人工流产率", None, "W-HEA-22"),
            ("城乡健身圈", Some("分钟"), "W-HEA-51"),
            ("城乡社区15分钟健身圈", Some("分钟"), "W-HEA-51"),
            // 妇女与教育
            ("女性平均受教育年限", None, "W-EDU-01"),
            ("妇女平均受教育年限（年）", None, "W-EDU-01"),
            ("高等教育在学总规模中的女性比例", None, "W-EDU-04"),
            ("女性公民具备科学素质的比例", None, "W-EDU-07"),
            ("研究与试验发展人员中女性比例", None, "W-EDU-10"),
            // 妇女与经济
            ("女性就业人员占比", None, "W-ECO-01"),
            ("女性占就业人员的比例", None, "W-ECO-01"),
            ("就业人员中的女性比重", None, "W-ECO-01"),
            ("女性在城镇单位就业人员中的比例", None, "W-ECO-02"),
            ("女性占高级专业技术人员的比重", None, "W-ECO-03"),
            // 妇女参与决策和管理
            ("村委会成员中女性比例", None, "W-DEC-21"),
            ("村委会成员中的女性比重", None, "W-DEC-21"),
            ("村民委员会成员中女性比例", None, "W-DEC-21"),
            ("企业职工代表大会中女代表比例", None, "W-DEC-16"),
            ("职工代表大会中女代表比例", None, "W-DEC-16"),
            ("企业职工代表大会中的女性比例", None, "W-DEC-16"),
            ("居委会成员中女性占比", None, "W-DEC-25"),
            // 妇女与社会保障
            ("妇女参加失业保险人数", None, "W-SOC-04"),
            ("失业保险女性参保人数（万人）", None, "W-SOC-04"),
            ("妇女工伤保险参保人数", None, "W-SOC-05"),
            ("基本养老保险妇女参保率", None, "W-SOC-03"),
            ("基本医疗保险妇女参保率", None, "W-SOC-02"),
            // 妇女与环境
            ("城镇公共厕所男女厕位比例", None, "W-ENV-04"),
            ("人流量较大地区男女厕位比例", None, "W-ENV-19"),
            (
                "城镇公共厕所男女厕位比例（人流量较大地区）",
                None,
                "W-ENV-19",
            ),
            ("农村卫生厕所普及率", None, "W-ENV-02"),
        ],
    );
    check(
        Children,
        &[
            // 儿童与健康
            ("儿童青少年总体近视率", None, "C-HEA-26"),
            ("儿童青少年近视率", None, "C-HEA-26"),
            ("儿童青少年总体近视率每年降低幅度", None, "C-HEA-27"),
            ("儿童青少年肥胖率", None, "C-HEA-19"),
            ("儿童肥胖率", None, "C-HEA-19"),
            ("中小学生肥胖率", None, "C-HEA-19"),
            ("儿童青少年超重率", None, "C-HEA-18"),
            ("6个月内婴儿纯母乳喂养率", None, "C-HEA-17"),
            ("0—6个月婴儿纯母乳喂养率", None, "C-HEA-17"),
            ("新生儿遗传代谢性疾病筛查率", None, "C-HEA-04"),
            ("新生儿听力筛查率", None, "C-HEA-05"),
            ("每千名儿童拥有儿科执业（助理）医师数", None, "C-HEA-33"),
            ("每千名儿童床位数", None, "C-HEA-32"),
            ("中小学生每天校内体育活动时间", None, "C-HEA-50"),
            ("中小学心理健康教育教师配备率", None, "C-HEA-49"),
            (
                "中小学生每天非学习目的使用电子屏幕产品时间",
                None,
                "C-HEA-51",
            ),
            (
                "中小学生每天非学习目的使用电子屏幕产品",
                Some("小时"),
                "C-HEA-51",
            ),
            ("儿童每天接触户外自然光", Some("小时"), "C-HEA-52"),
            ("儿童每天接触户外自然光时间（小时）", None, "C-HEA-52"),
            // 儿童与安全
            ("儿童伤害死亡率以2020年为基数下降幅度", None, "C-SAF-02"),
            ("少年儿童伤害死亡率", None, "C-SAF-01"),
            ("儿童溺水死亡率", None, "C-SAF-03"),
            ("儿童安全座椅使用率", None, "C-SAF-11"),
            // 儿童与教育
            ("学前教育毛入园率（学前三年）", None, "C-EDU-01"),
            ("残疾少年儿童义务教育入学率", None, "C-EDU-07"),
            ("残疾儿童少年义务教育巩固率", None, "C-EDU-08"),
            ("义务教育学校课后服务覆盖率", None, "C-EDU-15"),
            ("国家财政性教育经费支出占国内生产总值比例", None, "C-EDU-16"),
            (
                "国家财政性教育经费支出占国内生产总值的比重",
                None,
                "C-EDU-16",
            ),
            ("财政性教育经费支出占国内生产总值的比例", None, "C-EDU-16"),
            // 儿童与福利
            ("孤儿和事实无人抚养儿童保障覆盖率", None, "C-WEL-07"),
            ("困境儿童分类保障覆盖率", None, "C-WEL-18"),
            ("困境儿童保障覆盖率", None, "C-WEL-18"),
            ("集中养育孤儿基本生活最低养育标准", None, "C-WEL-21"),
            ("0—6岁残疾儿童康复救助人数", None, "C-WEL-05"),
            // 儿童与家庭
            ("家庭教育指导服务覆盖率", None, "C-FAM-05"),
            ("家庭教育指导覆盖率", None, "C-FAM-05"),
            ("中小学幼儿园家长学校覆盖率", None, "C-FAM-04"),
        ],
    );
}
