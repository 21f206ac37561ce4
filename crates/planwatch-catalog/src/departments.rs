//! Department names as plans write them, folded onto the catalog's short names
//! ([`crate::DEPARTMENTS`]): "连平县卫生健康局", "县卫健局", "市卫生健康委" are all 卫健委.
//! Pure; unknown names are `None`, never guessed.
//!
//! A plan's responsible-units cell ("县卫健局、县教育局（牵头）", "卫健委，医保局",
//! "牵头单位：县妇联；配合单位：县教育局、县民政局") is cut into names by [`split_units`];
//! [`unit_names`] does both, keeping a name the catalog does not know as written, so that
//! no department of a plan is lost.

/// Each short name with the other names people give the same department, without the
/// region in front ("县", "连平县", "广东省"), which [`canonical`] strips.
const ALIASES: &[(&str, &[&str])] = &[
    (
        "卫健委",
        &[
            "卫健委",
            "卫健局",
            "卫生健康局",
            "卫生健康委",
            "卫生健康委员会",
            "卫生和健康委员会",
            "卫生健康厅",
            "卫生和计划生育委员会",
            "卫生和计划生育局",
            "卫计委",
            "卫计局",
            "卫生局",
        ],
    ),
    (
        "教育局",
        &[
            "教育局",
            "教育和体育局",
            "教育体育局",
            "教体局",
            "教育委员会",
            "教委",
            "教育厅",
        ],
    ),
    ("民政局", &["民政局", "民政厅"]),
    ("公安局", &["公安局", "公安分局", "公安厅"]),
    (
        "法院",
        &["法院", "人民法院", "中级人民法院", "高级人民法院", "中院"],
    ),
    (
        "检察院",
        &["检察院", "人民检察院", "检察分院", "人民检察分院"],
    ),
    (
        "人社局",
        &[
            "人社局",
            "人力资源和社会保障局",
            "人力资源社会保障局",
            "人力资源和社会保障厅",
            "人力资源社会保障厅",
            "人社厅",
        ],
    ),
    ("统计局", &["统计局", "统计厅"]),
    ("妇联", &["妇联", "妇女联合会"]),
    ("医保局", &["医保局", "医疗保障局"]),
    ("体育局", &["体育局"]),
    ("司法局", &["司法局", "司法厅"]),
    ("总工会", &["总工会", "工会"]),
    ("组织部", &["组织部", "委组织部"]),
    ("宣传部", &["宣传部", "委宣传部"]),
    (
        "统战部",
        &["统战部", "委统战部", "统一战线工作部", "委统一战线工作部"],
    ),
    ("人大", &["人大", "人大常委会", "人民代表大会常务委员会"]),
    ("政协", &["政协", "政协委员会"]),
    ("残联", &["残联", "残疾人联合会"]),
    (
        "市场监管局",
        &["市场监管局", "市场监督管理局", "市场监督管理分局"],
    ),
    ("药监局", &["药监局", "药品监督管理局"]),
    (
        "生态环境局",
        &[
            "生态环境局",
            "生态环境分局",
            "生态环境厅",
            "环保局",
            "环境保护局",
        ],
    ),
    ("水利局", &["水利局", "水务局", "水利厅"]),
    (
        "住建局",
        &[
            "住建局",
            "住房和城乡建设局",
            "住房城乡建设局",
            "住房和城乡建设厅",
            "住房城乡建设厅",
            "住建厅",
        ],
    ),
    (
        "城管局",
        &[
            "城管局",
            "城市管理局",
            "城市管理和综合执法局",
            "城市管理综合执法局",
        ],
    ),
    (
        "农业农村局",
        &["农业农村局", "农业农村厅", "农业局", "农业农村委员会"],
    ),
    ("应急管理局", &["应急管理局", "应急局", "应急管理厅"]),
    ("国资委", &["国资委", "国有资产监督管理委员会"]),
    (
        "团委",
        &[
            "团委",
            "共青团",
            "团县委",
            "团市委",
            "团区委",
            "团省委",
            "团州委",
            "共青团委员会",
        ],
    ),
    ("科协", &["科协", "科学技术协会"]),
    (
        "文旅局",
        &[
            "文旅局",
            "文化广电旅游体育局",
            "文化广电旅游局",
            "文化和旅游局",
            "文化广电体育和旅游局",
            "文广旅体局",
            "文广新旅局",
            "文化和旅游厅",
        ],
    ),
    (
        "发改委",
        &[
            "发改委",
            "发改局",
            "发展和改革局",
            "发展改革局",
            "发展和改革委员会",
            "发展改革委",
        ],
    ),
    (
        "工信局",
        &[
            "工信局",
            "工业和信息化局",
            "工业和信息化厅",
            "经济和信息化局",
            "经信局",
        ],
    ),
    ("通信管理局", &["通信管理局"]),
    ("交通运输局", &["交通运输局", "交通局", "交通运输厅"]),
    ("乡村振兴局", &["乡村振兴局", "扶贫办", "扶贫开发办公室"]),
    ("疾控中心", &["疾控中心", "疾病预防控制中心"]),
];

