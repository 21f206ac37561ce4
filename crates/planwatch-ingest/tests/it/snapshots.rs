//! The whole JSON of each document, so that every change of output is seen in review.

use crate::parse;

#[test]
fn whole_documents() {
    for prefix in ["000", "002", "003", "004"] {
        let doc = parse(prefix);
        insta::assert_json_snapshot!(format!("plan_{prefix}"), doc);
    }
}
