use super::fixture::report;
use planwatch_export::report::open_data::{
    FieldType, SDMX_DATAFLOW, SDMX_HEADER, csv, dictionary, json, sdmx_csv,
};
use serde_json::Value;
use std::collections::BTreeSet;

fn read_csv(bytes: &[u8]) -> (Vec<String>, Vec<csv::StringRecord>) {
    let mut reader = csv::Reader::from_reader(bytes);
    let header = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    let rows = reader.records().map(Result::unwrap).collect();
    (header, rows)
}

#[test]
fn csv_has_a_bom_the_dictionary_header_and_a_row_per_target() {
    let report = report();
    let bytes = csv(&report);
    assert!(bytes.starts_with("\u{feff}".as_bytes()));
    let (header, rows) = read_csv(&bytes[3..]);
    let names: Vec<String> = dictionary().iter().map(|f| f.name.to_string()).collect();
    assert_eq!(header, names);
    assert_eq!(rows.len(), report.rows.len());
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    let mmr = &rows[0];
    assert_eq!(&mmr[at("region_code")], "500240");
    assert_eq!(&mmr[at("indicator")], "孕产妇死亡率");
    assert_eq!(&mmr[at("code")], "W-HEA-03");
    assert_eq!(&mmr[at("latest_value")], "8.2");
    assert_eq!(&mmr[at("latest_year")], "2024");
    assert_eq!(&mmr[at("change")], "-0.6");
    assert_eq!(&mmr[at("comparator")], "<=");
    assert_eq!(&mmr[at("owners")], "县卫生健康委;县妇联");
    assert_eq!(&mmr[at("progress")], "early");
    assert_eq!(&mmr[at("progress_zh")], "提前实现");
    assert_eq!(&mmr[at("binding")], "true");
    assert_eq!(&mmr[at("series_years")], "2020;2022;2023;2024");
    // The formula-like name is neutralised; a negative number stays a number.
    assert_eq!(&rows[1][at("indicator")], "'=SUM(A1)");
    assert!(
        rows.iter()
            .flat_map(|r| r.iter())
            .all(|f| !f.starts_with(['=', '+', '@']))
    );
    // No data: empty numbers, not dashes.
    let none = &rows[3];
    assert_eq!(&none[at("indicator")], "学前教育毛入园率");
    assert_eq!(&none[at("latest_value")], "");
    assert_eq!(&none[at("status")], "no_data");
    for r in &rows {
        for f in dictionary()
            .iter()
            .filter(|f| matches!(f.kind, FieldType::Number | FieldType::Integer))
        {
            let v = &r[at(f.name)];
            assert!(v.is_empty() || v.parse::<f64>().is_ok(), "{}: {v}", f.name);
        }
    }
}

#[test]
fn json_carries_the_report_the_dictionary_and_typed_rows() {
    let report = report();
    let doc: Value = serde_json::from_slice(&json(&report)).unwrap();
    assert_eq!(doc["report"]["region"]["code"], "500240");
    assert_eq!(doc["report"]["region"]["path"], "重庆市/石柱土家族自治县");
    assert_eq!(doc["report"]["year"], 2024);
    assert_eq!(doc["report"]["kind"], "annual");
    assert_eq!(doc["report"]["demo"], true);
    assert_eq!(doc["report"]["title"], report.title.as_str());
    let dict = doc["dictionary"].as_array().unwrap();
    assert_eq!(dict.len(), dictionary().len());
    let names: BTreeSet<&str> = dict.iter().map(|f| f["name"].as_str().unwrap()).collect();
    for f in dict {
        for key in ["name", "label", "type", "description"] {
            assert!(f[key].as_str().is_some_and(|s| !s.is_empty()), "{f}");
        }
    }
    let rows = doc["rows"].as_array().unwrap();
    assert_eq!(rows.len(), report.rows.len());
    for row in rows {
        let keys: BTreeSet<&str> = row
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys, names);
    }
    assert_eq!(rows[0]["latest_value"], 8.2);
    assert_eq!(rows[0]["latest_year"], 2024);
    assert_eq!(rows[0]["target_value"], 9.0);
    assert_eq!(
        rows[0]["owners"],
        serde_json::json!(["县卫生健康委", "县妇联"])
    );
    assert!(rows[1]["code"].is_null());
    // JSON is no spreadsheet: the text as written.
    assert_eq!(rows[1]["indicator"], "=SUM(A1)");
    assert!(rows[3]["latest_value"].is_null());
    assert!(rows[3]["change"].is_null());
    assert_eq!(rows[2]["status"], "regressing");
    // Types as the dictionary says.
    for f in dictionary() {
        for row in rows {
            let v = &row[f.name];
            let ok = v.is_null()
                || match f.kind {
                    FieldType::String => v.is_string(),
                    FieldType::Number => v.is_number(),
                    FieldType::Integer => v.is_i64(),
                    FieldType::Boolean => v.is_boolean(),
                    FieldType::StringList => v.is_array(),
                };
            assert!(ok, "{}: {v}", f.name);
        }
    }
}

#[test]
fn sdmx_csv_has_one_line_per_observation_of_each_code() {
    let report = report();
    let bytes = sdmx_csv(&report);
    let text = String::from_utf8(bytes.clone()).unwrap();
    assert!(
        text.starts_with("DATAFLOW,REF_AREA,INDICATOR,SEX,TIME_PERIOD,OBS_VALUE,UNIT_MEASURE\r\n")
    );
    let (header, rows) = read_csv(&bytes);
    assert_eq!(header, SDMX_HEADER);
    // Coded rows with data: W-HEA-03 (4 values), C-EDU-05 (5), C-HEA-02 twice (3, once);
    // the uncoded =SUM(A1) and the empty C-EDU-02 add nothing.
    assert_eq!(rows.len(), 4 + 5 + 3);
    let keys: BTreeSet<(String, String)> = rows
        .iter()
        .map(|r| (r[2].to_string(), r[4].to_string()))
        .collect();
    assert_eq!(keys.len(), rows.len(), "an observation twice");
    for r in &rows {
        assert_eq!(&r[0], SDMX_DATAFLOW);
        assert_eq!(&r[1], "500240");
        assert_eq!(&r[3], "_T");
        assert!(r[5].parse::<f64>().is_ok());
    }
    let find = |code: &str, year: &str| {
        rows.iter()
            .find(|r| &r[2] == code && &r[4] == year)
            .unwrap_or_else(|| panic!("{code} {year}"))
    };
    let mmr = find("W-HEA-03", "2022");
    assert_eq!((&mmr[5], &mmr[6]), ("9.4", "PER_100000"));
    assert_eq!(&find("C-EDU-05", "2020")[6], "PT");
    assert_eq!(&find("C-HEA-02", "2024")[6], "PER_1000");
}

#[test]
fn sdmx_falls_back_to_the_region_path_without_a_code() {
    let mut report = report();
    report.region.code = None;
    let (_, rows) = read_csv(&sdmx_csv(&report));
    assert!(rows.iter().all(|r| &r[1] == "重庆市/石柱土家族自治县"));
    let (header, rows) = read_csv(&csv(&report)[3..]);
    let at = header.iter().position(|h| h == "region_code").unwrap();
    assert!(rows.iter().all(|r| r[at].is_empty()));
}