/// Characters that end a region's name ("连平县", "河源市", "城关区", "恩施州"): a department
/// name may start after one of them.
const REGION_ENDS: &[char] = &['省', '市', '县', '区', '州', '旗', '盟'];

/// Punctuation a name may end with in running text.
const TRAILING: &[char] = &[
    '。', '，', '、', '；', ';', ',', '.', '：', ':', ' ', '\u{3000}', '\t',
];

fn lookup(name: &str) -> Option<&'static str> {
    ALIASES
        .iter()
        .find(|(_, names)| names.contains(&name))
        .map(|(short, _)| *short)
}

/// A name without surrounding blanks, trailing punctuation and a trailing bracketed note
/// ("县卫健局（牵头）" → "县卫健局").
fn bare(name: &str) -> &str {
    let mut name = name.trim().trim_end_matches(TRAILING);
    loop {
        let stripped = name
            .strip_suffix('）')
            .and_then(|n| n.rfind('（').map(|i| &n[..i]))
            .or_else(|| {
                name.strip_suffix(')')
                    .and_then(|n| n.rfind('(').map(|i| &n[..i]))
            });
        match stripped {
            Some(n) => name = n.trim().trim_end_matches(TRAILING),
            None => return name,
        }
    }
}

/// The part of `name` after the region it starts with, when that part is a department the
/// catalog knows: the shortest region prefix that leaves one ("连平县市场监督管理局" →
/// "市场监督管理局", not "场监督管理局").
fn after_region(name: &str) -> Option<(&str, &'static str)> {
    let name = name.strip_prefix("中共").unwrap_or(name);
    if let Some(short) = lookup(name) {
        return Some((name, short));
    }
    name.char_indices()
        .filter(|(_, c)| REGION_ENDS.contains(c))
        .find_map(|(i, c)| {
            let rest = &name[i + c.len_utf8()..];
            lookup(rest).map(|short| (rest, short))
        })
}

/// The catalog's short name of a department as plans and people write it ("县卫生健康局",
/// "连平县卫生健康局", "市卫生健康委" → "卫健委"); `None` for a name it does not know.
pub fn canonical(name: &str) -> Option<&'static str> {
    let name = bare(name);
    if name.is_empty() {
        return None;
    }
    if let Some((_, short)) = after_region(name) {
        return Some(short);
    }
    // A branch named after the department above it: 河源市公安局连平分局.
    if let Some(i) = name.find('局') {
        let head = &name[..i + '局'.len_utf8()];
        if name.ends_with("分局")
            && head.len() < name.len()
            && let Some((_, short)) = after_region(head)
        {
            return Some(short);
        }
    }
    // 共青团连平县委员会, 共青团河源市委
    if name.starts_with("共青团") && (name.ends_with('委') || name.ends_with("委员会")) {
        return Some("团委");
    }
    None
}

/// A department the catalog does not know without the plan's own region in front
/// ("县税务局" → "税务局"): only a leading 县, 市, 区 or 省 alone is taken off (the plan
/// speaking of its own region), and not where it starts a word (市场, 市政, 区域); a
/// named region ("连平县税务局") stays, since where it ends cannot be told for sure.
fn without_region(name: &str) -> &str {
    const WORDS: &[&str] = &[
        "市场", "市政", "市容", "市民", "区域", "省级", "县级", "市级", "区级",
    ];
    if WORDS.iter().any(|w| name.starts_with(w)) {
        return name;
    }
    for lead in ["县", "市", "区", "省"] {
        if let Some(rest) = name.strip_prefix(lead)
            && rest.chars().count() >= 2
        {
            return rest;
        }
    }
    name
}

/// Names that stand for no one department ("各成员单位", "有关部门").
fn is_generic(name: &str) -> bool {
    name.starts_with('各')
        || name.contains("有关")
        || name.contains("相关")
        || name.ends_with("成员单位")
        || name == "等"
}

