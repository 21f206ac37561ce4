//! The four sample plans (`assets/plans/`), read by the plan reader and mapped onto the
//! catalog: coverage of main targets, and the whole unmapped list per plan.

use planwatch_catalog::Catalog;
use planwatch_catalog::mapping::{TargetMapping, map_document};
use planwatch_core::Section;
use std::path::PathBuf;

fn plan_path(file: &str) -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    // Plans written for the tests live beside them; the shipped ones in assets/plans.
    let own = manifest.join("tests/data").join(file);
    if own.exists() {
        return own;
    }
    manifest.join("../../assets/plans").join(file)
}

fn map_plan(file: &str) -> Vec<TargetMapping> {
    let catalog = Catalog::shipped().unwrap_or_else(|e| panic!("{e}"));
    let (source, doc) =
        planwatch_ingest::parse_file(&plan_path(file)).unwrap_or_else(|e| panic!("{e}"));
    map_document(&catalog, &doc, &source.lines)
}

/// Coverage of one plan file's main targets.
struct Coverage {
    total: usize,
    /// Mapped to one code.
    mapped: usize,
    /// Unsplit enumerations whose every part maps (line:indicator → codes).
    compound: Vec<String>,
    /// Neither: region-local indicators for review (line:indicator).
    unmapped: Vec<String>,
}

/// Maps a plan file, prints every mapping and the coverage figures.
fn coverage(file: &str) -> Coverage {
    let rows = map_plan(file);
    for r in &rows {
        let parts: Vec<&str> = r.parts.iter().map(|p| p.code.as_str()).collect();
        let code = match (&r.code, parts.is_empty()) {
            (Some(c), _) => c.clone(),
            (None, false) => parts.join("+"),
            (None, true) => "—".into(),
        };
        println!(
            "{:>4} {:7} {:8} {} → {code} {} {:.2}",
            r.line,
            r.section.as_str(),
            r.plan.as_str(),
            r.indicator,
            r.name.as_deref().unwrap_or(""),
            r.confidence
        );
    }
    let main: Vec<&TargetMapping> = rows.iter().filter(|r| r.section == Section::Main).collect();
    let cov = Coverage {
        total: main.len(),
        mapped: main.iter().filter(|r| r.code.is_some()).count(),
        compound: main
            .iter()
            .filter(|r| r.code.is_none() && !r.parts.is_empty())
            .map(|r| {
                let parts: Vec<&str> = r.parts.iter().map(|p| p.code.as_str()).collect();
                format!("{}:{} → {}", r.line, r.indicator, parts.join("+"))
            })
            .collect(),
        unmapped: main
            .iter()
            .filter(|r| r.code.is_none() && r.parts.is_empty())
            .map(|r| format!("{}:{}", r.line, r.indicator))
            .collect(),
    };
    let all_mapped = rows.iter().filter(|r| r.code.is_some()).count();
    println!(
        "{file}: main targets {} — mapped {} ({:.1}%), unsplit enumerations with every part mapped {}, \
         unmapped {}; all targets incl. measures: {all_mapped}/{} mapped",
        cov.total,
        cov.mapped,
        100.0 * cov.mapped as f64 / cov.total.max(1) as f64,
        cov.compound.len(),
        cov.unmapped.len(),
        rows.len()
    );
    println!(
        "compound: {:#?}\nunmapped: {:#?}",
        cov.compound, cov.unmapped
    );
    cov
}

/// At least 95% of the main targets name a catalog indicator (alone, or as every part of
/// an enumeration the reader left unsplit).
fn assert_coverage(cov: &Coverage) {
    let named = cov.mapped + cov.compound.len();
    assert!(
        named * 100 >= cov.total * 95,
        "only {named} of {} main targets map: {:#?}",
        cov.total,
        cov.unmapped
    );
}

/// The whole review list of a plan: main targets with no catalog code (region-local
/// indicators) and unsplit enumerations. These follow the plan reader's output: when the
/// reader changes (splits an enumeration, completes a cut-off subject), update the lists
/// here from the test's printed output after checking each line against the document.
fn assert_review(cov: &Coverage, compound: &[&str], unmapped: &[&str]) {
    assert_eq!(cov.compound, compound, "unsplit enumerations changed");
    assert_eq!(cov.unmapped, unmapped, "unmapped main targets changed");
}

#[test]
fn lianping() {
    let cov = coverage("000_899738eeea2834b6.txt");
    assert_coverage(&cov);
    assert_review(
        &cov,
        &[
            "25:妇女焦虑障碍、抑郁症患病率 → W-HEA-24+W-HEA-25",
            "100:村党组织成员、村党组织书记中女性比例 → W-DEC-19+W-DEC-20",
            "101:社区党组织成员、社区党组织书记中女性比例 → W-DEC-23+W-DEC-24",
            "120:妇女失业保险和工伤保险参保人数 → W-SOC-04+W-SOC-05",
        ],
        // 托育机构和托位数量持续增加: two counts (机构数, 托位数) no national indicator names
        &["173:基本公共文化服务的覆盖面", "344:托育机构和托位数量"],
    );
}

#[test]
fn shizhu() {
    let cov = coverage("002_783e6206471bd0e6.txt");
    assert_coverage(&cov);
    assert_review(
        &cov,
        &[],
        // prose of the 主要目标 overview: vague or compound wording, no monitored indicator
        &[
            "33:早期筛检率",
            "33:早期生存率",
            "36:女职工特别是女农民工的参保率",
            "38:妇女护理、保健及卫生用品的送检率、合格率",
        ],
    );
}

#[test]
fn lishui() {
    let cov = coverage("003_49819e7a68b52bdf.txt");
    assert_coverage(&cov);
    assert_review(
        &cov,
        &[
            "42:婚前、孕前医学检查率 → W-HEA-10+W-HEA-11",
            "62:妇女焦虑障碍、抑郁症患病率 → W-HEA-24+W-HEA-25",
            "170:女职工劳动合同、女职工权益专项集体合同签订率 → W-ECO-12+W-ECO-13",
            "200:市级党代表、人大代表、政协委员中的女性比例 → W-DEC-02+W-DEC-03+W-DEC-05",
            "200:市人大、市政协常委中的女性比例 → W-DEC-04+W-DEC-06",
            "215:村(社区)党组成员、书记中女性比例 → W-DEC-27+W-DEC-28",
        ],
        // 扩大生育保险参保率及享有率: 享有率 has no national definition
        &[
            "198:各级党代会、人代会、政协会中女性的比例",
            "204:各级领导班子中女性领导干部的比例",
            "249:生育保险享有率",
            "554:儿童总体视力不良发生率",
            "740:流浪儿童的数量",
        ],
    );
}

#[test]
fn zengdu() {
    let cov = coverage("004_f195922d897a1781.txt");
    assert_coverage(&cov);
    assert_review(
        &cov,
        &[
            "52:宫颈癌和乳腺癌死亡率 → W-HEA-07+W-HEA-08",
            "58:妇女焦虑障碍、抑郁症患病率 → W-HEA-24+W-HEA-25",
            "200:村党组织成员、村党组织书记中女性比例 → W-DEC-19+W-DEC-20",
            "202:社区党组织成员、社区党组织书记中女性比例 → W-DEC-23+W-DEC-24",
            "236:妇女失业保险和工伤保险的参保率 → W-SOC-06+W-SOC-07",
        ],
        // 提高宫颈癌和乳腺癌的早诊早治率，降低死亡率: read now with its subject, the death
        // rate of both cancers, listed above as an enumeration for the office to split.
        // Qualitative targets (趋于合理, 提升) on indicators the catalog does not monitor.
        &[
            "196:各级公务员、事业单位工作人员中的男女比例",
            "483:儿童及其照护人健康素养",
        ],
    );
}

/// A children's plan as a county of another province might write it, sentence by sentence
/// after the national outline and the usual provincial additions (`tests/data/`): what it
/// asks maps onto the catalog, except what no catalog indicator measures.
#[test]
fn a_plan_written_after_the_outline() {
    let cov = coverage("outline-style-children.txt");
    assert_coverage_at(&cov, 100);
    // Cities' and villages' 儿童之家 and 家庭教育指导服务 each map onto their own entry
    // (never onto the other's: 城镇/农村 are other populations); a county's count of
    // 未成年人救助保护机构 onto the count, not the coverage share.
    assert_review(&cov, &[], &[]);
}

/// The women's plan of the same county: the outline's sentences and usual additions.
#[test]
fn a_womens_plan_written_after_the_outline() {
    let cov = coverage("outline-style-women.txt");
    assert_coverage_at(&cov, 90);
    assert_review(
        &cov,
        &[
            "10:妇女焦虑障碍、抑郁症患病率 → W-HEA-24+W-HEA-25",
            "35:妇女失业保险和工伤保险参保人数 → W-SOC-04+W-SOC-05",
        ],
        &[
            // 体系 makes it a coverage of a system, not of service points: for review.
            "38:城乡家庭教育指导服务体系覆盖率",
            // The catalog's is 城镇 only: 城乡 is not merged onto it.
            "42:城乡公共厕所男女厕位比例",
        ],
    );
}

fn assert_coverage_at(cov: &Coverage, percent: usize) {
    let named = cov.mapped + cov.compound.len();
    assert!(
        named * 100 >= cov.total * percent,
        "only {named} of {} main targets map: {:#?}",
        cov.total,
        cov.unmapped
    );
}