/// The names in a responsible-units cell, in order, a name marked as lead (（牵头）, or
/// after "牵头单位：") first. Separators are 、，,；; / and blanks (not 和 or 及, which
/// occur inside names such as 人力资源和社会保障局); brackets are kept together;
/// "等"/"等部门" at the end, bracketed notes, labels ("配合单位：") and names that stand
/// for no one department ("各成员单位", "有关部门") are left out. Each name is returned as
/// written otherwise ("县卫健局").
pub fn split_units(text: &str) -> Vec<String> {
    let mut lead = Vec::new();
    let mut rest = Vec::new();
    for segment in split_outside_brackets(text, &['；', ';', '\n']) {
        let (label_leads, body) = match segment.find(['：', ':']) {
            Some(i) if !segment[..i].contains(['（', '(']) => {
                let sep = segment[i..].chars().next().map_or(0, char::len_utf8);
                (segment[..i].contains("牵头"), &segment[i + sep..])
            }
            _ => (false, segment),
        };
        for piece in
            split_outside_brackets(body, &['、', '，', ',', '/', '／', ' ', '\u{3000}', '\t'])
        {
            let marked = piece.contains("（牵头") || piece.contains("(牵头");
            let mut name = bare(piece);
            for tail in ["等部门", "等单位", "等"] {
                if let Some(n) = name.strip_suffix(tail) {
                    name = n;
                    break;
                }
            }
            let name = name.trim();
            if name.is_empty() || is_generic(name) {
                continue;
            }
            if label_leads || marked {
                lead.push(name.to_string());
            } else {
                rest.push(name.to_string());
            }
        }
    }
    lead.extend(rest);
    let mut seen = std::collections::HashSet::new();
    lead.retain(|n| seen.insert(n.clone()));
    lead
}

fn split_outside_brackets<'a>(text: &'a str, seps: &[char]) -> Vec<&'a str> {
    let mut parts = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (i, c) in text.char_indices() {
        match c {
            '（' | '(' => depth += 1,
            '）' | ')' => depth = depth.saturating_sub(1),
            c if depth == 0 && seps.contains(&c) => {
                parts.push(&text[start..i]);
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts.retain(|p| !p.trim().is_empty());
    parts
}

/// The member units a responsible-units cell names, as the pages call them: each name of
/// [`split_units`] as its catalog short name, or as written (without a leading 县/市/区/省)
/// when the catalog does not know it; lead first, each once.
pub fn unit_names(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for name in split_units(text) {
        let unit = match canonical(&name) {
            Some(short) => short.to_string(),
            None => without_region(&name).to_string(),
        };
        if !out.contains(&unit) {
            out.push(unit);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_short_name_is_a_catalog_department_and_names_itself() {
        for (short, names) in ALIASES {
            assert!(crate::DEPARTMENTS.contains(short), "{short}");
            assert_eq!(canonical(short), Some(*short));
            for n in *names {
                assert_eq!(canonical(n), Some(*short), "{n}");
            }
        }
        for d in crate::DEPARTMENTS {
            assert_eq!(canonical(d), Some(*d), "{d}");
        }
    }

    #[test]
    fn no_name_belongs_to_two_departments() {
        let mut seen = std::collections::HashMap::new();
        for (short, names) in ALIASES {
            for n in *names {
                if let Some(other) = seen.insert(*n, *short) {
                    panic!("{n}: {other} and {short}");
                }
            }
        }
    }

    #[test]
    fn health_commission_in_every_spelling() {
        for n in [
            "卫健委",
            "卫生健康局",
            "卫生健康委员会",
            "卫健局",
            "县卫生健康局",
            "市卫生健康委",
            "连平县卫生健康局",
            "河源市卫生健康委员会",
            "广东省卫生健康委员会",
            "恩施州卫生健康委员会",
            "县卫健局（牵头）",
            "县卫生健康局。",
            "石柱土家族自治县卫生健康委员会",
        ] {
            assert_eq!(canonical(n), Some("卫健委"), "{n}");
        }
    }

    #[test]
    fn the_usual_county_and_city_names() {
        let cases = [
            ("教育和体育局", "教育局"),
            ("县教体局", "教育局"),
            ("随州市曾都区教育局", "教育局"),
            ("县人力资源和社会保障局", "人社局"),
            ("市医疗保障局", "医保局"),
            ("连平县公安局", "公安局"),
            ("河源市公安局连平分局", "公安局"),
            ("县人民法院", "法院"),
            ("县人民检察院", "检察院"),
            ("县妇女联合会", "妇联"),
            ("团县委", "团委"),
            ("共青团连平县委员会", "团委"),
            ("共青团", "团委"),
            ("县残疾人联合会", "残联"),
            ("县市场监督管理局", "市场监管局"),
            ("市场监督管理局", "市场监管局"),
            ("河源市生态环境局连平分局", "生态环境局"),
            ("县总工会", "总工会"),
            ("县统计局", "统计局"),
            ("县民政局", "民政局"),
            ("县司法局", "司法局"),
            ("县住房和城乡建设局", "住建局"),
            ("县农业农村局", "农业农村局"),
            ("县水利局", "水利局"),
            ("县发展和改革局", "发改委"),
            ("县文化广电旅游体育局", "文旅局"),
            ("中共连平县委宣传部", "宣传部"),
            ("县委组织部", "组织部"),
            ("县疾病预防控制中心", "疾控中心"),
        ];
        for (name, short) in cases {
            assert_eq!(canonical(name), Some(short), "{name}");
        }
    }

    #[test]
    fn unknown_names_are_none() {
        for n in ["", "  ", "县税务局", "各成员单位", "人民银行", "县委", "市"] {
            assert_eq!(canonical(n), None, "{n}");
        }
    }

    #[test]
    fn cells_split_into_names_lead_first() {
        assert_eq!(
            split_units("县卫健局、县教育局（牵头）"),
            vec!["县教育局", "县卫健局"]
        );
        assert_eq!(split_units("卫健委，医保局"), vec!["卫健委", "医保局"]);
        assert_eq!(
            split_units("牵头单位：县妇联；配合单位：县教育局、县民政局"),
            vec!["县妇联", "县教育局", "县民政局"]
        );
        assert_eq!(
            split_units("县人力资源和社会保障局、县总工会等"),
            vec!["县人力资源和社会保障局", "县总工会"]
        );
        assert_eq!(
            split_units("县卫生健康局 县妇联\n各成员单位"),
            vec!["县卫生健康局", "县妇联"]
        );
        assert_eq!(
            split_units("县民政局（牵头，县妇联配合）、有关部门"),
            vec!["县民政局"]
        );
        assert_eq!(split_units("卫健委、卫健委"), vec!["卫健委"]);
        assert!(split_units("").is_empty());
        assert!(split_units("、，；").is_empty());
    }

    #[test]
    fn unit_names_fold_and_keep_unknown_ones() {
        assert_eq!(
            unit_names("县卫生健康局、县卫健局、县税务局、县教育局（牵头）"),
            vec!["教育局", "卫健委", "税务局"]
        );
        assert_eq!(unit_names("卫生健康局、妇联"), vec!["卫健委", "妇联"]);
    }

    #[test]
    fn a_cell_of_a_county_plan() {
        assert_eq!(
            unit_names("县卫健局、县教育局（牵头）"),
            vec!["教育局", "卫健委"]
        );
        assert_eq!(
            unit_names("县妇联、县民政局、县人力资源和社会保障局、团县委"),
            vec!["妇联", "民政局", "人社局", "团委"]
        );
        assert_eq!(unit_names("市场监督管理局"), vec!["市场监管局"]);
        assert_eq!(unit_names("市政管理处"), vec!["市政管理处"]);
    }

    proptest::proptest! {
        #[test]
        fn any_text_is_read_without_panic(s in "\\PC{0,40}") {
            let names = split_units(&s);
            proptest::prop_assert!(names.iter().all(|n| !n.is_empty()));
            let _ = unit_names(&s);
            let _ = canonical(&s);
        }

        #[test]
        fn cells_of_known_names_read_back(picks in proptest::collection::vec(0..ALIASES.len(), 1..6)) {
            let names: Vec<&str> = picks.iter().map(|&i| ALIASES[i].1[0]).collect();
            let cell = names.iter().map(|n| format!("县{n}")).collect::<Vec<_>>().join("、");
            let mut expected: Vec<String> = Vec::new();
            for &i in &picks {
                let short = ALIASES[i].0.to_string();
                if !expected.contains(&short) {
                    expected.push(short);
                }
            }
            proptest::prop_assert_eq!(unit_names(&cell), expected);
        }
    }

    #[test]
    fn strange_input_does_not_panic() {
        for s in [
            "（",
            "）",
            "(((",
            "牵头单位：",
            "：",
            "县（牵头）",
            "、（、）、",
            "\u{3000}",
        ] {
            let _ = split_units(s);
            let _ = unit_names(s);
            let _ = canonical(s);
        }
    }
}
